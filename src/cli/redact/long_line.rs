//! A line too long to hold, redacted in windows.
//!
//! Each window is redacted with some text before it (for cues such as
//! "my son" before a name) and some after it (so PHI that starts inside the
//! window is seen whole even when it runs past the cut). A window keeps only
//! the spans that start inside it; the next window starts where the last
//! kept span ended. Memory stays at a few windows whatever the line's length.

use std::io::{BufRead, BufReader, Read, Write};

use careline::redact::{PhiSpan, Redactor, replace};

use super::lossy::LossyText;
use super::{SpanWriter, strip_line_end};

/// How a long line is cut.
#[derive(Debug, Clone, Copy)]
pub struct Windows {
    /// Bytes of the line each window answers for.
    pub window: usize,
    /// Bytes read before a window, for context.
    pub context: usize,
    /// Bytes read after a window: longer than any span can be.
    pub margin: usize,
}

pub const WINDOWS: Windows = Windows {
    window: 64 * 1024,
    context: 1024,
    margin: 4 * 1024,
};

/// Redacts the rest of a line whose first bytes are `head`, through its end.
pub fn redact<R: Read>(
    head: Vec<u8>,
    input: &mut BufReader<R>,
    out: &mut impl Write,
    redactor: &Redactor,
    json: bool,
    windows: Windows,
) -> anyhow::Result<()> {
    let Windows {
        window: step,
        context,
        margin,
    } = windows;
    let mut line = LineBuffer {
        bytes: head,
        base: 0,
        complete: false,
    };
    let mut writer = if json {
        Some(SpanWriter::start(out)?)
    } else {
        None
    };
    // Offset in the line where the next window's output starts.
    let mut next = 0;

    loop {
        line.fill(input, next + step + margin)?;
        let read_to = line.end();
        let last = line.complete && read_to <= next + step + margin;
        let cut = if last {
            read_to
        } else {
            line.cut_near(next + step / 2, next + step)
        };
        let from = line.context_start(next, context);
        let to = if last {
            read_to
        } else {
            read_to.min(cut + margin)
        };

        let window = LossyText::decode(line.slice(from, to).to_vec());
        let found = redactor.spans(&window.text);
        let kept: Vec<PhiSpan> = found
            .into_iter()
            .filter(|span| (next..cut).contains(&(from + window.raw_offset(span.start))))
            .collect();
        let resume = kept
            .last()
            .map_or(cut, |span| cut.max(from + window.raw_offset(span.end)));

        match writer.as_mut() {
            Some(writer) => {
                for span in &kept {
                    let mut span = super::raw_span(&window, span);
                    span.start += from;
                    span.end += from;
                    writer.push(out, span)?;
                }
            }
            None => {
                let start = window.text_offset(next - from);
                let end = window.text_offset(resume - from);
                let local: Vec<PhiSpan> = kept
                    .iter()
                    .map(|span| PhiSpan {
                        start: span.start - start,
                        end: span.end - start,
                        ..*span
                    })
                    .collect();
                out.write_all(replace(&window.text[start..end], &local).as_bytes())?;
            }
        }

        next = resume;
        if last && next >= read_to {
            break;
        }
        line.forget_before(next.saturating_sub(context));
    }

    match writer {
        Some(writer) => writer.finish(out)?,
        None => out.write_all(b"\n")?,
    }
    Ok(())
}

/// The part of one line held in memory: `bytes` starts at offset `base`.
struct LineBuffer {
    bytes: Vec<u8>,
    base: usize,
    /// The line's end (newline or end of input) has been read.
    complete: bool,
}

impl LineBuffer {
    fn end(&self) -> usize {
        self.base + self.bytes.len()
    }

    fn slice(&self, from: usize, to: usize) -> &[u8] {
        &self.bytes[from - self.base..to - self.base]
    }

    /// Reads until the buffer reaches offset `want` or the line ends.
    fn fill<R: Read>(&mut self, input: &mut BufReader<R>, want: usize) -> std::io::Result<()> {
        while !self.complete && self.end() < want {
            let read = input
                .by_ref()
                .take((want - self.end()) as u64)
                .read_until(b'\n', &mut self.bytes)?;
            if read == 0 {
                self.complete = true;
            } else if self.bytes.last() == Some(&b'\n') {
                strip_line_end(&mut self.bytes);
                self.complete = true;
            }
        }
        Ok(())
    }

    /// Where a window ending near `target` is cut: after whitespace from
    /// `earliest` on, else at a character boundary after `earliest`.
    fn cut_near(&self, earliest: usize, target: usize) -> usize {
        if let Some(space) = (earliest..target)
            .rev()
            .find(|&at| self.bytes[at - self.base].is_ascii_whitespace())
        {
            return space + 1;
        }
        // No whitespace: cut before a byte that starts a character.
        (earliest + 1..=target)
            .rev()
            .find(|&at| !is_continuation(self.bytes[at - self.base]))
            .unwrap_or(target)
    }

    /// Where the text read before the window at `next` starts: after the
    /// first whitespace in the context, so no word is read in half.
    fn context_start(&self, next: usize, context: usize) -> usize {
        let earliest = next.saturating_sub(context).max(self.base);
        (earliest..next)
            .find(|&at| self.bytes[at - self.base].is_ascii_whitespace())
            .map_or(next, |space| space + 1)
    }

    /// Drops what lies before `offset`: no later window reads it.
    fn forget_before(&mut self, offset: usize) {
        if offset > self.base {
            self.bytes.drain(..offset - self.base);
            self.base = offset;
        }
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small windows, so a short line is cut many times.
    const SMALL: Windows = Windows {
        window: 96,
        context: 40,
        margin: 80,
    };

    fn windowed(line: &str, json: bool) -> String {
        let (head, rest) = line.as_bytes().split_at(50);
        let mut out = Vec::new();
        let mut input = BufReader::new(rest);
        redact(
            head.to_vec(),
            &mut input,
            &mut out,
            &Redactor::new(),
            json,
            SMALL,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn windows_give_what_the_whole_line_gives() {
        let phi = "call 312 555 0143 or (847) 555-0166, my son Kevin Smith, born 03/14/2019, \
                   ssn 078-05-1120, lives at 4418 N Lakewood Ave Apt 3B, Chicago, IL 60640";
        for shift in 0..SMALL.window {
            let line = format!("{} and {phi} then more words here {phi}", "a".repeat(shift));
            let whole = Redactor::new().redact(&line);

            assert_eq!(
                windowed(&line, false),
                format!("{}\n", whole.text),
                "shift {shift}"
            );

            let spans: serde_json::Value = serde_json::from_str(&windowed(&line, true)).unwrap();
            let starts: Vec<u64> = spans["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|span| span["start"].as_u64().unwrap())
                .collect();
            let expected: Vec<u64> = whole.spans.iter().map(|span| span.start as u64).collect();
            assert_eq!(starts, expected, "shift {shift}");
        }
    }

    #[test]
    fn a_line_without_whitespace_is_cut_between_characters() {
        let line = "é".repeat(500);
        assert_eq!(windowed(&line, false), format!("{line}\n"));
    }
}
