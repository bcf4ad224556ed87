//! Fixtures for the knowledge unit tests: entry files in a temporary
//! folder and a small deterministic embedding. The real encoder is used by
//! `tests/it/faq_retrieval.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::KnowledgeBase;
use crate::model::EMBEDDING_DIM;

pub const DEPARTMENTS: &[&str] = &["billing", "pharmacy", "general"];

/// Writes `knowledge/<id>.md` with one question per line of `questions`.
pub fn write_entry(dir: &Path, id: &str, questions: &[&str], answer: &str) {
    let questions: String = questions.iter().map(|q| format!("  - {q}\n")).collect();
    let text = format!(
        "---\nid: {id}\ntitle: About {id}\ndepartment: general\nupdated: 2026-11-20\n\
         questions:\n{questions}---\n{answer}\n"
    );
    std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
}

pub fn load(dir: &Path) -> KnowledgeBase {
    KnowledgeBase::load(dir, &BTreeMap::new(), DEPARTMENTS).unwrap()
}

/// A bag-of-words unit vector: each lower-cased word adds one to a
/// hashed dimension. Texts sharing words are close, as with a real model.
pub fn fake_embedding(text: &str) -> Vec<f32> {
    let mut vector = vec![0.0f32; EMBEDDING_DIM];
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let digest = Sha256::digest(word.to_lowercase());
        let slot = usize::from(digest[0]) << 8 | usize::from(digest[1]);
        vector[slot % EMBEDDING_DIM] += 1.0;
    }
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
    vector.iter().map(|x| x / norm).collect()
}

/// `fake_embedding` in the shape `sync_index` takes.
pub async fn fake_embed(texts: Vec<String>) -> Result<Vec<Vec<f32>>, std::convert::Infallible> {
    Ok(texts.iter().map(|t| fake_embedding(t)).collect())
}
