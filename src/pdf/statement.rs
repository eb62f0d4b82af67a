//! "Zestawienie rozliczeń": the customer's invoices and payments over a period, with balances.

use super::canvas::{Align, Canvas, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, Weight, brand, grey};

#[derive(Debug, Clone)]
pub struct StatementRow {
    pub date: String,
    pub description: String,
    pub charge: String,
    pub payment: String,
    pub balance: String,
}

#[derive(Debug, Clone)]
pub struct StatementView {
    pub isp_name: String,
    pub customer_lines: Vec<String>,
    pub period: String,
    pub opening_balance: String,
    pub rows: Vec<StatementRow>,
    pub closing_balance: String,
    pub footer: String,
}

const RIGHT: f32 = PAGE_WIDTH - MARGIN;
const BOTTOM: f32 = PAGE_HEIGHT - 22.0;

fn table_header(canvas: &mut Canvas<'_>, y: f32) -> f32 {
    canvas.fill(MARGIN, y, RIGHT - MARGIN, 6.0, grey(0.92));
    canvas.ink(grey(0.0));
    for (label, x, align) in [
        ("Data", MARGIN + 1.0, Align::Left),
        ("Opis", MARGIN + 22.0, Align::Left),
        ("Należność", 140.0, Align::Right),
        ("Wpłata", 165.0, Align::Right),
        ("Saldo", RIGHT - 1.0, Align::Right),
    ] {
        canvas.text(label, x, y + 4.2, 7.5, Weight::Bold, align);
    }
    y + 6.0
}

pub fn layout(canvas: &mut Canvas<'_>, view: &StatementView) -> Vec<Vec<printpdf::Op>> {
    let mut pages = Vec::new();
    canvas.ink(brand());
    canvas.text(
        &view.isp_name,
        MARGIN,
        22.0,
        12.0,
        Weight::Bold,
        Align::Left,
    );
    canvas.ink(grey(0.0));
    canvas.text(
        "Zestawienie rozliczeń",
        RIGHT,
        22.0,
        14.0,
        Weight::Bold,
        Align::Right,
    );
    canvas.text(
        &view.period,
        RIGHT,
        28.0,
        9.0,
        Weight::Regular,
        Align::Right,
    );
    canvas.rule(MARGIN, RIGHT, 31.0, 0.6, brand());
    let mut y = 37.0;
    for line in &view.customer_lines {
        canvas.text(line, MARGIN, y, 9.0, Weight::Regular, Align::Left);
        y += 4.4;
    }
    y += 3.0;
    canvas.text(
        &format!("Saldo na początek okresu: {}", view.opening_balance),
        MARGIN,
        y,
        9.0,
        Weight::Bold,
        Align::Left,
    );
    y += 4.0;
    y = table_header(canvas, y);
    for row in &view.rows {
        let lines = canvas.wrap(&row.description, 80.0, 8.0, Weight::Regular);
        let height = lines.len() as f32 * 3.8 + 1.6;
        if y + height > BOTTOM {
            pages.push(canvas.take_ops());
            y = table_header(canvas, 20.0);
        }
        let baseline = y + 4.2;
        canvas.text(
            &row.date,
            MARGIN + 1.0,
            baseline,
            8.0,
            Weight::Regular,
            Align::Left,
        );
        for (index, line) in lines.iter().enumerate() {
            canvas.text(
                line,
                MARGIN + 22.0,
                baseline + index as f32 * 3.8,
                8.0,
                Weight::Regular,
                Align::Left,
            );
        }
        canvas.text(
            &row.charge,
            140.0,
            baseline,
            8.0,
            Weight::Regular,
            Align::Right,
        );
        canvas.text(
            &row.payment,
            165.0,
            baseline,
            8.0,
            Weight::Regular,
            Align::Right,
        );
        canvas.text(
            &row.balance,
            RIGHT - 1.0,
            baseline,
            8.0,
            Weight::Regular,
            Align::Right,
        );
        y += height;
        canvas.rule(MARGIN, RIGHT, y, 0.3, grey(0.8));
    }
    if y + 12.0 > BOTTOM {
        pages.push(canvas.take_ops());
        y = 20.0;
    }
    canvas.text(
        &format!("Saldo na koniec okresu: {}", view.closing_balance),
        MARGIN,
        y + 8.0,
        10.0,
        Weight::Bold,
        Align::Left,
    );
    canvas.text(
        "Saldo dodatnie oznacza kwotę do zapłaty, ujemne – nadpłatę, którą rozliczymy z kolejną fakturą.",
        MARGIN,
        y + 13.0,
        7.5,
        Weight::Regular,
        Align::Left,
    );
    pages.push(canvas.take_ops());
    pages
}

/// The footer and "Strona X z Y", added once the page count is known.
pub fn footer(canvas: &mut Canvas<'_>, view: &StatementView, page: usize, pages: usize) {
    canvas.page_footer(&view.footer, page, pages);
}
