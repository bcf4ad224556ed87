//! The staff session behind each console call: the cookie, the CSRF
//! header on every state-changing call, and a same-origin check.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use subtle::ConstantTimeEq;

use crate::auth::{AuthError, StaffSession};
use crate::config::CookieSecurity;
use crate::http::AppState;
use crate::http::error::ApiError;

pub const SESSION_COOKIE: &str = "careline_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in staff member (any stage; handlers check the stage).
pub struct Staff(pub StaffSession);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let services = state.services()?;
        same_origin(&parts.headers)?;

        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(SESSION_COOKIE)
            .map(|cookie| cookie.value().to_owned())
            .ok_or(AuthError::NotSignedIn)?;
        let session = services.staff.session(&token).await?;

        if changes_state(&parts.method) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("");
            if !bool::from(sent.as_bytes().ct_eq(session.csrf_token.as_bytes())) {
                return Err(csrf_failed());
            }
        }
        Ok(Self(session))
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser names the page a request came from in `Origin`; one from
/// another host is refused. (Clients that send no `Origin` are not
/// browsers acting for a foreign page.)
pub fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|origin| origin.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    match (origin_host, host) {
        (Some(origin), Some(host)) if origin.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(csrf_failed()),
    }
}

fn csrf_failed() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "csrf_failed",
        "This request did not come from a Careline page. Reload the page and try again.",
    )
}

/// The session cookie: HttpOnly, SameSite=Strict, Secure over TLS.
pub fn session_cookie(token: String, state: &AppState, headers: &HeaderMap) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(secure(state, headers))
        .build()
}

pub fn cleared_cookie(state: &AppState, headers: &HeaderMap) -> Cookie<'static> {
    let mut cookie = session_cookie(String::new(), state, headers);
    cookie.make_removal();
    cookie
}

/// TLS ends at a proxy in most deployments; it says so in
/// `X-Forwarded-Proto`.
fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    match state.secure_cookies {
        CookieSecurity::Always => true,
        CookieSecurity::Never => false,
        CookieSecurity::Auto => headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https")),
    }
}
