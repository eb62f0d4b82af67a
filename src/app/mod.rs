//! Use cases, one module per capability. Each checks the rules, writes, and returns a typed
//! error. No HTTP types here. Callers reach them through `App` (`service.rs`), which owns a
//! request's turn, connection, session, transaction and after-commit wake-ups.

pub mod access;
pub mod account_security;
pub mod api;
pub mod audit;
pub mod backup;
pub mod bank_import;
pub mod billing;
pub mod clock;
pub mod contacts;
pub mod credit;
pub mod crypto;
pub mod dashboard;
pub mod demo;
pub mod discounts;
pub mod dunning;
pub mod file_store;
pub mod health;
pub mod interest_notes;
pub mod invoices;
pub mod invoicing;
pub mod ksef;
pub mod login;
pub mod mail_queue;
pub mod mailing_list;
pub mod metrics;
pub mod news;
pub mod news_board;
pub mod notice_mail;
pub mod notices;
pub mod online_payments;
pub mod orders;
pub mod password_recheck;
pub mod password_threads;
pub mod passwords;
pub mod payment_account;
pub mod payments;
pub mod profile;
pub mod radius;
pub mod receivables;
pub mod recurring;
pub mod refunds;
pub mod registration;
pub mod secrets_at_rest;
pub mod series;
pub mod service;
pub mod sessions;
pub mod site;
pub mod staff;
pub mod staff_roles;
pub mod start_page;
pub mod statement;
pub mod subscriptions;
pub mod throttle;
pub mod tickets;
pub mod top_ups;
pub mod traffic;
pub mod two_factor;
pub mod visits;

/// The connection pool the application service owns: the web layer hands it over at start
/// (`web::mount`) and never queries it itself.
pub use crate::db::Pool;
pub use service::App;
