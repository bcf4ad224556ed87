//! Digit runs: numbers joined by the separators people type inside phone,
//! card, social security and date numbers ("(555) 310-9921", "4111 1111
//! 1111 1111", "07/22/1979").

use super::tokens::Tokens;

/// Most digit groups a run holds (a card in groups of one is not typed).
pub const MAX_GROUPS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sep {
    Space,
    Dash,
    Dot,
    Slash,
    /// `)` with or without a space or a dash after it: `(555) 310`,
    /// `(555)310`, `(555)-310`.
    Paren,
    /// A dash with a space on either side: `555 - 0143`; read only as a
    /// phone number.
    SpacedDash,
    /// A slash with a space on either side: `10 / 8 / 24`; read only as a
    /// date.
    SpacedSlash,
}

#[derive(Debug, Clone, Copy)]
pub struct Group {
    pub token: usize,
    pub len: usize,
    pub value: u64,
}

#[derive(Debug, Clone)]
pub struct Run {
    pub groups: Vec<Group>,
    /// `seps[i]` sits between `groups[i]` and `groups[i + 1]`.
    pub seps: Vec<Sep>,
    /// A `+` or `(` glued before the first group.
    pub plus: bool,
    pub paren: bool,
}

impl Run {
    /// The run at token `first` (a number), as long as it goes.
    pub fn at(tokens: &Tokens, first: usize) -> Run {
        let group = |index: usize| Group {
            token: index,
            len: tokens.text_of(index).len(),
            value: tokens.value(index),
        };
        let mut run = Run {
            groups: vec![group(first)],
            seps: Vec::new(),
            plus: first > 0 && tokens.is_symbol(first - 1, '+') && tokens.glued(first),
            paren: first > 0 && tokens.is_symbol(first - 1, '(') && tokens.glued(first),
        };

        let mut last = first;
        while run.groups.len() < MAX_GROUPS {
            let Some((sep, next)) = separator_after(tokens, last) else {
                break;
            };
            run.seps.push(sep);
            run.groups.push(group(next));
            last = next;
        }
        run
    }

    pub fn digits(&self, from: usize, to: usize) -> usize {
        self.groups[from..=to].iter().map(|g| g.len).sum()
    }

    pub fn lens(&self, from: usize, to: usize) -> Vec<usize> {
        self.groups[from..=to].iter().map(|g| g.len).collect()
    }

    /// Every separator between `from` and `to` is one of `allowed`, and
    /// they are all the same.
    pub fn uniform(&self, from: usize, to: usize, allowed: &[Sep]) -> bool {
        let seps = &self.seps[from..to];
        seps.first()
            .is_none_or(|first| allowed.contains(first) && seps.iter().all(|s| s == first))
    }

    pub fn seps_in(&self, from: usize, to: usize, allowed: &[Sep]) -> bool {
        self.seps[from..to].iter().all(|s| allowed.contains(s))
    }

    /// The digits of groups `from..=to` as one string.
    pub fn digit_string(&self, tokens: &Tokens, from: usize, to: usize) -> String {
        self.groups[from..=to]
            .iter()
            .map(|g| tokens.text_of(g.token))
            .collect()
    }
}

/// The separator after number token `index` and the next number's index.
fn separator_after(tokens: &Tokens, index: usize) -> Option<(Sep, usize)> {
    let next = index + 1;
    if tokens.is_number(next) {
        // Two numbers with only a space between: "555 310 9921".
        return (!tokens.glued(next)).then_some((Sep::Space, next));
    }
    if next >= tokens.len() || tokens.get(next).is_some_and(|t| t.newline) {
        return None;
    }
    let sep = match tokens.text_of(next) {
        "-" | "\u{2013}" => Sep::Dash,
        "." => Sep::Dot,
        "/" => Sep::Slash,
        ")" => Sep::Paren,
        _ => return None,
    };
    let mut number = next + 1;
    // "(847)-555-0166": a dash after the bracket.
    if sep == Sep::Paren
        && (tokens.is_symbol(number, '-') || tokens.is_symbol(number, '\u{2013}'))
        && tokens.glued(number)
    {
        number += 1;
    }
    if !tokens.is_number(number) || tokens.list[number].newline {
        return None;
    }
    let tight = tokens.glued(next) && tokens.glued(number);
    match sep {
        Sep::Paren if tokens.glued(next) => Some((sep, number)),
        _ if tight => Some((sep, number)),
        // "555 - 0143", "10 / 8 / 24": spaced, kept apart from the tight
        // separators so only phones and dates read them.
        Sep::Dash => Some((Sep::SpacedDash, number)),
        Sep::Slash if !tokens.glued(next) && !tokens.glued(number) => {
            Some((Sep::SpacedSlash, number))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_follow_the_separators_people_type() {
        let tokens = Tokens::new("(555) 310-9921 and 07/22/1979, 4111 1111");

        let phone = Run::at(&tokens, 1);
        assert!(phone.paren);
        assert_eq!(phone.lens(0, 2), [3, 3, 4]);
        assert_eq!(phone.seps, [Sep::Paren, Sep::Dash]);

        let date = Run::at(&tokens, 7);
        assert_eq!(date.lens(0, 2), [2, 2, 4]);
        assert!(date.uniform(0, 2, &[Sep::Slash]));

        // The comma ends the date; the card digits start their own run.
        let card = Run::at(&tokens, 13);
        assert_eq!(card.lens(0, 1), [4, 4]);
    }

    #[test]
    fn spaced_dashes_and_slashes_and_a_dash_after_a_bracket_join() {
        let tokens = Tokens::new("(312) 555 - 0143 and (847)-555-0166 on 10 / 8 / 24");
        let spaced = Run::at(&tokens, 1);
        assert_eq!(spaced.lens(0, 2), [3, 3, 4]);
        assert_eq!(spaced.seps, [Sep::Paren, Sep::SpacedDash]);

        let dashed = Run::at(&tokens, 8);
        assert_eq!(dashed.lens(0, 2), [3, 3, 4]);
        assert_eq!(dashed.seps, [Sep::Paren, Sep::Dash]);

        let date = Run::at(&tokens, 15);
        assert_eq!(date.seps, [Sep::SpacedSlash, Sep::SpacedSlash]);
    }
}
