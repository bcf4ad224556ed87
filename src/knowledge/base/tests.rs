use std::fs;

use super::*;

const DEPARTMENTS: &[&str] = &["pharmacy", "billing"];

fn placeholders(phone: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("hospital.billing_phone".into(), phone.into())])
}

fn entry_text(id: &str, answer: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Title of {id}\ndepartment: billing\nupdated: 2026-11-20\n\
         questions:\n  - How does {id} work?\n---\n{answer}\n"
    )
}

fn folder(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn loads_markdown_entries_sorted_by_id_and_ignores_other_files() {
    let dir = folder(&[
        (
            "bill-pay.md",
            entry_text("bill-pay", "Call {{hospital.billing_phone}}."),
        ),
        ("bill-appeal.md", entry_text("bill-appeal", "Write to us.")),
        ("README.md", "# How to write entries\n".into()),
        ("notes.txt", "not an entry".into()),
        ("draft.md.bak", "not an entry either".into()),
    ]);
    fs::create_dir(dir.path().join("drafts.md")).unwrap();

    let kb = KnowledgeBase::load(dir.path(), &placeholders("555-0100"), DEPARTMENTS).unwrap();

    let ids: Vec<&str> = kb.entries().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["bill-appeal", "bill-pay"]);
    assert_eq!(kb.get("bill-pay").unwrap().answer, "Call 555-0100.");
    assert!(kb.get("missing").is_none());
}

#[test]
fn a_bad_file_is_named_in_the_error() {
    let dir = folder(&[
        ("bill-pay.md", entry_text("bill-pay", "Fine.")),
        (
            "bill-fax.md",
            entry_text("bill-fax", "Fax {{hospital.fax}}."),
        ),
    ]);

    let err = KnowledgeBase::load(dir.path(), &placeholders("555-0100"), DEPARTMENTS).unwrap_err();

    assert_eq!(err.file, dir.path().join("bill-fax.md"));
    assert!(matches!(err.problem, Problem::UnknownPlaceholder(ref n) if n == "hospital.fax"));
    let message = err.to_string();
    assert!(message.contains("bill-fax.md"), "{message}");
    assert!(message.contains("hospital.fax"), "{message}");
}

#[test]
fn a_missing_folder_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("knowledge");

    let err = KnowledgeBase::load(&missing, &placeholders("555-0100"), DEPARTMENTS).unwrap_err();

    assert_eq!(err.file, missing);
    assert!(matches!(err.problem, Problem::Read(_)));
}

#[test]
fn a_second_entry_with_the_same_id_is_refused() {
    let placeholders = placeholders("555-0100");
    let parse = |text: &str| Entry::parse("bill-pay", text, &placeholders, DEPARTMENTS).unwrap();
    let files = vec![
        (
            PathBuf::from("a/bill-pay.md"),
            parse(&entry_text("bill-pay", "One.")),
        ),
        (
            PathBuf::from("b/bill-pay.md"),
            parse(&entry_text("bill-pay", "Two.")),
        ),
    ];

    let err = KnowledgeBase::from_files(files).unwrap_err();

    assert_eq!(err.file, PathBuf::from("b/bill-pay.md"));
    assert!(matches!(
        err.problem,
        Problem::DuplicateId { ref id, ref first } if id == "bill-pay" && first == Path::new("a/bill-pay.md")
    ));
}

#[test]
fn fingerprint_follows_rendered_content_only() {
    let dir = folder(&[(
        "bill-pay.md",
        entry_text("bill-pay", "Call {{hospital.billing_phone}}."),
    )]);
    let load = |phone: &str| {
        KnowledgeBase::load(dir.path(), &placeholders(phone), DEPARTMENTS)
            .unwrap()
            .fingerprint()
            .to_owned()
    };

    let first = load("555-0100");
    let again = load("555-0100");
    let other_phone = load("555-0199");
    fs::write(dir.path().join("README.md"), "edited readme").unwrap();
    let after_readme = load("555-0100");

    assert_eq!(first, again);
    assert_ne!(first, other_phone);
    assert_eq!(first, after_readme);
    assert_eq!(first.len(), 64);
}
