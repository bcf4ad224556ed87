//! What the redaction fuzz targets share: the engine itself and the checks
//! every redaction must pass.

// The engine is compiled from its own source files rather than through the
// `careline` crate: `careline` pulls in candle, qdrant and sqlx, which take
// over twenty minutes to build with fuzzing instrumentation, while
// `src/redact/` needs only serde, thiserror and rustc-hash.
#[path = "../../src/redact/mod.rs"]
pub mod redact;

use redact::Redaction;

/// Panics unless `redaction` is a well-formed redaction of `text`: its
/// spans are non-empty, sorted, apart, inside the text and on character
/// boundaries, with a confidence from 0 to 1; and its text is the original
/// between the spans with each span's placeholder in its place, so no byte
/// from inside a span survives.
///
/// Messages name offsets only, never the text: a crash report from a real
/// message must not carry its PHI.
pub fn assert_well_formed(text: &str, redaction: &Redaction) {
    let mut rest = redaction.text.as_str();
    let mut kept_from = 0;

    for span in &redaction.spans {
        assert!(span.start < span.end, "empty span {span:?}");
        assert!(
            kept_from <= span.start,
            "span {span:?} overlaps or precedes the one ending at {kept_from}"
        );
        assert!(
            span.end <= text.len(),
            "span {span:?} ends past the text ({} bytes)",
            text.len()
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "span {span:?} cuts a character"
        );
        assert!(
            (0.0..=1.0).contains(&span.confidence),
            "span {span:?} has a confidence outside 0 to 1"
        );

        let kept = &text[kept_from..span.start];
        rest = rest
            .strip_prefix(kept)
            .unwrap_or_else(|| panic!("text before span {span:?} is not kept verbatim"));
        rest = rest
            .strip_prefix(span.kind.placeholder())
            .unwrap_or_else(|| panic!("span {span:?} is not replaced by its placeholder"));
        kept_from = span.end;
    }

    // Not `assert_eq!`: it would print the text.
    assert!(
        rest == &text[kept_from..],
        "text after the last span (from byte {kept_from}) is not kept verbatim"
    );
}
