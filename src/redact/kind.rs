//! The kinds of PHI the redactor finds, and the placeholder each leaves.

use serde::Serialize;

/// A HIPAA Safe Harbor identifier, as it occurs in portal chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PhiKind {
    /// A person: the patient, a relative, a clinician.
    Name,
    /// Any part of a date but the year alone.
    Date,
    /// An age over 89.
    Age,
    /// Phone and fax numbers.
    Phone,
    Email,
    Ssn,
    /// Medical record number.
    Mrn,
    /// Account, member, group, claim, licence, passport, plate and serial
    /// numbers, and any other unique number.
    Id,
    /// Street address, unit, city and state.
    Address,
    Zip,
    Url,
    Ip,
    /// A payment card number that passes the Luhn check.
    Card,
}

impl PhiKind {
    /// What replaces the PHI in redacted text.
    pub fn placeholder(self) -> &'static str {
        match self {
            Self::Name => "[NAME]",
            Self::Date => "[DATE]",
            Self::Age => "[AGE]",
            Self::Phone => "[PHONE]",
            Self::Email => "[EMAIL]",
            Self::Ssn => "[SSN]",
            Self::Mrn => "[MRN]",
            Self::Id => "[ID]",
            Self::Address => "[ADDRESS]",
            Self::Zip => "[ZIP]",
            Self::Url => "[URL]",
            Self::Ip => "[IP]",
            Self::Card => "[CARD]",
        }
    }

    /// The label of the kind in marked evaluation files (`[[NAME|...]]`).
    pub fn from_label(label: &str) -> Option<Self> {
        Some(match label {
            "NAME" => Self::Name,
            "DATE" => Self::Date,
            "AGE" => Self::Age,
            "PHONE" => Self::Phone,
            "EMAIL" => Self::Email,
            "SSN" => Self::Ssn,
            "MRN" => Self::Mrn,
            "ID" => Self::Id,
            "ADDRESS" => Self::Address,
            "ZIP" => Self::Zip,
            "URL" => Self::Url,
            "IP" => Self::Ip,
            "CARD" => Self::Card,
            _ => return None,
        })
    }
}
