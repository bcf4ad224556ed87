//! `POST /api/chat`: parse and check the body by hand, so that every
//! failure gets our JSON error and none echoes what the patient wrote.

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::AppState;
use super::error::{ApiError, ErrorBody};
use super::extract::is_json;
use super::patient::portal_patient;
use super::request_log::ConversationTag;
use crate::chat::{ChatInput, ChatReply, conversation_tag};
use crate::redact::PatientText;

/// The body of `POST /api/chat` (parsed by hand; this type documents it).
#[derive(Deserialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "documents the body for OpenAPI; parse_input reads it"
)]
pub struct ChatRequest {
    /// Absent on the first message.
    conversation_id: Option<String>,
    /// Or `Authorization: Bearer <token>`.
    conversation_token: Option<String>,
    /// What the patient typed, 1 to 5,000 characters.
    message: Option<String>,
    /// A suggestion's `choice`, or `person`.
    choice: Option<String>,
}

/// A patient message in, one reply out.
#[utoipa::path(
    post,
    path = "/api/chat",
    tag = "patients",
    request_body = ChatRequest,
    params(("X-Portal-Token" = Option<String>, Header, description = "the portal's signed patient token")),
    responses(
        (status = 200, description = "the reply", body = ChatReply),
        (status = 400, description = "invalid_json, missing_field, empty_text, invalid_text", body = ErrorBody),
        (status = 401, description = "portal_token_expired, portal_token_invalid, portal_sign_in_disabled", body = ErrorBody),
        (status = 404, description = "conversation_not_found", body = ErrorBody),
        (status = 409, description = "conversation_busy", body = ErrorBody),
        (status = 413, description = "text_too_long, body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_choice", body = ErrorBody),
        (status = 503, description = "not_ready, timeout", body = ErrorBody),
    )
)]
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
    let mut input = parse_input(&bytes, headers)?;
    input.patient = portal_patient(state, headers)?;

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
        patient: None,
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
