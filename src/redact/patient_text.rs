//! Types that keep a patient's words out of logs by construction.
//!
//! [`PatientText`] holds what a patient wrote. Its `Debug` shows only the
//! length and it has no `Display`, so `tracing::info!(?text)` or
//! `format!("{text}")` cannot leak it; the words come out only through
//! [`PatientText::expose`] (for the care record and the model) or
//! [`PatientText::redacted`] (for everything else).

use std::fmt;

use serde::Deserialize;

use super::Redactor;

#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct PatientText(String);

impl PatientText {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The words as written. Only for the care record (the encrypted
    /// store), the patient's own transcript and the local model: never for
    /// a log line, an error body, a metric or an outbound call.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn into_exposed(self) -> String {
        self.0
    }

    /// The text with its PHI replaced: safe to log.
    pub fn redacted(&self, redactor: &Redactor) -> RedactedText {
        RedactedText(one_line(&redactor.redact(&self.0).text))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for PatientText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PatientText({} bytes, not shown)", self.0.len())
    }
}

impl From<String> for PatientText {
    fn from(text: String) -> Self {
        Self(text)
    }
}

/// Line breaks, other control characters and direction overrides
/// escaped, so a message cannot start a forged log line or reorder one.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let invisible = matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || invisible {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Text whose PHI has been replaced by placeholders. It can only be made
/// by redacting, so anything typed `RedactedText` is safe to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedactedText(String);

impl RedactedText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RedactedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_words_and_redacted_shows_placeholders() {
        let text = PatientText::new("this is Maria Lopez, call 312-555-0143");

        let shown = format!("{text:?}");
        assert!(
            !shown.contains("Maria") && !shown.contains("0143"),
            "{shown}"
        );

        let redacted = text.redacted(&Redactor::new());
        assert_eq!(redacted.to_string(), "this is [NAME], call [PHONE]");

        let forged = PatientText::new("bill\n2026-12-04 ERROR db lost \u{202e}x");
        let line = forged.redacted(&Redactor::new()).to_string();
        assert!(!line.contains('\n') && !line.contains('\u{202e}'), "{line}");
    }
}
