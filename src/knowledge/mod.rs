//! The knowledge base: curated answers to common questions, and finding the
//! right one for a patient's message.
//!
//! - `knowledge/*.md` files load into a [`KnowledgeBase`] of [`Entry`]s,
//!   checked and with `{{hospital.<key>}}` placeholders filled.
//! - [`sync_index`] embeds each entry's title, questions and answer into a
//!   [`VectorStore`], re-embedding only what changed.
//! - A [`Retriever`] searches the store for a message and ranks entries,
//!   each with a [`KnowledgeMatch::score`] to compare with
//!   [`ANSWER_THRESHOLD`].
//!
//! [`EdgeStore`] (Qdrant Edge, in-process) is today's only store; a Qdrant
//! server store fits behind the same trait (see [`vector_store`]).

mod base;
mod edge_store;
mod entry;
mod error;
mod index;
mod placeholders;
mod retrieve;
#[cfg(test)]
mod test_support;
pub mod vector_store;

pub use base::KnowledgeBase;
pub use edge_store::EdgeStore;
pub use entry::Entry;
pub use error::{KnowledgeError, Problem};
pub use index::{IndexError, IndexReport, sync_index};
pub use placeholders::render as render_placeholders;
pub use retrieve::{ANSWER_THRESHOLD, DepartmentPrior, KnowledgeMatch, PRIOR_WEIGHT, Retriever};
pub use vector_store::{
    IndexedPoint, PointHit, PointId, PointPayload, SearchQuery, StoreError, VectorStore,
};
