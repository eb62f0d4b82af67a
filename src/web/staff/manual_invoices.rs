//! One-off and corrective invoices from the customer card:
//! `/staff/klienci/<customer>/faktury/nowa` and `/staff/klienci/<customer>/faktury/<id>/korekta`,
//! and the stored PDF of any of the customer's invoices.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::web::views::{Template, context};
use rocket::form::FromForm;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Either, Route, State, get, post, routes};

use super::forms::{StaffPage, field_messages, line_messages};
use crate::app::App;
use crate::app::invoices;
use crate::app::invoicing::Issued;
use crate::app::staff::FieldErrors;
use crate::app::staff::manual_invoices::{
    self, CorrectionEditor, CorrectionForm, FormPage, LineForm, ManualInvoiceError, OneOffForm,
    Refused,
};
use crate::app::staff_roles::Permission;
use crate::i18n::text_with;
use crate::web::csrf::{CsrfForm, Protected};
use crate::web::page::{Layout, LayoutDraft};
use crate::web::server_error;
use crate::web::session::StaffCookie;

pub fn routes() -> Vec<Route> {
    routes![
        one_off_form,
        one_off_issue,
        correction_form,
        correction_issue,
        pdf
    ]
}

const FIELDS: [&str; 11] = [
    "contract_id",
    "overpaid",
    "refund_account",
    "subscription_period",
    "series_code",
    "issue_date",
    "payment_days",
    "reason",
    "lines",
    "form",
    "kind",
];

#[derive(Debug, FromForm)]
pub struct LineFields {
    keep: bool,
    #[field(default = String::new())]
    name: String,
    #[field(default = String::new())]
    unit: String,
    #[field(default = String::new())]
    quantity: String,
    #[field(default = String::new())]
    unit_price: String,
    #[field(default = String::new())]
    vat_rate: String,
    #[field(default = String::new())]
    service_id: String,
}

impl LineFields {
    fn form(&self, keep: bool) -> LineForm {
        LineForm {
            keep,
            name: self.name.clone(),
            unit: self.unit.clone(),
            quantity: self.quantity.clone(),
            unit_price: self.unit_price.clone(),
            vat_rate: self.vat_rate.clone(),
            service_id: self.service_id.clone(),
        }
    }
}

#[derive(Debug, FromForm)]
pub struct InvoiceFields {
    #[field(default = String::new())]
    contract_id: String,
    #[field(default = String::new())]
    subscription_period: String,
    #[field(default = String::new())]
    series_code: String,
    #[field(default = String::new())]
    issue_date: String,
    #[field(default = String::new())]
    payment_days: String,
    #[field(default = String::new())]
    reason: String,
    #[field(default = String::new())]
    overpaid: String,
    #[field(default = String::new())]
    refund_account: String,
    lines: Vec<LineFields>,
    #[field(default = String::new())]
    csrf_token: String,
}

impl CsrfForm for InvoiceFields {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// One of the two forms as shown: which template, the corrected invoice (corrections), the page
/// data and what is typed.
struct Shown<'a, F> {
    template: &'static str,
    invoice: Option<(InvoiceId, String)>,
    page: FormPage,
    form: &'a F,
    lines: &'a [LineForm],
}

fn render<F: serde::Serialize>(
    layout: Layout,
    shown: Shown<'_, F>,
    errors: Option<&FieldErrors>,
) -> Result<Template, Status> {
    let Shown {
        template,
        invoice,
        page: FormPage { buyer, series },
        form,
        lines,
    } = shown;
    let form = serde_json::to_value(form).map_err(|e| server_error(&e))?;
    let line_errors = line_messages(layout.lang, errors, lines.len());
    let errors = field_messages(layout.lang, errors, &FIELDS);
    let rates: Vec<&str> = crate::domain::VatRate::ALL
        .iter()
        .map(|r| r.code())
        .collect();
    Ok(Template::render(
        template,
        context! { layout, buyer, series, invoice, form, lines, line_errors, errors, rates },
    ))
}

type Answer = Either<Flash<Redirect>, (Status, Template)>;

/// Issued: back to the customer card with the number; refused: the form again with its problems.
fn answer<F: serde::Serialize>(
    layout: Layout,
    (customer_id, flash_key): (CustomerId, &str),
    (template, form, lines): (&'static str, &F, &[LineForm]),
    result: Result<Result<Issued, Refused>, ManualInvoiceError>,
) -> Result<Answer, Status> {
    match result {
        Ok(Ok(issued)) => Ok(Either::Left(Flash::success(
            Redirect::to(format!("/staff/klienci/{customer_id}")),
            text_with(layout.lang, flash_key, &[("number", issued.number.into())]),
        ))),
        Ok(Err(Refused {
            errors,
            page,
            invoice,
        })) => {
            let page = page.ok_or(Status::NotFound)?;
            let shown = Shown {
                template,
                invoice,
                page,
                form,
                lines,
            };
            Ok(Either::Right((
                Status::UnprocessableEntity,
                render(layout, shown, Some(&errors))?,
            )))
        }
        Err(ManualInvoiceError::NotFound) => Err(Status::NotFound),
        Err(error) => Err(server_error(&error)),
    }
}

#[get("/staff/klienci/<customer_id>/faktury/nowa")]
async fn one_off_form(
    customer_id: CustomerId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, (page, form)) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .run(move |conn, cx| {
            let page =
                manual_invoices::form_page(conn, customer_id, manual_invoices::FormKind::OneOff)?;
            Ok::<_, ManualInvoiceError>((page, manual_invoices::blank_one_off(cx.today)))
        })
        .await?;
    let shown = Shown {
        template: "staff/invoice_form",
        invoice: None,
        page: page.ok_or(Status::NotFound)?,
        form: &form,
        lines: &form.lines,
    };
    render(layout.staff(&me), shown, None)
}

#[post("/staff/klienci/<customer_id>/faktury", data = "<fields>")]
async fn one_off_issue(
    customer_id: CustomerId,
    fields: Protected<InvoiceFields>,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Answer, Status> {
    let form = OneOffForm {
        contract_id: fields.contract_id.clone(),
        subscription_period: fields.subscription_period.clone(),
        series_code: fields.series_code.clone(),
        issue_date: fields.issue_date.clone(),
        payment_days: fields.payment_days.clone(),
        lines: fields.lines.iter().map(|l| l.form(true)).collect(),
    };
    let input = form.clone();
    let (me, result) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .attempt(move |conn, cx| {
            let by = (&cx.actor(), cx.now);
            manual_invoices::issue_one_off(conn, &cx.invoicing(), customer_id, &input, by)
        })
        .await?;
    answer(
        layout.staff(&me),
        (customer_id, "staff-invoice-issued"),
        ("staff/invoice_form", &form, &form.lines),
        result,
    )
}

#[get("/staff/klienci/<customer_id>/faktury/<invoice_id>/korekta")]
async fn correction_form(
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Template, Status> {
    let (me, found) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .run(move |conn, cx| {
            manual_invoices::correction_editor(conn, customer_id, invoice_id, cx.today)
        })
        .await?;
    let CorrectionEditor {
        invoice,
        form,
        page,
    } = found.ok_or(Status::NotFound)?;
    let shown = Shown {
        template: "staff/correction_form",
        invoice: Some(invoice),
        page,
        form: &form,
        lines: &form.lines,
    };
    render(layout.staff(&me), shown, None)
}

#[post(
    "/staff/klienci/<customer_id>/faktury/<invoice_id>/korekta",
    data = "<fields>"
)]
async fn correction_issue(
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    fields: Protected<InvoiceFields>,
    app: &State<App>,
    page: StaffPage,
) -> Result<Answer, Status> {
    let StaffPage { cookie, layout } = page;
    let form = CorrectionForm {
        series_code: fields.series_code.clone(),
        issue_date: fields.issue_date.clone(),
        payment_days: fields.payment_days.clone(),
        reason: fields.reason.clone(),
        lines: fields.lines.iter().map(|l| l.form(l.keep)).collect(),
        overpaid: fields.overpaid.clone(),
        refund_account: fields.refund_account.clone(),
    };
    let input = form.clone();
    let (me, result) = app
        .staff(&cookie)
        .needs(Permission::IssueInvoices)
        .attempt(move |conn, cx| {
            let (ids, by) = ((customer_id, invoice_id), (&cx.actor(), cx.now));
            manual_invoices::issue_customer_correction(conn, &cx.invoicing(), ids, &input, by)
        })
        .await?;
    answer(
        layout.staff(&me),
        (customer_id, "staff-correction-issued"),
        ("staff/correction_form", &form, &form.lines),
        result,
    )
}

/// The stored file of one of the customer's invoices, checked against its hash.
#[get("/staff/klienci/<customer_id>/faktury/<invoice_id>/pdf")]
async fn pdf(
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    app: &State<App>,
    cookie: StaffCookie,
    layout: LayoutDraft,
) -> Result<Either<(ContentType, Vec<u8>), (Status, Template)>, Status> {
    let (me, found) = app
        .staff(&cookie)
        .needs(Permission::ViewCustomers)
        .run(move |conn, cx| {
            invoices::document(conn, &cx.documents().store, customer_id, invoice_id)
        })
        .await?;
    Ok(match found.ok_or(Status::NotFound)? {
        invoices::Document::Pdf { bytes, .. } => Either::Left((ContentType::PDF, bytes)),
        invoices::Document::NotStored => {
            Either::Right(crate::web::catchers::document_not_stored(layout.staff(&me)))
        }
    })
}
