use super::*;
use crate::knowledge::test_support::{fake_embed, fake_embedding, load, write_entry};
use crate::knowledge::{EdgeStore, sync_index};
use crate::model::cosine;

/// Fields drop in order: the store flushes on drop, before its folder goes.
struct Fixture {
    store: Arc<EdgeStore>,
    _index_dir: tempfile::TempDir,
    knowledge: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let knowledge = tempfile::tempdir().unwrap();
    write_entry(
        knowledge.path(),
        "bill-pay",
        &["How do I pay my bill?", "Can I pay my bill online?"],
        "Pay online in the portal or by phone.",
    );
    write_entry(
        knowledge.path(),
        "parking",
        &["Where do I park?", "Is parking free?"],
        "The garage on Elm Street is free for patients.",
    );
    write_entry(
        knowledge.path(),
        "lab-hours",
        &["When is the lab open?"],
        "The lab opens at seven on weekdays.",
    );
    let index_dir = tempfile::tempdir().unwrap();
    let store = Arc::new(EdgeStore::open(index_dir.path()).unwrap());
    let kb = load(knowledge.path());
    sync_index(&kb, store.as_ref(), "fake", fake_embed)
        .await
        .unwrap();
    Fixture {
        store,
        _index_dir: index_dir,
        knowledge,
    }
}

async fn search(retriever: &Retriever, text: &str, limit: usize) -> Vec<KnowledgeMatch> {
    retriever
        .search(text, &fake_embedding(text), limit)
        .await
        .unwrap()
}

#[tokio::test]
async fn entries_come_once_each_scored_by_their_closest_points() {
    let f = fixture().await;
    let kb = Arc::new(load(f.knowledge.path()));
    let retriever = Retriever::new(f.store.clone(), kb);
    let text = "Can I pay my bill online?";
    let bill_pay_points = [
        "About bill-pay",
        "How do I pay my bill?",
        "Can I pay my bill online?",
        "Pay online in the portal or by phone.",
    ];
    let mut similarities: Vec<f32> = bill_pay_points
        .iter()
        .map(|point| cosine(&fake_embedding(text), &fake_embedding(point)))
        .collect();
    similarities.sort_by(|a, b| b.total_cmp(a));
    let closest = super::POINTS_PER_SCORE.min(similarities.len());
    let expected = similarities[..closest].iter().sum::<f32>() / closest as f32;

    let matches = search(&retriever, text, 3).await;

    let ids: Vec<&str> = matches.iter().map(|m| m.entry_id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], "bill-pay");
    assert!((matches[0].score - expected).abs() < 1e-4, "{matches:?}");
    assert_eq!(matches[0].department, "general");
    assert_eq!(matches[0].title, "About bill-pay");
    assert!(matches.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(matches.iter().all(|m| (0.0..=1.0).contains(&m.score)));
}

#[tokio::test]
async fn limit_caps_the_number_of_entries() {
    let f = fixture().await;
    let retriever = Retriever::new(f.store.clone(), Arc::new(load(f.knowledge.path())));

    assert_eq!(search(&retriever, "Where do I park?", 1).await.len(), 1);
    assert!(search(&retriever, "Where do I park?", 0).await.is_empty());
}

#[tokio::test]
async fn points_of_entries_missing_from_the_knowledge_base_are_skipped() {
    let f = fixture().await;
    std::fs::remove_file(f.knowledge.path().join("parking.md")).unwrap();
    let retriever = Retriever::new(f.store.clone(), Arc::new(load(f.knowledge.path())));

    let matches = search(&retriever, "Where do I park?", 3).await;

    assert!(
        matches.iter().all(|m| m.entry_id != "parking"),
        "{matches:?}"
    );
    assert_eq!(matches.len(), 2);
}
