//! Splitting a message into the separate requests it may hold, so "cancel
//! my visit and also why was I charged" can be routed twice.

use std::sync::LazyLock;

use regex::Regex;

/// Sentence ends and the joins patients use between two requests.
static BOUNDARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        [.!?;\n]+\s*(?:(?:and\s+)?(?:also|plus|btw)[,:]?\s+)?
        | \s+(?:and\s+)?also[,:]?\s+
        | \s+plus\s+
        | \s+(?:oh\s+)?and\s+(?:can|could|would|will)\s+(?:you|u|someone|somebody)\s+
        | \s+and\s+(?:i|we)\s+(?:also\s+)?(?:need|want|have|would)\s+
        | \s+and\s+(?:my|the)\s+
        | \s*,?\s*(?:another|one\s+more|other)\s+(?:thing|question)\s*[:,-]?\s*
        | \s+btw\s+
        | \s+as\s+well\s+as\s+
        ",
    )
    .expect("segment boundary pattern is valid")
});

/// A part must have this many words to be routed on its own.
const MIN_WORDS: usize = 3;

/// The message's requests, in order. A single request comes back as one
/// segment; the whole message is never dropped.
pub fn split_requests(text: &str) -> Vec<String> {
    let parts: Vec<String> = BOUNDARY
        .split(text)
        .map(str::trim)
        .filter(|part| part.split_whitespace().count() >= MIN_WORDS)
        .map(str::to_owned)
        .collect();

    if parts.len() < 2 {
        vec![text.trim().to_owned()]
    } else {
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_requests_joined_by_also_are_split() {
        let parts =
            split_requests("cancel my thursday appointment and also why was i charged twice");

        assert_eq!(
            parts,
            vec!["cancel my thursday appointment", "why was i charged twice"]
        );
    }

    #[test]
    fn sentences_are_split_and_fragments_dropped() {
        let parts = split_requests("Hi. I need my records sent. Also my bill is wrong. Thanks!");

        assert_eq!(parts, vec!["I need my records sent", "my bill is wrong"]);
    }

    #[test]
    fn one_request_among_pleasantries_stays_whole() {
        let text = "Hi. I need my records sent to a new doctor. Thanks!";

        assert_eq!(split_requests(text), vec![text]);
    }

    #[test]
    fn a_single_request_stays_whole() {
        let parts = split_requests("refill pls");

        assert_eq!(parts, vec!["refill pls"]);
    }
}
