//! One INFO line per request: method, matched route (never the raw URI,
//! which may hold an id), status, duration and a conversation tag.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// Set on a response by handlers that know the conversation; see
/// [`crate::chat::conversation_tag`].
#[derive(Debug, Clone)]
pub struct ConversationTag(pub String);

pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());

    let response = next.run(request).await;

    let conversation = response
        .extensions()
        .get::<ConversationTag>()
        .map_or("-", |tag| tag.0.as_str());
    tracing::info!(
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        duration_ms = started.elapsed().as_millis() as u64,
        conversation,
        "request"
    );
    response
}
