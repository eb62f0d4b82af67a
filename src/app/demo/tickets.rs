//! Demo tickets for Jan Kowalski (customer 1) in every state the pages know, with staff replies,
//! an internal note and an assignee, plus the canned responses support starts with.

use crate::domain::CustomerId;
use crate::domain::tickets::{TicketCategory, TicketStatus};
use chrono::{Duration, NaiveDateTime};

use crate::db::canned_responses::NewCannedResponse;
use crate::db::tickets::{NewTicket, NewTicketMessage};
use crate::db::{self, DbConn};

/// Who writes a demo message.
enum By {
    Customer,
    Staff,
    Note,
}

struct DemoTicket<'a> {
    subject: &'a str,
    category: TicketCategory,
    status: TicketStatus,
    service: bool,
    assigned: bool,
    /// (hours before now, author, text), oldest first.
    messages: &'a [(i64, By, &'a str)],
    closed_hours_ago: Option<i64>,
}

const TICKETS: &[DemoTicket<'static>] = &[
    DemoTicket {
        subject: "Brak internetu po burzy",
        category: TicketCategory::Fault,
        status: TicketStatus::Closed,
        service: true,
        assigned: true,
        messages: &[
            (
                30 * 24,
                By::Customer,
                "Od wczoraj wieczorem router nie łączy się z internetem, dioda PON miga na czerwono.",
            ),
            (
                30 * 24 - 3,
                By::Staff,
                "Dzień dobry,\nburza uszkodziła zasilacz terminala ONT. Technik wymieni go jutro między 8:00 a 12:00.\n\nPozdrawiamy,\nBiuro Obsługi",
            ),
            (
                29 * 24,
                By::Customer,
                "Zasilacz wymieniony, wszystko działa. Dziękuję!",
            ),
        ],
        closed_hours_ago: Some(29 * 24 - 1),
    },
    DemoTicket {
        subject: "Pytanie o fakturę za poprzedni miesiąc",
        category: TicketCategory::Billing,
        status: TicketStatus::Answered,
        service: false,
        assigned: true,
        messages: &[
            (
                20,
                By::Customer,
                "Dzień dobry, na fakturze widzę opłatę za telewizję, ale pakiet włączyłem dopiero w połowie miesiąca. Czy kwota jest prawidłowa?",
            ),
            (
                18,
                By::Note,
                "Pakiet TV aktywny od 15. dnia miesiąca — naliczono pełny miesiąc. Korekta do wystawienia przez księgowość.",
            ),
            (
                2,
                By::Staff,
                "Dzień dobry,\nma Pan rację: pakiet TV powinien być naliczony od 15. dnia miesiąca. Wystawimy fakturę korygującą w ciągu 3 dni roboczych.\n\nPozdrawiamy,\nBiuro Obsługi",
            ),
        ],
        closed_hours_ago: None,
    },
    DemoTicket {
        subject: "Wolny internet wieczorami",
        category: TicketCategory::Fault,
        status: TicketStatus::WaitingCustomer,
        service: true,
        assigned: true,
        messages: &[
            (
                72,
                By::Customer,
                "Od kilku dni między 19 a 23 prędkość spada do kilkunastu Mb/s, w dzień jest w porządku.",
            ),
            (
                70,
                By::Note,
                "Sprawdzić obciążenie portu OLT Kalisz-2 w godzinach szczytu.",
            ),
            (
                68,
                By::Staff,
                "Dzień dobry,\nprosimy o wykonanie pomiaru na speedtest.net przez kabel (nie Wi-Fi) wieczorem i przesłanie zrzutu ekranu w odpowiedzi.\n\nPozdrawiamy,\nBiuro Obsługi",
            ),
        ],
        closed_hours_ago: None,
    },
    DemoTicket {
        subject: "Zmiana pakietu TV na większy",
        category: TicketCategory::Contract,
        status: TicketStatus::Closed,
        service: false,
        assigned: false,
        messages: &[
            (
                6 * 24,
                By::Customer,
                "Chciałbym od przyszłego miesiąca zmienić pakiet TV Start na TV Max. Co muszę zrobić?",
            ),
            (
                5 * 24,
                By::Staff,
                "Dzień dobry,\nzmiana zostanie wprowadzona od 1. dnia przyszłego miesiąca; aneks prześlemy e-mailem do akceptacji.\n\nPozdrawiamy,\nBiuro Obsługi",
            ),
        ],
        closed_hours_ago: Some(2 * 24),
    },
    DemoTicket {
        subject: "Zmiana adresu korespondencyjnego",
        category: TicketCategory::Other,
        status: TicketStatus::New,
        service: false,
        assigned: false,
        messages: &[(
            1,
            By::Customer,
            "Proszę o wysyłanie korespondencji na adres: ul. Polna 12, 62-800 Kalisz.",
        )],
        closed_hours_ago: None,
    },
];

pub(super) fn seed_demo_tickets(
    conn: &mut DbConn,
    customer_id: CustomerId,
    internet_service_id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let account_id = db::accounts::find_owner(conn, customer_id)?.map(|a| a.id);
    let support = db::staff::find_by_login_key(conn, "serwis")?.map(|s| s.id);
    for demo in TICKETS {
        let (first_hours, _, _) = demo.messages[0];
        let (last_hours, _, _) = demo.messages[demo.messages.len() - 1];
        let opened_at = now - Duration::hours(first_hours);
        let closed_at = demo.closed_hours_ago.map(|h| now - Duration::hours(h));
        let ticket_id = db::tickets::insert(
            conn,
            &NewTicket {
                customer_id,
                opened_by_account_id: account_id,
                service_id: demo.service.then_some(internet_service_id),
                subject: demo.subject.into(),
                category: demo.category,
                status: demo.status,
                priority: "normal".into(),
                assigned_staff_id: if demo.assigned { support } else { None },
                created_at: opened_at,
                updated_at: closed_at.unwrap_or(now - Duration::hours(last_hours)),
                closed_at,
            },
        )?;
        for (hours, by, body) in demo.messages {
            let (author_account_id, author_staff_id, internal) = match by {
                By::Customer => (account_id, None, false),
                By::Staff => (None, support, false),
                By::Note => (None, support, true),
            };
            db::tickets::insert_message(
                conn,
                &NewTicketMessage {
                    ticket_id,
                    author_account_id,
                    author_staff_id,
                    body: (*body).into(),
                    internal,
                    created_at: now - Duration::hours(*hours),
                },
            )?;
        }
    }
    Ok(())
}

const CANNED: &[(&str, &str)] = &[
    (
        "Przyjęcie zgłoszenia",
        "Dzień dobry,\ndziękujemy za zgłoszenie. Zajmujemy się nim i odpowiemy najpóźniej w ciągu jednego dnia roboczego.\n\nPozdrawiamy,\nBiuro Obsługi",
    ),
    (
        "Prośba o restart routera",
        "Dzień dobry,\nprosimy o odłączenie zasilania routera i terminala ONT na 30 sekund, a następnie ponowne włączenie. Jeśli problem nie ustąpi, prosimy o informację w odpowiedzi na to zgłoszenie.\n\nPozdrawiamy,\nBiuro Obsługi",
    ),
    (
        "Prośba o pomiar prędkości",
        "Dzień dobry,\nprosimy o wykonanie pomiaru na speedtest.net przez kabel (nie Wi-Fi) i przesłanie zrzutu ekranu w odpowiedzi.\n\nPozdrawiamy,\nBiuro Obsługi",
    ),
    (
        "Wizyta technika",
        "Dzień dobry,\numówiliśmy wizytę technika. Skontaktuje się on telefonicznie dzień wcześniej, aby potwierdzić godzinę.\n\nPozdrawiamy,\nBiuro Obsługi",
    ),
];

pub(super) fn seed_canned_responses(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    for (title, body) in CANNED {
        db::canned_responses::insert(
            conn,
            &NewCannedResponse {
                title: (*title).into(),
                body: (*body).into(),
                active: true,
                created_by_staff_id: None,
                created_at: now,
                updated_at: now,
            },
        )?;
    }
    Ok(())
}
