//! Messages with their PHI marked (`[[NAME|Maria Lopez]]`), the format of
//! the labelled sets, and per-character scoring of a redactor on them.

use std::ops::Range;

use super::found::PhiSpan;
use super::kind::PhiKind;

/// One labelled message: its plain text and where the PHI is.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkedLine {
    pub text: String,
    pub marks: Vec<(Range<usize>, PhiKind)>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MarkError {
    #[error("a `[[` mark is not closed")]
    Unclosed,
    #[error("a mark has no `|` between its type and its text")]
    NoType,
    #[error("unknown PHI type `{0}`")]
    UnknownType(String),
}

impl MarkedLine {
    pub fn parse(line: &str) -> Result<Self, MarkError> {
        let mut text = String::with_capacity(line.len());
        let mut marks = Vec::new();
        let mut rest = line;

        while let Some(open) = rest.find("[[") {
            text.push_str(&rest[..open]);
            let inner = &rest[open + 2..];
            let close = inner.find("]]").ok_or(MarkError::Unclosed)?;
            let (label, value) = inner[..close].split_once('|').ok_or(MarkError::NoType)?;
            let kind =
                PhiKind::from_label(label).ok_or_else(|| MarkError::UnknownType(label.into()))?;

            let start = text.len();
            text.push_str(value);
            marks.push((start..text.len(), kind));
            rest = &inner[close + 2..];
        }
        text.push_str(rest);
        Ok(Self { text, marks })
    }
}

/// Letters and digits counted over a labelled set, as the eval README
/// defines: recall is the share of PHI characters removed, over-redaction
/// the share of other characters removed.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CharScore {
    pub phi: usize,
    pub phi_removed: usize,
    pub other: usize,
    pub other_removed: usize,
}

impl CharScore {
    /// Adds one message: its marks against the spans a redactor found.
    pub fn add(&mut self, line: &MarkedLine, spans: &[PhiSpan]) {
        for (at, c) in line.text.char_indices() {
            if !c.is_alphanumeric() {
                continue;
            }
            let is_phi = line.marks.iter().any(|(range, _)| range.contains(&at));
            let removed = spans.iter().any(|s| s.start <= at && at < s.end);
            if is_phi {
                self.phi += 1;
                self.phi_removed += usize::from(removed);
            } else {
                self.other += 1;
                self.other_removed += usize::from(removed);
            }
        }
    }

    pub fn recall(&self) -> f64 {
        ratio(self.phi_removed, self.phi)
    }

    pub fn over_redaction(&self) -> f64 {
        ratio(self.other_removed, self.other)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_ranges_of_the_plain_text() {
        let line = MarkedLine::parse("hi [[NAME|Ana]], call [[PHONE|555-0143]]").unwrap();

        assert_eq!(line.text, "hi Ana, call 555-0143");
        assert_eq!(
            line.marks,
            vec![(3..6, PhiKind::Name), (13..21, PhiKind::Phone)]
        );
        assert_eq!(MarkedLine::parse("[[NAME Ana]]"), Err(MarkError::NoType));
        assert_eq!(MarkedLine::parse("[[NAME|Ana"), Err(MarkError::Unclosed));
    }

    #[test]
    fn scores_count_letters_and_digits_only() {
        let line = MarkedLine::parse("hi [[NAME|Ana]], call me").unwrap();
        let span = |start, end| PhiSpan {
            start,
            end,
            kind: PhiKind::Name,
            confidence: 1.0,
        };

        let mut score = CharScore::default();
        score.add(&line, &[span(0, 6)]);

        assert_eq!(score.phi, 3);
        assert_eq!(score.phi_removed, 3);
        assert_eq!(score.other, 8);
        assert_eq!(score.other_removed, 2);
    }
}
