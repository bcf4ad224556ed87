//! PHI redaction scored per character on the labelled sets, as the eval
//! README defines it: recall is the share of PHI letters and digits
//! removed, over-redaction the share of other letters and digits removed.

use careline::redact::Redactor;
use careline::redact::marked::{CharScore, MarkedLine};

use crate::common::data;

/// Floors from the issue: far better than Presidio's 0.82 and 0.069.
const MIN_RECALL: f64 = 0.98;
const MAX_OVER_REDACTION: f64 = 0.02;

struct Scored {
    score: CharScore,
    /// Messages with PHI left in or other text taken out, for the report.
    misses: Vec<String>,
    lines: usize,
    phi_free: usize,
}

fn score_file(name: &str) -> Scored {
    let text = std::fs::read_to_string(data(name)).expect("labelled set is readable");
    let redactor = Redactor::new();
    let mut scored = Scored {
        score: CharScore::default(),
        misses: Vec::new(),
        lines: 0,
        phi_free: 0,
    };

    for (number, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let marked = MarkedLine::parse(line)
            .unwrap_or_else(|error| panic!("{name}:{}: {error}", number + 1));
        let spans = redactor.spans(&marked.text);

        let mut own = CharScore::default();
        own.add(&marked, &spans);
        if own.phi_removed < own.phi || own.other_removed > 0 {
            let found: Vec<&str> = spans.iter().map(|s| &marked.text[s.start..s.end]).collect();
            scored.misses.push(format!(
                "{name}:{}: {line}\n    found: {found:?}",
                number + 1
            ));
        }
        scored.score.add(&marked, &spans);
        scored.lines += 1;
        scored.phi_free += usize::from(marked.marks.is_empty());
    }
    scored
}

fn check_floors(name: &str, min_lines: usize, min_phi_free: usize) {
    let scored = score_file(name);
    let score = scored.score;
    eprintln!(
        "{name}: {} messages ({} without PHI), recall {:.4} ({}/{} characters), over-redaction {:.4} ({}/{})",
        scored.lines,
        scored.phi_free,
        score.recall(),
        score.phi_removed,
        score.phi,
        score.over_redaction(),
        score.other_removed,
        score.other,
    );
    for miss in &scored.misses {
        eprintln!("{miss}");
    }

    assert!(
        scored.lines >= min_lines,
        "{name} holds at least {min_lines} messages"
    );
    assert!(
        scored.phi_free >= min_phi_free,
        "{name} holds PHI-free messages"
    );
    assert!(
        score.recall() >= MIN_RECALL,
        "{name}: recall {:.4}",
        score.recall()
    );
    assert!(
        score.over_redaction() <= MAX_OVER_REDACTION,
        "{name}: over-redaction {:.4}",
        score.over_redaction()
    );
}

#[test]
fn development_set_meets_the_floors() {
    check_floors("phi.txt", 300, 100);
}

#[test]
fn holdout_set_meets_the_floors() {
    check_floors("phi_holdout.txt", 300, 50);
}

/// Written by a third writer after the recognisers were tuned on the two
/// sets above, and scored without being looked at: the honest figure.
#[test]
fn unseen_set_meets_the_floors() {
    check_floors("phi_unseen.txt", 250, 80);
}
