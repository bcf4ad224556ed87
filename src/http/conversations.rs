//! `GET /api/conversations/{id}`: the transcript, for the holder of the
//! conversation's token only.

use std::time::{Duration, UNIX_EPOCH};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::AppState;
use super::chat::bearer_token;
use super::error::ApiError;
use super::request_log::ConversationTag;
use crate::chat::{conversation_tag, token_matches};
use crate::store::MessageRecord;

#[derive(Debug, Serialize)]
struct Transcript {
    conversation_id: String,
    messages: Vec<TranscriptMessage>,
}

#[derive(Debug, Serialize)]
struct TranscriptMessage {
    role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<Value>,
    at: String,
}

pub async fn get_conversation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match transcript(&state, &id, &headers).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn transcript(state: &AppState, id: &str, headers: &HeaderMap) -> Result<Response, ApiError> {
    let service = state.chat()?;
    let db = service.database();

    // Unknown id and wrong token look the same from outside.
    let token = bearer_token(headers).ok_or_else(ApiError::conversation_not_found)?;
    let conversation = db
        .find_conversation(id)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .filter(|record| token_matches(&token, &record.token_hash))
        .ok_or_else(ApiError::conversation_not_found)?;

    let messages = db
        .transcript(&conversation.id)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .into_iter()
        .map(to_transcript_message)
        .collect();

    let mut response = Json(Transcript {
        conversation_id: conversation.id.clone(),
        messages,
    })
    .into_response();
    response
        .extensions_mut()
        .insert(ConversationTag(conversation_tag(&conversation.id)));
    Ok(response)
}

fn to_transcript_message(record: MessageRecord) -> TranscriptMessage {
    let sources = record
        .sources
        .as_deref()
        .and_then(|json| serde_json::from_str::<Vec<Value>>(json).ok())
        .unwrap_or_default();
    let at = UNIX_EPOCH + Duration::from_millis(u64::try_from(record.created_at).unwrap_or(0));

    TranscriptMessage {
        role: record.role,
        kind: record.kind,
        text: record.body,
        sources,
        at: humantime::format_rfc3339_seconds(at).to_string(),
    }
}
