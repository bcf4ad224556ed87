//! A conversation's messages as patients and staff read them.

use serde::Serialize;
use serde_json::Value;

use crate::routing::Department;
use crate::store::{MessageRecord, format_ms};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TranscriptMessage {
    /// 1, 2, 3, …: `?after=` takes the last one seen.
    pub seq: i64,
    /// `patient`, `assistant` or `staff`.
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub sources: Vec<Value>,
    /// Staff replies: "Dana (Billing)".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub at: String,
}

impl TranscriptMessage {
    pub fn from_record(record: MessageRecord, departments: &[Department]) -> Self {
        let sources = record
            .sources
            .as_deref()
            .and_then(|json| serde_json::from_str::<Vec<Value>>(json).ok())
            .unwrap_or_default();
        let team = record
            .department
            .as_deref()
            .and_then(|id| departments.iter().find(|d| d.id == id))
            .map(|d| d.name.as_str());
        let author = match (record.author_name, team) {
            (Some(name), Some(team)) => Some(format!("{name} ({team})")),
            (Some(name), None) => Some(name),
            (None, _) => None,
        };

        Self {
            seq: record.seq,
            role: record.role,
            kind: record.kind,
            text: record.body,
            sources,
            author,
            at: format_ms(record.created_at),
        }
    }
}
