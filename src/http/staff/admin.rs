//! Account and canned-response administration (role `admin`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::session::Staff;
use crate::auth::{Account, AccountUpdate, NewStaff, Role};
use crate::http::AppState;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::JsonBody;
use crate::queue::Canned;

#[derive(Serialize, utoipa::ToSchema)]
pub struct AccountList {
    accounts: Vec<Account>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccountRequest {
    email: String,
    name: String,
    /// `staff` or `admin`.
    role: String,
    #[serde(default)]
    departments: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct IssuedAccount {
    account: Account,
    /// Shown once; the person replaces it at their first sign-in.
    temporary_password: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    name: Option<String>,
    role: Option<String>,
    departments: Option<Vec<String>>,
    disabled: Option<bool>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCanned {
    department: String,
    title: String,
    body: String,
}

fn role(text: &str) -> Result<Role, ApiError> {
    Role::parse(text).ok_or_else(|| ApiError::invalid_field("`role` must be staff or admin."))
}

#[utoipa::path(get, path = "/api/staff/admin/accounts", tag = "admin",
    responses(
        (status = 200, body = AccountList),
        (status = 403, description = "admin_only", body = ErrorBody),
    ))]
pub async fn accounts(
    State(state): State<AppState>,
    Staff(session): Staff,
) -> Result<Json<AccountList>, ApiError> {
    session.require_admin()?;
    let accounts = state.services()?.staff.list_accounts().await?;
    Ok(Json(AccountList { accounts }))
}

/// A new account with a one-time temporary password.
#[utoipa::path(post, path = "/api/staff/admin/accounts", tag = "admin",
    request_body = NewAccountRequest,
    responses(
        (status = 201, body = IssuedAccount),
        (status = 403, description = "admin_only, csrf_failed", body = ErrorBody),
        (status = 409, description = "email_taken", body = ErrorBody),
        (status = 422, description = "invalid_field", body = ErrorBody),
    ))]
pub async fn create_account(
    State(state): State<AppState>,
    Staff(session): Staff,
    JsonBody(request): JsonBody<NewAccountRequest>,
) -> Result<(StatusCode, Json<IssuedAccount>), ApiError> {
    session.require_admin()?;
    let new = NewStaff {
        email: request.email,
        name: request.name,
        role: role(&request.role)?,
        departments: request.departments,
    };

    let (account, temporary_password) = state.services()?.staff.create_account(new).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedAccount {
            account,
            temporary_password,
        }),
    ))
}

/// Name, role, departments, disabled: what is sent changes.
#[utoipa::path(patch, path = "/api/staff/admin/accounts/{id}", tag = "admin",
    params(("id" = String, Path)), request_body = AccountPatch,
    responses(
        (status = 200, body = Account),
        (status = 403, description = "admin_only, csrf_failed", body = ErrorBody),
        (status = 404, description = "account_not_found", body = ErrorBody),
        (status = 422, description = "invalid_field", body = ErrorBody),
    ))]
pub async fn update_account(
    State(state): State<AppState>,
    Staff(session): Staff,
    Path(id): Path<String>,
    JsonBody(patch): JsonBody<AccountPatch>,
) -> Result<Json<Account>, ApiError> {
    session.require_admin()?;
    let update = AccountUpdate {
        name: patch.name,
        role: patch.role.as_deref().map(role).transpose()?,
        departments: patch.departments,
        disabled: patch.disabled,
    };

    let account = state
        .services()?
        .staff
        .update_account(&session.account, &id, update)
        .await?;
    Ok(Json(account))
}

/// A lost authenticator: new temporary password, enrol again.
#[utoipa::path(post, path = "/api/staff/admin/accounts/{id}/reset", tag = "admin",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = IssuedAccount),
        (status = 403, description = "admin_only, csrf_failed", body = ErrorBody),
        (status = 404, description = "account_not_found", body = ErrorBody),
    ))]
pub async fn reset_account(
    State(state): State<AppState>,
    Staff(session): Staff,
    Path(id): Path<String>,
) -> Result<Json<IssuedAccount>, ApiError> {
    session.require_admin()?;
    if id == session.account.id {
        return Err(ApiError::invalid_field(
            "`id` is your own account; ask another admin to reset it.",
        ));
    }

    let (account, temporary_password) = state.services()?.staff.reset_account(&id).await?;
    Ok(Json(IssuedAccount {
        account,
        temporary_password,
    }))
}

#[utoipa::path(post, path = "/api/staff/admin/canned", tag = "admin",
    request_body = NewCanned,
    responses(
        (status = 201, body = Canned),
        (status = 403, description = "admin_only, csrf_failed", body = ErrorBody),
        (status = 404, description = "department_not_found", body = ErrorBody),
        (status = 422, description = "invalid_field", body = ErrorBody),
    ))]
pub async fn add_canned(
    State(state): State<AppState>,
    Staff(session): Staff,
    JsonBody(request): JsonBody<NewCanned>,
) -> Result<(StatusCode, Json<Canned>), ApiError> {
    session.require_admin()?;
    let canned = state
        .services()?
        .queues
        .add_canned(
            &session.account,
            &request.department,
            &request.title,
            &request.body,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(canned)))
}

#[utoipa::path(delete, path = "/api/staff/admin/canned/{id}", tag = "admin",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, description = "admin_only, csrf_failed", body = ErrorBody),
        (status = 404, description = "not_found", body = ErrorBody),
    ))]
pub async fn delete_canned(
    State(state): State<AppState>,
    Staff(session): Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    session.require_admin()?;
    state.services()?.queues.delete_canned(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
