//! Street addresses with their unit, city and state ("4417 N Lincoln Ave
//! Apt 3B, Chicago, IL"), post office boxes, a city with its state ("in
//! joplin mo"), and the ZIP code after them.

use super::found::Finder;
use super::kind::PhiKind;
use super::tokens::{Case, CaseStyle, Shape, Tokens};

const STREET_TYPES: &[&str] = &[
    "street",
    "st",
    "avenue",
    "ave",
    "av",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "drive",
    "dr",
    "lane",
    "ln",
    "court",
    "ct",
    "way",
    "place",
    "pl",
    "terrace",
    "ter",
    "circle",
    "cir",
    "parkway",
    "pkwy",
    "highway",
    "hwy",
    "trail",
    "trl",
    "square",
    "sq",
    "loop",
    "row",
    "pike",
    "path",
    "walk",
    "alley",
    "plaza",
    "plz",
    "crescent",
    "cres",
    "grove",
    "heights",
    "hts",
    "ridge",
    "crossing",
    "xing",
    "commons",
    "expressway",
    "freeway",
    "turnpike",
    "tpke",
    "mews",
    "bend",
    "cove",
    "glen",
    "hollow",
    "knoll",
    "meadows",
    "pass",
    "pointe",
    "vista",
    "trace",
    "run",
    "close",
    "pkway",
    "blvrd",
    "cswy",
    "causeway",
    "landing",
    "wy",
];

/// Street words that come before the name ("rue de la Paix", "Route 9").
const STREET_PREFIXES: &[&str] = &[
    "rue", "calle", "avenida", "via", "route", "rte", "county", "state", "highway", "hwy",
];

const DIRECTIONS: &[&str] = &[
    "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west",
];

const UNITS: &[&str] = &[
    "apt",
    "apartment",
    "unit",
    "suite",
    "ste",
    "bldg",
    "building",
    "fl",
    "floor",
    "rm",
    "room",
    "lot",
    "trlr",
    "space",
    "spc",
    "dept",
    "po",
    "box",
];

/// Two-letter state and territory codes.
const STATE_CODES: &[&str] = &[
    "al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks",
    "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny",
    "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv",
    "wi", "wy", "dc", "pr", "gu", "vi",
];

/// State codes that are everyday words in lower case.
const WORD_CODES: &[&str] = &[
    "in", "me", "or", "oh", "ok", "hi", "id", "pa", "ma", "de", "co", "al", "ms", "ne", "va",
];

/// States by name; multi-word names by their last word, with the first.
const STATE_NAMES: &[&str] = &[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "wisconsin",
    "wyoming",
];
const TWO_WORD_STATES: &[(&str, &str)] = &[
    ("new", "hampshire"),
    ("new", "jersey"),
    ("new", "mexico"),
    ("new", "york"),
    ("north", "carolina"),
    ("north", "dakota"),
    ("south", "carolina"),
    ("south", "dakota"),
    ("west", "virginia"),
    ("rhode", "island"),
    ("puerto", "rico"),
];

/// Words that end a street or city name.
const STOP: &[&str] = &[
    "and", "or", "the", "to", "for", "in", "at", "on", "from", "please", "my", "is", "was", "but",
    "so", "till", "until", "with", "by", "of", "thanks", "thank", "if", "i", "we", "she", "he",
    "it", "that", "this", "now", "since", "instead", "not", "then", "also", "a", "an", "zip",
];

/// Nouns counted by a number, which a street name never starts with.
const QUANTITIES: &[&str] = &[
    "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day", "days", "week",
    "weeks", "month", "months", "year", "years", "mile", "miles", "block", "blocks", "times",
    "tablets", "pills", "units", "people", "kids", "steps", "floors", "stairs", "ways", "car",
    "cars", "lanes",
];

/// Words before a city that say it is a place ("moved to joplin mo").
const PLACE_CUES: &[&str] = &[
    "in", "to", "from", "at", "near", "outside", "moved", "live", "living",
];

pub fn find(finder: &mut Finder) {
    let mut index = 0;
    while index < finder.tokens.len() {
        let tokens = &finder.tokens;
        let found = street_at(tokens, index)
            .or_else(|| po_box_at(tokens, index))
            .or_else(|| city_state_at(tokens, index));
        let first = unit_before(tokens, index).unwrap_or(index);
        match found {
            Some(last) if finder.all_free(first, last) => {
                finder.add_tokens(first, last, PhiKind::Address, 0.85);
                index = zip_after(finder, last) + 1;
            }
            _ => index += 1,
        }
    }
}

/// "4417 N Lincoln Ave Apt 3B, Chicago, IL": its last token.
fn street_at(tokens: &Tokens, index: usize) -> Option<usize> {
    if !tokens.is_number(index) || tokens.text_of(index).len() > 6 || tokens.glued(index) {
        return None;
    }
    let mut at = index + 1;
    // "12B Elm St", "12-14 Elm St".
    if tokens.glued(at) && tokens.is_word(at) && tokens.text_of(at).len() == 1 {
        at += 1;
    } else if tokens.glued(at) && tokens.is_symbol(at, '-') && tokens.is_number(at + 1) {
        at += 2;
    }
    if tokens.is_word(at) && DIRECTIONS.contains(&tokens.key(at)) && !tokens.glued(at) {
        at += 1;
        if tokens.is_symbol(at, '.') {
            at += 1;
        }
    }

    // "15 minutes drive", "2 blocks way": a count, not a street.
    if tokens.key_is(at, QUANTITIES) {
        return None;
    }
    let prefixed = tokens.key_is(at, STREET_PREFIXES);
    let name_start = at;
    let mut street_end = None;
    for _ in 0..5 {
        let word = tokens.is_word(at) && !tokens.glued(at);
        let ordinal = tokens.is_number(at)
            && tokens.glued(at + 1)
            && tokens.key_is(at + 1, &["st", "nd", "rd", "th"]);
        let route_number = tokens.is_number(at) && at > name_start;
        if ordinal {
            at += 2;
            continue;
        }
        if !(word || route_number) {
            break;
        }
        if word && STOP.contains(&tokens.key(at)) && at > name_start {
            break;
        }
        if word && STREET_TYPES.contains(&tokens.key(at)) && at > name_start {
            // A full stop after it is taken below.
            street_end = Some(at);
            break;
        }
        at += 1;
        if prefixed {
            street_end = Some(at - 1);
        }
    }
    let mut last = street_end?;
    // "Oak Hollow Dr": a street-type word inside the name.
    if tokens.key_is(last + 1, STREET_TYPES) && !tokens.glued(last + 1) {
        last += 1;
    }
    if tokens.is_symbol(last + 1, '.') && tokens.glued(last + 1) {
        last += 1;
    }
    // A direction after the type: "Main St NW".
    if tokens.key_is(last + 1, DIRECTIONS) && tokens.list[last + 1].case != Case::Lower {
        last += 1;
    }

    last = unit_after(tokens, last).unwrap_or(last);
    Some(city_state_after(tokens, last).unwrap_or(last))
}

/// "PO Box 1234", "P.O. Box 12", "RR 2 Box 15".
fn po_box_at(tokens: &Tokens, index: usize) -> Option<usize> {
    let mut at = index;
    match tokens.key(index.min(tokens.len().saturating_sub(1))) {
        "po" => at += 1,
        "p" if tokens.is_symbol(at + 1, '.') && tokens.key_is(at + 2, &["o"]) => {
            at += 3;
            if tokens.is_symbol(at, '.') {
                at += 1;
            }
        }
        "rr" | "hc" if tokens.is_number(index + 1) => at += 2,
        _ => return None,
    }
    if !tokens.is_word(index) || !tokens.key_is(at, &["box"]) || !tokens.is_number(at + 1) {
        return None;
    }
    let last = at + 1;
    Some(city_state_after(tokens, last).unwrap_or(last))
}

/// "Suite 400, " before a street number: the unit word's index.
fn unit_before(tokens: &Tokens, index: usize) -> Option<usize> {
    if !tokens.is_number(index) || index < 3 || !tokens.is_symbol(index - 1, ',') {
        return None;
    }
    let value = index - 2;
    let unit = value - 1;
    (tokens.key_is(unit, UNITS) && alnum_value(tokens, value) == Some(value)).then_some(unit)
}

/// ", Apt 3B", " unit 6", " #210", " Suite 300", " 10th Floor".
fn unit_after(tokens: &Tokens, last: usize) -> Option<usize> {
    let mut at = last + 1;
    if tokens.is_symbol(at, ',') {
        at += 1;
    }
    let ordinal = tokens.is_number(at)
        && tokens.glued(at + 1)
        && tokens.key_is(at + 1, &["st", "nd", "rd", "th"])
        && tokens.key_is(at + 2, &["floor", "fl"]);
    if ordinal {
        return Some(at + 2);
    }
    if tokens.is_symbol(at, '#') {
        return alnum_value(tokens, at + 1);
    }
    if !tokens.key_is(at, UNITS) {
        return None;
    }
    at += 1;
    if tokens.is_symbol(at, '.') || tokens.is_symbol(at, '#') {
        at += 1;
    }
    alnum_value(tokens, at)
}

/// A short unit value: "3B", "210", "C", "4-A".
fn alnum_value(tokens: &Tokens, at: usize) -> Option<usize> {
    let token = tokens.get(at)?;
    let short_word = token.shape == Shape::Word && token.end - token.start <= 2;
    if token.shape != Shape::Number && !short_word {
        return None;
    }
    let mut last = at;
    while tokens.glued(last + 1)
        && (tokens.is_number(last + 1)
            || (tokens.is_word(last + 1) && tokens.text_of(last + 1).len() <= 2)
            || (tokens.is_symbol(last + 1, '-')
                && tokens
                    .get(last + 2)
                    .is_some_and(|t| t.shape != Shape::Symbol)))
    {
        last += 1;
    }
    Some(last)
}

/// ", Chicago, IL", " Decatur GA": the state's token. A city after "in"
/// is found on its own, so that "in" stays readable.
fn city_state_after(tokens: &Tokens, last: usize) -> Option<usize> {
    let mut at = last + 1;
    if tokens.is_symbol(at, ',') {
        at += 1;
    }
    city_then_state(tokens, at, true)
}

/// "in joplin mo", "new orleans la", "Springfield, MO" with no street.
fn city_state_at(tokens: &Tokens, index: usize) -> Option<usize> {
    if !tokens.is_word(index) || tokens.glued(index) {
        return None;
    }
    let place = index > 0 && tokens.cue_before(index, 1, PLACE_CUES);
    let capitalised = tokens.list[index].case == Case::Title && tokens.style == CaseStyle::Mixed;
    if !place && !capitalised {
        return None;
    }
    city_then_state(tokens, index, place)
}

/// One to three city words, an optional comma, then a state.
fn city_then_state(tokens: &Tokens, start: usize, trusted: bool) -> Option<usize> {
    let mut at = start;
    let mut words = 0;
    while words < 3 && tokens.is_word(at) {
        if STOP.contains(&tokens.key(at)) {
            return None;
        }
        words += 1;
        // "St. Louis", "Ft. Worth".
        if tokens.key_is(at, &["st", "ft", "mt"]) && tokens.is_symbol(at + 1, '.') {
            at += 2;
            continue;
        }
        let after = at + 1;
        let comma = tokens.is_symbol(after, ',');
        let state_at = if comma { after + 1 } else { after };
        if let Some(state_last) = state(tokens, state_at, comma, trusted) {
            return Some(state_after_state_name(tokens, state_last).unwrap_or(state_last));
        }
        if comma {
            return None;
        }
        at += 1;
    }
    None
}

/// "washington, dc 20500", "new york, ny": a state name that was the
/// city, then the real state's code; its index.
fn state_after_state_name(tokens: &Tokens, state_last: usize) -> Option<usize> {
    let mut at = state_last + 1;
    let comma = tokens.is_symbol(at, ',');
    if comma {
        at += 1;
    }
    if !tokens.is_word(at) || !STATE_CODES.contains(&tokens.key(at)) {
        return None;
    }
    // A code that is also a word needs its ZIP after it.
    let zip_follows = tokens.is_number(at + 1) && tokens.text_of(at + 1).len() == 5;
    let plain_word = WORD_CODES.contains(&tokens.key(at));
    state(tokens, at, comma, true).filter(|_| zip_follows || !plain_word)
}

/// A state at `at`: a name, or a code that cannot be an everyday word here.
fn state(tokens: &Tokens, at: usize, after_comma: bool, trusted: bool) -> Option<usize> {
    if !tokens.is_word(at) || tokens.glued(at) {
        return None;
    }
    let key = tokens.key(at);
    if let Some(&(_, second)) = TWO_WORD_STATES.iter().find(|(first, _)| *first == key)
        && tokens.key_is(at + 1, &[second])
    {
        return Some(at + 1);
    }
    if STATE_NAMES.contains(&key) {
        return Some(at);
    }
    if !STATE_CODES.contains(&key) {
        return None;
    }
    let token = &tokens.list[at];
    // "ID", "IN", "OR", "OK": label and everyday words in capitals too
    // ("Member ID H611"), so they need the clause to end or a ZIP.
    let written_as_code =
        token.case == Case::Upper && tokens.style != CaseStyle::Upper && !WORD_CODES.contains(&key);
    let ends_clause = tokens.get(at + 1).is_none_or(|next| {
        next.shape == Shape::Number
            || tokens.is_symbol(at + 1, ',')
            || tokens.is_symbol(at + 1, '.')
    }) || tokens.key_is(at + 1, STOP);
    let plain_word = WORD_CODES.contains(&key);
    let ok = written_as_code
        || (after_comma && ends_clause)
        || (trusted && ends_clause && !plain_word)
        || (tokens.is_number(at + 1) && tokens.text_of(at + 1).len() == 5);
    ok.then_some(at)
}

/// A ZIP code right after an address: recorded; returns the last token
/// looked at.
fn zip_after(finder: &mut Finder, last: usize) -> usize {
    let tokens = &finder.tokens;
    let mut at = last + 1;
    if tokens.is_symbol(at, ',') {
        at += 1;
    }
    let glued_alnum = tokens.glued(at + 1) && (tokens.is_word(at + 1) || tokens.is_number(at + 1));
    if !tokens.is_number(at) || tokens.text_of(at).len() != 5 || glued_alnum {
        return last;
    }
    let mut end = at;
    if tokens.is_symbol(at + 1, '-')
        && tokens.glued(at + 1)
        && tokens.is_number(at + 2)
        && tokens.text_of(at + 2).len() == 4
    {
        end = at + 2;
    }
    if finder.all_free(at, end) {
        finder.add_tokens(at, end, PhiKind::Zip, 0.9);
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, PhiKind)> {
        let mut finder = Finder::new(text);
        find(&mut finder);
        finder
            .finish()
            .into_iter()
            .map(|s| (&text[s.start..s.end], s.kind))
            .collect()
    }

    #[test]
    fn addresses_are_found_with_unit_city_state_and_zip() {
        use PhiKind::*;
        assert_eq!(
            found("send to 4417 N Lincoln Ave Apt 3B, Chicago, IL 60625-1043 ok"),
            [
                ("4417 N Lincoln Ave Apt 3B, Chicago, IL", Address),
                ("60625-1043", Zip)
            ]
        );
        assert_eq!(
            found("i moved to 41 juniper ct, unit 6 in joplin mo"),
            [("41 juniper ct, unit 6", Address), ("joplin mo", Address)]
        );
        assert_eq!(
            found("new address is 1450 s 5th st apt 210, louisville ky 40208."),
            [
                ("1450 s 5th st apt 210, louisville ky", Address),
                ("40208", Zip)
            ]
        );
        assert_eq!(
            found("PO Box 1234, Austin, TX"),
            [("PO Box 1234, Austin, TX", Address)]
        );
        assert_eq!(
            found("staying in new orleans la till may"),
            [("new orleans la", Address)]
        );
        assert_eq!(found("the Decatur, GA office"), [("Decatur, GA", Address)]);
        assert_eq!(
            found("send it to 1600 pennsylvania ave nw, washington, dc 20500"),
            [
                ("1600 pennsylvania ave nw, washington, dc", Address),
                ("20500", Zip)
            ]
        );
        assert_eq!(
            found("at 350 5th Ave, New York, NY 10118."),
            [("350 5th Ave, New York, NY", Address), ("10118", Zip)]
        );
    }

    #[test]
    fn rooms_suites_and_counts_are_not_addresses() {
        for text in [
            "room 4112 on the 2nd floor",
            "suite 300 in building C",
            "take 2 tabs in the morning",
            "i have 3 kids in school",
            "it is ok in me or oh",
            "15 minutes drive from here",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
