//! Signing in and the sessions it opens. One answer for every wrong part
//! (email, password, code); each failure answers later than the last, and
//! repeated failures lock the email for a while, account or not.

use std::time::Duration;

use super::password::{MAX_PASSWORD_BYTES, decoy_hash, verify_password};
use super::recovery::{hash_code, is_totp_code};
use super::token::{hash_token, new_token};
use super::{
    Account, AuthError, SealingKey, Stage, TotpSecret, blocking, normalize_email, stage_of,
};
use crate::config::AuthConfig;
use crate::store::{AccountRecord, Database, now_ms, secs_to_ms};

/// A session's last-seen time is written at most this often.
const TOUCH_EVERY_MS: i64 = 60_000;

/// The longest one failure makes the caller wait.
const MAX_DELAY_MS: u64 = 5_000;

pub struct StaffAuth {
    pub(super) db: Database,
    pub(super) key: SealingKey,
    pub(super) config: AuthConfig,
    /// The name authenticator apps list accounts under.
    pub(super) issuer: String,
    /// Department ids an account may be given.
    pub(super) departments: Vec<String>,
}

/// A signed-in staff member, as one request sees them.
#[derive(Debug, Clone)]
pub struct StaffSession {
    /// The stored form of the cookie, naming the session.
    pub token_hash: String,
    pub csrf_token: String,
    pub account: Account,
    pub stage: Stage,
}

/// A new session: the cookie value goes to the browser, once.
#[derive(Debug)]
pub struct SignedIn {
    pub cookie_token: String,
    pub session: StaffSession,
}

impl StaffAuth {
    pub fn new(
        db: Database,
        key: SealingKey,
        config: AuthConfig,
        issuer: &str,
        departments: Vec<String>,
    ) -> Self {
        Self {
            db,
            key,
            config,
            issuer: issuer.to_owned(),
            departments,
        }
    }

    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        code: Option<&str>,
    ) -> Result<SignedIn, AuthError> {
        let email_key = normalize_email(email);
        let now = now_ms();

        // 1. A locked email is refused before any password is checked.
        self.refuse_if_locked(&email_key, now).await?;

        // 2. Password, then the second factor. An unknown email is checked
        // against a decoy hash so it takes as long as a wrong password.
        let account = self.db.account_by_email(&email_key).await?;
        let stored = account
            .as_ref()
            .map_or_else(|| decoy_hash().to_owned(), |a| a.password_hash.clone());
        let typed = password.to_owned();
        let password_ok = password.len() <= MAX_PASSWORD_BYTES
            && blocking(move || verify_password(&typed, &stored)).await?;

        let verified = match account {
            Some(account) if password_ok && account.disabled_at.is_none() => self
                .second_factor(&account, code, now)
                .await?
                .then_some(account),
            _ => None,
        };
        let Some(account) = verified else {
            return Err(self.failed(&email_key, now).await);
        };

        // 3. A fresh session; old expired ones are swept on the way.
        self.db.clear_sign_in_failures(&email_key).await?;
        let idle = secs_to_ms(self.config.session_idle_secs);
        let max = secs_to_ms(self.config.session_max_secs);
        self.db.purge_sessions(now - idle, now - max).await?;

        let cookie_token = new_token();
        let csrf_token = new_token();
        let token_hash = hash_token(&cookie_token);
        self.db
            .insert_session(&token_hash, &account.id, &csrf_token, now)
            .await?;
        tracing::info!(account = %account.id, stage = ?stage_of(&account), "staff signed in");

        Ok(SignedIn {
            cookie_token,
            session: StaffSession {
                token_hash,
                csrf_token,
                stage: stage_of(&account),
                account: Account::from(&account),
            },
        })
    }

    /// The TOTP code (or a recovery code) once the account has enrolled;
    /// before that the password alone opens an enrolment session.
    async fn second_factor(
        &self,
        account: &AccountRecord,
        code: Option<&str>,
        now: i64,
    ) -> Result<bool, AuthError> {
        let Some(sealed) = &account.totp_secret else {
            return Ok(true);
        };
        let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
            return Ok(false);
        };

        if !is_totp_code(code) {
            return Ok(self
                .db
                .use_recovery_code(&account.id, &hash_code(code), now)
                .await?);
        }
        let secret = TotpSecret::from_bytes(self.key.open(sealed, &totp_context(&account.id))?);
        let last_step = u64::try_from(account.totp_last_step).unwrap_or(0);
        let now_secs = u64::try_from(now / 1000).unwrap_or(0);
        match secret.verify(code, now_secs, last_step) {
            // Two sign-ins racing with one code: only one records the step.
            Some(step) => Ok(self
                .db
                .accept_totp_step(&account.id, i64::try_from(step).unwrap_or(i64::MAX))
                .await?),
            None => Ok(false),
        }
    }

    /// A locked email gets 429 with the time left, whatever it sends.
    pub(super) async fn refuse_if_locked(
        &self,
        email_key: &str,
        now: i64,
    ) -> Result<(), AuthError> {
        let locked_until = self.db.locked_until(email_key).await?;
        if locked_until > now {
            return Err(AuthError::TooManyAttempts {
                retry_after_secs: u64::try_from((locked_until - now) / 1000 + 1).unwrap_or(1),
            });
        }
        Ok(())
    }

    /// Counts the failure, waits longer the more there were, and answers
    /// the same whatever was wrong.
    pub(super) async fn failed(&self, email_key: &str, now: i64) -> AuthError {
        let lockout_ms = secs_to_ms(self.config.lockout_secs);
        let failures = match self
            .db
            .record_sign_in_failure(
                email_key,
                now,
                lockout_ms,
                i64::from(self.config.max_failures),
                now + lockout_ms,
            )
            .await
        {
            Ok(failures) => failures,
            Err(error) => return error.into(),
        };
        if failures >= i64::from(self.config.max_failures) {
            tracing::warn!(failures, "sign-in locked after repeated failures");
        }

        let delay = self
            .config
            .failure_delay_ms
            .saturating_mul(u64::try_from(failures).unwrap_or(1))
            .min(MAX_DELAY_MS);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        AuthError::InvalidCredentials
    }

    /// The session a cookie names, if it is still alive.
    pub async fn session(&self, cookie_token: &str) -> Result<StaffSession, AuthError> {
        let token_hash = hash_token(cookie_token);
        let now = now_ms();

        let record = self
            .db
            .session(&token_hash)
            .await?
            .ok_or(AuthError::NotSignedIn)?;
        let idle = now - record.last_seen_at;
        let age = now - record.created_at;
        let account = self.db.account_by_id(&record.account_id).await?;
        let alive = idle <= secs_to_ms(self.config.session_idle_secs)
            && age <= secs_to_ms(self.config.session_max_secs);
        let Some(account) = account.filter(|a| alive && a.disabled_at.is_none()) else {
            self.db.delete_session(&token_hash).await?;
            return Err(AuthError::NotSignedIn);
        };

        // Recorded often enough that a session in use never looks idle, even
        // with the shortest idle limit allowed.
        let touch_after = TOUCH_EVERY_MS.min(secs_to_ms(self.config.session_idle_secs) / 4);
        if idle > touch_after {
            self.db.touch_session(&token_hash, now).await?;
        }
        Ok(StaffSession {
            token_hash,
            csrf_token: record.csrf_token,
            stage: stage_of(&account),
            account: Account::from(&account),
        })
    }

    pub async fn sign_out(&self, session: &StaffSession) -> Result<(), AuthError> {
        self.db.delete_session(&session.token_hash).await?;
        tracing::info!(account = %session.account.id, "staff signed out");
        Ok(())
    }
}

/// Binds a sealed TOTP secret to its account.
pub(super) fn totp_context(account_id: &str) -> String {
    format!("totp:{account_id}")
}
