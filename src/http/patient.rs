//! The portal's signed patient token, from the `X-Portal-Token` header.

use axum::http::HeaderMap;

use super::AppState;
use super::error::ApiError;
use crate::auth::PortalPatient;

pub const PORTAL_TOKEN_HEADER: &str = "x-portal-token";

/// The signed-in patient, `None` for an anonymous visitor; a token that
/// does not verify is a 401, never silently anonymous.
pub fn portal_patient(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<PortalPatient>, ApiError> {
    let Some(value) = headers.get(PORTAL_TOKEN_HEADER) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .map_err(|_| ApiError::from(crate::auth::PortalError::Invalid))?
        .trim();
    if token.is_empty() {
        return Ok(None);
    }
    let portal = &state.services()?.portal;
    Ok(Some(portal.verify(token)?))
}
