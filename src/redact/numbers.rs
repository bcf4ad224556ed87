//! What a digit run is: a card, a social security number, a phone number,
//! a date, a ZIP code, an age over 89, or some other identifying number;
//! or nothing (a dose, a lab value, a fraction, a year, money).

use super::dates::{valid_day, valid_year, with_weekday};
use super::found::Finder;
use super::kind::PhiKind;
use super::runs::{MAX_GROUPS, Run, Sep};
use super::tokens::Tokens;

/// Words before a bare month/day that make it a date ("on 3-12").
pub const DATE_CUES: &[&str] = &[
    "on",
    "dob",
    "born",
    "birthday",
    "birthdate",
    "date",
    "dated",
    "appointment",
    "appt",
    "by",
    "until",
    "till",
    "til",
    "since",
    "before",
    "after",
    "from",
    "due",
    "thru",
    "through",
    "of",
    "starting",
    "effective",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "dos",
];

/// Words before a number that make it a person's age.
const AGE_CUES: &[&str] = &["age", "aged", "turned", "turning", "turns", "ages"];

/// People whose "is 93" is an age.
const PEOPLE: &[&str] = &[
    "he",
    "she",
    "hes",
    "shes",
    "i",
    "im",
    "mom",
    "mother",
    "dad",
    "father",
    "grandma",
    "grandmother",
    "grandpa",
    "grandfather",
    "granny",
    "nana",
    "papa",
    "aunt",
    "uncle",
    "husband",
    "wife",
    "patient",
    "pt",
    "mum",
    "gran",
    "grandad",
    "grandaddy",
    "sister",
    "brother",
    "inlaw",
    "law",
    "neighbor",
    "friend",
    "parent",
    "parents",
    "father-in-law",
    "mother-in-law",
];

/// After a number: it is an age ("92 years old", "92yo").
const AGE_UNITS: &[&str] = &["yo", "yr", "yrs", "year", "years", "y"];

/// After a fraction-like pair: it is an amount ("1/2 tab").
const AMOUNT_AFTER: &[&str] = &[
    "tab",
    "tabs",
    "tablet",
    "tablets",
    "pill",
    "pills",
    "cup",
    "cups",
    "tsp",
    "tbsp",
    "teaspoon",
    "teaspoons",
    "dose",
    "doses",
    "inch",
    "inches",
    "mile",
    "miles",
    "strength",
    "of",
    "a",
    "an",
    "the",
    "pain",
    "scale",
    "capsule",
    "capsules",
    "ml",
    "mg",
    "dropper",
];

/// Before a pair: it is a score or a reading ("pain 8/10", "bp 140/90").
const SCORE_BEFORE: &[&str] = &[
    "pain", "scale", "rated", "rate", "rating", "bp", "pressure", "level", "score", "vision",
    "odds", "ratio", "split", "about", "around", "maybe",
];

pub fn find(finder: &mut Finder) {
    let mut index = 0;
    while index < finder.tokens.len() {
        if let Some((last, value)) = age_in_words(&finder.tokens, index)
            && finder.all_free(index, last)
            && is_age_span(&finder.tokens, index, last, value)
        {
            finder.add_tokens(index, last, PhiKind::Age, 0.8);
            index = last + 1;
            continue;
        }
        if !finder.tokens.is_number(index) || finder.is_taken(index) {
            index += 1;
            continue;
        }
        let run = Run::at(&finder.tokens, index);
        index = classify_run(finder, &run) + 1;
    }
}

/// Reads the run from its first group on, taking the longest reading that
/// is PHI at each step. Returns the last token looked at.
fn classify_run(finder: &mut Finder, run: &Run) -> usize {
    let last_group = run.groups.len() - 1;
    let mut from = 0;
    // The first group after the last piece of PHI found.
    let mut resume = 0;
    let truncated = run.groups.len() == MAX_GROUPS;
    while from <= last_group {
        let found = (from..=last_group)
            .rev()
            .find_map(|to| reading(&finder.tokens, run, from, to).map(|r| (to, r)));
        match found {
            // The run may go on past its last group: read that part again
            // as the start of the next run.
            Some((to, _)) if truncated && to == last_group && from > 0 => {
                resume = from;
                break;
            }
            Some((to, (kind, confidence))) => {
                let mut first = run.groups[from].token;
                let mut last = run.groups[to].token;
                match kind {
                    PhiKind::Phone => {
                        if from == 0 && (run.plus || run.paren) {
                            first -= 1;
                        }
                        last = with_extension(&finder.tokens, last);
                        first = with_country_code(&finder.tokens, first);
                    }
                    PhiKind::Date => first = with_weekday(&finder.tokens, first),
                    _ => {}
                }
                if finder.all_free(first, last) {
                    finder.add_tokens(first, last, kind, confidence);
                }
                from = to + 1;
                resume = from;
            }
            None => from += 1,
        }
    }
    // A run cut at its longest ("111-22-3333" as the third SSN of a list):
    // read again from the first group after the last PHI found, so the cut
    // does not hide a number.
    if truncated && resume > 0 && resume <= last_group {
        return run.groups[resume].token - 1;
    }
    run.groups[last_group].token
}

/// What groups `from..=to` of the run are, if PHI.
fn reading(tokens: &Tokens, run: &Run, from: usize, to: usize) -> Option<(PhiKind, f32)> {
    let digits = run.digits(from, to);
    let lens = run.lens(from, to);
    let first = run.groups[from].token;
    let plus = from == 0 && run.plus;
    let paren = from == 0 && run.paren;

    if first > 0 && tokens.is_symbol(first - 1, '$') {
        return None;
    }
    // A card typed in groups is a card whatever it is glued to
    // ("card4111-1111-1111-1111exp").
    let card_groups =
        (13..=19).contains(&digits) && run.uniform(from, to, &[Sep::Space, Sep::Dash]);
    let grouped = to > from + 1;
    if card_groups && (grouped || !glued_to_letters(tokens, run, from, to)) {
        let digit_string = run.digit_string(tokens, from, to);
        if is_card(&digit_string) {
            return Some((PhiKind::Card, 0.99));
        }
        if grouped && unionpay_grouped(&digit_string, &lens) {
            return Some((PhiKind::Card, 0.9));
        }
    }

    // A number glued to letters ("W402918375", "20mg") is read as a code,
    // by the identifier rules, unless the letters are a phone label.
    let glued_before = tokens.glued(first) && tokens.is_word(first - 1);
    let after = run.groups[to].token + 1;
    let glued_after = tokens.glued(after)
        && tokens.is_word(after)
        && !tokens.key_is(
            after,
            &["x", "ext", "st", "nd", "rd", "th", "yo", "yr", "yrs", "y"],
        );
    // "312.555.0177fax312.555.0144": a phone label glued after a phone.
    let label_after = glued_after && phone_label(tokens, after) && tokens.text_of(after).len() > 1;
    if (glued_after && !label_after) || (glued_before && !phone_label(tokens, first - 1)) {
        return None;
    }
    if label_after {
        return phone(tokens, run, from, to, &lens, plus, paren);
    }
    if let Some(kind) = ssn(run, from, to, &lens) {
        return Some(kind);
    }
    if let Some(kind) = phone(tokens, run, from, to, &lens, plus, paren) {
        return Some(kind);
    }
    if let Some(kind) = date(tokens, run, from, to) {
        return Some(kind);
    }
    if lens == [5, 4] && run.uniform(from, to, &[Sep::Dash]) {
        return Some((PhiKind::Zip, 0.85));
    }
    if from == to && is_age(tokens, run.groups[from].token, run.groups[from].value) {
        return Some((PhiKind::Age, 0.85));
    }
    identifier(tokens, run, from, to, digits)
}

fn ssn(run: &Run, from: usize, to: usize, lens: &[usize]) -> Option<(PhiKind, f32)> {
    // "123-45-6789", "123 45 6789", and mixed: "123 45-6789".
    (lens == [3, 2, 4]
        && run.seps_in(from, to, &[Sep::Dash, Sep::Space, Sep::SpacedDash])
        && !(from == 0 && run.plus))
        .then_some((PhiKind::Ssn, 0.95))
}

/// Digits glued to a word on either side.
fn glued_to_letters(tokens: &Tokens, run: &Run, from: usize, to: usize) -> bool {
    let first = run.groups[from].token;
    let after = run.groups[to].token + 1;
    (tokens.glued(first) && tokens.is_word(first - 1))
        || (tokens.glued(after) && tokens.is_word(after))
}

/// UnionPay numbers (62...) need not pass the Luhn check: 16 to 19 digits
/// typed as a card, in groups of four.
fn unionpay_grouped(digits: &str, lens: &[usize]) -> bool {
    let (last, groups) = lens.split_last().unwrap_or((&0, &[]));
    digits.starts_with("62")
        && (16..=19).contains(&digits.len())
        && groups.len() >= 3
        && groups.iter().all(|&len| len == 4)
        && (1..=4).contains(last)
}

fn phone(
    tokens: &Tokens,
    run: &Run,
    from: usize,
    to: usize,
    lens: &[usize],
    plus: bool,
    paren: bool,
) -> Option<(PhiKind, f32)> {
    let digits = run.digits(from, to);
    // "847/555/0166": slashes only in the full shape.
    if lens == [3, 3, 4] && run.uniform(from, to, &[Sep::Slash]) {
        return Some((PhiKind::Phone, 0.85));
    }
    let phone_seps = [Sep::Dash, Sep::Dot, Sep::Space, Sep::Paren, Sep::SpacedDash];
    if !run.seps_in(from, to, &phone_seps) {
        return None;
    }
    if plus && (8..=15).contains(&digits) {
        return Some((PhiKind::Phone, 0.95));
    }
    let text = |i: usize| tokens.text_of(run.groups[i].token);
    // "011 44 20 7946 0958", "00 44 ...": an international dialling
    // prefix, then the country code and number in groups.
    if from < to && matches!(text(from), "011" | "00") {
        let rest = digits - lens[0];
        if (8..=15).contains(&rest) && to > from + 1 && run.groups[from + 1].value > 0 {
            return Some((PhiKind::Phone, 0.9));
        }
    }
    // "07700 900123", "020 7946 0958", "0161 496 0000": eleven digits
    // after a national trunk prefix 0, in two or three groups.
    let trunk = text(from).starts_with('0') && !text(from).starts_with("00");
    if trunk
        && digits == 11
        && (3..=5).contains(&lens[0])
        && matches!(lens.len(), 2 | 3)
        && lens.iter().all(|&len| len >= 3)
        && run.seps_in(from, to, &[Sep::Space, Sep::Dash])
    {
        return Some((PhiKind::Phone, 0.8));
    }
    let leading_one = run.groups[from].value == 1 && lens[0] == 1;
    let shaped = match lens {
        [3, 3, 4] | [1, 3, 3, 4] | [3, 7] => true,
        [10] => !paren,
        [11] => run.groups[from].value / 10_000_000_000 == 1,
        [3, 4] => !run.seps_in(from, to, &[Sep::Space, Sep::SpacedDash]),
        _ => false,
    };
    let area_ok = !matches!(lens, [1, 3, 3, 4]) || leading_one;
    (shaped && area_ok).then_some((PhiKind::Phone, if paren { 0.95 } else { 0.85 }))
}

fn date(tokens: &Tokens, run: &Run, from: usize, to: usize) -> Option<(PhiKind, f32)> {
    let g = &run.groups[from..=to];
    let date_seps = [Sep::Slash, Sep::Dash, Sep::Dot];
    let first = g[0].token;
    let cued = tokens.cue_before(first, 2, DATE_CUES);

    match g {
        // "10 / 8 / 24": spaced slashes, with a year, are a date too.
        [a, b, c]
            if run.uniform(
                from,
                to,
                &[Sep::Slash, Sep::Dash, Sep::Dot, Sep::SpacedSlash],
            ) =>
        {
            let month_day = valid_day(a.value, b.value) || valid_day(b.value, a.value);
            let year_last = month_day && a.len <= 2 && b.len <= 2 && valid_year(c.value, c.len);
            let year_first = a.len == 4
                && valid_year(a.value, 4)
                && b.len <= 2
                && c.len <= 2
                && valid_day(b.value, c.value);
            // "the score was 10 / 12 / 15": spaced, a reading rather.
            let reading =
                run.seps[from] == Sep::SpacedSlash && tokens.cue_before(first, 3, SCORE_BEFORE);
            ((year_last || year_first) && !reading).then_some((PhiKind::Date, 0.95))
        }
        [a, b] if run.uniform(from, to, &date_seps) && a.len <= 2 && b.len <= 2 => {
            if !valid_day(a.value, b.value) {
                return None;
            }
            // "8.4", "9.1": a decimal, unless a birth or visit date is named
            // right before it.
            if run.seps[from] == Sep::Dot {
                let named =
                    first > 0 && tokens.key_is(first - 1, &["dob", "born", "on", "date", "dated"]);
                return named.then_some((PhiKind::Date, 0.7));
            }
            let slash = run.seps[from] == Sep::Slash;
            let after = b.token + 1;
            let amount = tokens.key_is(after, AMOUNT_AFTER)
                || tokens.cue_before(first, 2, SCORE_BEFORE)
                || (matches!(b.value, 2 | 3 | 4 | 8 | 16) && a.value < b.value)
                || b.value == 10;
            (cued || (slash && !amount) || (slash && range_follows(tokens, b.token)))
                .then_some((PhiKind::Date, 0.8))
        }
        [single] if single.len == 8 => {
            let (y, m, d) = (
                single.value / 10_000,
                single.value / 100 % 100,
                single.value % 100,
            );
            let (m2, d2, y2) = (
                single.value / 1_000_000,
                single.value / 10_000 % 100,
                single.value % 10_000,
            );
            let ymd = valid_year(y, 4) && valid_day(m, d);
            let mdy = valid_year(y2, 4) && valid_day(m2, d2);
            (ymd || mdy).then_some((PhiKind::Date, 0.8))
        }
        [single] if single.len == 6 && cued => {
            let (m, d) = (single.value / 10_000, single.value / 100 % 100);
            valid_day(m, d).then_some((PhiKind::Date, 0.75))
        }
        _ => None,
    }
}

/// "3/4 through 3/6": a fraction-like pair is a date when another date
/// closes the range.
fn range_follows(tokens: &Tokens, last: usize) -> bool {
    let mut at = last + 1;
    if !(tokens.key_is(at, &["through", "thru", "to", "until", "till"])
        || tokens.is_symbol(at, '-'))
    {
        return false;
    }
    at += 1;
    tokens.is_number(at)
        && tokens.is_symbol(at + 1, '/')
        && tokens.glued(at + 1)
        && tokens.is_number(at + 2)
}

/// Numbers that are no common quantity: long ones, or several groups.
fn identifier(
    tokens: &Tokens,
    run: &Run,
    from: usize,
    to: usize,
    digits: usize,
) -> Option<(PhiKind, f32)> {
    let groups = &run.groups[from..=to];
    if run.seps[from..to]
        .iter()
        .any(|s| matches!(s, Sep::Dot | Sep::Slash))
    {
        return None;
    }
    // "2019-2021", "1990 2004": years, not a number.
    let years = groups.len() == 2 && groups.iter().all(|g| g.len == 4 && valid_year(g.value, 4));
    if years {
        return None;
    }
    let dashed = groups.len() > 1 && run.seps_in(from, to, &[Sep::Dash]);
    let long = from == to && digits >= 7;
    let first = groups[0].token;
    let labelled = tokens.cue_before(first, 3, &["mrn", "chart", "record"]);
    match () {
        _ if (long || (dashed && digits >= 6)) && labelled => Some((PhiKind::Mrn, 0.8)),
        _ if long || (dashed && digits >= 7) => Some((PhiKind::Id, 0.6)),
        _ => None,
    }
}

/// "call5553109921", "ph:", "cell#": letters glued to a phone number.
fn phone_label(tokens: &Tokens, index: usize) -> bool {
    tokens.key_is(
        index,
        &[
            "call", "callme", "at", "ph", "phone", "tel", "cell", "mobile", "fax", "text", "txt",
            "number", "no", "num", "c", "m", "h", "w", "p", "t", "f", "home", "work",
        ],
    )
}

/// "1 (800) 555-0142", "+1 (480) ...": the country code before a bracketed
/// area code.
fn with_country_code(tokens: &Tokens, first: usize) -> usize {
    if first == 0 || !tokens.is_symbol(first, '(') || !tokens.is_number(first - 1) {
        return first;
    }
    let code = first - 1;
    if tokens.text_of(code).len() > 3 {
        return first;
    }
    if code > 0 && tokens.is_symbol(code - 1, '+') && tokens.glued(code) {
        code - 1
    } else if tokens.text_of(code) == "1" {
        code
    } else {
        first
    }
}

/// "x204", "ext. 12", "extension 45" after a phone number.
fn with_extension(tokens: &Tokens, last: usize) -> usize {
    let mut at = last + 1;
    if tokens.is_symbol(at, ',') {
        at += 1;
    }
    if !tokens.key_is(at, &["x", "ext", "extension", "ex"]) {
        return last;
    }
    at += 1;
    if tokens.is_symbol(at, '.') {
        at += 1;
    }
    if tokens.is_symbol(at, '#') {
        at += 1;
    }
    if tokens.is_number(at) && tokens.text_of(at).len() <= 6 {
        at
    } else {
        last
    }
}

fn is_age(tokens: &Tokens, index: usize, value: u64) -> bool {
    is_age_span(tokens, index, index, value)
}

/// Words after a number that make it an amount, not an age.
const NOT_AGE_AFTER: &[&str] = &[
    "dollars", "dollar", "bucks", "cents", "percent", "pounds", "lbs", "lb", "kg", "mg", "ml",
    "units", "minutes", "mins", "hours", "days", "times", "degrees", "bpm", "mmhg",
];

/// Tokens `index..=last` (a number, or an age in words) are an age over 89.
fn is_age_span(tokens: &Tokens, index: usize, last: usize, value: u64) -> bool {
    if !(90..=125).contains(&value) {
        return false;
    }
    let mut after = last + 1;
    if tokens.is_symbol(after, '-') {
        after += 1;
    }
    if tokens.key_is(after, AGE_UNITS) {
        return true;
    }
    if tokens.key_is(last + 1, NOT_AGE_AFTER) || tokens.is_symbol(last + 1, '%') {
        return false;
    }
    if tokens.cue_before(index, 1, AGE_CUES) {
        return true;
    }
    // "my dad (97) fell", "my grandma, 93, lives": bracketed or set off by
    // commas right after a person.
    let set_off = index >= 2
        && ((tokens.is_symbol(index - 1, '(') && tokens.is_symbol(last + 1, ')'))
            || (tokens.is_symbol(index - 1, ',')
                && (tokens.is_symbol(last + 1, ',') || last + 1 >= tokens.len())))
        && tokens.key_is(index - 2, PEOPLE);
    if set_off {
        return true;
    }
    // "my grandmother is 93", "he's 92 and": a person, then "is".
    let contracted = index >= 1
        && tokens.list[index - 1].possessive
        && tokens.key_is(
            index - 1,
            &["he", "she", "i", "mom", "dad", "grandma", "grandpa"],
        );
    let verb = contracted
        || index >= 1 && tokens.key_is(index - 1, &["is", "was", "be", "hes", "shes", "im"]);
    verb && tokens.cue_before(index, 4, PEOPLE)
}

const UNITS_IN_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const TEENS_IN_WORDS: &[&str] = &[
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// A unit word ("two") at `index`, joined by a hyphen or a space: its
/// value and last token.
fn unit_word_after(tokens: &Tokens, index: usize) -> Option<(usize, u64)> {
    let at = if tokens.is_symbol(index, '-') && tokens.glued(index) {
        index + 1
    } else {
        index
    };
    let position = UNITS_IN_WORDS
        .iter()
        .position(|w| tokens.is_word(at) && tokens.key(at) == *w)?;
    Some((at, position as u64 + 1))
}

/// An age from 90 to 125 written in words at `index`: "ninety",
/// "ninety-two", "a hundred and one", "one hundred two". Its last token
/// and value.
fn age_in_words(tokens: &Tokens, index: usize) -> Option<(usize, u64)> {
    if !tokens.is_word(index) {
        return None;
    }
    match tokens.key(index) {
        "ninety" => Some(
            unit_word_after(tokens, index + 1)
                .map_or((index, 90), |(last, unit)| (last, 90 + unit)),
        ),
        "one" | "a" if tokens.key_is(index + 1, &["hundred"]) => {
            let mut at = index + 2;
            if tokens.key_is(at, &["and"]) {
                at += 1;
            }
            if let Some(teen) = TEENS_IN_WORDS
                .iter()
                .position(|w| tokens.is_word(at) && tokens.key(at) == *w)
            {
                return Some((at, 110 + teen as u64));
            }
            if tokens.key_is(at, &["twenty"]) {
                return Some(
                    unit_word_after(tokens, at + 1)
                        .map_or((at, 120), |(last, unit)| (last, 120 + unit)),
                );
            }
            if let Some((last, unit)) = unit_word_after(tokens, at) {
                return Some((last, 100 + unit));
            }
            Some((index + 1, 100))
        }
        _ => None,
    }
}

/// Luhn-valid, with a brand's prefix and length.
pub fn is_card(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    let len = bytes.len();
    let prefix = |n: usize| digits[..n].parse::<u32>().unwrap_or(0);
    let brand = match bytes[0] {
        b'4' => matches!(len, 13 | 16 | 19),
        b'5' => len == 16 && (51..=55).contains(&prefix(2)),
        b'2' => len == 16 && (2221..=2720).contains(&prefix(4)),
        b'3' => {
            (len == 15 && matches!(prefix(2), 34 | 37))
                || (len == 14
                    && (matches!(prefix(2), 36 | 38 | 39) || (300..=305).contains(&prefix(3))))
                || ((16..=19).contains(&len) && (3528..=3589).contains(&prefix(4)))
        }
        b'6' => {
            (16..=19).contains(&len)
                && (prefix(4) == 6011
                    || prefix(2) == 65
                    || (644..=649).contains(&prefix(3))
                    || prefix(2) == 62
                    || prefix(2) == 67
                    || (622126..=622925).contains(&prefix(6)))
        }
        _ => false,
    };
    brand && luhn(bytes)
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_of_numbers_are_read_to_the_end() {
        let text =
            "ssns 123-45-6789 987-65-4321 111-22-3333, dobs 01/02/1960 03/04/1970 05/06/1980";
        let redacted = crate::redact::Redactor::new().redact(text).text;
        assert_eq!(
            redacted,
            "ssns [SSN] [SSN] [SSN], dobs [DATE] [DATE] [DATE]"
        );
    }

    fn found(text: &str) -> Vec<(&str, PhiKind)> {
        let mut finder = Finder::new(text);
        find(&mut finder);
        finder
            .finish()
            .into_iter()
            .map(|s| (&text[s.start..s.end], s.kind))
            .collect()
    }

    #[test]
    fn phone_card_ssn_and_date_shapes_are_read() {
        use PhiKind::*;
        assert_eq!(
            found("call (555) 310-9921 x204"),
            [("(555) 310-9921 x204", Phone)]
        );
        assert_eq!(found("cell 555.310.9921, ok"), [("555.310.9921", Phone)]);
        assert_eq!(found("+44 20 7946 0958"), [("+44 20 7946 0958", Phone)]);
        assert_eq!(found("1-800-555-0199"), [("1-800-555-0199", Phone)]);
        assert_eq!(found("call5553109921"), [("5553109921", Phone)]);
        assert_eq!(
            found("card 4111 1111 1111 1111"),
            [("4111 1111 1111 1111", Card)]
        );
        assert_eq!(
            found("amex 3782 822463 10005"),
            [("3782 822463 10005", Card)]
        );
        assert_eq!(found("ssn 123-45-6789"), [("123-45-6789", Ssn)]);
        assert_eq!(found("dob 07/22/1979"), [("07/22/1979", Date)]);
        assert_eq!(found("on Thurs 7/11 at 3"), [("Thurs 7/11", Date)]);
        assert_eq!(found("born 19840917"), [("19840917", Date)]);
        assert_eq!(found("1984-09-17"), [("1984-09-17", Date)]);
        assert_eq!(found("zip 60625-1043"), [("60625-1043", Zip)]);
        assert_eq!(found("she is 93 now"), [("93", Age)]);
        assert_eq!(found("a 92 year old man"), [("92", Age)]);
    }

    #[test]
    fn doses_readings_fractions_and_money_are_not_phi() {
        for text in [
            "metformin 500 mg twice a day",
            "A1c 7.2 and LDL 130",
            "BP 142/91 this morning",
            "take 1/2 tab daily",
            "pain is 8/10",
            "$45.20 copay, 1,250 dollars",
            "version 5.12.3 build 2231",
            "room 4112 suite 300",
            "from 2019-2021",
            "my sugar is 95",
            "3-4 times a day at 10:45",
            "CPT 99213",
            "24/7 line",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn phones_with_spaced_dashes_slashes_and_other_prefixes_are_read() {
        use PhiKind::*;
        assert_eq!(
            found("please call me at (312) 555 - 0143 about my bill"),
            [("(312) 555 - 0143", Phone)]
        );
        assert_eq!(
            found("my number is (847)-555-0166"),
            [("(847)-555-0166", Phone)]
        );
        assert_eq!(found("text me at 847/555/0166"), [("847/555/0166", Phone)]);
        assert_eq!(
            found("call me at 011 44 20 7946 0958"),
            [("011 44 20 7946 0958", Phone)]
        );
        assert_eq!(
            found("my uk number 07700 900123"),
            [("07700 900123", Phone)]
        );
        assert_eq!(found("office 020 7946 0958 ok"), [("020 7946 0958", Phone)]);
        assert_eq!(
            found("phone 312.555.0177fax312.555.0144"),
            [("312.555.0177", Phone), ("312.555.0144", Phone)]
        );
    }

    #[test]
    fn mixed_ssns_unionpay_and_glued_cards_are_read() {
        use PhiKind::*;
        assert_eq!(
            found("ssn 123 45-6789 for billing please"),
            [("123 45-6789", Ssn)]
        );
        assert_eq!(
            found("unionpay card 6200 0000 0000 0000 005 declined"),
            [("6200 0000 0000 0000 005", Card)]
        );
        assert_eq!(
            found("pay with card4111-1111-1111-1111exp 12/27"),
            [("4111-1111-1111-1111", Card), ("12/27", Date)]
        );
    }

    #[test]
    fn ages_in_brackets_and_in_words_are_read() {
        use PhiKind::*;
        assert_eq!(found("my dad (97) fell"), [("97", Age)]);
        assert_eq!(found("my grandma, 93, lives alone"), [("93", Age)]);
        assert_eq!(found("my father is ninety-two"), [("ninety-two", Age)]);
        assert_eq!(found("she turned ninety"), [("ninety", Age)]);
        assert_eq!(
            found("mom is a hundred and one today"),
            [("a hundred and one", Age)]
        );
        for text in [
            "my dad's copay is ninety dollars",
            "my dad is 95 percent better",
            "she is ninety minutes away",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn spaced_slash_dates_are_read() {
        assert_eq!(
            found("seen 10 / 8 / 24 ok"),
            [("10 / 8 / 24", PhiKind::Date)]
        );
    }

    #[test]
    fn ranges_and_amounts_with_spaced_dashes_are_not_phi() {
        for text in [
            "take 100 - 1000 mg",
            "3 - 4 times a day",
            "sugar between 150 - 2000",
            "from 2019 - 2021",
            "pain 8 / 10 today",
            "take 1 / 2 tab",
            "the score was 10 / 12 / 15 last time",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn luhn_and_brands_are_checked() {
        assert!(is_card("4111111111111111"));
        assert!(is_card("378282246310005"));
        assert!(is_card("30569309025904"));
        assert!(!is_card("4111111111111112"));
        assert!(!is_card("1234567812345670"));
    }
}
