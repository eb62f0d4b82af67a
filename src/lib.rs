//! e-BOK: the self-service customer portal ("elektroniczne Biuro Obsługi Klienta") with invoicing
//! for Polish internet service providers.
//!
//! Data flows one way: web → app → (domain, db). See `DESIGN.md` in the shared folder for the
//! rooms and their rules.

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod i18n;
pub mod jobs;
pub mod ksef;
pub mod logging;
pub mod mail;
pub mod payu;
pub mod pdf;
pub mod sim;
pub mod web;

use rocket::{Build, Rocket};

pub use config::Config;

/// Builds the portal on an open, migrated pool. Tests call this directly; `ebok serve` launches it.
pub fn build_rocket(config: Config, pool: db::Pool) -> Result<Rocket<Build>, String> {
    let services = web::Services::from_config(&config)?;
    Ok(web::mount(config, pool, services))
}
