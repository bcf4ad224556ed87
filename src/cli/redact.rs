//! `careline redact`: lines on stdin, one redacted line (or its spans with
//! `--json`) per input line on stdout, in order. Streams in constant memory
//! (a very long line is read in pieces cut at whitespace) and redacts a
//! batch of lines on every core at once.

use std::io::{BufRead, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use careline::redact::{Identity, PhiSpan, Redactor, replace};

/// Longest piece of a line redacted at once.
const PIECE: u64 = 64 * 1024;

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

#[derive(Serialize)]
struct Spans<'a> {
    spans: &'a [PhiSpan],
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

    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    redact_stream(stdin, &mut out, &redactor, args.json)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One piece of an input line: the whole line, or a part of a long one.
struct Piece {
    text: String,
    /// The line ends with this piece.
    ended: bool,
}

fn redact_stream(
    mut input: impl BufRead,
    out: &mut impl Write,
    redactor: &Redactor,
    json: bool,
) -> anyhow::Result<()> {
    let mut reader = PieceReader::default();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    // For `--json`, the spans of a long line so far and its bytes before
    // the current piece.
    let mut line_spans = Vec::new();
    let mut offset = 0;

    loop {
        // A batch of pieces, read in order, redacted on every core, written
        // in order: memory stays bounded by the batch size.
        let mut batch = Vec::new();
        let mut bytes = 0;
        while bytes < BATCH_BYTES {
            let Some(piece) = reader.next(&mut input)? else {
                break;
            };
            bytes += piece.text.len() + 1;
            batch.push(piece);
        }
        if batch.is_empty() {
            break;
        }
        let spans = spans_in_parallel(&batch, redactor, workers);

        for (piece, spans) in batch.iter().zip(spans) {
            if json {
                line_spans.extend(spans.into_iter().map(|mut span| {
                    span.start += offset;
                    span.end += offset;
                    span
                }));
                offset += piece.text.len();
                if piece.ended {
                    serde_json::to_writer(&mut *out, &Spans { spans: &line_spans })?;
                    out.write_all(b"\n")?;
                    line_spans.clear();
                    offset = 0;
                }
            } else {
                out.write_all(replace(&piece.text, &spans).as_bytes())?;
                if piece.ended {
                    out.write_all(b"\n")?;
                }
            }
        }
    }
    Ok(())
}

/// Bytes of input redacted together across the cores.
const BATCH_BYTES: usize = 1024 * 1024;

fn spans_in_parallel(batch: &[Piece], redactor: &Redactor, workers: usize) -> Vec<Vec<PhiSpan>> {
    let chunk = batch.len().div_ceil(workers.max(1));
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|pieces| {
                scope.spawn(move || {
                    pieces
                        .iter()
                        .map(|p| redactor.spans(&p.text))
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

/// Reads lines as pieces of at most [`PIECE`] bytes, cut at whitespace.
#[derive(Default)]
struct PieceReader {
    buffer: Vec<u8>,
    carry: Vec<u8>,
    done: bool,
}

impl PieceReader {
    fn next(&mut self, input: &mut impl BufRead) -> anyhow::Result<Option<Piece>> {
        if self.done {
            return Ok(None);
        }
        self.buffer.clear();
        self.buffer.append(&mut self.carry);
        let limit = PIECE.saturating_sub(self.buffer.len() as u64).max(1);
        let read = input
            .by_ref()
            .take(limit)
            .read_until(b'\n', &mut self.buffer)?;
        if read == 0 {
            self.done = true;
            if self.buffer.is_empty() {
                return Ok(None);
            }
        }

        let newline = self.buffer.last() == Some(&b'\n');
        let ended = newline || read == 0;
        let mut end = self.buffer.len();
        if newline {
            end -= 1;
            if self.buffer[..end].last() == Some(&b'\r') {
                end -= 1;
            }
        } else if !ended {
            // Cut at the last whitespace so no word is split in two.
            if let Some(space) = self.buffer.iter().rposition(u8::is_ascii_whitespace) {
                end = space + 1;
            }
            self.carry.extend_from_slice(&self.buffer[end..]);
        }
        let text = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
        Ok(Some(Piece { text, ended }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(input: &str, json: bool) -> String {
        let mut out = Vec::new();
        redact_stream(input.as_bytes(), &mut out, &Redactor::new(), json).unwrap();
        String::from_utf8(out).unwrap()
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
    fn long_lines_are_cut_at_whitespace_and_offsets_stay_whole_line() {
        let filler = "word ".repeat(20_000);
        let line = format!("{filler}call 312-555-0143 {filler}\nnext");
        let out = run_on(&line, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("call [PHONE] word"));
        assert_eq!(
            lines[0].len(),
            line.find('\n').unwrap() - "312-555-0143".len() + 7
        );

        let spans = run_on(&line, true);
        let first: serde_json::Value = serde_json::from_str(spans.lines().next().unwrap()).unwrap();
        assert_eq!(first["spans"][0]["start"], filler.len() + 5);
    }
}
