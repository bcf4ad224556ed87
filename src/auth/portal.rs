//! Patients signed in through the host portal: the portal signs a short
//! JWT naming the patient (HS256 with a shared secret, or EdDSA / RS256
//! with its private key), and Careline checks it on every request.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use serde::Deserialize;

use crate::config::PortalConfig;
use crate::redact::Identity;

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("portal sign-in is not configured")]
    Disabled,
    #[error("the portal token has expired")]
    Expired,
    #[error("the portal token is not valid")]
    Invalid,
}

#[derive(Debug, thiserror::Error)]
pub enum PortalSetupError {
    #[error("portal.jwt_public_key_file {path}: {source}")]
    KeyFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("portal.jwt_public_key_file {0}: not a PEM public key for the configured algorithm")]
    BadKey(std::path::PathBuf),
    #[error("portal.jwt_secret: not usable as an HS256 key")]
    BadSecret,
}

/// Who the portal says the patient is. `Debug` shows the subject's length
/// only: identifiers are PHI.
#[derive(Clone)]
pub struct PortalPatient {
    /// The patient's id in the portal.
    pub subject: String,
    /// What the portal shared for redacting the patient's own identifiers.
    pub identity: Identity,
}

impl std::fmt::Debug for PortalPatient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalPatient")
            .field("subject_len", &self.subject.len())
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    exp: u64,
    #[serde(default)]
    iat: Option<u64>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    date_of_birth: Option<String>,
    #[serde(default)]
    mrn: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    address: Option<String>,
}

pub struct PortalVerifier {
    key: Option<(DecodingKey, Validation)>,
    max_lifetime_secs: u64,
    leeway_secs: u64,
}

impl PortalVerifier {
    pub fn from_config(config: &PortalConfig) -> Result<Self, PortalSetupError> {
        let key = match config.jwt_algorithm.as_str() {
            "" => None,
            name => {
                let (algorithm, key) = decoding_key(config, name)?;
                let mut validation = Validation::new(algorithm);
                validation.leeway = config.leeway_secs;
                // A token is not good before its `nbf` (RFC 7519, 4.1.5).
                validation.validate_nbf = true;
                validation.set_required_spec_claims(&["exp", "sub"]);
                if !config.jwt_issuer.is_empty() {
                    validation.set_issuer(&[&config.jwt_issuer]);
                }
                if config.jwt_audience.is_empty() {
                    validation.validate_aud = false;
                } else {
                    validation.set_audience(&[&config.jwt_audience]);
                }
                Some((key, validation))
            }
        };
        Ok(Self {
            key,
            max_lifetime_secs: config.max_token_lifetime_secs,
            leeway_secs: config.leeway_secs,
        })
    }

    pub fn enabled(&self) -> bool {
        self.key.is_some()
    }

    pub fn verify(&self, token: &str) -> Result<PortalPatient, PortalError> {
        let (key, validation) = self.key.as_ref().ok_or(PortalError::Disabled)?;

        let claims = decode::<Claims>(token, key, validation)
            .map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => PortalError::Expired,
                _ => PortalError::Invalid,
            })?
            .claims;

        // Short-lived means short-lived: a token good for a week is
        // refused even while it is still within its `exp`.
        let now = jsonwebtoken::get_current_timestamp();
        let issued = claims.iat.unwrap_or(now);
        if claims.exp.saturating_sub(issued) > self.max_lifetime_secs
            || issued > now + self.leeway_secs
        {
            return Err(PortalError::Expired);
        }
        if claims.sub.trim().is_empty() {
            return Err(PortalError::Invalid);
        }

        Ok(PortalPatient {
            subject: claims.sub,
            identity: Identity {
                name: claims.name,
                date_of_birth: claims.date_of_birth,
                mrn: claims.mrn,
                phone: claims.phone,
                email: claims.email,
                address: claims.address,
            },
        })
    }
}

fn decoding_key(
    config: &PortalConfig,
    name: &str,
) -> Result<(Algorithm, DecodingKey), PortalSetupError> {
    let path = &config.jwt_public_key_file;
    let pem = || {
        std::fs::read(path).map_err(|source| PortalSetupError::KeyFile {
            path: path.clone(),
            source,
        })
    };
    let bad_key = |_| PortalSetupError::BadKey(path.clone());

    match name {
        "HS256" => DecodingKey::from_secret(config.jwt_secret.expose().as_bytes())
            .map(|key| (Algorithm::HS256, key))
            .map_err(|_| PortalSetupError::BadSecret),
        "EdDSA" => DecodingKey::from_ed_pem(&pem()?)
            .map(|key| (Algorithm::EdDSA, key))
            .map_err(bad_key),
        _ => DecodingKey::from_rsa_pem(&pem()?)
            .map(|key| (Algorithm::RS256, key))
            .map_err(bad_key),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use jsonwebtoken::{EncodingKey, Header, encode, get_current_timestamp};
    use serde_json::json;

    use super::*;
    use crate::config::SecretText;

    const SECRET: &str = "a shared secret of thirty-two bytes or more";

    fn key_file(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name)
    }

    fn config(algorithm: &str) -> PortalConfig {
        PortalConfig {
            jwt_algorithm: algorithm.to_owned(),
            jwt_secret: SecretText::new(SECRET),
            jwt_public_key_file: match algorithm {
                "EdDSA" => key_file("portal_test_ed25519.pub"),
                "RS256" => key_file("portal_test_rsa.pub"),
                _ => PathBuf::new(),
            },
            jwt_issuer: "https://portal.example.org".to_owned(),
            jwt_audience: "careline".to_owned(),
            ..PortalConfig::default()
        }
    }

    fn sign(algorithm: Algorithm, claims: serde_json::Value) -> String {
        let key = match algorithm {
            Algorithm::HS256 => EncodingKey::from_secret(SECRET.as_bytes()).unwrap(),
            Algorithm::EdDSA => EncodingKey::from_ed_pem(
                &std::fs::read(key_file("portal_test_ed25519.key")).unwrap(),
            )
            .unwrap(),
            _ => {
                EncodingKey::from_rsa_pem(&std::fs::read(key_file("portal_test_rsa.key")).unwrap())
                    .unwrap()
            }
        };
        encode(&Header::new(algorithm), &claims, &key).unwrap()
    }

    fn claims(lifetime: u64) -> serde_json::Value {
        let now = get_current_timestamp();
        json!({
            "sub": "patient-7", "iat": now, "exp": now + lifetime,
            "iss": "https://portal.example.org", "aud": "careline",
            "name": "Maria Lopez", "date_of_birth": "1984-03-09",
        })
    }

    #[test]
    fn each_algorithm_verifies_its_own_tokens() {
        for (name, algorithm) in [
            ("HS256", Algorithm::HS256),
            ("EdDSA", Algorithm::EdDSA),
            ("RS256", Algorithm::RS256),
        ] {
            let verifier = PortalVerifier::from_config(&config(name)).unwrap();

            let patient = verifier.verify(&sign(algorithm, claims(300))).unwrap();

            assert_eq!(patient.subject, "patient-7", "{name}");
            assert_eq!(
                patient.identity.date_of_birth.as_deref(),
                Some("1984-03-09")
            );
        }
    }

    #[test]
    fn a_token_signed_another_way_is_invalid() {
        let verifier = PortalVerifier::from_config(&config("RS256")).unwrap();

        // HS256 with the public key as the secret: the classic confusion.
        let confused = sign(Algorithm::HS256, claims(300));
        let result = verifier.verify(&confused);

        assert!(matches!(result, Err(PortalError::Invalid)), "{result:?}");
    }

    #[test]
    fn expiry_lifetime_issuer_and_audience_are_checked() {
        let verifier = PortalVerifier::from_config(&config("HS256")).unwrap();
        let mut expired = claims(300);
        expired["exp"] = json!(get_current_timestamp() - 3600);
        let mut foreign = claims(300);
        foreign["iss"] = json!("https://elsewhere.example");
        let mut other_audience = claims(300);
        other_audience["aud"] = json!("another-app");
        let mut no_subject = claims(300);
        no_subject["sub"] = json!("  ");
        let mut not_yet = claims(300);
        not_yet["nbf"] = json!(get_current_timestamp() + 200);

        let verify = |claims| verifier.verify(&sign(Algorithm::HS256, claims));

        assert!(matches!(verify(expired), Err(PortalError::Expired)));
        assert!(matches!(verify(claims(86_400)), Err(PortalError::Expired)));
        assert!(matches!(verify(foreign), Err(PortalError::Invalid)));
        assert!(matches!(verify(other_audience), Err(PortalError::Invalid)));
        assert!(matches!(verify(no_subject), Err(PortalError::Invalid)));
        assert!(matches!(verify(not_yet), Err(PortalError::Invalid)));
    }

    #[test]
    fn sign_in_is_off_until_configured() {
        let verifier = PortalVerifier::from_config(&PortalConfig::default()).unwrap();

        assert!(!verifier.enabled());
        assert!(matches!(
            verifier.verify(&sign(Algorithm::HS256, claims(300))),
            Err(PortalError::Disabled)
        ));
    }

    #[test]
    fn a_missing_key_file_fails_set_up_naming_the_key() {
        let mut config = config("EdDSA");
        config.jwt_public_key_file = PathBuf::from("/nonexistent/portal.pem");

        let error = PortalVerifier::from_config(&config)
            .err()
            .unwrap()
            .to_string();

        assert!(error.contains("portal.jwt_public_key_file"), "{error}");
    }

    #[test]
    fn debug_output_shows_no_identifiers() {
        let verifier = PortalVerifier::from_config(&config("HS256")).unwrap();
        let patient = verifier
            .verify(&sign(Algorithm::HS256, claims(300)))
            .unwrap();

        let shown = format!("{patient:?}");

        assert!(
            !shown.contains("patient-7") && !shown.contains("Maria"),
            "{shown}"
        );
    }
}
