//! Departments and their routing examples, read from `intents/*.yaml`.
//!
//! Each file is one department (or the out-of-scope set); adding a department
//! is adding a file. The set's hash tells a stale router head from a current
//! one.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Class name of the chit-chat, off-topic and gibberish examples.
pub const OUT_OF_SCOPE: &str = "out_of_scope";

/// Fewer examples than this cannot be split for calibration meaningfully.
const MIN_EXAMPLES: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum IntentsError {
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{0} holds no department files")]
    Empty(PathBuf),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentFile {
    id: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    response_time: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    examples: Vec<String>,
}

/// A department a message can be routed to.
#[derive(Debug, Clone)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub description: String,
    /// What patients are told, e.g. "within 2 business days".
    pub response_time: String,
    /// The same promise, for the queue's due dates.
    pub response_target: ResponseTarget,
    pub examples: Vec<String>,
}

/// How long a department has to answer, in business time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseTarget {
    BusinessDays(u32),
    BusinessHours(u32),
}

impl ResponseTarget {
    /// Reads "within N business day(s)" or "within N business hour(s)".
    pub fn parse(text: &str) -> Option<Self> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let [within, count, business, unit] = words.as_slice() else {
            return None;
        };
        if !within.eq_ignore_ascii_case("within") || !business.eq_ignore_ascii_case("business") {
            return None;
        }
        let count: u32 = count.parse().ok().filter(|&n| n > 0)?;
        match unit.to_ascii_lowercase().trim_end_matches('s') {
            "day" => Some(Self::BusinessDays(count)),
            "hour" => Some(Self::BusinessHours(count)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct IntentSet {
    pub departments: Vec<Department>,
    pub out_of_scope: Vec<String>,
    /// SHA-256 over every file's name and bytes, in name order.
    pub hash: String,
}

impl IntentSet {
    pub fn load(dir: &Path) -> Result<Self, IntentsError> {
        let io = |source| IntentsError::Io {
            path: dir.to_owned(),
            source,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        paths.sort();

        let mut hasher = Sha256::new();
        let mut departments = Vec::new();
        let mut out_of_scope = Vec::new();
        for path in &paths {
            let bytes = std::fs::read(path).map_err(|source| IntentsError::Io {
                path: path.clone(),
                source,
            })?;
            hasher.update(path.file_name().unwrap_or_default().as_encoded_bytes());
            hasher.update(&bytes);

            let file = parse(path, &bytes)?;
            if file.kind.as_deref() == Some(OUT_OF_SCOPE) {
                out_of_scope.extend(file.examples);
            } else {
                let response_time = file
                    .response_time
                    .unwrap_or_else(|| "within 1 business day".to_owned());
                let response_target =
                    ResponseTarget::parse(&response_time).ok_or_else(|| IntentsError::Invalid {
                        path: path.clone(),
                        message: format!(
                            "response_time `{response_time}` must read \"within N business days\" or \"within N business hours\""
                        ),
                    })?;
                departments.push(Department {
                    id: file.id,
                    name: file.name,
                    description: file.description.trim().to_owned(),
                    response_time,
                    response_target,
                    examples: file.examples,
                });
            }
        }

        if departments.is_empty() {
            return Err(IntentsError::Empty(dir.to_owned()));
        }
        Ok(Self {
            departments,
            out_of_scope,
            hash: hex::encode(hasher.finalize()),
        })
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<IntentFile, IntentsError> {
    let invalid = |message: String| IntentsError::Invalid {
        path: path.to_owned(),
        message,
    };

    let mut file: IntentFile =
        serde_norway::from_slice(bytes).map_err(|e| invalid(e.to_string()))?;

    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if file.id != stem {
        return Err(invalid(format!(
            "id `{}` must match the file name",
            file.id
        )));
    }
    if !file.id.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(invalid(
            "id must be lower-case letters and underscores".into(),
        ));
    }
    if let Some(kind) = &file.kind
        && kind != OUT_OF_SCOPE
    {
        return Err(invalid(format!("unknown kind `{kind}`")));
    }
    if file.kind.is_none() && file.id == OUT_OF_SCOPE {
        return Err(invalid(
            "the out-of-scope set needs `kind: out_of_scope`".into(),
        ));
    }

    file.examples.retain(|e| !e.trim().is_empty());
    file.examples.sort();
    file.examples.dedup();
    if file.examples.len() < MIN_EXAMPLES {
        return Err(invalid(format!(
            "{} examples; at least {MIN_EXAMPLES} are needed",
            file.examples.len()
        )));
    }
    if file.name.trim().is_empty() {
        return Err(invalid("name is empty".into()));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &str) {
        std::fs::write(dir.join(name), body).unwrap();
    }

    fn examples(n: usize) -> String {
        (0..n).map(|i| format!("  - \"example {i}\"\n")).collect()
    }

    #[test]
    fn a_new_file_adds_a_department_and_changes_the_hash() {
        let dir = tempfile::tempdir().unwrap();
        let body = format!("id: billing\nname: Billing\nexamples:\n{}", examples(12));
        write(dir.path(), "billing.yaml", &body);
        let before = IntentSet::load(dir.path()).unwrap();

        let body = format!("id: dental\nname: Dental\nexamples:\n{}", examples(12));
        write(dir.path(), "dental.yaml", &body);
        let after = IntentSet::load(dir.path()).unwrap();

        assert_eq!(before.departments.len(), 1);
        assert_eq!(after.departments.len(), 2);
        assert!(after.department("dental").is_some());
        assert_ne!(before.hash, after.hash);
    }

    #[test]
    fn id_must_match_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let body = format!("id: billing\nname: Billing\nexamples:\n{}", examples(12));
        write(dir.path(), "money.yaml", &body);

        let err = IntentSet::load(dir.path()).unwrap_err();

        assert!(
            err.to_string().contains("must match the file name"),
            "{err}"
        );
    }

    #[test]
    fn response_times_are_read_as_targets() {
        assert_eq!(
            ResponseTarget::parse("within 2 business days"),
            Some(ResponseTarget::BusinessDays(2))
        );
        assert_eq!(
            ResponseTarget::parse("Within 1 business day"),
            Some(ResponseTarget::BusinessDays(1))
        );
        assert_eq!(
            ResponseTarget::parse("within 4 business hours"),
            Some(ResponseTarget::BusinessHours(4))
        );
        assert_eq!(ResponseTarget::parse("soon"), None);
        assert_eq!(ResponseTarget::parse("within 0 business days"), None);
    }

    #[test]
    fn too_few_examples_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let body = format!("id: billing\nname: Billing\nexamples:\n{}", examples(3));
        write(dir.path(), "billing.yaml", &body);

        let err = IntentSet::load(dir.path()).unwrap_err();

        assert!(err.to_string().contains("at least"), "{err}");
    }
}
