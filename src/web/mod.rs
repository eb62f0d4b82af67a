//! The web room: Rocket routes, request guards, template contexts and error pages. Thin: parse →
//! call `app` → render.

pub mod api;
mod catchers;
pub mod client_ip;
pub mod csrf;
mod customer;
pub mod dunning_worker;
mod filters;
mod ids;
pub mod ksef_worker;
pub mod lang;
pub mod mailing;
mod mailing_list;
mod messages;
mod metrics;
pub mod notices_worker;
pub mod online_payments_worker;
mod outbox_worker;
pub mod page;
mod payu_notify;
mod public;
pub mod request_id;
mod security_headers;
pub mod session;
mod staff;
mod ticket_errors;
pub mod traffic_view;
pub mod traffic_worker;
pub mod uploads;
pub mod views;
pub mod visits_worker;

use std::sync::Arc;

use rocket::fs::FileServer;
use rocket::{Build, Rocket};

use lettre::message::Mailbox;

use self::outbox_worker::OutboxWorker;
use self::views::Views;
use crate::app::invoicing::PdfStore;
pub use crate::app::service::Documents;
use crate::app::service::{App, AppParts, MailSetup, Mailing, Refusal};
use crate::app::site::SiteInfo;
use crate::app::tickets::AttachmentStore;
use crate::config::Config;
use crate::mail::MailTemplates;
use crate::pdf::PdfRenderer;

/// What layouts need on every page, shared by all requests.
#[derive(Debug, Clone)]
pub struct Site(pub Arc<SiteInfo>);

/// Logs what went wrong and answers with the friendly 500 page.
pub fn server_error(error: &dyn std::fmt::Display) -> rocket::http::Status {
    tracing::error!(%error, "request failed");
    rocket::http::Status::InternalServerError
}

/// A refused application call as an answer: an ended session goes to the login page (the 401
/// catcher), a role that does not open the page is 403, a failure (logged where it happened)
/// the friendly 500 page.
impl From<Refusal> for rocket::http::Status {
    fn from(refusal: Refusal) -> Self {
        use rocket::http::Status;
        match refusal {
            Refusal::SignedOut => Status::Unauthorized,
            Refusal::Forbidden => Status::Forbidden,
            Refusal::Closing | Refusal::Unavailable | Refusal::Busy => Status::ServiceUnavailable,
            Refusal::Failed(_) => Status::InternalServerError,
        }
    }
}

/// Everything the portal needs besides configuration and pool, prepared before Rocket starts.
pub struct Services {
    pub pages: Views,
    pub mail_templates: MailTemplates,
    pub mail_from: Mailbox,
    pub renderer: Arc<PdfRenderer>,
}

impl Services {
    pub fn from_config(config: &Config) -> Result<Services, String> {
        Ok(Services {
            pages: Views::load(&config.paths.templates_dir)?,
            mail_templates: MailTemplates::load(&config.paths.templates_dir.join("mail"))?,
            mail_from: config
                .mail
                .from
                .parse()
                .map_err(|e| format!("EBOK_MAIL_FROM: {e}"))?,
            renderer: PdfRenderer::shared().map_err(|e| format!("invoice fonts: {e}"))?,
        })
    }
}

pub fn mount(config: Config, pool: crate::app::Pool, services: Services) -> Rocket<Build> {
    let site = crate::app::site::at_start(&pool);
    let mailing = Mailing(Arc::new(MailSetup {
        templates: services.mail_templates,
        public_url: config.web.public_url.clone(),
        isp_name: site.isp_name.clone(),
    }));
    let worker = config.mail.run_sender.then(|| OutboxWorker {
        mail: config.mail.clone(),
        from: services.mail_from,
    });
    let figment = uploads::with_upload_limits(config.rocket.clone())
        .merge(("secret_key", config.security.secret_key.clone()))
        // A month of a large ISP's bank statement is several MiB; Rocket's default is 1 MiB.
        .merge(("limits.file", "16 MiB"))
        .merge(("limits.data-form", "17 MiB"))
        // A batch of 50 000 traffic counters to the API is about 5 MiB.
        .merge(("limits.json", "8 MiB"));
    let assets = FileServer::from(config.paths.assets_dir.clone()).rank(20);
    let app = App::new(AppParts {
        pool,
        config: config.clone(),
        mailing,
        documents: Documents {
            renderer: services.renderer,
            store: PdfStore::new(&config.paths.invoices_dir),
        },
        attachments: AttachmentStore::new(&config.paths.attachments_dir),
        gateway: online_payments_worker::gateway(&config),
    });
    let secrets = config.security.secrets.clone();
    let request_metrics = crate::app::metrics::RequestMetrics::shared();
    // The pages not yet served through `App` calls take these as state; each is the app's own
    // (the same turns, signal, board and slots), not a second copy.
    let security_headers =
        security_headers::SecurityHeaders::new(config.payu.as_ref().map(|p| p.url.as_str()));
    let rocket = rocket::custom(figment)
        .manage(secrets)
        .manage(services.pages)
        .manage(Site(Arc::new(site)))
        .manage(config)
        .manage(app.mailing())
        .manage(app.outbox_signal())
        .manage(app.news_board())
        .manage(app.password_slots())
        .manage(app.attachments())
        .manage(app.documents())
        .manage(app)
        .manage(request_metrics.clone())
        .attach(request_id::RequestIds)
        .attach(metrics::RequestTimer(request_metrics))
        .attach(security_headers)
        .mount("/", public::routes())
        .mount("/", customer::routes())
        .mount("/", staff::routes())
        .mount("/", lang::routes())
        .mount("/", mailing_list::routes())
        .mount("/", metrics::routes())
        .mount("/", payu_notify::routes())
        .mount("/", api::routes())
        .attach(online_payments_worker::OnlinePayments)
        .mount("/assets", assets)
        .register("/", catchers::catchers())
        .register("/api", api::catchers());
    match worker {
        Some(worker) => rocket.attach(worker),
        None => rocket,
    }
}
