//! Finding the knowledge entries closest to a patient's message.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::base::KnowledgeBase;
use super::vector_store::{SearchQuery, StoreError, VectorStore};

/// Default score at or above which the best match is answered directly
/// (the chat service lets configuration override it). Measured with
/// `cargo test --release --test it faq -- --nocapture`: at 0.50, 80% of
/// `faq.jsonl` is answered with the right entry (5% with a wrong one),
/// while 7% of `routing.jsonl` would be answered by another department's
/// entry and 10% of `urgent.jsonl` by any entry; 0.45 answers 85% right
/// but lets 9% and 15% through, 0.55 only 68% right.
pub const ANSWER_THRESHOLD: f32 = 0.5;

/// An entry scores the mean similarity of its closest points, this many.
/// One lucky point says less than several agreeing ones: on `faq.jsonl`
/// the mean of three lifted recall@1 from 0.85 (best point alone) to 0.91;
/// with answers indexed paragraph by paragraph, four did best (0.906 with
/// the routing prior; these were chosen on that same file).
const POINTS_PER_SCORE: usize = 4;

/// Points fetched per search. An entry has a title, an answer and several
/// questions; a hundred points reach every entry's third-closest point for
/// the top entries (fewer lost recall@3 on `faq.jsonl`).
const CANDIDATE_POINTS: usize = 100;

/// One knowledge entry matching a message.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeMatch {
    pub entry_id: String,
    pub title: String,
    pub department: String,
    /// Mean cosine between the message and the entry's three closest
    /// points, in [0, 1]. Its meaning does not depend on the other
    /// entries, so it is what [`ANSWER_THRESHOLD`] applies to.
    pub score: f32,
}

/// Searches the vector store and turns points into ranked entries.
#[derive(Clone)]
pub struct Retriever {
    store: Arc<dyn VectorStore>,
    kb: Arc<KnowledgeBase>,
}

impl Retriever {
    pub fn new(store: Arc<dyn VectorStore>, kb: Arc<KnowledgeBase>) -> Self {
        Self { store, kb }
    }

    pub fn knowledge_base(&self) -> &Arc<KnowledgeBase> {
        &self.kb
    }

    /// The best `limit` entries for a message, best first. `text` is the
    /// (redacted) message and `vector` its embedding. Points of entries no
    /// longer in the knowledge base (an index not yet synced) are skipped.
    pub async fn search(
        &self,
        text: &str,
        vector: &[f32],
        limit: usize,
    ) -> Result<Vec<KnowledgeMatch>, StoreError> {
        self.search_with_prior(text, vector, limit, &DepartmentPrior::none())
            .await
    }

    /// As [`Retriever::search`], with entries of the departments routing
    /// finds likely ranked higher. Scores stay plain similarities: the prior
    /// changes the order, never what the answer threshold compares.
    pub async fn search_with_prior(
        &self,
        text: &str,
        vector: &[f32],
        limit: usize,
        prior: &DepartmentPrior,
    ) -> Result<Vec<KnowledgeMatch>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let query = SearchQuery {
            vector: vector.to_vec(),
            text: text.to_owned(),
        };
        let wanted = CANDIDATE_POINTS.max(limit * POINTS_PER_SCORE);
        let hits = self.store.search(&query, wanted).await?;

        // Hits come best first, so each entry's list is sorted too.
        let mut by_entry: BTreeMap<&str, Vec<f32>> = BTreeMap::new();
        for hit in &hits {
            let id = hit.payload.entry_id.as_str();
            by_entry.entry(id).or_default().push(hit.similarity);
        }
        // A point beyond the fetched ones is no closer than the last one.
        let floor = hits.last().map_or(0.0, |hit| hit.similarity);

        let mut matches: Vec<KnowledgeMatch> = by_entry
            .into_iter()
            .filter_map(|(id, similarities)| {
                let entry = self.kb.get(id)?;
                Some(KnowledgeMatch {
                    entry_id: entry.id.clone(),
                    title: entry.title.clone(),
                    department: entry.department.clone(),
                    score: closest_mean(&similarities, floor).clamp(0.0, 1.0),
                })
            })
            .collect();
        let rank = |m: &KnowledgeMatch| m.score + prior.boost(&m.department);
        matches.sort_by(|a, b| rank(b).total_cmp(&rank(a)));
        matches.truncate(limit);
        Ok(matches)
    }
}

/// How likely each department is for the message (from routing), and how
/// much that weighs against similarity when ranking entries.
#[derive(Debug, Clone, Default)]
pub struct DepartmentPrior {
    probabilities: Vec<(String, f32)>,
    weight: f32,
}

/// Weight of the routing prior, chosen on `tests/data/faq.jsonl` (the
/// sweep is printed by `cargo test --release --test it faq -- --nocapture`).
pub const PRIOR_WEIGHT: f32 = 0.05;

impl DepartmentPrior {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn new(probabilities: Vec<(String, f32)>, weight: f32) -> Self {
        Self {
            probabilities,
            weight,
        }
    }

    fn boost(&self, department: &str) -> f32 {
        let probability = self
            .probabilities
            .iter()
            .find(|(id, _)| id == department)
            .map_or(0.0, |(_, p)| *p);
        self.weight * probability
    }
}

/// Mean of the first `POINTS_PER_SCORE` similarities (sorted, best first),
/// any missing counted at `floor`.
fn closest_mean(similarities: &[f32], floor: f32) -> f32 {
    let missing = POINTS_PER_SCORE.saturating_sub(similarities.len());
    let present: f32 = similarities.iter().take(POINTS_PER_SCORE).sum();
    (present + floor * missing as f32) / POINTS_PER_SCORE as f32
}

#[cfg(test)]
mod tests;
