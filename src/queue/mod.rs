//! The department queues staff work: urgent first, then oldest; claims
//! that lapse; replies the patient sees; internal notes; transfers kept as
//! routing corrections; resolve and reopen; due dates in business hours.

mod business_hours;
mod service;
mod views;

pub use business_hours::BusinessHours;
pub use service::{QueueError, QueueService};
pub use views::{Canned, DepartmentInfo, Event, InquiryDetail, InquirySummary, Note, Person};
