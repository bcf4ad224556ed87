//! One knowledge entry: a Markdown file with YAML front matter.
//!
//! ```text
//! ---
//! id: refill-how
//! title: Requesting a prescription refill
//! department: pharmacy
//! tags: [refills, prescriptions]
//! updated: 2026-11-20
//! questions:
//!   - How do I request a prescription refill?
//! ---
//! Plain-language answer; may use {{hospital.pharmacy_phone}}.
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::Problem;
use super::placeholders::render;

/// A knowledge entry as patients see it: placeholders already filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Equals the file name without `.md`.
    pub id: String,
    pub title: String,
    /// One of the deployment's department ids.
    pub department: String,
    pub tags: Vec<String>,
    /// Last review date, `YYYY-MM-DD`.
    pub updated: String,
    /// Ways patients ask for this entry; at least one.
    pub questions: Vec<String>,
    /// The answer text: paragraphs and `- ` bullets.
    pub answer: String,
}

/// The front matter as written, every field optional so that a missing
/// one is reported by name rather than by a YAML position.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: Option<String>,
    title: Option<String>,
    department: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    updated: Option<String>,
    questions: Option<Vec<String>>,
}

impl Entry {
    /// Parses and checks one file's text. `file_stem` is its name without
    /// `.md`; `departments` are the valid department ids.
    pub fn parse(
        file_stem: &str,
        text: &str,
        placeholders: &BTreeMap<String, String>,
        departments: &[&str],
    ) -> Result<Self, Problem> {
        let (yaml, body) = split_front_matter(text).ok_or(Problem::MissingFrontMatter)?;
        let front: FrontMatter =
            serde_norway::from_str(yaml).map_err(|e| Problem::BadYaml(e.to_string()))?;

        let id = required(front.id, "id")?;
        if !is_valid_id(&id) {
            return Err(Problem::BadId { id });
        }
        if id != file_stem {
            let expected = file_stem.to_owned();
            return Err(Problem::IdMismatch { id, expected });
        }

        let department = required(front.department, "department")?;
        if !departments.contains(&department.as_str()) {
            return Err(Problem::UnknownDepartment(department));
        }

        let updated = required(front.updated, "updated")?;
        if !is_valid_date(&updated) {
            return Err(Problem::BadDate(updated));
        }

        let title = render(&required(front.title, "title")?, placeholders)?;
        let questions = front.questions.ok_or(Problem::MissingField("questions"))?;
        if questions.iter().all(|q| q.trim().is_empty()) {
            return Err(Problem::EmptyField("questions"));
        }
        let questions = questions
            .iter()
            .filter(|q| !q.trim().is_empty())
            .map(|q| render(q.trim(), placeholders))
            .collect::<Result<Vec<_>, _>>()?;

        let answer = render(body.replace("\r\n", "\n").trim(), placeholders)?;
        if answer.is_empty() {
            return Err(Problem::EmptyAnswer);
        }

        Ok(Self {
            id,
            title,
            department,
            tags: front.tags,
            updated,
            questions,
            answer,
        })
    }
}

/// Splits `---\n<yaml>---\n<body>`; `None` when either fence is missing.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text.find('\n')?;
    if text[..first_line_end].trim_end() != "---" {
        return None;
    }

    let rest = &text[first_line_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn required(value: Option<String>, field: &'static str) -> Result<String, Problem> {
    let value = value.ok_or(Problem::MissingField(field))?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Problem::EmptyField(field));
    }
    Ok(trimmed.to_owned())
}

fn is_valid_id(id: &str) -> bool {
    !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `YYYY-MM-DD` naming a day that exists (leap years included).
fn is_valid_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return false;
    }

    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

#[cfg(test)]
mod tests;
