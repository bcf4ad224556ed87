//! Reading short follow-ups in the light of the previous reply: a request
//! for a person, yes and no, "the second one", a department by name.

use std::sync::LazyLock;

use regex::Regex;

/// Words that ask for a human, anywhere in a message.
static PERSON_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(talk|speak|chat|connect|put)\w*\s+(me\s+)?(to|with|through)\s+
          (a\s+|an\s+|the\s+|some\s+)?(real\s+|live\s+|actual\s+)?
          (human|person|people|agent|representative|rep|someone|somebody|staff|operator|nurse|doctor)\b
        | \b(real|live|actual)\s+(human|person|agent)\b
        | \bhuman\s+(being|please)\b
        | ^\s*(a\s+)?(human|person|agent|representative|operator)\s*[.!?]*\s*$
        ",
    )
    .expect("pattern is valid")
});

/// A message that is nothing but a request for a person.
static ONLY_PERSON_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^\s*
        (ok(ay)?[,\s]+|no[,\s]+|please[,\s]+|can\s+i\s+|could\s+i\s+|i\s*'?d\s+like\s+to\s+|i\s+want\s+to\s+|i\s+need\s+to\s+|let\s+me\s+)*
        ((talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+|some\s+)?(real\s+|live\s+|actual\s+)?
          (human|person|agent|representative|rep|someone|somebody|staff|operator)
        | (a\s+)?(real\s+|live\s+)?(human|person|agent|representative|operator))
        (\s+please)?\s*[.!?]*\s*$",
    )
    .expect("pattern is valid")
});

static YES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(yes|yeah|yep|yup|ya|sure|ok|okay|please|please do|yes please|that one|correct|right)\b[\s.!,]*(please|thanks|thank you)?[\s.!]*$",
    )
    .expect("pattern is valid")
});

static NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(no|nope|nah|no thanks|no thank you|not really|i'?m good|all good|that'?s all)\b[\s.!,]*(thanks|thank you)?[\s.!]*$")
        .expect("pattern is valid")
});

/// A request for staff to do something ("please refill…", "can you send
/// my records…", "cancel my appointment"), as opposed to a question. A
/// knowledge answer explains how; such a message wants it done.
static ACTION_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(please\s+|pls\s+|plz\s+|can\s+you\s+|could\s+you\s+|would\s+you\s+)*
          (refill|renew|cancel|resched\w*|book|schedule|send|fax|change|update|fix|remove|add|move|call)\b
        | \b(please|pls|plz|can\s+you|could\s+you|would\s+you|need\s+you\s+to|need\s+someone\s+to)\s+(\w+\s+)?
          (refill|renew|cancel|resched\w*|book|schedule|send|fax|change|update|fix|remove|add|move|call|correct|resend|approve|process|refund|waive|adjust)\b
        | \bi\s*(need|want|would\s+like|'?d\s+like)\s+(a\s+|an\s+|my\s+|another\s+)?(new\s+)?
          (refill|renewal|appointment|appt|copy|letter|note|form|refund|call\s*back)\b
        | \b(call|ring|phone)\s+me(\s+back)?\b
        | \bbook\s+me\b
        | \bput\s+me\s+(on|in)\b
        ",
    )
    .expect("pattern is valid")
});

pub fn asks_for_action(text: &str) -> bool {
    ACTION_REQUEST.is_match(&text.to_lowercase())
}

pub fn asks_for_person(text: &str) -> bool {
    PERSON_REQUEST.is_match(&text.to_lowercase())
}

pub fn only_asks_for_person(text: &str) -> bool {
    ONLY_PERSON_REQUEST.is_match(&text.to_lowercase())
}

pub fn is_yes(text: &str) -> bool {
    YES.is_match(&text.to_lowercase())
}

pub fn is_no(text: &str) -> bool {
    NO.is_match(&text.to_lowercase())
}

/// Words that turn a short reply into doubt or refusal rather than a pick.
const DOUBT: &[&str] = &[
    "not", "don", "dont", "doesn", "isn", "neither", "none", "nor", "never", "no", "unsure",
    "which", "what", "know", "sure",
];

/// Digits and number words, by position.
const NUMBERS: &[&[&str]] = &[
    &["1", "one"],
    &["2", "two"],
    &["3", "three"],
    &["4", "four"],
    &["5", "five"],
    &["6", "six"],
];

/// Which of the offered options a short reply points at: an ordinal
/// ("the second one", "2") or an option's name ("billing please").
/// `options` are `(choice, label)` pairs in the order they were shown.
pub fn pick_option(text: &str, options: &[(String, String)]) -> Option<usize> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // Only short replies are read this way; a longer message is a new
    // question and goes through routing.
    if words.is_empty() || words.len() > 6 {
        return None;
    }

    // "not the first one", "I don't know which one", "no one told me":
    // a reply that negates or doubts picks nothing.
    if words.iter().any(|w| DOUBT.contains(w)) {
        return None;
    }

    // Number words and digits count only on their own or after "option" or
    // "number": "one" is too common a word to mean "the first".
    let alone = words.len() == 1;
    let ordinal = |i: usize, w: &str| {
        let counted = alone || (i > 0 && matches!(words[i - 1], "option" | "number"));
        match w {
            "first" | "1st" => Some(0),
            "second" | "2nd" => Some(1),
            "third" | "3rd" => Some(2),
            "fourth" | "4th" => Some(3),
            "fifth" | "5th" => Some(4),
            "sixth" | "6th" => Some(5),
            "last" => options.len().checked_sub(1),
            _ if counted => NUMBERS.iter().position(|n| n.contains(&w)),
            _ => None,
        }
    };
    if let Some(index) = words.iter().enumerate().find_map(|(i, w)| ordinal(i, w)) {
        return (index < options.len()).then_some(index);
    }

    let named: Vec<usize> = options
        .iter()
        .enumerate()
        .filter(|(_, (choice, label))| {
            let choice_words = choice.replace('_', " ");
            let label = label.to_lowercase();
            words
                .iter()
                .any(|w| w.len() > 3 && (choice_words.contains(w) || label.contains(w)))
        })
        .map(|(index, _)| index)
        .collect();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A short message that leans on the previous one: "and my bill too",
/// "what about refills", "also the parking".
pub fn continues_previous(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    let words = lower.split_whitespace().count();
    words <= 8
        && (lower.starts_with("and ")
            || lower.starts_with("also ")
            || lower.starts_with("what about ")
            || lower.starts_with("how about ")
            || lower.ends_with(" too")
            || lower.ends_with(" too?")
            || lower.ends_with(" as well"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Vec<(String, String)> {
        [
            ("billing", "Billing"),
            ("records", "Medical records"),
            ("person", "Talk to a person"),
        ]
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect()
    }

    #[test]
    fn person_requests_are_recognised_in_many_forms() {
        for text in [
            "talk to a person",
            "Can I speak with a real human please",
            "I'd like to talk to someone",
            "agent",
            "connect me to a representative",
            "i need to talk to a nurse about my meds",
        ] {
            assert!(asks_for_person(text), "{text}");
        }
        assert!(!asks_for_person("the person at the desk was rude"));
        assert!(!asks_for_person("how do i pay my bill"));
    }

    #[test]
    fn only_person_request_excludes_messages_with_a_topic() {
        assert!(only_asks_for_person("I'd like to talk to a person"));
        assert!(only_asks_for_person("okay, a real person please"));
        assert!(!only_asks_for_person("talk to someone about my bill"));
    }

    #[test]
    fn ordinals_and_names_pick_an_option() {
        assert_eq!(pick_option("the second one", &options()), Some(1));
        assert_eq!(pick_option("1", &options()), Some(0));
        assert_eq!(pick_option("billing please", &options()), Some(0));
        assert_eq!(pick_option("records", &options()), Some(1));
        assert_eq!(pick_option("the fourth", &options()), None);
        assert_eq!(pick_option("option 2", &options()), Some(1));
        assert_eq!(pick_option("the last one", &options()), Some(2));
        assert_eq!(
            pick_option(
                "i was billed twice for my records request last month",
                &options()
            ),
            None
        );
    }

    #[test]
    fn one_as_a_word_and_doubtful_replies_pick_nothing() {
        for text in [
            "I don't know which one",
            "not the first one",
            "no one told me",
            "the fifth one",
            "neither of these",
            "someone please",
            "which one is for my bill",
        ] {
            assert_eq!(pick_option(text, &options()), None, "{text}");
        }
    }

    #[test]
    fn requests_for_action_are_told_from_questions() {
        for text in [
            "Please refill: levothyroxine 75 mcg",
            "pls cancel all my PT sessions after the 20th",
            "can you send my records to my new doctor",
            "book me a follow up in 6 weeks",
            "I need a refill of my lisinopril sent to the pharmacy",
            "I need my doctor to call me back about my medication side effects",
        ] {
            assert!(asks_for_action(text), "{text}");
        }
        for text in [
            "how do i request a refill",
            "where do i park",
            "can i change my pharmacy online",
        ] {
            assert!(!asks_for_action(text), "{text}");
        }
    }

    #[test]
    fn yes_and_no_are_whole_replies() {
        assert!(is_yes("yes please"));
        assert!(is_yes("Yeah!"));
        assert!(!is_yes("yes my bill is wrong"));
        assert!(is_no("no thanks"));
        assert!(!is_no("no one called me back"));
    }

    #[test]
    fn continuations_are_short_and_lean_on_the_last_message() {
        assert!(continues_previous("and my bill too"));
        assert!(continues_previous("what about refills?"));
        assert!(!continues_previous("how do i pay my bill"));
    }
}
