//! The learned half of the safety layer: a classifier that tells messages
//! like the curated urgent exemplars from everything else (the non-urgent
//! look-alikes and every routing example), for the emergencies no rule
//! spells out. The nearest exemplar names the category.

use crate::model::{Embedding, Encoder, cosine};
use crate::routing::{Head, RoutingError, TrainingOptions, fit_head};

use super::cache::UrgencyFiles;
use super::red_flags::RedFlags;

/// Probability of "urgent" from which a message gets emergency guidance.
/// Training weighs the few hundred exemplars as much as the thousands of
/// everyday messages, so the model's probabilities run high: at 0.5 it
/// flagged about one non-urgent look-alike in five during development. The
/// phrase rules catch explicit emergencies first, so this backstop fires
/// only on messages that read strongly like an exemplar.
pub const URGENT_PROBABILITY: f32 = 0.9;

const CALM: usize = 0;
const URGENT: usize = 1;

pub struct UrgencyModel {
    head: Head,
    /// (category index, exemplar vector)
    exemplars: Vec<(usize, Embedding)>,
}

/// The model's view of one piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    pub category: usize,
    pub probability: f32,
}

impl UrgencyModel {
    /// Trains on the exemplars against the look-alikes and `everyday`
    /// messages (the routing examples, none of which is an emergency).
    pub fn train(
        flags: &RedFlags,
        everyday: &[&str],
        encoder: &Encoder,
    ) -> Result<Self, RoutingError> {
        let mut texts: Vec<&str> = Vec::new();
        let mut owners = Vec::new();
        for (index, category) in flags.categories.iter().enumerate() {
            texts.extend(category.exemplars.iter().map(String::as_str));
            owners.extend(std::iter::repeat_n(index, category.exemplars.len()));
        }
        let urgent_count = texts.len();
        texts.extend(flags.contrast.iter().map(String::as_str));
        texts.extend(everyday);

        let vectors = encoder.embed(&texts)?;
        let labels: Vec<usize> = (0..texts.len())
            .map(|i| if i < urgent_count { URGENT } else { CALM })
            .collect();
        let classes = vec!["calm".to_owned(), "urgent".to_owned()];
        let head = fit_head(
            &texts,
            vectors.clone(),
            labels,
            classes,
            &TrainingOptions::default(),
        )?;

        let exemplars = owners.into_iter().zip(vectors).collect();
        Ok(Self { head, exemplars })
    }

    pub(super) fn from_parts(head: Head, exemplars: Vec<(usize, Embedding)>) -> Self {
        Self { head, exemplars }
    }

    pub(super) fn save(&self, files: &UrgencyFiles, key: &str) -> Result<(), RoutingError> {
        files.save(key, &self.head, &self.exemplars)
    }

    /// The most urgent-looking of the given texts, with its vector.
    pub fn judge(
        &self,
        texts: &[&str],
        vectors: &[&Embedding],
    ) -> Result<Option<Judgement>, RoutingError> {
        let logits = self.head.logits_rows(texts, vectors)?;

        let best = logits
            .iter()
            .zip(vectors)
            .map(|(row, vector)| (urgent_probability(row), *vector))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        Ok(best.map(|(probability, vector)| Judgement {
            category: self.nearest_category(vector),
            probability,
        }))
    }

    fn nearest_category(&self, vector: &[f32]) -> usize {
        self.exemplars
            .iter()
            .map(|(category, v)| (*category, cosine(vector, v)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(0, |(category, _)| category)
    }
}

fn urgent_probability(logits: &[f32]) -> f32 {
    let (calm, urgent) = (logits[CALM], logits[URGENT]);
    1.0 / (1.0 + (calm - urgent).exp())
}
