//! The invoice page: everything art. 106e asks for, laid out on A4, over as many pages as the
//! lines need, with "Strona X z Y" on each.

use super::canvas::{Align, Canvas, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, Weight, brand, grey};
use super::qr;

/// One party block ("Sprzedawca", "Nabywca").
#[derive(Debug, Clone)]
pub struct PartyView {
    pub heading: String,
    pub name: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct LineView {
    pub position: String,
    pub name: String,
    pub unit: String,
    pub quantity: String,
    pub unit_price: String,
    pub net: String,
    pub rate: String,
    pub vat: String,
    pub gross: String,
}

/// Which per-line amount the table prints: the one the invoice's method sums. Under the net
/// per-rate method line nets add up to the summary's net and VAT exists only per rate; under the
/// gross method line grosses add up to the gross. Printing the other columns per line would show
/// figures that, rounded per line, miss the summary by a grosz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineValue {
    Net,
    Gross,
}

/// A table of lines; corrective invoices have two ("przed korektą", "po korekcie").
#[derive(Debug, Clone)]
pub struct LinesSection {
    pub title: Option<String>,
    pub lines: Vec<LineView>,
}

#[derive(Debug, Clone)]
pub struct RateView {
    pub rate: String,
    pub net: String,
    pub vat: String,
    pub gross: String,
}

/// KOD I: the KSeF verification code and the label directly under it (the KSeF number, or
/// "OFFLINE" while KSeF has not numbered the invoice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationQr {
    pub url: String,
    pub label: String,
}

/// Everything printed on an invoice, already formatted: the renderer decides only where.
#[derive(Debug, Clone)]
pub struct InvoiceView {
    pub title: String,
    pub number: String,
    pub dates: Vec<(String, String)>,
    pub seller: PartyView,
    pub buyer: PartyView,
    pub notes_top: Vec<String>,
    pub price_label: String,
    pub line_value: LineValue,
    pub sections: Vec<LinesSection>,
    pub summary_title: String,
    pub summary: Vec<RateView>,
    pub summary_total: RateView,
    pub amount_due_label: String,
    pub amount_due: String,
    pub amount_in_words: String,
    pub payment: Vec<(String, String)>,
    pub notes_bottom: Vec<String>,
    pub qr_payload: Option<String>,
    pub qr_caption: String,
    /// KOD I, for an invoice that goes to KSeF; printed beside the payment code.
    pub verification: Option<VerificationQr>,
    /// KOD II ("CERTYFIKAT"), for an offline invoice when the seller has a KSeF Offline
    /// certificate; printed under KOD I.
    pub certificate: Option<VerificationQr>,
    pub footer: String,
}

const RIGHT: f32 = PAGE_WIDTH - MARGIN;
/// Body text stops here; below are the footer and page number.
const BODY_BOTTOM: f32 = PAGE_HEIGHT - 22.0;
const ROW_SIZE: f32 = 8.0;
const ROW_LEADING: f32 = 3.8;

/// Column right edges (left edge for the first two) of the lines table, in mm.
struct Columns;
impl Columns {
    const POSITION: f32 = MARGIN + 1.0;
    const NAME: f32 = MARGIN + 8.0;
    const NAME_WIDTH: f32 = 82.0;
    const UNIT: f32 = 116.0;
    const QUANTITY: f32 = 134.0;
    const PRICE: f32 = 155.0;
    const RATE: f32 = 170.0;
    const VALUE: f32 = RIGHT - 1.0;
}

/// Lays the invoice out; returns the operations of each page.
pub fn layout(canvas: &mut Canvas<'_>, view: &InvoiceView) -> Vec<Vec<printpdf::Op>> {
    let mut pages = Vec::new();
    let mut y = header(canvas, view);
    y = parties(canvas, view, y + 8.0);
    for note in &view.notes_top {
        for line in canvas.wrap(note, RIGHT - MARGIN, 9.0, Weight::Regular) {
            y += 4.5;
            canvas.text(&line, MARGIN, y, 9.0, Weight::Regular, Align::Left);
        }
    }
    y += 6.0;
    for section in &view.sections {
        if let Some(title) = &section.title {
            y = ensure_room(canvas, &mut pages, view, y, 14.0);
            y += 4.0;
            canvas.text(title, MARGIN, y, 9.5, Weight::Bold, Align::Left);
            y += 2.0;
        }
        y = ensure_room(canvas, &mut pages, view, y, 14.0);
        y = table_header(canvas, view, y);
        for line in &section.lines {
            let name_lines =
                canvas.wrap(&line.name, Columns::NAME_WIDTH, ROW_SIZE, Weight::Regular);
            let height = name_lines.len() as f32 * ROW_LEADING + 1.6;
            if y + height > BODY_BOTTOM {
                pages.push(canvas.take_ops());
                y = continuation_header(canvas, view);
                y = table_header(canvas, view, y);
            }
            y = table_row(canvas, view, line, &name_lines, y);
        }
        y += 3.0;
    }
    y = ensure_room(
        canvas,
        &mut pages,
        view,
        y,
        12.0 + 5.0 * (view.summary.len() as f32 + 1.0),
    );
    y = summary(canvas, view, y + 2.0);
    // KOD II goes under KOD I: the codes' block is taller then.
    let codes_height = if view.certificate.is_some() {
        48.0 + KOD_II_DROP
    } else {
        48.0
    };
    y = ensure_room(canvas, &mut pages, view, y, codes_height);
    payment(canvas, view, y + 6.0);
    pages.push(canvas.take_ops());
    pages
}

fn header(canvas: &mut Canvas<'_>, view: &InvoiceView) -> f32 {
    canvas.ink(brand());
    canvas.text(
        &view.seller.name,
        MARGIN,
        22.0,
        12.0,
        Weight::Bold,
        Align::Left,
    );
    canvas.ink(grey(0.0));
    canvas.text(&view.title, RIGHT, 22.0, 15.0, Weight::Bold, Align::Right);
    canvas.text(
        &format!("nr {}", view.number),
        RIGHT,
        28.5,
        11.0,
        Weight::Bold,
        Align::Right,
    );
    let mut y = 28.5;
    for (label, value) in &view.dates {
        y += 4.6;
        canvas.text(
            &format!("{label}: {value}"),
            RIGHT,
            y,
            8.5,
            Weight::Regular,
            Align::Right,
        );
    }
    canvas.rule(MARGIN, RIGHT, y + 3.0, 0.6, brand());
    y + 3.0
}

fn continuation_header(canvas: &mut Canvas<'_>, view: &InvoiceView) -> f32 {
    canvas.text(
        &format!("{} nr {} (ciąg dalszy)", view.title, view.number),
        MARGIN,
        20.0,
        9.0,
        Weight::Bold,
        Align::Left,
    );
    canvas.rule(MARGIN, RIGHT, 23.0, 0.4, grey(0.6));
    28.0
}

fn parties(canvas: &mut Canvas<'_>, view: &InvoiceView, top: f32) -> f32 {
    let column_width = (RIGHT - MARGIN) / 2.0 - 5.0;
    let mut bottom = top;
    for (party, x) in [
        (&view.seller, MARGIN),
        (&view.buyer, MARGIN + column_width + 10.0),
    ] {
        let mut y = top + 3.0;
        canvas.ink(grey(0.35));
        canvas.text(
            &party.heading.to_uppercase(),
            x,
            y,
            7.5,
            Weight::Bold,
            Align::Left,
        );
        canvas.ink(grey(0.0));
        for line in canvas.wrap(&party.name, column_width, 10.0, Weight::Bold) {
            y += 4.8;
            canvas.text(&line, x, y, 10.0, Weight::Bold, Align::Left);
        }
        for text in &party.lines {
            for line in canvas.wrap(text, column_width, 8.5, Weight::Regular) {
                y += 4.2;
                canvas.text(&line, x, y, 8.5, Weight::Regular, Align::Left);
            }
        }
        bottom = bottom.max(y);
    }
    bottom + 2.0
}

/// Starts a new page when fewer than `needed` mm are left.
fn ensure_room(
    canvas: &mut Canvas<'_>,
    pages: &mut Vec<Vec<printpdf::Op>>,
    view: &InvoiceView,
    y: f32,
    needed: f32,
) -> f32 {
    if y + needed <= BODY_BOTTOM {
        return y;
    }
    pages.push(canvas.take_ops());
    continuation_header(canvas, view)
}

fn table_header(canvas: &mut Canvas<'_>, view: &InvoiceView, y: f32) -> f32 {
    let height = 9.0;
    canvas.fill(MARGIN, y, RIGHT - MARGIN, height, grey(0.92));
    canvas.ink(grey(0.0));
    let first = y + 3.8;
    let second = y + 7.2;
    let size = 7.0;
    canvas.text(
        "Lp.",
        Columns::POSITION,
        first,
        size,
        Weight::Bold,
        Align::Left,
    );
    canvas.text(
        "Nazwa towaru lub usługi",
        Columns::NAME,
        first,
        size,
        Weight::Bold,
        Align::Left,
    );
    canvas.text(
        "J.m.",
        Columns::UNIT,
        first,
        size,
        Weight::Bold,
        Align::Right,
    );
    canvas.text(
        "Ilość",
        Columns::QUANTITY,
        first,
        size,
        Weight::Bold,
        Align::Right,
    );
    let (price_first, price_second) = view
        .price_label
        .split_once(' ')
        .unwrap_or((&view.price_label, ""));
    canvas.text(
        price_first,
        Columns::PRICE,
        first,
        size,
        Weight::Bold,
        Align::Right,
    );
    canvas.text(
        price_second,
        Columns::PRICE,
        second,
        size,
        Weight::Bold,
        Align::Right,
    );
    canvas.text(
        "Stawka",
        Columns::RATE,
        first,
        size,
        Weight::Bold,
        Align::Right,
    );
    canvas.text(
        "VAT",
        Columns::RATE,
        second,
        size,
        Weight::Bold,
        Align::Right,
    );
    canvas.text(
        "Wartość",
        Columns::VALUE,
        first,
        size,
        Weight::Bold,
        Align::Right,
    );
    canvas.text(
        match view.line_value {
            LineValue::Net => "netto",
            LineValue::Gross => "brutto",
        },
        Columns::VALUE,
        second,
        size,
        Weight::Bold,
        Align::Right,
    );
    y + height
}

fn table_row(
    canvas: &mut Canvas<'_>,
    view: &InvoiceView,
    line: &LineView,
    name_lines: &[String],
    y: f32,
) -> f32 {
    let baseline = y + ROW_LEADING + 0.4;
    canvas.text(
        &line.position,
        Columns::POSITION,
        baseline,
        ROW_SIZE,
        Weight::Regular,
        Align::Left,
    );
    for (index, name) in name_lines.iter().enumerate() {
        canvas.text(
            name,
            Columns::NAME,
            baseline + index as f32 * ROW_LEADING,
            ROW_SIZE,
            Weight::Regular,
            Align::Left,
        );
    }
    for (text, right) in [
        (&line.unit, Columns::UNIT),
        (&line.quantity, Columns::QUANTITY),
        (&line.unit_price, Columns::PRICE),
        (&line.rate, Columns::RATE),
        (
            match view.line_value {
                LineValue::Net => &line.net,
                LineValue::Gross => &line.gross,
            },
            Columns::VALUE,
        ),
    ] {
        canvas.text(
            text,
            right,
            baseline,
            ROW_SIZE,
            Weight::Regular,
            Align::Right,
        );
    }
    let bottom = y + name_lines.len() as f32 * ROW_LEADING + 1.6;
    canvas.rule(MARGIN, RIGHT, bottom, 0.3, grey(0.8));
    bottom
}

fn summary(canvas: &mut Canvas<'_>, view: &InvoiceView, top: f32) -> f32 {
    let left = 105.0;
    let columns = [
        (view.summary_title.as_str(), 122.0),
        ("Netto", 146.0),
        ("VAT", 167.0),
        ("Brutto", RIGHT - 1.0),
    ];
    canvas.fill(left, top, RIGHT - left, 5.5, grey(0.92));
    canvas.ink(grey(0.0));
    for (label, right) in columns {
        canvas.text(label, right, top + 3.9, 7.5, Weight::Bold, Align::Right);
    }
    let mut y = top + 5.5;
    let rows = view
        .summary
        .iter()
        .map(|r| (r, Weight::Regular))
        .chain(std::iter::once((&view.summary_total, Weight::Bold)));
    for (row, weight) in rows {
        y += 4.6;
        for (text, right) in [
            (&row.rate, 122.0),
            (&row.net, 146.0),
            (&row.vat, 167.0),
            (&row.gross, RIGHT - 1.0),
        ] {
            canvas.text(text, right, y, 8.0, weight, Align::Right);
        }
        canvas.rule(left, RIGHT, y + 1.4, 0.3, grey(0.8));
    }
    y + 2.0
}

/// Side of a printed QR code: 32 mm with its quiet zone, well above the 1.8 cm the ZBP
/// recommendation asks for the payment code.
const QR_SIZE: f32 = 32.0;
/// Room between the two codes, so the labels under them (a KSeF number is 35 characters, about
/// 44 mm at 5.5 pt) do not run into each other.
const QR_GAP: f32 = 12.0;
/// How far below KOD I's top KOD II starts: the code, its label (a KSeF number may take two
/// lines) and a gap.
const KOD_II_DROP: f32 = QR_SIZE + 12.0;

fn payment(canvas: &mut Canvas<'_>, view: &InvoiceView, top: f32) {
    // The payment code sits at the right edge; KOD I to its left (or at the edge alone).
    let payment_left = RIGHT - QR_SIZE;
    let verification_left = if view.qr_payload.is_some() {
        payment_left - QR_GAP - QR_SIZE
    } else {
        payment_left
    };
    let text_right = match (&view.verification, &view.qr_payload) {
        (Some(_), _) => verification_left - 4.0,
        (None, Some(_)) => 148.0,
        (None, None) => RIGHT,
    };
    let mut y = top + 5.0;
    canvas.text(
        &format!("{}: {}", view.amount_due_label, view.amount_due),
        MARGIN,
        y,
        13.0,
        Weight::Bold,
        Align::Left,
    );
    for line in canvas.wrap(
        &format!("Słownie: {}", view.amount_in_words),
        text_right - MARGIN,
        8.5,
        Weight::Regular,
    ) {
        y += 4.4;
        canvas.text(&line, MARGIN, y, 8.5, Weight::Regular, Align::Left);
    }
    y += 2.0;
    for (label, value) in &view.payment {
        y += 4.6;
        canvas.text(
            &format!("{label}:"),
            MARGIN,
            y,
            8.5,
            Weight::Regular,
            Align::Left,
        );
        canvas.text(value, MARGIN + 38.0, y, 8.5, Weight::Bold, Align::Left);
    }
    for note in &view.notes_bottom {
        for line in canvas.wrap(note, text_right - MARGIN, 8.0, Weight::Regular) {
            y += 4.2;
            canvas.text(&line, MARGIN, y, 8.0, Weight::Regular, Align::Left);
        }
    }
    if let Some(payload) = &view.qr_payload {
        labelled_code(
            canvas,
            payload,
            &view.qr_caption,
            payment_left,
            top,
            (6.5, 8.0),
        );
    }
    if let Some(code) = &view.verification {
        // pl-invoicing §3.6: the label goes directly under the code.
        labelled_code(
            canvas,
            &code.url,
            &code.label,
            verification_left,
            top,
            (5.5, 14.0),
        );
    }
    if let Some(code) = &view.certificate {
        // Under KOD I, labelled "CERTYFIKAT" (ksef-docs `kody-qr.md`).
        labelled_code(
            canvas,
            &code.url,
            &code.label,
            verification_left,
            top + KOD_II_DROP,
            (5.5, 14.0),
        );
    }
}

/// A code with its label centred under it; `(size, overhang)`: the label's font size and how
/// much wider than the code its lines may run.
fn labelled_code(
    canvas: &mut Canvas<'_>,
    payload: &str,
    label: &str,
    left: f32,
    top: f32,
    (size, overhang): (f32, f32),
) {
    if !qr::draw(canvas, payload, left, top, QR_SIZE) {
        return;
    }
    canvas.ink(grey(0.0));
    for (index, line) in canvas
        .wrap(label, QR_SIZE + overhang, size, Weight::Regular)
        .iter()
        .enumerate()
    {
        canvas.text(
            line,
            left + QR_SIZE / 2.0,
            top + QR_SIZE + 3.0 + index as f32 * 3.0,
            size,
            Weight::Regular,
            Align::Center,
        );
    }
}

/// The footer and "Strona X z Y", added once the page count is known.
pub fn footer(canvas: &mut Canvas<'_>, view: &InvoiceView, page: usize, pages: usize) {
    canvas.page_footer(&view.footer, page, pages);
}
