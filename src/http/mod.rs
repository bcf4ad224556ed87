//! The HTTP transport: routes, the shared state, and serving with a
//! graceful shutdown. Handlers destructure and check requests, call the
//! chat service, and map results to JSON.

mod assets;
mod chat;
mod client;
mod conversations;
mod error;
mod extract;
mod health;
mod openapi;
mod patient;
mod request_log;
mod serve;
mod staff;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::{PortalVerifier, StaffAuth};
use crate::chat::ChatService;
use crate::config::CookieSecurity;
use crate::queue::QueueService;
pub use assets::chat_page;
pub use error::ApiError;
pub use openapi::openapi_document;
pub use serve::{RunningServer, ServeError, serve, spawn};

/// What start-up hands the HTTP layer once everything has loaded.
pub struct Ready {
    pub chat: Arc<ChatService>,
    pub staff: Arc<StaffAuth>,
    pub queues: Arc<QueueService>,
    pub portal: Arc<PortalVerifier>,
}

/// What every handler can reach. The services appear once start-up has
/// finished; until then requests get 503 `not_ready`.
#[derive(Clone)]
pub struct AppState {
    ready: Arc<OnceLock<Ready>>,
    max_body_bytes: usize,
    request_timeout: Duration,
    /// The chat page, rendered once with the hospital's details.
    page: Arc<str>,
    /// Sign-in attempts per client address.
    sign_in_limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    secure_cookies: CookieSecurity,
}

impl AppState {
    pub fn new(
        max_body_bytes: usize,
        request_timeout: Duration,
        page: String,
        sign_in_per_minute: u32,
        secure_cookies: CookieSecurity,
    ) -> Self {
        let per_minute = NonZeroU32::new(sign_in_per_minute).unwrap_or(NonZeroU32::MIN);
        Self {
            ready: Arc::new(OnceLock::new()),
            max_body_bytes,
            request_timeout,
            page: page.into(),
            sign_in_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            secure_cookies,
        }
    }

    /// Makes the services available; later calls are ignored.
    pub fn set_ready(&self, ready: Ready) {
        let _ = self.ready.set(ready);
    }

    pub fn is_ready(&self) -> bool {
        self.ready.get().is_some()
    }

    fn services(&self) -> Result<&Ready, ApiError> {
        self.ready.get().ok_or_else(ApiError::not_ready)
    }

    fn chat(&self) -> Result<&Arc<ChatService>, ApiError> {
        self.services().map(|ready| &ready.chat)
    }
}

/// Every route, with the request log and security headers.
pub fn app(state: AppState) -> Router {
    // Answers hold patient text: no cache may keep them.
    let (api, _document) = openapi::api_router().split_for_parts();
    let api = api.layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ));

    Router::new()
        .merge(api)
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
