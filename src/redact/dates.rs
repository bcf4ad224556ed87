//! Dates written with words: "Sept 9 1984", "9 September", "Friday, April
//! 19", "the 22nd", "15 de mayo". Numeric dates are read with the other
//! digit runs (`numbers.rs`), with the checks here.

use super::found::Finder;
use super::kind::PhiKind;
use super::tokens::{Case, CaseStyle, Tokens};

/// Month names and abbreviations, English and Spanish.
pub(crate) const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "domingo",
];

/// Nouns after "the 3rd" that make it a rank, not a day.
const NOT_A_DAY_AFTER: &[&str] = &[
    "floor",
    "time",
    "times",
    "grade",
    "percentile",
    "place",
    "dose",
    "shot",
    "round",
    "week",
    "weeks",
    "day",
    "visit",
    "trimester",
    "child",
    "kid",
    "baby",
    "one",
    "try",
    "attempt",
    "party",
    "step",
    "cycle",
    "month",
    "year",
    "line",
    "option",
    "bill",
    "statement",
    "refill",
    "page",
    "edition",
    "gen",
    "generation",
    "degree",
    "cousin",
    "injection",
    "infusion",
    "session",
    "box",
    "pill",
    "call",
    "level",
    "avenue",
    "ave",
    "street",
    "st",
];

pub fn month_of(key: &str) -> Option<u8> {
    MONTHS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|&(_, m)| m)
}

pub fn is_weekday(key: &str) -> bool {
    WEEKDAYS.contains(&key)
}

pub fn valid_day(month: u64, day: u64) -> bool {
    let last = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=last).contains(&day)
}

/// A year as written in a date: two digits, or four from 1900 to 2099.
pub fn valid_year(value: u64, digits: usize) -> bool {
    digits == 2 || (digits == 4 && (1900..=2099).contains(&value))
}

/// A day number, bare or with its suffix ("9", "9th"): the index after it.
fn day_at(tokens: &Tokens, index: usize) -> Option<usize> {
    if !tokens.is_number(index) || tokens.text_of(index).len() > 2 {
        return None;
    }
    let day = tokens.value(index);
    if !(1..=31).contains(&day) {
        return None;
    }
    let suffixed = tokens.glued(index + 1) && tokens.key_is(index + 1, &["st", "nd", "rd", "th"]);
    Some(index + 1 + usize::from(suffixed))
}

/// A four-digit year after `index` (skipping a comma): its index.
fn year_after(tokens: &Tokens, index: usize) -> Option<usize> {
    let at = if tokens.is_symbol(index, ',') {
        index + 1
    } else {
        index
    };
    // "'48": an apostrophe and two digits.
    let quoted = (tokens.is_symbol(at, '\'') || tokens.is_symbol(at, '\u{2019}'))
        && tokens.is_number(at + 1)
        && tokens.glued(at + 1)
        && tokens.text_of(at + 1).len() == 2
        && !glued_alnum(tokens, at + 2)
        && !tokens.is_symbol(at + 2, '\'');
    if quoted {
        return Some(at + 1);
    }
    (tokens.is_number(at)
        && tokens.text_of(at).len() == 4
        && valid_year(tokens.value(at), 4)
        && !glued_alnum(tokens, at + 1))
    .then_some(at)
}

/// "-17", "to 17", "through the 17th" after a day: the last token of the
/// range's closing day.
fn day_range_after(tokens: &Tokens, month: u64, first_day: u64, index: usize) -> Option<usize> {
    let dash = tokens.is_symbol(index, '-') || tokens.is_symbol(index, '\u{2013}');
    if !dash && !tokens.key_is(index, &["to", "through", "thru", "till", "until"]) {
        return None;
    }
    let at = index + 1;
    let after = day_at(tokens, at)?;
    let day = tokens.value(at);
    let ok = day > first_day
        && valid_day(month, day)
        && !unit_follows(tokens, after)
        && !glued_alnum(tokens, after)
        && !(tokens.is_symbol(after, '/') || tokens.is_symbol(after, ':'));
    ok.then_some(after - 1)
}

/// A word or number glued to what comes before it ("1984abc"); a comma
/// or full stop after a year does not count.
fn glued_alnum(tokens: &Tokens, index: usize) -> bool {
    tokens.glued(index) && (tokens.is_word(index) || tokens.is_number(index))
}

/// Extends a date starting at `first` back over a weekday ("Tue 3/12",
/// "Friday, April 19", "MONDAY THE 8TH").
pub fn with_weekday(tokens: &Tokens, first: usize) -> usize {
    let mut at = first;
    if at >= 1 && tokens.key_is(at - 1, &["the"]) {
        at -= 1;
    }
    if at >= 1 && tokens.is_symbol(at - 1, ',') {
        at -= 1;
    }
    if at >= 1 && tokens.is_symbol(at - 1, '.') && at >= 2 && is_weekday(tokens.key(at - 2)) {
        return at - 2;
    }
    if at >= 1 && tokens.is_word(at - 1) && is_weekday(tokens.key(at - 1)) {
        return at - 1;
    }
    first
}

pub fn find(finder: &mut Finder) {
    let mut index = 0;
    while index < finder.tokens.len() {
        match date_at(&finder.tokens, index) {
            Some((first, last, confidence)) if finder.all_free(first, last) => {
                let first = with_weekday(&finder.tokens, first);
                finder.add_tokens(first, last, PhiKind::Date, confidence);
                index = last + 1;
            }
            _ => index += 1,
        }
    }
}

/// A date written with a month name or as "the 22nd", starting at `index`:
/// its first and last token.
fn date_at(tokens: &Tokens, index: usize) -> Option<(usize, usize, f32)> {
    if let Some(month) = tokens
        .is_word(index)
        .then(|| month_of(tokens.key(index)))
        .flatten()
    {
        return month_first(tokens, index, month);
    }
    if tokens.is_number(index) {
        return day_first(tokens, index);
    }
    if tokens.key_is(index, &["the"]) {
        return ordinal_day(tokens, index);
    }
    None
}

/// "Sept 9 1984", "April 19th", "Jan. 5, 2024", "March 2024".
fn month_first(tokens: &Tokens, index: usize, month: u8) -> Option<(usize, usize, f32)> {
    let mut at = index + 1;
    if tokens.is_symbol(at, '.') {
        at += 1;
    }
    if let Some(after_day) = day_at(tokens, at)
        && valid_day(u64::from(month), tokens.value(at))
        && !tokens.glued(at)
        && !unit_follows(tokens, after_day)
    {
        // "Dec 10-17": a range of days in the month.
        let range_end = day_range_after(tokens, u64::from(month), tokens.value(at), after_day);
        let day_end = range_end.map_or(after_day, |last| last + 1);
        let year = year_after(tokens, day_end);
        // "it may 2 be": lower-case "may" is a date only with a year or
        // a day suffix.
        let verb_like = tokens.key(index) == "may"
            && tokens.list[index].case == Case::Lower
            && year.is_none()
            && after_day == at + 1;
        if !verb_like {
            return Some((index, year.unwrap_or(day_end - 1), 0.9));
        }
    }

    // "March 2024": the month and year of something in the patient's life.
    // "may" and "mar" are too often verbs to stand with a year alone.
    // A capitalised "May" or "Mar" inside a sentence is the month.
    let key = tokens.key(index);
    let month_cased = tokens.list[index].case == Case::Title
        && tokens.style == CaseStyle::Mixed
        && !tokens.starts_sentence(index);
    if (key.len() > 3 || month_cased)
        && let Some(year) = year_after(tokens, at)
    {
        return Some((index, year, 0.7));
    }
    None
}

/// "9 September 1984", "5th of March", "15 de mayo".
fn day_first(tokens: &Tokens, index: usize) -> Option<(usize, usize, f32)> {
    let after_day = day_at(tokens, index)?;
    if tokens.glued(index) {
        return None;
    }
    let mut at = after_day;
    if tokens.key_is(at, &["of", "de"]) {
        at += 1;
    }
    let month = tokens
        .is_word(at)
        .then(|| month_of(tokens.key(at)))
        .flatten()?;
    if !valid_day(u64::from(month), tokens.value(index)) {
        return None;
    }
    let mut last = at;
    if tokens.is_symbol(last + 1, '.') && tokens.text_of(last).len() == 3 {
        last += 1;
    }
    if tokens.key_is(last + 1, &["de"]) {
        last = year_after(tokens, last + 2).unwrap_or(last);
    } else {
        last = year_after(tokens, last + 1).unwrap_or(last);
    }
    Some((index, last, 0.9))
}

/// "on the 22nd", "until the 14th", "MONDAY THE 8TH"; not "the 3rd floor".
fn ordinal_day(tokens: &Tokens, the: usize) -> Option<(usize, usize, f32)> {
    let day = the + 1;
    let after = day_at(tokens, day)?;
    if after == day + 1 {
        return None;
    }
    if tokens.is_word(after) && NOT_A_DAY_AFTER.contains(&tokens.key(after)) {
        return None;
    }
    // "the 2nd of March" is read whole from the day by `day_first`.
    if tokens.key_is(after, &["of", "de"])
        && tokens.is_word(after + 1)
        && month_of(tokens.key(after + 1)).is_some()
    {
        return None;
    }
    // The mark is on the day alone: "on the [22nd]".
    Some((day, after - 1, 0.75))
}

/// "May 5 tablets", "Jan 3 times": a count, not a day.
fn unit_follows(tokens: &Tokens, index: usize) -> bool {
    tokens.key_is(
        index,
        &[
            "times", "tablets", "tabs", "pills", "mg", "ml", "units", "days", "weeks", "hours",
            "minutes", "min", "am", "pm",
        ],
    ) && !tokens.glued(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<&str> {
        let mut finder = Finder::new(text);
        find(&mut finder);
        finder
            .finish()
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn dates_with_month_names_are_found_whole() {
        assert_eq!(dates("born Sept 9 1984 in"), ["Sept 9 1984"]);
        assert_eq!(dates("on Friday, April 19? ok"), ["Friday, April 19"]);
        assert_eq!(dates("Jan. 5, 2024 was"), ["Jan. 5, 2024"]);
        assert_eq!(dates("9 September 1984"), ["9 September 1984"]);
        assert_eq!(dates("the 5th of March"), ["5th of March"]);
        assert_eq!(dates("cita para el 15 de mayo"), ["15 de mayo"]);
        assert_eq!(dates("MONDAY THE 8TH please"), ["MONDAY THE 8TH"]);
        assert_eq!(dates("out of town until the 14th."), ["14th"]);
        assert_eq!(dates("since March 2019"), ["March 2019"]);
    }

    #[test]
    fn apostrophe_years_and_day_ranges_stay_in_the_date() {
        assert_eq!(dates("born on march 12 '48 in"), ["march 12 '48"]);
        assert_eq!(dates("since March '19"), ["March '19"]);
        assert_eq!(dates("away Dec 10-17 ok"), ["Dec 10-17"]);
        assert_eq!(dates("off Dec 10 - 17, 2024"), ["Dec 10 - 17, 2024"]);
        assert_eq!(dates("out June 3 to 5th"), ["June 3 to 5th"]);
        // Not a range of days: a dose, a time.
        assert_eq!(dates("on Dec 10-12 mg"), ["Dec 10"]);
        assert_eq!(dates("Dec 10 - 4:30 pm"), ["Dec 10"]);
    }

    #[test]
    fn a_capitalised_may_with_a_year_is_the_month() {
        assert_eq!(dates("my last shot was May 2016, ok"), ["May 2016"]);
        assert_eq!(dates("May 2019 be a good year"), Vec::<&str>::new());
    }

    #[test]
    fn months_weekdays_and_ranks_alone_are_not_dates() {
        for text in [
            "in March we went",
            "next Tuesday works",
            "the 3rd floor lab",
            "it may 2 be",
            "the 2nd time",
            "may 2019 was hard",
            "in 2019",
        ] {
            assert!(dates(text).is_empty(), "{text}: {:?}", dates(text));
        }
    }
}
