//! Person names: after a cue ("my son", "this is", "Dr.", "thanks,"), on a
//! signature line, or on the name lists in any case when the word is not
//! also an everyday word. A name found grows over the initials, surnames,
//! hyphenated parts and particles around it ("Harold J. Whitcombe",
//! "Maya Thompson-Okoro", "Rosa de la Cruz").

use super::found::Finder;
use super::kind::PhiKind;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::lexicon::{Lexicon, word_set};
use super::tokens::{Case, CaseStyle, Shape, Tokens};

/// A person's relation to the writer, just before their name.
const RELATIONS: &[&str] = &[
    "son",
    "daughter",
    "husband",
    "wife",
    "mom",
    "mother",
    "mum",
    "dad",
    "father",
    "brother",
    "sister",
    "child",
    "kid",
    "baby",
    "grandson",
    "granddaughter",
    "grandma",
    "grandmother",
    "grandpa",
    "grandfather",
    "aunt",
    "uncle",
    "niece",
    "nephew",
    "cousin",
    "partner",
    "boyfriend",
    "girlfriend",
    "fiance",
    "fiancee",
    "friend",
    "neighbor",
    "neighbour",
    "caseworker",
    "caregiver",
    "stepson",
    "stepdaughter",
    "stepmom",
    "stepdad",
    "toddler",
    "infant",
    "newborn",
    "teen",
    "client",
    "spouse",
    "roommate",
    "coworker",
    "boss",
    "grandchild",
    "granny",
    "nana",
    "papa",
    "twin",
    "twins",
    "nurse",
    "doctor",
    "therapist",
    "dentist",
    "surgeon",
    "pcp",
    "provider",
    "physician",
    "counselor",
    "midwife",
    "members",
    "member",
    "patient",
    "pt",
    "named",
    "called",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "rev",
    "pastor",
    "np",
    "rn",
    "attn",
    "attention",
    "girl",
    "boy",
    "tell",
    "ask",
    "sgt",
    "ssgt",
    "cpl",
    "pvt",
    "lt",
    "capt",
    "maj",
    "col",
    "officer",
    "deputy",
    "soy",
    "hijo",
    "hija",
    "esposo",
    "esposa",
    "coach",
    "supervisor",
    "manager",
    "teacher",
    "aide",
    "tech",
    "pharmacist",
    "sponsor",
    "landlord",
    "attorney",
    "lawyer",
    "employer",
    "reverend",
];

/// Titles: what follows is a name even when it is an everyday word
/// ("Dr. May", "Mr. Young").
const TITLES: &[&str] = &["dr", "mr", "mrs", "ms", "miss", "mx", "prof", "doctor"];

/// Words that end a cue phrase and come just before a name.
const INTRODUCTIONS: &[&[&str]] = &[
    &["name", "is"],
    &["name", "was"],
    &["name", "s"],
    &["names", "are"],
    &["this", "is"],
    &["it", "is"],
    &["its"],
    &["it"],
    &["talked", "to"],
    &["talk", "to"],
    &["spoke", "to"],
    &["spoke", "with"],
    &["speak", "to"],
    &["speak", "with"],
    &["ask", "for"],
    &["asked", "for"],
    &["thank"],
    &["i", "am"],
    &["im"],
    &["thanks"],
    &["thank", "you"],
    &["thx"],
    &["regards"],
    &["sincerely"],
    &["cheers"],
    &["best"],
    &["from"],
    &["hi"],
    &["hello"],
    &["hey"],
    &["dear"],
    &["signed"],
    &["love"],
];

/// Labels followed by a colon ("Name: KAYLA BROOKS", "Patient: ...").
const FIELD_LABELS: &[&str] = &[
    "name",
    "patient",
    "member",
    "from",
    "to",
    "subscriber",
    "insured",
    "guarantor",
    "pcp",
    "provider",
    "doctor",
    "physician",
    "contact",
    "parent",
    "guardian",
    "signed",
    "cc",
];

/// After a name: "Jr.", "III".
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Particles inside a family name ("de la Cruz", "van der Berg").
const PARTICLES: &[&str] = &[
    "de", "del", "la", "le", "van", "von", "der", "den", "da", "di", "dos", "das", "bin", "ibn",
    "al", "el", "st", "mac", "ter",
];

/// Words that are never a name here, whatever the lists say: function
/// words, chat shorthand, and everyday words that are also common names.
const NEVER: &[&str] = &[
    "i",
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "if",
    "my",
    "me",
    "we",
    "us",
    "you",
    "your",
    "he",
    "she",
    "him",
    "her",
    "his",
    "hers",
    "they",
    "them",
    "their",
    "it",
    "its",
    "is",
    "am",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "not",
    "no",
    "yes",
    "ok",
    "okay",
    "to",
    "of",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "about",
    "as",
    "so",
    "too",
    "also",
    "just",
    "still",
    "here",
    "there",
    "this",
    "that",
    "these",
    "those",
    "what",
    "when",
    "where",
    "who",
    "why",
    "how",
    "which",
    "please",
    "pls",
    "plz",
    "thanks",
    "thank",
    "thx",
    "ty",
    "hi",
    "hello",
    "hey",
    "dear",
    "dr",
    "mr",
    "mrs",
    "ms",
    "im",
    "ive",
    "id",
    "ill",
    "dont",
    "cant",
    "wont",
    "didnt",
    "doesnt",
    "isnt",
    "wasnt",
    "hes",
    "shes",
    "theyre",
    "lol",
    "omg",
    "btw",
    "asap",
    "appt",
    "re",
    "fwd",
    "rx",
    "er",
    "icu",
    "mri",
    "ct",
    "ent",
    "ob",
    "gyn",
    "obgyn",
    "pcp",
    "np",
    "pa",
    "rn",
    "md",
    "dob",
    "mrn",
    "ssn",
    "id",
    "pt",
    "urgent",
    "care",
    "clinic",
    "hospital",
    "portal",
    "mychart",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "tomorrow",
    "yesterday",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "week",
    "month",
    "year",
    "god",
    "jesus",
    "lord",
    "mom",
    "dad",
    "son",
    "daughter",
    "baby",
    "medicare",
    "medicaid",
    "aetna",
    "cigna",
    "humana",
    "kaiser",
    "walgreens",
    "cvs",
    "costco",
    "kroger",
    "amazon",
    "google",
    "zoom",
    "iphone",
    "android",
    "covid",
    "flu",
    "tylenol",
    "advil",
    "motrin",
    "aleve",
    "allegra",
    "claritin",
    "zyrtec",
    "ella",
    "lyrica",
    "paxil",
    "ambien",
    "xanax",
    "valium",
    "norco",
    "percocet",
    "keppra",
    "lexapro",
    "prozac",
    "zoloft",
    "celexa",
    "abilify",
    "seroquel",
    "lantus",
    "humalog",
    "ozempic",
    "mounjaro",
    "jardiance",
    "eliquis",
    "xarelto",
    "coumadin",
    "plavix",
    "lasix",
    "otc",
    "pm",
    "am",
    "est",
    "pst",
    "cst",
    "usa",
    "us",
    "uk",
    "careline",
    "va",
    "hr",
    "said",
    "says",
    "told",
    "tells",
    "asked",
    "wants",
    "thinks",
    "blue",
    "cross",
    "shield",
    "humana",
    "anthem",
    "united",
    "healthcare",
    "molina",
    "ambetter",
    "tricare",
    "wellcare",
    "highmark",
    "regence",
    "premera",
    "gold",
    "plus",
    "hmo",
    "ppo",
    "epo",
    "copay",
    "tier",
    "sgt",
    "ssgt",
    "cpl",
    "pvt",
    "lt",
    "capt",
    "maj",
    "col",
    "esq",
    "pastor",
    "coach",
    "nurse",
    "doctor",
    "reverend",
    "del",
    "cpt",
    "icd",
    "ng",
    "mcg",
    "mg",
    "ml",
    "dl",
    "iu",
    "meq",
    "mmol",
    "units",
    // Diseases and signs named after people.
    "hashimoto",
    "parkinson",
    "parkinsons",
    "crohn",
    "crohns",
    "graves",
    "alzheimer",
    "alzheimers",
    "addison",
    "addisons",
    "cushing",
    "cushings",
    "raynaud",
    "raynauds",
    "sjogren",
    "sjogrens",
    "huntington",
    "huntingtons",
    "hodgkin",
    "hodgkins",
    "tourette",
    "tourettes",
    "asperger",
    "aspergers",
    "meniere",
    "menieres",
    "kawasaki",
    "guillain",
    "barre",
    "lyme",
    "osgood",
    "schlatter",
    "epstein",
    "barr",
    "bells",
    "wilson",
    "wilsons",
    "apgar",
    "heimlich",
    "pap",
    "holter",
    "foley",
    "baker",
    "bakers",
    // Spanish function words and common chat words.
    "el",
    "la",
    "los",
    "las",
    "un",
    "una",
    "para",
    "por",
    "con",
    "que",
    "mi",
    "su",
    "es",
    "soy",
    "tengo",
    "tiene",
    "hasta",
    "hola",
    "gracias",
    "cita",
    "puedo",
    "necesito",
    "hijo",
    "hija",
    "esposo",
    "esposa",
    "mama",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "domingo",
    "tarde",
    "manana",
    "doctora",
    "en",
    "estoy",
    "numero",
    "señor",
    "senor",
    "senora",
];

/// Places and months: names too ("June", "Georgia", "Austin"), but only
/// taken as one after a cue.
const PLACES_AND_MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "america",
    "france",
    "germany",
    "mexico",
    "canada",
    "nigeria",
    "ghana",
    "kenya",
    "india",
    "china",
    "japan",
    "korea",
    "vietnam",
    "philippines",
    "brazil",
    "colombia",
    "peru",
    "chile",
    "argentina",
    "cuba",
    "haiti",
    "jamaica",
    "ireland",
    "england",
    "scotland",
    "wales",
    "italy",
    "spain",
    "portugal",
    "poland",
    "russia",
    "ukraine",
    "israel",
    "egypt",
    "ethiopia",
    "somalia",
    "pakistan",
    "iran",
    "iraq",
    "syria",
    "turkey",
    "greece",
    "australia",
    "europe",
    "asia",
    "africa",
    "georgia",
    "virginia",
    "carolina",
    "dakota",
    "florida",
    "texas",
    "arizona",
    "nevada",
    "montana",
    "indiana",
    "kansas",
    "tennessee",
    "kentucky",
    "alabama",
    "louisiana",
    "orleans",
    "austin",
    "dallas",
    "houston",
    "denver",
    "phoenix",
    "boston",
    "chicago",
    "atlanta",
    "miami",
    "tampa",
    "orlando",
    "charlotte",
    "raleigh",
    "memphis",
    "nashville",
    "jackson",
    "madison",
    "lincoln",
    "columbus",
    "cleveland",
    "detroit",
    "seattle",
    "portland",
    "vegas",
    "angeles",
    "francisco",
    "diego",
    "jose",
    "mercy",
    "providence",
    "trinity",
    "christus",
    "baptist",
    "methodist",
    "presbyterian",
    "adventist",
    "sinai",
    "hopkins",
    "mayo",
    "kaiser",
    "permanente",
    "cedars",
    "vanderbilt",
    "emory",
    "duke",
    "stanford",
    "yale",
    "harvard",
    "west",
    "east",
    "north",
    "south",
];

/// Title abbreviations after which a lower-case surname is still a name
/// in ordinary writing ("I saw dr. smith").
const TITLE_ABBREVIATIONS: &[&str] = &["dr", "mr", "mrs", "ms", "mx", "prof"];

/// Everyday words on the surname list that follow a title in lower case
/// without being a name ("have the dr call me", "dr just said").
const AFTER_TITLE_WORDS: &[&str] = &[
    "call",
    "calls",
    "see",
    "sees",
    "just",
    "still",
    "even",
    "last",
    "next",
    "gave",
    "takes",
    "took",
    "put",
    "home",
    "house",
    "office",
    "visit",
    "note",
    "notes",
    "orders",
    "good",
    "fine",
    "hope",
    "quick",
    "best",
    "well",
    "then",
    "right",
    "only",
    "again",
    "back",
    "first",
    "said",
    "says",
    "told",
    "wants",
    "needs",
    "thinks",
    "wrote",
    "sent",
    "ordered",
    "mentioned",
];

/// Words that open a sentence and end in a comma before a name ("Good,
/// Kevin"), though also on the surname list: not "Smith, Kevin".
const OPENERS: &[&str] = &[
    "morning", "well", "right", "hey", "ok", "okay", "dear", "good", "fine", "cool", "nice",
    "perfect", "so", "then", "quick", "hope", "yeah", "gentle", "love", "best", "cheers", "honey",
    "babe", "friend", "sweet", "welcome", "great", "sorry", "sure", "yes", "also", "now", "again",
    "anyway", "thanks", "hello", "hi", "update", "question", "note", "wait", "please", "sir",
];

/// Words after which a capitalised word is more often a place.
const PLACE_BEFORE: &[&str] = &[
    "in", "at", "to", "from", "near", "visiting", "until", "since", "till",
];

pub fn find(finder: &mut Finder) {
    let lexicon = Lexicon::get();
    let mut index = 0;
    while index < finder.tokens.len() {
        match name_at(&finder.tokens, lexicon, index) {
            Some((confidence, last)) if finder.all_free(index, last) => {
                let first = grow_left(&finder.tokens, lexicon, index, finder);
                record(finder, first, last, confidence);
                index = after_name(finder, lexicon, last);
            }
            _ => index += 1,
        }
    }
    signature(finder, lexicon);
}

/// What follows a name: "and Aiko" (another name), ", 90" or "(99!)" (an
/// age over 89). Returns where to go on reading.
fn after_name(finder: &mut Finder, lexicon: &Lexicon, last: usize) -> usize {
    let tokens = &finder.tokens;
    let next = last + 1;

    if tokens.key_is(next, &["and", "or"]) || tokens.is_symbol(next, '&') {
        let other = next + 1;
        let case_fits = tokens.list.get(other).is_some_and(|t| match tokens.style {
            CaseStyle::Mixed => matches!(t.case, Case::Title | Case::Upper),
            _ => true,
        });
        if tokens.is_word(other)
            && case_fits
            && !never(tokens, other)
            && lexicon.is_first(tokens.key(other))
            && finder.all_free(other, other)
        {
            let end = grow_right(tokens, lexicon, other);
            if finder.all_free(other, end) {
                record(finder, other, end, 0.8);
                return end + 1;
            }
        }
    }

    if tokens.is_symbol(next, ',') || tokens.is_symbol(next, '(') {
        let age = next + 1;
        let value = tokens.is_number(age).then(|| tokens.value(age));
        let alone =
            !tokens.glued(age + 1) || !tokens.is_number(age + 1) && !tokens.is_word(age + 1);
        if value.is_some_and(|v| (90..=125).contains(&v))
            && tokens.text_of(age).len() <= 3
            && alone
            && !tokens.is_symbol(age + 1, '/')
            && finder.all_free(age, age)
        {
            finder.add_tokens(age, age, PhiKind::Age, 0.8);
            return age + 1;
        }
    }
    next
}

/// A name starting at `index`: how sure, and its last token.
fn name_at(tokens: &Tokens, lexicon: &Lexicon, index: usize) -> Option<(f32, usize)> {
    if !tokens.is_word(index) {
        return None;
    }
    let key = tokens.key(index);
    let case = tokens.list[index].case;
    // "Dr. May", "Mr. Young": after a title, a capitalised word is a name.
    if after_title(tokens, index)
        && matches!(case, Case::Title | Case::Upper)
        && key.len() > 1
        && !tokens.key_is(index, TITLES)
        && !is_relation(tokens, index)
    {
        return Some((0.95, grow_right(tokens, lexicon, index)));
    }
    // "this is mrs okonkwo, I need", "I saw dr. smith today": a lower-case
    // surname after a title abbreviation in ordinary writing.
    if tokens.style == CaseStyle::Mixed
        && case == Case::Lower
        && after_title_abbreviation(tokens, index)
        && key.len() > 1
        && !never(tokens, index)
        && !tokens.key_is(index, AFTER_TITLE_WORDS)
        && (!lexicon.is_word(key) || lexicon.is_common_last(key))
    {
        return Some((0.8, grow_right(tokens, lexicon, index)));
    }
    // "R. Castillo", "L. Tran": an initial, its full stop, a surname.
    if case == Case::Initial
        && tokens.is_symbol(index + 1, '.')
        && tokens.glued(index + 1)
        && is_part_after_initial(tokens, lexicon, index + 2)
        && (lexicon.is_last(tokens.key(index + 2)) || cue_before(tokens, index).is_some())
    {
        return Some((0.8, grow_right(tokens, lexicon, index + 2)));
    }
    // "my husband Will": a capitalised name that is also a common word.
    let relation_before = index > 0 && is_relation(tokens, index - 1);
    if relation_before
        && case == Case::Title
        && tokens.style == CaseStyle::Mixed
        && lexicon.is_common_first(key)
        && !tokens.key_is(index, TITLES)
    {
        return Some((0.85, grow_right(tokens, lexicon, index)));
    }
    if never(tokens, index) {
        return None;
    }
    let shouted = tokens.style == CaseStyle::Upper;
    let capitalised = matches!(case, Case::Title | Case::Upper) && !shouted;
    let on_list = lexicon.is_first(key) || lexicon.is_last(key);
    let everyday = lexicon.is_word(key);

    let confidence = match cue_before(tokens, index) {
        Some(Cue::Strong) if on_list && (!everyday || capitalised) => 0.95,
        // "my dad earl": an everyday word, but a common name after a relation.
        Some(Cue::Strong)
            if tokens.style != CaseStyle::Mixed
                && lexicon.is_common_first(key)
                && case != Case::Initial =>
        {
            0.85
        }
        Some(Cue::Strong) if capitalised && !everyday => 0.9,
        Some(Cue::Strong) if !everyday && key.len() > 2 && tokens.style != CaseStyle::Mixed => 0.8,
        Some(Cue::Weak) if on_list && !everyday => 0.9,
        Some(Cue::Weak) if capitalised && (on_list || !everyday) => 0.85,
        _ if here_follows(tokens, index)
            && (on_list || capitalised)
            && (!everyday || capitalised || lexicon.is_common_first(key)) =>
        {
            0.85
        }
        // No cue: the lists alone, where a place is unlikely.
        _ if PLACE_SET.contains(key) || place_before(tokens, index) => return None,
        // Capitals in ordinary writing are often acronyms ("CPT", "BI"):
        // only common names count.
        _ if lexicon.is_clear_name(key) => 0.75,
        _ if case == Case::Upper && !shouted => return None,
        _ if capitalised && on_list && !everyday && !tokens.starts_sentence(index) => 0.7,
        // An everyday word that is a name, followed by a surname ("Grace Kim").
        _ if capitalised && lexicon.is_first(key) && surname_follows(tokens, lexicon, index) => 0.7,
        _ => return None,
    };
    Some((confidence, grow_right(tokens, lexicon, index)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// "my son", "Dr.", "my name is", "Name:": what follows is a name.
    Strong,
    /// "this is", "thanks,", "hi": a name often follows.
    Weak,
}

fn cue_before(tokens: &Tokens, index: usize) -> Option<Cue> {
    // Punctuation between the cue and the name: "Dr.", "Name:", "thanks,".
    let mut at = index;
    let mut colon = false;
    while at > 0 && tokens.list[at - 1].shape == Shape::Symbol {
        at -= 1;
        colon |= tokens.is_symbol(at, ':');
        if index - at > 2 {
            return None;
        }
    }
    if at == 0 {
        return None;
    }
    let word = at - 1;
    if !tokens.is_word(word) {
        return None;
    }

    if colon && tokens.key_is(word, FIELD_LABELS) {
        return Some(Cue::Strong);
    }
    // "name's Dana"
    if tokens.key_is(word, &["name"]) && tokens.list[word].possessive {
        return Some(Cue::Strong);
    }
    // "my son Ezra", not "my baby's bilirubin".
    if is_relation(tokens, word) && !tokens.list[word].possessive {
        return Some(Cue::Strong);
    }
    if !INTRODUCTION_ENDS.contains(tokens.key(word)) {
        return None;
    }
    for phrase in INTRODUCTIONS {
        let len = phrase.len();
        if word + 1 < len {
            continue;
        }
        let start = word + 1 - len;
        let matches = phrase
            .iter()
            .enumerate()
            .all(|(i, key)| tokens.is_word(start + i) && tokens.key(start + i) == *key);
        if matches {
            let strong = phrase[0] == "name" || phrase[0] == "names";
            return Some(if strong { Cue::Strong } else { Cue::Weak });
        }
    }
    None
}

fn place_before(tokens: &Tokens, index: usize) -> bool {
    index > 0 && tokens.key_is(index - 1, PLACE_BEFORE)
}

fn after_title_abbreviation(tokens: &Tokens, index: usize) -> bool {
    let mut at = index;
    if at > 0 && tokens.is_symbol(at - 1, '.') && tokens.glued(at - 1) {
        at -= 1;
    }
    at > 0 && tokens.key_is(at - 1, TITLE_ABBREVIATIONS) && !tokens.list[at - 1].possessive
}

fn after_title(tokens: &Tokens, index: usize) -> bool {
    let mut at = index;
    if at > 0 && tokens.is_symbol(at - 1, '.') {
        at -= 1;
    }
    at > 0 && tokens.key_is(at - 1, TITLES)
}

/// "Everett here, ..."
fn here_follows(tokens: &Tokens, index: usize) -> bool {
    tokens.key_is(index + 1, &["here"]) && tokens.starts_sentence(index)
}

fn surname_follows(tokens: &Tokens, lexicon: &Lexicon, index: usize) -> bool {
    let next = index + 1;
    tokens.is_word(next)
        && !tokens.glued(next)
        && tokens.list[next].case == Case::Title
        && lexicon.is_last(tokens.key(next))
        && !never(tokens, next)
}

/// The last token of the name that starts at `first`.
fn grow_right(tokens: &Tokens, lexicon: &Lexicon, first: usize) -> usize {
    let mut last = first;
    let mut words = 1;
    while words < 5 {
        let next = last + 1;
        // Hyphenated and apostrophe-joined parts: "Thompson-Okoro".
        if (tokens.is_symbol(next, '-') || tokens.is_symbol(next, '\u{2010}'))
            && tokens.glued(next)
            && tokens.is_word(next + 1)
            && tokens.glued(next + 1)
        {
            last = next + 1;
            continue;
        }
        // "ADEBAYO, FOLASADE" on a form: a surname, a comma, the given name.
        if words == 1
            && tokens.is_symbol(next, ',')
            && tokens.list[first].case == Case::Upper
            && tokens
                .list
                .get(next + 1)
                .is_some_and(|t| t.case == Case::Upper)
            && (lexicon.is_first(tokens.key(next + 1)) || !lexicon.is_word(tokens.key(next + 1)))
            && !never(tokens, next + 1)
        {
            last = next + 1;
            words += 1;
            continue;
        }
        if tokens.list.get(last).is_some_and(|t| t.possessive) || tokens.glued(next) {
            break;
        }
        // An initial, with or without its full stop: "Harold J. Whitcombe",
        // "Ingrid H.".
        if tokens.is_word(next) && tokens.list[next].case == Case::Initial {
            let dotted = tokens.is_symbol(next + 1, '.') && tokens.glued(next + 1);
            let after = if dotted { next + 2 } else { next + 1 };
            // "I" and "A" are words unless a surname follows: "Patricia A. Lindqvist".
            if matches!(tokens.text_of(next), "I" | "A")
                && !is_part_after_initial(tokens, lexicon, after)
            {
                break;
            }
            last = next;
            words += 1;
            if is_part_after_initial(tokens, lexicon, after) {
                last = after;
                words += 1;
                continue;
            }
            break;
        }
        // "Hollis Beauregard III", "Sam Ortiz Jr."
        if tokens.key_is(next, SUFFIXES) && tokens.list[next].case != Case::Lower {
            last = next;
            break;
        }

        // Particles: "Rosa de la Cruz".
        if tokens.key_is(next, PARTICLES) {
            let mut after = next + 1;
            while tokens.key_is(after, PARTICLES) {
                after += 1;
            }
            let lower_ok =
                tokens.style != CaseStyle::Mixed || tokens.list[first].case == Case::Lower;
            if is_part(tokens, lexicon, after)
                && (lower_ok || tokens.list[after].case != Case::Lower)
            {
                last = after;
                words += after - next + 1;
                continue;
            }
            break;
        }
        if is_part(tokens, lexicon, next) {
            last = next;
            words += 1;
            continue;
        }
        break;
    }
    last
}

/// The word after an initial's full stop, which does not start a sentence.
fn is_part_after_initial(tokens: &Tokens, lexicon: &Lexicon, index: usize) -> bool {
    tokens.is_word(index)
        && !never(tokens, index)
        && matches!(tokens.list[index].case, Case::Title | Case::Upper)
        && (lexicon.is_last(tokens.key(index)) || !lexicon.is_word(tokens.key(index)))
}

/// A word that continues a name: on a list (an everyday word only when
/// capitalised in ordinary writing, or a common name in lower-case
/// writing), or capitalised and not a word.
fn is_part(tokens: &Tokens, lexicon: &Lexicon, index: usize) -> bool {
    if !tokens.is_word(index) || never(tokens, index) || tokens.starts_sentence(index) {
        return false;
    }
    let key = tokens.key(index);
    let case = tokens.list[index].case;
    let capitalised = match tokens.style {
        CaseStyle::Mixed => matches!(case, Case::Title | Case::Upper),
        CaseStyle::Upper => false,
        CaseStyle::Lower => false,
    };
    let on_list = lexicon.is_first(key) || lexicon.is_last(key);
    let everyday = lexicon.is_word(key);
    // "ana maria villanueva"; but not "last" in "dr mcallister last week".
    let lower_name = tokens.style != CaseStyle::Mixed && lexicon.is_common_first(key);
    (on_list && (!everyday || capitalised || lower_name)) || (capitalised && !everyday)
}

/// A first name just before a found surname: "Grace" in "Grace Kim".
fn grow_left(tokens: &Tokens, lexicon: &Lexicon, first: usize, finder: &Finder) -> usize {
    // "Hye-jin": the part before a glued hyphen.
    if first >= 2
        && tokens.glued(first)
        && tokens.is_symbol(first - 1, '-')
        && tokens.glued(first - 1)
        && tokens.is_word(first - 2)
        && !finder.is_taken(first - 2)
        && tokens.list[first - 2].case != Case::Lower
    {
        // "Brunhilde Oyelaran-Kowalczyk": and a given name before that.
        return given_name_before(tokens, lexicon, first - 2, finder);
    }
    given_name_before(tokens, lexicon, first, finder)
}

/// The given name just before a found surname at `first`, if any: the
/// name's new first token.
fn given_name_before(tokens: &Tokens, lexicon: &Lexicon, first: usize, finder: &Finder) -> usize {
    let before = first.wrapping_sub(1);
    if first == 0 || tokens.glued(first) || finder.is_taken(before) {
        return first;
    }
    if let Some(surname) = surname_comma_before(tokens, lexicon, first, finder) {
        return surname;
    }
    if never(tokens, before) || !tokens.is_word(before) {
        return first;
    }
    let key = tokens.key(before);
    let same_case = tokens.list[first].case == tokens.list[before].case;
    let title = tokens.list[before].case == Case::Title && tokens.style == CaseStyle::Mixed;
    let fits = lexicon.is_first(key) && (title || !lexicon.is_word(key)) && same_case;
    // What was found reads as a surname ("Brzezinski", "o'reilly"), not
    // as a given name of its own ("Hii Maria").
    let found_key = tokens.key(first);
    let surname_found = tokens.is_word(first) && lexicon.reads_as_surname(found_key);
    // "Zbigniew Brzezinski": a capitalised word that is no everyday word
    // or place, before a surname.
    let unknown_given = title
        && same_case
        && surname_found
        && key.len() > 1
        && !lexicon.is_word(key)
        && !PLACE_SET.contains(key);
    // "colleen o'reilly": a common given name in lower case, before a
    // surname in lower case.
    let lower_given = tokens.list[before].case == Case::Lower
        && same_case
        && surname_found
        && lexicon.is_last(found_key)
        && lexicon.is_common_first(key);
    if fits || unknown_given || lower_given {
        before
    } else {
        first
    }
}

/// "smith, kevin", "Young, Kevin": a surname and a comma opening the
/// sentence before a found given name; the surname's index.
fn surname_comma_before(
    tokens: &Tokens,
    lexicon: &Lexicon,
    first: usize,
    finder: &Finder,
) -> Option<usize> {
    if first < 2 || !tokens.is_symbol(first - 1, ',') || !tokens.glued(first - 1) {
        return None;
    }
    let surname = first - 2;
    let key = tokens.key(surname);
    let case_fits = tokens.list[surname].case == tokens.list[first].case
        && matches!(tokens.list[first].case, Case::Lower | Case::Title);
    let fits = tokens.is_word(surname)
        && tokens.is_word(first)
        && !finder.is_taken(surname)
        && tokens.starts_sentence(surname)
        && case_fits
        && !never(tokens, surname)
        && !tokens.key_is(surname, OPENERS)
        && !PLACE_SET.contains(key)
        && lexicon.is_common_last(key)
        && lexicon.is_first(tokens.key(first));
    fits.then_some(surname)
}

/// The message's last line or last sentence, when it is only a name:
/// "\n- Maria", "... breaking. Deb", "thanks doc! - M. Delacroix".
fn signature(finder: &mut Finder, lexicon: &Lexicon) {
    let tokens = &finder.tokens;
    if tokens.is_empty() {
        return;
    }
    let mut last = tokens.len() - 1;
    while last > 0 && tokens.list[last].shape == Shape::Symbol {
        last -= 1;
    }
    // A line break, or a sentence end, a few tokens from the end.
    let from = last.saturating_sub(5);
    let line = (from..=last).rev().find(|&i| tokens.list[i].newline);
    let sentence = (from..=last).rev().find(|&i| {
        i > 0
            && tokens.list[i].spaced
            && tokens.list[i - 1].shape == Shape::Symbol
            && matches!(
                tokens.text_of(i - 1),
                "." | "!" | "?" | "-" | "\u{2014}" | "\u{2013}"
            )
    });
    let Some(start) = line.or(sentence) else {
        return;
    };
    let on_own_line = line.is_some();
    let mut first = start;
    while first < tokens.len() && tokens.list[first].shape == Shape::Symbol {
        first += 1;
    }
    let words = (first..=last).filter(|&i| tokens.is_word(i)).count();
    if first > last || words == 0 || words > 4 || !finder.all_free(first, last) {
        return;
    }
    // After a sentence rather than on its own line, only capitalised
    // words in ordinary writing.
    let case_fits = |token: &super::tokens::Token| {
        on_own_line || tokens.style != CaseStyle::Mixed || token.case != Case::Lower
    };
    let all_name_like = (first..=last).all(|i| {
        let token = tokens.list[i];
        match token.shape {
            Shape::Word => {
                let key = tokens.key(i);
                !never(tokens, i)
                    && case_fits(&token)
                    && (token.case == Case::Initial
                        || lexicon.is_first(key)
                        || lexicon.is_last(key)
                        || (token.case != Case::Lower && !lexicon.is_word(key)))
            }
            Shape::Symbol => matches!(tokens.text_of(i), "." | "-" | "'"),
            Shape::Number => false,
        }
    });
    let opener = tokens.list[first];
    let key = tokens.key(first);
    let starts_with_first = lexicon.is_first(key)
        || opener.case == Case::Initial
        || (opener.case != Case::Lower && !lexicon.is_word(key));
    if all_name_like && starts_with_first && tokens.is_word(first) {
        let last_word = (first..=last)
            .rev()
            .find(|&i| tokens.is_word(i))
            .unwrap_or(last);
        record(finder, first, last_word, 0.8);
    }
}

static NEVER_SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set(&[NEVER, RELATIONS]));
static RELATION_SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set(&[RELATIONS]));
/// The last word of each introduction, to skip the phrase search for most
/// words.
static INTRODUCTION_ENDS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    INTRODUCTIONS
        .iter()
        .filter_map(|phrase| phrase.last().copied())
        .collect()
});
static PLACE_SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set(&[PLACES_AND_MONTHS]));

fn never(tokens: &Tokens, index: usize) -> bool {
    tokens.is_word(index) && NEVER_SET.contains(tokens.key(index))
}

fn is_relation(tokens: &Tokens, index: usize) -> bool {
    tokens.is_word(index) && RELATION_SET.contains(tokens.key(index))
}

/// Records `first..=last`, leaving a possessive `'s` outside the name.
fn record(finder: &mut Finder, first: usize, last: usize, confidence: f32) {
    let token = finder.tokens.list[last];
    if !token.possessive {
        finder.add_tokens(first, last, PhiKind::Name, confidence);
        return;
    }
    let text = finder.tokens.text_of(last);
    let apostrophe = text.rfind(['\'', '\u{2019}']).unwrap_or(text.len());
    let range = finder.tokens.list[first].start..token.start + apostrophe;
    finder.add_bytes(range, PhiKind::Name, confidence);
}

#[cfg(test)]
mod tests {
    use crate::redact::Redactor;

    fn redacted(text: &str) -> String {
        Redactor::new().redact(text).text
    }

    #[test]
    fn names_after_cues_in_any_case() {
        assert_eq!(
            redacted("my son ezra has a cough"),
            "my son [NAME] has a cough"
        );
        assert_eq!(
            redacted("I am writing for my father Harold J. Whitcombe, thanks"),
            "I am writing for my father [NAME], thanks"
        );
        assert_eq!(
            redacted("THIS IS HERMAN GROSSMAN. I NEED"),
            "THIS IS [NAME]. I NEED"
        );
        assert_eq!(
            redacted("saw dr mcallister last week"),
            "saw dr [NAME] last week"
        );
        assert_eq!(redacted("Dr. O'Connor's office"), "Dr. [NAME]'s office");
        assert_eq!(redacted("Maya Thompson-Okoro, born"), "[NAME], born");
    }

    #[test]
    fn given_names_before_a_found_surname_join_it() {
        assert_eq!(
            redacted("Brunhilde Oyelaran-Kowalczyk here, 7 Ravenswood Lane"),
            "[NAME] here, [ADDRESS]"
        );
        assert_eq!(
            redacted("Zbigniew Brzezinski has a question about his bill"),
            "[NAME] has a question about his bill"
        );
        assert_eq!(redacted("colleen o'reilly here"), "[NAME] here");
        assert_eq!(redacted("smith, kevin"), "[NAME]");
        // A greeting before a comma is no surname.
        assert_eq!(redacted("good, kevin called"), "good, [NAME] called");
        // A typo before a given name is no given name itself.
        assert_eq!(
            redacted("Thnks Kevin for the help"),
            "Thnks [NAME] for the help"
        );
        assert_eq!(
            redacted("Hii Maria, can you help"),
            "Hii Maria, can you help"
        );
    }

    #[test]
    fn lower_case_surnames_after_a_title_in_mixed_case_writing() {
        assert_eq!(
            redacted("this is mrs okonkwo, I need my records"),
            "this is mrs [NAME], I need my records"
        );
        assert_eq!(redacted("I saw dr. smith today"), "I saw dr. [NAME] today");
        assert_eq!(redacted("I Saw Dr. smith Today"), "I Saw Dr. [NAME] Today");
        for text in [
            "Can the dr call me back? I am worried",
            "I saw the dr. today and the dr office said OK",
            "My dr just said to wait",
        ] {
            assert_eq!(redacted(text), text);
        }
    }

    #[test]
    fn signature_lines_are_names() {
        assert_eq!(
            redacted("please call me back\n- Tom Alvarez"),
            "please call me back\n- [NAME]"
        );
    }

    #[test]
    fn everyday_words_that_are_names_stay_without_a_cue() {
        for text in [
            "I will bring my bill and hope it is fine",
            "Can I get a refill of Lasix 40 mg?",
            "The Cardiology team said my Grace period ends",
        ] {
            assert_eq!(redacted(text), text);
        }
    }
}
