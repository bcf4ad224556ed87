//! Staff accounts, their departments, TOTP state, recovery codes, and the
//! failed sign-ins counted per email.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Database, StoreError, is_unique_violation};

const ACCOUNT_COLUMNS: &str = "id, email, name, role, password_hash, password_temporary, \
     totp_secret, totp_pending, totp_last_step, disabled_at";

#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub password_temporary: bool,
    /// Sealed; `None` until enrolment ends.
    pub totp_secret: Option<String>,
    /// Sealed; the secret offered during enrolment.
    pub totp_pending: Option<String>,
    pub totp_last_step: i64,
    pub disabled_at: Option<i64>,
    pub departments: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub departments: Vec<String>,
}

/// What changes in an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub role: Option<String>,
    pub departments: Option<Vec<String>>,
    pub disabled: Option<bool>,
}

fn account(row: &AnyRow) -> AccountRecord {
    AccountRecord {
        id: row.get(0),
        email: row.get(1),
        name: row.get(2),
        role: row.get(3),
        password_hash: row.get(4),
        password_temporary: row.get::<i64, _>(5) != 0,
        totp_secret: row.get(6),
        totp_pending: row.get(7),
        totp_last_step: row.get(8),
        disabled_at: row.get(9),
        departments: Vec::new(),
    }
}

impl Database {
    /// Creates an account with a temporary password; `Duplicate` when the
    /// email is taken.
    pub async fn insert_account(&self, new: &NewAccount, at_ms: i64) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;

        let inserted = sqlx::query(
            "INSERT INTO staff_accounts (id, email, name, role, password_hash, \
             password_temporary, totp_last_step, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 1, 0, $6, $6)",
        )
        .bind(&new.id)
        .bind(&new.email)
        .bind(&new.name)
        .bind(&new.role)
        .bind(&new.password_hash)
        .bind(at_ms)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(error) if is_unique_violation(&error) => return Err(StoreError::Duplicate),
            other => other?,
        };
        for department in &new.departments {
            sqlx::query("INSERT INTO staff_departments (account_id, department) VALUES ($1, $2)")
                .bind(&new.id)
                .bind(department)
                .execute(&mut *tx)
                .await?;
        }

        tx.commit().await?;
        Ok(())
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE email = $1");
        let row = sqlx::query(&sql)
            .bind(email)
            .fetch_optional(self.pool())
            .await?;
        self.with_departments(row.as_ref().map(account)).await
    }

    pub async fn account_by_id(&self, id: &str) -> Result<Option<AccountRecord>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        self.with_departments(row.as_ref().map(account)).await
    }

    pub async fn list_accounts(&self) -> Result<Vec<AccountRecord>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts ORDER BY name, email");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        let mut accounts: Vec<AccountRecord> = rows.iter().map(account).collect();

        let pairs =
            sqlx::query("SELECT account_id, department FROM staff_departments ORDER BY department")
                .fetch_all(self.pool())
                .await?;
        for pair in pairs {
            let (owner, department): (String, String) = (pair.get(0), pair.get(1));
            if let Some(account) = accounts.iter_mut().find(|a| a.id == owner) {
                account.departments.push(department);
            }
        }
        Ok(accounts)
    }

    pub async fn count_accounts(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM staff_accounts")
            .fetch_one(self.pool())
            .await?
            .get(0))
    }

    async fn with_departments(
        &self,
        account: Option<AccountRecord>,
    ) -> Result<Option<AccountRecord>, StoreError> {
        let Some(mut account) = account else {
            return Ok(None);
        };
        account.departments = sqlx::query(
            "SELECT department FROM staff_departments WHERE account_id = $1 ORDER BY department",
        )
        .bind(&account.id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
        Ok(Some(account))
    }

    /// Applies `changes`; disabling also ends every session of the account.
    pub async fn update_account(
        &self,
        id: &str,
        changes: &AccountChanges,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;

        let touched = sqlx::query(
            "UPDATE staff_accounts SET name = COALESCE($1, name), role = COALESCE($2, role), \
             updated_at = $3 WHERE id = $4",
        )
        .bind(&changes.name)
        .bind(&changes.role)
        .bind(at_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if touched.rows_affected() == 0 {
            return Ok(false);
        }
        match changes.disabled {
            Some(true) => {
                sqlx::query(
                    "UPDATE staff_accounts SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2",
                )
                .bind(at_ms)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM staff_sessions WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(false) => {
                sqlx::query("UPDATE staff_accounts SET disabled_at = NULL WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {}
        }
        if let Some(departments) = &changes.departments {
            sqlx::query("DELETE FROM staff_departments WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for department in departments {
                sqlx::query(
                    "INSERT INTO staff_departments (account_id, department) VALUES ($1, $2)",
                )
                .bind(id)
                .bind(department)
                .execute(&mut *tx)
                .await?;
            }
        }

        tx.commit().await?;
        Ok(true)
    }

    /// Sets a new password and ends every other session of the account.
    pub async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        temporary: bool,
        keep_session: Option<&str>,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;

        sqlx::query(
            "UPDATE staff_accounts SET password_hash = $1, password_temporary = $2, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(password_hash)
        .bind(i64::from(temporary))
        .bind(at_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        end_other_sessions(&mut tx, id, keep_session).await?;

        tx.commit().await?;
        Ok(())
    }

    pub async fn set_totp_pending(&self, id: &str, sealed: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE staff_accounts SET totp_pending = $1 WHERE id = $2")
            .bind(sealed)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Makes the pending secret the account's, replaces its recovery
    /// codes, and ends its other sessions (one opened with the password
    /// alone must not ride on this enrolment).
    pub async fn finish_enrolment(
        &self,
        id: &str,
        sealed: &str,
        step: i64,
        recovery_hashes: &[String],
        keep_session: &str,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;

        sqlx::query(
            "UPDATE staff_accounts SET totp_secret = $1, totp_pending = NULL, totp_last_step = $2, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(sealed)
        .bind(step)
        .bind(at_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
                .bind(id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        end_other_sessions(&mut tx, id, Some(keep_session)).await?;

        tx.commit().await?;
        Ok(())
    }

    /// Records `step` as used if it is later than the last one: true for
    /// exactly one of two sign-ins racing with the same code.
    pub async fn accept_totp_step(&self, id: &str, step: i64) -> Result<bool, StoreError> {
        let updated = sqlx::query(
            "UPDATE staff_accounts SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        )
        .bind(step)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Spends a recovery code: true once per code.
    pub async fn use_recovery_code(
        &self,
        id: &str,
        code_hash: &str,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        let updated = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(at_ms)
        .bind(id)
        .bind(code_hash)
        .execute(self.pool())
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// A lost authenticator: a temporary password, no TOTP, no recovery
    /// codes, no sessions. The next sign-in enrols again.
    pub async fn reset_sign_in(
        &self,
        id: &str,
        password_hash: &str,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;

        let updated = sqlx::query(
            "UPDATE staff_accounts SET password_hash = $1, password_temporary = 1, \
             totp_secret = NULL, totp_pending = NULL, updated_at = $2 WHERE id = $3",
        )
        .bind(password_hash)
        .bind(at_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        end_other_sessions(&mut tx, id, None).await?;

        tx.commit().await?;
        Ok(true)
    }

    /// When the email may next try to sign in (0: now).
    pub async fn locked_until(&self, email_key: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT locked_until FROM sign_in_failures WHERE email_key = $1")
            .bind(email_key)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map_or(0, |row| row.get(0)))
    }

    /// Counts a failure; failures older than `window_ms` are forgotten.
    /// The count reaching `max` locks the email until `lock_until` and
    /// starts the count again. Returns the count before any lock.
    pub async fn record_sign_in_failure(
        &self,
        email_key: &str,
        at_ms: i64,
        window_ms: i64,
        max: i64,
        lock_until: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool().begin().await?;

        let failures: i64 = sqlx::query(
            "INSERT INTO sign_in_failures (email_key, failures, locked_until, last_failure_at) \
             VALUES ($1, 1, 0, $2) \
             ON CONFLICT (email_key) DO UPDATE SET \
             failures = CASE WHEN sign_in_failures.last_failure_at < $3 THEN 1 \
                        ELSE sign_in_failures.failures + 1 END, \
             last_failure_at = $2 \
             RETURNING failures",
        )
        .bind(email_key)
        .bind(at_ms)
        .bind(at_ms - window_ms)
        .fetch_one(&mut *tx)
        .await?
        .get(0);
        if failures >= max {
            sqlx::query(
                "UPDATE sign_in_failures SET failures = 0, locked_until = $1 WHERE email_key = $2",
            )
            .bind(lock_until)
            .bind(email_key)
            .execute(&mut *tx)
            .await?;
        }

        tx.commit().await?;
        Ok(failures)
    }

    pub async fn clear_sign_in_failures(&self, email_key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE email_key = $1")
            .bind(email_key)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

async fn end_other_sessions(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: &str,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM staff_sessions WHERE account_id = $1 AND token_hash <> $2")
        .bind(account_id)
        .bind(keep.unwrap_or(""))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
