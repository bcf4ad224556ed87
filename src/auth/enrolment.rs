//! TOTP enrolment (mandatory before first use) and password changes.

use super::password::{check_new_password, hash_password, verify_password};
use super::recovery::{generate_codes, hash_code};
use super::sign_in::totp_context;
use super::{AuthError, StaffAuth, StaffSession, Stage, TotpSecret, blocking};
use crate::store::{AccountRecord, now_ms};

/// What the enrolment page shows: the secret as text and as a link.
#[derive(Debug)]
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_url: String,
}

impl StaffSession {
    /// Queues and admin calls need a session that finished every stage.
    pub fn require_ready(&self) -> Result<(), AuthError> {
        match self.stage {
            Stage::Ready => Ok(()),
            stage => Err(AuthError::WrongStage(stage)),
        }
    }

    pub fn require_admin(&self) -> Result<(), AuthError> {
        self.require_ready()?;
        if self.account.is_admin() {
            Ok(())
        } else {
            Err(AuthError::AdminOnly)
        }
    }
}

impl StaffAuth {
    /// The secret being enrolled: the same one until a code proves it.
    pub async fn enrolment(&self, session: &StaffSession) -> Result<Enrolment, AuthError> {
        let account = self.enrolling_account(session).await?;

        let secret = match &account.totp_pending {
            Some(sealed) => {
                TotpSecret::from_bytes(self.key.open(sealed, &totp_context(&account.id))?)
            }
            None => {
                let secret = TotpSecret::generate();
                let sealed = self.key.seal(secret.as_bytes(), &totp_context(&account.id));
                self.db.set_totp_pending(&account.id, &sealed).await?;
                secret
            }
        };
        Ok(Enrolment {
            secret_base32: secret.to_base32(),
            otpauth_url: secret.otpauth_url(&self.issuer, &account.email),
        })
    }

    /// A code from the app proves the secret; the account then has TOTP
    /// and ten recovery codes, returned this once.
    pub async fn finish_enrolment(
        &self,
        session: &StaffSession,
        code: &str,
    ) -> Result<(Vec<String>, Stage), AuthError> {
        let account = self.enrolling_account(session).await?;
        let Some(sealed) = &account.totp_pending else {
            return Err(AuthError::invalid(
                "code",
                "open the enrolment page first: no secret was offered yet",
            ));
        };
        let context = totp_context(&account.id);
        let secret = TotpSecret::from_bytes(self.key.open(sealed, &context)?);

        let now = now_ms();
        let now_secs = u64::try_from(now / 1000).unwrap_or(0);
        let step = secret
            .verify(code, now_secs, 0)
            .ok_or(AuthError::InvalidCredentials)?;

        let codes = generate_codes();
        let hashes: Vec<String> = codes.iter().map(|code| hash_code(code)).collect();
        self.db
            .finish_enrolment(
                &account.id,
                &self.key.seal(secret.as_bytes(), &context),
                i64::try_from(step).unwrap_or(i64::MAX),
                &hashes,
                &session.token_hash,
                now,
            )
            .await?;
        tracing::info!(account = %account.id, "TOTP enrolled");

        let stage = if account.password_temporary {
            Stage::ChangePassword
        } else {
            Stage::Ready
        };
        Ok((codes, stage))
    }

    /// Replaces the password; every other session of the account ends.
    pub async fn change_password(
        &self,
        session: &StaffSession,
        current: &str,
        new: &str,
    ) -> Result<Stage, AuthError> {
        if session.stage == Stage::Enrol {
            return Err(AuthError::WrongStage(Stage::Enrol));
        }
        let account = self.current_account(session).await?;

        // Guessing the current password from a stolen session counts as
        // failed sign-ins: it slows down and locks the same way.
        let (email_key, now) = (super::normalize_email(&account.email), now_ms());
        self.refuse_if_locked(&email_key, now).await?;
        let (typed, stored) = (current.to_owned(), account.password_hash.clone());
        if !blocking(move || verify_password(&typed, &stored)).await? {
            return Err(self.failed(&email_key, now).await);
        }
        check_new_password(new, &account.email, Some(current))?;
        let new = new.to_owned();
        let hash = blocking(move || hash_password(&new)).await?;

        self.db
            .set_password(
                &account.id,
                &hash,
                false,
                Some(&session.token_hash),
                now_ms(),
            )
            .await?;
        tracing::info!(account = %account.id, "password changed");
        Ok(Stage::Ready)
    }

    async fn enrolling_account(&self, session: &StaffSession) -> Result<AccountRecord, AuthError> {
        if session.stage != Stage::Enrol {
            return Err(AuthError::invalid(
                "code",
                "this account has enrolled already",
            ));
        }
        self.current_account(session).await
    }

    pub(super) async fn current_account(
        &self,
        session: &StaffSession,
    ) -> Result<AccountRecord, AuthError> {
        self.db
            .account_by_id(&session.account.id)
            .await?
            .ok_or(AuthError::NotSignedIn)
    }
}
