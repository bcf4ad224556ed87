//! What the router decides about one message.

use serde::Serialize;

/// Why the router declined to pick a department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AbstainReason {
    /// No letters or digits at all.
    Empty,
    /// Keyboard mashing or text that is not language.
    Gibberish,
    /// Chit-chat, greetings or off-topic requests.
    OutOfScope,
    /// A department is likely but not likely enough to act on.
    LowConfidence,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    pub department: String,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutingDecision {
    /// The chosen department; `None` when the router abstains.
    pub department: Option<String>,
    /// Calibrated probability of the most likely class.
    pub confidence: f32,
    pub abstain: Option<AbstainReason>,
    /// The three most likely departments, best first.
    pub alternatives: Vec<Alternative>,
    /// Another department the message also asks for, if any.
    pub secondary: Option<String>,
}

impl RoutingDecision {
    pub fn abstained(&self) -> bool {
        self.abstain.is_some()
    }

    pub(crate) fn abstain_without_scores(reason: AbstainReason) -> Self {
        Self {
            department: None,
            confidence: 0.0,
            abstain: Some(reason),
            alternatives: Vec::new(),
            secondary: None,
        }
    }
}
