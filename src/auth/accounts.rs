//! Account administration: create, change, disable and reset staff
//! accounts. Admin rights are checked by the caller
//! ([`StaffSession::require_admin`](super::StaffSession::require_admin)).

use uuid::Uuid;

use super::password::{check_new_password, hash_password, temporary_password};
use super::{Account, AuthError, Role, StaffAuth, blocking, normalize_email};
use crate::store::{AccountChanges, NewAccount, StoreError, now_ms};

/// Longest name or email accepted.
const MAX_FIELD_CHARS: usize = 254;

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub departments: Vec<String>,
}

/// `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountUpdate {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub departments: Option<Vec<String>>,
    pub disabled: Option<bool>,
}

impl StaffAuth {
    pub async fn list_accounts(&self) -> Result<Vec<Account>, AuthError> {
        let accounts = self.db.list_accounts().await?;
        Ok(accounts.iter().map(Account::from).collect())
    }

    /// A new account with a temporary password, returned this once.
    pub async fn create_account(&self, new: NewStaff) -> Result<(Account, String), AuthError> {
        let password = temporary_password();
        let account = self.insert(new, &password, true).await?;
        Ok((account, password))
    }

    /// An account whose password its owner chose (`careline admin create`).
    pub async fn create_account_with_password(
        &self,
        new: NewStaff,
        password: &str,
    ) -> Result<Account, AuthError> {
        check_new_password(password, &new.email, None)?;
        self.insert(new, password, false).await
    }

    async fn insert(
        &self,
        new: NewStaff,
        password: &str,
        temporary: bool,
    ) -> Result<Account, AuthError> {
        let email = normalize_email(&new.email);
        if !looks_like_email(&email) {
            return Err(AuthError::invalid("email", "must be an email address"));
        }
        let name = checked_name(&new.name)?;
        self.check_departments(&new.departments)?;

        let password = password.to_owned();
        let password_hash = blocking(move || hash_password(&password)).await?;
        let id = Uuid::new_v4().to_string();
        let record = NewAccount {
            id: id.clone(),
            email,
            name,
            role: new.role.as_str().to_owned(),
            password_hash: password_hash.clone(),
            departments: new.departments,
        };
        let now = now_ms();
        match self.db.insert_account(&record, now).await {
            Err(StoreError::Duplicate) => return Err(AuthError::EmailTaken),
            other => other?,
        }
        if !temporary {
            self.db
                .set_password(&id, &password_hash, false, None, now)
                .await?;
        }
        tracing::info!(account = %id, role = new.role.as_str(), "staff account created");
        self.account(&id).await
    }

    /// Changes an account. An admin cannot disable or demote themselves,
    /// so a hospital never locks its last admin out by a slip, nor widen
    /// their own departments: seeing more patients' inquiries takes a
    /// second admin.
    pub async fn update_account(
        &self,
        actor: &Account,
        id: &str,
        update: AccountUpdate,
    ) -> Result<Account, AuthError> {
        if actor.id == id {
            let own_departments_change = update
                .departments
                .as_ref()
                .is_some_and(|departments| !same_set(departments, &actor.departments));
            let refused = if update.disabled == Some(true) {
                Some("disabled")
            } else if update.role == Some(Role::Staff) {
                Some("role")
            } else if own_departments_change {
                Some("departments")
            } else {
                None
            };
            if let Some(field) = refused {
                return Err(AuthError::invalid(
                    field,
                    "you cannot disable or demote your own account or change its departments; ask another admin",
                ));
            }
        }
        let name = update.name.as_deref().map(checked_name).transpose()?;
        if let Some(departments) = &update.departments {
            self.check_departments(departments)?;
        }

        let changes = AccountChanges {
            name,
            role: update.role.map(|role| role.as_str().to_owned()),
            departments: update.departments,
            disabled: update.disabled,
        };
        if !self.db.update_account(id, &changes, now_ms()).await? {
            return Err(AuthError::AccountNotFound);
        }
        tracing::info!(
            account = %id,
            by = %actor.id,
            role = ?changes.role,
            departments = ?changes.departments,
            disabled = ?changes.disabled,
            "staff account changed"
        );
        self.account(id).await
    }

    /// A lost authenticator or password: a new temporary password, and
    /// TOTP enrolment again at the next sign-in.
    pub async fn reset_account(&self, id: &str) -> Result<(Account, String), AuthError> {
        let password = temporary_password();
        let typed = password.clone();
        let hash = blocking(move || hash_password(&typed)).await?;

        if !self.db.reset_sign_in(id, &hash, now_ms()).await? {
            return Err(AuthError::AccountNotFound);
        }
        // The reset is how a locked-out member gets back in: lift the lock.
        let account = self.account(id).await?;
        self.db
            .clear_sign_in_failures(&super::normalize_email(&account.email))
            .await?;
        tracing::info!(account = %id, "staff sign-in reset");
        Ok((account, password))
    }

    async fn account(&self, id: &str) -> Result<Account, AuthError> {
        let record = self
            .db
            .account_by_id(id)
            .await?
            .ok_or(AuthError::AccountNotFound)?;
        Ok(Account::from(&record))
    }

    fn check_departments(&self, departments: &[String]) -> Result<(), AuthError> {
        match departments.iter().find(|d| !self.departments.contains(d)) {
            Some(unknown) => Err(AuthError::invalid(
                "departments",
                format!("`{unknown}` is not a department"),
            )),
            None => Ok(()),
        }
    }
}

fn checked_name(name: &str) -> Result<String, AuthError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_FIELD_CHARS {
        return Err(AuthError::invalid("name", "must be 1 to 254 characters"));
    }
    Ok(name.to_owned())
}

fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= MAX_FIELD_CHARS
        && !email.chars().any(char::is_whitespace)
}

/// The same departments, whatever their order.
fn same_set(a: &[String], b: &[String]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    a.dedup();
    b.sort();
    b.dedup();
    a == b
}
