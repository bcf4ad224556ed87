//! Knowledge retrieval with the real model and the repository's knowledge
//! base: fresh FAQ-style questions (`tests/data/faq.jsonl`) must find their
//! entry, and the answer threshold must keep requests for a person
//! (`routing.jsonl`, `urgent.jsonl`) from being answered by an entry.
//!
//! `cargo test --release --test it faq -- --nocapture` prints recall, the
//! misses and the threshold trade-off table.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use careline::eval::{RoutingExample, UrgentExample, read_jsonl};
use careline::knowledge::{
    ANSWER_THRESHOLD, DepartmentPrior, EdgeStore, KnowledgeBase, KnowledgeMatch, PRIOR_WEIGHT,
    Retriever, sync_index,
};
use careline::routing::IntentSet;
use serde::Deserialize;

use crate::common::{data, repo, triage};

#[derive(Deserialize)]
struct FaqExample {
    text: String,
    id: String,
}

/// Example values for every `{{hospital.*}}` key configuration provides.
fn placeholders() -> BTreeMap<String, String> {
    [
        ("name", "Example Community Hospital"),
        ("main_phone", "555-0100"),
        ("nurse_line", "555-0101"),
        ("scheduling_phone", "555-0102"),
        ("billing_phone", "555-0103"),
        ("records_phone", "555-0104"),
        ("pharmacy_phone", "555-0105"),
        ("portal_support_phone", "555-0106"),
        ("patient_relations_phone", "555-0107"),
        ("interpreter_phone", "555-0108"),
        ("portal_url", "https://portal.example.org"),
        ("website_url", "https://www.example.org"),
        (
            "financial_assistance_url",
            "https://www.example.org/financial-assistance",
        ),
        ("price_estimate_url", "https://www.example.org/estimates"),
        ("address", "100 Example Avenue, Exampletown"),
        ("hours", "Monday to Friday, 8 am to 5 pm"),
        ("lab_hours", "Monday to Friday, 7 am to 6 pm"),
        (
            "parking",
            "Visitor parking is in the garage next to the main entrance.",
        ),
        ("emergency_number", "911"),
        ("crisis_line", "988"),
    ]
    .into_iter()
    .map(|(key, value)| (format!("hospital.{key}"), value.to_owned()))
    .collect()
}

/// The repository's knowledge base, indexed once with the real encoder
/// into a temporary Qdrant Edge store.
struct Indexed {
    kb: Arc<KnowledgeBase>,
    store: Arc<EdgeStore>,
    _dir: tempfile::TempDir,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn indexed() -> &'static Indexed {
    static INDEXED: OnceLock<Indexed> = OnceLock::new();
    INDEXED.get_or_init(|| {
        let intents = IntentSet::load(&repo().join("intents")).unwrap();
        let departments: Vec<&str> = intents.departments.iter().map(|d| d.id.as_str()).collect();
        let kb = KnowledgeBase::load(&repo().join("knowledge"), &placeholders(), &departments)
            .unwrap_or_else(|e| panic!("knowledge loads: {e}"));

        let dir = tempfile::tempdir().unwrap();
        let store = EdgeStore::open(dir.path()).unwrap();
        let encoder = triage().encoder();
        runtime()
            .block_on(sync_index(
                &kb,
                &store,
                "all-MiniLM-L6-v2",
                |texts| async move { encoder.embed(&texts) },
            ))
            .unwrap();

        Indexed {
            kb: Arc::new(kb),
            store: Arc::new(store),
            _dir: dir,
        }
    })
}

/// The top three entries for each text, without a routing prior.
fn top3(texts: &[String]) -> Vec<Vec<KnowledgeMatch>> {
    top3_with_prior(texts, 0.0)
}

/// The top three entries for each text, ranked as the chat service ranks
/// them: similarity plus `weight` times routing's probability of the
/// entry's department.
fn top3_with_prior(texts: &[String], weight: f32) -> Vec<Vec<KnowledgeMatch>> {
    let indexed = indexed();
    let assessments = triage().assess_batch(texts).unwrap();
    let retriever = Retriever::new(indexed.store.clone(), indexed.kb.clone());

    runtime().block_on(async {
        let mut results = Vec::with_capacity(texts.len());
        for (text, assessment) in texts.iter().zip(&assessments) {
            let prior = DepartmentPrior::new(
                assessment
                    .routing
                    .alternatives
                    .iter()
                    .map(|alt| (alt.department.clone(), alt.confidence))
                    .collect(),
                weight,
            );
            // A blank message has no vector and matches nothing.
            let Some(vector) = assessment.embedding.as_ref() else {
                results.push(Vec::new());
                continue;
            };
            let found = retriever
                .search_with_prior(text, vector, 3, &prior)
                .await
                .unwrap();
            results.push(found);
        }
        results
    })
}

struct Recall {
    at1: f64,
    at3: f64,
    misses: Vec<String>,
}

fn recall(examples: &[FaqExample], prior_weight: f32) -> Recall {
    let texts: Vec<String> = examples.iter().map(|e| e.text.clone()).collect();
    let results = top3_with_prior(&texts, prior_weight);

    let mut at1 = 0;
    let mut at3 = 0;
    let mut misses = Vec::new();
    for (example, matches) in examples.iter().zip(&results) {
        let rank = matches.iter().position(|m| m.entry_id == example.id);
        at1 += usize::from(rank == Some(0));
        at3 += usize::from(rank.is_some());
        if rank != Some(0) {
            let found: Vec<String> = matches
                .iter()
                .map(|m| format!("{} {:.2}", m.entry_id, m.score))
                .collect();
            misses.push(format!(
                "{:?} expected {} got {found:?}",
                example.text, example.id
            ));
        }
    }
    let n = examples.len() as f64;
    Recall {
        at1: at1 as f64 / n,
        at3: at3 as f64 / n,
        misses,
    }
}

fn faq() -> Vec<FaqExample> {
    read_jsonl(&data("faq.jsonl")).unwrap()
}

#[test]
fn every_faq_example_names_an_entry_of_the_knowledge_base() {
    let kb = &indexed().kb;

    let unknown: Vec<String> = faq()
        .into_iter()
        .filter(|e| kb.get(&e.id).is_none())
        .map(|e| e.id)
        .collect();

    assert!(unknown.is_empty(), "ids without an entry: {unknown:?}");
}

#[test]
fn faq_questions_find_their_entry() {
    let examples = faq();

    let found = recall(&examples, PRIOR_WEIGHT);

    for weight in [0.0, 0.05, 0.1, 0.15, 0.2, 0.3] {
        let swept = recall(&examples, weight);
        println!(
            "routing prior weight {weight:.2}: recall@1 {:.3}, recall@3 {:.3}",
            swept.at1, swept.at3
        );
    }
    println!(
        "faq.jsonl ({} lines): recall@1 {:.3}, recall@3 {:.3}; not first:\n{}",
        examples.len(),
        found.at1,
        found.at3,
        found.misses.join("\n")
    );
    assert!(examples.len() >= 150, "{} examples", examples.len());
    assert!(found.at1 >= 0.90, "recall@1 {:.3}", found.at1);
    assert!(found.at3 >= 0.97, "recall@3 {:.3}", found.at3);
}

/// Questions by another writer for every entry, written after the ranking
/// was chosen on `faq.jsonl` and never used to tune it: how retrieval does
/// on questions nobody tuned for.
#[test]
fn unseen_faq_questions_find_their_entry() {
    let examples: Vec<FaqExample> = read_jsonl(&data("faq_unseen.jsonl")).unwrap();
    let kb = &indexed().kb;
    assert!(examples.iter().all(|e| kb.get(&e.id).is_some()));

    let found = recall(&examples, PRIOR_WEIGHT);

    println!(
        "faq_unseen.jsonl ({} lines): recall@1 {:.3}, recall@3 {:.3}; not first:\n{}",
        examples.len(),
        found.at1,
        found.at3,
        found.misses.join("\n")
    );
    assert!(examples.len() >= 100, "{} examples", examples.len());
    assert!(found.at1 >= UNSEEN_MIN_AT1, "recall@1 {:.3}", found.at1);
    assert!(found.at3 >= UNSEEN_MIN_AT3, "recall@3 {:.3}", found.at3);
}

/// Floors a little under the first measurement (see docs/KNOWLEDGE.md), so
/// that a change that makes retrieval worse on new questions fails.
const UNSEEN_MIN_AT1: f64 = 0.80;
const UNSEEN_MIN_AT3: f64 = 0.90;

/// What a threshold does, each as a share of its file: FAQ questions
/// answered with their own entry, FAQ questions answered at all, routing
/// messages answered, routing messages answered by an entry of a
/// department their label does not name, and urgent-file messages
/// answered.
#[derive(Debug)]
struct Rates {
    faq_right: f64,
    faq_answered: f64,
    routing_answered: f64,
    routing_other_department: f64,
    urgent_answered: f64,
}

struct Searched {
    faq: Vec<(FaqExample, Vec<KnowledgeMatch>)>,
    routing: Vec<(RoutingExample, Vec<KnowledgeMatch>)>,
    urgent: Vec<Vec<KnowledgeMatch>>,
}

impl Searched {
    fn run() -> Self {
        let faq = faq();
        let routing: Vec<RoutingExample> = read_jsonl(&data("routing.jsonl")).unwrap();
        let urgent: Vec<UrgentExample> = read_jsonl(&data("urgent.jsonl")).unwrap();
        let search = |texts: Vec<String>| top3(&texts);

        let faq_results = search(faq.iter().map(|e| e.text.clone()).collect());
        let routing_results = search(routing.iter().map(|e| e.text.clone()).collect());
        Self {
            faq: faq.into_iter().zip(faq_results).collect(),
            routing: routing.into_iter().zip(routing_results).collect(),
            urgent: search(urgent.into_iter().map(|e| e.text).collect()),
        }
    }

    fn rates(&self, threshold: f32) -> Rates {
        let best = |matches: &[KnowledgeMatch]| -> Option<KnowledgeMatch> {
            matches.first().filter(|m| m.score >= threshold).cloned()
        };
        let other_department = |e: &RoutingExample, m: &KnowledgeMatch| {
            m.department != e.department && !e.also.contains(&m.department)
        };

        Rates {
            faq_right: share(&self.faq, |(e, m)| {
                best(m).is_some_and(|b| b.entry_id == e.id)
            }),
            faq_answered: share(&self.faq, |(_, m)| best(m).is_some()),
            routing_answered: share(&self.routing, |(_, m)| best(m).is_some()),
            routing_other_department: share(&self.routing, |(e, m)| {
                best(m).is_some_and(|b| other_department(e, &b))
            }),
            urgent_answered: share(&self.urgent, |m| best(m).is_some()),
        }
    }
}

fn share<T>(items: &[T], keep: impl Fn(&T) -> bool) -> f64 {
    items.iter().filter(|item| keep(item)).count() as f64 / items.len() as f64
}

#[test]
fn answer_threshold_answers_most_faq_questions_and_few_other_messages() {
    let searched = Searched::run();

    println!(
        "threshold | faq right | faq answered | routing answered | routing, other dept | urgent answered"
    );
    for step in 0..=8 {
        let threshold = 0.35 + 0.05 * step as f32;
        let r = searched.rates(threshold);
        println!(
            "{threshold:.2}      | {:.3}     | {:.3}        | {:.3}            | {:.3}               | {:.3}",
            r.faq_right,
            r.faq_answered,
            r.routing_answered,
            r.routing_other_department,
            r.urgent_answered
        );
    }
    let chosen = searched.rates(ANSWER_THRESHOLD);

    assert!(chosen.faq_right >= 0.75, "{chosen:?}");
    assert!(chosen.faq_answered - chosen.faq_right <= 0.08, "{chosen:?}");
    assert!(chosen.routing_other_department <= 0.15, "{chosen:?}");
    assert!(chosen.urgent_answered <= 0.15, "{chosen:?}");
}
