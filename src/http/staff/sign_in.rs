//! Signing in and out, TOTP enrolment, and password changes.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};

use super::session::{Staff, cleared_cookie, same_origin, session_cookie};
use crate::auth::{Account, StaffSession, Stage};
use crate::http::AppState;
use crate::http::client::ClientAddr;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::JsonBody;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    email: String,
    password: String,
    /// The 6-digit authenticator code, or a recovery code; may be left
    /// out only before the account has enrolled.
    #[serde(default)]
    code: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// `enrol`, `change_password` or `ready`.
    next: Stage,
    /// Send it back as `X-CSRF-Token` on every POST, PATCH and DELETE.
    csrf_token: String,
    account: Account,
}

impl From<StaffSession> for SessionView {
    fn from(session: StaffSession) -> Self {
        Self {
            next: session.stage,
            csrf_token: session.csrf_token,
            account: session.account,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EnrolmentView {
    /// Base32, for typing into an app.
    secret: String,
    otpauth_url: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    code: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EnrolledView {
    next: Stage,
    /// Shown this once.
    recovery_codes: Vec<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    current_password: String,
    new_password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NextView {
    next: Stage,
}

/// Password and second factor in one step, so a failure never says
/// which part was wrong.
#[utoipa::path(
    post,
    path = "/api/staff/sign-in",
    tag = "staff",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "signed in; sets the `careline_session` cookie", body = SessionView),
        (status = 401, description = "invalid_credentials", body = ErrorBody),
        (status = 403, description = "csrf_failed: a foreign Origin", body = ErrorBody),
        (status = 429, description = "too_many_attempts (Retry-After)", body = ErrorBody),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    jar: CookieJar,
    JsonBody(request): JsonBody<SignInRequest>,
) -> Result<Response, ApiError> {
    same_origin(&headers)?;
    if state.sign_in_limiter.check_key(&ip).is_err() {
        tracing::warn!("sign-in rate limit reached for a client address");
        return Err(crate::auth::AuthError::TooManyAttempts {
            retry_after_secs: 60,
        }
        .into());
    }
    let staff = &state.services()?.staff;

    let signed_in = staff
        .sign_in(&request.email, &request.password, request.code.as_deref())
        .await?;

    let jar = jar.add(session_cookie(signed_in.cookie_token, &state, &headers));
    Ok((jar, Json(SessionView::from(signed_in.session))).into_response())
}

/// Who is signed in, their stage and CSRF token.
#[utoipa::path(
    get,
    path = "/api/staff/session",
    tag = "staff",
    responses(
        (status = 200, body = SessionView),
        (status = 401, description = "not_signed_in", body = ErrorBody),
    )
)]
pub async fn current_session(Staff(session): Staff) -> Json<SessionView> {
    Json(SessionView::from(session))
}

#[utoipa::path(
    post,
    path = "/api/staff/sign-out",
    tag = "staff",
    responses(
        (status = 204, description = "signed out; the cookie is cleared"),
        (status = 401, description = "not_signed_in", body = ErrorBody),
        (status = 403, description = "csrf_failed", body = ErrorBody),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Staff(session): Staff,
) -> Result<Response, ApiError> {
    state.services()?.staff.sign_out(&session).await?;

    let jar = jar.add(cleared_cookie(&state, &headers));
    Ok((StatusCode::NO_CONTENT, jar).into_response())
}

/// The secret to enrol (stage `enrol`): the same until a code proves it.
#[utoipa::path(
    get,
    path = "/api/staff/enrolment",
    tag = "staff",
    responses(
        (status = 200, body = EnrolmentView),
        (status = 401, description = "not_signed_in", body = ErrorBody),
        (status = 422, description = "invalid_field: enrolled already", body = ErrorBody),
    )
)]
pub async fn enrolment(
    State(state): State<AppState>,
    Staff(session): Staff,
) -> Result<Json<EnrolmentView>, ApiError> {
    let enrolment = state.services()?.staff.enrolment(&session).await?;

    Ok(Json(EnrolmentView {
        secret: enrolment.secret_base32,
        otpauth_url: enrolment.otpauth_url,
    }))
}

/// The enrolment link as a QR code.
#[utoipa::path(
    get,
    path = "/api/staff/enrolment/qr.svg",
    tag = "staff",
    responses(
        (status = 200, description = "image/svg+xml", content_type = "image/svg+xml", body = String),
        (status = 401, description = "not_signed_in", body = ErrorBody),
    )
)]
pub async fn enrolment_qr(
    State(state): State<AppState>,
    Staff(session): Staff,
) -> Result<Response, ApiError> {
    let enrolment = state.services()?.staff.enrolment(&session).await?;

    let svg = crate::auth::qr_svg(&enrolment.otpauth_url);
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// A code from the app finishes enrolment; recovery codes come back once.
#[utoipa::path(
    post,
    path = "/api/staff/enrolment",
    tag = "staff",
    request_body = CodeRequest,
    responses(
        (status = 200, body = EnrolledView),
        (status = 401, description = "invalid_credentials: wrong code", body = ErrorBody),
        (status = 403, description = "csrf_failed", body = ErrorBody),
    )
)]
pub async fn finish_enrolment(
    State(state): State<AppState>,
    Staff(session): Staff,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<Json<EnrolledView>, ApiError> {
    let (recovery_codes, next) = state
        .services()?
        .staff
        .finish_enrolment(&session, &request.code)
        .await?;

    Ok(Json(EnrolledView {
        next,
        recovery_codes,
    }))
}

/// A new password; every other session of the account ends.
#[utoipa::path(
    post,
    path = "/api/staff/password",
    tag = "staff",
    request_body = PasswordRequest,
    responses(
        (status = 200, body = NextView),
        (status = 401, description = "invalid_credentials: the current password is wrong", body = ErrorBody),
        (status = 403, description = "csrf_failed, enrolment_required", body = ErrorBody),
        (status = 422, description = "weak_password", body = ErrorBody),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    Staff(session): Staff,
    JsonBody(request): JsonBody<PasswordRequest>,
) -> Result<Json<NextView>, ApiError> {
    let next = state
        .services()?
        .staff
        .change_password(&session, &request.current_password, &request.new_password)
        .await?;

    Ok(Json(NextView { next }))
}
