//! Nearness to curated urgent exemplars, weighed against nearness to
//! non-urgent look-alikes, for the emergencies no rule spells out.

use crate::model::{Embedding, Encoder, ModelError, cosine};

use super::red_flags::RedFlags;

/// At or above this similarity to an urgent exemplar a message is urgent
/// whatever the look-alikes say: it reads like a known emergency.
pub const CERTAIN: f32 = 2.0;
/// From this similarity up, a message is urgent when it is also clearly
/// closer to the urgent exemplars than to any non-urgent look-alike.
pub const LIKELY: f32 = 2.0;
/// How much closer to an urgent exemplar than to a look-alike counts as
/// clearly closer.
pub const MARGIN: f32 = 0.05;

pub struct ExemplarIndex {
    /// (category index, exemplar vector)
    urgent: Vec<(usize, Embedding)>,
    contrast: Vec<Embedding>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    pub category: usize,
    pub urgent: f32,
    pub contrast: f32,
}

impl Nearest {
    pub fn is_urgent(&self) -> bool {
        self.urgent >= CERTAIN || (self.urgent >= LIKELY && self.urgent - self.contrast >= MARGIN)
    }
}

impl ExemplarIndex {
    pub fn build(flags: &RedFlags, encoder: &Encoder) -> Result<Self, ModelError> {
        let mut texts: Vec<&str> = Vec::new();
        let mut owners = Vec::new();
        for (index, category) in flags.categories.iter().enumerate() {
            texts.extend(category.exemplars.iter().map(String::as_str));
            owners.extend(std::iter::repeat_n(index, category.exemplars.len()));
        }
        let urgent_count = texts.len();
        texts.extend(flags.contrast.iter().map(String::as_str));

        let mut vectors = encoder.embed(&texts)?;
        let contrast = vectors.split_off(urgent_count);
        Ok(Self {
            urgent: owners.into_iter().zip(vectors).collect(),
            contrast,
        })
    }

    pub fn nearest(&self, vector: &[f32]) -> Nearest {
        let (category, urgent) = self
            .urgent
            .iter()
            .map(|(category, v)| (*category, cosine(vector, v)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        let contrast = self
            .contrast
            .iter()
            .map(|v| cosine(vector, v))
            .fold(0.0, f32::max);

        Nearest {
            category,
            urgent,
            contrast,
        }
    }
}
