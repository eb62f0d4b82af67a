//! Mail templates: `templates/mail/<lang>/<kind>.txt` and `.html`, rendered when the message is
//! queued, so the outbox holds exactly what will be sent.
//!
//! They are Tera templates without the `.tera` ending on purpose: Rocket loads every `*.tera`
//! under `templates/` as a page and would take the text and HTML parts of a mail for one
//! template of the same name.

use std::path::Path;

use tera::{Context, Tera};

/// The language of a message: the account's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Polish,
    English,
}

impl Language {
    /// Polish unless the stored code says English.
    pub fn from_code(code: &str) -> Language {
        if code.eq_ignore_ascii_case("en") {
            Language::English
        } else {
            Language::Polish
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::Polish => "pl",
            Language::English => "en",
        }
    }
}

/// Every kind of message the portal sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Activation,
    PasswordReset,
    PasswordChanged,
    EmailChangeConfirm,
    EmailChangeRequested,
    TwoFactorChanged,
    /// To the subscriber: staff answered their ticket.
    TicketReply,
    /// To the assigned staff member: the subscriber wrote in a ticket.
    TicketCustomerReply,
    Invitation,
    /// To the subscriber: an online payment was not made within two hours and was cancelled.
    OnlinePaymentExpired,
    /// A dunning step: reminder, formal demand, warning, limitation, pre-court demand
    /// (`step` in the context names it).
    Dunning,
    /// To the subscriber: a technician visit was booked, moved, cancelled, ended with a fee or
    /// is due tomorrow (`event` in the context says which); with its calendar entry attached.
    Visit,
    /// Renewal and expiry notices (services, domains, contracts ending soon); `notices` in the
    /// context lists them.
    RenewalNotice,
    /// An outage or maintenance notice for the customer's area (`news_kind`, `title`).
    OutageNotice,
    /// Mailing-list mail written by staff (`subject`, `body`, `unsubscribe_link`).
    Marketing,
    /// To the subscriber: a discount application was approved or refused, or an approved
    /// discount ends soon (`event`: approved, refused, ending; `discount`, `contract_number`).
    Discount,
    /// To the subscriber: an order from the catalogue was placed, paid (with its invoice
    /// attached) or cancelled unpaid (`event`: placed, paid, cancelled; `order_number`).
    Order,
    /// To the subscriber about automatic card payments (`event`: charged, failed, ended,
    /// cancelled, terminated; `contract_number`, `amount`, `period_start`, `period_end`,
    /// `retry_on`, `pay_link`, `ends_on`, `reason`).
    Recurring,
}

impl MailKind {
    /// Stored in `outbox.kind` and used as the template name.
    pub fn name(self) -> &'static str {
        match self {
            MailKind::Activation => "activation",
            MailKind::PasswordReset => "password_reset",
            MailKind::PasswordChanged => "password_changed",
            MailKind::EmailChangeConfirm => "email_change_confirm",
            MailKind::EmailChangeRequested => "email_change_requested",
            MailKind::TwoFactorChanged => "two_factor_changed",
            MailKind::TicketReply => "ticket_reply",
            MailKind::TicketCustomerReply => "ticket_customer_reply",
            MailKind::Invitation => "invitation",
            MailKind::OnlinePaymentExpired => "online_payment_expired",
            MailKind::Dunning => "dunning",
            MailKind::Visit => "visit",
            MailKind::RenewalNotice => "renewal_notice",
            MailKind::OutageNotice => "outage_notice",
            MailKind::Marketing => "marketing",
            MailKind::Discount => "discount",
            MailKind::Order => "order",
            MailKind::Recurring => "recurring",
        }
    }

    /// Ticket mail carries the ticket number (`ticket_number` in the context), so replies thread
    /// and staff can search their inbox by it.
    fn subject(self, language: Language, context: &Context) -> String {
        let number = || {
            context
                .get("ticket_number")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        match (self, language) {
            (MailKind::TicketReply, Language::Polish) => {
                format!("Odpowiedź w zgłoszeniu {}", number())
            }
            (MailKind::TicketReply, Language::English) => {
                format!("Reply to your ticket {}", number())
            }
            (MailKind::Dunning, language) => dunning_subject(language, context),
            (MailKind::Visit, language) => visit_subject(language, context),
            (MailKind::Discount, language) => discount_subject(language, context),
            (MailKind::Order, language) => order_subject(language, context),
            (MailKind::Recurring, language) => recurring_subject(language, context),
            (MailKind::OutageNotice, language) => outage_subject(language, context),
            (MailKind::Marketing, _) => text_of(context, "subject"),
            (MailKind::TicketCustomerReply, _) => {
                format!("Zgłoszenie {}: nowa wiadomość od abonenta", number())
            }
            (kind, language) => kind.fixed_subject(language).to_owned(),
        }
    }

    fn fixed_subject(self, language: Language) -> &'static str {
        match (self, language) {
            (MailKind::Activation, Language::Polish) => "Aktywuj konto w e-BOK",
            (MailKind::Activation, Language::English) => "Activate your e-BOK account",
            (MailKind::PasswordReset, Language::Polish) => "Ustaw nowe hasło do e-BOK",
            (MailKind::PasswordReset, Language::English) => "Set a new e-BOK password",
            (MailKind::PasswordChanged, Language::Polish) => "Hasło do e-BOK zostało zmienione",
            (MailKind::PasswordChanged, Language::English) => "Your e-BOK password was changed",
            (MailKind::EmailChangeConfirm, Language::Polish) => {
                "Potwierdź nowy adres e-mail w e-BOK"
            }
            (MailKind::EmailChangeConfirm, Language::English) => {
                "Confirm your new e-BOK e-mail address"
            }
            (MailKind::EmailChangeRequested, Language::Polish) => "Zmiana adresu e-mail w e-BOK",
            (MailKind::EmailChangeRequested, Language::English) => {
                "Your e-BOK e-mail address is being changed"
            }
            (MailKind::TwoFactorChanged, Language::Polish) => {
                "Zmiana logowania dwuetapowego w e-BOK"
            }
            (MailKind::TwoFactorChanged, Language::English) => "Two-step login changed in e-BOK",
            (
                MailKind::TicketReply
                | MailKind::TicketCustomerReply
                | MailKind::Dunning
                | MailKind::Visit
                | MailKind::Order
                | MailKind::Recurring
                | MailKind::OutageNotice
                | MailKind::Marketing
                | MailKind::Discount,
                _,
            ) => "e-BOK",
            (MailKind::RenewalNotice, Language::Polish) => "Przypomnienie o terminie odnowienia",
            (MailKind::RenewalNotice, Language::English) => "Renewal reminder",
            (MailKind::Invitation, Language::Polish) => "Zaproszenie do e-BOK",
            (MailKind::Invitation, Language::English) => "Your invitation to e-BOK",
            (MailKind::OnlinePaymentExpired, Language::Polish) => {
                "Płatność online w e-BOK została anulowana"
            }
            (MailKind::OnlinePaymentExpired, Language::English) => {
                "Your e-BOK online payment was cancelled"
            }
        }
    }
}

fn text_of(context: &Context, key: &str) -> String {
    context
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// An outage mail says what kind of notice it is and what it is about.
fn outage_subject(language: Language, context: &Context) -> String {
    let what = match (text_of(context, "news_kind").as_str(), language) {
        ("maintenance", Language::Polish) => "Prace serwisowe",
        (_, Language::Polish) => "Awaria",
        ("maintenance", Language::English) => "Maintenance",
        (_, Language::English) => "Outage",
    };
    format!("{what}: {}", text_of(context, "title"))
}

/// A dunning mail says which step it is and which invoice it is about.
fn dunning_subject(language: Language, context: &Context) -> String {
    let text = |key: &str| {
        context
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let what = match (text("step").as_str(), language) {
        ("reminder", Language::Polish) => "Przypomnienie o płatności",
        ("formal_demand", Language::Polish) => "Wezwanie do zapłaty",
        ("warning_page", Language::Polish) => "Informacja o zaległości",
        ("limitation", Language::Polish) => "Ograniczenie usługi",
        ("pre_court_demand", Language::Polish) => "Ostateczne przedsądowe wezwanie do zapłaty",
        (_, Language::Polish) => "Zaległa płatność",
        ("reminder", Language::English) => "Payment reminder",
        ("formal_demand", Language::English) => "Demand for payment",
        ("warning_page", Language::English) => "Your payment is overdue",
        ("limitation", Language::English) => "Service limited",
        ("pre_court_demand", Language::English) => "Final demand before court",
        (_, Language::English) => "Overdue payment",
    };
    format!("{what}: {}", text("invoice_number"))
}

/// A visit mail says what happened and when the visit is (Polish wall-clock time).
fn visit_subject(language: Language, context: &Context) -> String {
    let text = |key: &str| {
        context
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let what = match (text("event").as_str(), language) {
        ("booked", Language::Polish) => "Potwierdzenie wizyty technika",
        ("moved", Language::Polish) => "Zmiana terminu wizyty technika",
        ("cancelled", Language::Polish) => "Odwołanie wizyty technika",
        ("reminder", Language::Polish) => "Przypomnienie: jutro wizyta technika",
        (_, Language::Polish) => "Wizyta technika",
        ("booked", Language::English) => "Technician visit confirmed",
        ("moved", Language::English) => "Technician visit moved",
        ("cancelled", Language::English) => "Technician visit cancelled",
        ("reminder", Language::English) => "Reminder: technician visit tomorrow",
        (_, Language::English) => "Technician visit",
    };
    format!("{what}: {}", text("when"))
}

/// A discount mail says what happened to which discount.
fn discount_subject(language: Language, context: &Context) -> String {
    let what = match (text_of(context, "event").as_str(), language) {
        ("approved", Language::Polish) => "Ulga przyznana",
        ("refused", Language::Polish) => "Wniosek o ulgę odrzucony",
        ("ending", Language::Polish) => "Ulga wkrótce się kończy",
        (_, Language::Polish) => "Ulga",
        ("approved", Language::English) => "Discount approved",
        ("refused", Language::English) => "Discount application refused",
        ("ending", Language::English) => "Your discount ends soon",
        (_, Language::English) => "Discount",
    };
    format!("{what}: {}", text_of(context, "discount"))
}

/// An order mail says what happened to which order.
fn order_subject(language: Language, context: &Context) -> String {
    let text = |key: &str| {
        context
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let what = match (text("event").as_str(), language) {
        ("paid", Language::Polish) => "Zamówienie opłacone",
        ("cancelled", Language::Polish) => "Zamówienie anulowane",
        (_, Language::Polish) => "Przyjęliśmy zamówienie",
        ("paid", Language::English) => "Order paid",
        ("cancelled", Language::English) => "Order cancelled",
        (_, Language::English) => "Order received",
    };
    format!("{what} {}", text("order_number"))
}

fn recurring_subject(language: Language, context: &Context) -> String {
    let event = context
        .get("event")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let what = match (event, language) {
        ("charged", Language::Polish) => "Pobraliśmy opłatę z karty",
        ("failed", Language::Polish) => "Nie udało się pobrać opłaty z karty",
        ("ended", Language::Polish) => "Płatność automatyczna wyłączona",
        ("cancelled", Language::Polish) => "Płatność automatyczna anulowana",
        ("terminated", Language::Polish) => "Umowa rozwiązana ze skutkiem natychmiastowym",
        (_, Language::Polish) => "Płatność automatyczna",
        ("charged", Language::English) => "Your card was charged",
        ("failed", Language::English) => "We could not charge your card",
        ("ended", Language::English) => "Automatic payment turned off",
        ("cancelled", Language::English) => "Automatic payment cancelled",
        ("terminated", Language::English) => "Contract ended with immediate effect",
        (_, Language::English) => "Automatic payment",
    };
    let contract = context
        .get("contract_number")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    format!("{what} ({contract})")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct MailTemplates {
    tera: Tera,
}

impl MailTemplates {
    /// Loads every template under `dir` (normally `templates/mail`).
    pub fn load(dir: &Path) -> Result<MailTemplates, String> {
        let pattern = format!("{}/**/*", dir.display());
        // Tera escapes templates whose names end in .html: the HTML parts, not the text ones.
        let mut tera =
            Tera::new(&pattern).map_err(|e| format!("mail templates in {}: {e}", dir.display()))?;
        tera.register_filter("sentence", sentence);
        Ok(MailTemplates { tera })
    }

    /// Renders both parts; `context` must carry what the templates use (`isp_name` always).
    pub fn render(
        &self,
        kind: MailKind,
        language: Language,
        context: &Context,
    ) -> Result<RenderedMail, tera::Error> {
        let base = format!("{}/{}", language.code(), kind.name());
        Ok(RenderedMail {
            subject: kind.subject(language, context),
            text: self.tera.render(&format!("{base}.txt"), context)?,
            html: self.tera.render(&format!("{base}.html"), context)?,
        })
    }
}

/// Ends a sentence with a full stop unless the text already ends in one: the ISP's name often
/// does ("Sp. z o.o."), and "Sp. z o.o.." reads as a typo.
fn sentence(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = tera::try_get_value!("sentence", "value", String, value);
    let ended = text.trim_end().ends_with(['.', '!', '?']);
    Ok(tera::Value::String(if ended {
        text
    } else {
        format!("{text}.")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_KINDS: [MailKind; 18] = [
        MailKind::Recurring,
        MailKind::Discount,
        MailKind::Order,
        MailKind::Visit,
        MailKind::RenewalNotice,
        MailKind::OutageNotice,
        MailKind::Marketing,
        MailKind::Dunning,
        MailKind::Invitation,
        MailKind::OnlinePaymentExpired,
        MailKind::Activation,
        MailKind::PasswordReset,
        MailKind::PasswordChanged,
        MailKind::EmailChangeConfirm,
        MailKind::EmailChangeRequested,
        MailKind::TwoFactorChanged,
        MailKind::TicketReply,
        MailKind::TicketCustomerReply,
    ];

    fn templates() -> MailTemplates {
        MailTemplates::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/mail")).unwrap()
    }

    fn context() -> Context {
        let mut context = Context::new();
        context.insert("isp_name", "Przykładowy Operator");
        context.insert("portal_url", "http://127.0.0.1:8000");
        context.insert("login", "jan<script>");
        context.insert("link", "http://127.0.0.1:8000/aktywacja/abc");
        context.insert("new_email", "nowy@example.com");
        context.insert("valid_hours", &48);
        context.insert("enabled", &true);
        context.insert("ticket_number", "#000042");
        context.insert("ticket_subject", "Brak internetu <b>");
        context.insert("customer_name", "Jan Kowalski");
        context.insert("message", "Linia 1\nLinia 2");
        context.insert("inviter", "demo");
        context.insert("role", "billing");
        context.insert("valid_days", &7);
        context.insert("description", "Faktura FV/2026/12/000001");
        context.insert("amount", "123,00 zł");
        context.insert("step", "formal_demand");
        context.insert("invoice_number", "FV/2026/05/000001");
        context.insert("due_date", "20.05.2026");
        context.insert("outstanding", "89,98 zł");
        context.insert("interest", "0,68 zł");
        context.insert("total", "90,66 zł");
        context.insert("today", "19.06.2026");
        context.insert("deadline", "26.06.2026");
        context.insert("pay_link", "http://127.0.0.1:8000/saldo");
        context.insert("event", "refused");
        context.insert("order_number", "ZAM/2026/00001");
        context.insert("needs_people", &false);
        context.insert("discount", "Student");
        context.insert("contract_number", "UM/2026/0001");
        context.insert("reason", "Legitymacja nieczytelna");
        context.insert("period_start", "01.12.2026");
        context.insert("period_end", "30.12.2026");
        context.insert("retry_on", "02.12.2026");
        context.insert("ends_on", "30.12.2026");
        context.insert(
            "notices",
            &serde_json::json!([
                {"kind": "service_expiring", "name": "Telewizja", "ends_on": "12.12.2026",
                 "days_left": 6, "renews": false},
                {"kind": "domain_expiring", "name": "kowalski.pl", "ends_on": "01.01.2027",
                 "days_left": 26, "renews": true},
                {"kind": "contract_ending", "name": "UM/2025/00001", "ends_on": "01.02.2027",
                 "days_left": 0, "renews": true},
            ]),
        );
        context.insert("news_kind", "outage");
        context.insert("title", "Brak internetu w Łodzi");
        context.insert("body", "Pracujemy nad usunięciem awarii.");
        context.insert("starts_at", "06.12.2026 10:00");
        context.insert("ends_at", "06.12.2026 14:00");
        context.insert("subject", "Nowa oferta");
        context.insert("unsubscribe_link", "http://127.0.0.1:8000/lista/wypisz/abc");
        context
    }

    #[test]
    fn a_company_name_ending_in_a_full_stop_gets_no_second_one() {
        let templates = templates();
        let mut company = context();
        company.insert("isp_name", "Przykładowy Operator Sp. z o.o.");
        for language in [Language::Polish, Language::English] {
            for kind in [
                MailKind::Activation,
                MailKind::PasswordReset,
                MailKind::PasswordChanged,
                MailKind::TwoFactorChanged,
                MailKind::EmailChangeRequested,
            ] {
                let mail = templates.render(kind, language, &company).unwrap();
                assert!(!mail.text.contains("o.o.."), "{}", mail.text);
                assert!(!mail.html.contains("o.o.."), "{}", mail.html);
            }
        }
        let plain = templates.render(MailKind::Activation, Language::Polish, &context());
        assert!(plain.unwrap().text.contains("Przykładowy Operator."));
    }

    #[test]
    fn every_kind_renders_in_both_languages_with_its_link() {
        let templates = templates();
        for kind in ALL_KINDS {
            for language in [Language::Polish, Language::English] {
                let mail = templates.render(kind, language, &context()).unwrap();
                assert!(!mail.subject.is_empty());
                assert!(
                    mail.text.contains("Przykładowy Operator"),
                    "{kind:?} {language:?}"
                );
                assert!(mail.html.contains("<html"), "{kind:?} {language:?}");
            }
        }
    }

    #[test]
    fn ticket_mail_subjects_carry_the_ticket_number() {
        let templates = templates();
        for kind in [MailKind::TicketReply, MailKind::TicketCustomerReply] {
            for language in [Language::Polish, Language::English] {
                let mail = templates.render(kind, language, &context()).unwrap();
                assert!(mail.subject.contains("#000042"), "{kind:?} {language:?}");
                assert!(mail.html.contains("Brak internetu &lt;b&gt;"));
            }
        }
    }

    #[test]
    fn html_part_escapes_what_the_user_typed() {
        let mail = templates()
            .render(MailKind::Activation, Language::Polish, &context())
            .unwrap();
        assert!(mail.html.contains("jan&lt;script&gt;"));
        assert!(mail.text.contains("jan<script>"), "plain text is not HTML");
        assert!(mail.text.contains("http://127.0.0.1:8000/aktywacja/abc"));
    }
}
