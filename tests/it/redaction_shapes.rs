//! Generated PHI in generated sentences: every phone number, date, social
//! security number, email and card number of the common shapes is caught
//! wherever it stands, and no input makes the redactor panic.

use proptest::prelude::*;

use careline::redact::{Redactor, replace};

/// Words around the PHI: none of them is PHI.
const WORDS: &[&str] = &[
    "please",
    "call",
    "me",
    "about",
    "my",
    "refill",
    "the",
    "bill",
    "is",
    "at",
    "thanks",
    "okay",
    "i",
    "need",
    "help",
    "with",
    "appointment",
    "and",
    "or",
    "it",
    "was",
    "new",
    "card",
    "number",
    "on",
    "file",
    "today",
    "update",
];

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..6).prop_map(|w| w.join(" "))
}

/// `piece` inside a sentence of ordinary words, with the byte range it takes.
fn in_sentence(piece: impl Strategy<Value = String>) -> impl Strategy<Value = (String, String)> {
    (
        words(),
        piece,
        words(),
        prop::sample::select(&["", ".", ",", "?"][..]),
    )
        .prop_map(|(before, piece, after, stop)| {
            let sentence = [before, format!("{piece}{stop}"), after]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (sentence, piece)
        })
}

/// Every letter and digit of `piece` inside a found span.
fn caught(sentence: &str, piece: &str) -> Result<(), TestCaseError> {
    let at = sentence.find(piece).expect("piece is in the sentence");
    let spans = Redactor::new().spans(sentence);
    for (offset, c) in piece.char_indices().filter(|(_, c)| c.is_alphanumeric()) {
        let position = at + offset;
        prop_assert!(
            spans
                .iter()
                .any(|s| s.start <= position && position < s.end),
            "`{c}` of `{piece}` left in `{}`",
            replace(sentence, &spans)
        );
    }
    Ok(())
}

fn digits(n: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(0u8..10, n).prop_map(|d| d.iter().map(|d| char::from(b'0' + d)).collect())
}

fn us_phone() -> impl Strategy<Value = String> {
    (
        2u32..10,
        digits(2),
        2u32..10,
        digits(2),
        digits(4),
        0usize..6,
    )
        .prop_map(|(a, area, e, exchange, line, shape)| {
            let (area, exchange) = (format!("{a}{area}"), format!("{e}{exchange}"));
            match shape {
                0 => format!("({area}) {exchange}-{line}"),
                1 => format!("{area}-{exchange}-{line}"),
                2 => format!("{area}.{exchange}.{line}"),
                3 => format!("+1 {area} {exchange} {line}"),
                4 => format!("{area}{exchange}{line}"),
                _ => format!("{area}-{exchange}-{line} ext 12"),
            }
        })
}

fn international_phone() -> impl Strategy<Value = String> {
    prop::sample::select(
        &[
            "+44 20 7946 0958",
            "+33 1 23 45 67 89",
            "+49 30 901820",
            "+91 98765 43210",
            "+52 55 1234 5678",
            "+61 2 9374 4000",
            "+234 803 123 4567",
        ][..],
    )
    .prop_map(str::to_owned)
}

fn date() -> impl Strategy<Value = String> {
    const MONTHS: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    (1u32..13, 1u32..29, 1930u32..2026, 0usize..8).prop_map(|(m, d, y, shape)| {
        let name = MONTHS[m as usize - 1];
        match shape {
            0 => format!("{m:02}/{d:02}/{y}"),
            1 => format!("{m}-{d}-{:02}", y % 100),
            2 => format!("{y}-{m:02}-{d:02}"),
            3 => format!("{name} {d}, {y}"),
            4 => format!("{d} {name} {y}"),
            5 => format!("{} {d} {y}", &name[..3]),
            6 => format!("{m}.{d}.{y}"),
            _ => format!("{y}{m:02}{d:02}"),
        }
    })
}

fn ssn() -> impl Strategy<Value = String> {
    (1u32..900, 1u32..100, 1u32..10000, 0usize..4)
        .prop_filter("666 is never issued", |(area, ..)| *area != 666)
        .prop_map(|(area, group, serial, shape)| match shape {
            0 => format!("{area:03}-{group:02}-{serial:04}"),
            1 => format!("{area:03} {group:02} {serial:04}"),
            2 => format!("ssn {area:03}{group:02}{serial:04}"),
            _ => format!("{area:03}-{group:02}{serial:04}"),
        })
}

fn email() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9]{1,8}([._][a-z0-9]{1,6})?",
        "[a-z]{3,10}",
        prop::sample::select(&["com", "org", "net", "edu", "co.uk"][..]),
    )
        .prop_map(|(local, host, tld)| format!("{local}@{host}.{tld}"))
}

/// A card number of a major brand's prefix and length, Luhn-valid, written
/// in groups or as one run.
fn card() -> impl Strategy<Value = String> {
    let brands: &[(&str, usize)] = &[
        ("4", 16),
        ("4", 19),
        ("51", 16),
        ("55", 16),
        ("2221", 16),
        ("34", 15),
        ("37", 15),
        ("6011", 16),
        ("65", 16),
        ("36", 14),
        ("3530", 16),
        ("62", 19),
    ];
    (prop::sample::select(brands), digits(19), 0usize..3).prop_map(
        |((prefix, len), body, shape)| {
            let mut number = format!("{prefix}{}", &body[..len - 1 - prefix.len()]);
            number.push(luhn_digit(&number));
            let grouped = |sep: &str| {
                if len == 15 {
                    format!(
                        "{}{sep}{}{sep}{}",
                        &number[..4],
                        &number[4..10],
                        &number[10..]
                    )
                } else {
                    let groups: Vec<&str> = number
                        .as_bytes()
                        .chunks(4)
                        .map(|c| std::str::from_utf8(c).unwrap())
                        .collect();
                    groups.join(sep)
                }
            };
            match shape {
                0 => grouped(" "),
                1 => grouped("-"),
                _ => number,
            }
        },
    )
}

fn luhn_digit(partial: &str) -> char {
    let sum: u32 = partial
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn us_phone_numbers_are_caught((sentence, phone) in in_sentence(us_phone())) {
        caught(&sentence, &phone)?;
    }

    #[test]
    fn international_phone_numbers_are_caught((sentence, phone) in in_sentence(international_phone())) {
        caught(&sentence, &phone)?;
    }

    #[test]
    fn dates_are_caught((sentence, date) in in_sentence(date())) {
        caught(&sentence, &date)?;
    }

    #[test]
    fn social_security_numbers_are_caught((sentence, ssn) in in_sentence(ssn())) {
        caught(&sentence, ssn.trim_start_matches("ssn "))?;
    }

    #[test]
    fn emails_are_caught((sentence, email) in in_sentence(email())) {
        caught(&sentence, &email)?;
    }

    #[test]
    fn card_numbers_are_caught((sentence, card) in in_sentence(card())) {
        caught(&sentence, &card)?;
    }

    #[test]
    fn any_text_gives_well_formed_spans(text in any::<String>()) {
        let spans = Redactor::new().spans(&text);
        let mut end = 0;
        for span in &spans {
            prop_assert!(span.start >= end && span.start < span.end && span.end <= text.len());
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            end = span.end;
        }
        replace(&text, &spans);
    }

    #[test]
    fn any_bytes_read_as_text_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        Redactor::new().redact(&text);
    }
}
