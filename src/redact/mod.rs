//! PHI redaction: finds names, dates, phone numbers, record numbers,
//! addresses and the other HIPAA Safe Harbor identifiers in a patient's
//! message, so that everything that leaves the care record sees only
//! placeholders (`[NAME]`, `[DATE]`, ...).
//!
//! Recognisers run in a fixed order over one tokenisation of the message;
//! each takes the tokens it reads so a later one cannot read the same digits
//! a second way. Start with [`Redactor::redact`].

mod address;
mod contact;
mod dates;
mod found;
mod identity;
mod kind;
mod labels;
mod lexicon;
pub mod marked;
mod names;
mod numbers;
mod patient_text;
mod runs;
mod tokens;

pub use found::PhiSpan;
pub use identity::Identity;
pub use kind::PhiKind;
pub use patient_text::{PatientText, RedactedText};

use found::Finder;
use identity::IdentityMatcher;

/// Finds PHI; one per process, or one per signed-in patient when their
/// identifiers are known.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    identity: Option<IdentityMatcher>,
}

/// A message with its PHI found and replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Redaction {
    /// The message with each span replaced by its kind's placeholder.
    pub text: String,
    /// Byte ranges of the original message, sorted, not overlapping.
    pub spans: Vec<PhiSpan>,
}

impl Redactor {
    /// A redactor that knows nothing about the patient.
    pub fn new() -> Self {
        Self::default()
    }

    /// A redactor that also removes this patient's own identifiers wherever
    /// they appear, in any case or format.
    pub fn for_patient(identity: &Identity) -> Self {
        Self {
            identity: Some(IdentityMatcher::new(identity)),
        }
    }

    /// The PHI in `text`, sorted by position, overlaps merged.
    pub fn spans(&self, text: &str) -> Vec<PhiSpan> {
        let mut finder = Finder::new(text);

        // The patient's own values first: they are certain.
        if let Some(identity) = &self.identity {
            identity.find(&mut finder);
        }
        // Emails and web addresses cut across words and digits.
        contact::find(&mut finder);
        // A label says what its value is before its shape does.
        labels::find(&mut finder);
        dates::find(&mut finder);
        address::find(&mut finder);
        numbers::find(&mut finder);
        // Letters and digits glued into a code, once phone numbers glued to
        // a label ("call5558804432") have been read as phones.
        labels::find_codes(&mut finder);
        names::find(&mut finder);

        finder.finish()
    }

    /// `text` with its PHI replaced by typed placeholders.
    pub fn redact(&self, text: &str) -> Redaction {
        let spans = self.spans(text);
        Redaction {
            text: replace(text, &spans),
            spans,
        }
    }
}

/// Writes `text` with each span replaced by its placeholder.
pub fn replace(text: &str, spans: &[PhiSpan]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(&text[at..span.start]);
        out.push_str(span.kind.placeholder());
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}
