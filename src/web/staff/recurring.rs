//! `/staff/platnosci-automatyczne`: every mandate with its card (brand, last four digits,
//! expiry), its charges and failed attempts, for staff who manage payments; a mandate can be
//! cancelled here (in force to the end of the period then running). And ending a contract at
//! once (`/staff/umowy/<id>/rozwiazanie`): a reason and the last day served; the unused part of
//! the paid period is corrected and returned.

use crate::domain::ContractId;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::app::App;
use crate::app::online_payments::refunds;
use crate::app::recurring::mandates::{self, CancelledBy};
use crate::app::recurring::terminate::{self, EndError, EndRequest};
use crate::app::recurring::{RecurringError, pl_date, staff};
use crate::app::staff_roles::Permission;
use crate::i18n;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::LayoutDraft;
use crate::web::server_error;
use crate::web::session::StaffCookie;
use crate::web::views::{Template, context};

const PAGE: &str = "/staff/platnosci-automatyczne";

pub fn routes() -> Vec<Route> {
    routes![desk, cancel, end_page, end]
}

#[get("/staff/platnosci-automatyczne")]
async fn desk(
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, mandates) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .run(|conn, _| staff::mandates(conn))
        .await?;
    Ok(Template::render(
        "staff/recurring",
        context! { layout: layout.staff(&me), mandates },
    ))
}

#[derive(Debug, FromForm)]
pub struct CancelFields {
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for CancelFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/platnosci-automatyczne/<id>/anuluj", data = "<_form>")]
async fn cancel(
    id: i64,
    _form: Protected<CancelFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::ManagePayments)
        .attempt(move |conn, cx| {
            let outgoing = cx.mail();
            mandates::cancel(
                conn,
                Some(&outgoing),
                None,
                id,
                &CancelledBy::Staff {
                    staff_id: cx.me.staff.id,
                    ip: cx.client.ip.clone(),
                },
                cx.today,
                cx.now,
            )
        })
        .await?;
    let lang = layout.lang();
    let back = Redirect::to(PAGE);
    match result {
        Ok(ends_on) => Ok(Flash::success(
            back,
            i18n::text_with(
                lang,
                "recurring-staff-cancelled",
                &[("date", pl_date(ends_on).into())],
            ),
        )),
        Err(RecurringError::NoMandate) => Err(Status::NotFound),
        Err(RecurringError::AlreadyEnded) => Ok(Flash::error(
            back,
            i18n::text(lang, "recurring-staff-not-active"),
        )),
        Err(error) => Err(server_error(&error)),
    }
}

#[get("/staff/umowy/<id>/rozwiazanie")]
async fn end_page(
    id: ContractId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, contract) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .run(move |conn, _| crate::app::recurring::staff::contract(conn, id))
        .await?;
    let contract = contract.ok_or(Status::NotFound)?;
    Ok(Template::render(
        "staff/contract_end",
        context! { layout: layout.staff(&me), contract },
    ))
}

#[derive(Debug, FromForm)]
pub struct EndFields {
    #[field(default = String::new())]
    csrf_token: String,
    #[field(default = String::new())]
    reason: String,
    #[field(default = String::new())]
    last_day: String,
}

impl CsrfForm for EndFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[post("/staff/umowy/<id>/rozwiazanie", data = "<form>")]
async fn end(
    id: ContractId,
    form: Protected<EndFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Flash<Redirect>, Status> {
    // Who may end contracts is checked before the form is read.
    app.staff(&cookie)
        .needs(Permission::IssueInvoices)
        .resume()
        .await?;
    let lang = layout.lang();
    let here = Redirect::to(format!("/staff/umowy/{id}/rozwiazanie"));
    let Ok(last_day) = chrono::NaiveDate::parse_from_str(form.last_day.trim(), "%Y-%m-%d") else {
        return Ok(Flash::error(
            here,
            i18n::text(lang, "contract-end-bad-date"),
        ));
    };
    let reason = form.reason.clone();
    let (_, result) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .attempt(move |conn, cx| {
            terminate::end_at_once(
                conn,
                &cx.invoicing(),
                &EndRequest {
                    contract_id: id,
                    reason,
                    last_day,
                    actor: cx.actor(),
                    today: cx.today,
                    now: cx.now,
                },
            )
        })
        .await?;
    match result {
        Ok(ended) => {
            let mut key = "contract-end-done";
            if ended.to_card > 0 {
                // Sent now when PayU answers; otherwise the background pass sends it later.
                let taken = match app.gateway() {
                    Some(gateway) => {
                        refunds::send_due(app.pool(), &gateway.client, crate::app::clock::now())
                            .await
                    }
                    None => 0,
                };
                if taken == 0 {
                    key = "contract-end-refund-waits";
                }
            }
            Ok(Flash::success(
                Redirect::to(PAGE),
                i18n::text_with(
                    lang,
                    key,
                    &[(
                        "amount",
                        crate::domain::Money::from_grosze(ended.returned)
                            .format_amount()
                            .into(),
                    )],
                ),
            ))
        }
        Err(EndError::NoContract) => Err(Status::NotFound),
        Err(EndError::NoReason) => Ok(Flash::error(
            here,
            i18n::text(lang, "contract-end-no-reason"),
        )),
        Err(EndError::BadDate) => Ok(Flash::error(
            here,
            i18n::text(lang, "contract-end-bad-date"),
        )),
        Err(error) => Err(server_error(&error)),
    }
}
