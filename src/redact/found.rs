//! What the recognisers found, and the tokens they have taken, so that a
//! later recogniser does not read the same digits a second way.

use std::ops::Range;

use serde::Serialize;

use super::kind::PhiKind;
use super::tokens::Tokens;

/// One piece of PHI: a byte range of the message, its kind, and how sure
/// the recogniser is (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PhiSpan {
    pub start: usize,
    pub end: usize,
    pub kind: PhiKind,
    pub confidence: f32,
}

pub struct Finder<'a> {
    pub tokens: Tokens<'a>,
    found: Vec<PhiSpan>,
    taken: Vec<bool>,
}

impl<'a> Finder<'a> {
    pub fn new(text: &'a str) -> Self {
        let tokens = Tokens::new(text);
        let taken = vec![false; tokens.len()];
        Self {
            tokens,
            found: Vec::new(),
            taken,
        }
    }

    pub fn text(&self) -> &'a str {
        self.tokens.text
    }

    /// Records PHI over tokens `first..=last`.
    pub fn add_tokens(&mut self, first: usize, last: usize, kind: PhiKind, confidence: f32) {
        let range = self.tokens.range(first, last);
        self.found.push(PhiSpan {
            start: range.start,
            end: range.end,
            kind,
            confidence,
        });
        self.taken[first..=last].fill(true);
    }

    /// Records PHI over a byte range, taking every token it touches.
    pub fn add_bytes(&mut self, range: Range<usize>, kind: PhiKind, confidence: f32) {
        for (index, token) in self.tokens.list.iter().enumerate() {
            if token.start < range.end && token.end > range.start {
                self.taken[index] = true;
            }
        }
        self.found.push(PhiSpan {
            start: range.start,
            end: range.end,
            kind,
            confidence,
        });
    }

    pub fn is_taken(&self, index: usize) -> bool {
        self.taken.get(index).copied().unwrap_or(true)
    }

    /// No token of `first..=last` is taken yet.
    pub fn all_free(&self, first: usize, last: usize) -> bool {
        last < self.taken.len() && !self.taken[first..=last].iter().any(|&t| t)
    }

    /// The spans, sorted, overlaps merged into the more confident kind.
    pub fn finish(self) -> Vec<PhiSpan> {
        merge(self.found)
    }
}

fn merge(mut found: Vec<PhiSpan>) -> Vec<PhiSpan> {
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));

    let mut merged: Vec<PhiSpan> = Vec::with_capacity(found.len());
    for span in found {
        match merged.last_mut() {
            Some(last) if span.start < last.end => {
                // The longer piece names the kind: an email holds a name,
                // an address holds a number.
                if span.end - span.start > last.end - last.start {
                    last.kind = span.kind;
                }
                last.end = last.end.max(span.end);
                last.confidence = last.confidence.max(span.confidence);
            }
            _ => merged.push(span),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, kind: PhiKind) -> PhiSpan {
        PhiSpan {
            start,
            end,
            kind,
            confidence: 0.5,
        }
    }

    #[test]
    fn overlapping_spans_merge_and_touching_ones_do_not() {
        let merged = merge(vec![
            span(10, 14, PhiKind::Name),
            span(0, 5, PhiKind::Zip),
            span(5, 9, PhiKind::Date),
            span(8, 30, PhiKind::Email),
        ]);

        assert_eq!(
            merged,
            vec![span(0, 5, PhiKind::Zip), span(5, 30, PhiKind::Email)]
        );
    }
}
