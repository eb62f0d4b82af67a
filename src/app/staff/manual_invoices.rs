//! Invoices staff issue by hand from the customer card: a one-off invoice (installation fee, a
//! lost router) and a corrective invoice. Both go through `app::invoicing`, so numbering, PDF,
//! delivery and audit are those of every other invoice; this module turns the typed form into
//! its request and reports each problem under the field it belongs to.

use crate::domain::ContractId;
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::domain::InvoiceKind;
use crate::domain::InvoiceStatus;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::{FieldErrors, optional};
use crate::app::audit::Actor;
use crate::app::billing::contract_subscription_lines;
use crate::app::invoicing::{
    CorrectionRequest, Invoicing, IssueError, IssueRequest, Issued, LineRequest, issue_correction,
    issue_invoice,
};
use crate::db::invoices::{Invoice, InvoiceLine};
use crate::db::{self, DbConn};
use crate::domain::billing::BillingPeriod;
use crate::domain::receivables::Overpaid;
use crate::domain::subscription_periods::InvoicedBy;
use crate::domain::vat::PriceKind;
use crate::domain::{Money, Nrb, VatError, VatRate};

/// Rows the one-off form offers; empty rows are ignored.
pub const FORM_LINES: usize = 5;
/// Extra empty rows under a correction's existing lines, for lines to add.
pub const EXTRA_CORRECTION_LINES: usize = 2;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LineForm {
    /// For corrections: keep this line (unticked removes it from the invoice).
    pub keep: bool,
    pub name: String,
    pub unit: String,
    pub quantity: String,
    pub unit_price: String,
    pub vat_rate: String,
    /// For corrections: the service the original line billed, carried back unchanged so that
    /// cancelling a subscription line frees its period.
    pub service_id: String,
}

impl LineForm {
    fn is_blank(&self) -> bool {
        [&self.name, &self.quantity, &self.unit_price]
            .iter()
            .all(|f| f.trim().is_empty())
    }

    fn from_line(line: &InvoiceLine) -> LineForm {
        LineForm {
            keep: true,
            name: line.name.clone(),
            unit: line.unit.clone(),
            quantity: line.quantity.replace('.', ","),
            unit_price: Money::from_grosze(line.unit_price).format_amount(),
            vat_rate: line.vat_rate.clone(),
            service_id: line.service_id.map(|s| s.to_string()).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct OneOffForm {
    pub contract_id: String,
    /// `YYYY-MM`: also bill the contract's subscription for this month (optional).
    pub subscription_period: String,
    pub series_code: String,
    pub issue_date: String,
    pub payment_days: String,
    pub lines: Vec<LineForm>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CorrectionForm {
    pub series_code: String,
    pub issue_date: String,
    pub payment_days: String,
    pub reason: String,
    pub lines: Vec<LineForm>,
    /// What becomes of money already paid when the correction lowers the invoice: `credit`
    /// (the default) or `refund`.
    pub overpaid: String,
    /// The customer's account for a refund (26 digits, spaces and `PL` allowed).
    pub refund_account: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ManualInvoiceError {
    #[error("the form has problems")]
    Fields(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Issue(IssueError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub fn blank_one_off(today: NaiveDate) -> OneOffForm {
    OneOffForm {
        contract_id: String::new(),
        subscription_period: String::new(),
        series_code: "FV".into(),
        issue_date: today.to_string(),
        payment_days: "14".into(),
        lines: (0..FORM_LINES)
            .map(|_| LineForm {
                keep: true,
                unit: "szt.".into(),
                vat_rate: "23".into(),
                ..LineForm::default()
            })
            .collect(),
    }
}

/// The correction form starts from the lines as they stand now: the original's lines, or the
/// "after" lines of the newest correction when corrected before.
pub fn correction_form(
    conn: &mut DbConn,
    invoice: &Invoice,
    today: NaiveDate,
) -> diesel::QueryResult<CorrectionForm> {
    let side = if invoice.kind == InvoiceKind::Correction {
        "after"
    } else {
        "line"
    };
    let mut lines: Vec<LineForm> = db::invoices::lines_of(conn, invoice.id)?
        .iter()
        .filter(|l| l.side == side)
        .map(LineForm::from_line)
        .collect();
    lines.extend((0..EXTRA_CORRECTION_LINES).map(|_| LineForm {
        keep: true,
        unit: "szt.".into(),
        vat_rate: "23".into(),
        ..LineForm::default()
    }));
    Ok(CorrectionForm {
        series_code: "FK".into(),
        issue_date: today.to_string(),
        payment_days: "14".into(),
        reason: String::new(),
        lines,
        overpaid: "credit".into(),
        refund_account: String::new(),
    })
}

fn parse_quantity(text: &str) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .replace(',', ".")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    cleaned.parse::<Decimal>().ok()
}

/// Typed lines into requests; blank rows (and unticked correction rows) are skipped.
fn lines(forms: &[LineForm], errors: &mut FieldErrors) -> Vec<(usize, LineRequest)> {
    let mut out = Vec::new();
    for (i, line) in forms.iter().enumerate() {
        if line.is_blank() || !line.keep {
            continue;
        }
        let field = |name: &str| format!("lines[{i}].{name}");
        let name = optional(&line.name);
        if name.is_none() {
            errors.add(field("name"), "staff-error-required");
        }
        let quantity = match parse_quantity(&line.quantity) {
            Some(q) if q > Decimal::ZERO => Some(q),
            _ => {
                errors.add(field("quantity"), "staff-error-quantity");
                None
            }
        };
        let price = match Money::parse_pl(&line.unit_price) {
            Ok(p) if !p.is_negative() => Some(p),
            _ => {
                errors.add(field("unit_price"), "staff-error-amount");
                None
            }
        };
        let rate = match VatRate::parse(&line.vat_rate) {
            Ok(rate) => Some(rate),
            Err(_) => {
                errors.add(field("vat_rate"), "staff-error-vat-rate");
                None
            }
        };
        if let (Some(name), Some(quantity), Some(unit_price), Some(rate)) =
            (name, quantity, price, rate)
        {
            out.push((
                i,
                LineRequest {
                    name,
                    unit: optional(&line.unit).unwrap_or_else(|| "szt.".into()),
                    quantity,
                    unit_price,
                    rate,
                    service_id: line.service_id.trim().parse().ok(),
                    subscription: None,
                },
            ));
        }
    }
    out
}

fn issue_date(text: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            errors.add("issue_date", "staff-error-date");
            None
        }
    }
}

fn payment_days(text: &str, errors: &mut FieldErrors) -> u64 {
    match text.trim().parse::<u64>() {
        Ok(days) if days <= 90 => days,
        _ => {
            errors.add("payment_days", "staff-error-payment-days");
            14
        }
    }
}

/// Problems `app::invoicing` reports about the lines, put under the line they concern.
fn line_error(error: &VatError, rows: &[usize]) -> Option<(String, &'static str)> {
    let row = |line: usize| rows.get(line.saturating_sub(1)).copied().unwrap_or(0);
    match error {
        VatError::NonPositiveQuantity { line } | VatError::QuantityTooPrecise { line } => Some((
            format!("lines[{}].quantity", row(*line)),
            "staff-error-quantity",
        )),
        VatError::NoLines => Some(("lines".into(), "staff-error-no-lines")),
        VatError::OutOfRange => Some(("lines".into(), "staff-error-too-large")),
        VatError::UnknownRate(_) => Some(("lines".into(), "staff-error-vat-rate")),
        VatError::DoesNotAddUp(_) => None,
    }
}

fn issue_failed(error: IssueError, rows: &[usize]) -> ManualInvoiceError {
    let field = |name: &str, key| {
        let mut errors = FieldErrors::default();
        errors.add(name, key);
        ManualInvoiceError::Fields(errors)
    };
    match &error {
        IssueError::Lines(vat) => match line_error(vat, rows) {
            Some((name, key)) => field(&name, key),
            None => ManualInvoiceError::Issue(error),
        },
        IssueError::NoSeries(_) | IssueError::Numbering(_) => {
            field("series_code", "staff-error-series")
        }
        IssueError::NoReason => field("reason", "staff-error-reason"),
        IssueError::NoRefundAccount => field("refund_account", "staff-error-refund-account"),
        IssueError::NothingChanges => field("lines", "staff-error-nothing-changes"),
        IssueError::AlreadyInvoiced { .. } => {
            field("subscription_period", "staff-error-already-invoiced")
        }
        IssueError::NoAddress => field("form", "staff-error-buyer-address"),
        IssueError::InvalidNip => field("form", "staff-error-buyer-nip"),
        IssueError::NoSeller => field("form", "staff-error-no-seller"),
        _ => ManualInvoiceError::Issue(error),
    }
}

/// Checks the one-off form and builds the request; `issue` runs it through `app::invoicing`.
pub fn one_off_request(
    conn: &mut DbConn,
    customer_id: CustomerId,
    form: &OneOffForm,
    actor: &Actor,
) -> Result<(IssueRequest, Vec<usize>), ManualInvoiceError> {
    let customer = db::customers::find(conn, customer_id)?.ok_or(ManualInvoiceError::NotFound)?;
    let mut errors = FieldErrors::default();
    let issue_date = issue_date(&form.issue_date, &mut errors);
    let payment_days = payment_days(&form.payment_days, &mut errors);
    let mut parsed = lines(&form.lines, &mut errors);
    // Typed lines of a one-off invoice never bill a service's subscription.
    for (_, line) in &mut parsed {
        line.service_id = None;
    }
    let period = optional(&form.subscription_period).and_then(|text| {
        let period = BillingPeriod::parse(&text).ok();
        if period.is_none() {
            errors.add("subscription_period", "staff-error-period");
        }
        period
    });
    let contract_id = match optional(&form.contract_id) {
        Some(id) => {
            let contract = id
                .parse::<ContractId>()
                .ok()
                .map(|id| db::network_records::contract_of(conn, customer_id, id))
                .transpose()?
                .flatten();
            if contract.is_none() {
                errors.add("contract_id", "staff-error-choice");
            }
            contract.map(|c| c.id)
        }
        None => None,
    };
    let mut subscription_lines = Vec::new();
    if let Some(period) = period {
        match contract_id {
            None => errors.add("contract_id", "staff-error-subscription-contract"),
            Some(contract_id) => {
                subscription_lines =
                    contract_subscription_lines(conn, customer.clone(), contract_id, period)?;
                if subscription_lines.is_empty() {
                    errors.add("subscription_period", "staff-error-nothing-to-bill");
                }
            }
        }
    }
    if parsed.is_empty() && subscription_lines.is_empty() && errors.is_empty() {
        errors.add("lines", "staff-error-no-lines");
    }
    let Some(issue_date) = issue_date.filter(|_| errors.is_empty()) else {
        return Err(ManualInvoiceError::Fields(errors));
    };
    // Rows of refusals point at typed lines, which follow the subscription lines.
    let rows = std::iter::repeat_n(usize::MAX, subscription_lines.len())
        .chain(parsed.iter().map(|(i, _)| *i))
        .collect();
    let lines = subscription_lines
        .into_iter()
        .chain(parsed.into_iter().map(|(_, l)| l))
        .collect();
    Ok((
        IssueRequest {
            customer_id,
            contract_id,
            series_code: form.series_code.trim().to_owned(),
            issue_date,
            // A one-off charge is sold on the day it is invoiced unless staff say otherwise.
            sale_date: Some(issue_date),
            period: period.map(|p| (p.first_day(), p.last_day())),
            payment_days,
            lines,
            annex_15_goods: false,
            invoiced_by: InvoicedBy::Manual,
            actor: actor.for_customer(customer_id),
        },
        rows,
    ))
}

pub fn correction_request(
    invoice: &Invoice,
    form: &CorrectionForm,
    actor: &Actor,
) -> Result<(CorrectionRequest, Vec<usize>), ManualInvoiceError> {
    let mut errors = FieldErrors::default();
    let issue_date = issue_date(&form.issue_date, &mut errors);
    let payment_days = payment_days(&form.payment_days, &mut errors);
    if optional(&form.reason).is_none() {
        errors.add("reason", "staff-error-reason");
    }
    let overpaid = match form.overpaid.trim() {
        "" => Some(Overpaid::Credit),
        text => Overpaid::parse(text),
    };
    if overpaid.is_none() {
        errors.add("overpaid", "staff-error-overpaid");
    }
    let refund_account = optional(&form.refund_account);
    if overpaid == Some(Overpaid::Refund)
        && refund_account
            .as_deref()
            .is_none_or(|a| Nrb::parse(a).is_err())
    {
        errors.add("refund_account", "staff-error-refund-account");
    }
    let parsed = lines(&form.lines, &mut errors);
    if parsed.is_empty() && errors.is_empty() {
        errors.add("lines", "staff-error-no-lines");
    }
    let Some(issue_date) = issue_date.filter(|_| errors.is_empty()) else {
        return Err(ManualInvoiceError::Fields(errors));
    };
    let rows = parsed.iter().map(|(i, _)| *i).collect();
    Ok((
        CorrectionRequest {
            original_id: invoice.id,
            series_code: form.series_code.trim().to_owned(),
            issue_date,
            reason: form.reason.trim().to_owned(),
            lines: parsed.into_iter().map(|(_, l)| l).collect(),
            payment_days,
            actor: actor.for_customer(invoice.customer_id),
            overpaid: overpaid.unwrap_or_default(),
            refund_account: refund_account.filter(|_| overpaid == Some(Overpaid::Refund)),
        },
        rows,
    ))
}

/// Maps what issuing refused to the form (per field where it can).
pub fn refused(error: IssueError, rows: &[usize]) -> ManualInvoiceError {
    issue_failed(error, rows)
}

/// The customer's issued invoice, or None when it is not theirs (a 404 for staff URLs too).
pub fn invoice_of(
    conn: &mut DbConn,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
) -> diesel::QueryResult<Option<Invoice>> {
    Ok(db::invoices::find(conn, invoice_id)?
        .filter(|i| i.customer_id == customer_id && i.status == InvoiceStatus::Issued))
}

/// The form page's header: whose invoice, and whether prices are net or gross for this buyer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuyerHeader {
    pub id: CustomerId,
    pub customer_number: i64,
    pub name: String,
    /// Typed prices are net for a company and gross for a consumer, as issuing will take them.
    pub prices_net: bool,
    pub contracts: Vec<(ContractId, String)>,
}

/// What the one-off or correction form shows besides the typed form: the buyer and the series
/// of the invoice's kind. `None` when there is no such customer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FormPage {
    pub buyer: BuyerHeader,
    pub series: Vec<(String, String)>,
}

/// Which form a page is: a one-off invoice or a correction (they number in different series).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    OneOff,
    Correction,
}

pub fn form_page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    kind: FormKind,
) -> diesel::QueryResult<Option<FormPage>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    let buyer = BuyerHeader {
        id: customer.id,
        customer_number: customer.customer_number,
        name: crate::app::staff::customer_card::display_name(&customer),
        prices_net: crate::app::invoicing::price_kind_of(&customer) == PriceKind::Net,
        contracts: db::contracts::of_customer(conn, customer_id)?
            .into_iter()
            .map(|(c, _)| (c.id, c.number))
            .collect(),
    };
    let series_kind = match kind {
        FormKind::OneOff => "invoice",
        FormKind::Correction => "correction",
    };
    let series = series_codes(conn, series_kind)?;
    Ok(Some(FormPage { buyer, series }))
}

/// A refused form comes back with its page, read in the same trip (for a correction, with the
/// corrected invoice's id and number).
pub struct Refused {
    pub errors: FieldErrors,
    pub page: Option<FormPage>,
    pub invoice: Option<(InvoiceId, String)>,
}

/// Issues a one-off invoice from the typed form; `Ok(Err(..))` is the form's problems with its
/// page to show them on.
pub fn issue_one_off(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    customer_id: CustomerId,
    form: &OneOffForm,
    (actor, now): (&Actor, NaiveDateTime),
) -> Result<Result<Issued, Refused>, ManualInvoiceError> {
    let issued = one_off_request(conn, customer_id, form, actor).and_then(|(request, rows)| {
        issue_invoice(conn, invoicing, &request, now).map_err(|e| refused(e, &rows))
    });
    with_page(conn, customer_id, (FormKind::OneOff, None), issued)
}

/// The correction form of one of the customer's issued invoices, with what its page shows.
pub struct CorrectionEditor {
    /// The corrected invoice's id and number.
    pub invoice: (InvoiceId, String),
    pub form: CorrectionForm,
    pub page: FormPage,
}

/// `None` when the invoice is not the customer's.
pub fn correction_editor(
    conn: &mut DbConn,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    today: NaiveDate,
) -> diesel::QueryResult<Option<CorrectionEditor>> {
    let Some(invoice) = invoice_of(conn, customer_id, invoice_id)? else {
        return Ok(None);
    };
    let form = correction_form(conn, &invoice, today)?;
    let Some(page) = form_page(conn, customer_id, FormKind::Correction)? else {
        return Ok(None);
    };
    let invoice = (invoice.id, invoice.number.unwrap_or_default());
    Ok(Some(CorrectionEditor {
        invoice,
        form,
        page,
    }))
}

/// Issues a correction of one of the customer's invoices from the typed form; refused like
/// `issue_one_off`.
pub fn issue_customer_correction(
    conn: &mut DbConn,
    invoicing: &Invoicing<'_>,
    (customer_id, invoice_id): (CustomerId, InvoiceId),
    form: &CorrectionForm,
    (actor, now): (&Actor, NaiveDateTime),
) -> Result<Result<Issued, Refused>, ManualInvoiceError> {
    let invoice = invoice_of(conn, customer_id, invoice_id)?.ok_or(ManualInvoiceError::NotFound)?;
    let number = (invoice.id, invoice.number.clone().unwrap_or_default());
    let issued = correction_request(&invoice, form, actor).and_then(|(request, rows)| {
        issue_correction(conn, invoicing, &request, now).map_err(|e| refused(e, &rows))
    });
    with_page(
        conn,
        customer_id,
        (FormKind::Correction, Some(number)),
        issued,
    )
}

fn with_page(
    conn: &mut DbConn,
    customer_id: CustomerId,
    (kind, invoice): (FormKind, Option<(InvoiceId, String)>),
    issued: Result<Issued, ManualInvoiceError>,
) -> Result<Result<Issued, Refused>, ManualInvoiceError> {
    match issued {
        Ok(issued) => Ok(Ok(issued)),
        Err(ManualInvoiceError::Fields(errors)) => {
            let page = form_page(conn, customer_id, kind)?;
            Ok(Err(Refused {
                errors,
                page,
                invoice,
            }))
        }
        Err(error) => Err(error),
    }
}

/// Active series of a kind ("invoice" / "correction"), for the form's choice.
pub fn series_codes(conn: &mut DbConn, kind: &str) -> diesel::QueryResult<Vec<(String, String)>> {
    Ok(db::invoices::all_series(conn)?
        .into_iter()
        .filter(|s| s.active && s.kind == kind)
        .map(|s| (s.code, s.name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, quantity: &str, price: &str, rate: &str) -> LineForm {
        LineForm {
            keep: true,
            name: name.into(),
            unit: "szt.".into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            vat_rate: rate.into(),
            service_id: String::new(),
        }
    }

    #[test]
    fn blank_rows_are_skipped_and_bad_cells_named() {
        let mut errors = FieldErrors::default();
        let parsed = lines(
            &[
                line("Instalacja", "1", "199,00", "23"),
                LineForm::default(),
                line("", "0", "abc", "17"),
            ],
            &mut errors,
        );
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].1.unit_price, Money::from_grosze(19_900));
        assert_eq!(errors.get("lines[2].name"), Some("staff-error-required"));
        assert_eq!(
            errors.get("lines[2].quantity"),
            Some("staff-error-quantity")
        );
        assert_eq!(
            errors.get("lines[2].unit_price"),
            Some("staff-error-amount")
        );
        assert_eq!(
            errors.get("lines[2].vat_rate"),
            Some("staff-error-vat-rate")
        );
    }

    #[test]
    fn quantities_take_a_decimal_comma() {
        assert_eq!(parse_quantity("1,5"), Some(Decimal::new(15, 1)));
        assert_eq!(parse_quantity("x"), None);
    }
}
