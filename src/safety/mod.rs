//! The red-flag safety layer. It runs before routing on every message and
//! its verdict is never overridden: an urgent message gets emergency
//! guidance whatever the router thinks.
//!
//! Two detectors, either of which is enough: phrase rules judged in their
//! clause (negation, history, errands, general questions), and similarity
//! to curated urgent exemplars. A missed emergency is the worst failure
//! Careline can have, so both lean towards recall.

mod cache;
mod context;
mod normalize;
mod red_flags;
mod rules;
mod similarity;

use std::path::Path;

use serde::Serialize;

use crate::model::{Embedding, Encoder};
use crate::routing::{IntentSet, RoutingError};
use context::Reading;
pub use red_flags::{Category, RedFlags, RedFlagsError};

use cache::UrgencyFiles;
use similarity::{URGENT_PROBABILITY, UrgencyModel};

#[derive(Debug, thiserror::Error)]
pub enum SafetyError {
    #[error(transparent)]
    Data(#[from] RedFlagsError),
    #[error(transparent)]
    Model(#[from] RoutingError),
}

/// What made a message urgent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A red-flag phrase read as happening now.
    Rule,
    /// Judged like the curated urgent exemplars by the learned model.
    Similarity { probability: f32 },
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
    model: UrgencyModel,
}

impl SafetyLayer {
    /// Loads the red-flag data and the urgency model, training it (against
    /// the exemplars, look-alikes and routing examples) when the copy in
    /// `models_dir` is missing or was trained from other data.
    pub fn load(
        path: &Path,
        intents: &IntentSet,
        encoder: &Encoder,
        models_dir: &Path,
    ) -> Result<Self, SafetyError> {
        let flags = RedFlags::load(path)?;
        let bytes = std::fs::read(path).map_err(|source| RedFlagsError::Io {
            path: path.to_owned(),
            source,
        })?;
        let files = UrgencyFiles::in_dir(models_dir);
        let key = UrgencyFiles::key(&bytes, &intents.hash);

        if let Some((head, exemplars)) = files.load(&key) {
            let model = UrgencyModel::from_parts(head, exemplars);
            return Ok(Self { flags, model });
        }

        tracing::info!("urgency model is missing or stale; training");
        let everyday: Vec<&str> = intents
            .departments
            .iter()
            .flat_map(|d| d.examples.iter())
            .chain(&intents.out_of_scope)
            .map(String::as_str)
            .collect();
        let model = UrgencyModel::train(&flags, &everyday, encoder)?;
        // A read-only models folder only costs training at every start.
        if let Err(error) = model.save(&files, &key) {
            tracing::warn!(error = %error, "could not store the urgency model");
        }
        Ok(Self { flags, model })
    }

    /// The curated categories, with their guidance as written (placeholders
    /// unfilled).
    pub fn categories(&self) -> &[Category] {
        &self.flags.categories
    }

    /// Judges a message from its text, its pieces (the whole text, then its
    /// separate requests) and their embeddings in the same order.
    pub fn assess(
        &self,
        text: &str,
        pieces: &[&str],
        vectors: &[&Embedding],
    ) -> Result<Option<UrgentFinding>, SafetyError> {
        if let Some(category) = rule_match(text) {
            return Ok(self.finding(category, Evidence::Rule));
        }

        let Some(judgement) = self.model.judge(pieces, vectors)? else {
            return Ok(None);
        };
        if judgement.probability < URGENT_PROBABILITY {
            return Ok(None);
        }
        let Some(category) = self.flags.categories.get(judgement.category) else {
            return Ok(None);
        };
        Ok(self.finding(
            &category.id,
            Evidence::Similarity {
                probability: judgement.probability,
            },
        ))
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
                context::read(&normalized, clause, m.start(), m.end(), rule.discounts())
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
            (
                "I bought a gun and I am going to use it on myself",
                "suicidal_self_harm",
            ),
            (
                "i have pills saved up and im going to take them all tonight",
                "suicidal_self_harm",
            ),
            ("going to take all my pills tonight", "suicidal_self_harm"),
            (
                "not sure if this matters but my left side went numb 10 min ago",
                "stroke",
            ),
            ("Pt reports CP radiating to L arm x 30 min", "cardiac"),
            ("contractions every 3 minutes at 32 weeks", "preterm_labour"),
            ("my water broke at 30 weeks", "preterm_labour"),
            ("I was sexually assaulted last night", "assault_violence"),
            (
                "my husband hit me and I am scared to go home",
                "assault_violence",
            ),
            ("911", "stated_emergency"),
            ("emergency", "stated_emergency"),
            ("this is an emergency", "stated_emergency"),
            ("my sugar is 40 and im shaky", "severe_hypoglycaemia"),
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
            "number 2",
            "question number 1 about my bill",
            "room number 12, can I get a visitor pass",
            "i want to write down which treatments i would refuse if i couldnt speak for myself",
            "my mom has dementia and cant speak for herself, how do we get power of attorney",
            "I cant breathe through my nose because of allergies",
            "its not an emergency but can someone call me back",
            "how do i sign up for the birthing class and the labor and delivery tour",
        ] {
            assert_eq!(rule_match(text), None, "{text}");
        }
    }
}
