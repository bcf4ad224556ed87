use super::*;
use crate::knowledge::test_support::fake_embedding;
use crate::knowledge::vector_store::Field;
use crate::model::cosine;

fn point(id: PointId, entry_id: &str, text: &str) -> IndexedPoint {
    IndexedPoint {
        id,
        dense: fake_embedding(text),
        text: text.to_owned(),
        payload: PointPayload {
            entry_id: entry_id.to_owned(),
            field: Field::Question,
            content_hash: format!("hash-of-{entry_id}"),
        },
    }
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        vector: fake_embedding(text),
        text: text.to_owned(),
    }
}

async fn filled_store(dir: &Path) -> EdgeStore {
    let store = EdgeStore::open(dir).unwrap();
    store
        .upsert(vec![
            point(1, "bill-pay", "how do i pay my bill"),
            point(2, "parking", "where do i park my car"),
            point(3, "lab-hours", "when is the lab open for blood work"),
        ])
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn payloads_come_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path()).await;

    let mut payloads = store.payloads().await.unwrap();
    payloads.sort_by_key(|(id, _)| *id);

    assert_eq!(payloads.len(), 3);
    assert_eq!(payloads[1], (2, point(2, "parking", "").payload));
}

#[tokio::test]
async fn dense_search_ranks_by_cosine_and_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path()).await;

    let hits = store
        .search(&query("where do i park my car"), 3)
        .await
        .unwrap();

    assert_eq!(hits[0].payload.entry_id, "parking");
    assert!(
        (hits[0].similarity - 1.0).abs() < 1e-4,
        "{}",
        hits[0].similarity
    );
    let expected = cosine(
        &fake_embedding("where do i park my car"),
        &fake_embedding("how do i pay my bill"),
    );
    let bill = hits.iter().find(|hit| hit.id == 1).unwrap();
    assert!((bill.similarity - expected).abs() < 1e-4);
    assert!(hits.windows(2).all(|w| w[0].similarity >= w[1].similarity));
}

#[tokio::test]
async fn deleted_points_are_gone_and_unknown_ids_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path()).await;

    store.delete(vec![2, 999]).await.unwrap();
    store.flush().await.unwrap();

    let ids: Vec<PointId> = store
        .payloads()
        .await
        .unwrap()
        .iter()
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(!ids.contains(&2));
    let hits = store
        .search(&query("where do i park my car"), 3)
        .await
        .unwrap();
    assert!(hits.iter().all(|hit| hit.id != 2));
}

#[tokio::test]
async fn an_upsert_replaces_the_point_with_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path()).await;

    store
        .upsert(vec![point(2, "valet", "is there valet service")])
        .await
        .unwrap();

    let payloads = store.payloads().await.unwrap();
    assert_eq!(payloads.len(), 3);
    assert!(payloads.contains(&(2, point(2, "valet", "").payload)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn searches_writes_and_flushes_can_run_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path()).await;

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..32u64 {
        let store = store.clone();
        tasks.spawn(async move {
            match i % 8 {
                0 => store.flush().await.map(|()| 0),
                1 => store
                    .upsert(vec![point(100 + i, "extra", "extra point")])
                    .await
                    .map(|()| 0),
                _ => store
                    .search(&query("pay my bill"), 3)
                    .await
                    .map(|hits| hits.len()),
            }
        });
    }

    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(store.payloads().await.unwrap().len(), 3 + 4);
}

#[tokio::test]
async fn a_reopened_store_keeps_its_points() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path()).await;
    store.flush().await.unwrap();
    drop(store);

    let reopened = EdgeStore::open(dir.path()).unwrap();

    assert_eq!(reopened.payloads().await.unwrap().len(), 3);
    let hits = reopened
        .search(&query("how do i pay my bill"), 1)
        .await
        .unwrap();
    assert_eq!(hits[0].payload.entry_id, "bill-pay");
}

#[test]
fn a_shard_of_another_layout_is_refused_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let small = EdgeVectorParamsBuilder::new(8, Distance::Cosine).build();
    let other = EdgeConfigBuilder::new().vector(DENSE_VECTOR, small).build();
    drop(EdgeShard::new(dir.path(), other).unwrap());

    let error = EdgeStore::open(dir.path()).err().unwrap();

    let message = error.to_string();
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("deleting that folder is safe"),
        "{message}"
    );
}
