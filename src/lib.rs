//! Careline: a patient-portal assistant that spots emergencies first,
//! routes everything else to the right department, and (later) answers
//! common questions from a curated knowledge base.
//!
//! Read `docs/ARCHITECTURE.md` for the map; start with [`triage::Triage`].

pub mod bootstrap;
pub mod eval;
pub mod message;
pub mod model;
pub mod routing;
pub mod safety;
pub mod triage;
pub mod chat;
pub mod config;
pub mod store;
pub mod knowledge;
pub mod http;
pub mod startup;
