//! The red-flag safety layer. It runs before routing on every message and
//! its verdict is never overridden: an urgent message gets emergency
//! guidance whatever the router thinks.
//!
//! Two detectors, either of which is enough: phrase rules judged in their
//! clause (negation, history, errands, general questions), and similarity
//! to curated urgent exemplars. A missed emergency is the worst failure
//! Careline can have, so both lean towards recall.

mod context;
mod normalize;
mod red_flags;
mod rules;
mod similarity;

use std::path::Path;

use serde::Serialize;

use crate::model::{Embedding, Encoder, ModelError};
use context::Reading;
pub use red_flags::{Category, RedFlags, RedFlagsError};
use similarity::ExemplarIndex;

#[derive(Debug, thiserror::Error)]
pub enum SafetyError {
    #[error(transparent)]
    Data(#[from] RedFlagsError),
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// What made a message urgent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A red-flag phrase read as happening now.
    Rule,
    /// Close to curated urgent exemplars.
    Similarity { score: f32 },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UrgentFinding {
    pub category: String,
    pub name: String,
    /// What the patient should do now.
    pub guidance: String,
    pub evidence: Evidence,
}

pub struct SafetyLayer {
    flags: RedFlags,
    index: ExemplarIndex,
}

impl SafetyLayer {
    pub fn load(path: &Path, encoder: &Encoder) -> Result<Self, SafetyError> {
        let flags = RedFlags::load(path)?;
        let index = ExemplarIndex::build(&flags, encoder)?;
        Ok(Self { flags, index })
    }

    /// Judges a message from its text and the embeddings of the whole text
    /// and of each of its parts.
    pub fn assess(&self, text: &str, embeddings: &[Embedding]) -> Option<UrgentFinding> {
        if let Some(category) = rule_match(text) {
            return self.finding(category, Evidence::Rule);
        }

        let nearest = embeddings
            .iter()
            .map(|v| self.index.nearest(v))
            .filter(|n| n.is_urgent())
            .max_by(|a, b| a.urgent.total_cmp(&b.urgent))?;
        let category = self.flags.categories.get(nearest.category)?.id.clone();
        self.finding(
            &category,
            Evidence::Similarity {
                score: nearest.urgent,
            },
        )
    }

    fn finding(&self, category: &str, evidence: Evidence) -> Option<UrgentFinding> {
        let data = self.flags.category(category)?;
        Some(UrgentFinding {
            category: data.id.clone(),
            name: data.name.clone(),
            guidance: data.guidance.trim().to_owned(),
            evidence,
        })
    }
}

/// The first red-flag category whose phrase is read as present.
fn rule_match(text: &str) -> Option<&'static str> {
    let normalized = normalize::normalize(text);

    // Infant fever and low sugar hinge on numbers across the whole message.
    if rules::infant_fever(&normalized) {
        return Some("infant_fever");
    }
    if rules::severe_hypoglycaemia(&normalized) {
        return Some("severe_hypoglycaemia");
    }

    for clause in normalize::clauses(&normalized) {
        for rule in rules::RULES.iter() {
            if rule
                .requires
                .as_ref()
                .is_some_and(|r| !r.is_match(&normalized))
            {
                continue;
            }
            let present = rule.pattern.find_iter(clause).any(|m| {
                context::read(&normalized, clause, m.start(), m.end(), rule.discounts)
                    == Reading::Present
            });
            if present {
                return Some(rule.category);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_emergencies_match_a_rule() {
        let cases = [
            (
                "my chest hurts really bad and my left arm is numb",
                "cardiac",
            ),
            ("I swallowed all my pills on purpose", "overdose_poisoning"),
            ("his face is drooping and he cant get words out", "stroke"),
            ("i cant breathe", "breathing"),
            ("i want to kill myself", "suicidal_self_harm"),
        ];
        for (text, category) in cases {
            assert_eq!(rule_match(text), Some(category), "{text}");
        }
    }

    #[test]
    fn look_alikes_match_no_rule() {
        for text in [
            "no chest pain, just heartburn",
            "the bill for my chest pain visit",
            "I had a stroke in 2019",
            "suicide prevention training",
            "this bill is killing me",
            "I need to reschedule my stress test for chest pain",
            "no trouble breathing, just a stuffy nose",
        ] {
            assert_eq!(rule_match(text), None, "{text}");
        }
    }
}
