//! Department routing: intents as data, a classifier head over sentence
//! embeddings, calibration, and the decision the rest of Careline acts on.

mod artifact;
mod calibration;
mod decision;
mod head;
mod intents;
mod lexical;
mod router;
mod segments;
mod text_quality;
mod train;

pub use artifact::{CrossValidation, RouterMeta, RouterPaths};
pub use decision::{AbstainReason, Alternative, RoutingDecision};
pub use head::Head;
pub use intents::{Department, IntentSet, IntentsError, OUT_OF_SCOPE, ResponseTarget};
pub use router::Router;
pub use segments::split_requests;
pub use text_quality::is_blank;
pub use train::{TrainingOptions, fit_head};

use crate::model::ModelError;

#[derive(Debug, thiserror::Error)]
pub enum RoutingError {
    #[error(transparent)]
    Intents(#[from] IntentsError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("router computation failed: {0}")]
    Candle(#[from] candle_core::Error),
    #[error("router files: {0}")]
    Artifact(String),
    #[error("writing router files: {0}")]
    Io(#[from] std::io::Error),
}
