//! Who is asking: staff sign-in (Argon2id passwords, TOTP, recovery codes,
//! sessions, lockout), accounts and roles, and patients vouched for by the
//! host portal's signed token.

mod accounts;
mod enrolment;
mod password;
mod portal;
mod recovery;
mod sealing;
mod sign_in;
mod token;
mod totp;

use serde::Serialize;

pub use accounts::{AccountUpdate, NewStaff};
pub use enrolment::Enrolment;
pub use password::{PasswordProblem, check_new_password, hash_password, temporary_password};
pub use portal::{PortalError, PortalPatient, PortalSetupError, PortalVerifier};
pub use sealing::{SealingError, SealingKey};
pub use sign_in::{SignedIn, StaffAuth, StaffSession};
pub use token::{hash_token, new_token, token_matches};
pub use totp::{TotpSecret, qr_svg};

use crate::store::{AccountRecord, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Staff,
    Admin,
}

impl Role {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "staff" => Some(Self::Staff),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Admin => "admin",
        }
    }
}

/// How far a session has come: a new account enrols TOTP first, then
/// replaces the password it was given; only then may it work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Enrol,
    ChangePassword,
    Ready,
}

/// A staff account as the API shows it (never its secrets).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub departments: Vec<String>,
    pub disabled: bool,
    pub mfa_enrolled: bool,
}

impl Account {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn works_in(&self, department: &str) -> bool {
        self.departments.iter().any(|d| d == department)
    }
}

impl From<&AccountRecord> for Account {
    fn from(record: &AccountRecord) -> Self {
        Self {
            id: record.id.clone(),
            email: record.email.clone(),
            name: record.name.clone(),
            role: Role::parse(&record.role).unwrap_or(Role::Staff),
            departments: record.departments.clone(),
            disabled: record.disabled_at.is_some(),
            mfa_enrolled: record.totp_secret.is_some(),
        }
    }
}

fn stage_of(record: &AccountRecord) -> Stage {
    if record.totp_secret.is_none() {
        Stage::Enrol
    } else if record.password_temporary {
        Stage::ChangePassword
    } else {
        Stage::Ready
    }
}

/// Emails compare without case or surrounding space.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("wrong email, password or code")]
    InvalidCredentials,
    #[error("too many failed sign-ins")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("not signed in")]
    NotSignedIn,
    #[error("the session has not finished {0:?}")]
    WrongStage(Stage),
    #[error("admins only")]
    AdminOnly,
    #[error(transparent)]
    WeakPassword(#[from] PasswordProblem),
    #[error("`{field}`: {problem}")]
    InvalidField {
        field: &'static str,
        problem: String,
    },
    #[error("an account has this email")]
    EmailTaken,
    #[error("no such account")]
    AccountNotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sealing(#[from] SealingError),
    #[error("a background task stopped: {0}")]
    Task(String),
}

impl AuthError {
    pub fn invalid(field: &'static str, problem: impl Into<String>) -> Self {
        Self::InvalidField {
            field,
            problem: problem.into(),
        }
    }
}

/// Argon2 takes tens of milliseconds of CPU: off the async runtime.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AuthError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AuthError::Task(e.to_string()))
}
