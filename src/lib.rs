//! Careline: a patient-portal assistant that spots emergencies first,
//! answers common questions from a curated knowledge base, routes
//! everything else to the right department's queue, and lets staff work
//! those queues.
//!
//! Read `docs/ARCHITECTURE.md` for the map; start with [`triage::Triage`].

pub mod auth;
pub mod bootstrap;
pub mod chat;
pub mod config;
pub mod eval;
pub mod http;
pub mod knowledge;
pub mod message;
pub mod model;
pub mod queue;
pub mod redact;
pub mod routing;
pub mod safety;
pub mod startup;
pub mod store;
pub mod triage;
