//! Red-flag scores: recall on urgent lines (the figure that matters most)
//! and the false-positive rate on non-urgent ones.

use std::collections::BTreeMap;

use serde::Serialize;

use super::dataset::UrgentExample;
use super::routing_score::ratio;
use crate::safety::UrgentFinding;

#[derive(Debug, Clone, Serialize)]
pub struct UrgentScore {
    pub urgent_examples: usize,
    pub caught: usize,
    pub recall: f64,
    pub calm_examples: usize,
    pub false_positives: usize,
    pub false_positive_rate: f64,
    /// category -> (examples, caught)
    pub per_category: BTreeMap<String, (usize, usize)>,
    pub missed: Vec<String>,
    pub false_alarms: Vec<String>,
}

pub fn score(examples: &[UrgentExample], findings: &[Option<UrgentFinding>]) -> UrgentScore {
    let mut per_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut missed, mut false_alarms) = (Vec::new(), Vec::new());

    for (example, finding) in examples.iter().zip(findings) {
        let flagged = finding.is_some();
        if example.urgent {
            let category = example
                .category
                .clone()
                .unwrap_or_else(|| "unlabelled".into());
            let entry = per_category.entry(category).or_default();
            entry.0 += 1;
            entry.1 += usize::from(flagged);
            if !flagged {
                missed.push(example.text.clone());
            }
        } else if flagged {
            false_alarms.push(example.text.clone());
        }
    }

    let urgent_examples = examples.iter().filter(|e| e.urgent).count();
    let calm_examples = examples.len() - urgent_examples;
    let caught = urgent_examples - missed.len();
    UrgentScore {
        urgent_examples,
        caught,
        recall: ratio(caught, urgent_examples),
        calm_examples,
        false_positives: false_alarms.len(),
        false_positive_rate: ratio(false_alarms.len(), calm_examples),
        per_category,
        missed,
        false_alarms,
    }
}
