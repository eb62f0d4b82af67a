//! The mailing list end to end over real SMTP: subscribers join on /dane (a consent with time,
//! IP and text version), staff send a marketing message that reaches only them, each copy with
//! its own one-click leave link (footer and RFC 8058 headers) that works without signing in,
//! once, and only for the customer it was sent to.

mod common;

use common::smtp::{ReceivedMail, SmtpSink};
use common::{TestApp, count, log_in, page_text, post, staff_client};
use mailparse::MailHeaderMap;
use rocket::http::{ContentType, Status};

backend_tests!(
    marketing_mail_reaches_only_the_list_and_each_copy_leaves_it_once,
    a_marketing_message_needs_a_subject_and_a_text,
);

fn app_with_smtp(app: TestApp, smtp: &SmtpSink) -> TestApp {
    app.with_demo(3)
        .with_config(|config| config.mail.smtp_url = Some(smtp.url()))
}

fn email_of(app: &TestApp, number: i64) -> String {
    ebok::db::customers::find_by_number(&mut app.conn(), number)
        .unwrap()
        .expect("customer")
        .email
}

fn join_on_profile(app: &TestApp, login: &str, password: &str) {
    let browser = app.another_browser();
    assert_eq!(log_in(&browser, login, password).status(), Status::SeeOther);
    let response = post(
        &browser,
        "/dane",
        "/dane/ustawienia",
        &[
            ("language", "pl"),
            ("notify_reminders", "true"),
            ("marketing", "true"),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
}

fn send_to_list(app: &TestApp, subject: &str) {
    let staff = staff_client(app, "admin", "Admin-ebok-2026");
    let response = post(
        &staff,
        "/staff/lista-mailingowa",
        "/staff/lista-mailingowa",
        &[
            ("subject", subject),
            ("body", "Światłowód 2 Gb/s taniej o połowę."),
        ],
    );
    assert_eq!(response.status(), Status::SeeOther);
    app.deliver_mail();
}

fn with_subject(smtp: &SmtpSink, subject: &str) -> Vec<ReceivedMail> {
    smtp.received()
        .into_iter()
        .filter(|m| m.subject() == subject)
        .collect()
}

fn header(mail: &ReceivedMail, name: &str) -> String {
    mailparse::parse_mail(mail.raw.as_bytes())
        .unwrap()
        .get_headers()
        .get_first_value(name)
        .unwrap_or_default()
}

/// The path of the leave link in the mail's footer, checked against its header.
fn leave_path(mail: &ReceivedMail) -> String {
    let link = mail.link_containing("/lista/wypisz/").expect("leave link");
    assert_eq!(header(mail, "List-Unsubscribe"), format!("<{link}>"));
    assert_eq!(
        header(mail, "List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    link.trim_start_matches("http://127.0.0.1:8000").to_owned()
}

/// What a mail client's one-click button sends: a POST with no cookies and no CSRF token.
fn one_click(app: &TestApp, path: &str) -> Status {
    app.another_browser()
        .post(path.to_owned())
        .header(ContentType::Form)
        .body("List-Unsubscribe=One-Click")
        .dispatch()
        .status()
}

fn on_list(app: &TestApp, number: i64) -> bool {
    let id = ebok::db::customers::find_by_number(&mut app.conn(), number)
        .unwrap()
        .unwrap()
        .id;
    ebok::db::consents::has_granted(&mut app.conn(), id, "marketing").unwrap()
}

fn marketing_mail_reaches_only_the_list_and_each_copy_leaves_it_once(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app_with_smtp(app, &smtp);
    join_on_profile(&app, "demo", "Demo-ebok-2026");
    join_on_profile(&app, "klient3", "Klient-ebok-2026");
    // Joining is a consent with its text version and the IP it came from.
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM consents WHERE kind = 'marketing' AND granted = TRUE \
             AND text_version = 'lista-mailingowa-2026-12'"
        ),
        2
    );
    let staff = staff_client(&app, "admin", "Admin-ebok-2026");
    let page = page_text(
        &staff
            .get("/staff/lista-mailingowa")
            .dispatch()
            .into_string()
            .unwrap(),
    );
    assert!(page.contains("Zapisanych klientów: 2"), "{page}");

    send_to_list(&app, "Nowa oferta");
    let mails = with_subject(&smtp, "Nowa oferta");
    let (demo, second, third) = (email_of(&app, 1), email_of(&app, 3), email_of(&app, 4));
    let to = |address: &str| {
        mails
            .iter()
            .filter(|m| m.to.iter().any(|t| t.contains(address)))
            .count()
    };
    assert_eq!(
        (to(&demo), to(&second), to(&third)),
        (1, 1, 0),
        "only the list"
    );
    assert_eq!(mails.len(), 2);
    let second_mail = mails
        .iter()
        .find(|m| m.to.iter().any(|t| t.contains(&second)))
        .unwrap();
    assert!(second_mail.text().contains("Światłowód 2 Gb/s"));
    assert!(second_mail.text().contains("Wypisz się jednym kliknięciem"));
    let path = leave_path(second_mail);

    // A made-up token leaves nobody and says the link does not work.
    assert_eq!(
        one_click(&app, "/lista/wypisz/nie-ma-takiego"),
        Status::Gone
    );
    // The link opens a page with one button, changing nothing by being opened.
    let visitor = app.another_browser();
    let opened = visitor.get(path.clone()).dispatch();
    assert_eq!(opened.status(), Status::Ok);
    assert!(page_text(&opened.into_string().unwrap()).contains("Wypisz mnie"));
    assert!(on_list(&app, 3));

    // One click, not signed in: customer 3 leaves; customer 1 stays.
    assert_eq!(one_click(&app, &path), Status::Ok);
    assert!(!on_list(&app, 3));
    assert!(on_list(&app, 1), "a token leaves only its own customer");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action = 'consent_withdrawn' \
             AND details LIKE '%unsubscribe_link%'"
        ),
        1
    );
    // Single use.
    assert_eq!(one_click(&app, &path), Status::Gone);
    let reopened = visitor.get(path.clone()).dispatch();
    assert_eq!(reopened.status(), Status::Gone);

    // The next message reaches only who is still on the list.
    send_to_list(&app, "Druga oferta");
    let mails = with_subject(&smtp, "Druga oferta");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].to.iter().any(|t| t.contains(&demo)));
}

fn a_marketing_message_needs_a_subject_and_a_text(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = app_with_smtp(app, &smtp);
    join_on_profile(&app, "demo", "Demo-ebok-2026");
    let staff = staff_client(&app, "admin", "Admin-ebok-2026");
    let response = post(
        &staff,
        "/staff/lista-mailingowa",
        "/staff/lista-mailingowa",
        &[("subject", "  "), ("body", "")],
    );
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let page = page_text(&response.into_string().unwrap());
    assert!(page.contains("Podaj temat"), "{page}");
    assert!(page.contains("Wpisz treść"), "{page}");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM outbox WHERE kind = 'marketing'"
        ),
        0
    );
}
