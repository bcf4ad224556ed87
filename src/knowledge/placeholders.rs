//! `{{hospital.<key>}}` placeholders in knowledge text, filled from
//! configuration when the knowledge base loads.

use std::collections::BTreeMap;

use super::error::Problem;

/// The only namespace a placeholder may name.
const NAMESPACE: &str = "hospital.";

/// Replaces every `{{hospital.<key>}}` (spaces inside the braces allowed)
/// with its value. A name outside the namespace or missing from `values`
/// is an error naming it, so a typo never reaches a patient as raw braces.
pub fn render(text: &str, values: &BTreeMap<String, String>) -> Result<String, Problem> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;

    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after_open = &rest[start + 2..];
        let end = after_open.find("}}").ok_or(Problem::UnclosedPlaceholder)?;

        let name = after_open[..end].trim();
        let value = name
            .starts_with(NAMESPACE)
            .then(|| values.get(name))
            .flatten()
            .ok_or_else(|| Problem::UnknownPlaceholder(name.to_owned()))?;
        out.push_str(value);

        rest = &after_open[end + 2..];
    }

    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("hospital.billing_phone".into(), "555-0100".into()),
            ("hospital.name".into(), "Riverside Health".into()),
        ])
    }

    #[test]
    fn fills_every_placeholder_and_keeps_the_rest() {
        let text = "Call {{hospital.billing_phone}} or visit {{ hospital.name }}.";

        let rendered = render(text, &values()).unwrap();

        assert_eq!(rendered, "Call 555-0100 or visit Riverside Health.");
    }

    #[test]
    fn text_without_placeholders_is_unchanged() {
        let text = "Plain text with { single } braces.";

        assert_eq!(render(text, &values()).unwrap(), text);
    }

    #[test]
    fn unknown_key_is_named() {
        let err = render("Fax {{hospital.fax}} today", &values()).unwrap_err();

        assert!(matches!(err, Problem::UnknownPlaceholder(ref n) if n == "hospital.fax"));
        assert_eq!(err.to_string(), "unknown placeholder `{{hospital.fax}}`");
    }

    #[test]
    fn names_outside_the_hospital_namespace_are_refused() {
        let err = render("Hello {{patient.name}}", &values()).unwrap_err();

        assert!(matches!(err, Problem::UnknownPlaceholder(ref n) if n == "patient.name"));
    }

    #[test]
    fn unclosed_braces_are_an_error() {
        let err = render("Call {{hospital.billing_phone today", &values()).unwrap_err();

        assert!(matches!(err, Problem::UnclosedPlaceholder));
    }
}
