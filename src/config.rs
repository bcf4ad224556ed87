//! One typed configuration for the service, loaded once at start-up:
//! built-in defaults, then a TOML file, then `CARELINE_*` environment
//! variables (nested keys joined with `__`, e.g.
//! `CARELINE_HOSPITAL__MAIN_PHONE`). Every key is documented in
//! `docs/CONFIGURATION.md`; a bad value fails start-up naming the key.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// The file read when `--config` is not given (missing is fine).
pub const DEFAULT_CONFIG_FILE: &str = "careline.toml";

/// Environment variables with the `CARELINE_` prefix that are not
/// configuration keys.
const NOT_CONFIG_KEYS: &[&str] = &["config", "python", "log_format"];

/// Environment keys (after `CARELINE_`, lower-cased) read as hospital text.
const HOSPITAL_ENV: &str = "hospital__";

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
    /// Hospital-specific facts used in knowledge answers and replies.
    pub hospital: Hospital,
}

/// Facts only the deploying hospital knows. The defaults are obvious
/// examples (555-01xx numbers are reserved for fiction) so that an
/// unconfigured install never shows a real-looking wrong number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hospital {
    pub name: String,
    pub main_phone: String,
    pub nurse_line: String,
    pub scheduling_phone: String,
    pub billing_phone: String,
    pub records_phone: String,
    pub pharmacy_phone: String,
    pub portal_support_phone: String,
    pub patient_relations_phone: String,
    pub interpreter_phone: String,
    pub portal_url: String,
    pub website_url: String,
    pub financial_assistance_url: String,
    pub price_estimate_url: String,
    pub address: String,
    pub hours: String,
    pub lab_hours: String,
    pub parking: String,
    pub emergency_number: String,
    pub crisis_line: String,
    /// Named in the overdose and poisoning guidance.
    pub poison_control: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("configuration: {0}")]
    Invalid(Box<figment::Error>),
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
            hospital: Hospital::default(),
        }
    }
}

impl Default for Hospital {
    fn default() -> Self {
        let s = |v: &str| v.to_owned();
        Self {
            name: s("Example Community Hospital"),
            main_phone: s("555-0100"),
            nurse_line: s("555-0101"),
            scheduling_phone: s("555-0102"),
            billing_phone: s("555-0103"),
            records_phone: s("555-0104"),
            pharmacy_phone: s("555-0105"),
            portal_support_phone: s("555-0106"),
            patient_relations_phone: s("555-0107"),
            interpreter_phone: s("555-0108"),
            portal_url: s("https://portal.example.org"),
            website_url: s("https://www.example.org"),
            financial_assistance_url: s("https://www.example.org/financial-assistance"),
            price_estimate_url: s("https://www.example.org/estimates"),
            address: s("100 Example Avenue, Exampletown"),
            hours: s("Monday to Friday, 8 am to 5 pm"),
            lab_hours: s("Monday to Friday, 7 am to 6 pm, and Saturday, 8 am to noon"),
            parking: s("Visitor parking is in the garage next to the main entrance."),
            emergency_number: s("911"),
            crisis_line: s("988"),
            poison_control: s("1-800-222-1222"),
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
                .filter(|key| !key.as_str().to_lowercase().starts_with(HOSPITAL_ENV))
                .split("__"),
        );
        // Hospital details are text even when they look like numbers
        // (`911`), so they skip the parsing the other variables get.
        for (name, value) in std::env::vars() {
            if let Some(field) = name.strip_prefix("CARELINE_HOSPITAL__") {
                let key = format!("hospital.{}", field.to_lowercase());
                figment = figment.merge(Serialized::default(&key, value));
            }
        }
        for (key, value) in overrides {
            figment = figment.merge(Serialized::default(key, value));
        }

        let config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(Box::new(e)))?;
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

    /// Where the embedded vector index lives.
    pub fn vector_dir(&self) -> PathBuf {
        self.data_dir.join("qdrant")
    }
}

impl Hospital {
    /// Values for `{{hospital.<key>}}` placeholders in knowledge entries.
    pub fn placeholders(&self) -> BTreeMap<String, String> {
        let value = serde_json::to_value(self).expect("plain strings serialise");
        let serde_json::Value::Object(fields) = value else {
            unreachable!("a struct serialises to an object")
        };
        fields
            .into_iter()
            .map(|(key, value)| {
                let text = value.as_str().unwrap_or_default().to_owned();
                (format!("hospital.{key}"), text)
            })
            .collect()
    }

    pub fn is_example(&self) -> bool {
        *self == Hospital::default()
    }
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
        assert!(error.contains("answer_treshold"), "{error}");
    }
}
