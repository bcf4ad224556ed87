//! The curated red-flag data: categories with patient-facing guidance and
//! urgent exemplars, plus near-miss contrast messages that are not urgent.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub guidance: String,
    pub exemplars: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlags {
    pub categories: Vec<Category>,
    pub contrast: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RedFlagsError {
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Categories the rules know; the data file must cover each of them.
pub const RULE_CATEGORIES: [&str; 16] = [
    "cardiac",
    "stroke",
    "breathing",
    "suicidal_self_harm",
    "overdose_poisoning",
    "anaphylaxis",
    "severe_bleeding",
    "seizure",
    "unresponsive",
    "infant_fever",
    "pregnancy_bleeding",
    "vision_loss",
    "severe_hypoglycaemia",
    "preterm_labour",
    "assault_violence",
    "stated_emergency",
];

impl RedFlags {
    pub fn load(path: &Path) -> Result<Self, RedFlagsError> {
        let bytes = std::fs::read(path).map_err(|source| RedFlagsError::Io {
            path: path.to_owned(),
            source,
        })?;
        let invalid = |message: String| RedFlagsError::Invalid {
            path: path.to_owned(),
            message,
        };

        let flags: RedFlags =
            serde_norway::from_slice(&bytes).map_err(|e| invalid(e.to_string()))?;
        for id in RULE_CATEGORIES {
            let category = flags
                .category(id)
                .ok_or_else(|| invalid(format!("category `{id}` is missing")))?;
            if category.guidance.trim().is_empty() {
                return Err(invalid(format!("category `{id}` has no guidance")));
            }
        }
        Ok(flags)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }
}
