//! One message through safety and routing: the safety layer first, always,
//! then the router. Embeddings for both are computed in one encoder call.

use serde::Serialize;

use crate::model::{Embedding, Encoder};
use crate::routing::{Router, RoutingDecision, RoutingError, is_blank, split_requests};
use crate::safety::{SafetyLayer, UrgentFinding};

/// Safety and routing verdicts for one message.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub urgent: Option<UrgentFinding>,
    pub routing: RoutingDecision,
    /// The whole message's sentence vector (none for a blank message),
    /// reused for knowledge search.
    #[serde(skip)]
    pub embedding: Option<Embedding>,
}

pub struct Triage {
    encoder: Encoder,
    safety: SafetyLayer,
    router: Router,
}

impl Triage {
    pub fn new(encoder: Encoder, safety: SafetyLayer, router: Router) -> Self {
        Self {
            encoder,
            safety,
            router,
        }
    }

    pub fn router(&self) -> &Router {
        &self.router
    }

    pub fn safety(&self) -> &SafetyLayer {
        &self.safety
    }

    pub fn encoder(&self) -> &Encoder {
        &self.encoder
    }

    /// Assesses messages in one batch; the result is in input order.
    pub fn assess_batch<S: AsRef<str>>(
        &self,
        texts: &[S],
    ) -> Result<Vec<Assessment>, RoutingError> {
        // Each message is embedded whole and, when it holds several
        // requests or sentences, part by part.
        let mut sentences: Vec<String> = Vec::new();
        let mut spans = Vec::with_capacity(texts.len());
        for text in texts {
            let text = text.as_ref();
            let start = sentences.len();
            if !is_blank(text) {
                sentences.push(text.to_owned());
                let parts = split_requests(text);
                if parts.len() > 1 {
                    sentences.extend(parts);
                }
            }
            spans.push(start..sentences.len());
        }
        let vectors = self.encoder.embed(&sentences)?;

        texts
            .iter()
            .zip(spans)
            .map(|(text, span)| {
                let pieces: Vec<&str> =
                    sentences[span.clone()].iter().map(String::as_str).collect();
                let piece_vectors: Vec<&Embedding> = vectors[span].iter().collect();
                self.assess_embedded(text.as_ref(), &pieces, &piece_vectors)
            })
            .collect()
    }

    pub fn assess(&self, text: &str) -> Result<Assessment, RoutingError> {
        let mut batch = self.assess_batch(&[text])?;
        Ok(batch.remove(0))
    }

    /// `pieces` are the whole text then its separate requests (none for a
    /// blank message), with their vectors in the same order.
    fn assess_embedded(
        &self,
        text: &str,
        pieces: &[&str],
        vectors: &[&Embedding],
    ) -> Result<Assessment, RoutingError> {
        let urgent = self
            .safety
            .assess(text, pieces, vectors)
            .map_err(|e| RoutingError::Artifact(e.to_string()))?;
        let routing = self.router.decide(text, pieces, vectors)?;

        Ok(Assessment {
            urgent,
            routing,
            embedding: vectors.first().map(|v| (*v).clone()),
        })
    }
}
