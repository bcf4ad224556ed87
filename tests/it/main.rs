//! Integration tests against the real model, real intents and real data.
//! One binary, so the model loads once per run.

mod chat_client;
mod common;

mod chat_api;
mod chat_safeguards;
mod classify_cli;
mod encoder_reference;
mod faq_retrieval;
mod phi_logs;
mod redaction_eval;
mod redaction_shapes;
mod routing_eval;
mod safety_eval;
mod server_lifecycle;
mod store_backends;
mod widget_browser;
