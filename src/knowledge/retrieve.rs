//! Finding the knowledge entries closest to a patient's message.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::base::KnowledgeBase;
use super::vector_store::{SearchMode, SearchQuery, StoreError, VectorStore};

/// Default score at or above which the best match is answered directly
/// (the chat service lets configuration override it). Measured with
/// `cargo test --release --test it faq -- --nocapture`: at 0.50, 80% of
/// `faq.jsonl` is answered with the right entry (5% with a wrong one),
/// while 7% of `routing.jsonl` would be answered by another department's
/// entry and 10% of `urgent.jsonl` by any entry; 0.45 answers 85% right
/// but lets 9% and 15% through, 0.55 only 68% right.
pub const ANSWER_THRESHOLD: f32 = 0.5;

/// How [`Retriever::new`] ranks points.
pub const DEFAULT_SEARCH_MODE: SearchMode = SearchMode::Dense;

/// An entry scores the mean similarity of its closest points, this many.
/// One lucky point says less than several agreeing ones: on `faq.jsonl`
/// the mean of three lifted recall@1 from 0.85 (best point alone) to 0.91.
const POINTS_PER_SCORE: usize = 3;

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
    /// points, in [0, 1]. Comparable across messages and search modes, so
    /// it is what [`ANSWER_THRESHOLD`] applies to.
    pub score: f32,
}

/// Searches the vector store and turns points into ranked entries.
#[derive(Clone)]
pub struct Retriever {
    store: Arc<dyn VectorStore>,
    kb: Arc<KnowledgeBase>,
    mode: SearchMode,
}

impl Retriever {
    pub fn new(store: Arc<dyn VectorStore>, kb: Arc<KnowledgeBase>) -> Self {
        Self {
            store,
            kb,
            mode: DEFAULT_SEARCH_MODE,
        }
    }

    /// The same retriever ranking with `mode`.
    pub fn with_mode(self, mode: SearchMode) -> Self {
        Self { mode, ..self }
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
        if limit == 0 {
            return Ok(Vec::new());
        }
        let query = SearchQuery {
            vector: vector.to_vec(),
            text: text.to_owned(),
            mode: self.mode,
        };
        let wanted = CANDIDATE_POINTS.max(limit * POINTS_PER_SCORE);
        let hits = self.store.search(&query, wanted).await?;

        let mut by_entry: BTreeMap<&str, EntryHits> = BTreeMap::new();
        for hit in &hits {
            let entry = by_entry.entry(hit.payload.entry_id.as_str()).or_default();
            entry.similarities.push(hit.similarity);
            entry.rank_scores.push(hit.rank_score);
        }

        // A point beyond the fetched ones is no closer than the last one.
        let floor = Floor {
            similarity: hits.iter().map(|h| h.similarity).fold(1.0, f32::min),
            rank_score: hits.last().map_or(0.0, |h| h.rank_score),
        };
        let mut ranked: Vec<(f32, KnowledgeMatch)> = by_entry
            .into_iter()
            .filter_map(|(id, hits)| {
                // Points of entries gone from the files (index not yet
                // synced) are skipped.
                let entry = self.kb.get(id)?;
                let score = top_mean(&hits.similarities, floor.similarity);
                let rank = match self.mode {
                    SearchMode::Dense => score,
                    SearchMode::Hybrid(_) => top_sum(&hits.rank_scores, floor.rank_score),
                };
                let found = KnowledgeMatch {
                    entry_id: entry.id.clone(),
                    title: entry.title.clone(),
                    department: entry.department.clone(),
                    score: score.clamp(0.0, 1.0),
                };
                Some((rank, found))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));

        Ok(ranked.into_iter().take(limit).map(|(_, m)| m).collect())
    }
}

/// One entry's share of the fetched points.
#[derive(Default)]
struct EntryHits {
    similarities: Vec<f32>,
    rank_scores: Vec<f32>,
}

struct Floor {
    similarity: f32,
    rank_score: f32,
}

/// Mean of the `POINTS_PER_SCORE` largest values, missing ones at `floor`.
fn top_mean(values: &[f32], floor: f32) -> f32 {
    top_sum(values, floor) / POINTS_PER_SCORE as f32
}

fn top_sum(values: &[f32], floor: f32) -> f32 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    sorted.resize(POINTS_PER_SCORE.max(sorted.len()), floor);
    sorted.iter().take(POINTS_PER_SCORE).sum()
}

#[cfg(test)]
mod tests;
