//! One pass over a message: words, digit runs and single symbols, with
//! their byte offsets, the whitespace before them and, for words, a folded
//! key (lower case, accents and apostrophes removed) for list look-ups.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Letters, with apostrophes between them (`O'Connor`, `don't`).
    Word,
    /// ASCII digits.
    Number,
    /// Any other character that is not whitespace, one per token.
    Symbol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Lower,
    /// `Maria`, `McDonald`, `DeShawn`.
    Title,
    /// Two or more letters, all capitals.
    Upper,
    /// One capital letter (`J` in `Harold J. Whitcombe`).
    Initial,
    /// Anything else (`iPhone`, `eGFR`).
    Mixed,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub shape: Shape,
    /// Whitespace comes before it; false when glued to the previous token.
    pub spaced: bool,
    /// That whitespace holds a line break.
    pub newline: bool,
    pub case: Case,
    /// A word that ended in `'s`, left out of its key.
    pub possessive: bool,
    key: (u32, u32),
}

/// How much capital letters say about names in this message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseStyle {
    /// Ordinary writing: a capitalised word mid-sentence means something.
    Mixed,
    /// No capitals at all.
    Lower,
    /// Mostly capitals.
    Upper,
}

pub struct Tokens<'a> {
    pub text: &'a str,
    pub list: Vec<Token>,
    pub style: CaseStyle,
    keys: String,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut list = Vec::with_capacity(text.len() / 4 + 1);
        let mut keys = String::with_capacity(text.len());
        let (mut lower, mut upper) = (0usize, 0usize);

        let mut chars = text.char_indices().peekable();
        let mut spaced = false;
        let mut newline = false;
        while let Some((start, c)) = chars.next() {
            if c.is_whitespace() {
                spaced = true;
                newline |= c == '\n' || c == '\r';
                continue;
            }

            let mut token = Token {
                start,
                end: start + c.len_utf8(),
                shape: Shape::Symbol,
                spaced: spaced || list.is_empty(),
                newline,
                case: Case::Mixed,
                possessive: false,
                key: (0, 0),
            };
            spaced = false;
            newline = false;

            if c.is_ascii_digit() {
                token.shape = Shape::Number;
                while let Some(&(i, d)) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    token.end = i + 1;
                    chars.next();
                }
            } else if c.is_alphabetic() {
                token.shape = Shape::Word;
                let key_start = keys.len();
                let (mut caps, mut smalls, mut first_cap) = (0usize, 0usize, false);
                let mut count = |c: char, first: bool| {
                    if c.is_uppercase() {
                        caps += 1;
                        first_cap |= first;
                    } else if c.is_lowercase() {
                        smalls += 1;
                    }
                };
                count(c, true);
                fold_into(c, &mut keys);
                while let Some(&(i, d)) = chars.peek() {
                    if d.is_alphabetic() {
                        count(d, false);
                        fold_into(d, &mut keys);
                        token.end = i + d.len_utf8();
                        chars.next();
                        continue;
                    }
                    // An apostrophe joins letters on both sides.
                    let joins = matches!(d, '\'' | '\u{2019}')
                        && text[i + d.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphabetic);
                    if !joins {
                        break;
                    }
                    chars.next();
                    token.end = i + d.len_utf8();
                }
                lower += smalls;
                upper += caps;
                let word = &text[token.start..token.end];
                if word.len() > 2 && (word.ends_with("'s") || word.ends_with("\u{2019}s")) {
                    token.possessive = true;
                    keys.pop();
                }
                token.key = (key_start as u32, keys.len() as u32);
                token.case = match (caps, smalls, first_cap) {
                    (0, _, _) => Case::Lower,
                    (1, 0, _) => Case::Initial,
                    (_, 0, _) => Case::Upper,
                    (_, _, true) if caps <= 2 || caps * 3 <= smalls => Case::Title,
                    _ => Case::Mixed,
                };
            }
            list.push(token);
        }

        let style = if upper == 0 {
            CaseStyle::Lower
        } else if upper * 10 >= (upper + lower) * 6 {
            CaseStyle::Upper
        } else {
            CaseStyle::Mixed
        };
        Self {
            text,
            list,
            style,
            keys,
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Token> {
        self.list.get(index)
    }

    /// The token's text as written.
    pub fn text_of(&self, index: usize) -> &'a str {
        let token = &self.list[index];
        &self.text[token.start..token.end]
    }

    /// A word's folded key; empty for digits and symbols.
    pub fn key(&self, index: usize) -> &str {
        let (start, end) = self.list[index].key;
        &self.keys[start as usize..end as usize]
    }

    pub fn is_word(&self, index: usize) -> bool {
        self.list.get(index).is_some_and(|t| t.shape == Shape::Word)
    }

    pub fn is_number(&self, index: usize) -> bool {
        self.list
            .get(index)
            .is_some_and(|t| t.shape == Shape::Number)
    }

    /// The token is this symbol character.
    pub fn is_symbol(&self, index: usize, symbol: char) -> bool {
        self.list
            .get(index)
            .is_some_and(|t| t.shape == Shape::Symbol && self.text[t.start..].starts_with(symbol))
    }

    /// The word's key is one of `keys`.
    pub fn key_is(&self, index: usize, keys: &[&str]) -> bool {
        self.is_word(index) && keys.contains(&self.key(index))
    }

    /// Glued to the token before it (no whitespace between).
    pub fn glued(&self, index: usize) -> bool {
        index > 0 && self.list.get(index).is_some_and(|t| !t.spaced)
    }

    /// The byte range from the start of `first` to the end of `last`.
    pub fn range(&self, first: usize, last: usize) -> Range<usize> {
        self.list[first].start..self.list[last].end
    }

    /// Where a sentence starts: the first token, or after `.`, `!`, `?`,
    /// `:` or a line break.
    pub fn starts_sentence(&self, index: usize) -> bool {
        if index == 0 || self.list[index].newline {
            return true;
        }
        let before = &self.list[index - 1];
        before.shape == Shape::Symbol
            && matches!(
                self.text[before.start..].chars().next(),
                Some('.' | '!' | '?' | ':' | ';' | '"' | '(' | '-' | '*')
            )
    }

    /// One of `keys` among the `window` words before `index` (symbols and
    /// numbers are skipped and not counted).
    pub fn cue_before(&self, index: usize, window: usize, keys: &[&str]) -> bool {
        let mut seen = 0;
        let mut at = index.min(self.list.len());
        while at > 0 && seen < window {
            at -= 1;
            if self.list[at].shape == Shape::Word {
                seen += 1;
                if keys.contains(&self.key(at)) {
                    return true;
                }
            }
        }
        false
    }

    /// The digits of a number token, as a value (saturating).
    pub fn value(&self, index: usize) -> u64 {
        self.text_of(index).bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10)
                .saturating_add(u64::from(b.wrapping_sub(b'0')))
        })
    }
}

/// Lower case, accents folded to ASCII where a Latin letter has one.
pub(crate) fn fold_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let folded = match c {
        'à'..='å' | 'À'..='Å' | 'ā' | 'Ā' | 'ă' | 'ą' => 'a',
        'ç' | 'Ç' | 'ć' | 'č' | 'Č' | 'Ć' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'ı' | 'İ' => 'i',
        'ł' | 'Ł' | 'ľ' => 'l',
        'ñ' | 'Ñ' | 'ń' | 'ň' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'Š' | 'ş' | 'ß' => 's',
        'ť' | 'ţ' => 't',
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ź' | 'ż' | 'ž' | 'Ž' | 'Ź' | 'Ż' => 'z',
        other => {
            out.extend(other.to_lowercase());
            return;
        }
    };
    out.push(folded);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_and_symbols_keep_their_offsets() {
        let tokens = Tokens::new("Dr. O'Connor's cell:555-0143");

        let texts: Vec<&str> = (0..tokens.len()).map(|i| tokens.text_of(i)).collect();
        assert_eq!(
            texts,
            ["Dr", ".", "O'Connor's", "cell", ":", "555", "-", "0143"]
        );
        assert_eq!(tokens.key(2), "oconnor");
        assert!(tokens.list[2].possessive);
        assert!(tokens.glued(4) && !tokens.glued(3));
        assert_eq!(tokens.value(7), 143);
    }

    #[test]
    fn accents_fold_and_case_is_read() {
        let tokens = Tokens::new("María JOSÉ de la Cruz J.");

        assert_eq!(tokens.key(0), "maria");
        assert_eq!(tokens.key(1), "jose");
        assert_eq!(tokens.list[0].case, Case::Title);
        assert_eq!(tokens.list[1].case, Case::Upper);
        assert_eq!(tokens.list[2].case, Case::Lower);
        assert_eq!(tokens.list[5].case, Case::Initial);
        assert_eq!(tokens.style, CaseStyle::Mixed);
        assert_eq!(Tokens::new("MY NAME IS ANA").style, CaseStyle::Upper);
        assert_eq!(Tokens::new("my name is ana").style, CaseStyle::Lower);
    }
}
