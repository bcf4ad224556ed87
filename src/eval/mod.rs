//! Scoring triage on labelled files: routing hits, confusion, abstention,
//! out-of-scope handling, urgent recall and false positives.

mod dataset;
mod report;
mod routing_score;
mod urgent_score;

use serde::Serialize;

pub use dataset::{DatasetError, RoutingExample, UrgentExample, read_jsonl};
pub use report::render;
pub use routing_score::{ABSTAIN, RoutingScore, is_hit};
pub use urgent_score::UrgentScore;

use crate::routing::RoutingError;
use crate::triage::Triage;

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing: Option<RoutingScore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urgent: Option<UrgentScore>,
}

pub fn score_routing(
    triage: &Triage,
    examples: &[RoutingExample],
) -> Result<RoutingScore, RoutingError> {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let decisions: Vec<_> = triage
        .assess_batch(&texts)?
        .into_iter()
        .map(|a| a.routing)
        .collect();
    Ok(routing_score::score(examples, &decisions))
}

pub fn score_urgent(
    triage: &Triage,
    examples: &[UrgentExample],
) -> Result<UrgentScore, RoutingError> {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let findings: Vec<_> = triage
        .assess_batch(&texts)?
        .into_iter()
        .map(|a| a.urgent)
        .collect();
    Ok(urgent_score::score(examples, &findings))
}
