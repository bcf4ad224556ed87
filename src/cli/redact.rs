//! `careline redact`: lines on stdin, one redacted line (or its spans with
//! `--json`) per input line on stdout, in order. Streams: what has arrived
//! is written before waiting for more. Memory stays bounded: lines arrive
//! in batches redacted on every core at once, and a line too long to hold
//! is redacted in overlapping windows (`long_line.rs`).

mod long_line;
mod lossy;

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use careline::redact::{Identity, PhiSpan, Redactor, replace};

use lossy::LossyText;

/// Longest line redacted whole; a longer one goes through windows.
const LINE_LIMIT: usize = 1024 * 1024;

/// Bytes of input redacted together across the cores.
const BATCH_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, clap::Args)]
pub struct RedactArgs {
    /// Write `{"spans": [{start, end, kind, confidence}]}` per line (byte
    /// offsets into the line) instead of the redacted text.
    #[arg(long)]
    json: bool,
    /// A JSON file naming the patient (`name`, `date_of_birth`, `mrn`,
    /// `phone`, `email`, `address`): their values are redacted in any form.
    #[arg(long)]
    identity: Option<PathBuf>,
}

pub fn run(args: RedactArgs) -> anyhow::Result<ExitCode> {
    let redactor = match &args.identity {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let identity: Identity = serde_json::from_str(&text)
                .with_context(|| format!("{} is not an identity object", path.display()))?;
            Redactor::for_patient(&identity)
        }
        None => Redactor::new(),
    };

    let stdin = BufReader::with_capacity(BATCH_BYTES, std::io::stdin().lock());
    let mut out = BufWriter::new(std::io::stdout().lock());
    redact_stream(stdin, &mut out, &redactor, args.json)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// How one line of input arrived.
enum Line {
    /// The whole line, without its line ending.
    Whole(Vec<u8>),
    /// The first [`LINE_LIMIT`] bytes; the rest is still unread.
    Head(Vec<u8>),
}

fn redact_stream<R: Read>(
    mut input: BufReader<R>,
    out: &mut impl Write,
    redactor: &Redactor,
    json: bool,
) -> anyhow::Result<()> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut batch = Vec::new();

    loop {
        // Lines already read from stdin join the batch; the batch ends at
        // its size limit, at a long line, or before a read that could wait
        // for the writer, so a line typed is a line answered.
        let mut bytes = 0;
        let mut head = None;
        let mut ended = false;
        loop {
            match read_line(&mut input)? {
                None => ended = true,
                Some(Line::Whole(line)) => {
                    bytes += line.len() + 1;
                    batch.push(line);
                }
                Some(Line::Head(line)) => head = Some(line),
            }
            if ended || head.is_some() || bytes >= BATCH_BYTES || input.buffer().is_empty() {
                break;
            }
        }

        let lines = std::mem::take(&mut batch);
        for (line, spans) in spans_in_parallel(lines, redactor, workers) {
            if json {
                let mut writer = SpanWriter::start(out)?;
                for span in &spans {
                    writer.push(out, raw_span(&line, span))?;
                }
                writer.finish(out)?;
            } else {
                out.write_all(replace(&line.text, &spans).as_bytes())?;
                out.write_all(b"\n")?;
            }
        }
        if let Some(head) = head {
            long_line::redact(head, &mut input, out, redactor, json, long_line::WINDOWS)?;
        }
        out.flush()?;

        if ended {
            return Ok(());
        }
    }
}

/// The next line, or `None` at the end of the input.
fn read_line<R: Read>(input: &mut BufReader<R>) -> std::io::Result<Option<Line>> {
    let mut line = Vec::new();
    let read = input
        .by_ref()
        .take(LINE_LIMIT as u64)
        .read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        strip_line_end(&mut line);
        return Ok(Some(Line::Whole(line)));
    }
    // Short of the limit without a newline: the input ended mid-line.
    if line.len() < LINE_LIMIT {
        return Ok(Some(Line::Whole(line)));
    }
    Ok(Some(Line::Head(line)))
}

/// Drops a trailing `\n` or `\r\n`.
fn strip_line_end(line: &mut Vec<u8>) {
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
}

/// A span with its offsets moved from the decoded text to the input bytes.
fn raw_span(line: &LossyText, span: &PhiSpan) -> PhiSpan {
    PhiSpan {
        start: line.raw_offset(span.start),
        end: line.raw_offset(span.end),
        ..*span
    }
}

fn spans_in_parallel(
    lines: Vec<Vec<u8>>,
    redactor: &Redactor,
    workers: usize,
) -> Vec<(LossyText, Vec<PhiSpan>)> {
    if lines.is_empty() {
        return Vec::new();
    }
    let chunk = lines.len().div_ceil(workers.max(1));
    let mut lines = lines.into_iter();
    let parts: Vec<Vec<Vec<u8>>> = std::iter::from_fn(|| {
        let part: Vec<_> = lines.by_ref().take(chunk).collect();
        (!part.is_empty()).then_some(part)
    })
    .collect();

    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    part.into_iter()
                        .map(|bytes| {
                            let line = LossyText::decode(bytes);
                            let spans = redactor.spans(&line.text);
                            (line, spans)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a redaction worker does not panic"))
            .collect()
    })
}

/// Writes one `{"spans": [...]}` line a span at a time, so a long line's
/// spans need not be held until it ends.
struct SpanWriter {
    first: bool,
}

impl SpanWriter {
    fn start(out: &mut impl Write) -> std::io::Result<Self> {
        out.write_all(b"{\"spans\":[")?;
        Ok(Self { first: true })
    }

    fn push(&mut self, out: &mut impl Write, span: PhiSpan) -> anyhow::Result<()> {
        if !std::mem::take(&mut self.first) {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &span)?;
        Ok(())
    }

    fn finish(self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(b"]}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_bytes(input: &[u8], json: bool) -> String {
        let mut out = Vec::new();
        redact_stream(BufReader::new(input), &mut out, &Redactor::new(), json).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn run_on(input: &str, json: bool) -> String {
        run_bytes(input.as_bytes(), json)
    }

    fn first_spans(out: &str) -> Vec<serde_json::Value> {
        let line: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        line["spans"].as_array().unwrap().clone()
    }

    #[test]
    fn one_line_out_per_line_in() {
        let out = run_on(
            "call 312-555-0143\r\n\nno phi here\nlast line, no newline",
            false,
        );
        assert_eq!(out, "call [PHONE]\n\nno phi here\nlast line, no newline\n");
    }

    #[test]
    fn a_last_line_without_newline_or_space_is_still_a_line() {
        assert_eq!(run_on("ok\ncall3125550143", false), "ok\ncall[PHONE]\n");

        let json = run_on("ok\ncall3125550143", true);
        assert_eq!(json.lines().count(), 2);
        assert!(json.ends_with('\n'));
        assert_eq!(json.lines().nth(1).unwrap().matches("PHONE").count(), 1);
    }

    #[test]
    fn long_line_spans_are_offsets_into_the_whole_line() {
        let filler = "word ".repeat(300_000);
        let line = format!("{filler}call 312-555-0143 {filler}\nnext");
        let spans = first_spans(&run_on(&line, true));
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0]["start"], filler.len() + 5);
        assert_eq!(spans[0]["end"], filler.len() + 5 + "312-555-0143".len());
    }

    #[test]
    fn json_offsets_count_the_input_bytes() {
        let input = b"x\xff\xfe call 312-555-0143\n";
        let spans = first_spans(&run_bytes(input, true));
        assert_eq!(spans[0]["start"], 9);
        assert_eq!(spans[0]["end"], 21);
        assert_eq!(run_bytes(input, false), "x\u{fffd}\u{fffd} call [PHONE]\n");
    }
}
