//! Dunning letters: a reminder, a formal demand ("wezwanie do zapłaty"), the notices of a
//! warning page and of limitation, and the final pre-court demand. One page, rendered from the
//! figures recorded when the step was taken.

use super::canvas::{Align, Canvas, MARGIN, PAGE_WIDTH, Weight, brand, grey};

#[derive(Debug, Clone)]
pub struct LetterView {
    pub isp_name: String,
    pub seller_lines: Vec<String>,
    pub customer_lines: Vec<String>,
    /// "Warszawa, 06.12.2026" or just the date.
    pub place_and_date: String,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// (label, value) rows: the invoice, its due date, the amount, the interest, the total.
    pub figures: Vec<(String, String)>,
    pub closing: Vec<String>,
    pub footer: String,
}

const RIGHT: f32 = PAGE_WIDTH - MARGIN;

pub fn layout(canvas: &mut Canvas<'_>, view: &LetterView) -> Vec<Vec<printpdf::Op>> {
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
        &view.place_and_date,
        RIGHT,
        22.0,
        9.0,
        Weight::Regular,
        Align::Right,
    );
    let mut y = 27.0;
    for line in &view.seller_lines {
        canvas.text(line, MARGIN, y, 8.0, Weight::Regular, Align::Left);
        y += 3.8;
    }
    canvas.rule(MARGIN, RIGHT, y + 1.0, 0.6, brand());
    let mut y_customer = y + 10.0;
    for line in &view.customer_lines {
        canvas.text(line, 115.0, y_customer, 9.5, Weight::Regular, Align::Left);
        y_customer += 4.6;
    }
    y = y_customer + 10.0;
    canvas.text(&view.title, MARGIN, y, 14.0, Weight::Bold, Align::Left);
    y += 9.0;
    for paragraph in &view.paragraphs {
        for line in canvas.wrap(paragraph, RIGHT - MARGIN, 9.5, Weight::Regular) {
            canvas.text(&line, MARGIN, y, 9.5, Weight::Regular, Align::Left);
            y += 4.6;
        }
        y += 2.5;
    }
    y += 2.0;
    for (label, value) in &view.figures {
        canvas.fill(MARGIN, y - 4.2, RIGHT - MARGIN, 6.0, grey(0.95));
        canvas.text(label, MARGIN + 2.0, y, 9.0, Weight::Regular, Align::Left);
        canvas.text(value, RIGHT - 2.0, y, 9.0, Weight::Bold, Align::Right);
        y += 6.5;
    }
    y += 4.0;
    for paragraph in &view.closing {
        for line in canvas.wrap(paragraph, RIGHT - MARGIN, 9.0, Weight::Regular) {
            canvas.text(&line, MARGIN, y, 9.0, Weight::Regular, Align::Left);
            y += 4.4;
        }
        y += 2.0;
    }
    vec![canvas.take_ops()]
}

pub fn footer(canvas: &mut Canvas<'_>, view: &LetterView, page: usize, pages: usize) {
    canvas.page_footer(&view.footer, page, pages);
}
