//! What the queue API shows: inquiries with their due dates, notes,
//! history, canned responses.

use serde::Serialize;

use crate::chat::TranscriptMessage;
use crate::store::{CannedRow, EventRow, InquiryRow, NoteRow, format_ms};

/// Characters of the patient's message shown in a queue row.
const PREVIEW_CHARS: usize = 160;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InquirySummary {
    pub id: String,
    pub conversation_id: String,
    pub department: String,
    pub priority: String,
    /// `open`, `claimed` or `resolved`; a lapsed claim reads `open`.
    pub status: String,
    pub created_at: String,
    pub due_at: String,
    pub overdue: bool,
    pub claimed_by: Option<Person>,
    pub claim_expires_at: Option<String>,
    pub first_response_at: Option<String>,
    pub preview: String,
}

impl InquirySummary {
    pub(super) fn new(row: InquiryRow, due_ms: i64, now_ms: i64) -> Self {
        let claim_live =
            row.status == "claimed" && row.claim_expires_at.is_some_and(|t| t >= now_ms);
        let status = match row.status.as_str() {
            "claimed" if !claim_live => "open".to_owned(),
            other => other.to_owned(),
        };
        // Still waiting for a first reply past its due time.
        let overdue = status != "resolved" && row.first_response_at.is_none() && now_ms > due_ms;
        let claimed_by = claim_live
            .then(|| row.claimed_by.zip(row.claimed_by_name))
            .flatten()
            .map(|(id, name)| Person { id, name });

        Self {
            id: row.id,
            conversation_id: row.conversation_id,
            department: row.department,
            priority: row.priority,
            status,
            created_at: format_ms(row.created_at),
            due_at: format_ms(due_ms),
            overdue,
            claim_expires_at: claimed_by.as_ref().and(row.claim_expires_at).map(format_ms),
            claimed_by,
            first_response_at: row.first_response_at.map(format_ms),
            preview: row.message.chars().take(PREVIEW_CHARS).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Note {
    pub id: String,
    pub author: Person,
    pub text: String,
    pub at: String,
}

impl From<NoteRow> for Note {
    fn from(row: NoteRow) -> Self {
        Self {
            id: row.id,
            author: Person {
                id: row.author_id,
                name: row.author_name,
            },
            text: row.body,
            at: format_ms(row.created_at),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Event {
    pub at: String,
    pub actor: Option<Person>,
    pub action: String,
    pub detail: Option<String>,
}

impl From<EventRow> for Event {
    fn from(row: EventRow) -> Self {
        Self {
            at: format_ms(row.created_at),
            actor: row
                .actor_id
                .zip(row.actor_name)
                .map(|(id, name)| Person { id, name }),
            action: row.action,
            detail: row.detail,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InquiryDetail {
    pub inquiry: InquirySummary,
    pub transcript: Vec<TranscriptMessage>,
    pub notes: Vec<Note>,
    pub history: Vec<Event>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DepartmentInfo {
    pub id: String,
    pub name: String,
    pub response_time: String,
    /// One of the asking person's own departments.
    pub mine: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Canned {
    pub id: String,
    pub department: String,
    pub title: String,
    pub body: String,
}

impl From<CannedRow> for Canned {
    fn from(row: CannedRow) -> Self {
        Self {
            id: row.id,
            department: row.department,
            title: row.title,
            body: row.body,
        }
    }
}
