//! The interest note as a document: who bills whom, each late-paid invoice with its days of
//! delay and interest, the total, and where to pay. Polish only, like the invoices.

use chrono::NaiveDate;

use super::PendingCustomer;
use crate::app::dunning::customer_name;
use crate::db::customers::Customer;
use crate::db::seller::Seller;
use crate::domain::Money;
use crate::pdf::LetterView;

pub struct NoteFacts<'a> {
    pub number: &'a str,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub customer: &'a Customer,
    pub pending: &'a PendingCustomer,
}

fn date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

pub fn note_letter(facts: &NoteFacts<'_>, seller: Option<&Seller>) -> LetterView {
    let customer = facts.customer;
    let rate_name = if facts.pending.business {
        "odsetki ustawowe za opóźnienie w transakcjach handlowych (art. 4 pkt 3 ustawy o \
         przeciwdziałaniu nadmiernym opóźnieniom w transakcjach handlowych)"
    } else {
        "odsetki ustawowe za opóźnienie (art. 481 § 2 Kodeksu cywilnego)"
    };
    let mut paragraphs = vec![format!(
        "Na podstawie poniższego zestawienia obciążamy Państwa kwotą {} tytułem odsetek za \
         nieterminową zapłatę faktur: {rate_name}, naliczonych od pierwszego dnia opóźnienia do \
         dnia zapłaty.",
        facts.pending.interest
    )];
    if facts.pending.compensation > Money::zero() {
        paragraphs.push(format!(
            "Ponadto, na podstawie art. 10 ust. 1 ustawy o przeciwdziałaniu nadmiernym \
             opóźnieniom w transakcjach handlowych, przysługuje nam rekompensata za koszty \
             odzyskiwania należności w łącznej kwocie {}, przeliczona według średniego kursu \
             euro NBP z ostatniego dnia roboczego miesiąca poprzedzającego miesiąc wymagalności.",
            facts.pending.compensation
        ));
    }
    paragraphs.push(
        "Nota odsetkowa nie jest fakturą VAT: odsetki nie są wynagrodzeniem za usługę i nie \
         podlegają opodatkowaniu VAT."
            .into(),
    );
    let mut figures: Vec<(String, String)> = facts
        .pending
        .invoices
        .iter()
        .map(|invoice| {
            (
                format!(
                    "{}: {} zapł. {} (termin {}, {} dni)",
                    invoice.number,
                    invoice.principal,
                    date(invoice.paid_on),
                    date(invoice.due_date),
                    invoice.days
                ),
                invoice.interest.to_string(),
            )
        })
        .collect();
    for invoice in facts
        .pending
        .invoices
        .iter()
        .filter(|i| i.compensation_eur > 0)
    {
        let rate = invoice
            .eur_rate_e4
            .map(|e4| {
                rust_decimal::Decimal::new(e4, 4)
                    .to_string()
                    .replace('.', ",")
            })
            .unwrap_or_default();
        figures.push((
            format!(
                "{}: rekompensata {} EUR (art. 10, kurs NBP {rate} z {})",
                invoice.number,
                invoice.compensation_eur,
                invoice.eur_rate_on.map(date).unwrap_or_default()
            ),
            invoice.compensation.to_string(),
        ));
    }
    figures.push(("Razem do zapłaty".into(), facts.pending.total.to_string()));
    figures.push(("Termin płatności".into(), date(facts.due_date)));
    let total: Money = facts.pending.total;
    LetterView {
        isp_name: seller.map_or_else(|| "e-BOK".into(), |s| s.name.clone()),
        seller_lines: seller
            .map(|s| {
                vec![
                    format!("{}, {} {}", s.address_line, s.postal_code, s.city),
                    format!("NIP {} · {} · {}", s.nip, s.phone, s.email),
                ]
            })
            .unwrap_or_default(),
        customer_lines: [
            Some(customer_name(customer)),
            customer.nip.as_ref().map(|nip| format!("NIP {nip}")),
            Some(customer.address_line.clone()),
            Some(format!("{} {}", customer.postal_code, customer.city)),
            Some(format!("Nr klienta: {}", customer.customer_number)),
        ]
        .into_iter()
        .flatten()
        .collect(),
        place_and_date: match seller {
            Some(s) => format!("{}, {}", s.city, date(facts.issue_date)),
            None => date(facts.issue_date),
        },
        title: format!("Nota odsetkowa nr {}", facts.number),
        paragraphs,
        figures,
        closing: vec![format!(
            "Prosimy o wpłatę {total} do dnia {} na rachunek {}, tytułem: {}.",
            date(facts.due_date),
            customer.nrb,
            facts.number
        )],
        footer: seller
            .map(|s| format!("{} · NIP {}", s.name, s.nip))
            .unwrap_or_default(),
    }
}
