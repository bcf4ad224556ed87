use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::knowledge::EdgeStore;
use crate::knowledge::test_support::{fake_embed, load, write_entry};
use crate::knowledge::vector_store::SearchQuery;

const MODEL: &str = "fake-model";

/// Every stored point, grouped by entry: ids and content hashes.
async fn stored(store: &dyn VectorStore) -> BTreeMap<String, Vec<(PointId, String)>> {
    let mut by_entry: BTreeMap<String, Vec<(PointId, String)>> = BTreeMap::new();
    for (id, payload) in store.payloads().await.unwrap() {
        by_entry
            .entry(payload.entry_id)
            .or_default()
            .push((id, payload.content_hash));
    }
    by_entry.values_mut().for_each(|points| points.sort());
    by_entry
}

fn planned_ids(kb: &KnowledgeBase, id: &str) -> BTreeSet<PointId> {
    plan_points(kb.get(id).unwrap())
        .iter()
        .map(|p| p.id)
        .collect()
}

/// Fields drop in order: the store flushes on drop, before its folder goes.
struct Fixture {
    store: EdgeStore,
    index_dir: tempfile::TempDir,
    knowledge: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let knowledge = tempfile::tempdir().unwrap();
    write_entry(
        knowledge.path(),
        "bill-pay",
        &[
            "How do I pay my bill?",
            "Can I pay online?",
            "Where do I send a check?",
        ],
        "Pay online in the portal or by phone.",
    );
    write_entry(
        knowledge.path(),
        "parking",
        &["Where do I park?"],
        "The garage on Elm Street is free for patients.",
    );
    let index_dir = tempfile::tempdir().unwrap();
    let store = EdgeStore::open(index_dir.path()).unwrap();
    Fixture {
        store,
        index_dir,
        knowledge,
    }
}

#[tokio::test]
async fn first_sync_indexes_every_field_of_every_entry() {
    let f = fixture();
    let kb = load(f.knowledge.path());

    let report = sync_index(&kb, &f.store, MODEL, fake_embed).await.unwrap();

    assert_eq!(
        report,
        IndexReport {
            added: 2,
            ..IndexReport::default()
        }
    );
    let stored = stored(&f.store).await;
    assert_eq!(stored["bill-pay"].len(), 1 + 3 + 1);
    assert_eq!(stored["parking"].len(), 1 + 1 + 1);
    let ids: BTreeSet<PointId> = stored["bill-pay"].iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, planned_ids(&kb, "bill-pay"));
}

#[tokio::test]
async fn resync_of_unchanged_knowledge_embeds_nothing() {
    let f = fixture();
    let kb = load(f.knowledge.path());
    sync_index(&kb, &f.store, MODEL, fake_embed).await.unwrap();
    let before = stored(&f.store).await;
    let calls = AtomicUsize::new(0);

    let report = sync_index(&kb, &f.store, MODEL, |texts| {
        calls.fetch_add(1, Ordering::SeqCst);
        fake_embed(texts)
    })
    .await
    .unwrap();

    assert_eq!(
        report,
        IndexReport {
            unchanged: 2,
            ..IndexReport::default()
        }
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert_eq!(stored(&f.store).await, before);
}

#[tokio::test]
async fn a_changed_entry_has_all_its_old_points_replaced() {
    let f = fixture();
    sync_index(&load(f.knowledge.path()), &f.store, MODEL, fake_embed)
        .await
        .unwrap();
    let before = stored(&f.store).await;
    write_entry(
        f.knowledge.path(),
        "bill-pay",
        &["How can I pay what I owe?"],
        "Pay in the portal.",
    );
    let kb = load(f.knowledge.path());
    let embedded = std::sync::Mutex::new(Vec::new());

    let report = sync_index(&kb, &f.store, MODEL, |texts| {
        embedded.lock().unwrap().extend(texts.clone());
        fake_embed(texts)
    })
    .await
    .unwrap();

    let expected = IndexReport {
        updated: 1,
        unchanged: 1,
        ..IndexReport::default()
    };
    assert_eq!(report, expected);
    assert_eq!(
        embedded.lock().unwrap().len(),
        3,
        "only the changed entry is embedded"
    );
    let after = stored(&f.store).await;
    let ids: BTreeSet<PointId> = after["bill-pay"].iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, planned_ids(&kb, "bill-pay"));
    let old_hash = &before["bill-pay"][0].1;
    assert!(after["bill-pay"].iter().all(|(_, hash)| hash != old_hash));
    assert_eq!(after["parking"], before["parking"]);
}

#[tokio::test]
async fn a_changed_entry_no_longer_matches_its_old_questions() {
    let f = fixture();
    sync_index(&load(f.knowledge.path()), &f.store, MODEL, fake_embed)
        .await
        .unwrap();
    write_entry(
        f.knowledge.path(),
        "bill-pay",
        &["Pay what I owe"],
        "Use the portal.",
    );
    let kb = load(f.knowledge.path());
    sync_index(&kb, &f.store, MODEL, fake_embed).await.unwrap();
    let query = SearchQuery {
        vector: crate::knowledge::test_support::fake_embedding("Where do I send a check?"),
        text: "Where do I send a check?".into(),
    };

    let hits = f.store.search(&query, 20).await.unwrap();

    assert!(hits.iter().all(|hit| hit.similarity < 0.99), "{hits:?}");
}

#[tokio::test]
async fn a_deleted_entry_loses_every_point() {
    let f = fixture();
    sync_index(&load(f.knowledge.path()), &f.store, MODEL, fake_embed)
        .await
        .unwrap();
    std::fs::remove_file(f.knowledge.path().join("parking.md")).unwrap();
    let kb = load(f.knowledge.path());

    let report = sync_index(&kb, &f.store, MODEL, fake_embed).await.unwrap();

    assert_eq!(
        report,
        IndexReport {
            removed: 1,
            unchanged: 1,
            ..IndexReport::default()
        }
    );
    let stored = stored(&f.store).await;
    assert!(!stored.contains_key("parking"));
    assert_eq!(stored.len(), 1);
}

#[tokio::test]
async fn a_new_model_re_embeds_everything() {
    let f = fixture();
    let kb = load(f.knowledge.path());
    sync_index(&kb, &f.store, MODEL, fake_embed).await.unwrap();

    let report = sync_index(&kb, &f.store, "another-model", fake_embed)
        .await
        .unwrap();

    assert_eq!(
        report,
        IndexReport {
            updated: 2,
            ..IndexReport::default()
        }
    );
}

#[tokio::test]
async fn a_reopened_store_holds_the_same_points_and_needs_no_work() {
    let f = fixture();
    let kb = load(f.knowledge.path());
    sync_index(&kb, &f.store, MODEL, fake_embed).await.unwrap();
    let before = stored(&f.store).await;
    drop(f.store);

    let reopened = EdgeStore::open(f.index_dir.path()).unwrap();
    let report = sync_index(&kb, &reopened, MODEL, fake_embed).await.unwrap();

    assert_eq!(stored(&reopened).await, before);
    assert_eq!(
        report,
        IndexReport {
            unchanged: 2,
            ..IndexReport::default()
        }
    );
}

#[tokio::test]
async fn a_wrong_number_of_vectors_is_an_error() {
    let f = fixture();
    let kb = load(f.knowledge.path());

    let result = sync_index(&kb, &f.store, MODEL, |_texts| async {
        Ok::<_, std::convert::Infallible>(vec![vec![0.5; 384]])
    })
    .await;

    assert!(matches!(
        result,
        Err(IndexError::EmbeddingCount { got: 1, .. })
    ));
    assert!(stored(&f.store).await.is_empty());
}

#[test]
fn point_ids_are_stable_and_distinct_per_field_and_position() {
    let a = point_id("bill-pay", Field::Question, 0);

    assert_eq!(a, point_id("bill-pay", Field::Question, 0));
    assert_ne!(a, point_id("bill-pay", Field::Question, 1));
    assert_ne!(a, point_id("bill-pay", Field::Title, 0));
    assert_ne!(a, point_id("bill-paz", Field::Question, 0));
}
