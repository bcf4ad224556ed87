//! Working the queues: list, open, claim, reply, note, transfer,
//! resolve, reopen. Every call needs a `ready` session; an inquiry outside
//! the caller's departments is a 404.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::session::Staff;
use crate::chat::TranscriptMessage;
use crate::http::AppState;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{JsonBody, QueryParams};
use crate::queue::{Canned, DepartmentInfo, InquiryDetail, InquirySummary, Note};
use crate::store::StatusFilter;

#[derive(Serialize, utoipa::ToSchema)]
pub struct DepartmentList {
    departments: Vec<DepartmentInfo>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// One of your departments; all of them when absent.
    department: Option<String>,
    /// `active` (default), `open`, `claimed` or `resolved`.
    status: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct InquiryList {
    inquiries: Vec<InquirySummary>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextRequest {
    text: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    department: String,
    reason: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CannedQuery {
    department: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CannedList {
    canned: Vec<Canned>,
}

/// The session, if it may work the queues.
fn ready(staff: &Staff) -> Result<&crate::auth::Account, ApiError> {
    staff.0.require_ready()?;
    Ok(&staff.0.account)
}

/// Every department (for transfers); `mine` marks the caller's.
#[utoipa::path(get, path = "/api/staff/departments", tag = "queues",
    responses((status = 200, body = DepartmentList), (status = 401, body = ErrorBody)))]
pub async fn departments(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<DepartmentList>, ApiError> {
    let account = ready(&staff)?;
    let departments = state.services()?.queues.departments(account);
    Ok(Json(DepartmentList { departments }))
}

/// Urgent first, then oldest first.
#[utoipa::path(get, path = "/api/staff/queue", tag = "queues", params(QueueQuery),
    responses(
        (status = 200, body = InquiryList),
        (status = 401, body = ErrorBody),
        (status = 404, description = "department_not_found", body = ErrorBody),
        (status = 422, description = "invalid_field: status", body = ErrorBody),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(query): QueryParams<QueueQuery>,
) -> Result<Json<InquiryList>, ApiError> {
    let account = ready(&staff)?;
    let filter = match query.status.as_deref().unwrap_or("active") {
        "active" => StatusFilter::Active,
        "open" => StatusFilter::Open,
        "claimed" => StatusFilter::Claimed,
        "resolved" => StatusFilter::Resolved,
        _ => {
            return Err(ApiError::invalid_field(
                "`status` must be active, open, claimed or resolved.",
            ));
        }
    };

    let inquiries = state
        .services()?
        .queues
        .list(account, query.department.as_deref(), filter)
        .await?;
    Ok(Json(InquiryList { inquiries }))
}

/// One inquiry with its conversation, notes and history.
#[utoipa::path(get, path = "/api/staff/inquiries/{id}", tag = "queues",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = InquiryDetail),
        (status = 404, description = "inquiry_not_found", body = ErrorBody),
    ))]
pub async fn inquiry(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<InquiryDetail>, ApiError> {
    let account = ready(&staff)?;
    Ok(Json(state.services()?.queues.detail(account, &id).await?))
}

/// Exactly one of two people claiming at once wins.
#[utoipa::path(post, path = "/api/staff/inquiries/{id}/claim", tag = "queues",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = InquirySummary),
        (status = 404, description = "inquiry_not_found", body = ErrorBody),
        (status = 409, description = "already_claimed", body = ErrorBody),
        (status = 422, description = "invalid_transition", body = ErrorBody),
    ))]
pub async fn claim(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<InquirySummary>, ApiError> {
    let account = ready(&staff)?;
    Ok(Json(state.services()?.queues.claim(account, &id).await?))
}

#[utoipa::path(post, path = "/api/staff/inquiries/{id}/release", tag = "queues",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = InquirySummary),
        (status = 404, description = "inquiry_not_found", body = ErrorBody),
        (status = 409, description = "already_claimed", body = ErrorBody),
        (status = 422, description = "invalid_transition", body = ErrorBody),
    ))]
pub async fn release(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<InquirySummary>, ApiError> {
    let account = ready(&staff)?;
    Ok(Json(state.services()?.queues.release(account, &id).await?))
}

/// A reply the patient sees in the widget.
#[utoipa::path(post, path = "/api/staff/inquiries/{id}/reply", tag = "queues",
    params(("id" = String, Path)), request_body = TextRequest,
    responses(
        (status = 201, body = TranscriptMessage),
        (status = 404, description = "inquiry_not_found", body = ErrorBody),
        (status = 409, description = "already_claimed", body = ErrorBody),
        (status = 422, description = "invalid_field, invalid_transition", body = ErrorBody),
    ))]
pub async fn reply(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<TextRequest>,
) -> Result<(StatusCode, Json<TranscriptMessage>), ApiError> {
    let account = ready(&staff)?;
    let message = state
        .services()?
        .queues
        .reply(account, &id, &request.text)
        .await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// An internal note: staff only, never in the patient's transcript.
#[utoipa::path(post, path = "/api/staff/inquiries/{id}/notes", tag = "queues",
    params(("id" = String, Path)), request_body = TextRequest,
    responses(
        (status = 201, body = Note),
        (status = 404, description = "inquiry_not_found", body = ErrorBody),
        (status = 422, description = "invalid_field", body = ErrorBody),
    ))]
pub async fn note(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<TextRequest>,
) -> Result<(StatusCode, Json<Note>), ApiError> {
    let account = ready(&staff)?;
    let note = state
        .services()?
        .queues
        .note(account, &id, &request.text)
        .await?;
    Ok((StatusCode::CREATED, Json(note)))
}

/// To another department, with a reason kept as a routing correction.
#[utoipa::path(post, path = "/api/staff/inquiries/{id}/transfer", tag = "queues",
    params(("id" = String, Path)), request_body = TransferRequest,
    responses(
        (status = 200, body = InquirySummary),
        (status = 404, description = "inquiry_not_found", body = ErrorBody),
        (status = 409, description = "already_claimed", body = ErrorBody),
        (status = 422, description = "invalid_field, invalid_transition", body = ErrorBody),
    ))]
pub async fn transfer(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<TransferRequest>,
) -> Result<Json<InquirySummary>, ApiError> {
    let account = ready(&staff)?;
    let moved = state
        .services()?
        .queues
        .transfer(account, &id, &request.department, &request.reason)
        .await?;
    Ok(Json(moved))
}

#[utoipa::path(post, path = "/api/staff/inquiries/{id}/resolve", tag = "queues",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = InquirySummary),
        (status = 404, description = "inquiry_not_found", body = ErrorBody),
        (status = 409, description = "already_claimed", body = ErrorBody),
        (status = 422, description = "invalid_transition", body = ErrorBody),
    ))]
pub async fn resolve(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<InquirySummary>, ApiError> {
    let account = ready(&staff)?;
    Ok(Json(state.services()?.queues.resolve(account, &id).await?))
}

#[utoipa::path(post, path = "/api/staff/inquiries/{id}/reopen", tag = "queues",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = InquirySummary),
        (status = 404, description = "inquiry_not_found", body = ErrorBody),
        (status = 422, description = "invalid_transition", body = ErrorBody),
    ))]
pub async fn reopen(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<InquirySummary>, ApiError> {
    let account = ready(&staff)?;
    Ok(Json(state.services()?.queues.reopen(account, &id).await?))
}

/// A department's canned responses.
#[utoipa::path(get, path = "/api/staff/canned", tag = "queues", params(CannedQuery),
    responses(
        (status = 200, body = CannedList),
        (status = 404, description = "department_not_found", body = ErrorBody),
    ))]
pub async fn canned(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(query): QueryParams<CannedQuery>,
) -> Result<Json<CannedList>, ApiError> {
    let account = ready(&staff)?;
    let canned = state
        .services()?
        .queues
        .canned(account, &query.department)
        .await?;
    Ok(Json(CannedList { canned }))
}
