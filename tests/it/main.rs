//! Integration tests against the real model, real intents and real data.
//! One binary, so the model loads once per run.

mod chat_client;
mod chromium;
mod common;
mod staff_client;

mod chat_api;
mod chat_safeguards;
mod classify_cli;
mod encoder_reference;
mod faq_retrieval;
mod openapi_doc;
mod phi_logs;
mod portal_patients;
mod redaction_eval;
mod redaction_shapes;
mod routing_eval;
mod safety_eval;
mod server_lifecycle;
mod staff_browser;
mod staff_queues;
mod staff_sign_in;
mod store_backends;
mod widget_browser;
