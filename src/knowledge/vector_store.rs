//! The seam between knowledge retrieval and a vector database.
//!
//! Careline keeps knowledge vectors either in-process ([`EdgeStore`], Qdrant
//! Edge under the data directory) or, at scale, in a Qdrant server chosen by
//! the `qdrant_url` setting. Callers hold an `Arc<dyn VectorStore>` and never
//! know which.
//!
//! # What an implementation must do
//!
//! - Keep, per point, the dense vector ([`IndexedPoint::dense`], 384
//!   dimensions, cosine) under the name [`DENSE_VECTOR`], and a BM25 sparse
//!   vector of [`IndexedPoint::text`] under [`SPARSE_VECTOR`]. The store
//!   computes BM25 itself so that query and documents always share one
//!   tokeniser: the edge store uses `qdrant_edge::bm25_embed::EdgeBm25` with
//!   the settings of [`bm25_config`]; a server implementation must do the
//!   same (that type has no server dependency) or use the server's own
//!   `qdrant/bm25` inference with the same settings. The sparse vector must
//!   be declared with the IDF modifier, so term weights reflect the whole
//!   collection.
//! - Store [`PointPayload`] as the point's payload, field for field (JSON
//!   keys `entry_id`, `field`, `content_hash`), and return it unchanged.
//! - Make `upsert` replace a point with the same id entirely, and `delete`
//!   ignore ids that do not exist.
//! - Answer [`VectorStore::search`] with points best first: in
//!   [`SearchMode::Dense`] by cosine; in [`SearchMode::Hybrid`] by
//!   reciprocal rank fusion of a dense and a BM25 prefetch (Qdrant's query
//!   API with `prefetch` and `fusion: rrf`), with the parameters of
//!   [`HybridParams`]. Either way every hit carries its dense cosine to the
//!   query vector in [`PointHit::similarity`]: callers threshold on it.
//! - Be safe to call from many tasks at once, and never block the async
//!   runtime (run blocking work on `spawn_blocking`).
//! - Make everything written visible after `flush` and durable across a
//!   restart.
//!
//! [`EdgeStore`]: super::EdgeStore

use std::fmt;

use qdrant_edge::bm25_embed::EdgeBm25Config;
use qdrant_edge::external::ordered_float::NotNan;
use serde::{Deserialize, Serialize};

/// Name of the dense vector in the collection.
pub const DENSE_VECTOR: &str = "dense";

/// Name of the BM25 sparse vector in the collection.
pub const SPARSE_VECTOR: &str = "bm25";

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
    /// Text the store turns into the BM25 sparse vector.
    pub text: String,
    pub payload: PointPayload,
}

/// How to rank points.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum SearchMode {
    /// Dense cosine only.
    #[default]
    Dense,
    /// Dense and BM25 candidates fused by reciprocal rank.
    Hybrid(HybridParams),
}

/// Reciprocal rank fusion: a point scores the sum over candidate lists of
/// `weight / (k + rank)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HybridParams {
    pub rrf_k: usize,
    /// Weight of the dense list; the BM25 list weighs 1.
    pub dense_weight: f32,
    /// Candidates taken from each list before fusion.
    pub candidates: usize,
}

/// A search: the message's embedding and its text (for BM25).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    pub vector: Vec<f32>,
    pub text: String,
    pub mode: SearchMode,
}

/// One point found, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct PointHit {
    pub id: PointId,
    pub payload: PointPayload,
    /// The store's ranking score: cosine, or the fused score in hybrid mode.
    pub rank_score: f32,
    /// Cosine between the point's dense vector and the query vector.
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

/// BM25 settings shared by every implementation. Knowledge points are one
/// sentence or one short paragraph, so the expected document length is
/// far below the 256-token default, which would make length normalisation
/// meaningless.
pub fn bm25_config() -> EdgeBm25Config {
    EdgeBm25Config {
        avg_len: NotNan::new(BM25_AVERAGE_LENGTH).expect("a constant is a number"),
        language: Some("english".to_owned()),
        ..EdgeBm25Config::default()
    }
}

/// Average knowledge point length in tokens after stop words, measured on
/// the default knowledge base.
const BM25_AVERAGE_LENGTH: f64 = 12.0;
