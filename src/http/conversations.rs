//! `GET /api/conversations/{id}`: the transcript, for the holder of the
//! conversation's token or the signed-in patient it belongs to; and
//! `GET /api/my/conversations`, a signed-in patient's list.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::chat::bearer_token;
use super::error::{ApiError, ErrorBody};
use super::extract::QueryParams;
use super::patient::portal_patient;
use super::request_log::ConversationTag;
use crate::auth::{PortalError, token_matches};
use crate::chat::{TranscriptMessage, conversation_tag};
use crate::store::format_ms;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Transcript {
    conversation_id: String,
    messages: Vec<TranscriptMessage>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TranscriptQuery {
    /// Only messages with a larger `seq` (for polling).
    after: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyConversations {
    conversations: Vec<MyConversation>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyConversation {
    conversation_id: String,
    started_at: String,
    updated_at: String,
    /// Inquiries not yet resolved.
    open_inquiries: i64,
}

/// The transcript, or only what came after `?after=`.
#[utoipa::path(
    get,
    path = "/api/conversations/{id}",
    tag = "patients",
    params(
        ("id" = String, Path, description = "the conversation id"),
        TranscriptQuery,
        ("Authorization" = Option<String>, Header, description = "Bearer <conversation_token>"),
        ("X-Portal-Token" = Option<String>, Header, description = "the owner's portal token instead of the conversation token"),
    ),
    responses(
        (status = 200, body = Transcript),
        (status = 401, description = "a portal token that does not verify", body = ErrorBody),
        (status = 404, description = "conversation_not_found: unknown id, or neither token opens it", body = ErrorBody),
    )
)]
pub async fn get_conversation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<TranscriptQuery>,
    headers: HeaderMap,
) -> Response {
    match transcript(&state, &id, query.after.unwrap_or(0), &headers).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn transcript(
    state: &AppState,
    id: &str,
    after: i64,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let service = state.chat()?;
    let db = service.database();
    let patient = portal_patient(state, headers)?;

    // Unknown id, wrong token and someone else's conversation look the
    // same from outside.
    let conversation = db
        .find_conversation(id)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(ApiError::conversation_not_found)?;
    let by_token =
        bearer_token(headers).is_some_and(|t| token_matches(&t, &conversation.token_hash));
    let by_owner = match (&patient, &conversation.patient_subject) {
        (Some(patient), Some(subject)) => patient.subject == *subject,
        _ => false,
    };
    if !by_token && !by_owner {
        return Err(ApiError::conversation_not_found());
    }

    let messages = db
        .transcript_after(&conversation.id, after)
        .await
        .map_err(|e| ApiError::internal(&e))?
        .into_iter()
        .map(|record| TranscriptMessage::from_record(record, service.departments()))
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

/// A signed-in patient's conversations, from any device.
#[utoipa::path(
    get,
    path = "/api/my/conversations",
    tag = "patients",
    params(("X-Portal-Token" = String, Header, description = "the portal's signed patient token")),
    responses(
        (status = 200, body = MyConversations),
        (status = 401, description = "no portal token, or one that does not verify", body = ErrorBody),
    )
)]
pub async fn my_conversations(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let listed = async {
        let service = state.chat()?;
        let patient = portal_patient(&state, &headers)?.ok_or(PortalError::Invalid)?;

        let conversations = service
            .database()
            .conversations_of(&patient.subject)
            .await
            .map_err(|e| ApiError::internal(&e))?
            .into_iter()
            .map(|c| MyConversation {
                conversation_id: c.id,
                started_at: format_ms(c.created_at),
                updated_at: format_ms(c.updated_at),
                open_inquiries: c.open_inquiries,
            })
            .collect();
        Ok::<_, ApiError>(Json(MyConversations { conversations }).into_response())
    };
    listed.await.unwrap_or_else(IntoResponse::into_response)
}
