use super::*;

const DEPARTMENTS: &[&str] = &["pharmacy", "billing"];

fn placeholders() -> BTreeMap<String, String> {
    BTreeMap::from([("hospital.pharmacy_phone".into(), "555-0142".into())])
}

fn file(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

const FRONT: &str = "id: refill-how
title: Requesting a prescription refill
department: pharmacy
tags: [refills, prescriptions]
updated: 2026-11-20
questions:
  - How do I request a prescription refill?
  - Can I ask for more of my medicine through the portal?
";

fn parse(text: &str) -> Result<Entry, Problem> {
    Entry::parse("refill-how", text, &placeholders(), DEPARTMENTS)
}

#[test]
fn a_well_formed_file_becomes_an_entry_with_placeholders_filled() {
    let text = file(
        FRONT,
        "\nCall {{hospital.pharmacy_phone}}.\n\n- Or use the portal.\n",
    );

    let entry = parse(&text).unwrap();

    assert_eq!(entry.id, "refill-how");
    assert_eq!(entry.title, "Requesting a prescription refill");
    assert_eq!(entry.department, "pharmacy");
    assert_eq!(entry.tags, ["refills", "prescriptions"]);
    assert_eq!(entry.updated, "2026-11-20");
    assert_eq!(entry.questions.len(), 2);
    assert_eq!(entry.answer, "Call 555-0142.\n\n- Or use the portal.");
}

#[test]
fn windows_line_endings_are_accepted() {
    let text = file(FRONT, "Answer line one.\nLine two.\n").replace('\n', "\r\n");

    let entry = parse(&text).unwrap();

    assert_eq!(entry.answer, "Answer line one.\nLine two.");
}

#[test]
fn a_file_without_front_matter_is_refused() {
    let err = parse("Just an answer, no front matter.\n").unwrap_err();

    assert!(matches!(err, Problem::MissingFrontMatter));
}

#[test]
fn an_unclosed_front_matter_is_refused() {
    let err = parse(&format!("---\n{FRONT}Answer without a closing fence.\n")).unwrap_err();

    assert!(matches!(err, Problem::MissingFrontMatter));
}

#[test]
fn invalid_yaml_is_refused() {
    let err = parse(&file("id: [unclosed\n", "Answer.")).unwrap_err();

    assert!(matches!(err, Problem::BadYaml(_)));
}

#[test]
fn unknown_front_matter_keys_are_refused() {
    let front = format!("{FRONT}author: someone\n");

    let err = parse(&file(&front, "Answer.")).unwrap_err();

    assert!(matches!(err, Problem::BadYaml(ref m) if m.contains("author")));
}

#[test]
fn each_missing_field_is_named() {
    for field in ["id", "title", "department", "updated", "questions"] {
        let front: String = FRONT
            .split_inclusive('\n')
            .filter(|line| !line.starts_with(&format!("{field}:")))
            .filter(|line| field != "questions" || !line.starts_with("  - "))
            .collect();

        let err = parse(&file(&front, "Answer.")).unwrap_err();

        assert!(
            matches!(err, Problem::MissingField(f) if f == field),
            "{field}: {err}"
        );
    }
}

#[test]
fn an_empty_question_list_is_refused() {
    let front = FRONT.split("questions:").next().unwrap().to_owned() + "questions: []\n";

    let err = parse(&file(&front, "Answer.")).unwrap_err();

    assert!(matches!(err, Problem::EmptyField("questions")));
}

#[test]
fn an_id_that_differs_from_the_file_name_is_refused() {
    let text = file(FRONT, "Answer.");

    let err = Entry::parse("refill-timing", &text, &placeholders(), DEPARTMENTS).unwrap_err();

    assert!(matches!(
        err,
        Problem::IdMismatch { ref id, ref expected } if id == "refill-how" && expected == "refill-timing"
    ));
}

#[test]
fn an_id_with_capitals_or_spaces_is_refused() {
    let front = FRONT.replace("id: refill-how", "id: Refill How");

    let err = parse(&file(&front, "Answer.")).unwrap_err();

    assert!(matches!(err, Problem::BadId { .. }));
}

#[test]
fn an_unknown_department_is_named() {
    let front = FRONT.replace("department: pharmacy", "department: radiology");

    let err = parse(&file(&front, "Answer.")).unwrap_err();

    assert!(matches!(err, Problem::UnknownDepartment(ref d) if d == "radiology"));
}

#[test]
fn an_unknown_placeholder_in_the_answer_is_named() {
    let err = parse(&file(FRONT, "Fax us at {{hospital.fax_number}}.")).unwrap_err();

    assert!(matches!(err, Problem::UnknownPlaceholder(ref n) if n == "hospital.fax_number"));
}

#[test]
fn an_empty_answer_is_refused() {
    let err = parse(&file(FRONT, "\n  \n")).unwrap_err();

    assert!(matches!(err, Problem::EmptyAnswer));
}

#[test]
fn impossible_or_misshapen_dates_are_refused() {
    for date in [
        "2026-02-30",
        "2026-13-01",
        "2026-1-5",
        "20261120",
        "next week",
    ] {
        let front = FRONT.replace("2026-11-20", date);

        let err = parse(&file(&front, "Answer.")).unwrap_err();

        assert!(
            matches!(err, Problem::BadDate(ref d) if d == date),
            "{date}"
        );
    }
}

#[test]
fn leap_days_are_real_dates() {
    assert!(is_valid_date("2028-02-29"));
    assert!(is_valid_date("2000-02-29"));
    assert!(!is_valid_date("2100-02-29"));
    assert!(!is_valid_date("2026-00-10"));
}
