//! The department router: the trained head plus its calibration, turning a
//! message's embeddings into a [`RoutingDecision`].

use std::path::Path;

use super::RoutingError;
use super::artifact::{RouterMeta, RouterPaths};
use super::calibration::softmax;
use super::decision::{AbstainReason, Alternative, RoutingDecision};
use super::head::Head;
use super::intents::{Department, IntentSet, OUT_OF_SCOPE};
use super::text_quality::{is_blank, looks_like_gibberish};
use super::train::{TrainingOptions, argmax, train};
use crate::model::{Embedding, Encoder, ModelFiles};

pub struct Router {
    head: Head,
    meta: RouterMeta,
    departments: Vec<Department>,
}

impl Router {
    /// Loads the stored head, retraining it first when it is missing, was
    /// trained from other intents, or from another encoder.
    pub fn load_or_train(
        intents: &IntentSet,
        models_dir: &Path,
        encoder: &Encoder,
    ) -> Result<Self, RoutingError> {
        let paths = RouterPaths::in_dir(models_dir);
        let current = paths
            .read_meta()
            .filter(|meta| meta.is_current(&intents.hash, &ModelFiles::fingerprint()));

        if let Some(meta) = current
            && let Ok(head) = Head::load(&paths.weights)
        {
            tracing::debug!(classes = meta.classes.len(), "router head is current");
            return Self::assemble(head, meta, intents);
        }

        tracing::info!("router head is missing or stale; retraining");
        Self::train_and_save(intents, models_dir, encoder, &TrainingOptions::default())
    }

    pub fn train_and_save(
        intents: &IntentSet,
        models_dir: &Path,
        encoder: &Encoder,
        options: &TrainingOptions,
    ) -> Result<Self, RoutingError> {
        let trained = train(intents, encoder, options)?;
        let paths = RouterPaths::in_dir(models_dir);
        std::fs::create_dir_all(models_dir)?;

        // Each file is written aside and renamed into place, weights first
        // and metadata last: a reader never sees half a file, and a crash in
        // between leaves metadata that does not match, which retrains.
        let staged_weights = paths.weights.with_extension("safetensors.partial");
        trained.head.save(&staged_weights)?;
        std::fs::rename(&staged_weights, &paths.weights)?;

        let json = serde_json::to_vec_pretty(&trained.meta)
            .map_err(|e| RoutingError::Artifact(e.to_string()))?;
        let staged_meta = paths.meta.with_extension("json.partial");
        std::fs::write(&staged_meta, json)?;
        std::fs::rename(&staged_meta, &paths.meta)?;

        Self::assemble(trained.head, trained.meta, intents)
    }

    fn assemble(head: Head, meta: RouterMeta, intents: &IntentSet) -> Result<Self, RoutingError> {
        if head.classes()? != meta.classes.len() {
            return Err(RoutingError::Artifact(
                "router head and router.json disagree on the classes".into(),
            ));
        }
        Ok(Self {
            head,
            meta,
            departments: intents.departments.clone(),
        })
    }

    pub fn meta(&self) -> &RouterMeta {
        &self.meta
    }

    pub fn departments(&self) -> &[Department] {
        &self.departments
    }

    /// Routes one message. `pieces` are the whole text followed by its
    /// separate requests (see `split_requests`), `vectors` their embeddings
    /// in the same order; both are empty for a blank message.
    pub fn decide(
        &self,
        text: &str,
        pieces: &[&str],
        vectors: &[&Embedding],
    ) -> Result<RoutingDecision, RoutingError> {
        if is_blank(text) {
            return Ok(RoutingDecision::abstain_without_scores(
                AbstainReason::Empty,
            ));
        }
        if looks_like_gibberish(text) {
            return Ok(RoutingDecision::abstain_without_scores(
                AbstainReason::Gibberish,
            ));
        }

        if pieces.is_empty() || pieces.len() != vectors.len() {
            return Err(RoutingError::Artifact(
                "a message needs one embedding per piece".into(),
            ));
        }
        let probs: Vec<Vec<f32>> = self
            .head
            .logits_rows(pieces, vectors)?
            .iter()
            .map(|logits| softmax(logits, self.meta.temperature))
            .collect();

        let (best, confidence) = argmax(&probs[0]);
        let best_class = self.meta.classes[best].as_str();
        let abstain = if best_class == OUT_OF_SCOPE {
            Some(AbstainReason::OutOfScope)
        } else if confidence < self.meta.abstain_threshold {
            Some(AbstainReason::LowConfidence)
        } else {
            None
        };
        let department = abstain.is_none().then(|| best_class.to_owned());
        let secondary = department
            .as_deref()
            .and_then(|primary| self.secondary(primary, &probs[1..]));

        Ok(RoutingDecision {
            department,
            confidence,
            abstain,
            alternatives: self.top_departments(&probs[0], 3),
            secondary,
        })
    }

    /// The first separate request that confidently belongs elsewhere.
    fn secondary(&self, primary: &str, segment_probs: &[Vec<f32>]) -> Option<String> {
        segment_probs.iter().find_map(|probs| {
            let (best, confidence) = argmax(probs);
            let class = self.meta.classes[best].as_str();
            let elsewhere = class != primary && class != OUT_OF_SCOPE;
            (elsewhere && confidence >= self.meta.secondary_threshold).then(|| class.to_owned())
        })
    }

    fn top_departments(&self, probs: &[f32], n: usize) -> Vec<Alternative> {
        let mut ranked: Vec<Alternative> = self
            .meta
            .classes
            .iter()
            .zip(probs)
            .filter(|(class, _)| class.as_str() != OUT_OF_SCOPE)
            .map(|(class, &confidence)| Alternative {
                department: class.clone(),
                confidence,
            })
            .collect();
        ranked.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        ranked.truncate(n);
        ranked
    }
}
