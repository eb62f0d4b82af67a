//! What staff read (issue 14, section 3): words in their language instead of codes, the
//! subscriber called "Klient" (not "Ty"), statuses in staff wording, a readable audit history.

mod common;

use common::{TestApp, log_in, page_text, scalar_i64, staff_client};
use ebok::app::demo;
use rocket::http::Status;
use rocket::local::blocking::Client;

backend_tests!(
    the_ticket_queue_and_view_speak_of_the_customer_not_to_them,
    the_customer_card_shows_words_and_a_readable_history,
);

fn text(client: &Client, path: &str) -> String {
    let response = client.get(path.to_owned()).dispatch();
    assert_eq!(response.status(), Status::Ok, "{path}");
    page_text(&response.into_string().unwrap_or_default())
}

fn the_ticket_queue_and_view_speak_of_the_customer_not_to_them(app: TestApp) {
    let app = app.with_demo(0);
    let staff = staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let queue = text(&staff, "/staff/tickets");
    assert!(queue.contains("czeka na klienta"), "{queue}");
    assert!(!queue.contains("czeka na Twoją odpowiedź"), "{queue}");
    let ticket = scalar_i64(
        &app,
        "SELECT t.id AS v FROM tickets t JOIN ticket_messages m ON m.ticket_id = t.id \
         WHERE m.author_account_id IS NOT NULL ORDER BY t.id LIMIT 1",
    );
    let html = staff
        .get(format!("/staff/tickets/{ticket}"))
        .dispatch()
        .into_string()
        .unwrap_or_default();
    assert!(
        html.contains("<strong>Klient</strong>"),
        "the subscriber's message"
    );
    assert!(!html.contains("<strong>Ty</strong>"));
    // The subscriber still reads "Ty" on their own page.
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let own = scalar_i64(
        &app,
        "SELECT t.id AS v FROM tickets t JOIN customers c ON c.id = t.customer_id \
         JOIN ticket_messages m ON m.ticket_id = t.id \
         WHERE c.customer_number = 1 AND m.author_account_id IS NOT NULL ORDER BY t.id LIMIT 1",
    );
    let html = app
        .get(&format!("/zgloszenia/{own}"))
        .into_string()
        .unwrap_or_default();
    assert!(html.contains("<strong>Ty</strong>"));
}

fn the_customer_card_shows_words_and_a_readable_history(app: TestApp) {
    let app = app.with_demo(0);
    // Leave some history: a login, a consent change, a ticket.
    log_in(&app.client, demo::DEMO_LOGIN, demo::DEMO_PASSWORD);
    let staff = staff_client(&app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD);
    let customer = scalar_i64(
        &app,
        "SELECT id AS v FROM customers WHERE customer_number = 1",
    );
    let card = text(&staff, &format!("/staff/klienci/{customer}"));
    assert!(card.contains("Zalogowanie"), "{card}");
    for code in [
        "login_success",
        "ticket_opened",
        "waiting_customer",
        "answered",
        "einvoice",
        "{\"",
    ] {
        assert!(!card.contains(code), "raw {code:?} on the card: {card}");
    }
}
