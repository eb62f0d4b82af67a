//! Bank statements for the demo, through the real import path: yesterday's statement already
//! booked (a bank fee and a transfer nobody could be matched to, waiting in the review queue),
//! and today's waiting in preview, so staff can see matches by account and by invoice number
//! and commit them themselves.

use crate::domain::CustomerId;
use chrono::{Days, NaiveDate, NaiveDateTime};

use super::DemoError;
use crate::app::audit::Actor;
use crate::app::bank_import::{self, Format, Upload};
use crate::db::{self, DbConn};
use crate::domain::Money;

/// The ISP's own account the statements are for (valid NRB, the demo bank's sort code).
const ISP_ACCOUNT: &str = "PL07102010260000001234567890";

/// Two statements, yesterday's committed and today's waiting for review; nothing when a statement
/// was imported already (by an earlier seeding, or by the ISP trying the demo).
pub fn seed(conn: &mut DbConn, today: NaiveDate, now: NaiveDateTime) -> Result<(), DemoError> {
    if !db::bank_import::recent_batches(conn, 1)?.is_empty() {
        return Ok(());
    }
    let actor = Actor::default();
    let yesterday = today - Days::new(1);
    let booked = statement(
        yesterday,
        &[
            credit(
                yesterday,
                5_999,
                "DEMO-0001",
                None,
                "Przelew za internet - mama",
                "KRYSTYNA WIŚNIEWSKA",
            ),
            format!(
                ":61:{}DN8,00N051NONREF//DEMO-0002\r\n:86:051~00IBKS~20Opłata za prowadzenie rach~21unku\r\n",
                yymmdd(yesterday)
            ),
        ],
    );
    let batch = import(conn, "wyciag-demo-wczoraj.sta", &booked, &actor, now)?;
    bank_import::commit(conn, batch, &actor, now)?;

    // Today: the demo subscriber pays to their individual account, customer 2 names an invoice.
    let mut lines = Vec::new();
    if let Some(demo) = db::customers::find_by_number(conn, 1)? {
        let owed = outstanding(conn, demo.id)?.map_or(9_999, |(_, amount)| amount);
        lines.push(credit(
            today,
            owed,
            "DEMO-0003",
            Some(&demo.nrb),
            "Opłata za internet",
            "JAN KOWALSKI",
        ));
    }
    if let Some(second) = db::customers::find_by_number(conn, 2)?
        && let Some((number, amount)) = outstanding(conn, second.id)?
    {
        lines.push(credit(
            today,
            amount,
            "DEMO-0004",
            None,
            &format!("Zapłata za fakturę {number}"),
            "FIRMA KLIENTA SP. Z O.O.",
        ));
    }
    if !lines.is_empty() {
        import(
            conn,
            "wyciag-demo-dzis.sta",
            &statement(today, &lines),
            &actor,
            now,
        )?;
    }
    Ok(())
}

/// The number and amount still owed of the customer's oldest unpaid invoice.
fn outstanding(
    conn: &mut DbConn,
    customer_id: CustomerId,
) -> Result<Option<(String, i64)>, DemoError> {
    let today = crate::app::clock::today();
    let money = crate::app::receivables::of_customer(conn, customer_id, today)?;
    let Some(debt) = money.open().first().copied().copied() else {
        return Ok(None);
    };
    let number = db::invoices::find(conn, debt.invoice_id)?
        .and_then(|invoice| invoice.number)
        .unwrap_or_default();
    Ok(Some((number, debt.outstanding())))
}

fn import(
    conn: &mut DbConn,
    name: &str,
    text: &str,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<i64, DemoError> {
    bank_import::preview(
        conn,
        &Upload {
            file_name: name,
            bytes: text.as_bytes(),
            format: Some(Format::Mt940),
            encoding: None,
        },
        actor,
        now,
    )
    .map_err(DemoError::from)
}

fn yymmdd(date: NaiveDate) -> String {
    date.format("%y%m%d").to_string()
}

fn credit(
    date: NaiveDate,
    grosze: i64,
    reference: &str,
    account_to: Option<&str>,
    title: &str,
    payer: &str,
) -> String {
    let amount = Money::from_grosze(grosze)
        .format_amount()
        .replace([' ', '\u{a0}'], "");
    // MT940 wraps subfields at 27 characters; the parser joins them again.
    let chars: Vec<char> = title.chars().collect();
    let title: String = chars
        .chunks(27)
        .zip(20..=25)
        .map(|(part, code)| format!("~{code}{}", part.iter().collect::<String>()))
        .collect();
    format!(
        ":61:{}C{}N240NONREF//{reference}\r\n{}:86:240~00VE02{title}~27{payer}\r\n",
        yymmdd(date),
        amount,
        account_to.map(|a| format!("{a}\r\n")).unwrap_or_default()
    )
}

fn statement(date: NaiveDate, lines: &[String]) -> String {
    format!(
        ":20:DEMO{}\r\n:25:/{ISP_ACCOUNT}\r\n:28C:00001/001\r\n:60F:C{}PLN0,00\r\n{}:62F:C{}PLN0,00\r\n-\r\n",
        yymmdd(date),
        yymmdd(date),
        lines.concat(),
        yymmdd(date)
    )
}
