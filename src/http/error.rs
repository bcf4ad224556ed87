//! One JSON error envelope for every failure. Messages are fixed sentences:
//! nothing the client sent and nothing internal is ever echoed.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use crate::chat::{BatchError, ChatError};
use crate::message::{MAX_MESSAGE_CHARS, MessageError};
use crate::store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Seconds, for `Retry-After` on 429.
    retry_after: Option<u64>,
}

/// The error envelope, as OpenAPI describes it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `text_too_long`, `invalid_credentials`, …
    code: String,
    /// A sentence for people; never repeats what was sent.
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 422: a field is missing or out of range; `message` names it.
    pub fn invalid_field(message: &str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message)
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
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        response
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

impl From<crate::auth::PortalError> for ApiError {
    fn from(error: crate::auth::PortalError) -> Self {
        use crate::auth::PortalError;
        match error {
            PortalError::Expired => Self::new(
                StatusCode::UNAUTHORIZED,
                "portal_token_expired",
                "Your portal sign-in has expired. Reload the portal page to sign in again.",
            ),
            PortalError::Invalid => Self::new(
                StatusCode::UNAUTHORIZED,
                "portal_token_invalid",
                "The portal sign-in could not be checked. Reload the portal page to sign in again.",
            ),
            PortalError::Disabled => Self::new(
                StatusCode::UNAUTHORIZED,
                "portal_sign_in_disabled",
                "Signing in through the portal is not set up here; chat without signing in.",
            ),
        }
    }
}

impl From<crate::auth::AuthError> for ApiError {
    fn from(error: crate::auth::AuthError) -> Self {
        use crate::auth::{AuthError, Stage};
        match error {
            AuthError::InvalidCredentials => Self::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "That email, password or code is not right.",
            ),
            AuthError::TooManyAttempts { retry_after_secs } => Self {
                retry_after: Some(retry_after_secs),
                ..Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    "Too many failed sign-ins. Wait a while before you try again.",
                )
            },
            AuthError::NotSignedIn => Self::new(
                StatusCode::UNAUTHORIZED,
                "not_signed_in",
                "You are not signed in, or your session has ended. Please sign in.",
            ),
            AuthError::WrongStage(Stage::Enrol) => Self::new(
                StatusCode::FORBIDDEN,
                "enrolment_required",
                "Set up your authenticator app first.",
            ),
            AuthError::WrongStage(Stage::ChangePassword) => Self::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "Choose your own password first.",
            ),
            AuthError::WrongStage(Stage::Ready) | AuthError::AdminOnly => Self::new(
                StatusCode::FORBIDDEN,
                "admin_only",
                "Only an admin can do this.",
            ),
            AuthError::WeakPassword(problem) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "weak_password",
                format!("The new password is not accepted: {problem}."),
            ),
            AuthError::InvalidField { field, problem } => {
                Self::invalid_field(&format!("`{field}` {problem}."))
            }
            AuthError::EmailTaken => Self::new(
                StatusCode::CONFLICT,
                "email_taken",
                "An account with this email exists already.",
            ),
            AuthError::AccountNotFound => Self::new(
                StatusCode::NOT_FOUND,
                "account_not_found",
                "There is no such account.",
            ),
            error @ (AuthError::Store(_) | AuthError::Sealing(_) | AuthError::Task(_)) => {
                Self::internal(&error)
            }
        }
    }
}

impl From<crate::queue::QueueError> for ApiError {
    fn from(error: crate::queue::QueueError) -> Self {
        use crate::queue::QueueError;
        match error {
            QueueError::InquiryNotFound => Self::new(
                StatusCode::NOT_FOUND,
                "inquiry_not_found",
                "There is no such inquiry in your departments.",
            ),
            QueueError::DepartmentNotFound => Self::new(
                StatusCode::NOT_FOUND,
                "department_not_found",
                "That is not one of your departments.",
            ),
            QueueError::CannedNotFound => Self::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "There is no such canned response.",
            ),
            QueueError::AlreadyClaimed => Self::new(
                StatusCode::CONFLICT,
                "already_claimed",
                "Someone else is working on this inquiry.",
            ),
            QueueError::InvalidTransition(why) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_transition",
                format!("Not possible now: {why}."),
            ),
            QueueError::InvalidField { field, problem } => {
                Self::invalid_field(&format!("`{field}` {problem}."))
            }
            QueueError::Store(error) => Self::internal(&error),
        }
    }
}
