//! Loading everything triage needs, in order: the encoder (fetched when
//! missing), the intents, the router head (retrained when stale) and the
//! red-flag exemplars.

use std::path::PathBuf;
use std::time::Instant;

use crate::model::{Encoder, ModelError, fetch_model};
use crate::routing::{IntentSet, Router, RoutingError};
use crate::safety::{SafetyError, SafetyLayer};
use crate::triage::Triage;

/// Sub-folder of the models directory that holds the encoder files.
pub const ENCODER_DIR: &str = "all-MiniLM-L6-v2";

/// Where the red-flag data lives inside the intents directory.
pub const RED_FLAGS_FILE: &str = "safety/red_flags.yaml";

#[derive(Debug, Clone)]
pub struct AssetPaths {
    pub models: PathBuf,
    pub intents: PathBuf,
}

impl AssetPaths {
    pub fn new(models: impl Into<PathBuf>, intents: impl Into<PathBuf>) -> Self {
        Self {
            models: models.into(),
            intents: intents.into(),
        }
    }

    pub fn encoder_dir(&self) -> PathBuf {
        self.models.join(ENCODER_DIR)
    }

    pub fn red_flags(&self) -> PathBuf {
        self.intents.join(RED_FLAGS_FILE)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Routing(#[from] RoutingError),
    #[error(transparent)]
    Safety(#[from] SafetyError),
}

pub fn load_encoder(paths: &AssetPaths) -> Result<Encoder, ModelError> {
    let files = fetch_model(&paths.encoder_dir())?;
    Encoder::load(&files)
}

pub fn load_triage(paths: &AssetPaths) -> Result<Triage, LoadError> {
    let started = Instant::now();
    let encoder = load_encoder(paths)?;

    let intents = IntentSet::load(&paths.intents).map_err(RoutingError::from)?;
    let router = Router::load_or_train(&intents, &paths.models, &encoder)?;
    let safety = SafetyLayer::load(&paths.red_flags(), &intents, &encoder, &paths.models)?;

    tracing::info!(
        departments = intents.departments.len(),
        duration_ms = started.elapsed().as_millis() as u64,
        "triage ready"
    );
    Ok(Triage::new(encoder, safety, router))
}
