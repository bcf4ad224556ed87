//! What can be wrong with a knowledge file. Every error names the file, so
//! an editor can fix it without reading code.

use std::path::PathBuf;

/// A knowledge file (or the folder) that could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", .file.display())]
pub struct KnowledgeError {
    /// The file at fault, or the folder when it could not be read.
    pub file: PathBuf,
    pub problem: Problem,
}

impl KnowledgeError {
    pub(crate) fn new(file: impl Into<PathBuf>, problem: Problem) -> Self {
        Self {
            file: file.into(),
            problem,
        }
    }
}

/// The problem found in one file. Knowledge text is editorial content, not
/// patient data, so messages may quote it.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("cannot read: {0}")]
    Read(#[from] std::io::Error),

    #[error("no front matter: the file must start with a `---` line and close it with another")]
    MissingFrontMatter,

    #[error("front matter is not valid YAML: {0}")]
    BadYaml(String),

    #[error("front matter lacks `{0}`")]
    MissingField(&'static str),

    #[error("`{0}` is empty")]
    EmptyField(&'static str),

    #[error("id `{id}` must be lower-case letters, digits and hyphens")]
    BadId { id: String },

    #[error("id `{id}` does not match the file name (expected `{expected}`)")]
    IdMismatch { id: String, expected: String },

    #[error("id `{id}` is already used by {}", .first.display())]
    DuplicateId { id: String, first: PathBuf },

    #[error("unknown department `{0}`")]
    UnknownDepartment(String),

    #[error("unknown placeholder `{{{{{0}}}}}`")]
    UnknownPlaceholder(String),

    #[error("a `{{{{` placeholder is not closed with `}}}}`")]
    UnclosedPlaceholder,

    #[error("the answer (the text after the front matter) is empty")]
    EmptyAnswer,

    #[error("`updated` must be a real date written YYYY-MM-DD, found `{0}`")]
    BadDate(String),
}
