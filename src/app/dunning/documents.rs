//! What the subscriber sees of dunning: overdue invoices with interest so far and the step each
//! reached, the letters (PDF, rendered from the recorded figures), and whether the connection
//! is flagged.

use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use chrono::NaiveDate;
use serde::Serialize;

use super::{customer_name, interest_kind_of, interest_on, setup};
use crate::app::receivables;
use crate::db::dunning::StepRow;
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::domain::dunning::{EndpointFlag, StepKind, StepStatus, step_after};
use crate::domain::interest::{InterestKind, first_day_of_delay};
use crate::domain::late_compensation::{compensation_eur, in_zloty, rate_day};
use crate::pdf::{LetterView, PdfRenderer};

/// An overdue invoice as the balance page and the dashboard show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueInvoice {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub due_date: NaiveDate,
    /// The first day of delay (the day after the due date, moved past days off).
    pub overdue_since: NaiveDate,
    pub outstanding: Money,
    /// Statutory interest to today; `None` when no rate is known for some day of the delay.
    pub interest: Option<Money>,
    /// The last step taken, with the day it expects payment by.
    pub step: Option<StepKind>,
    pub deadline: Option<NaiveDate>,
    /// What the plan does next, and on which day.
    pub next_step: Option<StepKind>,
    pub next_on: Option<NaiveDate>,
}

/// A letter in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepDocument {
    pub id: i64,
    pub step: StepKind,
    pub invoice_id: InvoiceId,
    pub taken_on: NaiveDate,
    pub outstanding: Money,
    pub interest: Money,
    pub deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CustomerDunning {
    pub overdue: Vec<OverdueInvoice>,
    pub interest_total: Money,
    pub documents: Vec<StepDocument>,
    /// The strongest flag on the customer's endpoints.
    pub flag: Option<EndpointFlag>,
    /// Interest notes billed after late payments, newest first, with what is still to pay.
    pub notes: Vec<crate::app::interest_notes::NoteView>,
}

/// The customer's overdue invoices, interest so far, steps and letters on `today`.
pub fn of_customer(
    conn: &mut DbConn,
    customer_id: CustomerId,
    today: NaiveDate,
) -> diesel::QueryResult<CustomerDunning> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(CustomerDunning::default());
    };
    let setup = setup(conn)?;
    let money = receivables::of_customer(conn, customer_id, today)?;
    let steps = db::dunning::steps_of_customer(conn, customer_id)?;
    let numbers = db::dunning::invoice_numbers_of_customer(conn, customer_id)?;
    let number_of = |invoice_id: InvoiceId| {
        numbers
            .iter()
            .find(|(id, _)| *id == invoice_id)
            .and_then(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let kind = interest_kind_of(&customer);
    let mut overdue = Vec::new();
    for debt in money.open() {
        if debt.due_date >= today {
            continue;
        }
        let last = steps
            .iter()
            .filter(|s| s.invoice_id == debt.invoice_id && s.status == StepStatus::Sent)
            .filter_map(|s| StepKind::parse(&s.step).map(|k| (k, s.deadline)))
            .max_by_key(|(k, _)| *k);
        let next = match last {
            Some((kind, _)) => step_after(&setup.plan, kind),
            None => setup.plan.iter().find(|s| s.active).copied(),
        };
        overdue.push(OverdueInvoice {
            invoice_id: debt.invoice_id,
            number: number_of(debt.invoice_id),
            due_date: debt.due_date,
            overdue_since: first_day_of_delay(debt.due_date),
            outstanding: Money::from_grosze(debt.outstanding()),
            interest: interest_on(debt, today, kind, &setup.rates).ok(),
            step: last.map(|(k, _)| k),
            deadline: last.and_then(|(_, d)| d),
            next_step: next.map(|s| s.kind),
            next_on: next.map(|s| debt.due_date + chrono::Duration::days(s.offset_days)),
        });
    }
    let interest_total = overdue.iter().filter_map(|o| o.interest).sum();
    let documents = steps
        .iter()
        .filter(|s| s.status == StepStatus::Sent && s.in_portal)
        .filter_map(|s| {
            Some(StepDocument {
                id: s.id,
                step: StepKind::parse(&s.step)?,
                invoice_id: s.invoice_id,
                taken_on: s.taken_on,
                outstanding: Money::from_grosze(s.outstanding),
                interest: Money::from_grosze(s.interest),
                deadline: s.deadline,
            })
        })
        .rev()
        .collect();
    let flag = db::dunning::flags_of_customer(conn, customer_id)?
        .iter()
        .filter_map(|f| EndpointFlag::parse(f))
        .max();
    let notes = crate::app::interest_notes::of_customer(conn, customer_id)?;
    Ok(CustomerDunning {
        overdue,
        interest_total,
        documents,
        flag,
        notes,
    })
}

fn date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// The letter of step `id`, if it is this customer's and meant for the portal.
pub fn document_of(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    customer_id: CustomerId,
    id: i64,
) -> diesel::QueryResult<Option<Vec<u8>>> {
    let Some((step, number)) = db::dunning::step_of_customer(conn, customer_id, id)? else {
        return Ok(None);
    };
    letter_pdf(conn, renderer, &step, number)
}

/// The flat recovery-cost compensation (art. 10 of the act on excessive delays in commercial
/// transactions) a formal demand to a business offers beside the debt, as it stood on the day
/// of the step: (euros, złoty, the NBP rate's day). `None` for consumers, for other steps, or
/// when no NBP rate on or before the rate day is known.
pub(crate) fn demand_compensation(
    conn: &mut DbConn,
    step: &StepRow,
    kind: StepKind,
    due_date: NaiveDate,
) -> diesel::QueryResult<Option<(i64, Money, NaiveDate)>> {
    let demand = matches!(kind, StepKind::FormalDemand | StepKind::PreCourtDemand);
    if !demand || step.interest_kind != InterestKind::Commercial {
        return Ok(None);
    }
    let eur = compensation_eur(Money::from_grosze(step.outstanding));
    Ok(
        db::interest_notes::eur_rate_on_or_before(conn, rate_day(due_date))?
            .map(|(on, e4)| (eur, in_zloty(eur, e4), on)),
    )
}

/// The letter of a step as it was taken (from the recorded figures), for the portal and for
/// the printed-letter queue; `None` for a step not sent (skipped) or of an unknown kind.
pub(crate) fn letter_pdf(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    step: &StepRow,
    number: Option<String>,
) -> diesel::QueryResult<Option<Vec<u8>>> {
    let (Some(kind), true) = (StepKind::parse(&step.step), step.status == StepStatus::Sent) else {
        return Ok(None);
    };
    let Some(customer) = db::customers::find(conn, step.customer_id)? else {
        return Ok(None);
    };
    let seller = db::seller::find(conn)?;
    let number = number.unwrap_or_default();
    let outstanding = Money::from_grosze(step.outstanding);
    let interest = Money::from_grosze(step.interest);
    let due_date = db::invoices::find(conn, step.invoice_id)?.map(|i| i.due_date);
    let rate_name = if step.interest_kind == InterestKind::Commercial {
        "odsetkami ustawowymi za opóźnienie w transakcjach handlowych"
    } else {
        "odsetkami ustawowymi za opóźnienie"
    };
    let since = due_date
        .map(first_day_of_delay)
        .map(date)
        .unwrap_or_default();
    let deadline = step.deadline.map(date);
    let account = customer.nrb.clone();
    let (title, mut paragraphs) = letter_text(kind, &number, deadline.as_deref());
    paragraphs.push(format!(
        "Należność główna wraz z {rate_name} liczonymi od dnia {since} do dnia zapłaty; \
         odsetki naliczone do dnia {}: {interest}.",
        date(step.taken_on)
    ));
    // A business also owes the flat compensation for recovery costs: offered on a formal
    // demand as its own line, never added to the debt itself.
    let compensation = match due_date {
        Some(due) => demand_compensation(conn, step, kind, due)?,
        None => None,
    };
    if let Some((eur, zloty, on)) = compensation {
        paragraphs.push(format!(
            "Ponadto, na podstawie art. 10 ust. 1 ustawy z dnia 8 marca 2013 r. o przeciwdziałaniu \
             nadmiernym opóźnieniom w transakcjach handlowych, przysługuje nam rekompensata za \
             koszty odzyskiwania należności w wysokości {eur} EUR, tj. {zloty} według średniego \
             kursu NBP z dnia {}.",
            date(on)
        ));
    }
    let view = LetterView {
        isp_name: seller
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "e-BOK".into()),
        seller_lines: seller
            .as_ref()
            .map(|s| {
                vec![
                    format!("{}, {} {}", s.address_line, s.postal_code, s.city),
                    format!("NIP {} · {} · {}", s.nip, s.phone, s.email),
                ]
            })
            .unwrap_or_default(),
        customer_lines: vec![
            customer_name(&customer),
            customer.address_line.clone(),
            format!("{} {}", customer.postal_code, customer.city),
            format!("Nr klienta: {}", customer.customer_number),
        ],
        place_and_date: match &seller {
            Some(s) => format!("{}, {}", s.city, date(step.taken_on)),
            None => date(step.taken_on),
        },
        title,
        paragraphs,
        figures: vec![
            ("Faktura".into(), number.clone()),
            (
                "Termin płatności".into(),
                due_date.map(date).unwrap_or_default(),
            ),
            ("Kwota do zapłaty".into(), outstanding.to_string()),
            (
                format!("Odsetki do dnia {}", date(step.taken_on)),
                interest.to_string(),
            ),
            ("Razem".into(), (outstanding + interest).to_string()),
        ]
        .into_iter()
        .chain(compensation.map(|(eur, zloty, on)| {
            (
                format!("Rekompensata {eur} EUR (kurs NBP z {})", date(on)),
                zloty.to_string(),
            )
        }))
        .collect(),
        closing: vec![
            format!("Wpłać na rachunek {account}, tytułem: {number}."),
            "Jeśli należność została już zapłacona, prosimy uznać to pismo za nieaktualne.".into(),
        ],
        footer: seller
            .map(|s| format!("{} · NIP {}", s.name, s.nip))
            .unwrap_or_default(),
    };
    Ok(Some(renderer.render_letter(&view)))
}

/// The letter's title and its opening paragraphs, in the ISP's Polish.
fn letter_text(kind: StepKind, number: &str, deadline: Option<&str>) -> (String, Vec<String>) {
    let by = deadline
        .map(|d| format!(" w terminie do dnia {d}"))
        .unwrap_or_default();
    match kind {
        StepKind::Reminder => (
            "Przypomnienie o płatności".into(),
            vec![format!(
                "Uprzejmie przypominamy, że termin płatności faktury {number} minął. \
                 Prosimy o wpłatę{by}."
            )],
        ),
        StepKind::FormalDemand => (
            "Wezwanie do zapłaty".into(),
            vec![format!(
                "Wzywamy do zapłaty należności z faktury {number}{by}. Po tym terminie \
                 połączenie zostanie przekierowane na stronę z informacją o zaległości, \
                 a następnie usługa zostanie ograniczona."
            )],
        ),
        StepKind::WarningPage => (
            "Informacja o zaległości".into(),
            vec![format!(
                "Faktura {number} nadal nie jest zapłacona. Po otwarciu strony internetowej \
                 zobaczysz informację o zaległości. Jeśli nie zapłacisz{by}, usługa zostanie \
                 ograniczona."
            )],
        ),
        StepKind::Limitation => (
            "Ograniczenie usługi".into(),
            vec![format!(
                "Z powodu braku zapłaty faktury {number} usługa została ograniczona. \
                 Wpłata przywraca ją niezwłocznie."
            )],
        ),
        StepKind::PreCourtDemand => (
            "Ostateczne przedsądowe wezwanie do zapłaty".into(),
            vec![format!(
                "Ostatecznie wzywamy do zapłaty należności z faktury {number}{by}. \
                 Brak zapłaty spowoduje skierowanie sprawy na drogę postępowania sądowego, \
                 co narazi Cię na dodatkowe koszty."
            )],
        ),
    }
}
