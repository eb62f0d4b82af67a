//! The access matrix (issue 24, part 7): every route of the application's own route table,
//! asked by every role, with the ids of the demo subscriber's records, gets the answer one
//! declarative table below says: the page, a redirect to the right sign-in, 403 or 404.
//!
//! Roles: a visitor; the demo subscriber (the owner of customer 1); a billing contact and a
//! technical contact of the same customer; another customer's subscriber; and staff with the
//! support, billing and admin roles. A record of customer 1 asked for by another customer's
//! subscriber is "not found", never shown and never "forbidden" (which would confirm it exists).
//!
//! Every route must have a row: a route added without one fails the test with its name, so
//! whoever adds it decides who may see it. `EBOK_ACCESS_MATRIX_PRINT=1` prints what each role
//! got, to help write a new row.

mod common;

use ebok::domain::CustomerId;
use std::collections::BTreeMap;

use common::TestApp;
use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::blocking::Client;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Visitor,
    Owner,
    BillingContact,
    TechnicalContact,
    OtherSubscriber,
    Support,
    Billing,
    Admin,
}

const ROLES: [Role; 8] = [
    Role::Visitor,
    Role::Owner,
    Role::BillingContact,
    Role::TechnicalContact,
    Role::OtherSubscriber,
    Role::Support,
    Role::Billing,
    Role::Admin,
];

/// What a role gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// 200 (or a download).
    Page,
    /// 303 to the subscriber sign-in.
    SubscriberLogin,
    /// 303 to the staff sign-in.
    StaffLogin,
    /// 303 somewhere else (e.g. a signed-in user sent on from a sign-in page).
    Elsewhere,
    Forbidden,
    NotFound,
    /// 410: a one-time link that is spent or was never valid.
    Gone,
    /// 401: the JSON API without a bearer token (sessions do not open it).
    Unauthorized,
    /// A form sent with only its CSRF token, by someone who may send it: whatever the form
    /// does with that (a page saying what is missing, a redirect, "not found" for a record
    /// that is not there, "too many" after the walk's own attempts), but never "forbidden",
    /// never a sign-in and never a server error.
    Acted,
}

/// Whether what was got is what the matrix wants.
fn answers(want: Answer, status: Status, location: Option<&str>) -> bool {
    let got = answer_of(status, location);
    if want == Answer::Acted {
        return status.code < 500
            && !matches!(
                got,
                Some(Answer::Forbidden | Answer::SubscriberLogin | Answer::StaffLogin)
            );
    }
    got == Some(want)
}

fn answer_of(status: Status, location: Option<&str>) -> Option<Answer> {
    match status.code {
        200 => Some(Answer::Page),
        403 => Some(Answer::Forbidden),
        404 => Some(Answer::NotFound),
        410 => Some(Answer::Gone),
        401 => Some(Answer::Unauthorized),
        302 | 303 | 307 => {
            let location = location.unwrap_or_default();
            if location.starts_with("/staff/login") {
                Some(Answer::StaffLogin)
            } else if location.starts_with("/logowanie") {
                Some(Answer::SubscriberLogin)
            } else {
                Some(Answer::Elsewhere)
            }
        }
        _ => None,
    }
}

/// Ids of records of customer 1 (the demo subscriber's), and of other things staff pages take,
/// by the name a row's path uses for them: `{invoice}` and so on. `{c}` is customer 1's id.
const SAMPLES: &[(&str, &str)] = &[
    (
        "customer",
        "SELECT id FROM customers WHERE customer_number = 1",
    ),
    (
        "invoice",
        "SELECT MIN(id) FROM invoices WHERE customer_id = {c} AND corrects_invoice_id IS NULL",
    ),
    (
        "contract",
        "SELECT MIN(id) FROM contracts WHERE customer_id = {c}",
    ),
    (
        "service",
        "SELECT MIN(id) FROM services WHERE customer_id = {c}",
    ),
    (
        "endpoint",
        "SELECT MIN(e.id) FROM endpoints e JOIN services s ON s.id = e.service_id WHERE s.customer_id = {c}",
    ),
    (
        "ticket",
        "SELECT MIN(id) FROM tickets WHERE customer_id = {c}",
    ),
    (
        "attachment",
        "SELECT MIN(a.id) FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.customer_id = {c}",
    ),
    (
        "attachment_ticket",
        "SELECT MIN(a.ticket_id) FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.customer_id = {c}",
    ),
    (
        "visit",
        "SELECT MIN(id) FROM visits WHERE customer_id = {c}",
    ),
    (
        "online_payment",
        "SELECT MIN(id) FROM online_payments WHERE customer_id = {c}",
    ),
    (
        "letter",
        "SELECT MIN(id) FROM dunning_steps WHERE customer_id = {c}",
    ),
    (
        "note",
        "SELECT MIN(id) FROM interest_notes WHERE customer_id = {c}",
    ),
    ("news", "SELECT MIN(id) FROM news"),
    ("banner", "SELECT MIN(id) FROM offer_banners"),
    ("import", "SELECT MIN(id) FROM import_batches"),
    ("run", "SELECT MIN(id) FROM billing_runs"),
    ("technician", "SELECT MIN(id) FROM technicians"),
    (
        "upo",
        "SELECT MIN(invoice_id) FROM ksef_documents WHERE upo IS NOT NULL",
    ),
    (
        "domain",
        "SELECT MIN(id) FROM domains WHERE customer_id = {c}",
    ),
    (
        "order",
        "SELECT MIN(id) FROM shop_orders WHERE customer_id = {c}",
    ),
    ("application", "SELECT MIN(id) FROM discount_applications"),
    (
        "payment",
        "SELECT MIN(id) FROM payments WHERE customer_id = {c}",
    ),
];

fn resolve_samples(app: &TestApp) -> BTreeMap<&'static str, String> {
    let customer = customer_one(app);
    SAMPLES
        .iter()
        .map(|(name, sql)| {
            let sql = format!(
                "SELECT CAST(COALESCE(({}), 0) AS BIGINT) AS v",
                sql.replace("{c}", &customer.to_string())
            );
            (*name, common::scalar_i64(app, &sql).to_string())
        })
        .collect()
}

fn fill(path: &str, samples: &BTreeMap<&'static str, String>) -> String {
    let mut filled = path.to_owned();
    for (name, value) in samples {
        filled = filled.replace(&format!("{{{name}}}"), value);
    }
    filled
}

/// Records of customer 1 the demo does not have, made the way users make them, so that every
/// row asks for a real record: a ticket with an attachment, dunning letters, an interest note
/// on a late payment, a UPO, a billing run.
/// Returns the id of a dunning letter, as the owner's balance page links it.
fn make_samples(app: &TestApp, owner: &Client) -> String {
    use ebok::app::audit::Actor;
    use ebok::app::clock;
    let customer = customer_one(app);
    // A ticket with an attachment, through the portal.
    let token = common::csrf_token(owner, "/zgloszenia/nowe");
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let opened = owner
        .post("/zgloszenia/nowe")
        .header(Header::new(
            "Content-Type",
            format!("multipart/form-data; boundary={}", common::BOUNDARY),
        ))
        .header(Header::new("Origin", "http://127.0.0.1:8000"))
        .body(common::multipart_body(
            &[
                ("csrf_token", token.as_str()),
                ("category", "fault"),
                ("service", ""),
                ("subject", "Brak sieci"),
                ("body", "Skan w załączniku."),
            ],
            &[("attachments", "skan.pdf", "application/pdf", pdf)],
        ))
        .dispatch();
    assert_eq!(
        opened.status(),
        Status::SeeOther,
        "ticket with an attachment"
    );
    // Dunning letters for what is overdue two months from now.
    let templates = ebok::mail::MailTemplates::load(&app.config.paths.templates_dir.join("mail"))
        .expect("mail templates");
    let outgoing = ebok::app::mail_queue::Outgoing {
        templates: &templates,
        public_url: "http://127.0.0.1:8000",
        isp_name: "Testowy Operator",
    };
    let later = clock::today() + chrono::Duration::days(60);
    ebok::app::dunning::run(
        &mut app.conn(),
        &outgoing,
        clock::today(),
        clock::now(),
        false,
    )
    .expect("dunning run");
    let balance = owner
        .get("/saldo/zaleglosci")
        .dispatch()
        .into_string()
        .unwrap_or_default();
    let letter = balance
        .split("/saldo/monity/")
        .nth(1)
        .and_then(|rest| rest.split(".pdf").next())
        .unwrap_or_else(|| panic!("no dunning letter linked on /saldo/zaleglosci"))
        .to_owned();
    // A late payment of everything, and its interest note.
    let renderer = ebok::pdf::PdfRenderer::shared().unwrap();
    let store = ebok::app::invoicing::PdfStore::new(&app.config.paths.invoices_dir);
    ebok::app::payments::record_payment(
        &mut app.conn(),
        &ebok::app::payments::PaymentRequest {
            customer_id: customer,
            amount: ebok::domain::Money::from_grosze(1_000_000),
            received_on: later,
            method: "transfer",
            source: "manual",
            title: None,
            payer_name: None,
            bank_reference: None,
            recorded_by_staff_id: None,
            match_reason: None,
        },
        clock::now(),
    )
    .unwrap();
    ebok::app::interest_notes::issue(
        &mut app.conn(),
        &renderer,
        &store,
        1,
        &Actor::default(),
        later,
        clock::now(),
    )
    .expect("an interest note");
    // A UPO for the first invoice, as if KSeF had accepted it.
    let upo = format!(
        "UPDATE ksef_documents SET upo = '<Potwierdzenie/>', \
         ksef_number = '6182007145-20261206-0100001AF629-AF' WHERE invoice_id = \
         (SELECT MIN(id) FROM invoices WHERE customer_id = {customer})"
    );
    diesel::RunQueryDsl::execute(diesel::sql_query(upo), &mut *app.conn()).unwrap();
    // A billing run for next month, started.
    let next = ebok::domain::billing::BillingPeriod::containing(clock::today()).next();
    ebok::app::billing::start_run(
        &mut app.conn(),
        &app.config.database.url,
        &next.to_string(),
        clock::today(),
        ebok::app::billing::Source::Cli,
        &Actor::default(),
        clock::now(),
    )
    .expect("a billing run");
    letter
}

struct Browsers {
    by_role: Vec<(Role, Client)>,
}

fn sign_in_subscriber(app: &TestApp, login: &str, password: &str) -> Client {
    let browser = app.another_browser();
    let status = common::log_in(&browser, login, password).status();
    assert_eq!(status, Status::SeeOther, "sign-in of {login}");
    browser
}

fn customer_one(app: &TestApp) -> CustomerId {
    CustomerId(common::scalar_i64(
        app,
        "SELECT id AS v FROM customers WHERE customer_number = 1",
    ))
}

/// A contact of customer 1 with `role`, signed in.
fn contact(app: &TestApp, login: &str, role: &str) -> Client {
    let customer = customer_one(app);
    let now = ebok::app::clock::now();
    ebok::db::accounts::insert(
        &mut app.conn(),
        &ebok::db::accounts::NewAccount {
            customer_id: customer,
            login: login.into(),
            login_key: login.to_lowercase(),
            email: format!("{login}@example.com"),
            password_hash: ebok::app::crypto::hash_password(CONTACT_PASSWORD).unwrap(),
            role: role.into(),
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
    sign_in_subscriber(app, login, CONTACT_PASSWORD)
}

const CONTACT_PASSWORD: &str = "Kontakt-ebok-2026!";
const STAFF_PASSWORD: &str = "Staff-ebok-2026";

fn browsers(app: &TestApp) -> Browsers {
    use ebok::app::demo;
    Browsers {
        by_role: vec![
            (Role::Visitor, app.another_browser()),
            (
                Role::Owner,
                sign_in_subscriber(app, demo::DEMO_LOGIN, demo::DEMO_PASSWORD),
            ),
            (Role::BillingContact, contact(app, "ksiegowa", "billing")),
            (Role::TechnicalContact, contact(app, "technik", "technical")),
            (
                Role::OtherSubscriber,
                sign_in_subscriber(app, "klient3", demo::GENERATED_PASSWORD),
            ),
            (
                Role::Support,
                common::staff_client(app, "serwis", STAFF_PASSWORD),
            ),
            (
                Role::Billing,
                common::staff_client(app, "ksiegowosc", STAFF_PASSWORD),
            ),
            (
                Role::Admin,
                common::staff_client(app, demo::ADMIN_LOGIN, demo::ADMIN_PASSWORD),
            ),
        ],
    }
}

fn ask(client: &Client, method: Method, path: &str) -> (Status, Option<String>) {
    let response = if method == Method::Get {
        client.get(path.to_owned()).dispatch()
    } else {
        let token = csrf(client);
        client
            .post(path.to_owned())
            .header(ContentType::Form)
            .header(Header::new("Origin", "http://127.0.0.1:8000"))
            .body(format!("csrf_token={token}"))
            .dispatch()
    };
    let location = response.headers().get_one("Location").map(str::to_owned);
    (response.status(), location)
}

/// A CSRF token of this browser's session (any page with a form carries one).
fn csrf(client: &Client) -> String {
    for page in ["/dane", "/staff", "/logowanie", "/staff/login"] {
        let html = client
            .get(page)
            .dispatch()
            .into_string()
            .unwrap_or_default();
        if let Some((_, rest)) = html.split_once("name=\"csrf_token\" value=\"")
            && let Some((token, _)) = rest.split_once('"')
        {
            return token.to_owned();
        }
    }
    String::new()
}

/// One row of the matrix: a route of the table (method and Rocket's pattern), the path asked
/// (with `{sample}` ids) and who gets what.
struct Row {
    method: Method,
    route: &'static str,
    path: &'static str,
    rule: Rule,
}

const fn get(route: &'static str, path: &'static str, rule: Rule) -> Row {
    Row {
        method: Method::Get,
        route,
        path,
        rule,
    }
}

const fn post(route: &'static str, path: &'static str, rule: Rule) -> Row {
    Row {
        method: Method::Post,
        route,
        path,
        rule,
    }
}

/// Which contacts of the customer may use a subscriber page (`app::access`): every login,
/// the billing part, the technical part, or only the owner (and full contacts).
#[derive(Debug, Clone, Copy)]
enum Part {
    All,
    Invoices,
    Technical,
    OwnerOnly,
}

/// Which staff roles may use a staff page.
#[derive(Debug, Clone, Copy)]
enum StaffRoles {
    Any,
    BillingAndAdmin,
    SupportAndAdmin,
    AdminOnly,
}

/// Who may see a route.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Every visitor and every signed-in user.
    Everyone,
    /// Nobody (404): `/metrics` without its token, an asset that does not exist.
    Nobody,
    /// A one-time link whose token is not valid: 410 Gone for everyone.
    SpentLink,
    /// The subscriber sign-in: signed-in subscribers are sent on to the portal.
    SubscriberSignIn,
    /// A subscriber page without a record in its path: visitors and staff (who have no
    /// subscriber session) are sent to sign in; contacts as their part allows.
    Portal(Part),
    /// A subscriber page of a record of customer 1: as `Portal`, and another customer's
    /// subscriber is told it does not exist.
    Owned(Part),
    /// A staff page: everyone without a staff session is sent to the staff sign-in.
    Staff(StaffRoles),
    /// As `Staff`, where the allowed roles are sent on (a search that found its customer).
    StaffSentOn(StaffRoles),
    /// The JSON API: only a bearer token opens it, never a browser session (`tests/api.rs`
    /// covers tokens and scopes).
    ApiToken,
    /// One answer per role, in the order of `ROLES`, for a route no rule above describes.
    Each([Answer; 8]),
}

fn contact_may(part: Part, role: Role) -> bool {
    match (part, role) {
        (Part::All, _) => true,
        (Part::Invoices, Role::BillingContact) => true,
        (Part::Technical, Role::TechnicalContact) => true,
        (_, Role::BillingContact | Role::TechnicalContact) => false,
        _ => true,
    }
}

fn staff_may(roles: StaffRoles, role: Role) -> bool {
    matches!(
        (roles, role),
        (StaffRoles::Any, _)
            | (_, Role::Admin)
            | (StaffRoles::BillingAndAdmin, Role::Billing)
            | (StaffRoles::SupportAndAdmin, Role::Support)
    )
}

fn is_subscriber(role: Role) -> bool {
    matches!(
        role,
        Role::Owner | Role::BillingContact | Role::TechnicalContact | Role::OtherSubscriber
    )
}

fn is_staff(role: Role) -> bool {
    matches!(role, Role::Support | Role::Billing | Role::Admin)
}

/// What `role` gets from a route under `rule`. A form (POST) is refused as its page is, and
/// where its page shows, the form acts (see `Answer::Acted`).
fn expected(method: Method, rule: Rule, role: Role) -> Answer {
    let answer = page_answer(rule, role);
    if method == Method::Post && answer == Answer::Page {
        Answer::Acted
    } else {
        answer
    }
}

fn page_answer(rule: Rule, role: Role) -> Answer {
    match rule {
        Rule::Everyone => Answer::Page,
        Rule::Nobody => Answer::NotFound,
        Rule::SpentLink => Answer::Gone,
        Rule::ApiToken => Answer::Unauthorized,
        Rule::SubscriberSignIn if is_subscriber(role) => Answer::Elsewhere,
        Rule::SubscriberSignIn => Answer::Page,
        Rule::Portal(_) | Rule::Owned(_) if !is_subscriber(role) => Answer::SubscriberLogin,
        Rule::Portal(part) | Rule::Owned(part) if !contact_may(part, role) => Answer::Forbidden,
        Rule::Owned(_) if role == Role::OtherSubscriber => Answer::NotFound,
        Rule::Portal(_) | Rule::Owned(_) => Answer::Page,
        Rule::Staff(_) | Rule::StaffSentOn(_) if !is_staff(role) => Answer::StaffLogin,
        Rule::Staff(roles) | Rule::StaffSentOn(roles) if !staff_may(roles, role) => {
            Answer::Forbidden
        }
        Rule::Staff(_) => Answer::Page,
        Rule::StaffSentOn(_) => Answer::Elsewhere,
        Rule::Each(answers) => answers[ROLES.iter().position(|r| *r == role).unwrap()],
    }
}

use Part::{All, Invoices, OwnerOnly, Technical};
use Rule::{Everyone, Nobody, Owned, Portal, SpentLink, Staff, StaffSentOn, SubscriberSignIn};
use StaffRoles::{AdminOnly, Any, BillingAndAdmin, SupportAndAdmin};

/// The matrix. Paths name records by `{sample}` (see `SAMPLES`).
const MATRIX: &[Row] = &[
    // Public pages.
    get("/", "/", Everyone),
    get("/regulamin", "/regulamin", Everyone),
    get("/health", "/health", Everyone),
    get("/haslo/reset", "/haslo/reset", Everyone),
    get("/rejestracja", "/rejestracja", Everyone),
    get("/rejestracja/wyslano", "/rejestracja/wyslano", Everyone),
    get("/aktywacja/ponownie", "/aktywacja/ponownie", Everyone),
    get("/staff/login", "/staff/login", Everyone),
    // An invitation link shows its own "not valid" page to anyone holding a wrong one.
    get("/zaproszenie/<token>", "/zaproszenie/not-a-token", Everyone),
    get("/metrics", "/metrics", Nobody),
    get("/assets/<path..>", "/assets/no-such-file.css", Nobody),
    get("/aktywacja/<token>", "/aktywacja/not-a-token", SpentLink),
    get("/haslo/nowe/<token>", "/haslo/nowe/not-a-token", SpentLink),
    get(
        "/bezpieczenstwo/email/<token>",
        "/bezpieczenstwo/email/not-a-token",
        SpentLink,
    ),
    get(
        "/lista/wypisz/<token>",
        "/lista/wypisz/not-a-token",
        SpentLink,
    ),
    get("/logowanie", "/logowanie", SubscriberSignIn),
    // The second step of a sign-in with a code: without a first step, back to the first.
    get(
        "/logowanie/kod",
        "/logowanie/kod",
        Rule::Each([Answer::SubscriberLogin; 8]),
    ),
    post(
        "/logowanie/kod",
        "/logowanie/kod",
        Rule::Each([Answer::SubscriberLogin; 8]),
    ),
    // The subscriber portal.
    get("/bezpieczenstwo", "/bezpieczenstwo", Portal(All)),
    get("/bezpieczenstwo/2fa", "/bezpieczenstwo/2fa", Portal(All)),
    get("/wiadomosci", "/wiadomosci", Portal(All)),
    get("/powiadomienia", "/powiadomienia", Portal(All)),
    get("/dane", "/dane", Portal(OwnerOnly)),
    get("/kontakty", "/kontakty", Portal(OwnerOnly)),
    get(
        "/faktury?<rok>&<status>",
        "/faktury?rok=2026",
        Portal(Invoices),
    ),
    get("/saldo?<period..>", "/saldo", Portal(Invoices)),
    get("/saldo/zaleglosci", "/saldo/zaleglosci", Portal(Invoices)),
    get(
        "/saldo/zestawienie.pdf?<period..>",
        "/saldo/zestawienie.pdf",
        Portal(Invoices),
    ),
    get("/doladowania", "/doladowania", Portal(Invoices)),
    get(
        "/konto/platnosci-automatyczne",
        "/konto/platnosci-automatyczne",
        Portal(Invoices),
    ),
    get(
        "/konto/platnosci-automatyczne/nowa-karta?<token>",
        "/konto/platnosci-automatyczne/nowa-karta?token=TOK_1",
        Portal(Invoices),
    ),
    // Back from PayU's 3-D Secure: PayU is not configured here, so the signed-in are sent on
    // with a message; without the session (SameSite=Strict after another site) the page that
    // reloads itself, and once reloaded the sign-in.
    get(
        "/konto/platnosci-automatyczne/karta/<id>",
        "/konto/platnosci-automatyczne/karta/1",
        Rule::Each([
            Answer::Page,
            Answer::Elsewhere,
            Answer::Elsewhere,
            Answer::Forbidden,
            Answer::Elsewhere,
            Answer::Page,
            Answer::Page,
            Answer::Page,
        ]),
    ),
    get(
        "/konto/platnosci-automatyczne/karta/<id>?<powrot>",
        "/konto/platnosci-automatyczne/karta/1?powrot=1",
        Rule::Each([
            Answer::SubscriberLogin,
            Answer::Elsewhere,
            Answer::Elsewhere,
            Answer::Forbidden,
            Answer::Elsewhere,
            Answer::SubscriberLogin,
            Answer::SubscriberLogin,
            Answer::SubscriberLogin,
        ]),
    ),
    get("/umowy", "/umowy", Portal(Technical)),
    get("/uslugi", "/uslugi", Portal(Technical)),
    get("/domeny", "/domeny", Portal(Technical)),
    get("/wizyty", "/wizyty", Portal(Technical)),
    get("/wizyty/nowa?<query..>", "/wizyty/nowa", Portal(Technical)),
    get("/zgloszenia", "/zgloszenia", Portal(Technical)),
    get(
        "/zgloszenia/nowe?<kategoria>",
        "/zgloszenia/nowe",
        Portal(Technical),
    ),
    // Records of customer 1.
    get("/faktury/<id>", "/faktury/{invoice}", Owned(Invoices)),
    get(
        "/faktury/<id>/pdf",
        "/faktury/{invoice}/pdf",
        Owned(Invoices),
    ),
    get(
        "/faktury/<id>/zaplac",
        "/faktury/{invoice}/zaplac",
        Owned(Invoices),
    ),
    get(
        "/faktury/zip?<id>",
        "/faktury/zip?id={invoice}",
        Owned(Invoices),
    ),
    get(
        "/saldo/monity/<file>",
        "/saldo/monity/{letter}.pdf",
        Owned(Invoices),
    ),
    get(
        "/saldo/noty/<file>",
        "/saldo/noty/{note}.pdf",
        Owned(Invoices),
    ),
    get("/umowy/<id>", "/umowy/{contract}", Owned(Technical)),
    get("/uslugi/<id>", "/uslugi/{service}", Owned(Technical)),
    get("/wizyty/<visit_id>", "/wizyty/{visit}", Owned(Technical)),
    get("/zgloszenia/<id>", "/zgloszenia/{ticket}", Owned(Technical)),
    get(
        "/zgloszenia/<id>/zalaczniki/<attachment_id>",
        "/zgloszenia/{attachment_ticket}/zalaczniki/{attachment}",
        Owned(Technical),
    ),
    // The payment page after PayU: a browser without the session (SameSite=Strict after
    // another site) gets a page that reloads itself from ours, carrying no data.
    get(
        "/platnosci-online/<id>",
        "/platnosci-online/{online_payment}",
        Rule::Each([
            Answer::Page,
            Answer::Page,
            Answer::Page,
            Answer::Forbidden,
            Answer::NotFound,
            Answer::Page,
            Answer::Page,
            Answer::Page,
        ]),
    ),
    // …and once reloaded still without a session, the sign-in.
    get(
        "/platnosci-online/<id>?<powrot>",
        "/platnosci-online/{online_payment}?powrot=1",
        Rule::Each([
            Answer::SubscriberLogin,
            Answer::Page,
            Answer::Page,
            Answer::Forbidden,
            Answer::NotFound,
            Answer::SubscriberLogin,
            Answer::SubscriberLogin,
            Answer::SubscriberLogin,
        ]),
    ),
    // The staff panel: every role.
    get("/staff", "/staff", Staff(Any)),
    get(
        "/staff/klienci?<q>",
        "/staff/klienci?q=Kowalski",
        Staff(Any),
    ),
    get("/staff/klienci/nowy", "/staff/klienci/nowy", Staff(Any)),
    get(
        "/staff/klienci/<id>",
        "/staff/klienci/{customer}",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<id>/edycja",
        "/staff/klienci/{customer}/edycja",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<customer_id>/umowy/nowa",
        "/staff/klienci/{customer}/umowy/nowa",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<customer_id>/umowy/<id>",
        "/staff/klienci/{customer}/umowy/{contract}",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<customer_id>/uslugi/nowa",
        "/staff/klienci/{customer}/uslugi/nowa",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<customer_id>/uslugi/<id>",
        "/staff/klienci/{customer}/uslugi/{service}",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<customer_id>/punkty/nowy?<service>",
        "/staff/klienci/{customer}/punkty/nowy?service={service}",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<customer_id>/punkty/<id>",
        "/staff/klienci/{customer}/punkty/{endpoint}",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<customer_id>/faktury/<invoice_id>/pdf",
        "/staff/klienci/{customer}/faktury/{invoice}/pdf",
        Staff(Any),
    ),
    get("/staff/zmiany-danych", "/staff/zmiany-danych", Staff(Any)),
    get("/staff/tickets?<params..>", "/staff/tickets", Staff(Any)),
    get(
        "/staff/tickets/<id>?<canned>",
        "/staff/tickets/{ticket}",
        Staff(Any),
    ),
    get(
        "/staff/tickets/<id>/zalaczniki/<attachment_id>",
        "/staff/tickets/{attachment_ticket}/zalaczniki/{attachment}",
        Staff(Any),
    ),
    // Billing.
    get(
        "/staff/klienci/<customer_id>/faktury/nowa",
        "/staff/klienci/{customer}/faktury/nowa",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/klienci/<customer_id>/faktury/<invoice_id>/korekta",
        "/staff/klienci/{customer}/faktury/{invoice}/korekta",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/faktury/papierowe",
        "/staff/faktury/papierowe",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/rozliczenia",
        "/staff/rozliczenia",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/rozliczenia/<id>",
        "/staff/rozliczenia/{run}",
        Staff(BillingAndAdmin),
    ),
    get("/staff/ksef", "/staff/ksef", Staff(BillingAndAdmin)),
    get(
        "/staff/ksef/<id>/upo",
        "/staff/ksef/{upo}/upo",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/platnosci",
        "/staff/platnosci",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/platnosci/do-przypisania",
        "/staff/platnosci/do-przypisania",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/platnosci/import/<id>",
        "/staff/platnosci/import/{import}",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/platnosci/klient/<id>",
        "/staff/platnosci/klient/{customer}",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/platnosci/klient?<numer>",
        "/staff/platnosci/klient?numer=1",
        StaffSentOn(BillingAndAdmin),
    ),
    get(
        "/staff/platnosci-online",
        "/staff/platnosci-online",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/platnosci-automatyczne",
        "/staff/platnosci-automatyczne",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/umowy/<id>/rozwiazanie",
        "/staff/umowy/{contract}/rozwiazanie",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/doladowania",
        "/staff/doladowania",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/windykacja",
        "/staff/windykacja",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/windykacja/noty",
        "/staff/windykacja/noty",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/windykacja/noty/<customer_id>/<id>",
        "/staff/windykacja/noty/{customer}/{note}",
        Staff(BillingAndAdmin),
    ),
    // Support.
    get(
        "/staff/komunikaty",
        "/staff/komunikaty",
        Staff(SupportAndAdmin),
    ),
    get(
        "/staff/komunikaty/nowy",
        "/staff/komunikaty/nowy",
        Staff(SupportAndAdmin),
    ),
    get(
        "/staff/komunikaty/<id>",
        "/staff/komunikaty/{news}",
        Staff(SupportAndAdmin),
    ),
    get(
        "/staff/komunikaty/baner/nowy",
        "/staff/komunikaty/baner/nowy",
        Staff(SupportAndAdmin),
    ),
    get(
        "/staff/komunikaty/baner/<id>",
        "/staff/komunikaty/baner/{banner}",
        Staff(SupportAndAdmin),
    ),
    get(
        "/staff/lista-mailingowa",
        "/staff/lista-mailingowa",
        Staff(SupportAndAdmin),
    ),
    get(
        "/staff/odpowiedzi",
        "/staff/odpowiedzi",
        Staff(SupportAndAdmin),
    ),
    get("/staff/wizyty", "/staff/wizyty", Staff(SupportAndAdmin)),
    get(
        "/staff/wizyty/technik/<id>?<query..>",
        "/staff/wizyty/technik/{technician}",
        Staff(SupportAndAdmin),
    ),
    // Admin.
    get(
        "/staff/dziennik?<params..>",
        "/staff/dziennik",
        Staff(AdminOnly),
    ),
    get(
        "/staff/dziennik.csv?<params..>",
        "/staff/dziennik.csv",
        Staff(AdminOnly),
    ),
    get(
        "/staff/ksef/ustawienia",
        "/staff/ksef/ustawienia",
        Staff(AdminOnly),
    ),
    get("/staff/serie", "/staff/serie", Staff(AdminOnly)),
    get("/staff/sprzedawca", "/staff/sprzedawca", Staff(AdminOnly)),
    // Forms anyone may send.
    post("/aktywacja/ponownie", "/aktywacja/ponownie", Everyone),
    post("/haslo/reset", "/haslo/reset", Everyone),
    post("/jezyk", "/jezyk", Everyone),
    post("/logowanie", "/logowanie", Everyone),
    post("/rejestracja", "/rejestracja", Everyone),
    post("/staff/login", "/staff/login", Everyone),
    post("/zaproszenie/<token>", "/zaproszenie/not-a-token", Everyone),
    // Without PayU configured (as here) there is no notification address.
    post("/payu/powiadomienia", "/payu/powiadomienia", Nobody),
    post("/aktywacja/<token>", "/aktywacja/not-a-token", SpentLink),
    post("/haslo/nowe/<token>", "/haslo/nowe/not-a-token", SpentLink),
    post(
        "/bezpieczenstwo/email/<token>",
        "/bezpieczenstwo/email/not-a-token",
        SpentLink,
    ),
    post(
        "/lista/wypisz/<token>",
        "/lista/wypisz/not-a-token",
        SpentLink,
    ),
    // Signing out (never sent: it would end the roles' sessions).
    post("/wyloguj", "/wyloguj", Portal(All)),
    post(
        "/bezpieczenstwo/wyloguj-inne",
        "/bezpieczenstwo/wyloguj-inne",
        Portal(All),
    ),
    post("/staff/wyloguj", "/staff/wyloguj", Staff(Any)),
    // A subscriber's own login and settings.
    post(
        "/bezpieczenstwo/2fa/wlacz",
        "/bezpieczenstwo/2fa/wlacz",
        Portal(All),
    ),
    post(
        "/bezpieczenstwo/2fa/wylacz",
        "/bezpieczenstwo/2fa/wylacz",
        Portal(All),
    ),
    post(
        "/bezpieczenstwo/email",
        "/bezpieczenstwo/email",
        Portal(All),
    ),
    post(
        "/bezpieczenstwo/haslo",
        "/bezpieczenstwo/haslo",
        Portal(All),
    ),
    post("/dane/ustawienia", "/dane/ustawienia", Portal(All)),
    post(
        "/wiadomosci/<id>/potwierdz",
        "/wiadomosci/{news}/potwierdz",
        Portal(All),
    ),
    // The customer's data and contacts: the owner's.
    post("/dane/kontakt", "/dane/kontakt", Portal(OwnerOnly)),
    post("/dane/wniosek", "/dane/wniosek", Portal(OwnerOnly)),
    post(
        "/dane/wniosek/<id>/wycofaj",
        "/dane/wniosek/1/wycofaj",
        Portal(OwnerOnly),
    ),
    post("/kontakty", "/kontakty", Portal(OwnerOnly)),
    post(
        "/kontakty/<id>/odwolaj",
        "/kontakty/1/odwolaj",
        Portal(OwnerOnly),
    ),
    post(
        "/kontakty/zaproszenia/<id>/odwolaj",
        "/kontakty/zaproszenia/1/odwolaj",
        Portal(OwnerOnly),
    ),
    // Paying. Whose invoice or note it is is checked after PayU is reached (not configured
    // here); `tests/online_payments.rs` pays another customer's invoice and
    // `tests/interest_note_payments.rs` another customer's note, and get 404.
    post(
        "/doladowania/<package>/kup",
        "/doladowania/1/kup",
        Portal(Invoices),
    ),
    post(
        "/faktury/<id>/zaplac-online",
        "/faktury/{invoice}/zaplac-online",
        Portal(Invoices),
    ),
    post(
        "/saldo/zaplac-online",
        "/saldo/zaplac-online",
        Portal(Invoices),
    ),
    post(
        "/saldo/noty/<id>/zaplac-online",
        "/saldo/noty/{note}/zaplac-online",
        Portal(Invoices),
    ),
    // Automatic card payments: every record is looked up with the signed-in customer's id
    // (`tests/recurring.rs` tries another customer's card through the form).
    post(
        "/konto/platnosci-automatyczne/nowa-karta",
        "/konto/platnosci-automatyczne/nowa-karta",
        Portal(Invoices),
    ),
    post(
        "/konto/platnosci-automatyczne/karta/<id>/usun",
        "/konto/platnosci-automatyczne/karta/1/usun",
        Portal(Invoices),
    ),
    post(
        "/konto/platnosci-automatyczne/wlacz",
        "/konto/platnosci-automatyczne/wlacz",
        Portal(Invoices),
    ),
    post(
        "/konto/platnosci-automatyczne/<mandate>/karta",
        "/konto/platnosci-automatyczne/1/karta",
        Portal(Invoices),
    ),
    post(
        "/konto/platnosci-automatyczne/<mandate>/anuluj",
        "/konto/platnosci-automatyczne/1/anuluj",
        Portal(Invoices),
    ),
    // Services, visits and tickets of customer 1.
    post(
        "/domeny/<id>/odnawianie",
        "/domeny/{domain}/odnawianie",
        Owned(Technical),
    ),
    post(
        "/uslugi/<id>/haslo-pppoe",
        "/uslugi/{service}/haslo-pppoe",
        Owned(Technical),
    ),
    post(
        "/uslugi/<id>/odnawianie",
        "/uslugi/{service}/odnawianie",
        Owned(Technical),
    ),
    post(
        "/wizyty/<visit_id>/odwolaj",
        "/wizyty/{visit}/odwolaj",
        Owned(Technical),
    ),
    post(
        "/wizyty/<visit_id>/zmien",
        "/wizyty/{visit}/zmien",
        Owned(Technical),
    ),
    post("/wizyty/nowa", "/wizyty/nowa", Portal(Technical)),
    post("/zgloszenia/nowe", "/zgloszenia/nowe", Portal(Technical)),
    post(
        "/zgloszenia/<id>/odpowiedz",
        "/zgloszenia/{ticket}/odpowiedz",
        Owned(Technical),
    ),
    post(
        "/zgloszenia/<id>/otworz",
        "/zgloszenia/{ticket}/otworz",
        Owned(Technical),
    ),
    post(
        "/zgloszenia/<id>/zamknij",
        "/zgloszenia/{ticket}/zamknij",
        Owned(Technical),
    ),
    // Staff forms: every role.
    post("/staff/klienci", "/staff/klienci", Staff(Any)),
    post(
        "/staff/klienci/<id>",
        "/staff/klienci/{customer}",
        Staff(Any),
    ),
    post(
        "/staff/klienci/<customer_id>/umowy",
        "/staff/klienci/{customer}/umowy",
        Staff(Any),
    ),
    post(
        "/staff/klienci/<customer_id>/umowy/<id>",
        "/staff/klienci/{customer}/umowy/{contract}",
        Staff(Any),
    ),
    post(
        "/staff/klienci/<customer_id>/uslugi",
        "/staff/klienci/{customer}/uslugi",
        Staff(Any),
    ),
    post(
        "/staff/klienci/<customer_id>/uslugi/<id>",
        "/staff/klienci/{customer}/uslugi/{service}",
        Staff(Any),
    ),
    post(
        "/staff/klienci/<customer_id>/punkty",
        "/staff/klienci/{customer}/punkty",
        Staff(Any),
    ),
    post(
        "/staff/klienci/<customer_id>/punkty/<id>",
        "/staff/klienci/{customer}/punkty/{endpoint}",
        Staff(Any),
    ),
    post(
        "/staff/zmiany-danych/<id>/akceptuj",
        "/staff/zmiany-danych/1/akceptuj",
        Staff(Any),
    ),
    post(
        "/staff/zmiany-danych/<id>/odrzuc",
        "/staff/zmiany-danych/1/odrzuc",
        Staff(Any),
    ),
    // Billing.
    post(
        "/staff/klienci/<customer_id>/faktury",
        "/staff/klienci/{customer}/faktury",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/klienci/<customer_id>/faktury/<invoice_id>/korekta",
        "/staff/klienci/{customer}/faktury/{invoice}/korekta",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/faktury/<id>/wyslano",
        "/staff/faktury/{invoice}/wyslano",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/ksef/<id>/ponow",
        "/staff/ksef/{invoice}/ponow",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/rozliczenia",
        "/staff/rozliczenia",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/doladowania",
        "/staff/doladowania",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/doladowania/<id>/sprzedaz",
        "/staff/doladowania/1/sprzedaz",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/umowy/<id>/rozwiazanie",
        "/staff/umowy/{contract}/rozwiazanie",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci-automatyczne/<id>/anuluj",
        "/staff/platnosci-automatyczne/1/anuluj",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci-online/<id>/wyjasnione",
        "/staff/platnosci-online/{online_payment}/wyjasnione",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/wplata",
        "/staff/platnosci/wplata",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/wplaty/<id>/cofnij",
        "/staff/platnosci/wplaty/{payment}/cofnij",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/klient/<id>/oplaty",
        "/staff/platnosci/klient/{customer}/oplaty",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/klient/<id>/oplaty/<charge>/usun",
        "/staff/platnosci/klient/{customer}/oplaty/1/usun",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/import",
        "/staff/platnosci/import",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/import/<id>/odrzuc",
        "/staff/platnosci/import/{import}/odrzuc",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/import/<id>/zatwierdz",
        "/staff/platnosci/import/{import}/zatwierdz",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/do-przypisania/<id>",
        "/staff/platnosci/do-przypisania/1",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/platnosci/do-przypisania/<id>/zaksieguj",
        "/staff/platnosci/do-przypisania/1/zaksieguj",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/windykacja/plan",
        "/staff/windykacja/plan",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/windykacja/noty",
        "/staff/windykacja/noty",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/windykacja/wstrzymania",
        "/staff/windykacja/wstrzymania",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/windykacja/wstrzymania/<customer_id>/wznow",
        "/staff/windykacja/wstrzymania/{customer}/wznow",
        Staff(BillingAndAdmin),
    ),
    // Support: news, the mailing list, tickets, visits.
    post(
        "/staff/komunikaty",
        "/staff/komunikaty",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/komunikaty/<id>",
        "/staff/komunikaty/{news}",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/komunikaty/<id>/wycofaj",
        "/staff/komunikaty/{news}/wycofaj",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/komunikaty/baner",
        "/staff/komunikaty/baner",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/komunikaty/baner/<id>",
        "/staff/komunikaty/baner/{banner}",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/komunikaty/baner/<id>/wycofaj",
        "/staff/komunikaty/baner/{banner}/wycofaj",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/lista-mailingowa",
        "/staff/lista-mailingowa",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/odpowiedzi",
        "/staff/odpowiedzi",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/odpowiedzi/<id>",
        "/staff/odpowiedzi/1",
        Staff(SupportAndAdmin),
    ),
    // Billing staff read tickets (billing questions) but answering is support's.
    post(
        "/staff/tickets/<id>/odpowiedz",
        "/staff/tickets/{ticket}/odpowiedz",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/tickets/<id>/notatka",
        "/staff/tickets/{ticket}/notatka",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/tickets/<id>/przypisz",
        "/staff/tickets/{ticket}/przypisz",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/tickets/<id>/status",
        "/staff/tickets/{ticket}/status",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/rodzaje",
        "/staff/wizyty/rodzaje",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/rodzaje/<id>",
        "/staff/wizyty/rodzaje/1",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/technicy",
        "/staff/wizyty/technicy",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/technicy/<id>",
        "/staff/wizyty/technicy/{technician}",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/technicy/<id>/wolne",
        "/staff/wizyty/technicy/{technician}/wolne",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/technicy/<id>/wolne/<day>/usun",
        "/staff/wizyty/technicy/{technician}/wolne/2026-12-24/usun",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/wizyta/<visit_id>/przenies",
        "/staff/wizyty/wizyta/{visit}/przenies",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/wizyta/<visit_id>/wykonana",
        "/staff/wizyty/wizyta/{visit}/wykonana",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/wizyta/<visit_id>/nieobecnosc",
        "/staff/wizyty/wizyta/{visit}/nieobecnosc",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/wizyta/<visit_id>/odwolaj",
        "/staff/wizyty/wizyta/{visit}/odwolaj",
        Staff(SupportAndAdmin),
    ),
    post(
        "/staff/wizyty/wizyta/<visit_id>/umorz",
        "/staff/wizyty/wizyta/{visit}/umorz",
        Staff(SupportAndAdmin),
    ),
    // Admin.
    post(
        "/staff/ksef/ustawienia",
        "/staff/ksef/ustawienia",
        Staff(AdminOnly),
    ),
    post("/staff/serie", "/staff/serie", Staff(AdminOnly)),
    post("/staff/serie/<id>", "/staff/serie/1", Staff(AdminOnly)),
    post("/staff/sprzedawca", "/staff/sprzedawca", Staff(AdminOnly)),
    post(
        "/staff/windykacja/stawki",
        "/staff/windykacja/stawki",
        Staff(AdminOnly),
    ),
    post(
        "/staff/windykacja/noty/kursy",
        "/staff/windykacja/noty/kursy",
        Staff(AdminOnly),
    ),
    // The JSON API.
    get("/api/v1/openapi.json", "/api/v1/openapi.json", Everyone),
    get("/api/v1/docs", "/api/v1/docs", Everyone),
    get(
        "/api/v1/customers?<params..>",
        "/api/v1/customers",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/customers/<id>",
        "/api/v1/customers/{customer}",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/contracts?<params..>",
        "/api/v1/contracts",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/contracts/<id>",
        "/api/v1/contracts/{contract}",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/services?<params..>",
        "/api/v1/services",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/services/<id>",
        "/api/v1/services/{service}",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/endpoints?<params..>",
        "/api/v1/endpoints",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/endpoints/<id>",
        "/api/v1/endpoints/{endpoint}",
        Rule::ApiToken,
    ),
    get("/api/v1/network", "/api/v1/network", Rule::ApiToken),
    get("/api/v1/tariffs", "/api/v1/tariffs", Rule::ApiToken),
    post("/api/v1/customers", "/api/v1/customers", Rule::ApiToken),
    post("/api/v1/contracts", "/api/v1/contracts", Rule::ApiToken),
    post(
        "/api/v1/contracts/<id>/suspend",
        "/api/v1/contracts/{contract}/suspend",
        Rule::ApiToken,
    ),
    post("/api/v1/services", "/api/v1/services", Rule::ApiToken),
    post(
        "/api/v1/services/<id>/suspend",
        "/api/v1/services/{service}/suspend",
        Rule::ApiToken,
    ),
    post("/api/v1/endpoints", "/api/v1/endpoints", Rule::ApiToken),
    post(
        "/api/v1/endpoints/<id>/suspend",
        "/api/v1/endpoints/{endpoint}/suspend",
        Rule::ApiToken,
    ),
    post("/api/v1/traffic", "/api/v1/traffic", Rule::ApiToken),
    post(
        "/api/v1/radius/sessions",
        "/api/v1/radius/sessions",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/invoices?<params..>",
        "/api/v1/invoices",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/invoices/<id>",
        "/api/v1/invoices/{invoice}",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/invoices/<id>/pdf",
        "/api/v1/invoices/{invoice}/pdf",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/invoices/<id>/ksef.xml",
        "/api/v1/invoices/{invoice}/ksef.xml",
        Rule::ApiToken,
    ),
    post("/api/v1/payments", "/api/v1/payments", Rule::ApiToken),
    post(
        "/api/v1/payments/statements?<file..>",
        "/api/v1/payments/statements",
        Rule::ApiToken,
    ),
    get(
        "/api/v1/tickets?<params..>",
        "/api/v1/tickets",
        Rule::ApiToken,
    ),
    post(
        "/api/v1/tickets/<id>/replies",
        "/api/v1/tickets/{ticket}/replies",
        Rule::ApiToken,
    ),
    get("/staff/tokeny-api", "/staff/tokeny-api", Staff(AdminOnly)),
    post("/staff/tokeny-api", "/staff/tokeny-api", Staff(AdminOnly)),
    post(
        "/staff/tokeny-api/<id>/uniewaznij",
        "/staff/tokeny-api/1/uniewaznij",
        Staff(AdminOnly),
    ),
    // Traffic statistics: the technical part of the portal; staff see any customer's.
    get("/statystyki?<query..>", "/statystyki", Portal(Technical)),
    get(
        "/statystyki/csv?<query..>",
        "/statystyki/csv",
        Portal(Technical),
    ),
    get(
        "/staff/klienci/<id>/statystyki?<query..>",
        "/staff/klienci/{customer}/statystyki",
        Staff(Any),
    ),
    get(
        "/staff/klienci/<id>/statystyki/csv?<query..>",
        "/staff/klienci/{customer}/statystyki/csv",
        Staff(Any),
    ),
    get(
        "/staff/statystyki?<okres>&<dzien>",
        "/staff/statystyki",
        Staff(Any),
    ),
    // The shop: the billing part of the portal.
    get("/sklep", "/sklep", Portal(Invoices)),
    get("/koszyk", "/koszyk", Portal(Invoices)),
    get("/zamowienia", "/zamowienia", Portal(Invoices)),
    get("/zamowienia/<id>", "/zamowienia/{order}", Owned(Invoices)),
    post(
        "/sklep/<item>/do-koszyka",
        "/sklep/1/do-koszyka",
        Portal(Invoices),
    ),
    post("/koszyk/<line>/ilosc", "/koszyk/1/ilosc", Portal(Invoices)),
    post("/koszyk/<line>/usun", "/koszyk/1/usun", Portal(Invoices)),
    post("/koszyk/zamow", "/koszyk/zamow", Portal(Invoices)),
    // Another customer's order, service or domain is refused with a message on the page it
    // came from (the shop's tests); PayU is not configured here.
    post(
        "/zamowienia/<id>/zaplac",
        "/zamowienia/{order}/zaplac",
        Portal(Invoices),
    ),
    post(
        "/odnow/usluga/<id>",
        "/odnow/usluga/{service}",
        Portal(Invoices),
    ),
    post(
        "/odnow/domena/<id>",
        "/odnow/domena/{domain}",
        Portal(Invoices),
    ),
    get("/staff/katalog", "/staff/katalog", Staff(BillingAndAdmin)),
    post("/staff/katalog", "/staff/katalog", Staff(BillingAndAdmin)),
    post(
        "/staff/katalog/<id>/sprzedaz",
        "/staff/katalog/1/sprzedaz",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/katalog/oplata",
        "/staff/katalog/oplata",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/zamowienia",
        "/staff/zamowienia",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/zamowienia/<id>/dalej",
        "/staff/zamowienia/{order}/dalej",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/zamowienia/<id>/zwrot",
        "/staff/zamowienia/{order}/zwrot",
        Staff(BillingAndAdmin),
    ),
    // Discounts by eligibility.
    get(
        "/umowy/<id>/ulga",
        "/umowy/{contract}/ulga",
        Owned(Technical),
    ),
    post(
        "/umowy/<id>/ulga",
        "/umowy/{contract}/ulga",
        Owned(Technical),
    ),
    // The demo's only application is customer 2's: not found for every subscriber of customer
    // 1 that may see contracts.
    get(
        "/ulgi/<id>/dowod",
        "/ulgi/{application}/dowod",
        Rule::Each([
            Answer::SubscriberLogin,
            Answer::NotFound,
            Answer::Forbidden,
            Answer::NotFound,
            Answer::NotFound,
            Answer::SubscriberLogin,
            Answer::SubscriberLogin,
            Answer::SubscriberLogin,
        ]),
    ),
    get("/staff/ulgi", "/staff/ulgi", Staff(BillingAndAdmin)),
    get(
        "/staff/ulgi/wnioski/<id>",
        "/staff/ulgi/wnioski/{application}",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/ulgi/wnioski/<id>/dowod",
        "/staff/ulgi/wnioski/{application}/dowod",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/ulgi/rodzaje",
        "/staff/ulgi/rodzaje",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/ulgi/rodzaje/<id>/oferta",
        "/staff/ulgi/rodzaje/1/oferta",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/ulgi/wnioski/<id>/odrzuc",
        "/staff/ulgi/wnioski/{application}/odrzuc",
        Staff(BillingAndAdmin),
    ),
    post(
        "/staff/ulgi/wnioski/<id>/przyznaj",
        "/staff/ulgi/wnioski/{application}/przyznaj",
        Staff(BillingAndAdmin),
    ),
    get("/staff/rabaty", "/staff/rabaty", Staff(BillingAndAdmin)),
    post("/staff/rabaty", "/staff/rabaty", Staff(BillingAndAdmin)),
    post(
        "/staff/rabaty/<id>/koniec",
        "/staff/rabaty/1/koniec",
        Staff(BillingAndAdmin),
    ),
    // Refunds chosen on corrections, and dunning letters to print.
    get("/staff/zwroty", "/staff/zwroty", Staff(BillingAndAdmin)),
    post(
        "/staff/zwroty/<id>/wyslany",
        "/staff/zwroty/1/wyslany",
        Staff(BillingAndAdmin),
    ),
    get(
        "/staff/windykacja/listy",
        "/staff/windykacja/listy",
        Staff(BillingAndAdmin),
    ),
    // No letter of the demo waits for print (`tests/dunning_letters.rs` prints one): the
    // roles that may see the queue are told so.
    get(
        "/staff/windykacja/listy/<id>/pdf",
        "/staff/windykacja/listy/1/pdf",
        Rule::Each([
            Answer::StaffLogin,
            Answer::StaffLogin,
            Answer::StaffLogin,
            Answer::StaffLogin,
            Answer::StaffLogin,
            Answer::Forbidden,
            Answer::NotFound,
            Answer::NotFound,
        ]),
    ),
    post(
        "/staff/windykacja/listy/<id>/wyslany",
        "/staff/windykacja/listy/1/wyslany",
        Staff(BillingAndAdmin),
    ),
];

fn route_key(method: Method, route: &str) -> String {
    format!("{method} {route}")
}

fn every_route_answers_each_role_as_the_matrix_says(app: TestApp) {
    let app = app.with_demo(3);
    let browsers = browsers(&app);
    let letter = make_samples(&app, &browsers.by_role[1].1);
    let mut samples = resolve_samples(&app);
    samples.insert("letter", letter);
    let print = std::env::var("EBOK_ACCESS_MATRIX_PRINT").is_ok_and(|v| v == "1");
    if print {
        eprintln!("SAMPLES {samples:?}");
    }
    let rows: BTreeMap<String, &Row> = MATRIX
        .iter()
        .map(|row| (route_key(row.method, row.route), row))
        .collect();
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    let mut asked = 0;
    // Every GET before any POST: a POST may change what a later GET finds. Signing out is
    // never asked (it would end the roles' sessions); its row says who may.
    let mut routes: Vec<(Method, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|r| matches!(r.method, Method::Get | Method::Post))
        .map(|r| (r.method, r.uri.to_string()))
        .collect();
    routes.sort_by_key(|(method, route)| (*method != Method::Get, route.clone()));
    for (method, route) in &routes {
        let key = route_key(*method, route);
        let Some(row) = rows.get(&key) else {
            missing.push(key.clone());
            if print
                && (*method == Method::Get || std::env::var("EBOK_ACCESS_MATRIX_POSTS").is_ok())
                && !signs_out(route)
            {
                let path = route.split('?').next().unwrap_or(route);
                let path: String = path
                    .split('/')
                    .map(|s| if s.starts_with('<') { "1" } else { s })
                    .collect::<Vec<_>>()
                    .join("/");
                let seen: Vec<String> = browsers
                    .by_role
                    .iter()
                    .map(|(role, client)| {
                        let (status, location) = ask(client, *method, &path);
                        format!("{role:?}={}", describe(status, location.as_deref()))
                    })
                    .collect();
                eprintln!("MISSING {key} ({path}): {}", seen.join(" "));
            }
            continue;
        };
        if signs_out(route) {
            continue;
        }
        let path = fill(row.path, &samples);
        let mut seen = Vec::new();
        for (role, client) in &browsers.by_role {
            let (status, location) = ask(client, row.method, &path);
            asked += 1;
            seen.push(format!(
                "{role:?}={}",
                describe(status, location.as_deref())
            ));
            let want = expected(row.method, row.rule, *role);
            if !answers(want, status, location.as_deref()) {
                wrong.push(format!(
                    "{key} as {role:?} ({path}): expected {want:?}, got {}",
                    describe(status, location.as_deref())
                ));
            }
        }
        if print {
            eprintln!("ROW {key} ({path}): {}", seen.join(" "));
        }
    }
    eprintln!(
        "access matrix: {} routes × {} roles, {asked} requests",
        routes.len(),
        ROLES.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        missing.is_empty(),
        "routes without a row in the access matrix (add one saying who may see them):\n{}",
        missing.join("\n")
    );
}

fn signs_out(route: &str) -> bool {
    route.contains("wyloguj") || route.contains("logout")
}

fn describe(status: Status, location: Option<&str>) -> String {
    match location {
        Some(to) => format!("{}→{}", status.code, to.split('?').next().unwrap_or(to)),
        None => status.code.to_string(),
    }
}

backend_tests!(every_route_answers_each_role_as_the_matrix_says);
