//! Labelled evaluation files, in the formats of the shared eval README.

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct RoutingExample {
    pub text: String,
    pub department: String,
    #[serde(default)]
    pub also: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UrgentExample {
    pub text: String,
    pub urgent: bool,
    #[serde(default)]
    pub category: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
}

/// Reads a JSONL file; blank lines are skipped, a bad line is an error
/// naming the file and line.
pub fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, DatasetError> {
    let shown = path.display().to_string();
    let body = std::fs::read_to_string(path).map_err(|source| DatasetError::Io {
        path: shown.clone(),
        source,
    })?;

    body.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|e| DatasetError::Line {
                path: shown.clone(),
                line: index + 1,
                message: format!("not a valid example (column {})", e.column()),
            })
        })
        .collect()
}
