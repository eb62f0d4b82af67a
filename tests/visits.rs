//! Technician visits end to end on every backend (issue 22): booking the last slot twice at
//! once, the confirmation's calendar entry, a late cancellation that reaches the next billing
//! run's invoice, a missed visit and a waived fee, visits on the days the clocks change, bad
//! input that stores nothing, and reminders queued once by two instances.

mod common;

use ebok::domain::CustomerId;
use ebok::domain::InvoiceId;
use std::sync::{Arc, Barrier};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rocket::http::Status;
use rocket::local::blocking::Client;

use common::{TestApp, log_in, page_text, post, scalar_i64, staff_client};
use ebok::app::audit::Actor;
use ebok::app::billing::{self, Source};
use ebok::app::clock;
use ebok::app::demo;
use ebok::app::invoicing::{Invoicing, PdfStore};
use ebok::app::mail_queue::Outgoing;
use ebok::app::visits::booking::{self, BookingRequest};
use ebok::app::visits::offers::slot_value;
use ebok::app::visits::{Effects, VisitError};
use ebok::config::Config;
use ebok::db::Pool;
use ebok::db::schema::{invoice_lines, invoices, outbox, pending_charges, technicians, visits};
use ebok::db::visits::KindValues;
use ebok::domain::visits::warsaw;
use ebok::mail::MailTemplates;
use ebok::pdf::PdfRenderer;

backend_tests!(
    two_bookings_of_the_last_slot_at_once_let_exactly_one_win,
    the_confirmation_mail_carries_a_calendar_entry_that_parses,
    a_late_cancellation_is_charged_on_the_next_billing_runs_invoice,
    an_early_cancellation_and_a_move_cost_nothing,
    visits_on_the_days_the_clocks_change_keep_their_wall_clock_time,
    bad_input_gets_a_clear_message_and_stores_nothing,
    a_blocked_or_ended_contract_books_nothing,
    staff_set_up_move_mark_missed_and_waive_with_an_audit_trail,
    reminders_are_queued_once_even_by_two_instances,
);

/// The demo's support and billing staff share it.
const STAFF_PASSWORD: &str = "Staff-ebok-2026";

const EVERY_DAY_ALL_DAY: [(i64, i64, i64); 7] = [
    (1, 0, 1440),
    (2, 0, 1440),
    (3, 0, 1440),
    (4, 0, 1440),
    (5, 0, 1440),
    (6, 0, 1440),
    (7, 0, 1440),
];

/// The demo ISP with its own technicians retired, so the test's technician is the only one.
fn prepared(app: TestApp) -> TestApp {
    let app = app.with_demo(0);
    diesel::update(technicians::table)
        .set(technicians::active.eq(false))
        .execute(&mut *app.conn())
        .unwrap();
    app
}

fn technician(app: &TestApp, week: &[(i64, i64, i64)]) -> i64 {
    let mut conn = app.conn();
    let id =
        ebok::db::visits::insert_technician(&mut conn, "Jan Testowy", None, clock::now()).unwrap();
    ebok::db::visits::replace_areas(&mut conn, id, &["Kalisz".to_owned()]).unwrap();
    ebok::db::visits::replace_hours(&mut conn, id, week).unwrap();
    id
}

/// A paid kind: 150 zł, an hour, the whole price for cancelling within 48 hours.
fn paid_kind(app: &TestApp) -> i64 {
    ebok::db::visits::insert_kind(
        &mut app.conn(),
        &KindValues {
            name: "Wymiana routera".into(),
            duration_minutes: 60,
            price: 15_000,
            vat_rate: "23".into(),
            late_fee_percent: 100,
            late_cancel_hours: 48,
            free_notice_hours: 24,
            fee_rule: "charge".into(),
            active: true,
        },
        clock::now(),
    )
    .unwrap()
}

fn demo_customer(app: &TestApp) -> CustomerId {
    ebok::db::customers::find_by_number(&mut app.conn(), 1)
        .unwrap()
        .unwrap()
        .id
}

fn visits_of_technician(app: &TestApp, technician: i64) -> i64 {
    scalar_i64(
        app,
        &format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM visits WHERE technician_id = {technician}"
        ),
    )
}

/// Books directly through the use case, as the web call does, in one write transaction.
fn book_directly(
    app: &TestApp,
    customer: CustomerId,
    kind: i64,
    technician: i64,
    starts_at: NaiveDateTime,
) -> Result<i64, VisitError> {
    book_with(
        &app.pool,
        &app.config,
        customer,
        kind,
        technician,
        starts_at,
    )
}

/// As `book_directly`, from a thread of its own (the pool and configuration are shared).
fn book_with(
    pool: &Pool,
    config: &Config,
    customer: CustomerId,
    kind: i64,
    technician: i64,
    starts_at: NaiveDateTime,
) -> Result<i64, VisitError> {
    let templates = MailTemplates::load(&config.paths.templates_dir.join("mail")).unwrap();
    let fx = Effects {
        outgoing: Outgoing {
            templates: &templates,
            public_url: "http://127.0.0.1:8000",
            isp_name: "Przykładowy Operator",
        },
        files: &config.paths.attachments_dir,
        organizer_email: "bok@example.pl".into(),
        actor: Actor::default(),
        now: clock::now(),
    };
    let request = BookingRequest {
        kind_id: Some(kind),
        slot: slot_value(technician, starts_at),
        phone: "+48 600 100 200".into(),
        access_notes: "Domofon 12".into(),
        ticket_id: None,
        service_id: None,
    };
    let mut conn = pool.get().unwrap();
    ebok::db::write_transaction(&mut conn, |conn| {
        booking::book(conn, customer, &request, &fx)
    })
}

fn signed_in(app: &TestApp) -> &Client {
    let response = log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    assert_eq!(response.status(), Status::SeeOther);
    &app.client
}

/// The slot values the booking page offers, in order.
fn offered(client: &Client, path: &str) -> Vec<String> {
    let html = client
        .get(path.to_owned())
        .dispatch()
        .into_string()
        .unwrap();
    let document = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("input[name=slot]").unwrap();
    document
        .select(&selector)
        .filter_map(|input| input.value().attr("value").map(str::to_owned))
        .collect()
}

/// Books the first offered slot through the page; returns the visit's id.
fn book_first_slot(app: &TestApp, kind: i64) -> i64 {
    let client = &app.client;
    let page = format!("/wizyty/nowa?rodzaj={kind}");
    let slot = offered(client, &page)
        .into_iter()
        .next()
        .expect("a free slot");
    let kind_id = kind.to_string();
    let response = post(
        client,
        &page,
        "/wizyty/nowa",
        &[
            ("kind_id", &kind_id),
            ("slot", &slot),
            ("phone", "600 100 200"),
            ("access_notes", "Kod do bramy 1234"),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let location = response.headers().get_one("Location").unwrap().to_owned();
    location.trim_start_matches("/wizyty/").parse().unwrap()
}

fn visit_status(app: &TestApp, id: i64) -> (String, Option<i64>, Option<i64>) {
    visits::table
        .find(id)
        .select((visits::status, visits::fee_amount, visits::fee_charge_id))
        .get_result(&mut *app.conn())
        .unwrap()
}

fn two_bookings_of_the_last_slot_at_once_let_exactly_one_win(app: TestApp) {
    let app = prepared(app);
    // Ten to eleven every day, but off every day of the next two weeks except one: one slot.
    let week: Vec<(i64, i64, i64)> = (1..=7).map(|d| (d, 600, 660)).collect();
    let tech = technician(&app, &week);
    let kind = paid_kind(&app);
    let today = warsaw::to_local(clock::now()).date();
    let target = today + Duration::days(5);
    for offset in 0..=16 {
        let day = today + Duration::days(offset);
        if day != target {
            ebok::db::visits::add_day_off(&mut app.conn(), tech, day, "urlop").unwrap();
        }
    }
    let client = signed_in(&app);
    let page = format!("/wizyty/nowa?rodzaj={kind}");
    let slot_at = warsaw::to_utc(target.and_hms_opt(10, 0, 0).unwrap());
    assert_eq!(offered(client, &page), vec![slot_value(tech, slot_at)]);

    let customer = demo_customer(&app);
    let barrier = Arc::new(Barrier::new(2));
    let racers: Vec<_> = (0..2)
        .map(|_| {
            let (pool, config, barrier) = (app.pool.clone(), app.config.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                book_with(&pool, &config, customer, kind, tech, slot_at)
            })
        })
        .collect();
    let results: Vec<Result<i64, VisitError>> =
        racers.into_iter().map(|r| r.join().unwrap()).collect();
    let won = results.iter().filter(|r| r.is_ok()).count();
    let taken = results
        .iter()
        .filter(|r| matches!(r, Err(VisitError::SlotTaken)))
        .count();
    assert_eq!((won, taken), (1, 1), "{results:?}");
    assert_eq!(visits_of_technician(&app, tech), 1);
    let holds = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM visit_slot_holds WHERE technician_id = {tech}"
    );
    assert_eq!(
        scalar_i64(&app, &holds),
        2,
        "an hour's visit holds two half-hour cells"
    );

    // The loser, clicking in the browser, hears why and gets the fresh (now empty) list.
    let kind_id = kind.to_string();
    let slot = slot_value(tech, slot_at);
    let response = post(
        client,
        &page,
        "/wizyty/nowa",
        &[
            ("kind_id", &kind_id),
            ("slot", &slot),
            ("phone", "600100200"),
        ],
    );
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let html = response.into_string().unwrap();
    let text = page_text(&html);
    assert!(text.contains("Ktoś właśnie zajął ten termin"), "{text}");
    assert!(text.contains("nie ma wolnych terminów"), "{text}");
    assert!(!html.contains(&format!("value=\"{slot}\"")));
    assert_eq!(visits_of_technician(&app, tech), 1);
}

fn the_confirmation_mail_carries_a_calendar_entry_that_parses(app: TestApp) {
    let app = prepared(app);
    let tech = technician(&app, &EVERY_DAY_ALL_DAY);
    let kind = paid_kind(&app);
    signed_in(&app);
    let id = book_first_slot(&app, kind);
    let starts_at: NaiveDateTime = visits::table
        .find(id)
        .select(visits::starts_at)
        .get_result(&mut *app.conn())
        .unwrap();
    let report = app.deliver_mail();
    assert!(report.sent >= 1, "{report:?}");
    let mut calendars = Vec::new();
    for entry in std::fs::read_dir(&app.config.mail.files_dir)
        .unwrap()
        .flatten()
    {
        let raw = std::fs::read(entry.path()).unwrap();
        let mail = mailparse::parse_mail(&raw).unwrap();
        let mut parts = vec![&mail];
        while let Some(part) = parts.pop() {
            if part.ctype.mimetype == "text/calendar" {
                calendars.push(part.get_body().unwrap());
            }
            parts.extend(part.subparts.iter());
        }
    }
    assert_eq!(
        calendars.len(),
        1,
        "one confirmation with one calendar entry"
    );
    let calendar = ical::IcalParser::new(std::io::BufReader::new(calendars[0].as_bytes()))
        .next()
        .expect("a calendar")
        .expect("the .ics parses");
    assert_eq!(calendar.events.len(), 1);
    let event = &calendar.events[0];
    let property = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("{name} is missing"))
    };
    let utc = |value: String| NaiveDateTime::parse_from_str(&value, "%Y%m%dT%H%M%SZ").unwrap();
    assert_eq!(property("UID"), format!("visit-{id}@127.0.0.1"));
    assert_eq!(property("SUMMARY"), "Wizyta technika: Wymiana routera");
    assert_eq!(utc(property("DTSTART")), starts_at);
    assert_eq!(utc(property("DTEND")), starts_at + Duration::hours(1));
    assert_eq!(property("SEQUENCE"), "0");
    assert!(property("LOCATION").contains("62-800 Kalisz"));
    assert!(property("DESCRIPTION").contains("Kod do bramy 1234"));
    let _ = tech;
}

/// Runs billing for `period` as the CLI does.
fn run_billing(app: &TestApp, period: &str) {
    let renderer = PdfRenderer::shared().unwrap();
    let store = PdfStore::new(&app.config.paths.invoices_dir);
    let invoicing = Invoicing {
        renderer: renderer.as_ref(),
        store: &store,
        outgoing: None,
    };
    let mut conn = app.conn();
    let actor = Actor::default();
    let started = billing::start_run(
        &mut conn,
        &app.config.database.url,
        period,
        clock::today(),
        Source::Cli,
        &actor,
        clock::now(),
    )
    .unwrap();
    billing::execute_run(&mut conn, &invoicing, started, &actor, 50, &|_| {}).unwrap();
}

fn a_late_cancellation_is_charged_on_the_next_billing_runs_invoice(app: TestApp) {
    let app = prepared(app);
    technician(&app, &EVERY_DAY_ALL_DAY);
    let kind = paid_kind(&app);
    let client = signed_in(&app);
    // The first free slot is within the hour: well inside 48 hours.
    let id = book_first_slot(&app, kind);
    let page = page_text(
        &client
            .get(format!("/wizyty/{id}"))
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        page.contains("Odwołanie teraz kosztuje 150,00 zł"),
        "{page}"
    );
    let response = post(
        client,
        &format!("/wizyty/{id}"),
        &format!("/wizyty/{id}/odwolaj"),
        &[],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let (status, fee, charge) = visit_status(&app, id);
    assert_eq!((status.as_str(), fee), ("cancelled", Some(15_000)));
    let charge = charge.expect("queued as a one-off charge");
    let (name, amount, period): (String, i64, String) = pending_charges::table
        .find(charge)
        .select((
            pending_charges::name,
            pending_charges::amount,
            pending_charges::period,
        ))
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(amount, 15_000);
    assert!(
        name.starts_with("Opłata za odwołanie wizyty technika później niż 48 h"),
        "{name}"
    );
    // The slot is free again.
    assert_eq!(
        scalar_i64(
            &app,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM visit_slot_holds WHERE visit_id = {id}"
            )
        ),
        0
    );

    run_billing(&app, &period);
    let customer = demo_customer(&app);
    let lines: Vec<(String, i64)> = invoice_lines::table
        .inner_join(invoices::table)
        .filter(invoices::customer_id.eq(customer))
        .filter(invoices::status.eq("issued"))
        .filter(invoice_lines::name.eq(&name))
        .select((invoice_lines::name, invoice_lines::gross))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        lines,
        vec![(name.clone(), 15_000)],
        "the fee is on the invoice once"
    );
    let billed: Option<i64> = pending_charges::table
        .find(charge)
        .select(pending_charges::invoice_id)
        .get_result(&mut *app.conn())
        .unwrap();
    assert!(billed.is_some());
}

fn an_early_cancellation_and_a_move_cost_nothing(app: TestApp) {
    let app = prepared(app);
    let tech = technician(&app, &EVERY_DAY_ALL_DAY);
    let kind = paid_kind(&app);
    let customer = demo_customer(&app);
    let client = signed_in(&app);
    let in_five_days = warsaw::to_utc(
        (warsaw::to_local(clock::now()).date() + Duration::days(5))
            .and_hms_opt(12, 0, 0)
            .unwrap(),
    );
    let id = book_directly(&app, customer, kind, tech, in_five_days).unwrap();
    let page = page_text(
        &client
            .get(format!("/wizyty/{id}"))
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(page.contains("Odwołanie teraz jest bezpłatne"), "{page}");
    // Moved an hour later through the page.
    let later = slot_value(tech, in_five_days + Duration::hours(1));
    let response = post(
        client,
        &format!("/wizyty/{id}"),
        &format!("/wizyty/{id}/zmien"),
        &[("slot", &later)],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let (starts_at, revision): (NaiveDateTime, i64) = visits::table
        .find(id)
        .select((visits::starts_at, visits::revision))
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (starts_at, revision),
        (in_five_days + Duration::hours(1), 1)
    );
    let response = post(
        client,
        &format!("/wizyty/{id}"),
        &format!("/wizyty/{id}/odwolaj"),
        &[],
    );
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(visit_status(&app, id), ("cancelled".into(), None, None));
    let mails: Vec<String> = outbox::table
        .filter(outbox::kind.eq("visit"))
        .order(outbox::id)
        .select(outbox::subject)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(mails.len(), 3, "{mails:?}");
    assert!(mails[1].starts_with("Zmiana terminu wizyty technika"));
    assert!(mails[2].starts_with("Odwołanie wizyty technika"));
}

fn visits_on_the_days_the_clocks_change_keep_their_wall_clock_time(app: TestApp) {
    let app = prepared(app);
    let tech = technician(&app, &EVERY_DAY_ALL_DAY);
    let kind = paid_kind(&app);
    let customer = demo_customer(&app);
    let at = |y, m, d, h, min| {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    };
    // 28 March 2027, 10:00 in Poland is 08:00 UTC (summer time began at 01:00 UTC).
    let march = book_directly(&app, customer, kind, tech, at(2027, 3, 28, 8, 0)).unwrap();
    // 31 October 2027, 10:00 in Poland is 09:00 UTC (winter time again).
    let october = book_directly(&app, customer, kind, tech, at(2027, 10, 31, 9, 0)).unwrap();
    // 02:30 happens twice that night: at 00:30 and at 01:30 UTC, two different slots.
    let first_half_past_two =
        book_directly(&app, customer, kind, tech, at(2027, 10, 31, 0, 30)).unwrap();
    let second_half_past_two =
        book_directly(&app, customer, kind, tech, at(2027, 10, 31, 1, 30)).unwrap();
    // An hour's visit from 01:30 that night ends at 03:30: the clock skipped 02:00–03:00.
    let across_the_jump =
        book_directly(&app, customer, kind, tech, at(2027, 3, 28, 0, 30)).unwrap();
    let client = signed_in(&app);
    let text = |id: i64| {
        page_text(
            &client
                .get(format!("/wizyty/{id}"))
                .dispatch()
                .into_string()
                .unwrap(),
        )
    };
    assert!(
        text(march).contains("28.03.2027 10:00 – 28.03.2027 11:00"),
        "{}",
        text(march)
    );
    assert!(text(across_the_jump).contains("28.03.2027 01:30 – 28.03.2027 03:30"));
    assert!(text(october).contains("31.10.2027 10:00 – 31.10.2027 11:00"));
    assert!(text(first_half_past_two).contains("31.10.2027 02:30 – 31.10.2027 02:30"));
    assert!(text(second_half_past_two).contains("31.10.2027 02:30 – 31.10.2027 03:30"));
    let stored: Vec<NaiveDateTime> = visits::table
        .filter(visits::id.eq_any([march, october]))
        .order(visits::id)
        .select(visits::starts_at)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(stored, vec![at(2027, 3, 28, 8, 0), at(2027, 10, 31, 9, 0)]);
}

fn bad_input_gets_a_clear_message_and_stores_nothing(app: TestApp) {
    let app = prepared(app);
    let week: Vec<(i64, i64, i64)> = (1..=7).map(|d| (d, 480, 960)).collect();
    let tech = technician(&app, &week);
    let kind = paid_kind(&app);
    let client = signed_in(&app);
    let page = format!("/wizyty/nowa?rodzaj={kind}");
    let kind_id = kind.to_string();
    let tomorrow = warsaw::to_local(clock::now()).date() + Duration::days(1);
    let cases = [
        (
            slot_value(tech, clock::now() - Duration::hours(3)),
            "600100200",
            "Ten termin już minął",
        ),
        (
            slot_value(tech, warsaw::to_utc(tomorrow.and_hms_opt(3, 0, 0).unwrap())),
            "600100200",
            "technik nie pracuje",
        ),
        (
            slot_value(
                tech,
                warsaw::to_utc(tomorrow.and_hms_opt(10, 15, 0).unwrap()),
            ),
            "600100200",
            "technik nie pracuje",
        ),
        ("nonsense".to_owned(), "600100200", "Wybierz termin z listy"),
        (
            slot_value(
                tech,
                warsaw::to_utc(tomorrow.and_hms_opt(10, 0, 0).unwrap()),
            ),
            "12",
            "Podaj numer telefonu",
        ),
    ];
    for (slot, phone, message) in &cases {
        let response = post(
            client,
            &page,
            "/wizyty/nowa",
            &[("kind_id", &kind_id), ("slot", slot), ("phone", phone)],
        );
        assert_eq!(response.status(), Status::UnprocessableEntity, "{slot}");
        let text = page_text(&response.into_string().unwrap());
        assert!(text.contains(message), "{slot}: {text}");
    }
    // Another customer's ticket: the same answer as no ticket at all.
    let other = ebok::db::customers::find_by_number(&mut app.conn(), 2)
        .unwrap()
        .unwrap();
    let ticket = ebok::db::tickets::insert(
        &mut app.conn(),
        &ebok::db::tickets::NewTicket {
            customer_id: other.id,
            opened_by_account_id: None,
            service_id: None,
            subject: "Cudze zgłoszenie".into(),
            category: ebok::domain::tickets::TicketCategory::Fault,
            status: ebok::domain::tickets::TicketStatus::New,
            priority: "normal".into(),
            assigned_staff_id: None,
            created_at: clock::now(),
            updated_at: clock::now(),
            closed_at: None,
        },
    )
    .unwrap();
    assert_eq!(
        client
            .get(format!("/wizyty/nowa?zgloszenie={ticket}"))
            .dispatch()
            .status(),
        Status::NotFound
    );
    let ticket_id = ticket.to_string();
    let good = slot_value(
        tech,
        warsaw::to_utc(tomorrow.and_hms_opt(10, 0, 0).unwrap()),
    );
    let response = post(
        client,
        &page,
        "/wizyty/nowa",
        &[
            ("kind_id", &kind_id),
            ("slot", &good),
            ("phone", "600100200"),
            ("ticket_id", &ticket_id),
        ],
    );
    assert_eq!(response.status(), Status::NotFound);
    assert_eq!(visits_of_technician(&app, tech), 0);
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM outbox WHERE kind = 'visit'"
        ),
        0
    );
    // Another customer's visit (in Ostrów) is not there at all for the demo subscriber.
    ebok::db::visits::replace_areas(
        &mut app.conn(),
        tech,
        &["Kalisz".to_owned(), "Ostrów Wielkopolski".to_owned()],
    )
    .unwrap();
    let in_two_days = warsaw::to_utc(
        (tomorrow + Duration::days(1))
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    );
    let theirs = book_directly(&app, other.id, kind, tech, in_two_days).unwrap();
    assert_eq!(
        client.get(format!("/wizyty/{theirs}")).dispatch().status(),
        Status::NotFound
    );
    let response = post(client, "/wizyty", &format!("/wizyty/{theirs}/odwolaj"), &[]);
    assert_eq!(response.status(), Status::NotFound);
    assert_eq!(visit_status(&app, theirs).0, "booked");
}

fn a_blocked_or_ended_contract_books_nothing(app: TestApp) {
    let app = prepared(app);
    let tech = technician(&app, &EVERY_DAY_ALL_DAY);
    let kind = paid_kind(&app);
    let customer = demo_customer(&app);
    let in_three_days = warsaw::to_utc(
        (warsaw::to_local(clock::now()).date() + Duration::days(3))
            .and_hms_opt(12, 0, 0)
            .unwrap(),
    );
    // The contract ends tomorrow: a visit in three days has no contract on its day.
    let tomorrow = warsaw::to_local(clock::now()).date() + Duration::days(1);
    diesel::sql_query(format!(
        "UPDATE contracts SET ends_on = '{tomorrow}', after_term = 'terminate' WHERE customer_id = {customer}"
    ))
    .execute(&mut *app.conn())
    .unwrap();
    assert!(matches!(
        book_directly(&app, customer, kind, tech, in_three_days),
        Err(VisitError::NoContract)
    ));
    diesel::sql_query(format!(
        "UPDATE contracts SET ends_on = NULL, after_term = 'indefinite' WHERE customer_id = {customer}"
    ))
        .execute(&mut *app.conn())
        .unwrap();
    // Blocked for overdue payments (dunning flagged the endpoints).
    let invoice = InvoiceId(scalar_i64(
        &app,
        &format!("SELECT MIN(id) AS v FROM invoices WHERE customer_id = {customer}"),
    ));
    ebok::db::dunning::flag_endpoints(&mut app.conn(), customer, invoice, "block", clock::now())
        .unwrap();
    assert!(matches!(
        book_directly(&app, customer, kind, tech, in_three_days),
        Err(VisitError::Blocked)
    ));
    let client = signed_in(&app);
    let text = page_text(
        &client
            .get(format!("/wizyty/nowa?rodzaj={kind}"))
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(text.contains("Usługa jest zablokowana"), "{text}");
    assert_eq!(visits_of_technician(&app, tech), 0);
}

fn staff_set_up_move_mark_missed_and_waive_with_an_audit_trail(app: TestApp) {
    let app = prepared(app);
    let staff = staff_client(&app, "serwis", STAFF_PASSWORD);
    // A technician and a kind, through the staff forms.
    let mut fields = vec![
        ("name", "Adam Serwisowy"),
        ("phone", "601 000 000"),
        ("areas", "Kalisz, 62-8"),
        ("active", "true"),
    ];
    let days = ["s0", "s1", "s2", "s3", "s4", "s5", "s6"];
    let ends = ["e0", "e1", "e2", "e3", "e4", "e5", "e6"];
    for (s, e) in days.iter().zip(ends.iter()) {
        fields.push((s, "00:00"));
        fields.push((e, "24:00"));
    }
    let response = post(&staff, "/staff/wizyty", "/staff/wizyty/technicy", &fields);
    assert_eq!(response.status(), Status::SeeOther);
    let bad = post(
        &staff,
        "/staff/wizyty",
        "/staff/wizyty/technicy",
        &[("name", "Bez obszaru"), ("s0", "09:00"), ("e0", "08:00")],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let response = post(
        &staff,
        "/staff/wizyty",
        "/staff/wizyty/rodzaje",
        &[
            ("name", "Instalacja"),
            ("duration_minutes", "120"),
            ("price", "199,00"),
            ("vat_rate", "23"),
            ("late_fee_percent", "50"),
            ("late_cancel_hours", "48"),
            ("free_notice_hours", "24"),
            ("fee_rule", "charge"),
            ("active", "true"),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let tech = scalar_i64(&app, "SELECT MAX(id) AS v FROM technicians");
    let kind = scalar_i64(&app, "SELECT MAX(id) AS v FROM visit_kinds");
    assert_eq!(
        scalar_i64(
            &app,
            &format!("SELECT price AS v FROM visit_kinds WHERE id = {kind}")
        ),
        19_900
    );
    let customer = demo_customer(&app);
    let soon = warsaw::to_utc(
        (warsaw::to_local(clock::now()).date() + Duration::days(2))
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    );
    let id = book_directly(&app, customer, kind, tech, soon).unwrap();
    let calendar = format!(
        "/staff/wizyty/technik/{tech}?dzien={}",
        warsaw::to_local(soon).date()
    );
    let text = page_text(
        &staff
            .get(calendar.clone())
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        text.contains("09:00–11:00") && text.contains("Instalacja"),
        "{text}"
    );

    // Moved by staff: the subscriber is told.
    let day = (warsaw::to_local(soon).date() + Duration::days(1)).to_string();
    let tech_id = tech.to_string();
    let response = post(
        &staff,
        &calendar,
        &format!("/staff/wizyty/wizyta/{id}/przenies"),
        &[
            ("technician_id", &tech_id),
            ("day", &day),
            ("time", "13:00"),
            ("back", &calendar),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let moved_to: NaiveDateTime = visits::table
        .find(id)
        .select(visits::starts_at)
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(
        warsaw::to_local(moved_to).format("%H:%M").to_string(),
        "13:00"
    );
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM outbox WHERE kind = 'visit' AND subject LIKE 'Zmiana terminu%'"
        ),
        1
    );

    // Marked missed once its time came: half the price, queued for the invoice.
    diesel::update(visits::table.find(id))
        .set((
            visits::starts_at.eq(clock::now() - Duration::hours(1)),
            visits::ends_at.eq(clock::now() + Duration::hours(1)),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let response = post(
        &staff,
        &calendar,
        &format!("/staff/wizyty/wizyta/{id}/nieobecnosc"),
        &[],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let (status, fee, charge) = visit_status(&app, id);
    assert_eq!((status.as_str(), fee), ("missed", Some(9_950)));
    let charge = charge.unwrap();
    assert_eq!(
        scalar_i64(
            &app,
            &format!("SELECT amount AS v FROM pending_charges WHERE id = {charge}")
        ),
        9_950
    );

    // Waived with a reason: the charge is gone, the waiver audited.
    let empty = post(
        &staff,
        &calendar,
        &format!("/staff/wizyty/wizyta/{id}/umorz"),
        &[("reason", " ")],
    );
    assert_eq!(empty.status(), Status::SeeOther);
    assert!(visit_status(&app, id).2.is_some(), "no reason, no waiver");
    let response = post(
        &staff,
        &calendar,
        &format!("/staff/wizyty/wizyta/{id}/umorz"),
        &[("reason", "Technik się spóźnił")],
    );
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(visit_status(&app, id).2, None);
    assert_eq!(
        scalar_i64(
            &app,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM pending_charges WHERE id = {charge}"
            )
        ),
        0
    );
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM audit_log WHERE action = 'visit_fee_waived' AND details LIKE '%spóźnił%'"
        ),
        1
    );
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM audit_log WHERE action IN ('technician_saved', 'visit_kind_saved', 'visit_moved', 'visit_missed')"
        ),
        4
    );

    // Billing staff do not see the visits panel.
    let billing = staff_client(&app, "ksiegowosc", STAFF_PASSWORD);
    assert_eq!(
        billing.get("/staff/wizyty").dispatch().status(),
        Status::Forbidden
    );
}

fn reminders_are_queued_once_even_by_two_instances(app: TestApp) {
    let app = prepared(app);
    let tech = technician(&app, &EVERY_DAY_ALL_DAY);
    let kind = paid_kind(&app);
    let customer = demo_customer(&app);
    let start = clock::now() + Duration::hours(30);
    let start = start
        .date()
        .and_hms_opt(start.time().format("%H").to_string().parse().unwrap(), 0, 0)
        .unwrap();
    let id = book_directly(&app, customer, kind, tech, start).unwrap();
    // Booked three days ago; its reminder is due once fewer than 24 hours remain.
    diesel::update(visits::table.find(id))
        .set((
            visits::created_at.eq(clock::now() - Duration::days(3)),
            visits::updated_at.eq(clock::now() - Duration::days(3)),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let templates = MailTemplates::load(&app.config.paths.templates_dir.join("mail")).unwrap();
    let outgoing = Outgoing {
        templates: &templates,
        public_url: "http://127.0.0.1:8000",
        isp_name: "Przykładowy Operator",
    };
    let too_early =
        ebok::jobs::visits::run_once(&app.pool, &app.config, outgoing, clock::now()).unwrap();
    assert_eq!(too_early, 0);
    let later = start - Duration::hours(20);
    let barrier = Arc::new(Barrier::new(2));
    let instances: Vec<_> = (0..2)
        .map(|_| {
            let (pool, config, barrier) = (app.pool.clone(), app.config.clone(), barrier.clone());
            std::thread::spawn(move || {
                let templates =
                    MailTemplates::load(&config.paths.templates_dir.join("mail")).unwrap();
                let outgoing = Outgoing {
                    templates: &templates,
                    public_url: "http://127.0.0.1:8000",
                    isp_name: "Przykładowy Operator",
                };
                barrier.wait();
                ebok::jobs::visits::run_once(&pool, &config, outgoing, later).unwrap()
            })
        })
        .collect();
    let queued: usize = instances.into_iter().map(|i| i.join().unwrap()).sum();
    assert_eq!(queued, 1);
    assert_eq!(
        scalar_i64(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS v FROM outbox WHERE kind = 'visit' AND subject LIKE 'Przypomnienie%'"
        ),
        1
    );
    let again = ebok::jobs::visits::run_once(
        &app.pool,
        &app.config,
        outgoing,
        later + Duration::minutes(10),
    )
    .unwrap();
    assert_eq!(again, 0);
}
