//! Use cases, one module per capability. Each opens its transaction, checks the rules, writes,
//! and returns a typed error. No HTTP types here.

pub mod clock;
pub mod crypto;
pub mod demo;
pub mod health;
pub mod site;
pub mod start_page;
