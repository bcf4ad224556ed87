//! Keeping the vector store in step with the knowledge base.
//!
//! Each entry becomes several points: its title, each question variant and
//! its answer, so a patient's wording can meet the entry wherever it is
//! closest. Every point carries a hash of the entry's indexed content; a
//! sync re-embeds only entries whose hash changed, replaces all their
//! points, and removes the points of entries that are gone.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::base::{KnowledgeBase, hash_text};
use super::entry::Entry;
use super::vector_store::{Field, IndexedPoint, PointId, PointPayload, StoreError, VectorStore};

/// Bump when the way entries become points changes, so every entry is
/// re-indexed once.
const INDEX_FORMAT: &str = "careline-knowledge-points-v2";

/// What a sync did, counted in entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexReport {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("embedding knowledge text failed: {0}")]
    Embed(String),
    #[error("the embedder returned {got} vectors for {expected} texts")]
    EmbeddingCount { expected: usize, got: usize },
}

/// A point an entry should have, before embedding.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedPoint {
    id: PointId,
    field: Field,
    /// What is embedded; the store receives it with the vector.
    text: String,
}

/// Brings `store` in line with `kb`. `model_id` names the embedding model
/// (for instance `ModelFiles::fingerprint()`): it is part of every content
/// hash, so a new model re-embeds everything. `embed` is called at most
/// once, with every text that needs a vector, and must return one vector
/// per text in order; with a `SharedEncoder` pass
/// `|texts| encoder.embed(texts)`.
pub async fn sync_index<F, Fut, E>(
    kb: &KnowledgeBase,
    store: &dyn VectorStore,
    model_id: &str,
    embed: F,
) -> Result<IndexReport, IndexError>
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<Vec<f32>>, E>>,
    E: std::fmt::Display,
{
    let started = Instant::now();
    let mut report = IndexReport::default();

    let mut stored: HashMap<String, Vec<(PointId, String)>> = HashMap::new();
    for (id, payload) in store.payloads().await? {
        stored
            .entry(payload.entry_id)
            .or_default()
            .push((id, payload.content_hash));
    }

    // Decide per entry; `stale` collects ids no planned point reuses.
    let mut to_write: Vec<(&Entry, String, Vec<PlannedPoint>)> = Vec::new();
    let mut stale: Vec<PointId> = Vec::new();
    for entry in kb.entries() {
        let points = plan_points(entry);
        let hash = content_hash(model_id, &points);

        let Some(existing) = stored.remove(&entry.id) else {
            report.added += 1;
            to_write.push((entry, hash, points));
            continue;
        };

        let planned: BTreeSet<PointId> = points.iter().map(|p| p.id).collect();
        let present: BTreeSet<PointId> = existing.iter().map(|(id, _)| *id).collect();
        if planned == present && existing.iter().all(|(_, h)| *h == hash) {
            report.unchanged += 1;
        } else {
            report.updated += 1;
            stale.extend(present.difference(&planned));
            to_write.push((entry, hash, points));
        }
    }
    for (_, gone) in stored {
        report.removed += 1;
        stale.extend(gone.into_iter().map(|(id, _)| id));
    }

    let written = embed_points(to_write, embed).await?;
    let point_count = written.len();
    let changed = point_count > 0 || !stale.is_empty();

    // New points first, so a changed entry is never absent from the index.
    store.upsert(written).await?;
    store.delete(stale).await?;
    if changed {
        store.flush().await?;
    }

    tracing::info!(
        added = report.added,
        updated = report.updated,
        removed = report.removed,
        unchanged = report.unchanged,
        points_written = point_count,
        duration_ms = started.elapsed().as_millis() as u64,
        "knowledge index synced"
    );
    Ok(report)
}

async fn embed_points<F, Fut, E>(
    entries: Vec<(&Entry, String, Vec<PlannedPoint>)>,
    embed: F,
) -> Result<Vec<IndexedPoint>, IndexError>
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<Vec<f32>>, E>>,
    E: std::fmt::Display,
{
    let texts: Vec<String> = entries
        .iter()
        .flat_map(|(_, _, points)| points.iter().map(|p| p.text.clone()))
        .collect();
    if texts.is_empty() {
        return Ok(Vec::new());
    }

    let expected = texts.len();
    let vectors = embed(texts)
        .await
        .map_err(|e| IndexError::Embed(e.to_string()))?;
    if vectors.len() != expected {
        let got = vectors.len();
        return Err(IndexError::EmbeddingCount { expected, got });
    }

    let mut vectors = vectors.into_iter();
    let mut indexed = Vec::with_capacity(expected);
    for (entry, hash, points) in entries {
        for (point, dense) in points.into_iter().zip(vectors.by_ref()) {
            let payload = PointPayload {
                entry_id: entry.id.clone(),
                field: point.field,
                content_hash: hash.clone(),
            };
            indexed.push(IndexedPoint {
                id: point.id,
                dense,
                text: point.text,
                payload,
            });
        }
    }
    Ok(indexed)
}

/// The points an entry becomes: its title, each question, and its answer.
fn plan_points(entry: &Entry) -> Vec<PlannedPoint> {
    let title = (Field::Title, entry.title.clone());
    let questions = entry.questions.iter().map(|q| (Field::Question, q.clone()));
    // The answer as a whole and, when it has several, paragraph by
    // paragraph: a patient's words often match one paragraph's detail.
    let paragraphs: Vec<&str> = entry
        .answer
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let answer = std::iter::once(entry.answer.clone())
        .chain(
            paragraphs
                .iter()
                .filter(|_| paragraphs.len() > 1)
                .map(|p| (*p).to_owned()),
        )
        .map(|text| (Field::Answer, text));

    let mut per_field: HashMap<Field, usize> = HashMap::new();
    std::iter::once(title)
        .chain(questions)
        .chain(answer)
        .map(|(field, text)| {
            let index = per_field.entry(field).or_default();
            let id = point_id(&entry.id, field, *index);
            *index += 1;
            PlannedPoint { id, field, text }
        })
        .collect()
}

/// A stable id for the `index`-th point of `field` in an entry: the first
/// eight bytes of a SHA-256, so the same coordinates always land on the
/// same point and a re-index overwrites rather than duplicates.
fn point_id(entry_id: &str, field: Field, index: usize) -> PointId {
    let digest = Sha256::digest(format!("{entry_id}\n{field}\n{index}"));
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    PointId::from_le_bytes(first)
}

fn content_hash(model_id: &str, points: &[PlannedPoint]) -> String {
    let mut hasher = Sha256::new();
    hash_text(&mut hasher, INDEX_FORMAT);
    hash_text(&mut hasher, model_id);
    for point in points {
        hash_text(&mut hasher, &point.field.to_string());
        hash_text(&mut hasher, &point.text);
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests;
