//! Identifiers known by their label ("MRN 00482913", "member id W4029183",
//! "last 4 of my social is 3418", "zip 30307") or by their shape alone (a
//! code of letters and many digits).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::found::Finder;
use super::kind::PhiKind;
use super::tokens::{Case, Shape, Tokens};

/// Label words and the kind of value they announce.
const LABELS: &[(&str, PhiKind)] = &[
    ("mrn", PhiKind::Mrn),
    ("mr", PhiKind::Mrn),
    ("record", PhiKind::Mrn),
    ("chart", PhiKind::Mrn),
    ("ssn", PhiKind::Ssn),
    ("ss", PhiKind::Ssn),
    ("social", PhiKind::Ssn),
    ("security", PhiKind::Ssn),
    ("zip", PhiKind::Zip),
    ("zipcode", PhiKind::Zip),
    ("postal", PhiKind::Zip),
    ("account", PhiKind::Id),
    ("acct", PhiKind::Id),
    ("acc", PhiKind::Id),
    ("member", PhiKind::Id),
    ("subscriber", PhiKind::Id),
    ("policy", PhiKind::Id),
    ("group", PhiKind::Id),
    ("grp", PhiKind::Id),
    ("claim", PhiKind::Id),
    ("case", PhiKind::Id),
    ("reference", PhiKind::Id),
    ("ref", PhiKind::Id),
    ("confirmation", PhiKind::Id),
    ("conf", PhiKind::Id),
    ("invoice", PhiKind::Id),
    ("order", PhiKind::Id),
    ("license", PhiKind::Id),
    ("licence", PhiKind::Id),
    ("dl", PhiKind::Id),
    ("passport", PhiKind::Id),
    ("plate", PhiKind::Id),
    ("tag", PhiKind::Id),
    ("vin", PhiKind::Id),
    ("serial", PhiKind::Id),
    ("sn", PhiKind::Id),
    ("id", PhiKind::Id),
    ("identification", PhiKind::Id),
    ("badge", PhiKind::Id),
    ("medicare", PhiKind::Id),
    ("medicaid", PhiKind::Id),
    ("mbi", PhiKind::Id),
    ("beneficiary", PhiKind::Id),
    ("certificate", PhiKind::Id),
    ("tracking", PhiKind::Id),
    ("rx", PhiKind::Id),
    ("prescription", PhiKind::Id),
    ("authorization", PhiKind::Id),
    ("auth", PhiKind::Id),
    ("ticket", PhiKind::Id),
    ("employee", PhiKind::Id),
    ("student", PhiKind::Id),
    ("insurance", PhiKind::Id),
    ("ins", PhiKind::Id),
    ("pin", PhiKind::Id),
    ("patient", PhiKind::Mrn),
    ("pt", PhiKind::Mrn),
];

static LABEL_KINDS: LazyLock<FxHashMap<&str, PhiKind>> =
    LazyLock::new(|| LABELS.iter().copied().collect());

/// Words between a label and its value ("member id number is W...").
const FILLERS: &[&str] = &[
    "number", "numbers", "no", "num", "nbr", "is", "was", "are", "id", "of", "my", "the", "his",
    "her", "their", "our", "code", "medical", "security", "plate", "card", "last", "four",
    "ending", "ends", "in", "with", "digits", "s", "n", "reads", "says", "#", "sn",
];

/// Cues that a short number after a social security label is its last four.
const LAST_FOUR: &[&str] = &["last", "ending", "ends", "four"];

pub fn find(finder: &mut Finder) {
    let mut index = 0;
    while index < finder.tokens.len() {
        index = match labelled_value(finder, index) {
            Some(last) => last + 1,
            None => index + 1,
        };
    }
}

/// A value after a label word at `index`: recorded, and its last token.
fn labelled_value(finder: &mut Finder, index: usize) -> Option<usize> {
    let tokens = &finder.tokens;
    if !tokens.is_word(index) {
        return None;
    }
    let kind = *LABEL_KINDS.get(tokens.key(index))?;
    // "patient" and "pt" announce a record number only as "patient id".
    if matches!(tokens.key(index), "patient" | "pt" | "record" | "chart")
        && !tokens.key_is(index + 1, &["id", "number", "no", "num", "#", "mrn"])
        && !tokens.is_symbol(index + 1, '#')
    {
        return None;
    }

    let start = skip_fillers(tokens, index + 1);
    let (first, last) = value_at(tokens, start)?;
    if !finder.all_free(first, last) {
        return None;
    }
    let digits: usize = (first..=last)
        .filter(|&i| tokens.is_number(i))
        .map(|i| tokens.text_of(i).len())
        .sum();
    let has_letters = (first..=last).any(|i| tokens.is_word(i));
    let alnum: usize = (first..=last)
        .filter(|&i| tokens.is_word(i) || tokens.is_number(i))
        .map(|i| tokens.text_of(i).len())
        .sum();

    let accepted = match kind {
        PhiKind::Ssn => {
            digits == 9
                || (digits == 4
                    && (tokens.cue_before(first, 6, LAST_FOUR)
                        || tokens.cue_before(index + 1, 4, LAST_FOUR)))
        }
        PhiKind::Zip => digits == 5 || digits == 9,
        // "W4029183", "8JHR 221" (a plate), "X1192"; not "2 forms".
        _ => digits >= 4 || (digits >= 1 && has_letters && alnum >= 5),
    };
    if !accepted {
        return None;
    }
    finder.add_tokens(first, last, kind, 0.9);
    Some(last)
}

fn skip_fillers(tokens: &Tokens, mut at: usize) -> usize {
    let mut skipped = 0;
    while skipped < 5 {
        // "S" in "DL# S530-77": a letter glued to the value is part of it.
        let starts_value =
            tokens.glued(at + 1) && (tokens.is_number(at + 1) || tokens.is_word(at + 1));
        let filler = (tokens.key_is(at, FILLERS) && !starts_value)
            || tokens.is_symbol(at, ':')
            || tokens.is_symbol(at, '#')
            || tokens.is_symbol(at, '=')
            || tokens.is_symbol(at, '/')
            || tokens.is_symbol(at, '-')
            || (tokens.is_symbol(at, '.') && tokens.glued(at));
        if !filler {
            break;
        }
        at += 1;
        skipped += 1;
    }
    at
}

/// The value starting at `start`: letters, digits and inner `-`, `/` or
/// `.` glued together; space-separated digit groups after a number.
fn value_at(tokens: &Tokens, start: usize) -> Option<(usize, usize)> {
    let first = tokens.get(start)?;
    if first.shape == Shape::Symbol {
        return None;
    }

    let mut last = start;
    loop {
        let next = last + 1;
        let joins = tokens.glued(next)
            && (tokens.get(next).is_some_and(|t| t.shape != Shape::Symbol)
                || (["-", "/", "."].contains(&tokens.text_of(next))
                    && tokens.glued(next + 1)
                    && tokens
                        .get(next + 1)
                        .is_some_and(|t| t.shape != Shape::Symbol)));
        // "YRK 8820 1947", "JKV 4821": a short code in capitals, then digits.
        let code_word = last == start
            && tokens
                .get(start)
                .is_some_and(|t| t.case == Case::Upper && t.end - t.start <= 4);
        let spaced_digits = (tokens.is_number(last) || last > start || code_word)
            && tokens.is_number(next)
            && !tokens.glued(next)
            && tokens.text_of(next).len() >= 3;
        if joins || spaced_digits {
            last = if tokens.get(next).is_some_and(|t| t.shape == Shape::Symbol) {
                next + 1
            } else {
                next
            };
            continue;
        }
        break;
    }
    (first.shape == Shape::Number || (start..=last).any(|i| tokens.is_number(i)))
        .then_some((start, last))
}

/// Codes like "W402918375" or "PJN123456H" with no label: letters and at
/// least five digits glued together.
pub fn find_codes(finder: &mut Finder) {
    let mut index = 0;
    while index < finder.tokens.len() {
        let tokens = &finder.tokens;
        let starts =
            !tokens.glued(index) && tokens.get(index).is_some_and(|t| t.shape != Shape::Symbol);
        if !starts || finder.is_taken(index) {
            index += 1;
            continue;
        }
        let mut last = index;
        loop {
            let next = last + 1;
            let alnum = |i: usize| tokens.get(i).is_some_and(|t| t.shape != Shape::Symbol);
            if tokens.glued(next) && alnum(next) {
                last = next;
            } else if tokens.is_symbol(next, '-')
                && tokens.glued(next)
                && tokens.glued(next + 1)
                && alnum(next + 1)
            {
                // "CI632-118845"
                last = next + 1;
            } else {
                break;
            }
        }
        let digits: usize = (index..=last)
            .filter(|&i| tokens.is_number(i))
            .map(|i| tokens.text_of(i).len())
            .sum();
        let letters = (index..=last).any(|i| tokens.is_word(i));
        let hex = tokens.text_of(index).starts_with('0') && tokens.key_is(index + 1, &["x"]);
        if digits >= 5 && letters && !hex && finder.all_free(index, last) {
            finder.add_tokens(index, last, PhiKind::Id, 0.6);
        }
        index = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, PhiKind)> {
        let mut finder = Finder::new(text);
        find(&mut finder);
        find_codes(&mut finder);
        finder
            .finish()
            .into_iter()
            .map(|s| (&text[s.start..s.end], s.kind))
            .collect()
    }

    #[test]
    fn labelled_values_are_found_with_their_kind() {
        use PhiKind::*;
        assert_eq!(found("MRN: 00482913 thanks"), [("00482913", Mrn)]);
        assert_eq!(
            found("my medical record number is 7730145"),
            [("7730145", Mrn)]
        );
        assert_eq!(found("patient ID MR-0048291"), [("MR-0048291", Mrn)]);
        assert_eq!(
            found("member id W402918375 group # 61730"),
            [("W402918375", Id), ("61730", Id)]
        );
        assert_eq!(
            found("claim 2024-118-55302 denied"),
            [("2024-118-55302", Id)]
        );
        assert_eq!(found("pump serial SN 44821-K"), [("44821-K", Id)]);
        assert_eq!(found("license plate 7ABC123."), [("7ABC123", Id)]);
        assert_eq!(found("last 4 of my social is 3418"), [("3418", Ssn)]);
        assert_eq!(found("SS# 077410293"), [("077410293", Ssn)]);
        assert_eq!(found("billing zip is 97214"), [("97214", Zip)]);
        assert_eq!(found("the code PJN123456H on it"), [("PJN123456H", Id)]);
    }

    #[test]
    fn labels_with_ordinary_numbers_are_left_alone() {
        for text in [
            "order 30 tablets",
            "in case 2 doses are late",
            "group 2 class",
            "error 0x80070005 again",
            "take 20mg at 9",
            "my social worker said 3 weeks",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
