//! Red-flag detection on fresh labelled messages and the hard cases.

use careline::eval::{UrgentExample, read_jsonl, score_urgent};

use crate::common::{data, triage};

/// Scores a labelled file and holds it to the floors: every emergency
/// caught, at most 5% false alarms.
fn assert_floors(file: &str) -> careline::eval::UrgentScore {
    let examples: Vec<UrgentExample> = read_jsonl(&data(file)).unwrap();
    let score = score_urgent(triage(), &examples).unwrap();

    assert_eq!(score.recall, 1.0, "{file} missed: {:#?}", score.missed);
    assert!(
        score.false_positive_rate <= 0.05,
        "{file} false alarms: {:#?}",
        score.false_alarms
    );
    score
}

#[test]
fn every_emergency_in_the_fresh_set_is_caught() {
    let score = assert_floors("urgent.jsonl");

    assert!(score.urgent_examples + score.calm_examples >= 60);
}

#[test]
fn every_emergency_in_the_holdout_set_is_caught() {
    assert_floors("urgent_holdout.jsonl");
}

#[test]
fn negation_history_paperwork_and_figures_of_speech_are_not_emergencies() {
    for text in [
        "no chest pain, just a sore throat",
        "can i get an itemized copy of the bill for my chest pain visit",
        "I had a stroke in 2019 and need my records sent to my new neurologist",
        "does the hospital offer suicide prevention training for teachers",
        "this bill is killing me, can i get a payment plan",
    ] {
        let assessment = triage().assess(text).unwrap();

        assert!(
            assessment.urgent.is_none(),
            "{text:?} flagged as {:?}",
            assessment.urgent
        );
    }
}

#[test]
fn urgent_guidance_names_the_emergency_number_and_the_crisis_line() {
    let cardiac = triage()
        .assess("crushing chest pain and my left arm is numb")
        .unwrap();
    let crisis = triage()
        .assess("i have the pills ready and i want to end my life tonight")
        .unwrap();

    // Placeholders, filled from the hospital's configuration when shown.
    let cardiac = cardiac.urgent.expect("cardiac emergency is flagged");
    assert_eq!(cardiac.category, "cardiac");
    assert!(cardiac.guidance.contains("{{hospital.emergency_number}}"));
    let crisis = crisis.urgent.expect("suicidal message is flagged");
    assert_eq!(crisis.category, "suicidal_self_harm");
    assert!(crisis.guidance.contains("{{hospital.crisis_line}}"));
    for category in triage().safety().categories() {
        assert!(
            category.guidance.contains("{{hospital.emergency_number}}"),
            "{} guidance names no emergency number",
            category.id
        );
    }
}

#[test]
fn an_emergency_buried_in_an_errand_is_still_caught() {
    let text = "can you move my thursday appointment to next week. also my husband's face is drooping and he can't lift his arm";

    let assessment = triage().assess(text).unwrap();

    assert_eq!(
        assessment.urgent.map(|u| u.category).as_deref(),
        Some("stroke")
    );
}

#[test]
fn pregnancy_bleeding_gets_pregnancy_guidance_not_wound_care() {
    let assessment = triage()
        .assess("im 10 weeks pregnant and bleeding heavily, soaking pads")
        .unwrap();

    assert_eq!(
        assessment.urgent.map(|u| u.category).as_deref(),
        Some("pregnancy_bleeding")
    );
}

#[test]
fn emergencies_a_new_user_found_missed_are_caught() {
    for text in [
        "my chset is realy tight and i cnat breth good, wheezing bad even after inhaler",
        "mom's speech is garbled since breakfast and she keeps dropping her cup with her right hand",
        "my daughter had a fit, her eyes rolled back and she jerked for a couple minutes",
        "tonight i will finally end things, i have the pills ready",
        "i want to kms",
        "got the bill for my chest pain visit and the pain is back right now, worse than before",
        "my heart is racing at 190 and I feel like I'm going to pass out",
    ] {
        let assessment = triage().assess(text).unwrap();

        assert!(assessment.urgent.is_some(), "missed: {text:?}");
    }
}
