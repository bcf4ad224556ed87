//! Red-flag phrases per category, written against normalised text (lower
//! case, no apostrophes; see `normalize`). Each match is then judged in its
//! clause by `context` before it counts.

use std::sync::LazyLock;

use regex::Regex;

use super::context::Discounts;

pub struct Rule {
    pub category: &'static str,
    pub pattern: Regex,
    /// Whether a negation inside the matched words counts ("face isnt
    /// drooping"). Off for patterns that are negative by design ("cant
    /// breathe", "wont wake").
    pub negation_inside: bool,
    /// Another phrase that must appear somewhere in the message too.
    pub requires: Option<Regex>,
    pub discounts: Discounts,
}

/// A seizure or collapse an hour ago still needs care now: only history
/// from long ago discounts these.
const RECENT_COUNTS: Discounts = Discounts {
    recent_history: false,
    ..Discounts::ALL
};

/// Talk of suicide is never just paperwork or a figure of speech.
const NO_ERRAND: Discounts = Discounts {
    negation: true,
    negation_inside: false,
    recent_history: true,
    figurative: false,
    history: true,
    errand: false,
    general: true,
};

fn rule(category: &'static str, pattern: &str) -> Rule {
    static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"cant|cannot|couldnt|not|wont|isnt|doesnt|dont|didnt|hasnt|never|\bno\b|unable")
            .expect("pattern is valid")
    });
    Rule {
        category,
        negation_inside: !NEGATIVE.is_match(pattern),
        pattern: Regex::new(pattern).expect("rule pattern is valid"),
        requires: None,
        discounts: Discounts::ALL,
    }
}

fn rule_with(category: &'static str, pattern: &str, requires: &str) -> Rule {
    Rule {
        requires: Some(Regex::new(requires).expect("rule pattern is valid")),
        ..rule(category, pattern)
    }
}

fn discounted(mut rule: Rule, discounts: Discounts) -> Rule {
    rule.discounts = discounts;
    rule
}

impl Rule {
    pub fn discounts(&self) -> Discounts {
        Discounts {
            negation_inside: self.negation_inside,
            ..self.discounts
        }
    }
}

/// Someone: the patient or the person they write about.
const WHO: &str = r"(?:my|his|her|their|the|our|ur|your)";

pub static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // Heart.
        rule(
            "cardiac",
            r"\bchest\s*(?:pains?|pressure|tightness|tight|hurts?|hurting|aches?|aching|discomfort|heaviness|heavy|squeez\w*|crush\w*|burning|is\s+(?:killing|on\s+fire))\b",
        ),
        rule(
            "cardiac",
            r"\bchest\s+(?:\w+\s+){0,4}?(?:hurts?|hurting|tight|heavy|crushed|crushing|squeez\w*|pressure|killing|burning|on\s+fire|pounding|exploding)\b",
        ),
        rule(
            "cardiac",
            &format!(
                r"\b(?:pain|pressure|tightness|heaviness|squeezing|crushing|weight|elephant|ache|aching)\s+(?:\w+\s+){{0,2}}(?:in|on|across|behind|around|of|over)\s+(?:{WHO}\s+)?(?:chest|breastbone|sternum)\b"
            ),
        ),
        rule("cardiac", r"\bheart\s+attack\b"),
        // Clinical shorthand from carers: "CP radiating to L arm".
        rule_with(
            "cardiac",
            r"\bcp\b",
            r"\bradiat\w*|\b(?:l|left)\s+arm\b|\bjaw\b|\bsweat\w*|\bdiaphore\w*|\bsob\b",
        ),
        rule_with(
            "cardiac",
            r"\bheart\s+(?:\w+\s+){0,2}?(?:racing|pounding|beating\s+(?:so\s+|really\s+)?fast)",
            r"\b(?:pass(?:ing)?\s+out|faint\w*|chest|black(?:ing)?\s+out|1[5-9]\d|2\d\d)\b",
        ),
        rule_with(
            "cardiac",
            r"\b(?:pain|ache|pressure|tightness)\s+(?:\w+\s+){0,3}?(?:down|into|up|in|through)\s+(?:\w+\s+)?(?:left\s+)?(?:arm|jaw|neck|shoulder)\b",
            r"\b(?:chest|jaw|sweat\w*|clammy|grey|gray|pale|nause\w*|short\s+of\s+breathe|dizzy)\b",
        ),
        rule_with(
            "cardiac",
            r"\b(?:left\s+)?(?:arm|jaw|shoulder)\s+(?:\w+\s+){0,3}?(?:numb|tingl\w*|hurts?|pain|aches?|heavy)\b",
            r"\b(?:chest|sweat\w*|clammy|jaw|grey|gray|pale|nause\w*)\b",
        ),
        rule(
            "cardiac",
            r"\bnitro\w*\s+(?:\w+\s+){0,3}?(?:not|isnt|didnt|doesnt|wont|aint)\s+(?:help|work)\w*",
        ),
        // Stroke.
        rule("stroke", r"\bstroke\b"),
        rule(
            "stroke",
            r"\b(?:face|mouth|smile|lip|eyelid)\s+(?:\w+\s+){0,4}?(?:droop\w*|dropp\w*|sagg\w*|crooked|lopsided|uneven|slanted|numb|fell|falling|pulled)\b",
        ),
        rule(
            "stroke",
            &format!(r"\bdroop\w*\s+(?:on\s+)?(?:one\s+side|{WHO}\s+(?:face|mouth|smile))"),
        ),
        rule("stroke", r"\bslurr\w*"),
        rule(
            "stroke",
            r"\b(?:cant|cannot|couldnt|unable\s+to|not\s+able\s+to|trouble|struggling\s+to)\s+(?:\w+\s+){0,2}?(?:get\s+(?:\w+\s+)?words?\s+out|find\s+(?:\w+\s+)?words|speak|talk\s+right|form\s+words|understand\s+(?:me|anyone|anything|what))",
        ),
        rule(
            "stroke",
            r"\bwords\s+(?:are\s+|were\s+)?(?:coming\s+out\s+)?(?:all\s+)?(?:wrong|jumbled|garbled|mixed\s+up|nonsense)",
        ),
        rule(
            "stroke",
            r"\b(?:weak\w*|numb\w*|paraly\w*|limp|dead|heavy|tingl\w*)\s+(?:\w+\s+){0,4}?(?:on\s+)?(?:one\s+side|the\s+(?:left|right)\s+side|(?:left|right)\s+side)",
        ),
        rule(
            "stroke",
            r"\b(?:left|right|one)\s+side\s+(?:of\s+(?:my|his|her|their)\s+(?:body|face)\s+)?(?:\w+\s+){0,2}?(?:went|is|feels|felt|gone|going|goes|suddenly)\s+(?:\w+\s+)?(?:numb|weak|dead|limp|heavy|paraly\w*|tingly)\b",
        ),
        rule(
            "stroke",
            &format!(
                r"\b(?:cant|cannot|couldnt|unable\s+to)\s+(?:move|lift|feel|raise|use)\s+(?:{WHO}\s+)?(?:left|right|one)\s+(?:arm|leg|hand|side)"
            ),
        ),
        rule("stroke", r"\bworst\s+headache\b|\bthunderclap\b"),
        rule(
            "stroke",
            r"\bspeech\s+(?:is\s+|was\s+|sounds\s+|seems\s+)?(?:\w+\s+)?(?:garbled|slurred|jumbled|weird|off|strange|funny|mixed\s+up)\b",
        ),
        rule_with(
            "stroke",
            r"\b(?:is|seems|got|became|woke\s+up|suddenly|very|really)\s+(?:\w+\s+)?confused\b",
            r"\b(?:sudden\w*|woke|was\s+fine|out\s+of\s+nowhere|all\s+of\s+a\s+sudden|cant\s+understand|slurr\w*|face|weak\w*|words)\b",
        ),
        rule(
            "stroke",
            r"\bsudden\w*\s+(?:\w+\s+){0,2}?(?:confus\w*|cant\s+see|cant\s+walk|dizz\w*\s+and|severe\s+headache)",
        ),
        // Breathing.
        rule(
            "breathing",
            &format!(
                r"\b(?:cant|cannot|can\s+not|couldnt|unable\s+to|not\s+able\s+to|struggling\s+to|hard\s+to|hardly|barely|can\s+hardly|can\s+barely|trouble|difficulty|hard\s+time|gasping\s+to)\s+(?:\w+\s+){{0,1}}?(?:breathe|breathing|catch\s+(?:{WHO}\s+)?breathe|get\s+(?:any\s+|enough\s+)?(?:air|a\s+breathe|breathe))\b"
            ),
        ),
        rule(
            "breathing",
            r"\b(?:gasping|choking|struggling\s+for\s+air|fighting\s+for\s+air)\b",
        ),
        rule(
            "breathing",
            r"\b(?:im|i\s+am|hes|he\s+is|shes|she\s+is|baby\s+is|they\s+are|were)\s+suffocat\w*",
        ),
        rule(
            "breathing",
            r"\b(?:lips|face|fingers|skin)\s+(?:\w+\s+){0,2}?(?:blue|purple|grey|gray|bluish)\b|\bturning\s+blue\b",
        ),
        rule(
            "breathing",
            r"\binhaler\s+(?:\w+\s+){0,3}?(?:not|isnt|didnt|doesnt|wont)\s+(?:help|work)\w*",
        ),
        rule("breathing", r"\bthroat\s+(?:\w+\s+){0,3}?closing\b"),
        rule(
            "breathing",
            r"\bwheez\w*\s+(?:\w+\s+){0,3}?(?:bad|badly|worse|even\s+after|wont\s+stop)",
        ),
        rule(
            "breathing",
            r"\bstridor\b|\bhigh\s+pitched\s+(?:squeak\w*|noise|sound|whistl\w*|wheez\w*)",
        ),
        rule(
            "breathing",
            r"\bsudden\w*\s+(?:\w+\s+)?short(?:ness)?\s+of\s+breathe",
        ),
        rule(
            "breathing",
            r"\bbreathe\s+(?:\w+\s+){0,4}?(?:really\s+|so\s+)?struggling\b|\bstruggling\s+(?:to\s+breathe|with\s+(?:\w+\s+)?breathing)",
        ),
        discounted(
            rule(
                "breathing",
                r"\b(?:very|really|so|severely|extremely)\s+short\s+of\s+breathe|\bshort\s+of\s+breathe\s+(?:\w+\s+){0,2}?(?:at\s+rest|sitting|lying|cant\s+talk|getting\s+worse)",
            ),
            Discounts::ALL,
        ),
        // Suicide and self-harm: never an errand, however it is phrased.
        discounted(rule("suicidal_self_harm", r"\bsuicidal\b"), NO_ERRAND),
        discounted(
            rule(
                "suicidal_self_harm",
                r"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|burn|burning|hang|hanging|shoot|shooting|off)\s+(?:my|him|her|them)\s*(?:self|selves|selfs)\b",
            ),
            NO_ERRAND,
        ),
        discounted(
            rule("suicidal_self_harm", r"\bself\s*-?\s*harm\w*"),
            NO_ERRAND,
        ),
        discounted(
            rule(
                "suicidal_self_harm",
                r"\b(?:end|ending|take|taking)\s+(?:my|his|her|their)\s+(?:own\s+)?life\b|\bend\s+it\s+all\b|\bending\s+it\b",
            ),
            NO_ERRAND,
        ),
        discounted(
            rule(
                "suicidal_self_harm",
                r"\b(?:want|wanted|wants|wanna|wish|going|ready|planning|plan)\s+(?:to\s+)?(?:\w+\s+)?(?:die|be\s+dead|not\s+(?:be\s+)?(?:here|alive|around|exist))\b",
            ),
            NO_ERRAND,
        ),
        discounted(
            rule(
                "suicidal_self_harm",
                r"\b(?:dont|do\s+not|doesnt|no\s+longer|dont\s+really)\s+want\s+to\s+(?:live|be\s+alive|be\s+here|wake\s+up|exist|go\s+on|keep\s+going)\b",
            ),
            NO_ERRAND,
        ),
        discounted(
            rule(
                "suicidal_self_harm",
                r"\bbetter\s+off\s+(?:dead|without\s+me|if\s+i\s+(?:was|were)n?t?\s+(?:here|around|alive))|\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|going\s+on|being\s+alive|anything)|\bdont\s+see\s+the\s+point\s+(?:in|of)\s+(?:living|life|going\s+on|anything)",
            ),
            NO_ERRAND,
        ),
        discounted(
            rule(
                "suicidal_self_harm",
                r"\b(?:not|dont|wont)\s+(?:plan\s+on\s+|going\s+to\s+|gonna\s+)?(?:be|being)\s+(?:alive|around|here)\s+(?:by|for|much|tomorrow|next|anymore|after)",
            ),
            NO_ERRAND,
        ),
        discounted(
            rule(
                "suicidal_self_harm",
                r"\b(?:goodbye|suicidal)\s+(?:note|letter)|\bsaid\s+goodbye\s+to\s+everyone|\b(?:jump|jumping|drive|driving|throw\s+myself)\s+(?:off|from)\s+(?:a|the)\s+(?:bridge|roof|building|cliff|overpass)",
            ),
            NO_ERRAND,
        ),
        discounted(
            rule(
                "suicidal_self_harm",
                r"\b(?:if|when)\s+i\s+(?:was|were|am|m)\s+gone\b|\bhow\s+i\s+(?:would|could|will|might|should)\s+do\s+it\b|\b(?:tonight|today)\s+is\s+the\s+(?:night|day)\b|\bnot\s+wake\s+up\s+(?:tomorrow|again)\b|\bend\s+(?:things|everything)\b|\bkms\b|\bunalive\w*|\b(?:pills|gun|rope)\s+(?:are\s+|is\s+)?(?:ready|lined\s+up)\b|\b(?:wrote|written|writing|left)\s+(?:\w+\s+){0,2}?(?:letters?|notes?)\s+(?:to|for)\s+(?:my|everyone|the)\b",
            ),
            NO_ERRAND,
        ),
        // A plan with the means at hand: before the overdose rules, which
        // would read "take them all tonight" as poisoning, not a crisis.
        discounted(
            rule(
                "suicidal_self_harm",
                r"\b(?:use|turn|point)\s+(?:it|the\s+gun|a\s+gun|the\s+knife|a\s+knife)\s+on\s+(?:my|him|her)\s*self\b|\b(?:pills|meds|tablets)\s+(?:\w+\s+){0,2}?(?:saved|stockpiled|stashed|hoarded)\b|\b(?:saved|saving|stockpil\w*|stash\w*|hoard\w*)\s+(?:up\s+)?(?:\w+\s+){0,2}?(?:pills|meds|tablets)\b|\b(?:going\s+to|gonna|planning\s+to|plan\s+to|about\s+to)\s+(?:take|swallow|down)\s+(?:them\s+all|all\s+(?:of\s+)?(?:them|my|the|these|those)(?:\s+\w+)?(?:\s+(?:pills|meds|tablets|medication|medicine))?)\s*(?:tonight|at\s+once|together|today|now|$)",
            ),
            NO_ERRAND,
        ),
        // Overdose and poisoning.
        rule("overdose_poisoning", r"\boverdos\w*"),
        rule(
            "overdose_poisoning",
            r"\b(?:took|taken|take|swallowed|ate|eaten|downed|popped|has\s+taken)\s+(?:\w+\s+){0,4}?(?:too\s+many|too\s+much|whole\s+bottle|whole\s+pack|handful|bunch|entire\s+bottle|all\s+(?:of\s+)?(?:my|his|her|the)|(?:like\s+|about\s+|maybe\s+)?\d{2,}|twenty|thirty|fifty|whole|all\s+at\s+once)\b",
        ),
        rule(
            "overdose_poisoning",
            r"\b(?:swallowed|drank|drunk|ate|eaten|chugged|ingested|got\s+into|drinking|licked|sucked\s+on|bit|bit\s+into|chewed|chewing|put)\s+(?:\w+\s+){0,4}?(?:bleach|cleaner|detergent|laundry\s+pod|tide\s+pod|dishwasher\s+pod|pods|antifreeze|rat\s+poison|poison|button\s+batter\w*|batter(?:y|ies)|lamp\s+oil|gasoline|kerosene|chemicals?|drain\s+cleaner|pesticide|weed\s*killer|mothballs|magnets|lighter\s+fluid|windshield\s+(?:washer\s+)?fluid|washer\s+fluid|nail\s+polish\s+remover|mouthwash|edibles?|gummies|grandmas\s+pills|my\s+pills|pills)\b",
        ),
        rule(
            "overdose_poisoning",
            r"\bpoison(?:ed|ing)\b|\bfoaming\s+at\s+the\s+mouth\b",
        ),
        rule_with(
            "overdose_poisoning",
            r"\b(?:mixed|mixing|with|and|on\s+top\s+of)\s+(?:\w+\s+){0,3}?(?:alcohol|vodka|whiskey|wine|beer|booze|drinks|liquor)\b",
            r"\b(?:pills|tablets|xanax|oxy\w*|percocet|ambien|sleeping|opioid\w*|fentanyl|benzo\w*|valium|klonopin)\b",
        ),
        // Severe allergic reaction.
        rule("anaphylaxis", r"\banaphyla\w*"),
        rule_with(
            "anaphylaxis",
            &format!(
                r"\b(?:throat|tongue|lips?|face|mouth|eyes?)\s+(?:(?:is|are|feels|feel|getting|keeps|started|starting|has|have|got)\s+)?(?:\w+\s+)?(?:swell\w*|closing|tight\w*|puff\w*|blown\s+up|huge|big)\b|\bswell\w*\s+(?:up\s+)?(?:of\s+|in\s+)?(?:{WHO}\s+)?(?:throat|tongue|lips?|face|mouth)"
            ),
            r"\b(?:allerg\w*|ate|eating|eaten|tried|food|peanut\w*|\w*nuts?|cashew\w*|almond\w*|sesame|egg|eggs|milk|shellfish|shrimp|fish|sting|stung|bee|wasp|hives|medicine|penicillin|antibiotic|amoxicillin|pill|throat|breathe|breathing|wheez\w*|swallow\w*|epi\w*)\b",
        ),
        rule(
            "anaphylaxis",
            r"\b(?:used|gave|give|giving|jabbed|injected)\s+(?:\w+\s+){0,2}?(?:epipen|epi\s*pen|epinephrine|auvi\s*-?q)",
        ),
        // Pregnancy: both a pregnancy and real bleeding must be mentioned.
        rule_with(
            "pregnancy_bleeding",
            r"\b(?:bleeding|blood|clots?|hemorrhag\w*|gush\w*)\b",
            r"\b(?:pregnant|pregnancy|weeks\s+along|expecting|miscarr\w*|ectopic|postpartum|post\s*-?\s*partum|gave\s+birth|giving\s+birth|delivered|delivery|c\s*-?\s*section|trimester|\d+\s*(?:weeks|wks)\s+(?:pregnant|along))\b",
        ),
        // Labour or waters breaking before 37 weeks.
        rule_with(
            "preterm_labour",
            r"\b(?:contractions?|water\s+(?:\w+\s+)?(?:broke|breaking|broken)|waters\s+(?:\w+\s+)?(?:broke|breaking|broken)|leaking\s+(?:fluid|water))\b",
            r"\b(?:(?:[12]\d|3[0-6])\s*(?:weeks?|wks?)|[4-8]\s+months|preterm|premature|too\s+early)\b",
        ),
        // Assault, and violence at home: recent counts.
        discounted(
            rule(
                "assault_violence",
                r"\b(?:sexually\s+assaulted|raped|sexual\s+assault|molested)\b",
            ),
            RECENT_COUNTS,
        ),
        discounted(
            rule_with(
                "assault_violence",
                r"\b(?:hit|hits|hitting|beat|beats|beating|choked|chokes|choking|strangled|kicked|punched|slapped|threatened|threatens)\s+me\b",
                r"\b(?:scared|afraid|unsafe|not\s+safe|terrified|danger|husband|wife|boyfriend|girlfriend|partner|ex)\b",
            ),
            RECENT_COUNTS,
        ),
        rule(
            "assault_violence",
            r"\b(?:not|dont\s+feel|do\s+not\s+feel)\s+safe\s+(?:at\s+home|going\s+home|with\s+(?:my|him|her))\b",
        ),
        // An emergency said outright, or the number alone.
        rule(
            "stated_emergency",
            r"^\W*(?:911|999|112|sos|emergency)\W*$|\b(?:this\s+is|its|it\s+is|having|have)\s+(?:an?\s+)?(?:medical\s+)?emergency\b|\bneed\s+(?:an\s+)?ambulance\b",
        ),
        // Severe bleeding.
        rule(
            "severe_bleeding",
            r"\b(?:bleeding|blood)\s+(?:\w+\s+){0,5}?(?:wont|will\s+not|doesnt|isnt|cant|not|hasnt|never)\s+(?:stop|stopping|slow\w*|quit)\b",
        ),
        rule(
            "severe_bleeding",
            r"\b(?:cant|cannot|couldnt)\s+(?:get\s+(?:it|the\s+bleeding)\s+to\s+)?stop\s+(?:the\s+)?bleeding\b",
        ),
        rule(
            "severe_bleeding",
            r"\b(?:spurting|gushing|pouring|squirting|pumping)\b",
        ),
        rule(
            "severe_bleeding",
            r"\bsoak\w*\s+(?:\w+\s+){0,3}?(?:towels?|bandages?|gauze|shirt|rags?|pads?)\b",
        ),
        rule(
            "severe_bleeding",
            r"\b(?:vomiting|throwing\s+up|coughing\s+up|puking|spitting\s+up)\s+(?:up\s+)?(?:\w+\s+){0,4}?blood\b|\b(?:vomit\w*|threw\s+up)\s+blood\b",
        ),
        rule(
            "severe_bleeding",
            r"\b(?:bleeding\s+(?:really\s+|so\s+)?(?:heavily|badly|a\s+lot|everywhere)|(?:lots|lot|so\s+much|tons|a\s+ton)\s+of\s+(?:\w+\s+){0,2}?blood|blood\s+everywhere|severe\s+bleeding|heavy\s+bleeding)\b",
        ),
        rule(
            "severe_bleeding",
            r"\b(?:cut|chopped|sliced)\s+(?:off|through)\b|\bamputat\w*",
        ),
        // Seizures.
        rule("seizure", r"\bseizure\b|\bconvuls\w*|\bseizing\b"),
        rule(
            "seizure",
            r"\b(?:shaking|jerking|twitching)\s+(?:\w+\s+){0,3}?(?:all\s+over|uncontrollabl\w*|and\s+(?:not|wont|isnt)\s+respond\w*|and\s+(?:his|her)\s+eyes|wont\s+stop)",
        ),
        discounted(
            rule(
                "seizure",
                r"\b(?:having|had)\s+(?:a\s+)?fit\b|\beyes\s+rolled\s+back\b",
            ),
            RECENT_COUNTS,
        ),
        // Not responding.
        rule(
            "unresponsive",
            r"\b(?:wont|will\s+not|cant|cannot|couldnt|not|isnt|doesnt|didnt)\s+(?:\w+\s+){0,3}?(?:wake|waking|respond\w*|come\s+to|open\s+(?:his|her|their)\s+eyes)\b",
        ),
        rule(
            "unresponsive",
            r"\b(?:unresponsive|unconscious|passed\s+out|passing\s+out|fainted|blacked\s+out|collapsed|lost\s+consciousness|knocked\s+out|went\s+limp|no\s+pulse)\b",
        ),
        rule(
            "unresponsive",
            r"\b(?:not|isnt|stopped|quit|barely)\s+breathing\b",
        ),
        rule_with(
            "unresponsive",
            r"\b(?:floppy|limp|lethargic|listless)\b",
            r"\b(?:baby|babys|newborn|new\s+born|infant|\d+\s*(?:days?|weeks?|wks?)\s*-?\s*olds?)\b",
        ),
        // Sudden loss of sight.
        rule(
            "vision_loss",
            r"\b(?:lost|losing|lose|loss\s+of)\s+(?:\w+\s+)?(?:vision|sight|eyesight)\b|\bno\s+vision\s+in\b|\b(?:went|gone|going|is)\s+blind\b|\bblind\s+in\s+(?:one|my|his|her|the)\b",
        ),
        rule(
            "vision_loss",
            &format!(
                r"\b(?:cant|cannot|couldnt)\s+see\s+(?:\w+\s+){{0,2}}?(?:out\s+of|from|with|in)\s+(?:{WHO}\s+|one\s+)?(?:left\s+|right\s+)?eye|\bcant\s+see\s+anything\b"
            ),
        ),
        rule(
            "vision_loss",
            r"\b(?:curtain|shade|shadow|veil|black\s+spot)\s+(?:\w+\s+){0,3}?(?:over|across|coming\s+down|came\s+down|covering)\b",
        ),
        rule(
            "vision_loss",
            r"\b(?:bleach|chemical\w*|acid|cleaner|lye|oven\s+cleaner)\s+(?:\w+\s+){0,4}?(?:in|into)\s+(?:\w+\s+)?eyes?\b",
        ),
        rule(
            "vision_loss",
            r"\bvision\s+(?:\w+\s+){0,2}?(?:went|going|gone|turned)\s+(?:black|dark|dim|out|grey|gray)|\bvision\s+(?:is\s+)?gone\b",
        ),
        rule(
            "vision_loss",
            r"\beye\s+(?:\w+\s+)?(?:went|goes|going|turned)\s+(?:black|dark|blank|blind|grey|gray)",
        ),
    ]
});

/// Age in weeks when the text names a young child's age, or `None`.
fn infant_age_weeks(text: &str) -> Option<f32> {
    static AGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(\d+(?:\.\d+)?|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few)\s*-?\s*(days?|d|weeks?|wks?|w|months?|mos?|mths?|m)\s*-?\s*olds?\b|\b(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*-?\s*(days?|weeks?|wks?|months?|mos?)\b",
        )
        .expect("age pattern is valid")
    });
    let captures = AGE.captures(text)?;
    let (count, unit) = match (captures.get(1), captures.get(2)) {
        (Some(count), Some(unit)) => (count.as_str(), unit.as_str()),
        _ => (captures.get(3)?.as_str(), captures.get(4)?.as_str()),
    };
    let count = word_number(count)?;
    let weeks = match unit.chars().next()? {
        'd' => count / 7.0,
        'w' => count,
        _ => count * 4.345,
    };
    Some(weeks)
}

fn word_number(word: &str) -> Option<f32> {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match word {
        "a" => Some(1.0),
        "few" => Some(3.0),
        _ => word
            .parse()
            .ok()
            .or_else(|| WORDS.iter().position(|w| *w == word).map(|n| n as f32)),
    }
}

/// A baby under 3 months (13 weeks) with a fever of 38 °C / 100.4 °F or more,
/// or a fever with a baby whose age is not given (recall first).
pub fn infant_fever(text: &str) -> bool {
    static BABY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:baby|babys|newborn|new\s+born|infant|neonate|preemie|bub)\b|\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*-?\s*(?:days?|weeks?|wks?|months?|mos?)\s*-?\s*olds?\b|\b(?:is|hes|shes|turned|just|only)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(?:days?|weeks?|wks?)\b")
            .expect("baby pattern is valid")
    });
    static FEVER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:fever\w*|febrile|temp|temperature|burning\s+up|hot\s+to\s+the\s+touch)\b")
            .expect("fever pattern is valid")
    });
    static HYPOTHETICAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:when\s+should|should\s+(?:i|we)\s+worry|due\s+(?:in|date|on)|not\s+born|what\s+(?:temp|temperature|counts)|how\s+high|in\s+case|if\s+(?:the|my|our)\s+baby\s+(?:gets|has|ever))\b")
            .expect("hypothetical pattern is valid")
    });
    static LOW_FEVER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:no|not|without)\s+(?:a\s+|any\s+)?(?:fever|temp)\b")
            .expect("pattern is valid")
    });
    if !BABY.is_match(text) || LOW_FEVER.is_match(text) {
        return false;
    }

    let reading = temperature_reading(text);
    let feverish = match reading {
        Some(t) => t >= 38.0,
        None => FEVER.is_match(text) && !HYPOTHETICAL.is_match(text),
    };
    if !feverish {
        return false;
    }
    infant_age_weeks(text).is_none_or(|weeks| weeks < 13.0)
}

/// A temperature in the text, in °C.
fn temperature_reading(text: &str) -> Option<f32> {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(\d{2,3}(?:\.\d)?)\b").expect("number pattern is valid"));
    NUMBER.captures_iter(text).find_map(|c| {
        let value: f32 = c[1].parse().ok()?;
        match value {
            v if (35.0..=43.0).contains(&v) => Some(v),
            v if (95.0..=110.0).contains(&v) => Some((v - 32.0) * 5.0 / 9.0),
            _ => None,
        }
    })
}

/// Blood sugar under 55 mg/dL (3.0 mmol/L), or a low with confusion,
/// drowsiness, seizure or not being able to swallow.
pub fn severe_hypoglycaemia(text: &str) -> bool {
    // "number 2" or "room number 12" is no reading: the message must be
    // about sugar before "number", "reading" or "low" are read as one.
    static SUGAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(?:sugar|sugars|glucose|bg|bs|bgl|meter|cgm|dexcom|libre|diabet\w*|insulin)\b",
        )
        .expect("sugar pattern is valid")
    });
    static READING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:sugar|sugars|glucose|bg|bs|bgl|reading|meter|cgm|dexcom|libre|number|low|lo)\s*(?:is|was|of|at|reading|level|read|reads|says|said|showed|shows|dropped|down|went|fell|=|:|\s)*\s*(?:to\s+)?(\d{1,3}(?:\.\d)?)\b\s*(%|[a-z]*)")
            .expect("reading pattern is valid")
    });
    static LOW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:low\s+(?:blood\s+)?sugar|sugar\s+(?:is\s+|was\s+|keeps\s+)?(?:\w+\s+)?(?:low|crash\w*|dropp\w*|tank\w*)|hypo|hypoglyc\w*|insulin\s+reaction|diabetic\s+(?:and|reaction))\b")
            .expect("low pattern is valid")
    });
    static METER_LOW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:cgm|meter|dexcom|libre|monitor|reading|pump|sugar|glucose)\s+(?:\w+\s+){0,2}?(?:says|reads|shows|showing|showed|said|is|was)\s+(?:just\s+)?(?:lo|low)\b")
            .expect("meter pattern is valid")
    });
    static SEVERE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:confus\w*|not\s+making\s+sense|wont\s+wake|cant\s+wake|drows\w*|unrespons\w*|passed\s+out|passing\s+out|seizure|shaking|sweat\w*|cant\s+(?:swallow|think|talk|stand)|slurr\w*|out\s+of\s+it|combative|glucagon|barely\s+(?:awake|conscious)|acting\s+(?:drunk|weird|strange)|not\s+(?:himself|herself)|incoherent)\b")
            .expect("severe pattern is valid")
    });

    if !SUGAR.is_match(text) && !LOW.is_match(text) {
        return false;
    }
    // "24 weeks", "10 units", "3 pm" are not readings.
    const NOT_A_READING: [&str; 19] = [
        "week", "weeks", "wk", "wks", "year", "years", "yr", "yrs", "day", "days", "hour", "hours",
        "hrs", "unit", "units", "minutes", "mins", "am", "pm",
    ];
    let very_low = READING.captures_iter(text).any(|c| {
        let unit = &c[2];
        let value = c[1].parse::<f32>();
        unit != "%"
            && !NOT_A_READING.contains(&unit)
            && value.is_ok_and(|v| (10.0..55.0).contains(&v) || (0.5..3.0).contains(&v))
    });
    very_low || METER_LOW.is_match(text) || (LOW.is_match(text) && SEVERE.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infant_age_parses_days_weeks_and_months() {
        assert_eq!(infant_age_weeks("my 10 day old"), Some(10.0 / 7.0));
        assert_eq!(infant_age_weeks("six weeks old"), Some(6.0));
        assert!(infant_age_weeks("9 month old").unwrap() > 13.0);
        assert_eq!(infant_age_weeks("no age here"), None);
    }

    #[test]
    fn infant_fever_needs_a_young_baby_and_a_fever() {
        assert!(infant_fever("baby is 6 weeks old and 38.5 temp"));
        assert!(infant_fever("my newborn feels hot and has a fever"));
        assert!(!infant_fever(
            "my 9 month old has a temp of 100.6 after shots"
        ));
        assert!(!infant_fever("baby is 5 weeks old, temp 37.2"));
    }

    #[test]
    fn very_low_sugar_is_severe_and_normal_sugar_is_not() {
        assert!(severe_hypoglycaemia(
            "sugar is 38 and shaking can barely think"
        ));
        assert!(severe_hypoglycaemia("glucose 2.1 mmol"));
        assert!(!severe_hypoglycaemia("my sugar was 110 this morning"));
    }

    #[test]
    fn temperatures_convert_from_fahrenheit() {
        let celsius = temperature_reading("temp 100.4").unwrap();

        assert!((celsius - 38.0).abs() < 0.01);
    }
}
