//! The web room: Rocket routes, request guards, template contexts and error pages. Thin: parse →
//! call `app` → render.

mod catchers;
mod filters;
mod guards;
mod public;
mod security_headers;

use std::sync::Arc;

use rocket::fs::FileServer;
use rocket::{Build, Rocket};
use rocket_dyn_templates::Template;

pub use guards::Db;

use crate::app::site::SiteInfo;
use crate::config::Config;
use crate::db;

/// What layouts need on every page, shared by all requests.
#[derive(Debug, Clone)]
pub struct Site(pub Arc<SiteInfo>);

pub fn mount(config: Config, pool: db::Pool) -> Rocket<Build> {
    let site = pool
        .get()
        .ok()
        .and_then(|mut conn| crate::app::site::load(&mut conn).ok())
        .unwrap_or_default();
    let figment = config
        .rocket
        .clone()
        .merge(("secret_key", config.security.secret_key.clone()))
        .merge(("template_dir", config.paths.templates_dir.clone()));
    let assets = FileServer::from(config.paths.assets_dir.clone()).rank(20);
    rocket::custom(figment)
        .manage(pool)
        .manage(Site(Arc::new(site)))
        .manage(config)
        .attach(Template::custom(|engines| {
            filters::register(&mut engines.tera)
        }))
        .attach(security_headers::SecurityHeaders)
        .mount("/", public::routes())
        .mount("/assets", assets)
        .register("/", catchers::catchers())
}
