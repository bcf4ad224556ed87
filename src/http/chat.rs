//! `POST /api/chat`: parse and check the body by hand, so that every
//! failure gets our JSON error and none echoes what the patient wrote.

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::AppState;
use super::error::ApiError;
use super::request_log::ConversationTag;
use crate::chat::{ChatInput, conversation_tag};
use crate::redact::PatientText;

pub async fn post_chat(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match chat(&state, &headers, body).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn chat(state: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, ApiError> {
    // 1. Only JSON, and not too much of it.
    if !is_json(headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the request as application/json.",
        ));
    }
    let bytes = to_bytes(body, state.max_body_bytes).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "The request is too large.",
        )
    })?;
    let input = parse_input(&bytes, headers)?;

    // 2. The service, once start-up has finished.
    let service = state.chat()?;
    let reply = tokio::time::timeout(state.request_timeout, service.handle(input))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "Careline is busy right now. Please send your message again.",
            )
        })??;

    let tag = ConversationTag(conversation_tag(&reply.conversation_id));
    let mut response = Json(reply).into_response();
    response.extensions_mut().insert(tag);
    Ok(response)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

fn parse_input(bytes: &[u8], headers: &HeaderMap) -> Result<ChatInput, ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| ApiError::invalid_json("The request body is not valid JSON."))?;
    let Value::Object(fields) = value else {
        return Err(ApiError::invalid_json(
            "The request body must be a JSON object.",
        ));
    };

    let token = optional_string(&fields, "conversation_token")?.or_else(|| bearer_token(headers));
    Ok(ChatInput {
        conversation_id: optional_string(&fields, "conversation_id")?,
        conversation_token: token,
        message: optional_string(&fields, "message")?.map(PatientText::new),
        choice: optional_string(&fields, "choice")?,
    })
}

/// A string field, or nothing when absent or null. The error names the
/// field, never its value.
fn optional_string(fields: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(ApiError::invalid_json(format!(
            "`{name}` must be a string."
        ))),
    }
}

pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|token| !token.is_empty())
}
