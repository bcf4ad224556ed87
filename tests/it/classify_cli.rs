//! `careline classify` through the real binary: one output line per input
//! line, in order, with a clear error for each bad line.

use assert_cmd::Command;
use serde_json::Value;

use crate::common::repo;

fn classify(input: &str) -> Vec<Value> {
    classify_with_env(input, &[])
}

fn classify_with_env(input: &str, env: &[(&str, &str)]) -> Vec<Value> {
    let output = Command::cargo_bin("careline")
        .unwrap()
        .current_dir(repo())
        .envs(env.iter().copied())
        .arg("classify")
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn guidance_names_the_configured_emergency_number() {
    // A number-like value in the environment stays text.
    let lines = classify_with_env(
        r#"{"text": "my chest hurts and i can't breathe"}"#,
        &[("CARELINE_HOSPITAL__EMERGENCY_NUMBER", "000")],
    );

    let guidance = lines[0]["guidance"].as_str().expect("urgent guidance");
    assert!(guidance.contains("call 000"), "{guidance}");
    assert!(!guidance.contains("{{"), "{guidance}");
}

#[test]
fn bad_lines_get_errors_and_the_run_goes_on() {
    let huge = "x".repeat(100 * 1024);
    let input = [
        r#"{"text": "can i reschedule my appointment to monday"}"#.to_owned(),
        r#"{"text": "unterminated"#.to_owned(),
        r#"{"message": "no text field"}"#.to_owned(),
        r#"{"text": "   "}"#.to_owned(),
        format!(r#"{{"text": "{huge}"}}"#),
        r#"{"text": 5551234}"#.to_owned(),
        r#"{"text": "my chest hurts and i can't breathe"}"#.to_owned(),
    ]
    .join("\n");

    let lines = classify(&input);

    assert_eq!(lines.len(), 7);
    let codes: Vec<Option<&str>> = lines.iter().map(|l| l["error"]["code"].as_str()).collect();
    assert_eq!(
        codes,
        [
            None,
            Some("invalid_json"),
            Some("missing_text"),
            Some("empty_text"),
            Some("text_too_long"),
            Some("text_not_string"),
            None
        ]
    );
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(line["line"], n + 1);
    }
    assert_eq!(lines[0]["department"], "scheduling");
    assert_eq!(lines[6]["urgent"], true);
    assert!(
        !lines[5].to_string().contains("5551234"),
        "errors must not echo input"
    );
}

#[test]
fn every_field_of_a_decision_is_present() {
    let lines = classify(r#"{"text": "how do i pay my bill online"}"#);

    let line = &lines[0];
    for field in [
        "department",
        "confidence",
        "abstained",
        "alternatives",
        "secondary",
        "urgent",
        "urgent_category",
    ] {
        assert!(line.get(field).is_some(), "missing {field} in {line}");
    }
    assert_eq!(line["department"], "billing");
    assert_eq!(line["alternatives"].as_array().unwrap().len(), 3);
}
