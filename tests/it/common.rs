//! Shared fixtures: the repository's own model, intents and test data.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use careline::bootstrap::{AssetPaths, load_triage};
use careline::triage::Triage;

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn data(name: &str) -> PathBuf {
    repo().join("tests/data").join(name)
}

pub fn assets() -> AssetPaths {
    AssetPaths::new(repo().join("models"), repo().join("intents"))
}

/// The full triage pipeline, loaded once for the whole test binary.
pub fn triage() -> &'static Triage {
    static TRIAGE: OnceLock<Triage> = OnceLock::new();
    TRIAGE.get_or_init(|| load_triage(&assets()).expect("triage loads from the repository"))
}
