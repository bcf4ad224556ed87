//! Cheap checks that tell text from no text and from keyboard mashing,
//! before any model time is spent on it.

/// True when the text holds no letter or digit.
pub fn is_blank(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
}

/// True when most words do not look like words of any language written in
/// Latin letters: no vowel, long consonant runs, or one letter repeated.
///
/// Deliberately conservative: abbreviations ("appt", "rx", "pls") and short
/// messages pass, because a wrongly dropped question is worse than a
/// clarifying reply to mashing. The router's out-of-scope class handles the
/// rest.
pub fn looks_like_gibberish(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();

    // Non-Latin scripts are not judged here.
    if words.iter().any(|w| !w.is_ascii()) {
        return false;
    }
    let letters: usize = words.iter().map(String::len).sum();
    if letters < 4 {
        return false;
    }

    let odd_letters: usize = words
        .iter()
        .filter(|w| is_odd_word(w))
        .map(String::len)
        .sum();
    odd_letters * 10 >= letters * 8
}

fn is_odd_word(word: &str) -> bool {
    let vowels = |c: char| "aeiouy".contains(c);
    let has_vowel = word.chars().any(vowels);

    let mut longest_consonant_run = 0;
    let mut run = 0;
    for c in word.chars() {
        run = if vowels(c) { 0 } else { run + 1 };
        longest_consonant_run = longest_consonant_run.max(run);
    }

    let first = word.chars().next();
    let one_letter = word.chars().all(|c| Some(c) == first);

    !has_vowel && word.len() > 3 || longest_consonant_run >= 5 || one_letter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mashing_is_gibberish() {
        for text in [
            "asdfghjkl",
            "jjjjjjjj",
            "qwrtpsdf zxcvbnm",
            "hjkl;hjkl hjklhjkl",
        ] {
            assert!(looks_like_gibberish(text), "{text}");
        }
    }

    #[test]
    fn terse_patient_writing_is_not_gibberish() {
        for text in [
            "refill pls",
            "appt tmrw?",
            "rx for lisinopril",
            "my strngth is low",
            "ok",
            "hi",
            "necesito una cita",
        ] {
            assert!(!looks_like_gibberish(text), "{text}");
        }
    }

    #[test]
    fn punctuation_only_is_blank() {
        assert!(is_blank(" ?!... "));
        assert!(!is_blank("a"));
    }
}
