//! Time-based one-time passwords (RFC 6238: SHA-1, six digits, 30-second
//! steps, one step of clock drift either way), as every authenticator app
//! reads them. A code is accepted once: the step it matched is recorded
//! and only later steps pass after it.

use qrcode::QrCode;
use qrcode::render::svg;
use rand::RngExt;
use totp_rs::{Builder, Totp};

/// Secret length RFC 4226 recommends (160 bits).
const SECRET_BYTES: usize = 20;

/// A TOTP secret. `Debug` never shows it.
#[derive(Clone)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret([secret])")
    }
}

impl TotpSecret {
    pub fn generate() -> Self {
        let bytes: [u8; SECRET_BYTES] = rand::rng().random();
        Self(bytes.to_vec())
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The secret as people type it into an app: base32, no padding.
    pub fn to_base32(&self) -> String {
        totp_rs::Secret::from(self.0.clone()).to_base32()
    }

    fn totp(&self, issuer: &str, account: &str) -> Totp {
        // A colon separates issuer from account in the otpauth label.
        let issuer = issuer.replace(':', " ");
        let account = account.replace(':', " ");
        Builder::new()
            .with_secret(self.0.clone())
            .with_issuer(Some(issuer.as_str()))
            .with_account_name(account.as_str())
            .build()
            .expect("a 160-bit secret with six digits and 30-second steps is RFC-compliant")
    }

    /// `otpauth://totp/…`, the link a QR code carries.
    pub fn otpauth_url(&self, issuer: &str, account: &str) -> String {
        self.totp(issuer, account)
            .to_url()
            .expect("the account name is set")
    }

    /// The step `code` matches at `now_secs`, if it is later than
    /// `last_step` (so a code seen once is refused the second time).
    pub fn verify(&self, code: &str, now_secs: u64, last_step: u64) -> Option<u64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.totp("", "-")
            .check(&code, now_secs)
            .filter(|&step| step > last_step)
    }

    /// The code for `now_secs`; for tests and the enrolment check.
    pub fn code_at(&self, now_secs: u64) -> String {
        self.totp("", "-").generate(now_secs).to_string()
    }
}

/// The otpauth link as an SVG QR code.
pub fn qr_svg(url: &str) -> String {
    let code = QrCode::new(url.as_bytes()).expect("an otpauth link fits in a QR code");
    code.render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret and two of its test times
    /// (the RFC's eight digits, cut to the six apps show).
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());

        assert_eq!(secret.code_at(59), "287082");
        assert_eq!(secret.code_at(1_111_111_109), "081804");
    }

    #[test]
    fn a_code_is_accepted_once_and_within_one_step_of_drift() {
        let secret = TotpSecret::generate();
        let now = 1_800_000_000;
        let code = secret.code_at(now);

        let step = secret.verify(&code, now, 0).expect("current code passes");
        assert_eq!(secret.verify(&code, now, step), None, "replayed");
        assert!(secret.verify(&code, now + 30, 0).is_some(), "one step late");
        assert_eq!(secret.verify(&code, now + 90, 0), None, "three steps late");
        assert_eq!(secret.verify("12345", now, 0), None);
        assert_eq!(secret.verify("abcdef", now, 0), None);
    }

    #[test]
    fn the_link_names_issuer_and_account() {
        let secret = TotpSecret::generate();

        let url = secret.otpauth_url("St Test: Main", "dana@example.org");

        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains(&secret.to_base32()), "{url}");
        assert!(qr_svg(&url).contains("<svg"));
    }
}
