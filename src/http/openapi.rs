//! Every route is registered through `utoipa-axum`, so the OpenAPI
//! document served at `/api/openapi.json` lists each endpoint the router
//! serves: a route cannot exist without its documentation.

use std::sync::{Arc, OnceLock};

use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppState, chat, conversations, health, staff};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Careline",
        description = "Patient-portal assistant: the patient chat, and the staff console's queues. \
                       Errors share one envelope, `{\"error\": {\"code\", \"message\"}}`; see docs/API.md.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    modifiers(&Security),
    tags(
        (name = "patients", description = "The chat widget: messages, transcripts, portal sign-in"),
        (name = "staff", description = "Staff sign-in, MFA enrolment, passwords"),
        (name = "queues", description = "Department queues and inquiries"),
        (name = "admin", description = "Accounts and canned responses (role admin)"),
        (name = "service", description = "Health, readiness and this document"),
    )
)]
struct ApiDoc;

/// The cookie and header schemes the staff API uses.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(staff::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-CSRF-Token"))),
        );
        components.add_security_scheme(
            "portal",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Portal-Token"))),
        );
    }
}

/// Every JSON route, each with its documentation.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(chat::post_chat))
        .routes(routes!(conversations::get_conversation))
        .routes(routes!(conversations::my_conversations))
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(openapi_json))
        .merge(staff::router())
}

/// The document, built once from the router itself.
pub fn openapi_document() -> Arc<utoipa::openapi::OpenApi> {
    static DOCUMENT: OnceLock<Arc<utoipa::openapi::OpenApi>> = OnceLock::new();
    Arc::clone(DOCUMENT.get_or_init(|| Arc::new(api_router().into_openapi())))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "service",
    responses((status = 200, description = "the OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document().as_ref().clone())
}
