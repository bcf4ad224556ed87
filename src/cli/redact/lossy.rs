//! Input bytes as text, with a way back to byte offsets of the input.
//!
//! The redactor reads `str`; stdin may hold any bytes. Each invalid UTF-8
//! sequence becomes one U+FFFD (three bytes), so offsets in the text drift
//! from offsets in the input after it. `--json` reports input offsets, so a
//! tool applying the spans to the raw bytes removes the right ones.

/// A run of input bytes and the text it became.
#[derive(Debug, Clone, Copy)]
struct Run {
    raw: usize,
    text: usize,
    raw_len: usize,
    /// Valid UTF-8, copied as it was (otherwise one replacement character).
    valid: bool,
}

/// Bytes decoded to text, keeping where each part came from.
#[derive(Debug)]
pub struct LossyText {
    pub text: String,
    /// Empty when the input was valid UTF-8: offsets are then the same.
    runs: Vec<Run>,
}

impl LossyText {
    pub fn decode(bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Self {
                text,
                runs: Vec::new(),
            },
            Err(error) => Self::decode_invalid(error.as_bytes()),
        }
    }

    fn decode_invalid(bytes: &[u8]) -> Self {
        let mut text = String::with_capacity(bytes.len() + 8);
        let mut runs = Vec::new();
        let mut raw = 0;
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            if !valid.is_empty() {
                runs.push(Run {
                    raw,
                    text: text.len(),
                    raw_len: valid.len(),
                    valid: true,
                });
                text.push_str(valid);
                raw += valid.len();
            }
            let invalid = chunk.invalid();
            if !invalid.is_empty() {
                runs.push(Run {
                    raw,
                    text: text.len(),
                    raw_len: invalid.len(),
                    valid: false,
                });
                text.push(char::REPLACEMENT_CHARACTER);
                raw += invalid.len();
            }
        }
        Self { text, runs }
    }

    /// The input offset of a text offset (a character boundary).
    pub fn raw_offset(&self, text_offset: usize) -> usize {
        let index = self.runs.partition_point(|run| run.text <= text_offset);
        let Some(run) = index.checked_sub(1).map(|i| self.runs[i]) else {
            return text_offset;
        };
        if run.valid {
            run.raw + (text_offset - run.text)
        } else if text_offset == run.text {
            run.raw
        } else {
            run.raw + run.raw_len
        }
    }

    /// The text offset of an input offset: a character boundary, the start
    /// of the replacement character when it falls inside an invalid run.
    pub fn text_offset(&self, raw_offset: usize) -> usize {
        let index = self.runs.partition_point(|run| run.raw <= raw_offset);
        let Some(run) = index.checked_sub(1).map(|i| self.runs[i]) else {
            return raw_offset;
        };
        if run.valid {
            run.text + (raw_offset - run.raw)
        } else if raw_offset < run.raw + run.raw_len {
            run.text
        } else {
            run.text + char::REPLACEMENT_CHARACTER.len_utf8()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_keeps_its_offsets() {
        let lossy = LossyText::decode("café 12".as_bytes().to_vec());
        assert_eq!(lossy.text, "café 12");
        assert_eq!(lossy.raw_offset(6), 6);
        assert_eq!(lossy.text_offset(6), 6);
    }

    #[test]
    fn offsets_after_invalid_bytes_point_into_the_input() {
        let raw = b"x\xff\xfe call 312".to_vec();
        let lossy = LossyText::decode(raw.clone());
        assert_eq!(lossy.text, "x\u{fffd}\u{fffd} call 312");

        let phone = lossy.text.find("312").unwrap();
        assert_eq!(lossy.raw_offset(phone), 9);
        assert_eq!(&raw[lossy.raw_offset(phone)..], b"312");
        assert_eq!(lossy.text_offset(9), phone);
        assert_eq!(lossy.text_offset(1), 1);
        assert_eq!(lossy.raw_offset(lossy.text.len()), raw.len());
    }
}
