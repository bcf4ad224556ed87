//! `careline classify`: JSONL in, JSONL out, one output line per input line
//! in the same order. A bad line gets an error line and the run goes on.

use std::collections::BTreeMap;
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;
use serde_json::Value;

use careline::bootstrap::{AssetPaths, load_triage};
use careline::knowledge::render_placeholders;
use careline::message::check_message;
use careline::routing::{AbstainReason, Alternative};
use careline::triage::{Assessment, Triage};

#[derive(Debug, clap::Args)]
pub struct ClassifyArgs {
    /// Lines embedded together; larger batches are faster per line.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    batch: u16,
    /// Read plain text, one message per line, instead of JSONL. Each line
    /// is answered as soon as it is read, for typing at a terminal.
    #[arg(long)]
    plain: bool,
}

/// One output line for a message that was assessed.
#[derive(Serialize)]
struct Decision<'a> {
    line: usize,
    department: Option<&'a str>,
    confidence: f32,
    abstained: bool,
    abstain_reason: Option<AbstainReason>,
    alternatives: &'a [Alternative],
    secondary: Option<&'a str>,
    urgent: bool,
    urgent_category: Option<&'a str>,
    guidance: Option<String>,
}

/// One output line for an input line that could not be assessed. The
/// message names the problem, never the content.
#[derive(Serialize)]
struct LineError {
    line: usize,
    error: ErrorBody,
}

#[derive(Serialize)]
struct ErrorBody {
    code: &'static str,
    message: String,
}

enum Parsed {
    Text(String),
    Invalid(ErrorBody),
}

/// `hospital` fills the numbers named in emergency guidance.
pub fn run(
    paths: &AssetPaths,
    args: ClassifyArgs,
    hospital: &BTreeMap<String, String>,
) -> anyhow::Result<ExitCode> {
    let triage = load_triage(paths)?;
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());

    let mut pending: Vec<(usize, Parsed)> = Vec::new();
    for (index, line) in stdin.split(b'\n').enumerate() {
        let line = line?;
        let parsed = if args.plain {
            parse_plain(&line)
        } else {
            parse_line(&line)
        };
        pending.push((index + 1, parsed));
        // Typed messages are answered at once; piped JSONL is batched.
        if args.plain || pending.len() >= usize::from(args.batch) {
            flush(&triage, hospital, &mut pending, &mut out)?;
        }
    }
    flush(&triage, hospital, &mut pending, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

fn parse_plain(bytes: &[u8]) -> Parsed {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_end_matches('\r');
    match check_message(text) {
        Ok(()) => Parsed::Text(text.to_owned()),
        Err(e) => Parsed::Invalid(ErrorBody {
            code: e.code(),
            message: e.to_string(),
        }),
    }
}

fn parse_line(bytes: &[u8]) -> Parsed {
    let invalid = |code, message: String| Parsed::Invalid(ErrorBody { code, message });

    let Ok(text) = std::str::from_utf8(bytes) else {
        return invalid("invalid_utf8", "the line is not valid UTF-8".into());
    };
    let value: Value = match serde_json::from_str(text.trim_end_matches('\r')) {
        Ok(value) => value,
        Err(e) => {
            let message = format!("the line is not valid JSON (column {})", e.column());
            return invalid("invalid_json", message);
        }
    };
    let field = match value.get("text") {
        Some(Value::String(text)) => text,
        Some(_) => return invalid("text_not_string", "`text` must be a string".into()),
        None if value.is_object() => {
            return invalid("missing_text", "the object has no `text` field".into());
        }
        None => return invalid("not_an_object", "each line must be a JSON object".into()),
    };
    match check_message(field) {
        Ok(()) => Parsed::Text(field.clone()),
        Err(e) => invalid(e.code(), e.to_string()),
    }
}

fn flush(
    triage: &Triage,
    hospital: &BTreeMap<String, String>,
    pending: &mut Vec<(usize, Parsed)>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let texts: Vec<&str> = pending
        .iter()
        .filter_map(|(_, parsed)| match parsed {
            Parsed::Text(text) => Some(text.as_str()),
            Parsed::Invalid(_) => None,
        })
        .collect();
    let mut assessments = triage.assess_batch(&texts)?.into_iter();

    for (line, parsed) in pending.drain(..) {
        match parsed {
            Parsed::Text(_) => {
                let assessment = assessments.next().expect("one assessment per text");
                serde_json::to_writer(&mut *out, &decision(line, &assessment, hospital))?;
            }
            Parsed::Invalid(error) => {
                serde_json::to_writer(&mut *out, &LineError { line, error })?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn decision<'a>(
    line: usize,
    assessment: &'a Assessment,
    hospital: &BTreeMap<String, String>,
) -> Decision<'a> {
    let routing = &assessment.routing;
    let urgent = assessment.urgent.as_ref();
    Decision {
        line,
        department: routing.department.as_deref(),
        confidence: routing.confidence,
        abstained: routing.abstained(),
        abstain_reason: routing.abstain,
        alternatives: &routing.alternatives,
        secondary: routing.secondary.as_deref(),
        urgent: urgent.is_some(),
        urgent_category: urgent.map(|u| u.category.as_str()),
        guidance: urgent.map(|u| {
            render_placeholders(&u.guidance, hospital).unwrap_or_else(|_| u.guidance.clone())
        }),
    }
}
