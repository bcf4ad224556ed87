//! Liveness and readiness for load balancers and orchestrators.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;

/// The process is up and serving.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "`{\"status\": \"ok\"}`")))]
pub async fn healthz() -> Response {
    Json(json!({"status": "ok"})).into_response()
}

/// Start-up has finished and the database answers.
#[utoipa::path(get, path = "/readyz", tag = "service",
    responses(
        (status = 200, description = "`{\"ready\": true}`"),
        (status = 503, description = "`{\"ready\": false, \"reason\": \"starting\" | \"database\"}`"),
    ))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let Ok(service) = state.chat() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"ready": false, "reason": "starting"})),
        )
            .into_response();
    };

    match service.database().ping().await {
        Ok(()) => Json(json!({"ready": true})).into_response(),
        Err(error) => {
            tracing::warn!(error = %error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"ready": false, "reason": "database"})),
            )
                .into_response()
        }
    }
}
