//! What the chat service writes and reads, as plain structs.

/// One exchange: the patient's message, the decision about it, the reply,
/// and any inquiries it queued. Saved in one transaction, or not at all.
#[derive(Debug, Clone)]
pub struct Turn {
    pub conversation_id: String,
    /// Set when this turn starts the conversation.
    pub new_token_hash: Option<String>,
    /// The signed-in patient a new conversation belongs to.
    pub patient_subject: Option<String>,
    /// The conversation version the turn was decided on (0 for a new one).
    pub read_version: i64,
    /// The conversation's state after this turn, JSON.
    pub state: String,
    pub patient: NewMessage,
    pub decision: DecisionRecord,
    pub reply: NewMessage,
    pub inquiries: Vec<NewInquiry>,
    pub at_ms: i64,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub id: String,
    pub kind: Option<String>,
    pub body: String,
    /// JSON list of knowledge sources, for answers.
    pub sources: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DecisionRecord {
    pub kind: String,
    pub urgent_category: Option<String>,
    pub department: Option<String>,
    pub confidence: f64,
    pub abstain: Option<String>,
    /// JSON list of `{department, confidence}`.
    pub alternatives: String,
    pub knowledge_id: Option<String>,
    pub knowledge_score: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct NewInquiry {
    pub id: String,
    /// The patient message the inquiry is about.
    pub message_id: String,
    pub department: String,
    pub urgent: bool,
}

#[derive(Debug, Clone)]
pub struct ConversationRecord {
    pub id: String,
    pub token_hash: String,
    pub state: String,
    pub version: i64,
    /// The signed-in patient it belongs to, if any.
    pub patient_subject: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ConversationSummary {
    pub id: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub open_inquiries: i64,
}

#[derive(Debug, Clone)]
pub struct MessageRecord {
    pub seq: i64,
    pub role: String,
    pub kind: Option<String>,
    pub body: String,
    pub sources: Option<String>,
    pub created_at: i64,
    /// Staff replies: who wrote it, and for which department.
    pub author_name: Option<String>,
    pub department: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InquiryRecord {
    pub id: String,
    pub conversation_id: String,
    pub message_id: String,
    pub department: String,
    pub priority: String,
    pub status: String,
    pub created_at: i64,
}
