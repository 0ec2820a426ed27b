//! Email that is never lost: messages are written to the outbox in the transaction of the
//! change that causes them, and delivered afterwards by a worker (see `worker`).

pub mod ics;
pub mod message;
pub mod model;
pub mod pages;
pub mod privacy;
pub mod service;
pub mod worker;

pub use message::{Email, Recipient};
pub use privacy::forget;
pub use service::{enqueue, next_calendar_sequence, queued_keys};
