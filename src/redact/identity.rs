//! Identity-aware redaction: a signed-in patient's own name, birth date,
//! record number, phone, email and address are removed wherever they
//! appear, whatever the case, spacing or punctuation they are typed with.

use serde::Deserialize;

use super::dates::MONTHS;
use super::found::Finder;
use super::kind::PhiKind;

/// What the portal knows about the patient. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub name: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    pub mrn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// Shortest value matched inside running text: shorter ones would hit
/// unrelated numbers and words.
const MIN_NEEDLE: usize = 4;
/// Digit-only values are matched from this length (a birth date written
/// `3384` is too short to tell from a dose).
const MIN_DIGITS: usize = 5;

#[derive(Clone, Default)]
pub(crate) struct IdentityMatcher {
    /// Folded name parts, compared with whole words.
    name_parts: Vec<String>,
    /// Folded letters and digits of each value, compared with the letters
    /// and digits of the text.
    needles: Vec<(Vec<char>, PhiKind)>,
}

// Never print what the matcher holds: it is the patient's identity.
impl std::fmt::Debug for IdentityMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityMatcher")
            .field("values", &(self.name_parts.len() + self.needles.len()))
            .finish()
    }
}

impl IdentityMatcher {
    pub(crate) fn new(identity: &Identity) -> Self {
        let mut matcher = Self::default();

        if let Some(name) = &identity.name {
            for part in name.split(|c: char| !c.is_alphabetic() && c != '\'') {
                let key = fold(part).into_iter().collect::<String>();
                if key.chars().count() >= 2 {
                    matcher.name_parts.push(key);
                }
            }
            matcher.push(name, PhiKind::Name);
        }
        if let Some(dob) = &identity.date_of_birth {
            for variant in date_variants(dob) {
                matcher.push(&variant, PhiKind::Date);
            }
        }
        if let Some(mrn) = &identity.mrn {
            matcher.push(mrn, PhiKind::Mrn);
            matcher.push(mrn.trim_start_matches(['0', ' ']), PhiKind::Mrn);
        }
        if let Some(phone) = &identity.phone {
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            let national = digits.strip_prefix('1').filter(|d| d.len() == 10);
            let national = national.unwrap_or(&digits);
            matcher.push(&digits, PhiKind::Phone);
            matcher.push(national, PhiKind::Phone);
            // The local number alone ("310-9921").
            if national.len() == 10 {
                matcher.push(&national[3..], PhiKind::Phone);
            }
        }
        if let Some(email) = &identity.email {
            matcher.push(email, PhiKind::Email);
            if let Some((local, _)) = email.split_once('@') {
                matcher.push(local, PhiKind::Email);
            }
        }
        if let Some(address) = &identity.address {
            for part in address.split([',', '\n']) {
                matcher.push(part, PhiKind::Address);
            }
        }
        matcher
    }

    fn push(&mut self, value: &str, kind: PhiKind) {
        let needle = fold(value);
        let digits_only = needle.iter().all(char::is_ascii_digit);
        let long_enough = needle.len() >= if digits_only { MIN_DIGITS } else { MIN_NEEDLE };
        if long_enough && !self.needles.iter().any(|(n, _)| *n == needle) {
            self.needles.push((needle, kind));
        }
    }

    pub(crate) fn find(&self, finder: &mut Finder) {
        let tokens = &finder.tokens;
        let names: Vec<_> = (0..tokens.len())
            .filter(|&i| tokens.is_word(i) && self.name_parts.iter().any(|p| p == tokens.key(i)))
            .map(|i| {
                let token = tokens.list[i];
                let end = if token.possessive {
                    tokens.text_of(i).rfind(['\'', '\u{2019}']).unwrap() + token.start
                } else {
                    token.end
                };
                token.start..end
            })
            .collect();
        for range in names {
            finder.add_bytes(range, PhiKind::Name, 1.0);
        }

        let (chars, places) = folded_with_places(finder.text());
        for (needle, kind) in &self.needles {
            for at in occurrences(&chars, needle) {
                let end = at + needle.len();
                // Whole runs only: the value, not part of a longer number.
                let starts_run = at == 0 || places[at - 1].1 != places[at].0;
                let ends_run = end == chars.len() || places[end - 1].1 != places[end].0;
                if starts_run && ends_run {
                    finder.add_bytes(places[at].0..places[end - 1].1, *kind, 1.0);
                }
            }
        }
    }
}

/// Letters and digits of `value`, lower case, accents folded.
fn fold(value: &str) -> Vec<char> {
    folded_with_places(value).0
}

/// The folded letters and digits of `text`, with each one's byte range.
fn folded_with_places(text: &str) -> (Vec<char>, Vec<(usize, usize)>) {
    let mut chars = Vec::with_capacity(text.len());
    let mut places = Vec::with_capacity(text.len());
    let mut buffer = String::new();
    for (at, c) in text.char_indices() {
        if !c.is_alphanumeric() {
            continue;
        }
        buffer.clear();
        super::tokens::fold_into(c, &mut buffer);
        for folded in buffer.chars() {
            chars.push(folded);
            places.push((at, at + c.len_utf8()));
        }
    }
    (chars, places)
}

fn occurrences<'a>(haystack: &'a [char], needle: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(move |(_, window)| *window == needle)
        .map(|(at, _)| at)
}

/// The ways a birth date is typed, as text whose letters and digits are
/// compared: `03/07/1984`, `3-7-84`, `19840307`, `March 7th 1984`, `7 Mar 84`.
fn date_variants(dob: &str) -> Vec<String> {
    let parts: Vec<u32> = dob
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let [year, month, day] = parts[..] else {
        return vec![dob.to_owned()];
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return vec![dob.to_owned()];
    }

    let years = [format!("{year:04}"), format!("{:02}", year % 100)];
    let months = [format!("{month:02}"), month.to_string()];
    let days = [format!("{day:02}"), day.to_string()];
    let suffix = match day {
        1 | 21 | 31 => "st",
        2 | 22 => "nd",
        3 | 23 => "rd",
        _ => "th",
    };
    let month_names: Vec<&str> = MONTHS
        .iter()
        .filter(|(_, number)| u32::from(*number) == month)
        .map(|(name, _)| *name)
        .collect();

    let mut variants = Vec::new();
    for y in &years {
        for m in &months {
            for d in &days {
                variants.push(format!("{m} {d} {y}"));
                variants.push(format!("{d} {m} {y}"));
            }
        }
        for name in &month_names {
            variants.push(format!("{name} {day} {y}"));
            variants.push(format!("{name} {day}{suffix} {y}"));
            variants.push(format!("{day} {name} {y}"));
        }
    }
    variants.push(format!("{} {} {}", years[0], months[0], days[0]));
    variants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Redactor;

    fn patient() -> Identity {
        Identity {
            name: Some("Mary-Kate O'Hara".into()),
            date_of_birth: Some("1984-03-07".into()),
            mrn: Some("00482913".into()),
            phone: Some("+1 (312) 555-0143".into()),
            email: Some("mk.ohara@example.com".into()),
            address: Some("4417 N Lincoln Ave, Chicago, IL 60625".into()),
        }
    }

    fn redacted(text: &str) -> String {
        Redactor::for_patient(&patient()).redact(text).text
    }

    #[test]
    fn the_patients_values_go_in_any_case_or_format() {
        assert_eq!(redacted("this is KATE ohara"), "this is [NAME] [NAME]");
        assert_eq!(redacted("born march 7th 84"), "born [DATE]");
        assert_eq!(redacted("dob 3.7.1984 ok"), "dob [DATE] ok");
        assert_eq!(redacted("chart 482913 please"), "chart [MRN] please");
        assert_eq!(redacted("call 312 555 0143"), "call [PHONE]");
        assert_eq!(redacted("or 5550143 after 5"), "or [PHONE] after 5");
        assert_eq!(
            redacted("i live on 4417 n lincoln ave"),
            "i live on [ADDRESS]"
        );
    }

    #[test]
    fn parts_of_longer_numbers_are_left_alone() {
        assert_eq!(redacted("order 95550143 arrived"), "order [ID] arrived");
        assert_eq!(redacted("take 1984 steps"), "take 1984 steps");
    }

    #[test]
    fn debug_output_holds_no_value() {
        let matcher = IdentityMatcher::new(&patient());
        let shown = format!("{matcher:?}");
        assert!(
            !shown.contains("Hara") && !shown.contains("0143"),
            "{shown}"
        );
    }
}
