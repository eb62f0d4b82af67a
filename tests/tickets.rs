//! Support tickets end to end on every backend: the whole conversation, mail over SMTP,
//! attachments checked by content, access between customers and staff roles, XSS as text.

mod common;

use common::smtp::SmtpSink;
use common::{BOUNDARY, FilePart, TestApp, count, log_in, multipart_body, page_text, post};
use diesel::prelude::*;
use ebok::app::audit::Actor;
use ebok::app::clock;
use ebok::app::tickets::customer::{self, NewTicketForm};
use ebok::app::tickets::{AttachmentStore, Upload};
use ebok::db::schema::{customers, outbox, ticket_attachments, ticket_messages, tickets};
use ebok::domain::CustomerId;
use rocket::http::{Header, Status};
use rocket::local::blocking::{Client, LocalResponse};

backend_tests!(
    the_whole_conversation_runs_from_opening_to_reopening,
    reopening_is_refused_fourteen_days_after_closing,
    staff_replies_and_customer_replies_are_mailed_with_the_ticket_number,
    no_mail_reaches_a_customer_who_turned_ticket_notifications_off,
    a_png_sent_as_pdf_is_stored_as_png_and_served_as_a_download,
    a_text_file_renamed_pdf_is_refused_and_nothing_is_stored,
    a_file_over_five_megabytes_is_refused_with_a_clear_message,
    six_files_are_refused,
    an_upload_over_the_form_limit_gets_a_page_that_leads_back,
    another_customers_ticket_replies_and_attachments_are_not_found,
    billing_staff_read_tickets_without_internal_notes_and_cannot_answer,
    support_staff_answer_assign_note_and_change_status_all_audited,
    message_bodies_are_shown_as_text_with_line_breaks,
    the_staff_queue_filters_by_status_category_assignee_age_and_customer,
    canned_responses_fill_the_reply_and_are_managed_by_support,
    the_ticket_list_shows_number_subject_status_and_an_empty_state,
    a_billing_contact_has_no_ticket_pages_and_a_fault_link_preselects_the_category,
    multipart_forms_without_the_csrf_token_change_nothing,
    the_ticket_pages_speak_english_to_english_subscribers,
);

const ORIGIN: &str = "http://127.0.0.1:8000";
fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    bytes.extend_from_slice(b"rest-of-a-tiny-png");
    bytes
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec()
}

/// POSTs a multipart form with the CSRF token of `form_page`.
fn post_multipart<'c>(
    client: &'c Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
    files: &[FilePart<'_>],
) -> LocalResponse<'c> {
    let token = common::csrf_token(client, form_page);
    // First, as the browser sends it: the token field comes first in every multipart form.
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client
        .post(action.to_owned())
        .header(Header::new(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .header(Header::new("Origin", ORIGIN))
        .body(multipart_body(&all, files))
        .dispatch()
}

fn demo_app(app: TestApp) -> TestApp {
    let app = app.with_demo(0);
    assert_eq!(
        log_in(&app.client, "demo", "Demo-ebok-2026").status(),
        Status::SeeOther
    );
    app
}

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

fn customer_id(app: &TestApp, number: i64) -> CustomerId {
    customers::table
        .filter(customers::customer_number.eq(number))
        .select(customers::id)
        .first(&mut *app.conn())
        .unwrap()
}

fn staff_id(app: &TestApp, login: &str) -> i64 {
    use ebok::db::schema::staff_users;
    staff_users::table
        .filter(staff_users::login_key.eq(login))
        .select(staff_users::id)
        .first(&mut *app.conn())
        .unwrap()
}

/// Opens a ticket through the form; returns its id.
fn open_ticket(app: &TestApp, subject: &str, body: &str, files: &[FilePart<'_>]) -> i64 {
    let response = post_multipart(
        &app.client,
        "/zgloszenia/nowe",
        "/zgloszenia/nowe",
        &[
            ("category", "fault"),
            ("service", ""),
            ("subject", subject),
            ("body", body),
        ],
        files,
    );
    assert_eq!(response.status(), Status::SeeOther, "ticket opened");
    let location = response.headers().get_one("Location").unwrap().to_owned();
    location
        .strip_prefix("/zgloszenia/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("unexpected redirect {location}"))
}

fn status_of(app: &TestApp, id: i64) -> (String, Option<chrono::NaiveDateTime>) {
    tickets::table
        .find(id)
        .select((tickets::status, tickets::closed_at))
        .first(&mut *app.conn())
        .unwrap()
}

fn text_of(client: &Client, path: &str) -> String {
    let response = client.get(path.to_owned()).dispatch();
    assert_eq!(response.status(), Status::Ok, "{path}");
    page_text(&response.into_string().unwrap())
}

fn files_on_disk(app: &TestApp) -> usize {
    fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    // The demo keeps a discount application's proof in the same store; it is not a ticket's.
    use ebok::db::schema::discount_applications as d;
    let proofs: Vec<String> = d::table
        .select(d::proof_storage_path)
        .load(&mut *app.conn())
        .unwrap_or_default();
    let mut found = Vec::new();
    walk(&app.config.paths.attachments_dir, &mut found);
    found
        .iter()
        .filter(|path| !proofs.iter().any(|proof| path.ends_with(proof)))
        .count()
}

fn the_whole_conversation_runs_from_opening_to_reopening(app: TestApp) {
    let app = demo_app(app);
    let id = open_ticket(
        &app,
        "Router nie łączy się z siecią",
        "Dioda PON świeci na czerwono.",
        &[("attachments", "router.png", "image/png", png())],
    );
    let number = format!("#{id:06}");
    assert_eq!(status_of(&app, id).0, "new");
    let list = text_of(&app.client, "/zgloszenia");
    assert!(
        list.contains(&number) && list.contains("Router nie łączy się z siecią"),
        "{list}"
    );
    assert!(list.contains("nowe"), "{list}");

    let support = staff(&app, "serwis");
    let support_id = staff_id(&app, "serwis");
    let page = format!("/staff/tickets/{id}");
    post(
        &support,
        &page,
        &format!("{page}/przypisz"),
        &[("assignee", &support_id.to_string())],
    );
    let reply = post(
        &support,
        &page,
        &format!("{page}/odpowiedz"),
        &[("body", "Proszę zrestartować terminal ONT.")],
    );
    assert_eq!(reply.status(), Status::SeeOther);
    assert_eq!(status_of(&app, id).0, "answered");

    let thread = text_of(&app.client, &format!("/zgloszenia/{id}"));
    assert!(
        thread.contains("Proszę zrestartować terminal ONT."),
        "{thread}"
    );
    assert!(thread.contains("odpowiedziano"), "{thread}");
    let first = thread.find("Dioda PON").unwrap();
    let second = thread.find("Proszę zrestartować").unwrap();
    assert!(first < second, "the thread is in order");

    let customer_reply = post_multipart(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/odpowiedz"),
        &[("body", "Restart nie pomógł.")],
        &[],
    );
    assert_eq!(customer_reply.status(), Status::SeeOther);
    assert_eq!(status_of(&app, id).0, "open");

    let close = post(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/zamknij"),
        &[],
    );
    assert_eq!(close.status(), Status::SeeOther);
    let (status, closed_at) = status_of(&app, id);
    assert_eq!(status, "closed");
    assert!(closed_at.is_some());
    let closed_page = text_of(&app.client, &format!("/zgloszenia/{id}"));
    assert!(closed_page.contains("Otwórz ponownie"), "{closed_page}");

    let reopen = post(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/otworz"),
        &[],
    );
    assert_eq!(reopen.status(), Status::SeeOther);
    assert_eq!(status_of(&app, id), ("open".to_owned(), None));
    let messages = count(
        &mut app.conn(),
        &format!("SELECT id FROM ticket_messages WHERE ticket_id = {id}"),
    );
    assert_eq!(messages, 3);
}

fn reopening_is_refused_fourteen_days_after_closing(app: TestApp) {
    let app = demo_app(app);
    // An empty file input, as a browser sends it when no file was chosen.
    let id = open_ticket(
        &app,
        "Stara sprawa",
        "Treść",
        &[("attachments", "", "application/octet-stream", Vec::new())],
    );
    assert_eq!(files_on_disk(&app), 0);
    post(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/zamknij"),
        &[],
    );
    let aged = clock::now() - chrono::Duration::days(14) - chrono::Duration::minutes(1);
    diesel::update(tickets::table.find(id))
        .set(tickets::closed_at.eq(Some(aged)))
        .execute(&mut *app.conn())
        .unwrap();
    let page = text_of(&app.client, &format!("/zgloszenia/{id}"));
    assert!(!page.contains("Otwórz ponownie"), "{page}");
    assert!(page.contains("ponad 14 dni"), "{page}");
    let reopen = post(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/otworz"),
        &[],
    );
    assert_eq!(reopen.status(), Status::SeeOther);
    let after = text_of(&app.client, &format!("/zgloszenia/{id}"));
    assert!(
        after.contains("nie można go już otworzyć ponownie. Załóż nowe zgłoszenie"),
        "{after}"
    );
    assert_eq!(status_of(&app, id), ("closed".to_owned(), Some(aged)));
    // A reply to a closed ticket is refused too, and writes nothing.
    let reply = post_multipart(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/odpowiedz"),
        &[("body", "Halo?")],
        &[],
    );
    assert_eq!(reply.status(), Status::UnprocessableEntity);
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT id FROM ticket_messages WHERE ticket_id = {id}")
        ),
        1
    );
}

fn staff_replies_and_customer_replies_are_mailed_with_the_ticket_number(app: TestApp) {
    let smtp = SmtpSink::start();
    let app = demo_app(app).with_config(|c| c.mail.smtp_url = Some(smtp.url()));
    log_in(&app.client, "demo", "Demo-ebok-2026");
    let id = open_ticket(&app, "Brak sygnału TV", "Nie działa dekoder.", &[]);
    let number = format!("#{id:06}");
    let support = staff(&app, "serwis");
    let page = format!("/staff/tickets/{id}");
    post(
        &support,
        &page,
        &format!("{page}/przypisz"),
        &[("assignee", &staff_id(&app, "serwis").to_string())],
    );
    post(
        &support,
        &page,
        &format!("{page}/odpowiedz"),
        &[("body", "Sprawdzamy nadajnik.")],
    );
    app.deliver_mail();
    let mails = smtp.received();
    assert_eq!(mails.len(), 1, "one mail to the customer");
    assert_eq!(mails[0].to, vec!["jan.kowalski@example.com".to_owned()]);
    assert!(
        mails[0].subject().contains(&number),
        "{}",
        mails[0].subject()
    );
    assert!(mails[0].text().contains("Sprawdzamy nadajnik."));
    assert!(
        mails[0]
            .link_containing(&format!("/zgloszenia/{id}"))
            .is_some()
    );

    post_multipart(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/odpowiedz"),
        &[("body", "Nadal nic.")],
        &[],
    );
    app.deliver_mail();
    let mails = smtp.received();
    assert_eq!(mails.len(), 2, "then one to the assignee");
    assert_eq!(
        mails[1].to,
        vec!["serwis@przykladowy-operator.example".to_owned()]
    );
    assert!(
        mails[1].subject().contains(&number),
        "{}",
        mails[1].subject()
    );
    assert!(mails[1].text().contains("Nadal nic."));
    assert!(
        mails[1]
            .link_containing(&format!("/staff/tickets/{id}"))
            .is_some()
    );
}

fn no_mail_reaches_a_customer_who_turned_ticket_notifications_off(app: TestApp) {
    let app = demo_app(app);
    diesel::update(customers::table.find(customer_id(&app, 1)))
        .set(customers::notify_tickets.eq(false))
        .execute(&mut *app.conn())
        .unwrap();
    let id = open_ticket(&app, "Cisza", "Bez powiadomień proszę.", &[]);
    let support = staff(&app, "serwis");
    let page = format!("/staff/tickets/{id}");
    let reply = post(
        &support,
        &page,
        &format!("{page}/odpowiedz"),
        &[("body", "Odpowiedź.")],
    );
    assert_eq!(reply.status(), Status::SeeOther);
    assert_eq!(status_of(&app, id).0, "answered");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM outbox WHERE kind = 'ticket_reply'"
        ),
        0
    );
    let _ = outbox::table;
}

fn a_png_sent_as_pdf_is_stored_as_png_and_served_as_a_download(app: TestApp) {
    let app = demo_app(app);
    let id = open_ticket(
        &app,
        "Skan umowy",
        "W załączniku.",
        &[("attachments", "skan umowy.pdf", "application/pdf", png())],
    );
    let (attachment_id, name, content_type, size): (i64, String, String, i64) =
        ticket_attachments::table
            .filter(ticket_attachments::ticket_id.eq(id))
            .select((
                ticket_attachments::id,
                ticket_attachments::file_name,
                ticket_attachments::content_type,
                ticket_attachments::size_bytes,
            ))
            .first(&mut *app.conn())
            .unwrap();
    // Our rule: the content decides. A real PNG is accepted, recorded and served as a PNG.
    assert_eq!(content_type, "image/png");
    assert_eq!(name, "skan umowy.png");
    assert_eq!(size, png().len() as i64);
    let thread = text_of(&app.client, &format!("/zgloszenia/{id}"));
    assert!(thread.contains("skan umowy.png"), "{thread}");
    let download = app
        .client
        .get(format!("/zgloszenia/{id}/zalaczniki/{attachment_id}"))
        .dispatch();
    assert_eq!(download.status(), Status::Ok);
    assert_eq!(
        download.headers().get_one("Content-Type"),
        Some("image/png")
    );
    assert_eq!(
        download.headers().get_one("X-Content-Type-Options"),
        Some("nosniff")
    );
    let disposition = download
        .headers()
        .get_one("Content-Disposition")
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("skan_umowy.png"), "{disposition}");
    assert_eq!(download.into_bytes().unwrap(), png());
    // Staff can download it as well; the file lies outside the assets directory.
    let support = staff(&app, "serwis");
    let staff_download = support
        .get(format!("/staff/tickets/{id}/zalaczniki/{attachment_id}"))
        .dispatch();
    assert_eq!(staff_download.status(), Status::Ok);
    assert!(
        !app.config
            .paths
            .attachments_dir
            .starts_with(&app.config.paths.assets_dir)
    );
    assert_eq!(files_on_disk(&app), 1);
}

fn a_text_file_renamed_pdf_is_refused_and_nothing_is_stored(app: TestApp) {
    let app = demo_app(app);
    let before = count(&mut app.conn(), "SELECT id FROM tickets");
    let response = post_multipart(
        &app.client,
        "/zgloszenia/nowe",
        "/zgloszenia/nowe",
        &[
            ("category", "billing"),
            ("subject", "Faktura"),
            ("body", "W załączniku."),
        ],
        &[
            ("attachments", "dobry.pdf", "application/pdf", pdf()),
            (
                "attachments",
                "faktura.pdf",
                "application/pdf",
                b"to tylko tekst".to_vec(),
            ),
        ],
    );
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let text = page_text(&response.into_string().unwrap());
    assert!(
        text.contains("Plik „faktura.pdf” nie jest dokumentem PDF"),
        "{text}"
    );
    assert!(
        text.contains("W załączniku."),
        "what was typed stays: {text}"
    );
    assert_eq!(count(&mut app.conn(), "SELECT id FROM tickets"), before);
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM ticket_attachments"),
        0
    );
    assert_eq!(files_on_disk(&app), 0);
}

fn a_file_over_five_megabytes_is_refused_with_a_clear_message(app: TestApp) {
    let app = demo_app(app);
    let before = count(&mut app.conn(), "SELECT id FROM tickets");
    let mut big = pdf();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let response = post_multipart(
        &app.client,
        "/zgloszenia/nowe",
        "/zgloszenia/nowe",
        &[
            ("category", "fault"),
            ("subject", "Zdjęcie"),
            ("body", "Duży plik."),
        ],
        &[("attachments", "duzy.pdf", "application/pdf", big)],
    );
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let text = page_text(&response.into_string().unwrap());
    assert!(
        text.contains("Plik „duzy.pdf” jest większy niż 5 MB"),
        "{text}"
    );
    assert_eq!(count(&mut app.conn(), "SELECT id FROM tickets"), before);
    assert_eq!(files_on_disk(&app), 0);
    // Exactly 5 MiB is still fine.
    let mut limit = pdf();
    limit.resize(5 * 1024 * 1024, b' ');
    open_ticket(
        &app,
        "Zdjęcie",
        "Na granicy.",
        &[("attachments", "ok.pdf", "application/pdf", limit)],
    );
    assert_eq!(files_on_disk(&app), 1);
}

fn six_files_are_refused(app: TestApp) {
    let app = demo_app(app);
    let id = open_ticket(&app, "Pliki", "Start.", &[]);
    let files: Vec<FilePart<'_>> = (0..6)
        .map(|_| ("attachments", "a.pdf", "application/pdf", pdf()))
        .collect();
    let response = post_multipart(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/odpowiedz"),
        &[("body", "Sześć plików.")],
        &files,
    );
    assert_eq!(response.status(), Status::UnprocessableEntity);
    let text = page_text(&response.into_string().unwrap());
    assert!(text.contains("najwyżej 5 plików"), "{text}");
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT id FROM ticket_messages WHERE ticket_id = {id}")
        ),
        1
    );
    assert_eq!(files_on_disk(&app), 0);
    // Five are accepted.
    let response = post_multipart(
        &app.client,
        &format!("/zgloszenia/{id}"),
        &format!("/zgloszenia/{id}/odpowiedz"),
        &[("body", "Pięć plików.")],
        &files[..5],
    );
    assert_eq!(response.status(), Status::SeeOther);
    assert_eq!(
        count(
            &mut app.conn(),
            &format!("SELECT id FROM ticket_attachments WHERE ticket_id = {id}")
        ),
        5
    );
}

fn an_upload_over_the_form_limit_gets_a_page_that_leads_back(app: TestApp) {
    let app = demo_app(app);
    let before = count(&mut app.conn(), "SELECT id FROM tickets");
    let mut huge = pdf();
    huge.resize(31 * 1024 * 1024, b' ');
    let response = post_multipart(
        &app.client,
        "/zgloszenia/nowe",
        "/zgloszenia/nowe",
        &[
            ("category", "fault"),
            ("subject", "Wideo"),
            ("body", "Film z awarii."),
        ],
        &[("attachments", "film.pdf", "application/pdf", huge)],
    );
    assert_eq!(response.status(), Status::PayloadTooLarge);
    let html = response.into_string().unwrap();
    assert!(page_text(&html).contains("każdy do 5 MB"), "{html}");
    let document = scraper::Html::parse_document(&html);
    let links = scraper::Selector::parse("a[href]").unwrap();
    assert!(
        document
            .select(&links)
            .any(|a| a.value().attr("href") == Some("/zgloszenia/nowe")),
        "links back to the form: {html}"
    );
    assert_eq!(count(&mut app.conn(), "SELECT id FROM tickets"), before);
}

fn another_customers_ticket_replies_and_attachments_are_not_found(app: TestApp) {
    let app = demo_app(app);
    // Anna Nowak (customer 2) has a ticket with a PDF, opened through the same use case.
    let other = customer_id(&app, 2);
    let store = AttachmentStore::new(&app.config.paths.attachments_dir);
    let id = customer::open(
        &mut app.conn(),
        &store,
        &Actor::anonymous(None),
        other,
        &NewTicketForm {
            category: "other".into(),
            service_id: None,
            subject: "Cudza sprawa".into(),
            body: "Tajne.".into(),
        },
        vec![Upload {
            file_name: "umowa.pdf".into(),
            bytes: pdf(),
        }],
        clock::now(),
    )
    .unwrap();
    let attachment_id: i64 = ticket_attachments::table
        .filter(ticket_attachments::ticket_id.eq(id))
        .select(ticket_attachments::id)
        .first(&mut *app.conn())
        .unwrap();
    let messages_before = count(&mut app.conn(), "SELECT id FROM ticket_messages");
    let own_page = "/zgloszenia";
    assert_eq!(
        app.get(&format!("/zgloszenia/{id}")).status(),
        Status::NotFound
    );
    assert_eq!(
        app.get(&format!("/zgloszenia/{id}/zalaczniki/{attachment_id}"))
            .status(),
        Status::NotFound
    );
    let reply = post_multipart(
        &app.client,
        own_page,
        &format!("/zgloszenia/{id}/odpowiedz"),
        &[("body", "Wtrącam się.")],
        &[],
    );
    assert_eq!(reply.status(), Status::NotFound);
    // Even an empty reply answers "not found", not "write something".
    let empty = post_multipart(
        &app.client,
        own_page,
        &format!("/zgloszenia/{id}/odpowiedz"),
        &[("body", "")],
        &[],
    );
    assert_eq!(empty.status(), Status::NotFound);
    assert_eq!(
        post(
            &app.client,
            own_page,
            &format!("/zgloszenia/{id}/zamknij"),
            &[]
        )
        .status(),
        Status::NotFound
    );
    assert_eq!(
        post(
            &app.client,
            own_page,
            &format!("/zgloszenia/{id}/otworz"),
            &[]
        )
        .status(),
        Status::NotFound
    );
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM ticket_messages"),
        messages_before
    );
    assert_eq!(status_of(&app, id), ("new".to_owned(), None));
    assert!(!text_of(&app.client, "/zgloszenia").contains("Cudza sprawa"));
    // Own ticket's attachment id under another ticket is not found either.
    let own = open_ticket(&app, "Moja", "Treść", &[]);
    assert_eq!(
        app.get(&format!("/zgloszenia/{own}/zalaczniki/{attachment_id}"))
            .status(),
        Status::NotFound
    );
    // Signed out: the login page, not the file.
    let stranger = app.another_browser();
    let response = stranger
        .get(format!("/zgloszenia/{id}/zalaczniki/{attachment_id}"))
        .dispatch();
    assert_eq!(response.status(), Status::SeeOther);
}

fn billing_staff_read_tickets_without_internal_notes_and_cannot_answer(app: TestApp) {
    let app = demo_app(app);
    let id = open_ticket(&app, "Rozliczenie", "Pytanie.", &[]);
    let support = staff(&app, "serwis");
    let page = format!("/staff/tickets/{id}");
    post(
        &support,
        &page,
        &format!("{page}/notatka"),
        &[("body", "Klient dzwonił dwa razy.")],
    );
    assert!(text_of(&support, &page).contains("Klient dzwonił dwa razy."));

    let billing = staff(&app, "ksiegowosc");
    let seen = text_of(&billing, &page);
    assert!(seen.contains("Pytanie."), "{seen}");
    assert!(
        !seen.contains("Klient dzwonił"),
        "billing does not read internal notes: {seen}"
    );
    // The form token from a page billing may see; the actions themselves are refused.
    let before = count(&mut app.conn(), "SELECT id FROM ticket_messages");
    assert_eq!(
        post(
            &billing,
            &page,
            &format!("{page}/odpowiedz"),
            &[("body", "Odpowiadam.")]
        )
        .status(),
        Status::Forbidden
    );
    assert_eq!(
        post(
            &billing,
            &page,
            &format!("{page}/notatka"),
            &[("body", "Notuję.")]
        )
        .status(),
        Status::Forbidden
    );
    assert_eq!(
        post(
            &billing,
            &page,
            &format!("{page}/status"),
            &[("status", "closed")]
        )
        .status(),
        Status::Forbidden
    );
    assert_eq!(
        count(&mut app.conn(), "SELECT id FROM ticket_messages"),
        before
    );
    assert_eq!(status_of(&app, id).0, "new");
    // The customer never sees the note either.
    let thread = text_of(&app.client, &format!("/zgloszenia/{id}"));
    assert!(!thread.contains("Klient dzwonił"), "{thread}");
    // Subscribers are not staff.
    assert_eq!(app.get(&page).status(), Status::SeeOther);
}

fn support_staff_answer_assign_note_and_change_status_all_audited(app: TestApp) {
    let app = demo_app(app);
    let id = open_ticket(&app, "Audyt", "Treść.", &[]);
    let support = staff(&app, "serwis");
    let page = format!("/staff/tickets/{id}");
    let support_id = staff_id(&app, "serwis");
    assert_eq!(
        post(
            &support,
            &page,
            &format!("{page}/przypisz"),
            &[("assignee", &support_id.to_string())]
        )
        .status(),
        Status::SeeOther
    );
    assert_eq!(
        status_of(&app, id).0,
        "open",
        "taking a new ticket opens it"
    );
    assert_eq!(
        post(
            &support,
            &page,
            &format!("{page}/odpowiedz"),
            &[("body", "Już sprawdzamy.")]
        )
        .status(),
        Status::SeeOther
    );
    assert_eq!(
        post(
            &support,
            &page,
            &format!("{page}/notatka"),
            &[("body", "Notatka.")]
        )
        .status(),
        Status::SeeOther
    );
    assert_eq!(
        post(
            &support,
            &page,
            &format!("{page}/status"),
            &[("status", "waiting_customer")]
        )
        .status(),
        Status::SeeOther
    );
    assert_eq!(status_of(&app, id).0, "waiting_customer");
    // Nonsense gets a message, not a 500, and changes nothing.
    let bad_status = post(
        &support,
        &page,
        &format!("{page}/status"),
        &[("status", "deleted")],
    );
    assert_eq!(bad_status.status(), Status::UnprocessableEntity);
    assert!(page_text(&bad_status.into_string().unwrap()).contains("Wybierz status z listy"));
    let billing_id = staff_id(&app, "ksiegowosc");
    let bad_assignee = post(
        &support,
        &page,
        &format!("{page}/przypisz"),
        &[("assignee", &billing_id.to_string())],
    );
    assert_eq!(bad_assignee.status(), Status::UnprocessableEntity);
    let empty = post(
        &support,
        &page,
        &format!("{page}/odpowiedz"),
        &[("body", "   ")],
    );
    assert_eq!(empty.status(), Status::UnprocessableEntity);
    assert_eq!(status_of(&app, id).0, "waiting_customer");
    let assigned: Option<i64> = tickets::table
        .find(id)
        .select(tickets::assigned_staff_id)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(assigned, Some(support_id));
    for action in [
        "ticket_assigned",
        "ticket_staff_reply",
        "ticket_internal_note",
        "ticket_status_changed",
    ] {
        assert_eq!(
            count(
                &mut app.conn(),
                &format!(
                    "SELECT id FROM audit_log WHERE action = '{action}' AND actor_staff_id = {support_id}"
                )
            ),
            1,
            "{action} audited"
        );
    }
    assert_eq!(
        app.get(&format!("/staff/tickets/{}", id + 1000)).status(),
        Status::SeeOther
    );
    assert_eq!(
        support
            .get(format!("/staff/tickets/{}", id + 1000))
            .dispatch()
            .status(),
        Status::NotFound
    );
}

fn message_bodies_are_shown_as_text_with_line_breaks(app: TestApp) {
    let app = demo_app(app);
    let id = open_ticket(
        &app,
        "<b>Temat</b>",
        "<script>alert('x')</script>\nDruga linia",
        &[],
    );
    let stored: String = ticket_messages::table
        .filter(ticket_messages::ticket_id.eq(id))
        .select(ticket_messages::body)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        stored, "<script>alert('x')</script>\nDruga linia",
        "stored as typed"
    );
    for (client, path) in [
        (&app.client, format!("/zgloszenia/{id}")),
        (&staff(&app, "serwis"), format!("/staff/tickets/{id}")),
    ] {
        let html = client.get(path.clone()).dispatch().into_string().unwrap();
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(
            html.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;&#x2F;script&gt;\nDruga linia"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;Temat&lt;&#x2F;b&gt;"), "{path}");
        assert!(html.contains("class=\"ticket-message-body\""));
    }
}

fn the_staff_queue_filters_by_status_category_assignee_age_and_customer(app: TestApp) {
    let app = demo_app(app);
    let fresh = open_ticket(&app, "Świeże zgłoszenie", "Dziś.", &[]);
    let other = customer_id(&app, 2);
    let store = AttachmentStore::new(&app.config.paths.attachments_dir);
    let anna = customer::open(
        &mut app.conn(),
        &store,
        &Actor::anonymous(None),
        other,
        &NewTicketForm {
            category: "billing".into(),
            service_id: None,
            subject: "Zgłoszenie Anny".into(),
            body: "Treść.".into(),
        },
        vec![],
        clock::now(),
    )
    .unwrap();
    let support = staff(&app, "serwis");
    let queue = text_of(&support, "/staff/tickets");
    assert!(
        queue.contains("Świeże zgłoszenie") && queue.contains("Zgłoszenie Anny"),
        "{queue}"
    );
    assert!(
        queue.contains("Wolny internet wieczorami"),
        "demo tickets are there: {queue}"
    );
    assert!(
        !queue.contains("Brak internetu po burzy"),
        "closed ones are not, by default"
    );
    let closed = text_of(&support, "/staff/tickets?status=closed");
    assert!(closed.contains("Brak internetu po burzy") && !closed.contains("Świeże zgłoszenie"));
    let billing = text_of(&support, "/staff/tickets?category=billing");
    assert!(billing.contains("Zgłoszenie Anny") && !billing.contains("Świeże zgłoszenie"));
    let mine = text_of(
        &support,
        &format!("/staff/tickets?assignee={}", staff_id(&app, "serwis")),
    );
    assert!(
        mine.contains("Wolny internet wieczorami") && !mine.contains("Świeże zgłoszenie"),
        "{mine}"
    );
    let nobody = text_of(&support, "/staff/tickets?assignee=none");
    assert!(nobody.contains("Świeże zgłoszenie") && !nobody.contains("Wolny internet wieczorami"));
    let old = text_of(&support, "/staff/tickets?older_than=2");
    assert!(
        old.contains("Wolny internet wieczorami") && !old.contains("Świeże zgłoszenie"),
        "{old}"
    );
    let of_anna = text_of(
        &support,
        &format!("/staff/tickets?customer={other}&status=all"),
    );
    assert!(of_anna.contains("Zgłoszenie Anny") && !of_anna.contains("Świeże zgłoszenie"));
    let garbage = support
        .get("/staff/tickets?status=xyz&older_than=abc&assignee=%3Cb%3E")
        .dispatch();
    assert_eq!(
        garbage.status(),
        Status::Ok,
        "unknown filter values mean 'any'"
    );
    let _ = (fresh, anna);
}

fn canned_responses_fill_the_reply_and_are_managed_by_support(app: TestApp) {
    let app = demo_app(app);
    let id = open_ticket(&app, "Wolno działa", "Bardzo wolno.", &[]);
    let support = staff(&app, "serwis");
    let list = support
        .get("/staff/odpowiedzi")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        list.contains("value=\"Prośba o restart routera\""),
        "demo canned responses: {list}"
    );
    let created = post(
        &support,
        "/staff/odpowiedzi",
        "/staff/odpowiedzi",
        &[
            ("title", "Awaria w okolicy"),
            (
                "body",
                "W Twojej okolicy trwa usuwanie awarii.\nPrzepraszamy.",
            ),
            ("active", "true"),
        ],
    );
    assert_eq!(created.status(), Status::SeeOther);
    let canned_id: i64 = {
        use ebok::db::schema::canned_responses;
        canned_responses::table
            .filter(canned_responses::title.eq("Awaria w okolicy"))
            .select(canned_responses::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let filled = support
        .get(format!("/staff/tickets/{id}?canned={canned_id}"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(
        filled.contains(">W Twojej okolicy trwa usuwanie awarii.\nPrzepraszamy.</textarea>"),
        "the reply box holds the canned text"
    );
    let empty_title = post(
        &support,
        "/staff/odpowiedzi",
        "/staff/odpowiedzi",
        &[("title", " "), ("body", "x")],
    );
    assert_eq!(empty_title.status(), Status::UnprocessableEntity);
    // Deactivated responses are not offered and not inserted.
    let saved = post(
        &support,
        "/staff/odpowiedzi",
        &format!("/staff/odpowiedzi/{canned_id}"),
        &[("title", "Awaria w okolicy"), ("body", "Nowa treść.")],
    );
    assert_eq!(saved.status(), Status::SeeOther);
    let page = support
        .get(format!("/staff/tickets/{id}?canned={canned_id}"))
        .dispatch()
        .into_string()
        .unwrap();
    assert!(!page.contains("Nowa treść."));
    let billing = staff(&app, "ksiegowosc");
    assert_eq!(
        billing.get("/staff/odpowiedzi").dispatch().status(),
        Status::Forbidden
    );
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT id FROM audit_log WHERE action IN ('canned_response_created', 'canned_response_changed')"
        ),
        2
    );
}

fn the_ticket_list_shows_number_subject_status_and_an_empty_state(app: TestApp) {
    let app = demo_app(app);
    let list = text_of(&app.client, "/zgloszenia");
    // The demo's tickets, newest change first, each with its number and status.
    assert!(list.contains("Zmiana adresu korespondencyjnego"), "{list}");
    assert!(list.contains("czeka na Twoją odpowiedź"), "{list}");
    assert!(list.find("Zmiana adresu korespondencyjnego") < list.find("Brak internetu po burzy"));
    let demo_ticket: i64 = tickets::table
        .filter(tickets::subject.eq("Pytanie o fakturę za poprzedni miesiąc"))
        .select(tickets::id)
        .first(&mut *app.conn())
        .unwrap();
    assert!(list.contains(&format!("#{demo_ticket:06}")));
    let thread = text_of(&app.client, &format!("/zgloszenia/{demo_ticket}"));
    assert!(
        thread.contains("Wystawimy fakturę korygującą"),
        "the staff reply: {thread}"
    );
    assert!(
        !thread.contains("Korekta do wystawienia przez księgowość"),
        "no internal note: {thread}"
    );
    let recent =
        ebok::db::tickets::list_of_customer(&mut app.conn(), customer_id(&app, 1)).unwrap();
    assert!(recent.len() >= 3);
    assert!(
        recent
            .windows(2)
            .all(|w| w[0].updated_at >= w[1].updated_at)
    );
    // Someone with no tickets sees the empty state.
    diesel::delete(tickets::table.filter(tickets::customer_id.eq(customer_id(&app, 1))))
        .execute(&mut *app.conn())
        .unwrap();
    let empty = text_of(&app.client, "/zgloszenia");
    assert!(
        empty.contains("Nie masz jeszcze żadnych zgłoszeń"),
        "{empty}"
    );
}

fn a_billing_contact_has_no_ticket_pages_and_a_fault_link_preselects_the_category(app: TestApp) {
    let app = demo_app(app);
    let now = clock::now();
    ebok::db::accounts::insert(
        &mut app.conn(),
        &ebok::db::accounts::NewAccount {
            customer_id: customer_id(&app, 1),
            login: "ksiegowa".into(),
            login_key: "ksiegowa".into(),
            email: "ksiegowa@example.com".into(),
            password_hash: ebok::app::crypto::hash_password("Ksiegowa-ebok-2026").unwrap(),
            role: "billing".into(),
            status: ebok::domain::AccountStatus::Active,
            language: "pl".into(),
            totp_secret: None,
            terms_version: None,
            created_at: now,
            activated_at: Some(now),
            last_login_at: None,
            totp_last_step: None,
        },
    )
    .unwrap();
    let billing = app.another_browser();
    assert_eq!(
        log_in(&billing, "ksiegowa", "Ksiegowa-ebok-2026").status(),
        Status::SeeOther
    );
    for path in ["/zgloszenia", "/zgloszenia/nowe"] {
        assert_eq!(
            billing.get(path).dispatch().status(),
            Status::Forbidden,
            "{path}"
        );
    }
    let html = app
        .client
        .get("/zgloszenia/nowe?kategoria=fault")
        .dispatch()
        .into_string()
        .unwrap();
    assert!(html.contains("<option value=\"fault\" selected>"), "{html}");
}

fn multipart_forms_without_the_csrf_token_change_nothing(app: TestApp) {
    let app = demo_app(app);
    let before = count(&mut app.conn(), "SELECT id FROM tickets");
    let fields = [
        ("category", "fault"),
        ("subject", "Podrobione"),
        ("body", "Z innej strony."),
    ];
    let files = [("attachments", "a.pdf", "application/pdf", pdf())];
    let no_token = app
        .client
        .post("/zgloszenia/nowe")
        .header(Header::new(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .header(Header::new("Origin", ORIGIN))
        .body(multipart_body(&fields, &files))
        .dispatch();
    assert_eq!(no_token.status(), Status::Forbidden);
    let token = common::csrf_token(&app.client, "/zgloszenia/nowe");
    let mut with_token = fields.to_vec();
    with_token.push(("csrf_token", &token));
    let cross_site = app
        .client
        .post("/zgloszenia/nowe")
        .header(Header::new(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .header(Header::new("Origin", "https://evil.example"))
        .body(multipart_body(&with_token, &files))
        .dispatch();
    assert_eq!(cross_site.status(), Status::Forbidden);
    assert_eq!(count(&mut app.conn(), "SELECT id FROM tickets"), before);
    assert_eq!(files_on_disk(&app), 0);
}

fn the_ticket_pages_speak_english_to_english_subscribers(app: TestApp) {
    let app = demo_app(app);
    {
        use ebok::db::schema::accounts;
        diesel::update(accounts::table.filter(accounts::login_key.eq("demo")))
            .set(accounts::language.eq("en"))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let list = text_of(&app.client, "/zgloszenia");
    assert!(
        list.contains("Support tickets") && list.contains("waiting for your reply"),
        "{list}"
    );
    let form = text_of(&app.client, "/zgloszenia/nowe");
    assert!(
        form.contains("technical fault") && form.contains("each up to 5 MB"),
        "{form}"
    );
    let refused = post_multipart(
        &app.client,
        "/zgloszenia/nowe",
        "/zgloszenia/nowe",
        &[("category", "fault"), ("subject", ""), ("body", "x")],
        &[],
    );
    assert_eq!(refused.status(), Status::UnprocessableEntity);
    let text = page_text(&refused.into_string().unwrap());
    assert!(
        text.contains("Enter a subject (at most 200 characters)."),
        "{text}"
    );
}
