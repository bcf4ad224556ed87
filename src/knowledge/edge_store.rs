//! [`VectorStore`] on Qdrant Edge: an in-process Qdrant shard in a folder
//! of the data directory. No server, and the same query model as one.

use std::path::Path;
use std::sync::{Arc, RwLock};

use qdrant_edge::PointId as ExtendedPointId;
use qdrant_edge::bm25_embed::EdgeBm25;
use qdrant_edge::external::ordered_float::OrderedFloat;
use qdrant_edge::{
    Distance, EdgeConfigBuilder, EdgeShard, EdgeSparseVectorParamsBuilder, EdgeVectorParamsBuilder,
    Fusion, Modifier, NamedQuery, PointInsertOperations, PointOperations, PointStruct, Prefetch,
    QueryEnum, QueryRequest, ScoredPoint, ScoringQuery, ScrollRequest, UpdateOperation, Vector,
    VectorInternal, VectorStructInternal, Vectors, WithPayloadInterface, WithVector,
};

use super::vector_store::{
    DENSE_VECTOR, HybridParams, IndexedPoint, PointHit, PointId, PointPayload, SPARSE_VECTOR,
    SearchMode, SearchQuery, StoreError, VectorStore, bm25_config,
};
use crate::model::{EMBEDDING_DIM, cosine};

/// The file Qdrant Edge writes when it creates a shard.
const SHARD_CONFIG_FILE: &str = "edge_config.json";

/// Points read per page when listing payloads.
const SCROLL_PAGE: usize = 1_000;

/// A Qdrant Edge shard holding knowledge points. Cheap to clone; clones
/// share the shard.
#[derive(Clone)]
pub struct EdgeStore {
    inner: Arc<Inner>,
}

struct Inner {
    /// Searches share the shard; writes and flushes take it alone, since
    /// `EdgeShard::flush` panics when it meets a write in progress.
    shard: RwLock<EdgeShard>,
    bm25: EdgeBm25,
}

impl EdgeStore {
    /// Opens the shard in `dir`, creating the folder and an empty shard
    /// the first time. Fails when the shard on disk has another layout
    /// (for instance another vector size): delete the folder to rebuild.
    /// Blocking file I/O: call it at start-up or on a blocking thread.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)?;

        let config = EdgeConfigBuilder::new()
            .vector(
                DENSE_VECTOR,
                EdgeVectorParamsBuilder::new(EMBEDDING_DIM, Distance::Cosine).build(),
            )
            .sparse_vector(
                SPARSE_VECTOR,
                EdgeSparseVectorParamsBuilder::new()
                    .modifier(Modifier::Idf)
                    .build(),
            )
            .build();
        let shard = if dir.join(SHARD_CONFIG_FILE).is_file() {
            EdgeShard::load(dir, Some(config))
        } else {
            EdgeShard::new(dir, config)
        }
        .map_err(backend)?;

        let bm25 = EdgeBm25::new(bm25_config()).map_err(backend)?;
        let inner = Inner {
            shard: RwLock::new(shard),
            bm25,
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Runs shard work on tokio's blocking pool: every `EdgeShard` call is
    /// synchronous and may touch the disk.
    async fn blocking<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Inner) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

#[async_trait::async_trait]
impl VectorStore for EdgeStore {
    async fn upsert(&self, points: Vec<IndexedPoint>) -> Result<(), StoreError> {
        if points.is_empty() {
            return Ok(());
        }
        self.blocking(move |inner| {
            let points = points
                .into_iter()
                .map(|point| inner.to_point(point).map(Into::into))
                .collect::<Result<Vec<_>, _>>()?;
            let upsert = PointOperations::UpsertPoints(PointInsertOperations::PointsList(points));
            inner.write(UpdateOperation::PointOperation(upsert))
        })
        .await
    }

    async fn delete(&self, ids: Vec<PointId>) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.blocking(move |inner| {
            let ids = ids.into_iter().map(ExtendedPointId::NumId).collect();
            let delete = PointOperations::DeletePoints { ids };
            inner.write(UpdateOperation::PointOperation(delete))
        })
        .await
    }

    async fn payloads(&self) -> Result<Vec<(PointId, PointPayload)>, StoreError> {
        self.blocking(|inner| inner.payloads()).await
    }

    async fn search(&self, query: &SearchQuery, limit: usize) -> Result<Vec<PointHit>, StoreError> {
        let query = query.clone();
        self.blocking(move |inner| inner.search(&query, limit))
            .await
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.blocking(|inner| {
            let shard = inner.shard.write().map_err(poisoned)?;
            // Merges segments and drops deleted points; a no-op when the
            // shard is already tidy.
            shard.optimize().map_err(backend)?;
            shard.flush();
            Ok(())
        })
        .await
    }
}

impl Inner {
    fn to_point(&self, point: IndexedPoint) -> Result<PointStruct, StoreError> {
        let sparse = self.bm25.embed_document(&point.text);
        let vectors = Vectors::new_named([
            (DENSE_VECTOR, Vector::new_dense(point.dense)),
            (SPARSE_VECTOR, Vector::from(sparse)),
        ]);
        let payload = serde_json::to_value(&point.payload)
            .map_err(|e| StoreError::BadPayload(e.to_string()))?;
        Ok(PointStruct::new(point.id, vectors, payload))
    }

    fn write(&self, operation: UpdateOperation) -> Result<(), StoreError> {
        let shard = self.shard.write().map_err(poisoned)?;
        shard.update(operation).map_err(backend)
    }

    fn payloads(&self) -> Result<Vec<(PointId, PointPayload)>, StoreError> {
        let shard = self.shard.read().map_err(poisoned)?;

        let mut found = Vec::new();
        let mut offset = None;
        loop {
            let request = ScrollRequest {
                offset,
                limit: Some(SCROLL_PAGE),
                filter: None,
                with_payload: Some(WithPayloadInterface::Bool(true)),
                with_vector: WithVector::Bool(false),
                order_by: None,
            };
            let (records, next) = shard.scroll(request).map_err(backend)?;
            for record in records {
                found.push((numeric_id(record.id)?, parse_payload(record.payload)?));
            }
            match next {
                Some(next) => offset = Some(next),
                None => return Ok(found),
            }
        }
    }

    fn search(&self, query: &SearchQuery, limit: usize) -> Result<Vec<PointHit>, StoreError> {
        let dense = nearest(DENSE_VECTOR, VectorInternal::Dense(query.vector.clone()));
        let request = match query.mode {
            SearchMode::Dense => dense_request(dense, limit),
            SearchMode::Hybrid(params) => {
                let sparse = self.bm25.embed_query(&query.text);
                // A query of stop words only has no BM25 side.
                if sparse.indices.is_empty() {
                    dense_request(dense, limit)
                } else {
                    let sparse = nearest(SPARSE_VECTOR, VectorInternal::Sparse(sparse));
                    hybrid_request(dense, sparse, params, limit)
                }
            }
        };
        let fused = !request.prefetches.is_empty();

        let shard = self.shard.read().map_err(poisoned)?;
        let points = shard.query(request).map_err(backend)?;
        drop(shard);

        let query_norm = norm(&query.vector);
        points
            .into_iter()
            .map(|point| {
                let similarity = if fused {
                    dense_of(&point).map_or(0.0, |v| cosine(v, &query.vector) / query_norm)
                } else {
                    point.score
                };
                Ok(PointHit {
                    id: numeric_id(point.id)?,
                    payload: parse_payload(point.payload)?,
                    rank_score: point.score,
                    similarity,
                })
            })
            .collect()
    }
}

/// Dense and BM25 candidates fused by weighted reciprocal rank; the dense
/// vectors come back so each hit's cosine can be reported.
fn hybrid_request(
    dense: ScoringQuery,
    sparse: ScoringQuery,
    params: HybridParams,
    limit: usize,
) -> QueryRequest {
    let prefetch = |query| Prefetch {
        prefetches: Vec::new(),
        query: Some(query),
        limit: params.candidates.max(limit),
        params: None,
        filter: None,
        score_threshold: None,
    };
    let fusion = Fusion::Rrf {
        k: params.rrf_k,
        weights: Some(vec![OrderedFloat(params.dense_weight), OrderedFloat(1.0)]),
    };
    QueryRequest {
        prefetches: vec![prefetch(dense), prefetch(sparse)],
        query: Some(ScoringQuery::Fusion(fusion)),
        with_vector: WithVector::Selector(vec![DENSE_VECTOR.to_owned()]),
        ..base_request(limit)
    }
}

fn dense_request(dense: ScoringQuery, limit: usize) -> QueryRequest {
    QueryRequest {
        query: Some(dense),
        ..base_request(limit)
    }
}

/// Top `limit` points with payloads, no vectors, no query yet.
fn base_request(limit: usize) -> QueryRequest {
    QueryRequest {
        prefetches: Vec::new(),
        query: None,
        filter: None,
        score_threshold: None,
        limit,
        offset: 0,
        params: None,
        with_vector: WithVector::Bool(false),
        with_payload: WithPayloadInterface::Bool(true),
    }
}

fn nearest(vector_name: &str, vector: VectorInternal) -> ScoringQuery {
    ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery::new(vector, vector_name)))
}

fn dense_of(point: &ScoredPoint) -> Option<&[f32]> {
    match point.vector.as_ref()? {
        VectorStructInternal::Named(vectors) => match vectors.get(DENSE_VECTOR)? {
            VectorInternal::Dense(vector) => Some(vector),
            _ => None,
        },
        _ => None,
    }
}

/// Stored vectors are unit length (cosine storage normalises them); the
/// query may not be.
fn norm(vector: &[f32]) -> f32 {
    cosine(vector, vector).sqrt().max(f32::EPSILON)
}

fn numeric_id(id: ExtendedPointId) -> Result<PointId, StoreError> {
    match id {
        ExtendedPointId::NumId(id) => Ok(id),
        ExtendedPointId::Uuid(id) => {
            Err(StoreError::BadPayload(format!("unexpected uuid id {id}")))
        }
    }
}

fn parse_payload(payload: Option<qdrant_edge::Payload>) -> Result<PointPayload, StoreError> {
    let map = payload.map(|p| p.0).unwrap_or_default();
    serde_json::from_value(serde_json::Value::Object(map.into_iter().collect()))
        .map_err(|e| StoreError::BadPayload(e.to_string()))
}

fn backend(error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(error.to_string())
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> StoreError {
    StoreError::Task("an earlier shard operation panicked".to_owned())
}

#[cfg(test)]
mod tests;
