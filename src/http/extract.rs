//! Body and query extractors whose failures use our error envelope and
//! never repeat what was sent: a message names the field, not its value.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::ApiError;

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the request as application/json.",
            ));
        }
        // A client that sends part of a body and stops must not hold the
        // connection (and a worker) for ever.
        let read = axum::body::to_bytes(request.into_body(), state.max_body_bytes);
        let bytes = tokio::time::timeout(state.request_timeout, read)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "body_timeout",
                    "The request body did not arrive in time.",
                )
            })?
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "The request is too large.",
                )
            })?;
        parse(&bytes).map(JsonBody)
    }
}

/// Query parameters, with a 422 naming the parameter when one is wrong.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(query)
            .map(QueryParams)
            .map_err(|error| {
                field_error(&error.to_string(), "A query parameter has the wrong value.")
            })
    }
}

pub fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

fn parse<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|_| ApiError::invalid_json("The request body is not valid JSON."))?;
    if !value.is_object() {
        return Err(ApiError::invalid_json(
            "The request body must be a JSON object.",
        ));
    }

    serde_json::from_value(value)
        .map_err(|error| field_error(&error.to_string(), "A field has the wrong type or value."))
}

/// serde's own text may quote the value sent; keep only a field name it
/// puts in backticks.
fn field_error(text: &str, otherwise: &str) -> ApiError {
    let field = text.split('`').nth(1).filter(|name| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    match field {
        Some(field) if text.starts_with("missing field") => {
            ApiError::invalid_field(&format!("`{field}` is required."))
        }
        Some(field) if text.starts_with("unknown field") => {
            ApiError::invalid_field(&format!("`{field}` is not a field of this request."))
        }
        _ => ApiError::invalid_field(otherwise),
    }
}
