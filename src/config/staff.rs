//! `[auth]`, `[portal]` and `[queues]`: how staff sign in, how the portal
//! vouches for a patient, and how queues count time.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::ConfigError;

/// Staff sign-in: sessions, lockout and cookies.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// A session ends after this long without a request.
    pub session_idle_secs: u64,
    /// A session ends this long after sign-in, however busy.
    pub session_max_secs: u64,
    /// Failed sign-ins for one email before it is locked.
    pub max_failures: u32,
    /// How long a locked email stays locked.
    pub lockout_secs: u64,
    /// Each failure answers this much later than the one before.
    pub failure_delay_ms: u64,
    /// Sign-in attempts allowed per client address per minute.
    pub sign_in_per_minute: u32,
    /// `auto` (Secure when the request came over TLS), `always` or `never`.
    pub secure_cookies: CookieSecurity,
    /// The name authenticator apps show; empty means `hospital.name`.
    pub totp_issuer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CookieSecurity {
    Auto,
    Always,
    Never,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            session_idle_secs: 30 * 60,
            session_max_secs: 12 * 60 * 60,
            max_failures: 5,
            lockout_secs: 15 * 60,
            failure_delay_ms: 400,
            sign_in_per_minute: 30,
            secure_cookies: CookieSecurity::Auto,
            totp_issuer: String::new(),
        }
    }
}

/// The host portal's signed patient tokens (JWT).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalConfig {
    /// `HS256`, `EdDSA` or `RS256`; empty turns portal sign-in off.
    pub jwt_algorithm: String,
    /// HS256 only: the secret shared with the portal (32 bytes or more).
    pub jwt_secret: SecretText,
    /// EdDSA and RS256: the portal's public key, PEM.
    pub jwt_public_key_file: PathBuf,
    /// When set, tokens must carry this `iss`.
    pub jwt_issuer: String,
    /// When set, tokens must carry this `aud`.
    pub jwt_audience: String,
    /// Longest lifetime (`exp` minus `iat`) a token may claim.
    pub max_token_lifetime_secs: u64,
    /// Clock difference tolerated between the portal and Careline.
    pub leeway_secs: u64,
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            jwt_algorithm: String::new(),
            jwt_secret: SecretText::default(),
            jwt_public_key_file: PathBuf::new(),
            jwt_issuer: String::new(),
            jwt_audience: String::new(),
            max_token_lifetime_secs: 15 * 60,
            leeway_secs: 30,
        }
    }
}

/// Queue timing: claims, response targets and business hours.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueConfig {
    /// A claim with no activity for this long lapses.
    pub claim_ttl_secs: u64,
    /// Urgent inquiries are due this many minutes after they arrive.
    pub urgent_target_minutes: u64,
    /// IANA time zone of the business hours, e.g. `America/Chicago`.
    pub timezone: String,
    /// Days the teams work: `mon-fri`, or a list such as `mon,tue,thu`.
    pub business_days: String,
    /// Opening time on a business day, `HH:MM`.
    pub opens: String,
    /// Closing time on a business day, `HH:MM`.
    pub closes: String,
}

impl Default for QueueConfig {
    fn default() -> Self {
        Self {
            claim_ttl_secs: 30 * 60,
            urgent_target_minutes: 30,
            timezone: "UTC".to_owned(),
            business_days: "mon-fri".to_owned(),
            opens: "08:00".to_owned(),
            closes: "17:00".to_owned(),
        }
    }
}

/// A secret from the configuration: never printed, not even by `Debug`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "[secret]"
        })
    }
}

fn fail<T>(key: &'static str, problem: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError::Value {
        key,
        problem: problem.into(),
    })
}

impl AuthConfig {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.session_idle_secs < 60 {
            return fail("auth.session_idle_secs", "must be at least 60");
        }
        if self.session_max_secs < self.session_idle_secs {
            return fail(
                "auth.session_max_secs",
                "must be at least auth.session_idle_secs",
            );
        }
        if self.max_failures == 0 {
            return fail("auth.max_failures", "must be at least 1");
        }
        if self.lockout_secs == 0 {
            return fail("auth.lockout_secs", "must be at least 1");
        }
        if self.failure_delay_ms > 5_000 {
            return fail("auth.failure_delay_ms", "must be at most 5000");
        }
        if self.sign_in_per_minute == 0 {
            return fail("auth.sign_in_per_minute", "must be at least 1");
        }
        Ok(())
    }
}

impl PortalConfig {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        match self.jwt_algorithm.as_str() {
            "" => Ok(()),
            "HS256" if self.jwt_secret.expose().len() < 32 => fail(
                "portal.jwt_secret",
                "HS256 needs a shared secret of at least 32 bytes",
            ),
            "HS256" => Ok(()),
            "EdDSA" | "RS256" if self.jwt_public_key_file.as_os_str().is_empty() => fail(
                "portal.jwt_public_key_file",
                "EdDSA and RS256 need the portal's public key (PEM)",
            ),
            "EdDSA" | "RS256" => Ok(()),
            _ => fail(
                "portal.jwt_algorithm",
                "must be HS256, EdDSA or RS256 (or empty to turn portal sign-in off)",
            ),
        }?;
        if self.max_token_lifetime_secs == 0 {
            return fail("portal.max_token_lifetime_secs", "must be at least 1");
        }
        Ok(())
    }

    pub fn enabled(&self) -> bool {
        !self.jwt_algorithm.is_empty()
    }
}

impl QueueConfig {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.claim_ttl_secs < 60 {
            return fail("queues.claim_ttl_secs", "must be at least 60");
        }
        if self.urgent_target_minutes == 0 {
            return fail("queues.urgent_target_minutes", "must be at least 1");
        }
        crate::queue::BusinessHours::from_config(self).map(|_| ())
    }
}
