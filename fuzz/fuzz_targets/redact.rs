//! Any byte string, read as a message from a patient nobody has identified:
//! the redactor must not panic and its output must be well formed.

#![no_main]

use careline_fuzz::assert_well_formed;
use careline_fuzz::redact::Redactor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Lossy decoding turns every byte string into a message, and its
    // three-byte U+FFFD puts multi-byte characters where ASCII is expected.
    let text = String::from_utf8_lossy(data);

    let redaction = Redactor::new().redact(&text);

    assert_well_formed(&text, &redaction);
});
