//! What an issued invoice's PDF shows, built from what the invoice row and its lines store (and,
//! for a correction, what it did to the customer's balance when issued), so rendering again
//! later gives the same bytes.

use crate::domain::InvoiceKind;
use rust_decimal::Decimal;

use crate::db::invoices::{Invoice, InvoiceLine};
use crate::domain::receivables::CorrectionEffect;
use crate::domain::vat::{
    self, InvoiceTotals, LineInput, PriceKind, RateSummary, VatError, VatRate,
};
use crate::domain::{Money, Nip, Nrb, PaymentQr, amount_in_words};
use crate::pdf::{InvoiceView, LineValue, LineView, LinesSection, PartyView, RateView};

#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error("stored line {0} cannot be read back: {1}")]
    Line(i32, String),
    #[error(transparent)]
    Vat(#[from] VatError),
}

/// The correction's original, as the corrective invoice refers to it.
pub struct Original<'a> {
    pub number: &'a str,
    pub issue_date: chrono::NaiveDate,
    /// What the correction did to the customer's money when it was issued.
    pub effect: CorrectionEffect,
    /// The customer's account a refund chosen on the correction goes to.
    pub refund_account: Option<String>,
}

fn date(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

fn amount(grosze: i64) -> String {
    Money::from_grosze(grosze).format_amount()
}

fn quantity_text(quantity: &Decimal) -> String {
    quantity.normalize().to_string().replace('.', ",")
}

fn inputs(lines: &[&InvoiceLine]) -> Result<Vec<LineInput>, ViewError> {
    lines
        .iter()
        .map(|line| {
            Ok(LineInput {
                name: line.name.clone(),
                quantity: line.quantity.parse().map_err(|e: rust_decimal::Error| {
                    ViewError::Line(line.position, e.to_string())
                })?,
                unit_price: Money::from_grosze(line.unit_price),
                rate: VatRate::parse(&line.vat_rate)
                    .map_err(|e| ViewError::Line(line.position, e.to_string()))?,
            })
        })
        .collect()
}

fn line_view(line: &InvoiceLine, position: usize) -> LineView {
    let quantity = line
        .quantity
        .parse::<Decimal>()
        .map(|q| quantity_text(&q))
        .unwrap_or_else(|_| line.quantity.clone());
    LineView {
        position: format!("{position}."),
        name: line.name.clone(),
        unit: line.unit.clone(),
        quantity,
        unit_price: amount(line.unit_price),
        net: amount(line.net),
        rate: VatRate::parse(&line.vat_rate)
            .map(|r| r.label_pl().to_owned())
            .unwrap_or_else(|_| line.vat_rate.clone()),
        vat: amount(line.vat),
        gross: amount(line.gross),
    }
}

fn rate_view(summary: &RateSummary) -> RateView {
    RateView {
        rate: summary.rate.label_pl().to_owned(),
        net: amount(summary.net.grosze()),
        vat: amount(summary.vat.grosze()),
        gross: amount(summary.gross.grosze()),
    }
}

/// The invoice as printed. `original` is set for corrective invoices.
pub fn invoice_view(
    invoice: &Invoice,
    lines: &[InvoiceLine],
    customer_number: i64,
    original: Option<Original<'_>>,
) -> Result<InvoiceView, ViewError> {
    let method = invoice.price_kind;
    let side = |name: &str| lines.iter().filter(|l| l.side == name).collect::<Vec<_>>();
    let is_correction = invoice.kind == InvoiceKind::Correction;
    let (sections, totals): (Vec<LinesSection>, InvoiceTotals) = if is_correction {
        let (before, after) = (side("before"), side("after"));
        let before_totals = vat::compute(&inputs(&before)?, method)?;
        let after_totals = vat::compute(&inputs(&after)?, method)?;
        let to_views = |rows: &[&InvoiceLine]| {
            rows.iter()
                .enumerate()
                .map(|(i, l)| line_view(l, i + 1))
                .collect()
        };
        (
            vec![
                LinesSection {
                    title: Some("Przed korektą".into()),
                    lines: to_views(&before),
                },
                LinesSection {
                    title: Some("Po korekcie".into()),
                    lines: to_views(&after),
                },
            ],
            vat::correction_difference(&before_totals, &after_totals),
        )
    } else {
        let all = side("line");
        let totals = vat::compute(&inputs(&all)?, method)?;
        (
            vec![LinesSection {
                title: None,
                lines: all
                    .iter()
                    .enumerate()
                    .map(|(i, l)| line_view(l, i + 1))
                    .collect(),
            }],
            totals,
        )
    };
    let mut dates = vec![("Data wystawienia".to_owned(), date(invoice.issue_date))];
    match (invoice.period_start, invoice.period_end, invoice.sale_date) {
        (Some(start), Some(end), _) => dates.push((
            "Okres rozliczeniowy".into(),
            format!("{} – {}", date(start), date(end)),
        )),
        (_, _, Some(sale)) => dates.push(("Data sprzedaży".into(), date(sale))),
        _ => {}
    }
    let mut notes_top = Vec::new();
    if let Some(original) = &original {
        notes_top.push(format!(
            "Dotyczy faktury nr {} z dnia {}.",
            original.number,
            date(original.issue_date)
        ));
        if let Some(reason) = &invoice.correction_reason {
            notes_top.push(format!("Przyczyna korekty: {reason}"));
        }
    }
    let gross = invoice.total_gross;
    let account = Nrb::parse(&invoice.bank_account).ok();
    let number = invoice.number.clone().unwrap_or_default();
    // An invoice asks for payment; a correction only when it raises what is due. One that
    // lowers an invoice says what it takes off the amount due and what becomes credit.
    let effect = original.as_ref().map(|o| o.effect);
    let customer_pays = match effect {
        Some(effect) => effect.customer_pays(),
        None => gross > 0,
    };
    let qr_payload = match (&account, customer_pays) {
        (Some(account), true) => PaymentQr {
            payee_nip: Nip::parse(&invoice.seller_nip).ok(),
            account: account.clone(),
            amount: Money::from_grosze(gross),
            payee_name: invoice.seller_name.clone(),
            title: number.clone(),
        }
        .payload()
        .ok(),
        _ => None,
    };
    let mut payment = Vec::new();
    if customer_pays {
        payment.push(("Termin płatności".to_owned(), date(invoice.due_date)));
        payment.push((
            "Forma płatności".into(),
            payment_method(&invoice.payment_method).into(),
        ));
        payment.push((
            "Numer rachunku".into(),
            account
                .as_ref()
                .map(|a| a.formatted())
                .unwrap_or_else(|| invoice.bank_account.clone()),
        ));
        payment.push(("Tytuł przelewu".into(), number.clone()));
    }
    let mut settlement_notes = Vec::new();
    if let (
        Some(original),
        Some(CorrectionEffect::Lowers {
            reduces,
            credit,
            refund,
        }),
    ) = (&original, effect)
    {
        if reduces > 0 {
            settlement_notes.push(format!(
                "Korekta zmniejsza kwotę do zapłaty za fakturę nr {} o {}.",
                original.number,
                Money::from_grosze(reduces)
            ));
        }
        if credit > 0 {
            settlement_notes.push(format!(
                "Nadpłata {} zostanie zaliczona na poczet należności.",
                Money::from_grosze(credit)
            ));
        }
        if refund > 0 {
            let account = original
                .refund_account
                .as_deref()
                .map(|a| {
                    Nrb::parse(a)
                        .map(|n| n.formatted())
                        .unwrap_or_else(|_| a.to_owned())
                })
                .unwrap_or_default();
            settlement_notes.push(format!(
                "Nadpłata {} zostanie zwrócona na rachunek nr {account}.",
                Money::from_grosze(refund)
            ));
        }
    }
    let mut notes_bottom = settlement_notes;
    if invoice.split_payment {
        notes_bottom.push("mechanizm podzielonej płatności".to_owned());
    }
    let mut buyer_lines = vec![
        invoice.buyer_address_line.clone(),
        format!("{} {}", invoice.buyer_postal_code, invoice.buyer_city),
    ];
    if let Some(nip) = &invoice.buyer_nip {
        buyer_lines.push(format!(
            "NIP: {}",
            Nip::parse(nip)
                .map(|n| n.formatted())
                .unwrap_or_else(|_| nip.clone())
        ));
    }
    buyer_lines.push(format!("Nr klienta: {customer_number}"));
    let seller_nip = Nip::parse(&invoice.seller_nip)
        .map(|n| n.formatted())
        .unwrap_or_else(|_| invoice.seller_nip.clone());
    Ok(InvoiceView {
        title: if is_correction {
            "Faktura korygująca".into()
        } else {
            "Faktura VAT".into()
        },
        number,
        dates,
        seller: PartyView {
            heading: "Sprzedawca".into(),
            name: invoice.seller_name.clone(),
            lines: vec![
                invoice.seller_address_line.clone(),
                format!("{} {}", invoice.seller_postal_code, invoice.seller_city),
                format!("NIP: {seller_nip}"),
            ],
        },
        buyer: PartyView {
            heading: "Nabywca".into(),
            name: invoice.buyer_name.clone(),
            lines: buyer_lines,
        },
        notes_top,
        price_label: if method == PriceKind::Net {
            "Cena netto".into()
        } else {
            "Cena brutto".into()
        },
        line_value: if method == PriceKind::Net {
            LineValue::Net
        } else {
            LineValue::Gross
        },
        sections,
        summary_title: if is_correction {
            "Zmiana: stawka".into()
        } else {
            "Stawka".into()
        },
        summary: totals.per_rate.iter().map(rate_view).collect(),
        summary_total: RateView {
            rate: "Razem".into(),
            net: amount(totals.net.grosze()),
            vat: amount(totals.vat.grosze()),
            gross: amount(totals.gross.grosze()),
        },
        amount_due_label: match effect {
            Some(CorrectionEffect::ToPay { .. }) | None => "Do zapłaty".into(),
            Some(_) => "Kwota korekty".into(),
        },
        amount_due: if customer_pays {
            Money::from_grosze(gross.abs()).to_string()
        } else {
            Money::from_grosze(gross).to_string()
        },
        amount_in_words: if gross < 0 {
            format!("minus {}", amount_in_words(Money::from_grosze(-gross)))
        } else {
            amount_in_words(Money::from_grosze(gross))
        },
        payment,
        notes_bottom,
        qr_payload,
        qr_caption: "Zeskanuj w aplikacji banku, aby zapłacić".into(),
        // KOD I needs the stored FA(3) bytes and KSeF's verdict: the caller adds it.
        verification: None,
        certificate: None,
        footer: format!(
            "{} · NIP {} · faktura wystawiona w e-BOK",
            invoice.seller_name, seller_nip
        ),
    })
}

fn payment_method(code: &str) -> &'static str {
    match code {
        "cash" => "gotówka",
        "card" => "karta płatnicza",
        "online" => "płatność online",
        _ => "przelew",
    }
}
