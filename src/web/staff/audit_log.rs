//! `/staff/dziennik`: the staff-wide audit log, and `/staff/dziennik.csv` its export (admins).

use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Header, Status};
use rocket::{Route, State, get, routes};

use crate::app::App;
use crate::app::staff::audit_log::{
    self, AuditLogEntry, AuditLogQuery, EXPORT_LIMIT, FilterProblem, PAGE_LIMIT,
};
use crate::app::staff_roles::Permission;
use crate::i18n::{self, Lang};
use crate::web::page::LayoutDraft;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![page, export]
}

/// `?staff=&customer=&kind=&from=&to=`; empty means "any".
#[derive(Debug, FromForm, Default)]
pub struct FilterParams {
    staff: Option<String>,
    customer: Option<String>,
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl FilterParams {
    fn query(&self) -> AuditLogQuery {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        AuditLogQuery {
            staff: text(&self.staff),
            customer: text(&self.customer),
            kind: text(&self.kind),
            from: text(&self.from),
            to: text(&self.to),
        }
    }
}

#[get("/staff/dziennik?<params..>")]
async fn page(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
    params: FilterParams,
) -> Result<Template, Status> {
    let query = params.query();
    let (filter, problems) = query.filter();
    let (me, (entries, choices)) = app
        .staff(&cookie)
        .needs(Permission::ReadAuditLog)
        .run(move |conn, _| audit_log::page(conn, &filter, PAGE_LIMIT))
        .await?;
    let layout = layout.staff(&me);
    let lang = layout.lang;
    let problems: Vec<String> = problems
        .iter()
        .map(|FilterProblem { message, .. }| i18n::text(lang, message))
        .collect();
    let export_query = export_query(&query);
    Ok(Template::render(
        "staff/audit_log",
        context! { layout, entries, choices, query, problems, export_query, limit: PAGE_LIMIT },
    ))
}

/// The same filter for the CSV link.
fn export_query(query: &AuditLogQuery) -> String {
    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                other => format!("%{other:02X}"),
            })
            .collect()
    }
    [
        ("staff", &query.staff),
        ("customer", &query.customer),
        ("kind", &query.kind),
        ("from", &query.from),
        ("to", &query.to),
    ]
    .iter()
    .map(|(name, value)| format!("{name}={}", encode(value.trim())))
    .collect::<Vec<_>>()
    .join("&")
}

#[derive(rocket::Responder)]
pub struct CsvDownload {
    body: String,
    content_type: ContentType,
    disposition: Header<'static>,
}

#[get("/staff/dziennik.csv?<params..>")]
async fn export(
    app: &State<App>,
    cookie: StaffCookie,
    lang: Lang,
    params: FilterParams,
) -> Result<CsvDownload, Status> {
    let (filter, _) = params.query().filter();
    let (_, entries): (_, Vec<AuditLogEntry>) = app
        .staff(&cookie)
        .needs(Permission::ReadAuditLog)
        .run(move |conn, _| audit_log::entries(conn, &filter, EXPORT_LIMIT))
        .await?;
    let header = [
        "staff-audit-log-when",
        "staff-audit-who",
        "staff-audit-log-customer",
        "staff-audit-action",
        "staff-audit-log-code",
        "staff-audit-log-ip",
        "staff-audit-details",
    ]
    .map(|key| i18n::text(lang, key));
    let body = audit_log::to_csv(&entries, header.each_ref().map(String::as_str), |action| {
        i18n::text_with(lang, "staff-audit-event", &[("action", action.into())])
            .replace(['\u{2068}', '\u{2069}'], "")
    });
    Ok(CsvDownload {
        body,
        content_type: ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        disposition: Header::new(
            "Content-Disposition",
            "attachment; filename=\"dziennik-zdarzen.csv\"",
        ),
    })
}
