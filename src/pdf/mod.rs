//! Invoice PDFs: rendered once, at issue time, from an issued invoice's view. Deterministic: the
//! same invoice gives the same bytes, so a lost file can be re-rendered and checked against the
//! stored hash.

mod canvas;
mod fonts;
mod invoice;
mod qr;
mod statement;

use std::collections::BTreeMap;

use printpdf::{FontId, Mm, PdfDocument, PdfPage, PdfSaveOptions};

pub use invoice::{InvoiceView, LineView, LinesSection, PartyView, RateView};
pub use statement::{StatementRow, StatementView};

use self::canvas::{Canvas, PAGE_HEIGHT, PAGE_WIDTH};
use self::fonts::Fonts;

/// Holds the subset fonts; build one per process and share it (it is `Sync`).
pub struct PdfRenderer {
    fonts: Fonts,
}

impl PdfRenderer {
    pub fn new() -> Result<PdfRenderer, String> {
        Ok(PdfRenderer {
            fonts: Fonts::load()?,
        })
    }

    pub fn render_invoice(&self, view: &InvoiceView) -> Vec<u8> {
        // A fixed resource name: printpdf would otherwise pick a random one per document.
        let font_id = FontId("F1".into());
        let mut canvas = Canvas::new(&self.fonts, &font_id);
        let bodies = invoice::layout(&mut canvas, view);
        let count = bodies.len();
        let pages = bodies
            .into_iter()
            .enumerate()
            .map(|(index, mut ops)| {
                invoice::footer(&mut canvas, view, index + 1, count);
                ops.extend(canvas.take_ops());
                PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops)
            })
            .collect();
        self.save(
            &format!("{} {}", view.title, view.number),
            &view.seller.name,
            font_id,
            pages,
        )
    }

    /// The customer's statement of invoices and payments for a period.
    pub fn render_statement(&self, view: &StatementView) -> Vec<u8> {
        let font_id = FontId("F1".into());
        let mut canvas = Canvas::new(&self.fonts, &font_id);
        let bodies = statement::layout(&mut canvas, view);
        let count = bodies.len();
        let pages = bodies
            .into_iter()
            .enumerate()
            .map(|(index, mut ops)| {
                statement::footer(&mut canvas, view, index + 1, count);
                ops.extend(canvas.take_ops());
                PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops)
            })
            .collect();
        self.save(
            &format!("Zestawienie rozliczeń {}", view.period),
            &view.isp_name,
            font_id,
            pages,
        )
    }

    fn save(&self, title: &str, author: &str, font_id: FontId, pages: Vec<PdfPage>) -> Vec<u8> {
        let mut document = PdfDocument::new(title);
        document.metadata.info.author = author.to_owned();
        document.metadata.info.creator = "e-BOK".into();
        document.metadata.info.producer = "e-BOK".into();
        document.resources.fonts.map = BTreeMap::from([(
            font_id,
            printpdf::PdfFont::new(self.fonts.regular.font.clone()),
        )]);
        document.pages = pages;
        // The font was subset once at start; subsetting again per document is what makes
        // printpdf slow.
        let options = PdfSaveOptions {
            subset_fonts: false,
            ..PdfSaveOptions::default()
        };
        let mut warnings = Vec::new();
        let mut lopdf = document.to_lopdf_document(&options, &mut warnings);
        // printpdf puts a random /ID in the trailer; derive it from the document instead.
        let id = lopdf::Object::String(
            format!("{:016x}", stable_hash(title.as_bytes())).into_bytes(),
            lopdf::StringFormat::Literal,
        );
        lopdf
            .trailer
            .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
        lopdf.compress();
        let mut bytes = Vec::with_capacity(48 * 1024);
        if let Err(error) = lopdf.save_to(&mut bytes) {
            tracing::error!(%error, "PDF serialisation failed");
        }
        bytes
    }
}

/// FNV-1a: stable across runs and platforms (unlike std's hasher).
fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x100000001b3)
    })
}
