//! The HTTP transport: routes, the shared state, and serving with a
//! graceful shutdown. Handlers destructure and check requests, call the
//! chat service, and map results to JSON.

mod assets;
mod chat;
mod conversations;
mod error;
mod health;
mod request_log;
mod serve;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::chat::ChatService;
pub use assets::chat_page;
pub use error::ApiError;
pub use serve::{RunningServer, ServeError, serve, spawn};

/// What every handler can reach. The chat service appears once start-up
/// has finished; until then requests get 503 `not_ready`.
#[derive(Clone)]
pub struct AppState {
    chat: Arc<OnceLock<Arc<ChatService>>>,
    max_body_bytes: usize,
    request_timeout: Duration,
    /// The chat page, rendered once with the hospital's details.
    page: Arc<str>,
}

impl AppState {
    pub fn new(max_body_bytes: usize, request_timeout: Duration, page: String) -> Self {
        Self {
            chat: Arc::new(OnceLock::new()),
            max_body_bytes,
            request_timeout,
            page: page.into(),
        }
    }

    /// Makes the service available; later calls are ignored.
    pub fn set_ready(&self, service: Arc<ChatService>) {
        let _ = self.chat.set(service);
    }

    fn chat(&self) -> Result<&Arc<ChatService>, ApiError> {
        self.chat.get().ok_or_else(ApiError::not_ready)
    }
}

/// Every route, with the request log and security headers.
pub fn app(state: AppState) -> Router {
    // Answers hold patient text: no cache may keep them.
    let api = Router::new()
        .route("/api/chat", post(chat::post_chat))
        .route(
            "/api/conversations/{id}",
            get(conversations::get_conversation),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    Router::new()
        .merge(api)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(assets::web_file)
        .layer(middleware::from_fn(request_log::log_request))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; base-uri 'none'; form-action 'self'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .with_state(state)
}
