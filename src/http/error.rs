//! One JSON error envelope for every failure. Messages are fixed sentences:
//! nothing the client sent and nothing internal is ever echoed.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::chat::{BatchError, ChatError};
use crate::message::{MAX_MESSAGE_CHARS, MessageError};
use crate::store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400: the body is not the JSON the endpoint takes.
    pub fn invalid_json(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_json", message)
    }

    /// 404: unknown resource, or a token that does not open it.
    pub fn conversation_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "conversation_not_found",
            "No conversation matches this id and token.",
        )
    }

    /// 503: start-up has not finished.
    pub fn not_ready() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "Careline is starting up. Please try again in a minute.",
        )
    }

    /// 500: logged once here with its cause; the client learns nothing more.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Something went wrong on our side. Your message was not saved; please send it again.",
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

impl From<ChatError> for ApiError {
    fn from(error: ChatError) -> Self {
        match error {
            ChatError::Message(MessageError::Empty) => Self::new(
                StatusCode::BAD_REQUEST,
                "empty_text",
                "The message is empty. Please type your question.",
            ),
            ChatError::Message(MessageError::TooLong { .. }) => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "text_too_long",
                format!(
                    "The message is longer than {MAX_MESSAGE_CHARS} characters. \
                     Please shorten it or send it in parts."
                ),
            ),
            ChatError::Message(MessageError::ControlCharacter) => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_text",
                "The message contains a control character (such as NUL) that cannot be \
                 stored. Please remove it and send again.",
            ),
            ChatError::MissingMessage => Self::new(
                StatusCode::BAD_REQUEST,
                "missing_field",
                "The request needs a `message` (or a `choice`).",
            ),
            ChatError::ConversationNotFound => Self::conversation_not_found(),
            ChatError::InvalidChoice => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_choice",
                "That choice is not one of the options offered in this conversation. If your message is already with a team, they will reply here.",
            ),
            ChatError::Triage(BatchError::Stopped) => Self::not_ready(),
            ChatError::Triage(error @ BatchError::Triage(_)) => Self::internal(&error),
            ChatError::Store(StoreError::Conflict) => Self::new(
                StatusCode::CONFLICT,
                "conversation_busy",
                "Other messages in this conversation were being handled at the same time. \
                 Please send yours again.",
            ),
            ChatError::Store(error) => Self::internal(&error),
            ChatError::Knowledge(error) => Self::internal(&error),
        }
    }
}
