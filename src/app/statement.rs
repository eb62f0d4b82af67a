//! The statement PDF of a customer's invoices and payments ("zestawienie rozliczeń").

use crate::domain::CustomerId;
use chrono::NaiveDate;

use crate::app::invoices;
use crate::db::{self, DbConn};
use crate::domain::Money;
use crate::pdf::{PdfRenderer, StatementRow, StatementView};

fn date(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

fn amount_or_blank(grosze: i64) -> String {
    if grosze == 0 {
        String::new()
    } else {
        Money::from_grosze(grosze).format_amount()
    }
}

pub fn render(
    conn: &mut DbConn,
    renderer: &PdfRenderer,
    customer_id: CustomerId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> diesel::QueryResult<Option<Vec<u8>>> {
    let Some(customer) = db::customers::find(conn, customer_id)? else {
        return Ok(None);
    };
    let seller = db::seller::find(conn)?;
    let ledger = invoices::ledger(conn, customer_id, from, to)?;
    let closing = ledger
        .entries
        .last()
        .map(|e| e.balance)
        .unwrap_or(ledger.opening_balance);
    let name = customer.company_name.clone().unwrap_or_else(|| {
        format!(
            "{} {}",
            customer.first_name.as_deref().unwrap_or(""),
            customer.last_name.as_deref().unwrap_or("")
        )
        .trim()
        .to_owned()
    });
    let period = match (from, to) {
        (Some(f), Some(t)) => format!("od {} do {}", date(f), date(t)),
        (Some(f), None) => format!("od {}", date(f)),
        (None, Some(t)) => format!("do {}", date(t)),
        (None, None) => "cała historia".to_owned(),
    };
    let view = StatementView {
        isp_name: seller
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "e-BOK".into()),
        customer_lines: vec![
            name,
            format!(
                "{}, {} {}",
                customer.address_line, customer.postal_code, customer.city
            ),
            format!("Nr klienta: {}", customer.customer_number),
        ],
        period,
        opening_balance: Money::from_grosze(ledger.opening_balance).to_string(),
        rows: ledger
            .entries
            .iter()
            .map(|entry| StatementRow {
                date: date(entry.date),
                description: if entry.settles.is_empty() {
                    entry.description.clone()
                } else {
                    format!(
                        "{} — rozliczono: {}",
                        entry.description,
                        entry.settles.join(", ")
                    )
                },
                charge: amount_or_blank(entry.charge),
                payment: amount_or_blank(entry.payment),
                balance: Money::from_grosze(entry.balance).format_amount(),
            })
            .collect(),
        closing_balance: Money::from_grosze(closing).to_string(),
        footer: seller
            .map(|s| format!("{} · NIP {}", s.name, s.nip))
            .unwrap_or_default(),
    };
    Ok(Some(renderer.render_statement(&view)))
}
