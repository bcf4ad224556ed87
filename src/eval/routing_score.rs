//! Routing scores: a hit is the labelled department or one of `also`; an
//! out-of-scope line is a hit when the router abstains or answers `general`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::dataset::RoutingExample;
use crate::routing::{OUT_OF_SCOPE, RoutingDecision};

/// Column name for abstentions in the confusion matrix.
pub const ABSTAIN: &str = "(abstain)";

#[derive(Debug, Clone, Serialize)]
pub struct DepartmentScore {
    pub examples: usize,
    pub hits: usize,
    pub hit_rate: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoutingScore {
    pub examples: usize,
    pub hits: usize,
    pub hit_rate: f64,
    pub per_department: BTreeMap<String, DepartmentScore>,
    /// gold label -> predicted department (or abstain) -> count
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Share of in-scope lines on which the router abstained.
    pub abstention_rate: f64,
    /// Share of out-of-scope lines handled as such (abstain or general).
    pub out_of_scope_handled: f64,
    /// Share of two-request lines whose second department was found.
    pub secondary_found: f64,
    pub misses: Vec<Miss>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub text: String,
    pub expected: String,
    pub got: String,
}

pub fn is_hit(example: &RoutingExample, decision: &RoutingDecision) -> bool {
    let got = decision.department.as_deref();
    if example.department == OUT_OF_SCOPE {
        return got.is_none() || got == Some("general");
    }
    got.is_some_and(|d| d == example.department || example.also.iter().any(|a| a == d))
}

pub fn score(examples: &[RoutingExample], decisions: &[RoutingDecision]) -> RoutingScore {
    let mut per_department: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut misses = Vec::new();
    let (mut in_scope, mut abstained) = (0, 0);
    let (mut two_requests, mut secondary_found) = (0, 0);

    for (example, decision) in examples.iter().zip(decisions) {
        let hit = is_hit(example, decision);
        let got = decision
            .department
            .clone()
            .unwrap_or_else(|| ABSTAIN.to_owned());

        let entry = per_department
            .entry(example.department.clone())
            .or_default();
        entry.0 += 1;
        entry.1 += usize::from(hit);
        *confusion
            .entry(example.department.clone())
            .or_default()
            .entry(got.clone())
            .or_default() += 1;

        if example.department != OUT_OF_SCOPE {
            in_scope += 1;
            abstained += usize::from(decision.abstained());
        }
        if !example.also.is_empty() {
            two_requests += 1;
            let found = [decision.department.as_ref(), decision.secondary.as_ref()]
                .into_iter()
                .flatten()
                .any(|d| example.also.contains(d));
            secondary_found += usize::from(found);
        }
        if !hit {
            misses.push(Miss {
                text: example.text.clone(),
                expected: example.department.clone(),
                got,
            });
        }
    }

    let hits = per_department.values().map(|(_, h)| h).sum();
    let oos = per_department
        .get(OUT_OF_SCOPE)
        .copied()
        .unwrap_or_default();
    RoutingScore {
        examples: examples.len(),
        hits,
        hit_rate: ratio(hits, examples.len()),
        per_department: per_department
            .into_iter()
            .map(|(id, (examples, hits))| {
                let score = DepartmentScore {
                    examples,
                    hits,
                    hit_rate: ratio(hits, examples),
                };
                (id, score)
            })
            .collect(),
        confusion,
        abstention_rate: ratio(abstained, in_scope),
        out_of_scope_handled: ratio(oos.1, oos.0),
        secondary_found: ratio(secondary_found, two_requests),
        misses,
    }
}

pub(super) fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
