//! Text normalisation for the red-flag rules: one spelling for the many ways
//! patients type the same words, so each rule can stay readable.

use std::sync::LazyLock;

use regex::Regex;

/// Lower-cases, drops apostrophes ("can't" and "cant" become one word),
/// shortens stretched letters ("sooo" to "so"), and folds white space.
pub fn normalize(text: &str) -> String {
    let lower = text
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}', '\u{02bc}', '`', '\''], "");

    // Two of a letter are spelling ("bleeding"); three or more are emphasis
    // ("sooo") and shrink to one. Digits are never touched.
    let chars: Vec<char> = lower
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(lower.len());
    let mut start = 0;
    while start < chars.len() {
        let c = chars[start];
        let run = chars[start..].iter().take_while(|&&d| d == c).count();
        let keep = if run >= 3 && !c.is_ascii_digit() {
            1
        } else {
            run
        };
        out.extend(std::iter::repeat_n(c, keep));
        start += run;
    }
    let out = out.replace("  ", " ");

    TYPOS.iter().fold(out, |text, (pattern, fix)| {
        pattern.replace_all(&text, *fix).into_owned()
    })
}

/// Frequent misspellings of the words the rules look for.
static TYPOS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"\b(?:brea?th?e?ing|breating|brething|breahting)\b",
            "breathing",
        ),
        (r"\b(?:breath|breth|breathe)\b", "breathe"),
        (r"\b(?:siez\w*|sezi?ure\w*|seaz\w*|seizure\w*)\b", "seizure"),
        (r"\b(?:unconcious|unconsious|unconscous)\b", "unconscious"),
        (
            r"\b(?:bleed(?:ing)?|bleading|bledding|bleedin)\b",
            "bleeding",
        ),
        (r"\b(?:suicid\w*|sucid\w*|suisid\w*)\b", "suicidal"),
        (r"\b(?:chestpain|chest pian)\b", "chest pain"),
        (r"\b(?:chset|chets|cheast)\b", "chest"),
        (r"\b(?:cnat|cnt|caint)\b", "cant"),
        (r"\b(?:hart|heart) (?:atack|attak|attac)\b", "heart attack"),
        (r"\bhart attack\b", "heart attack"),
        (
            r"\b(?:pregnet|pregant|pregnat|preggo|preggers)\b",
            "pregnant",
        ),
        (r"\b(?:temprature|tempreture|temperture)\b", "temperature"),
        (r"\b(?:allergic|alergic|allergik)\b", "allergic"),
        (r"\b(?:wont|want) wake up\b", "wont wake up"),
        (r"\b(?:myslef|my self)\b", "myself"),
        (r"\b(?:od|oded|odd)\s+(?:on)\b", "overdosed on"),
    ]
    .into_iter()
    .map(|(pattern, fix)| (Regex::new(pattern).expect("typo pattern is valid"), fix))
    .collect()
});

/// Clauses: the unit inside which negation and context are judged. Commas
/// and "but" end a clause because "no fever, chest pain for an hour" holds
/// one negated and one present finding.
pub fn clauses(normalized: &str) -> Vec<&str> {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[.!?;,:\n()]+|\s-\s|\b(?:but|however|though|although|except)\b")
            .expect("clause pattern is valid")
    });
    SPLIT
        .split(normalized)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophes_and_stretching_are_folded() {
        assert_eq!(
            normalize("I CAN'T   breathe sooo bad"),
            "i cant breathe so bad"
        );
    }

    #[test]
    fn common_misspellings_are_fixed() {
        assert_eq!(normalize("having a siezure"), "having a seizure");
        assert_eq!(normalize("hart attak"), "heart attack");
    }

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(normalize("sugar is 111"), "sugar is 111");
    }

    #[test]
    fn clauses_break_at_commas_and_but() {
        let text = normalize("no fever, chest pain for an hour but im ok");

        assert_eq!(
            clauses(&text),
            vec!["no fever", "chest pain for an hour", "im ok"]
        );
    }
}
