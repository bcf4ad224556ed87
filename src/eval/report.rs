//! The human-readable evaluation table.

use std::fmt::Write;

use super::EvalReport;
use super::routing_score::RoutingScore;
use super::urgent_score::UrgentScore;

/// Renders the report as plain-text tables; `show_errors` appends the
/// lines that were missed.
pub fn render(report: &EvalReport, show_errors: bool) -> String {
    let mut out = String::new();
    if let Some(routing) = &report.routing {
        render_routing(&mut out, routing, show_errors);
    }
    if let Some(urgent) = &report.urgent {
        render_urgent(&mut out, urgent, show_errors);
    }
    out
}

fn pct(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

fn render_routing(out: &mut String, score: &RoutingScore, show_errors: bool) {
    let _ = writeln!(out, "ROUTING  {} examples", score.examples);
    let _ = writeln!(
        out,
        "  hit rate              {:>7}  ({}/{})",
        pct(score.hit_rate),
        score.hits,
        score.examples
    );
    let _ = writeln!(
        out,
        "  abstention (in scope) {:>7}",
        pct(score.abstention_rate)
    );
    let _ = writeln!(
        out,
        "  out of scope handled  {:>7}",
        pct(score.out_of_scope_handled)
    );
    let _ = writeln!(
        out,
        "  second request found  {:>7}",
        pct(score.secondary_found)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  {:<14} {:>8} {:>8}",
        "department", "examples", "hit rate"
    );
    for (id, dept) in &score.per_department {
        let _ = writeln!(
            out,
            "  {:<14} {:>8} {:>8}",
            id,
            dept.examples,
            pct(dept.hit_rate)
        );
    }

    let mut columns: Vec<&String> = score
        .confusion
        .values()
        .flat_map(|row| row.keys())
        .collect();
    columns.sort();
    columns.dedup();
    let _ = writeln!(out);
    let _ = write!(
        out,
        "  confusion (rows: expected, columns: answered)\n  {:<14}",
        ""
    );
    for column in &columns {
        let _ = write!(out, " {:>6}", abbreviate(column));
    }
    let _ = writeln!(out);
    for (gold, row) in &score.confusion {
        let _ = write!(out, "  {:<14}", gold);
        for column in &columns {
            let _ = write!(out, " {:>6}", row.get(*column).copied().unwrap_or(0));
        }
        let _ = writeln!(out);
    }

    if show_errors {
        let _ = writeln!(out, "\n  misses:");
        for miss in &score.misses {
            let _ = writeln!(out, "  - [{} -> {}] {}", miss.expected, miss.got, miss.text);
        }
    }
    let _ = writeln!(out);
}

fn render_urgent(out: &mut String, score: &UrgentScore, show_errors: bool) {
    let _ = writeln!(
        out,
        "URGENT  {} urgent, {} not urgent",
        score.urgent_examples, score.calm_examples
    );
    let _ = writeln!(
        out,
        "  recall                {:>7}  ({}/{})",
        pct(score.recall),
        score.caught,
        score.urgent_examples
    );
    let _ = writeln!(
        out,
        "  false-positive rate   {:>7}  ({}/{})",
        pct(score.false_positive_rate),
        score.false_positives,
        score.calm_examples
    );
    let _ = writeln!(
        out,
        "\n  {:<22} {:>8} {:>8}",
        "category", "examples", "caught"
    );
    for (category, (examples, caught)) in &score.per_category {
        let _ = writeln!(out, "  {:<22} {:>8} {:>8}", category, examples, caught);
    }

    if show_errors {
        let _ = writeln!(out, "\n  missed emergencies:");
        for text in &score.missed {
            let _ = writeln!(out, "  - {text}");
        }
        let _ = writeln!(out, "\n  false alarms:");
        for text in &score.false_alarms {
            let _ = writeln!(out, "  - {text}");
        }
    }
}

/// Six characters are enough to tell the departments apart in a column.
fn abbreviate(name: &str) -> String {
    name.chars().take(6).collect()
}
