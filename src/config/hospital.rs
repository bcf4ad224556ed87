//! `[hospital]`: the facts only the deploying hospital knows, used in
//! knowledge answers, replies and emergency guidance.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Facts only the deploying hospital knows. The defaults are obvious
/// examples (555-01xx numbers are reserved for fiction) so that an
/// unconfigured install never shows a real-looking wrong number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hospital {
    pub name: String,
    pub main_phone: String,
    pub nurse_line: String,
    pub scheduling_phone: String,
    pub billing_phone: String,
    pub records_phone: String,
    pub pharmacy_phone: String,
    pub portal_support_phone: String,
    pub patient_relations_phone: String,
    pub interpreter_phone: String,
    pub portal_url: String,
    pub website_url: String,
    pub financial_assistance_url: String,
    pub price_estimate_url: String,
    pub address: String,
    pub hours: String,
    pub lab_hours: String,
    pub parking: String,
    pub emergency_number: String,
    pub crisis_line: String,
    /// Named in the overdose and poisoning guidance.
    pub poison_control: String,
}

impl Default for Hospital {
    fn default() -> Self {
        let s = |v: &str| v.to_owned();
        Self {
            name: s("Example Community Hospital"),
            main_phone: s("555-0100"),
            nurse_line: s("555-0101"),
            scheduling_phone: s("555-0102"),
            billing_phone: s("555-0103"),
            records_phone: s("555-0104"),
            pharmacy_phone: s("555-0105"),
            portal_support_phone: s("555-0106"),
            patient_relations_phone: s("555-0107"),
            interpreter_phone: s("555-0108"),
            portal_url: s("https://portal.example.org"),
            website_url: s("https://www.example.org"),
            financial_assistance_url: s("https://www.example.org/financial-assistance"),
            price_estimate_url: s("https://www.example.org/estimates"),
            address: s("100 Example Avenue, Exampletown"),
            hours: s("Monday to Friday, 8 am to 5 pm"),
            lab_hours: s("Monday to Friday, 7 am to 6 pm, and Saturday, 8 am to noon"),
            parking: s("Visitor parking is in the garage next to the main entrance."),
            emergency_number: s("911"),
            crisis_line: s("988"),
            poison_control: s("1-800-222-1222"),
        }
    }
}

impl Hospital {
    /// Values for `{{hospital.<key>}}` placeholders in knowledge entries.
    pub fn placeholders(&self) -> BTreeMap<String, String> {
        let value = serde_json::to_value(self).expect("plain strings serialise");
        let serde_json::Value::Object(fields) = value else {
            unreachable!("a struct serialises to an object")
        };
        fields
            .into_iter()
            .map(|(key, value)| {
                let text = value.as_str().unwrap_or_default().to_owned();
                (format!("hospital.{key}"), text)
            })
            .collect()
    }

    pub fn is_example(&self) -> bool {
        *self == Hospital::default()
    }
}
