//! The staff panel's billing runs (`/staff/rozliczenia`), on every backend: who may use it, a
//! run started from the panel working to the end on its own thread and its summary shown,
//! refusals with a clear message, and the audit trail.

mod common;
#[path = "billing/dataset.rs"]
mod dataset;

use std::time::{Duration, Instant};

use common::{TestApp, count, page_text, post};
use dataset::ServiceSpec;
use diesel::prelude::*;
use ebok::db::schema::{audit_log, billing_runs, invoices, pending_charges, staff_users};
use rocket::http::{Header, Status};
use rocket::local::blocking::Client;

backend_tests!(
    support_staff_cannot_open_or_start_billing_runs,
    billing_staff_start_a_run_and_read_its_summary,
    bad_periods_are_refused_with_a_clear_message,
    the_pages_speak_english_too,
    a_charge_queued_in_the_panel_goes_on_the_runs_invoice_once,
);

fn staff(app: &TestApp, login: &str) -> Client {
    let client = app.another_browser();
    let status = post(
        &client,
        "/staff/login",
        "/staff/login",
        &[("login", login), ("password", "Staff-ebok-2026")],
    )
    .status();
    assert_eq!(status, Status::SeeOther, "{login} logs in");
    client
}

fn prepared(app: TestApp) -> TestApp {
    let app = app.with_demo(0);
    dataset::suspend_existing(&mut app.conn());
    for number in 301..=305 {
        dataset::add_customer(
            &mut app.conn(),
            number,
            false,
            &[ServiceSpec::internet(7_999)],
        );
    }
    app
}

fn support_staff_cannot_open_or_start_billing_runs(app: TestApp) {
    let app = prepared(app);
    let support = staff(&app, "serwis");
    assert_eq!(
        support.get("/staff/rozliczenia").dispatch().status(),
        Status::Forbidden
    );
    assert_eq!(
        support.get("/staff/rozliczenia/1").dispatch().status(),
        Status::Forbidden
    );
    let response = post(
        &support,
        "/staff",
        "/staff/rozliczenia",
        &[("period", "2026-12")],
    );
    assert_eq!(response.status(), Status::Forbidden);
    assert_eq!(count(&mut app.conn(), "SELECT id FROM billing_runs"), 0);
    // Not signed in at all: to the login page.
    let anonymous = app.another_browser();
    let response = anonymous.get("/staff/rozliczenia").dispatch();
    assert_ne!(response.status(), Status::Ok);
}

fn wait_until_finished(app: &TestApp, run_id: i64) -> String {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let status: String = billing_runs::table
            .find(run_id)
            .select(billing_runs::status)
            .first(&mut *app.conn())
            .unwrap();
        if status != "running" {
            return status;
        }
        assert!(Instant::now() < deadline, "run {run_id} did not finish");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn billing_staff_start_a_run_and_read_its_summary(app: TestApp) {
    let app = prepared(app);
    let billing = staff(&app, "ksiegowosc");
    let page = billing.get("/staff/rozliczenia").dispatch();
    assert_eq!(page.status(), Status::Ok);
    let text = page_text(&page.into_string().unwrap());
    assert!(text.contains("Rozliczenia okresowe"), "{text}");
    assert!(
        text.contains("Nie uruchomiono jeszcze żadnego rozliczenia"),
        "{text}"
    );

    let response = post(
        &billing,
        "/staff/rozliczenia",
        "/staff/rozliczenia",
        &[("period", "2026-12")],
    );
    assert_eq!(response.status(), Status::SeeOther);
    let location = response.headers().get_one("Location").unwrap().to_owned();
    let run_id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(location, format!("/staff/rozliczenia/{run_id}"));
    assert_eq!(wait_until_finished(&app, run_id), "finished");

    let text = page_text(
        &billing
            .get(location.clone())
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        text.contains(&format!("Rozliczenie nr {run_id} za okres 2026-12")),
        "{text}"
    );
    assert!(text.contains("zakończone"), "{text}");
    assert!(text.contains("Wystawione faktury 5"), "{text}");
    assert!(text.contains("399,95"), "5 × 79,99 zł: {text}");
    assert!(
        text.contains("usługi zawieszone"),
        "the demo's own customers: {text}"
    );
    assert!(
        !text.contains("Odśwież"),
        "a finished run needs no refreshing: {text}"
    );
    let list = page_text(
        &billing
            .get("/staff/rozliczenia")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(
        list.contains(&format!("#{run_id}")) && list.contains("2026-12"),
        "{list}"
    );

    // Started and finished by the staff member, in the audit trail.
    let staff_id: i64 = staff_users::table
        .filter(staff_users::login.eq("ksiegowosc"))
        .select(staff_users::id)
        .first(&mut *app.conn())
        .unwrap();
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::actor_staff_id.eq(staff_id))
        .filter(audit_log::action.like("billing_run_%"))
        .order(audit_log::id)
        .select(audit_log::action)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(actions, vec!["billing_run_started", "billing_run_finished"]);

    // Starting the same period again issues nothing new.
    let again = post(
        &billing,
        "/staff/rozliczenia",
        "/staff/rozliczenia",
        &[("period", "2026-12")],
    );
    let again_id: i64 = again
        .headers()
        .get_one("Location")
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(wait_until_finished(&app, again_id), "finished");
    let text = page_text(
        &billing
            .get(format!("/staff/rozliczenia/{again_id}"))
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(text.contains("Wystawione faktury 0"), "{text}");
    assert!(text.contains("mają już fakturę za ten okres: 5"), "{text}");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM invoices WHERE period_start >= '2026-12-01'"
        ),
        5
    );
    // Someone else's run id that does not exist.
    assert_eq!(
        billing.get("/staff/rozliczenia/999999").dispatch().status(),
        Status::NotFound
    );
}

fn bad_periods_are_refused_with_a_clear_message(app: TestApp) {
    let app = prepared(app);
    let billing = staff(&app, "ksiegowosc");
    for (period, message) in [
        ("2026-13", "Podaj okres jako RRRR-MM"),
        ("grudzień", "Podaj okres jako RRRR-MM"),
        ("", "Podaj okres jako RRRR-MM"),
        ("2030-01", "Można rozliczyć najwyżej następny miesiąc"),
    ] {
        let response = post(
            &billing,
            "/staff/rozliczenia",
            "/staff/rozliczenia",
            &[("period", period)],
        );
        assert_eq!(response.status(), Status::UnprocessableEntity, "{period}");
        let text = page_text(&response.into_string().unwrap());
        assert!(text.contains(message), "{period}: {text}");
    }
    assert_eq!(count(&mut app.conn(), "SELECT id FROM billing_runs"), 0);
}

fn the_pages_speak_english_too(app: TestApp) {
    let app = prepared(app);
    let billing = staff(&app, "ksiegowosc");
    let page = billing
        .get("/staff/rozliczenia")
        .header(Header::new("Accept-Language", "en-GB,en;q=0.9"))
        .dispatch();
    let text = page_text(&page.into_string().unwrap());
    assert!(
        text.contains("Billing runs") && text.contains("Start the run"),
        "{text}"
    );
}

/// Billing staff queue a one-off charge for a customer's December invoice; bad input comes back
/// with messages and stores nothing; support may not queue; the run puts the charge on the
/// invoice, after which it can no longer be taken back.
fn a_charge_queued_in_the_panel_goes_on_the_runs_invoice_once(app: TestApp) {
    let app = prepared(app);
    let customer =
        dataset::add_customer(&mut app.conn(), 306, false, &[ServiceSpec::internet(7_999)]);
    let billing = staff(&app, "ksiegowosc");
    let page = format!("/staff/platnosci/klient/{customer}");
    let action = format!("{page}/oplaty");
    let charges = |app: &TestApp| count(&mut app.conn(), "SELECT id FROM pending_charges");

    let bad = post(
        &billing,
        &page,
        &action,
        &[
            ("name", ""),
            ("amount", "-5"),
            ("vat_rate", "22"),
            ("period", "2020-01"),
        ],
    );
    assert_eq!(bad.status(), Status::UnprocessableEntity);
    let text = page_text(&bad.into_string().unwrap());
    for message in [
        "To pole jest wymagane",
        "Wpisz kwotę brutto większą od zera",
        "Wybierz stawkę VAT",
        "Ten okres jest już zamknięty",
    ] {
        assert!(text.contains(message), "{message}: {text}");
    }
    assert_eq!(charges(&app), 0);

    let support = staff(&app, "serwis");
    let refused = post(
        &support,
        "/staff",
        &action,
        &[
            ("name", "Router"),
            ("amount", "149,99"),
            ("vat_rate", "23"),
            ("period", "2026-12"),
        ],
    );
    assert_eq!(refused.status(), Status::Forbidden);
    assert_eq!(charges(&app), 0);

    let queued = post(
        &billing,
        &page,
        &action,
        &[
            ("name", "Router Wi-Fi 6"),
            ("amount", "149,99"),
            ("vat_rate", "23"),
            ("period", "2026-12"),
        ],
    );
    assert_eq!(queued.status(), Status::SeeOther);
    let mistake = post(
        &billing,
        &page,
        &action,
        &[
            ("name", "Pomyłka"),
            ("amount", "10"),
            ("vat_rate", "23"),
            ("period", "2026-12"),
        ],
    );
    assert_eq!(mistake.status(), Status::SeeOther);
    let text = page_text(&billing.get(page.clone()).dispatch().into_string().unwrap());
    assert!(
        text.contains("Router Wi-Fi 6") && text.contains("149,99"),
        "{text}"
    );
    let mistake_id: i64 = pending_charges::table
        .filter(pending_charges::name.eq("Pomyłka"))
        .select(pending_charges::id)
        .first(&mut *app.conn())
        .unwrap();
    // Another customer's page cannot remove it.
    let elsewhere = post(
        &billing,
        &page,
        &format!(
            "/staff/platnosci/klient/{}/oplaty/{mistake_id}/usun",
            customer.0 - 1
        ),
        &[],
    );
    assert_eq!(elsewhere.status(), Status::SeeOther);
    assert_eq!(charges(&app), 2);
    post(&billing, &page, &format!("{action}/{mistake_id}/usun"), &[]);
    assert_eq!(charges(&app), 1);

    let started = post(
        &billing,
        "/staff/rozliczenia",
        "/staff/rozliczenia",
        &[("period", "2026-12")],
    );
    let location = started.headers().get_one("Location").unwrap().to_owned();
    let run_id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(wait_until_finished(&app, run_id), "finished");
    let gross: i64 = invoices::table
        .filter(invoices::customer_id.eq(customer))
        .select(invoices::total_gross)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(gross, 7_999 + 14_999, "the fee and the router");
    let text = page_text(&billing.get(page.clone()).dispatch().into_string().unwrap());
    assert!(text.contains("na fakturze FV/"), "{text}");
    let router_id: i64 = pending_charges::table
        .select(pending_charges::id)
        .first(&mut *app.conn())
        .unwrap();
    let late = post(&billing, &page, &format!("{action}/{router_id}/usun"), &[]);
    assert_eq!(late.status(), Status::SeeOther);
    assert_eq!(charges(&app), 1, "a billed charge stays");
    for action in ["charge_queued", "charge_removed"] {
        let audited: i64 = audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        assert_eq!(
            audited,
            if action == "charge_queued" { 2 } else { 1 },
            "{action}"
        );
    }
}
