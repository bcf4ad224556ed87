//! The chat pipeline behind `POST /api/chat`: safety first, then
//! follow-up context, routing and knowledge answers, then one atomic save.
//! Read `service.rs` from `handle` down.

mod batcher;
mod followup;
mod log_tag;
mod replies;
mod service;
mod state;
mod transcript;

pub use batcher::{BatchError, TriageBatcher};
pub use log_tag::conversation_tag;
pub use service::{
    ChatError, ChatInput, ChatReply, ChatService, PERSON, ReplyKind, Source, Suggestion,
    UrgentNotice,
};
pub use transcript::TranscriptMessage;
