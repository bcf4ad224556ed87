//! Routing on fresh labelled messages, and the shape of a decision.

use careline::eval::{RoutingExample, read_jsonl, score_routing};
use careline::routing::{AbstainReason, IntentSet, OUT_OF_SCOPE, Router, TrainingOptions};

use crate::common::{data, repo, triage};

fn score(file: &str) -> careline::eval::RoutingScore {
    let examples: Vec<RoutingExample> = read_jsonl(&data(file)).unwrap();
    score_routing(triage(), &examples).unwrap()
}

#[test]
fn routing_hits_at_least_92_percent_of_fresh_messages() {
    let score = score("routing.jsonl");

    assert!(score.examples >= 150, "{} examples", score.examples);
    assert!(
        score.hit_rate >= 0.92,
        "hit rate {:.3}; misses: {:#?}",
        score.hit_rate,
        score.misses
    );
    assert!(
        score.out_of_scope_handled >= 0.9,
        "{:.3}",
        score.out_of_scope_handled
    );
}

#[test]
fn routing_holds_on_the_holdout_set_written_last() {
    let score = score("routing_holdout.jsonl");

    assert!(
        score.hit_rate >= 0.92,
        "hit rate {:.3}; misses: {:#?}",
        score.hit_rate,
        score.misses
    );
}

#[test]
fn test_messages_do_not_appear_in_the_training_intents() {
    let intents = IntentSet::load(&repo().join("intents")).unwrap();
    let normalize = |t: &str| {
        t.to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let training: std::collections::HashSet<String> = intents
        .departments
        .iter()
        .flat_map(|d| d.examples.iter())
        .chain(&intents.out_of_scope)
        .map(|t| normalize(t))
        .collect();

    for file in ["routing.jsonl", "routing_holdout.jsonl"] {
        let examples: Vec<RoutingExample> = read_jsonl(&data(file)).unwrap();
        for example in examples {
            assert!(
                !training.contains(&normalize(&example.text)),
                "{file}: {:?}",
                example.text
            );
        }
    }
}

#[test]
fn a_decision_carries_department_confidence_and_three_alternatives() {
    let decision = triage()
        .assess("i need a refill on my lisinopril")
        .unwrap()
        .routing;

    assert_eq!(decision.department.as_deref(), Some("pharmacy"));
    assert!(decision.confidence > 0.5 && decision.confidence <= 1.0);
    assert_eq!(decision.alternatives.len(), 3);
    assert_eq!(decision.alternatives[0].department, "pharmacy");
    assert!(
        decision
            .alternatives
            .windows(2)
            .all(|w| w[0].confidence >= w[1].confidence)
    );
}

#[test]
fn two_requests_report_a_secondary_department() {
    let text = "please cancel my appointment on friday. also why did i get charged twice on my last statement";

    let decision = triage().assess(text).unwrap().routing;

    let mut both = [decision.department.clone(), decision.secondary.clone()];
    both.sort();
    assert_eq!(
        both,
        [Some("billing".to_owned()), Some("scheduling".to_owned())]
    );
}

#[test]
fn empty_gibberish_and_chit_chat_abstain() {
    let cases = [
        ("   ", AbstainReason::Empty),
        ("asdfghjkl qwrtzxcv", AbstainReason::Gibberish),
        (
            "what's a good pizza place near the mall",
            AbstainReason::OutOfScope,
        ),
    ];
    for (text, reason) in cases {
        let decision = triage().assess(text).unwrap().routing;

        assert_eq!(decision.abstain, Some(reason), "{text:?}");
        assert_eq!(decision.department, None, "{text:?}");
    }
}

#[test]
fn confidences_are_calibrated_on_held_out_folds() {
    let meta = triage().router().meta();

    assert!(meta.temperature > 0.0);
    assert!(meta.cross_validation.ece_after < meta.cross_validation.ece_before);
    assert!(
        meta.cross_validation.ece_after < 0.05,
        "{}",
        meta.cross_validation.ece_after
    );
    assert!(meta.classes.iter().any(|c| c == OUT_OF_SCOPE));
}

#[test]
fn training_is_deterministic_and_a_changed_intent_makes_the_head_stale() {
    let dir = tempfile::tempdir().unwrap();
    let intents_dir = dir.path().join("intents");
    std::fs::create_dir(&intents_dir).unwrap();
    for (id, topic) in [
        ("billing", "my bill"),
        ("pharmacy", "my refill"),
        ("records", "my chart copy"),
    ] {
        let examples: String = (0..12)
            .map(|i| format!("  - \"question {i} about {topic}\"\n"))
            .collect();
        std::fs::write(
            intents_dir.join(format!("{id}.yaml")),
            format!("id: {id}\nname: {id}\nexamples:\n{examples}"),
        )
        .unwrap();
    }
    let intents = IntentSet::load(&intents_dir).unwrap();
    let encoder = triage().encoder();
    let options = TrainingOptions {
        folds: 3,
        ..TrainingOptions::default()
    };

    Router::train_and_save(&intents, &dir.path().join("a"), encoder, &options).unwrap();
    Router::train_and_save(&intents, &dir.path().join("b"), encoder, &options).unwrap();

    let weights =
        |sub: &str| std::fs::read(dir.path().join(sub).join("router.safetensors")).unwrap();
    assert_eq!(weights("a"), weights("b"));
    let meta = careline::routing::RouterPaths::in_dir(&dir.path().join("a"))
        .read_meta()
        .unwrap();
    assert!(meta.is_current(&intents.hash, &careline::model::ModelFiles::fingerprint()));

    std::fs::write(
        intents_dir.join("billing.yaml"),
        std::fs::read_to_string(intents_dir.join("billing.yaml")).unwrap()
            + "  - \"one more bill question\"\n",
    )
    .unwrap();
    let changed = IntentSet::load(&intents_dir).unwrap();
    assert!(!meta.is_current(&changed.hash, &careline::model::ModelFiles::fingerprint()));
}
