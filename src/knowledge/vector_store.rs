//! The seam between knowledge retrieval and a vector database.
//!
//! Careline keeps knowledge vectors either in-process ([`EdgeStore`], Qdrant
//! Edge under the data directory) or, at scale, in a Qdrant server chosen by
//! the `qdrant_url` setting. Callers hold an `Arc<dyn VectorStore>` and never
//! know which.
//!
//! # What an implementation must do
//!
//! - Keep, per point, its dense vector ([`IndexedPoint::dense`], 384
//!   dimensions) under the name [`DENSE_VECTOR`] with cosine distance.
//! - Store [`PointPayload`] as the point's payload, field for field (JSON
//!   keys `entry_id`, `field`, `content_hash`), and return it unchanged.
//! - Make `upsert` replace a point with the same id entirely, and `delete`
//!   ignore ids that do not exist.
//! - Answer [`VectorStore::search`] with the points closest to the query
//!   vector, best first, each with its cosine in [`PointHit::similarity`]
//!   (callers threshold on it, so it must be the plain cosine).
//! - Be safe to call from many tasks at once, and never block the async
//!   runtime (run blocking work on `spawn_blocking`).
//! - Make everything written visible at once, and durable across a
//!   restart after `flush`.
//!
//! A server implementation maps these one to one onto a collection with
//! one named dense vector, `upsert` / `delete` points with `wait: true`, a
//! scroll over all points for [`VectorStore::payloads`] and a `query` with
//! `using: "dense"` and `with_payload: true`.
//!
//! Lexical matching is left out on purpose: dense search alone measured
//! best. BM25 on Qdrant's sparse vectors, fused with the dense list by
//! reciprocal rank, lowered recall@1 on `faq.jsonl` from 0.906 to 0.887
//! (commit 257acc8 holds that code and its test). The point and query texts
//! ([`IndexedPoint::text`], [`SearchQuery::text`]) still cross this seam,
//! so a store may add lexical matching without changing its callers.
//!
//! [`EdgeStore`]: super::EdgeStore

use std::fmt;

use serde::{Deserialize, Serialize};

/// Name of the dense vector in the collection.
pub const DENSE_VECTOR: &str = "dense";

/// Point ids are derived from content coordinates, see `index.rs`.
pub type PointId = u64;

/// Which part of an entry a point was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Question,
    Answer,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Title => "title",
            Self::Question => "question",
            Self::Answer => "answer",
        })
    }
}

/// What a point remembers about its origin: enough to find its entry and
/// to tell whether the entry changed since it was indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointPayload {
    pub entry_id: String,
    pub field: Field,
    /// Hash of everything the entry's points were made from.
    pub content_hash: String,
}

/// One point to write.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedPoint {
    pub id: PointId,
    /// Unit-length sentence embedding.
    pub dense: Vec<f32>,
    /// The text embedded: a title, a question or an answer.
    pub text: String,
    pub payload: PointPayload,
}

/// A search: the message's embedding and its (redacted) text.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    pub vector: Vec<f32>,
    pub text: String,
}

/// One point found.
#[derive(Debug, Clone, PartialEq)]
pub struct PointHit {
    pub id: PointId,
    pub payload: PointPayload,
    /// Cosine between the point's vector and the query vector.
    pub similarity: f32,
}

/// The vector database failed. Messages carry database diagnostics only,
/// never query text.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("vector store: {0}")]
    Backend(String),
    #[error("vector store holds a point with an unreadable payload: {0}")]
    BadPayload(String),
    #[error("vector store task failed: {0}")]
    Task(String),
    #[error("vector store I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// A vector database holding knowledge points. See the module docs for the
/// contract an implementation must keep.
#[async_trait::async_trait]
pub trait VectorStore: Send + Sync {
    /// Inserts the points, replacing any with the same id.
    async fn upsert(&self, points: Vec<IndexedPoint>) -> Result<(), StoreError>;

    /// Removes the points; unknown ids are ignored.
    async fn delete(&self, ids: Vec<PointId>) -> Result<(), StoreError>;

    /// Every stored point's id and payload, for an idempotent sync.
    async fn payloads(&self) -> Result<Vec<(PointId, PointPayload)>, StoreError>;

    /// The best `limit` points for the query, best first.
    async fn search(&self, query: &SearchQuery, limit: usize) -> Result<Vec<PointHit>, StoreError>;

    /// Makes every write durable.
    async fn flush(&self) -> Result<(), StoreError>;
}
