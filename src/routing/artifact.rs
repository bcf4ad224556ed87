//! The trained router on disk: `router.safetensors` (the head's weights) and
//! `router.json` (classes, calibration, and what it was trained from).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Bumped whenever training changes in a way that should retrain every head.
pub const TRAINER_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RouterMeta {
    pub trainer_version: u32,
    /// Hash of the `intents/` files the head learned from.
    pub intents_hash: String,
    /// Fingerprint of the encoder files the embeddings came from.
    pub encoder_fingerprint: String,
    /// Class order of the head's logits: departments, then `out_of_scope`.
    pub classes: Vec<String>,
    pub temperature: f32,
    /// Below this calibrated confidence the router asks instead of guessing.
    pub abstain_threshold: f32,
    /// A second request must reach this confidence to be reported.
    pub secondary_threshold: f32,
    pub seed: u64,
    pub epochs: usize,
    pub examples: usize,
    pub cross_validation: CrossValidation,
}

/// Held-out figures from k-fold cross-validation over the intents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CrossValidation {
    pub folds: usize,
    pub accuracy: f32,
    pub ece_before: f32,
    pub ece_after: f32,
    pub abstention_rate: f32,
    pub accuracy_when_answered: f32,
}

#[derive(Debug, Clone)]
pub struct RouterPaths {
    pub weights: PathBuf,
    pub meta: PathBuf,
}

impl RouterPaths {
    pub fn in_dir(models_dir: &Path) -> Self {
        Self {
            weights: models_dir.join("router.safetensors"),
            meta: models_dir.join("router.json"),
        }
    }

    /// The stored metadata, if present and readable.
    pub fn read_meta(&self) -> Option<RouterMeta> {
        let bytes = std::fs::read(&self.meta).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

impl RouterMeta {
    /// True when the head was trained from these intents with this trainer
    /// and this encoder.
    pub fn is_current(&self, intents_hash: &str, encoder_fingerprint: &str) -> bool {
        self.trainer_version == TRAINER_VERSION
            && self.intents_hash == intents_hash
            && self.encoder_fingerprint == encoder_fingerprint
    }
}
