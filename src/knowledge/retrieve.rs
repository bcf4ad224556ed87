//! Finding the knowledge entries closest to a patient's message.

use std::collections::HashMap;
use std::sync::Arc;

use super::base::KnowledgeBase;
use super::vector_store::{SearchMode, SearchQuery, StoreError, VectorStore};

/// Default score at or above which the best match is answered directly
/// (the chat service lets configuration override it). Chosen on
/// `tests/data/faq.jsonl` against `routing.jsonl` and `urgent.jsonl`; the
/// trade-off table is printed by `cargo test --release --test it faq`.
pub const ANSWER_THRESHOLD: f32 = 0.6;

/// How [`Retriever::new`] ranks points.
pub const DEFAULT_SEARCH_MODE: SearchMode = SearchMode::Dense;

/// Points fetched per entry asked for: an entry has a title, an answer and
/// usually three to six questions, and one entry's points often crowd the
/// top of the list.
const POINTS_PER_ENTRY: usize = 8;

/// One knowledge entry matching a message.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeMatch {
    pub entry_id: String,
    pub title: String,
    pub department: String,
    /// Best cosine between the message and any of the entry's points,
    /// clamped to [0, 1]. Comparable across queries and modes, so it is
    /// what [`ANSWER_THRESHOLD`] applies to.
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
        let hits = self.store.search(&query, limit * POINTS_PER_ENTRY).await?;

        // Hits come best first: an entry ranks where its first point does
        // and scores its best similarity.
        let mut matches: Vec<KnowledgeMatch> = Vec::new();
        let mut position: HashMap<&str, usize> = HashMap::new();
        for hit in &hits {
            let Some(entry) = self.kb.get(&hit.payload.entry_id) else {
                continue;
            };
            let score = hit.similarity.clamp(0.0, 1.0);
            match position.get(entry.id.as_str()) {
                Some(&i) => matches[i].score = matches[i].score.max(score),
                None => {
                    position.insert(&entry.id, matches.len());
                    matches.push(KnowledgeMatch {
                        entry_id: entry.id.clone(),
                        title: entry.title.clone(),
                        department: entry.department.clone(),
                        score,
                    });
                }
            }
        }

        matches.truncate(limit);
        Ok(matches)
    }
}

#[cfg(test)]
mod tests;
