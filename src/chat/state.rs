//! What a conversation remembers between messages, so that "yes", "the
//! second one" or "talk to a person" mean something. Stored as JSON on the
//! conversation row; it holds ids and department names, never patient text.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationState {
    /// The `choice` values the last reply offered.
    #[serde(default)]
    pub offered: Vec<String>,
    /// The patient message waiting for the patient to pick a department.
    #[serde(default)]
    pub pending_message: Option<String>,
    /// Department of the last answer or inquiry: who "a person" is.
    #[serde(default)]
    pub topic: Option<String>,
    /// The patient message that topic came from.
    #[serde(default)]
    pub topic_message: Option<String>,
    /// Kind of the last reply.
    #[serde(default)]
    pub last_kind: Option<String>,
}

impl ConversationState {
    pub fn parse(json: &str) -> Self {
        // An unreadable state only loses follow-up context, never messages.
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serialises")
    }
}
