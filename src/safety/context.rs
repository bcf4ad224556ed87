//! Context around a red-flag phrase that changes its meaning: negation
//! ("no chest pain"), history ("had a stroke in 2019"), paperwork about an
//! earlier event ("the bill for my chest pain visit") and questions asked in
//! general ("what are the signs of a stroke").

use std::sync::LazyLock;

use regex::Regex;

fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("context pattern is valid")
}

/// Words that negate a finding when they come shortly before it.
static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(?:no|not|dont|doesnt|didnt|isnt|wasnt|arent|werent|havent|hasnt|hadnt|never|without|denies|deny|denied|nor|neither|zero|none|negative)$",
    )
});

/// Words that end the reach of a preceding negation.
static SCOPE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:and|or|so|then|now|yet|because|cause|cuz|while|until)$"));

/// Signs that something is happening now, which outweigh history and
/// paperwork cues in the same clause.
static PRESENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?x)\b(?:
            now|right\s+now|currently|at\s+the\s+moment|still|again|today|tonight
            |this\s+(?:morning|afternoon|evening)|just\s+(?:now|happened|started|had|took|swallowed|collapsed|passed|fainted|fell|found)|started|starting|keeps
            |keep\s+(?:on|having|getting|throwing|bleeding|shaking|passing|losing|falling)
            |getting\s+worse|worse|wont\s+stop|cant\s+stop|happening|is\s+having|hes\s+having
            |shes\s+having|im\s+having|having\s+(?:a|an|the|some|bad|really)
            |for\s+the\s+(?:last|past)\s+\w+|\d+\s*(?:min|mins|minutes|hr|hrs|hours)\s+ago
            |an\s+hour\s+ago|since\s+(?:yesterday|this|last\s+night|\d|an|earlier|lunch|breakfast|dinner)
            |hurry|asap|emergency
        )\b",
    )
});

/// Signs that the finding is well in the past, strong enough to outweigh a
/// "now" elsewhere in the clause ("attempted years ago, doing well now").
static LONG_AGO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?x)\b(?:
            (?:19|20)\d\d|last\s+(?:year|month|summer|spring|fall|autumn|winter)
            |(?:\d+|a|one|two|three|four|five|six|few|couple|several|many)\s+(?:of\s+)?(?:years?|yrs?|months?|mos)\s+(?:ago|back)
            |years?\s+(?:ago|back)|history\s+of|hx\s+of|in\s+the\s+past|back\s+in|when\s+i\s+was
            |as\s+a\s+(?:kid|child|teen|baby|toddler)|in\s+(?:college|high\s+school|school)
            |in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)
            |died|passed\s+away|survived|recovered
        )\b",
    )
});

/// Signs that the finding may be in the past, which a "now" outweighs.
static RECENT_PAST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?x)\b(?:
            last\s+(?:week|time|night)|(?:\d+|a|one|two|three|few|couple|several)\s+(?:of\s+)?(?:weeks?|wks?|days?)\s+ago
            |previous(?:ly)?|prior|had\s+(?:a|an|my|his|her|their|one|two|some)|since\s+(?:my|his|her|their)
            |after\s+(?:my|his|her|their)|used\s+to|yesterday|was\s+hospitali[sz]ed|when\s+(?:i|he|she)\s+had
        )\b",
    )
});

/// Money and paperwork: a finding in the same clause is the topic of the
/// paperwork unless the clause says it is happening now.
static PAPERWORK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:bill|bills|billed|billing|statement|invoice|charged?|claim|itemi[sz]ed|receipt|copay|refund|records|paperwork|fmla|eob)\b",
    )
});

/// Figures of speech that borrow emergency words.
static FIGURATIVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?x)\b(?:
            (?:gave|give|giving|gives)\s+(?:me|him|her|us)\s+a\s+heart\s+attack
            |(?:almost|nearly|about\s+to)\s+(?:had|have|having)\s+a\s+(?:heart\s+attack|stroke)
            |killing\s+me|dying\s+(?:to|of\s+(?:boredom|laughter|embarrassment))|scared\s+(?:me\s+)?to\s+death
            |bored\s+to\s+death|lol|lmao|haha\w*
            |speak\s+for\s+(?:my|him|her|them|your)\s*sel(?:f|ves)
            |breathe\s+(?:through|out\s+of)\s+(?:my|his|her|their|the)\s+nose
        )\b",
    )
});

/// Words that bound the stretch of a clause a time cue applies to.
static WINDOW_BREAK: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:and|then|so|because|cause|cuz|while|now|until)\b"));

/// Paperwork, money and appointments: the finding is the topic of an
/// errand, not something happening.
static ADMIN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?x)\b(?:
            bill|bills|billed|billing|charge[ds]?|statement|invoice|claim|insurance|copay|deductible|pay|paid|payment|cost|price
            |record|records|report|paperwork|form|forms|letter|note|fmla|disability|documentation|copy|copies
            |appointment|appt|reschedule|schedule|book|booking|cancel|follow\s*-?\s*up|referral|refer|specialist|clinic|visit
            |refill|prescription|rx|pharmacy|renew|meds|medication|medicine|inhaler|epipen|epi\s*pen
            |test|results|scan|mri|ekg|ecg|echo|class|classes|portal|app
        )\b",
    )
});

/// Words that make a finding the subject of an errand ("the bill *for* my
/// chest pain visit").
static ABOUT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:for|about|from|after|regarding|re|of|during|since|with)$"));

static DETERMINER: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:my|his|her|their|our|the|a|an|that|this|your|moms|dads)$"));

/// Asking in general, teaching, or worrying about the future.
static GENERAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?x)\b(?:
            what\s+(?:are|is)\s+the\s+(?:signs|symptoms|warning\s+signs)|signs\s+of|symptoms\s+of
            |what\s+(?:should|do|would)\s+(?:i|we|you)\s+do\s+if|how\s+(?:do|can|would|will)\s+(?:i|we|you)\s+(?:know|tell|recogni[sz]e|spot)
            |in\s+case|training|prevention|awareness|classes?|courses?|seminar|workshop|cpr|first\s+aid
            |info|information|brochure|pamphlet|research|study|volunteer|risk\s+of|chances?\s+of
            |prevent|screen\w*|what\s+happens\s+if|is\s+it\s+normal\s+to\s+have\s+had
            |difference\s+between|risk|risks|wondering|curious|how\s+often|should\s+(?:i|we)\s+worry
            |watched|movie|tv\s+show|a\s+show|article|read\s+about|counts\s+as
        )\b",
    )
});

/// How a phrase was judged in its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Happening now, or not ruled out: counts.
    Present,
    Negated,
    Figurative,
    Historical,
    Errand,
    General,
}

/// Which context cues may discount a rule's phrase.
#[derive(Debug, Clone, Copy)]
pub struct Discounts {
    pub negation: bool,
    /// Also look for negation between the phrase's own words.
    pub negation_inside: bool,
    /// Whether "yesterday", "had a", ... (not only "in 2019") discount.
    pub recent_history: bool,
    pub figurative: bool,
    pub history: bool,
    pub errand: bool,
    pub general: bool,
}

impl Discounts {
    pub const ALL: Self = Self {
        negation: true,
        negation_inside: false,
        recent_history: true,
        figurative: true,
        history: true,
        errand: true,
        general: true,
    };
}

/// Judges the phrase at `start..end` of `clause`, one clause of `message`.
///
/// Time cues are looked for in the phrase's own stretch of the clause (up
/// to the nearest "and", "then", ...) so that "had a stroke in 2019 and now
/// my face is drooping" reads the drooping as present.
pub fn read(
    message: &str,
    clause: &str,
    start: usize,
    end: usize,
    discounts: Discounts,
) -> Reading {
    let before = &clause[..start];
    let after = &clause[end..];
    // Negation may also sit between the matched words ("face isnt
    // drooping"): everything up to the phrase's last word is checked.
    let lead_in = clause[..end]
        .trim_end()
        .rsplit_once(' ')
        .map_or(before, |(head, _)| head);
    let window = window(clause, start, end);
    let present_here = PRESENT.is_match(window);

    if discounts.negation && (negated(before) || discounts.negation_inside && negated(lead_in)) {
        return Reading::Negated;
    }
    if discounts.figurative && FIGURATIVE.is_match(clause) {
        return Reading::Figurative;
    }
    if discounts.errand
        && !present_here
        && is_errand(before, after, clause, PRESENT.is_match(clause))
    {
        return Reading::Errand;
    }
    if discounts.history && !present_here && LONG_AGO.is_match(window) {
        return Reading::Historical;
    }
    if discounts.general && !present_here && GENERAL.is_match(message) {
        return Reading::General;
    }
    if PRESENT.is_match(clause) {
        return Reading::Present;
    }
    if discounts.history && discounts.recent_history && RECENT_PAST.is_match(clause) {
        return Reading::Historical;
    }
    Reading::Present
}

/// The part of the clause around the phrase, between window breaks.
fn window(clause: &str, start: usize, end: usize) -> &str {
    let from = WINDOW_BREAK
        .find_iter(&clause[..start])
        .last()
        .map_or(0, |m| m.end());
    let to = WINDOW_BREAK
        .find(&clause[end..])
        .map_or(clause.len(), |m| end + m.start());
    &clause[from..to]
}

/// A negation word among the four words before the phrase, with no "and",
/// "so", ... between it and the phrase.
fn negated(before: &str) -> bool {
    before
        .split_whitespace()
        .rev()
        .take(4)
        .take_while(|w| !SCOPE_BREAK.is_match(w))
        .any(|w| NEGATION.is_match(w))
}

/// The phrase names the subject of an errand: "the bill for my chest pain
/// visit", "stroke clinic appointment", "records of my seizure".
fn is_errand(before: &str, after: &str, clause: &str, present_in_clause: bool) -> bool {
    // "got the bill for my chest pain visit and the pain is back right now"
    // is not only paperwork.
    if present_in_clause {
        return false;
    }
    if PAPERWORK.is_match(clause) {
        return true;
    }
    if !ADMIN.is_match(clause) {
        return false;
    }
    let preceded = before
        .split_whitespace()
        .rev()
        .find(|w| !DETERMINER.is_match(w))
        .is_some_and(|w| ABOUT.is_match(w));
    let followed = after
        .split_whitespace()
        .next()
        .is_some_and(|w| ADMIN.is_match(w));
    preceded || followed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(clause: &str, phrase: &str) -> Reading {
        let start = clause.find(phrase).unwrap();
        read(clause, clause, start, start + phrase.len(), Discounts::ALL)
    }

    #[test]
    fn negation_before_the_phrase_discounts_it() {
        assert_eq!(
            judge("i dont have any chest pain", "chest pain"),
            Reading::Negated
        );
        assert_eq!(
            judge("no one answers and my chest hurts", "chest hurts"),
            Reading::Present
        );
    }

    #[test]
    fn history_without_present_signs_is_historical() {
        assert_eq!(
            judge("i had a stroke in 2019", "stroke"),
            Reading::Historical
        );
        assert_eq!(
            judge(
                "had a stroke in 2019 and now my face is numb",
                "face is numb"
            ),
            Reading::Present
        );
    }

    #[test]
    fn errands_about_an_event_are_errands() {
        assert_eq!(
            judge("the bill for my chest pain visit", "chest pain"),
            Reading::Errand
        );
        assert_eq!(
            judge("reschedule my stress test for chest pain", "chest pain"),
            Reading::Errand
        );
    }

    #[test]
    fn long_ago_outweighs_a_later_now() {
        let clause = "i attempted suicide years ago and im doing well now";

        assert_eq!(judge(clause, "suicide"), Reading::Historical);
    }

    #[test]
    fn figures_of_speech_are_figurative() {
        assert_eq!(
            judge(
                "that statement almost gave me a heart attack lol",
                "heart attack"
            ),
            Reading::Figurative
        );
    }

    #[test]
    fn general_questions_are_general() {
        assert_eq!(
            judge("what are the signs of a stroke", "stroke"),
            Reading::General
        );
    }
}
