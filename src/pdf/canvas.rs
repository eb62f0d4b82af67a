//! A small drawing surface over printpdf's operation list: text in millimetres from the top-left
//! corner (the way an invoice is designed), alignment by measured width, wrapping, rules, boxes.

use std::collections::BTreeMap;

use printpdf::{
    Color, DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Op, PaintMode,
    PdfFontHandle, Point, Pt, Rect, Rgb, TextItem, TextRenderingMode, WindingOrder, XObject,
    XObjectId, XObjectTransform,
};

use super::fonts::Fonts;

pub const PAGE_WIDTH: f32 = 210.0;
pub const PAGE_HEIGHT: f32 = 297.0;
pub const MARGIN: f32 = 15.0;
const PT_PER_MM: f32 = 72.0 / 25.4;
/// Stroke of emulated bold, in thousandths of an em; each glyph grows by about this much.
const BOLD_STROKE: f32 = 40.0;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    /// Drawn by stroking the regular outlines: one embedded font instead of two keeps every
    /// invoice well under 40 KB.
    Bold,
}

#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Right,
    Center,
}

pub struct Canvas<'f> {
    fonts: &'f Fonts,
    font_id: &'f FontId,
    /// The current fill colour, which bold text also strokes with.
    ink: Color,
    pub ops: Vec<Op>,
    /// Pictures placed so far, for the document's resources; named `Im1`, `Im2`… in the order
    /// drawn, so the same invoice still gives the same bytes (printpdf would pick random names).
    images: Vec<(XObjectId, XObject)>,
}

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

/// From "millimetres down from the top" to PDF's "points up from the bottom".
fn point(x_mm: f32, y_from_top_mm: f32) -> Point {
    Point {
        x: pt(x_mm),
        y: pt(PAGE_HEIGHT - y_from_top_mm),
    }
}

pub fn grey(level: f32) -> Color {
    Color::Rgb(Rgb {
        r: level,
        g: level,
        b: level,
        icc_profile: None,
    })
}

pub fn brand() -> Color {
    Color::Rgb(Rgb {
        r: 0.043,
        g: 0.361,
        b: 0.678,
        icc_profile: None,
    })
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts, font_id: &'f FontId) -> Canvas<'f> {
        Canvas {
            fonts,
            font_id,
            ink: grey(0.0),
            ops: Vec::with_capacity(512),
            images: Vec::new(),
        }
    }

    pub fn width_mm(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let stroke = match weight {
            Weight::Bold => BOLD_STROKE * size * text.chars().count() as f32 / 1000.0,
            Weight::Regular => 0.0,
        };
        (self.fonts.regular.width(text, size) + stroke) / PT_PER_MM
    }

    /// Draws one line of text; `y` is the baseline, in mm from the top.
    pub fn text(&mut self, text: &str, x: f32, y: f32, size: f32, weight: Weight, align: Align) {
        let text = self.fonts.regular.drawable(text);
        let width = self.width_mm(&text, size, weight);
        let x = match align {
            Align::Left => x,
            Align::Right => x - width,
            Align::Center => x - width / 2.0,
        };
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont {
            font: PdfFontHandle::External(self.font_id.clone()),
            size: Pt(size),
        });
        if weight == Weight::Bold {
            self.ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
            self.ops.push(Op::SetOutlineColor {
                col: self.ink.clone(),
            });
            self.ops.push(Op::SetOutlineThickness {
                pt: Pt(BOLD_STROKE * size / 1000.0),
            });
        }
        self.ops.push(Op::SetTextCursor { pos: point(x, y) });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text)],
        });
        if weight == Weight::Bold {
            self.ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
        }
        self.ops.push(Op::EndTextSection);
    }

    /// Splits `text` into lines no wider than `width` mm (words longer than a line are cut).
    pub fn wrap(&self, text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width_mm(&candidate, size, weight) <= width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            let mut piece = String::new();
            for ch in word.chars() {
                piece.push(ch);
                if self.width_mm(&piece, size, weight) > width {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(ch);
                }
            }
            current = piece;
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        lines
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, color: Color) {
        self.ops.push(Op::SetOutlineColor { col: color });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: point(x1, y),
                        bezier: false,
                    },
                    LinePoint {
                        p: point(x2, y),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    /// A filled rectangle; `y` is its top edge. Text drawn after it needs `ink` again.
    pub fn fill(&mut self, x: f32, y: f32, width: f32, height: f32, color: Color) {
        self.ops.push(Op::SetFillColor { col: color });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: pt(x),
                y: pt(PAGE_HEIGHT - y - height),
                width: pt(width),
                height: pt(height),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// A black-and-white picture stretched over the box at (`x`, `y` top) of `width` × `height`
    /// mm: `rows` of `dark` flags from the top. Stored one bit a pixel (black 0, white 1, as
    /// DeviceGray reads a 1-bit sample), so a QR code is a few hundred bytes without
    /// compressing it; painted without interpolation (PDF/A forbids it), each pixel a sharp square.
    pub fn bitmap(&mut self, rows: &[Vec<bool>], (x, y): (f32, f32), (width, height): (f32, f32)) {
        let columns = rows.first().map_or(0, Vec::len);
        let mut packed = Vec::with_capacity(rows.len() * columns.div_ceil(8));
        for row in rows {
            // Each row starts on a byte boundary; the padding bits are ignored.
            for byte in row.chunks(8) {
                let bits = byte.iter().enumerate().fold(0xFF_u8, |bits, (i, dark)| {
                    if *dark { bits & !(0x80 >> i) } else { bits }
                });
                packed.push(bits);
            }
        }
        let dict = BTreeMap::from([
            ("Type".to_owned(), DictItem::Name(b"XObject".to_vec())),
            ("Subtype".to_owned(), DictItem::Name(b"Image".to_vec())),
            ("Width".to_owned(), DictItem::Int(columns as i64)),
            ("Height".to_owned(), DictItem::Int(rows.len() as i64)),
            (
                "ColorSpace".to_owned(),
                DictItem::Name(b"DeviceGray".to_vec()),
            ),
            ("BitsPerComponent".to_owned(), DictItem::Int(1)),
            ("Interpolate".to_owned(), DictItem::Bool(false)),
        ]);
        let id = XObjectId(format!("Im{}", self.images.len() + 1));
        self.images.push((
            id.clone(),
            XObject::External(ExternalXObject {
                stream: ExternalStream {
                    dict,
                    content: packed,
                    compress: false,
                },
                width: None,
                height: None,
                dpi: None,
            }),
        ));
        // An image fills the unit square: scale it to the box, then move the box into place.
        self.ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(pt(x)),
                translate_y: Some(pt(PAGE_HEIGHT - y - height)),
                scale_x: Some(pt(width).0),
                scale_y: Some(pt(height).0),
                no_auto_scale: true,
                ..XObjectTransform::default()
            },
        });
    }

    /// The pictures placed so far, for the document's resources.
    pub fn take_images(&mut self) -> Vec<(XObjectId, XObject)> {
        std::mem::take(&mut self.images)
    }

    /// Sets the colour of the text that follows.
    pub fn ink(&mut self, color: Color) {
        self.ink = color.clone();
        self.ops.push(Op::SetFillColor { col: color });
    }

    /// The footer line and "Strona X z Y", added once the page count is known.
    pub fn page_footer(&mut self, text: &str, page: usize, pages: usize) {
        let right = PAGE_WIDTH - MARGIN;
        self.rule(MARGIN, right, PAGE_HEIGHT - 15.0, 0.3, grey(0.75));
        self.ink(grey(0.35));
        self.text(
            text,
            MARGIN,
            PAGE_HEIGHT - 10.5,
            7.0,
            Weight::Regular,
            Align::Left,
        );
        self.text(
            &format!("Strona {page} z {pages}"),
            right,
            PAGE_HEIGHT - 10.5,
            7.0,
            Weight::Regular,
            Align::Right,
        );
        self.ink(grey(0.0));
    }

    pub fn take_ops(&mut self) -> Vec<Op> {
        std::mem::take(&mut self.ops)
    }
}
