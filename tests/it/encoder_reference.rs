//! The candle encoder must reproduce sentence-transformers' vectors.

use serde::Deserialize;

use careline::eval::read_jsonl;
use careline::model::cosine;

use crate::common::{data, triage};

#[derive(Deserialize)]
struct Reference {
    text: String,
    embedding: Vec<f32>,
}

#[test]
fn embeddings_match_sentence_transformers_reference() {
    let references: Vec<Reference> = read_jsonl(&data("minilm_reference.jsonl")).unwrap();
    let texts: Vec<&str> = references.iter().map(|r| r.text.as_str()).collect();

    let vectors = triage().encoder().embed(&texts).unwrap();

    assert_eq!(references.len(), 8);
    for (reference, vector) in references.iter().zip(&vectors) {
        let similarity = cosine(&reference.embedding, vector);
        assert!(
            similarity >= 0.9999,
            "cosine {similarity} for {:?}",
            reference.text
        );
    }
}

#[test]
fn batching_does_not_change_a_sentence_vector() {
    let alone = triage()
        .encoder()
        .embed_one("can i get my records faxed")
        .unwrap();
    let batch = triage()
        .encoder()
        .embed(&[
            "hi",
            "can i get my records faxed",
            "a much longer sentence about parking at the north garage",
        ])
        .unwrap();

    assert!(cosine(&alone, &batch[1]) > 0.99999);
}

#[test]
fn vectors_have_unit_length() {
    let vector = triage().encoder().embed_one("where do I park").unwrap();

    let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
}
