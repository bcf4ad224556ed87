//! [`VectorStore`] on Qdrant Edge: an in-process Qdrant shard in a folder
//! of the data directory. No server, and the same query model as one.

use std::path::Path;
use std::sync::{Arc, RwLock};

use qdrant_edge::PointId as ExtendedPointId;
use qdrant_edge::{
    Distance, EdgeConfigBuilder, EdgeShard, EdgeVectorParamsBuilder, NamedQuery,
    PointInsertOperations, PointOperations, PointStruct, QueryEnum, QueryRequest, ScoringQuery,
    ScrollRequest, UpdateOperation, Vector, VectorInternal, Vectors, WithPayloadInterface,
    WithVector,
};

use super::vector_store::{
    DENSE_VECTOR, IndexedPoint, PointHit, PointId, PointPayload, SearchQuery, StoreError,
    VectorStore,
};
use crate::model::EMBEDDING_DIM;

/// The file Qdrant Edge writes when it creates a shard.
const SHARD_CONFIG_FILE: &str = "edge_config.json";

/// Points read per page when listing payloads.
const SCROLL_PAGE: usize = 1_000;

/// A Qdrant Edge shard holding knowledge points. Cheap to clone; clones
/// share the shard.
///
/// Limitation: `EdgeShard` flushes when dropped and panics if that fails
/// (for instance when its folder was deleted first), until Qdrant Edge
/// reports flush errors instead. Drop the store before removing its folder.
#[derive(Clone)]
pub struct EdgeStore {
    /// Searches share the shard; writes and flushes take it alone, since
    /// `EdgeShard::flush` panics when it meets a write in progress.
    shard: Arc<RwLock<EdgeShard>>,
}

impl EdgeStore {
    /// Opens the shard in `dir`, creating the folder and an empty shard
    /// the first time. Fails when the shard on disk has another layout
    /// (for instance another vector size): delete the folder to rebuild.
    /// Blocking file I/O: call it at start-up or on a blocking thread.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)?;

        let dense = EdgeVectorParamsBuilder::new(EMBEDDING_DIM, Distance::Cosine).build();
        let config = EdgeConfigBuilder::new().vector(DENSE_VECTOR, dense).build();
        let shard = if dir.join(SHARD_CONFIG_FILE).is_file() {
            EdgeShard::load(dir, Some(config))
        } else {
            EdgeShard::new(dir, config)
        }
        .map_err(|e| {
            StoreError::Backend(format!(
                "cannot open the knowledge index in {}: {e}; it is rebuilt from the \
                 knowledge files, so deleting that folder is safe",
                dir.display()
            ))
        })?;

        Ok(Self {
            shard: Arc::new(RwLock::new(shard)),
        })
    }

    /// Runs shard work on tokio's blocking pool: every `EdgeShard` call is
    /// synchronous and may touch the disk.
    async fn blocking<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&RwLock<EdgeShard>) -> Result<T, StoreError> + Send + 'static,
    {
        let shard = Arc::clone(&self.shard);
        tokio::task::spawn_blocking(move || work(&shard))
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
        self.blocking(move |shard| {
            let points = points
                .into_iter()
                .map(|point| to_point(point).map(Into::into))
                .collect::<Result<Vec<_>, _>>()?;
            let upsert = PointOperations::UpsertPoints(PointInsertOperations::PointsList(points));
            write(shard, UpdateOperation::PointOperation(upsert))
        })
        .await
    }

    async fn delete(&self, ids: Vec<PointId>) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.blocking(move |shard| {
            let ids = ids.into_iter().map(ExtendedPointId::NumId).collect();
            let delete = PointOperations::DeletePoints { ids };
            write(shard, UpdateOperation::PointOperation(delete))
        })
        .await
    }

    async fn payloads(&self) -> Result<Vec<(PointId, PointPayload)>, StoreError> {
        self.blocking(payloads).await
    }

    async fn search(&self, query: &SearchQuery, limit: usize) -> Result<Vec<PointHit>, StoreError> {
        let vector = query.vector.clone();
        self.blocking(move |shard| search(shard, vector, limit))
            .await
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.blocking(|shard| {
            let shard = shard.write().map_err(poisoned)?;
            // Merges segments and drops deleted points; a no-op when the
            // shard is already tidy.
            shard.optimize().map_err(backend)?;
            shard.flush();
            Ok(())
        })
        .await
    }
}

fn to_point(point: IndexedPoint) -> Result<PointStruct, StoreError> {
    let vectors = Vectors::new_named([(DENSE_VECTOR, Vector::new_dense(point.dense))]);
    let payload =
        serde_json::to_value(&point.payload).map_err(|e| StoreError::BadPayload(e.to_string()))?;
    Ok(PointStruct::new(point.id, vectors, payload))
}

fn write(shard: &RwLock<EdgeShard>, operation: UpdateOperation) -> Result<(), StoreError> {
    let shard = shard.write().map_err(poisoned)?;
    shard.update(operation).map_err(backend)
}

fn payloads(shard: &RwLock<EdgeShard>) -> Result<Vec<(PointId, PointPayload)>, StoreError> {
    let shard = shard.read().map_err(poisoned)?;

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

fn search(
    shard: &RwLock<EdgeShard>,
    vector: Vec<f32>,
    limit: usize,
) -> Result<Vec<PointHit>, StoreError> {
    let nearest = NamedQuery::new(VectorInternal::Dense(vector), DENSE_VECTOR);
    let request = QueryRequest {
        prefetches: Vec::new(),
        query: Some(ScoringQuery::Vector(QueryEnum::Nearest(nearest))),
        filter: None,
        score_threshold: None,
        limit,
        offset: 0,
        params: None,
        with_vector: WithVector::Bool(false),
        with_payload: WithPayloadInterface::Bool(true),
    };

    let points = shard
        .read()
        .map_err(poisoned)?
        .query(request)
        .map_err(backend)?;
    points
        .into_iter()
        .map(|point| {
            Ok(PointHit {
                id: numeric_id(point.id)?,
                payload: parse_payload(point.payload)?,
                similarity: point.score,
            })
        })
        .collect()
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
