//! One typed configuration for the service, loaded once at start-up:
//! built-in defaults, then a TOML file, then `CARELINE_*` environment
//! variables (nested keys joined with `__`, e.g.
//! `CARELINE_HOSPITAL__MAIN_PHONE`). Every key is documented in
//! `docs/CONFIGURATION.md`; a bad value fails start-up naming the key.

mod hospital;
mod staff;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

pub use hospital::Hospital;
pub use staff::{AuthConfig, CookieSecurity, PortalConfig, QueueConfig, SecretText};

/// The file read when `--config` is not given (missing is fine).
pub const DEFAULT_CONFIG_FILE: &str = "careline.toml";

/// Environment variables with the `CARELINE_` prefix that are not
/// configuration keys.
const NOT_CONFIG_KEYS: &[&str] = &["config", "python", "log_format"];

/// Environment keys (after `CARELINE_`) read as text as written, never
/// parsed: phone numbers such as `911` and secrets that look like numbers.
const TEXT_ENV: &[&str] = &["HOSPITAL__", "PORTAL__JWT_SECRET"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port the HTTP server listens on.
    pub listen: SocketAddr,
    /// Folder for the SQLite file and the embedded vector index.
    pub data_dir: PathBuf,
    /// Folder holding the encoder files and the trained heads.
    pub models_dir: PathBuf,
    /// Folder holding the department intents.
    pub intents_dir: PathBuf,
    /// Folder holding the knowledge-base entries.
    pub knowledge_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means a SQLite file in `data_dir`.
    pub database_url: String,
    /// A Qdrant server; empty means the embedded store in `data_dir`.
    pub qdrant_url: String,
    /// Knowledge matches scoring at least this are answered directly.
    pub answer_threshold: f32,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Requests taking longer are answered with 503.
    pub request_timeout_secs: u64,
    /// Most messages assessed in one encoder pass; 1 turns batching off.
    pub triage_batch: usize,
    /// The AES-256 key that seals secrets at rest (TOTP secrets); empty
    /// means `careline.key` in `data_dir`, created on first start.
    pub secret_key_file: PathBuf,
    /// Hospital-specific facts used in knowledge answers and replies.
    pub hospital: Hospital,
    /// Staff sign-in.
    pub auth: AuthConfig,
    /// Patients signed in through the host portal.
    pub portal: PortalConfig,
    /// Queue timing and business hours.
    pub queues: QueueConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("{0}")]
    Invalid(String),
    #[error("configuration key `{key}`: {problem}")]
    Value { key: &'static str, problem: String },
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            models_dir: PathBuf::from("models"),
            intents_dir: PathBuf::from("intents"),
            knowledge_dir: PathBuf::from("knowledge"),
            database_url: String::new(),
            qdrant_url: String::new(),
            answer_threshold: crate::knowledge::ANSWER_THRESHOLD,
            max_body_bytes: 64 * 1024,
            request_timeout_secs: 30,
            triage_batch: 32,
            secret_key_file: PathBuf::new(),
            hospital: Hospital::default(),
            auth: AuthConfig::default(),
            portal: PortalConfig::default(),
            queues: QueueConfig::default(),
        }
    }
}

impl Config {
    /// Loads defaults, then `file` (or `careline.toml` if it exists), then
    /// the environment, then `overrides` (command-line flags), and checks
    /// the values.
    pub fn load(file: Option<&Path>, overrides: &[(&str, String)]) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));

        match file {
            Some(path) if !path.is_file() => {
                return Err(ConfigError::MissingFile(path.to_owned()));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => {
                figment = figment.merge(Toml::file_exact(DEFAULT_CONFIG_FILE));
            }
            None => {}
        }

        figment = figment.merge(
            Env::prefixed("CARELINE_")
                .ignore(NOT_CONFIG_KEYS)
                .filter(|key| !is_text_env(key.as_str()))
                .split("__"),
        );
        // Text keys skip the parsing the other variables get: `911` must
        // stay the string "911".
        for (name, value) in std::env::vars() {
            if let Some(field) = name.strip_prefix("CARELINE_")
                && is_text_env(field)
            {
                let key = field.to_lowercase().replace("__", ".");
                figment = figment.merge(Serialized::default(&key, value));
            }
        }
        for (key, value) in overrides {
            figment = figment.merge(Serialized::default(key, value));
        }

        let config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(describe(e)))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let fail = |key, problem: &str| {
            Err(ConfigError::Value {
                key,
                problem: problem.to_owned(),
            })
        };

        if !(self.answer_threshold > 0.0 && self.answer_threshold < 1.0) {
            return fail("answer_threshold", "must be between 0 and 1");
        }
        // A maximal message is 5,000 characters of up to 4 bytes each.
        if self.max_body_bytes < 24 * 1024 {
            return fail("max_body_bytes", "must be at least 24576");
        }
        if self.request_timeout_secs == 0 {
            return fail("request_timeout_secs", "must be at least 1");
        }
        if !(1..=256).contains(&self.triage_batch) {
            return fail("triage_batch", "must be between 1 and 256");
        }
        let url = self.database_url.as_str();
        if !(url.is_empty() || url.starts_with("sqlite:") || url.starts_with("postgres")) {
            return fail(
                "database_url",
                "must start with sqlite: or postgres:// (or be empty for the embedded file)",
            );
        }
        // Limitation: only the embedded store exists; the seam
        // (`knowledge::VectorStore`) is ready for a server-backed one.
        if !self.qdrant_url.is_empty() {
            return fail(
                "qdrant_url",
                "a Qdrant server is not supported by this build yet; leave it empty for the embedded store",
            );
        }
        self.auth.validate()?;
        self.portal.validate()?;
        self.queues.validate()?;
        for (key, value) in self.hospital.placeholders() {
            if value.trim().is_empty() {
                return Err(ConfigError::Value {
                    key: "hospital",
                    problem: format!("{key} is empty"),
                });
            }
        }
        Ok(())
    }

    /// The database to open: the configured URL or a file in `data_dir`.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            let file = self.data_dir.join("careline.db");
            format!("sqlite://{}?mode=rwc", file.display())
        } else {
            self.database_url.clone()
        }
    }

    /// The key that seals secrets at rest.
    pub fn secret_key_path(&self) -> PathBuf {
        if self.secret_key_file.as_os_str().is_empty() {
            self.data_dir.join("careline.key")
        } else {
            self.secret_key_file.clone()
        }
    }

    /// The name authenticator apps list the account under.
    pub fn totp_issuer(&self) -> &str {
        if self.auth.totp_issuer.is_empty() {
            &self.hospital.name
        } else {
            &self.auth.totp_issuer
        }
    }

    /// Where the embedded vector index lives.
    pub fn vector_dir(&self) -> PathBuf {
        self.data_dir.join("qdrant")
    }
}

fn is_text_env(key: &str) -> bool {
    let key = key.to_uppercase();
    TEXT_ENV.iter().any(|prefix| key.starts_with(prefix))
}

/// serde's name for an expected type, in words.
fn plain_type(expected: &str) -> &str {
    match expected {
        "f32" | "f64" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "a boolean" | "bool" => "true or false",
        other => other,
    }
}

/// figment's own text names Rust types and source lines; an operator needs
/// the key, what it should be, and the file it came from. The value itself
/// is left out: it may be a secret.
fn describe(error: figment::Error) -> String {
    use figment::error::Kind;

    let problems: Vec<String> = error
        .into_iter()
        .map(|error| {
            let mut key = error.path.join(".").to_lowercase();
            let problem = match &error.kind {
                Kind::UnknownField(field, _) => {
                    let field = field.to_lowercase();
                    if !key.ends_with(&field) {
                        key = if key.is_empty() {
                            field
                        } else {
                            format!("{key}.{field}")
                        };
                    }
                    " is not a setting (a typo?)".to_owned()
                }
                Kind::InvalidType(_, expected) | Kind::InvalidValue(_, expected) => {
                    format!(" must be {}", plain_type(expected))
                }
                Kind::MissingField(field) => format!(" needs `{field}`"),
                other => format!(": {other}"),
            };
            let file = match error.metadata.as_ref().and_then(|m| m.source.as_ref()) {
                Some(figment::Source::File(path)) => format!(" (in {})", path.display()),
                _ => String::new(),
            };
            format!("configuration key `{key}`{problem}{file}")
        })
        .collect();
    problems.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().expect("defaults validate");
    }

    #[test]
    fn placeholders_cover_every_hospital_field() {
        let placeholders = Hospital::default().placeholders();

        assert_eq!(placeholders.len(), 21);
        assert_eq!(placeholders["hospital.crisis_line"], "988");
        assert_eq!(placeholders["hospital.poison_control"], "1-800-222-1222");
    }

    #[test]
    fn bad_values_name_their_key() {
        let config = Config {
            answer_threshold: 1.5,
            ..Config::default()
        };

        let error = config.validate().unwrap_err().to_string();

        assert!(error.contains("answer_threshold"), "{error}");
    }

    #[test]
    fn file_and_overrides_are_layered() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("careline.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\n[hospital]\nname = \"St Test\"\n",
        )
        .unwrap();

        let config = Config::load(Some(&file), &[("data_dir", "/tmp/x".into())]).unwrap();

        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.hospital.name, "St Test");
        assert_eq!(config.hospital.crisis_line, "988");
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn unknown_and_malformed_keys_fail_with_their_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("careline.toml");
        std::fs::write(&file, "listen = \"not an address\"\n").unwrap();

        let error = Config::load(Some(&file), &[]).unwrap_err().to_string();
        assert!(error.contains("listen"), "{error}");

        std::fs::write(&file, "answer_treshold = 0.5\n").unwrap();
        let error = Config::load(Some(&file), &[]).unwrap_err().to_string();
        assert!(
            error.contains("`answer_treshold` is not a setting"),
            "{error}"
        );

        std::fs::write(
            &file,
            "answer_threshold = \"high\"\n[hospital]\nfax = \"1\"\n",
        )
        .unwrap();
        let error = Config::load(Some(&file), &[]).unwrap_err().to_string();
        assert!(error.contains("`answer_threshold` must be"), "{error}");
        assert!(
            !error.contains("src/") && !error.contains("high"),
            "{error}"
        );
    }

    #[test]
    fn staff_settings_are_checked_naming_their_key() {
        let cases = [
            (
                Config {
                    portal: PortalConfig {
                        jwt_algorithm: "HS512".into(),
                        ..PortalConfig::default()
                    },
                    ..Config::default()
                },
                "portal.jwt_algorithm",
            ),
            (
                Config {
                    portal: PortalConfig {
                        jwt_algorithm: "HS256".into(),
                        jwt_secret: SecretText::new("short"),
                        ..PortalConfig::default()
                    },
                    ..Config::default()
                },
                "portal.jwt_secret",
            ),
            (
                Config {
                    portal: PortalConfig {
                        jwt_algorithm: "EdDSA".into(),
                        ..PortalConfig::default()
                    },
                    ..Config::default()
                },
                "portal.jwt_public_key_file",
            ),
            (
                Config {
                    auth: AuthConfig {
                        session_idle_secs: 5,
                        ..AuthConfig::default()
                    },
                    ..Config::default()
                },
                "auth.session_idle_secs",
            ),
            (
                Config {
                    queues: QueueConfig {
                        timezone: "Mars/Olympus".into(),
                        ..QueueConfig::default()
                    },
                    ..Config::default()
                },
                "queues.timezone",
            ),
        ];

        for (config, key) in cases {
            let error = config.validate().unwrap_err().to_string();
            assert!(error.contains(key), "{key}: {error}");
        }
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let config = Config {
            portal: PortalConfig {
                jwt_algorithm: "HS256".into(),
                jwt_secret: SecretText::new("0123456789abcdef0123456789abcdef"),
                ..PortalConfig::default()
            },
            ..Config::default()
        };

        let shown = format!("{config:?}");

        assert!(!shown.contains("0123456789abcdef"), "{shown}");
        assert!(shown.contains("[secret]"));
    }
}
