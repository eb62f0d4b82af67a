//! Background work. Idempotent and safe with several instances: work is claimed with a
//! conditional update before it is done.

pub mod dunning;
pub mod ksef;
pub mod notices;
pub mod outbox;
pub mod recurring;
pub mod traffic;
pub mod visits;
