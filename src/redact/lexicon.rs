//! The name and word lists of `models/names/`, embedded in the binary and
//! indexed once per process.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

static FIRST: &str = include_str!("../../models/names/first.txt");
static LAST: &str = include_str!("../../models/names/last.txt");
static WORDS: &str = include_str!("../../models/names/words.txt");

/// First names given to fewer babies than this rank are too rare to count
/// as a name on the list alone; they still count after a cue ("my son").
const COMMON_FIRST: u32 = 12_000;
/// The same for surnames.
const COMMON_LAST: u32 = 40_000;

pub struct Lexicon {
    /// Key to rank (0 is the most common).
    first: FxHashMap<&'static str, u32>,
    last: FxHashMap<&'static str, u32>,
    words: FxHashSet<&'static str>,
}

impl Lexicon {
    pub fn get() -> &'static Lexicon {
        static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);
        &LEXICON
    }

    fn load() -> Self {
        let ranked = |text: &'static str| {
            text.lines()
                .enumerate()
                .map(|(rank, name)| (name, rank as u32))
                .collect::<FxHashMap<_, _>>()
        };
        Self {
            first: ranked(FIRST),
            last: ranked(LAST),
            words: WORDS.lines().collect(),
        }
    }

    /// On the first-name list at all (rare ones included).
    pub fn is_first(&self, key: &str) -> bool {
        self.first.contains_key(key)
    }

    /// On the surname list at all.
    pub fn is_last(&self, key: &str) -> bool {
        self.last.contains_key(key)
    }

    /// A first name common enough to count without a cue.
    pub fn is_common_first(&self, key: &str) -> bool {
        self.first.get(key).is_some_and(|&rank| rank < COMMON_FIRST)
    }

    /// A surname common enough to count without a cue.
    pub fn is_common_last(&self, key: &str) -> bool {
        self.last.get(key).is_some_and(|&rank| rank < COMMON_LAST)
    }

    /// Reads as a family name more than as a given name: on no list, or
    /// ranked higher among surnames than among given names ("smith",
    /// "brzezinski"; not "kevin").
    pub fn reads_as_surname(&self, key: &str) -> bool {
        match (self.first.get(key), self.last.get(key)) {
            (None, _) => true,
            (Some(first), Some(last)) => last < first,
            (Some(_), None) => false,
        }
    }

    /// An everyday English word ("will", "hope", "brown", "pain").
    pub fn is_word(&self, key: &str) -> bool {
        self.words.contains(key) || self.words.contains(singular(key))
    }

    /// On a name list and not an everyday word: a name whatever its case.
    pub fn is_clear_name(&self, key: &str) -> bool {
        key.len() > 1
            && (self.is_common_first(key) || self.is_common_last(key))
            && !self.is_word(key)
    }
}

/// Fixed lists of keys as one hashed set: the recognisers look words up
/// in lists of hundreds of entries for every token.
pub fn word_set(lists: &[&[&'static str]]) -> FxHashSet<&'static str> {
    lists.iter().flat_map(|list| list.iter().copied()).collect()
}

/// "pills" is looked up as "pill"; the list holds few plurals.
fn singular(key: &str) -> &str {
    key.strip_suffix('s').filter(|s| s.len() > 2).unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_everyday_words_are_told_apart() {
        let lexicon = Lexicon::get();

        for name in ["makayla", "nguyen", "oconnor", "deshawn", "nevaeh"] {
            assert!(lexicon.is_clear_name(name), "{name}");
        }
        for word in ["will", "hope", "bill", "pain", "refill", "tablets", "the"] {
            assert!(!lexicon.is_clear_name(word), "{word}");
        }
        assert!(lexicon.is_first("grace") && lexicon.is_word("grace"));
        // "maria" is also the plural of "mare": a name only with a cue.
        assert!(lexicon.is_common_first("maria") && !lexicon.is_clear_name("maria"));
        assert!(lexicon.reads_as_surname("smith") && lexicon.reads_as_surname("brzezinski"));
        assert!(!lexicon.reads_as_surname("kevin") && !lexicon.reads_as_surname("maria"));
    }
}
