//! Careline: a patient-portal assistant that spots emergencies first,
//! routes everything else to the right department, and (later) answers
//! common questions from a curated knowledge base.
//!
//! Read `docs/ARCHITECTURE.md` for the map; start with [`triage::Triage`].

pub mod bootstrap;
pub mod chat;
pub mod config;
pub mod eval;
pub mod http;
pub mod knowledge;
pub mod message;
pub mod model;
pub mod redact;
pub mod routing;
pub mod safety;
pub mod startup;
pub mod store;
pub mod triage;
