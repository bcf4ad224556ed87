//! Any byte string, read as a signed-in patient's identity and a message
//! from them: the redactor must not panic and its output must be well
//! formed.
//!
//! Input layout: the first byte says which identity fields are present
//! (bit 0 name, 1 date of birth, 2 MRN, 3 phone, 4 email, 5 address). The
//! rest is cut at `0xFF` bytes into those six fields, then the message.
//! `0xFF` never occurs in UTF-8, so any string can reach any field.

#![no_main]

use std::borrow::Cow;

use careline_fuzz::assert_well_formed;
use careline_fuzz::redact::{Identity, Redactor};
use libfuzzer_sys::fuzz_target;

const FIELD_END: u8 = 0xFF;

fuzz_target!(|data: &[u8]| {
    let Some((&present, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest
        .splitn(7, |&byte| byte == FIELD_END)
        .map(String::from_utf8_lossy);

    let mut field = |bit: u8| {
        let value = parts.next().unwrap_or_default();
        (present & (1 << bit) != 0).then(|| value.into_owned())
    };
    let identity = Identity {
        name: field(0),
        date_of_birth: field(1),
        mrn: field(2),
        phone: field(3),
        email: field(4),
        address: field(5),
    };
    let message: Cow<str> = parts.next().unwrap_or_default();

    let redaction = Redactor::for_patient(&identity).redact(&message);

    assert_well_formed(&message, &redaction);
});
