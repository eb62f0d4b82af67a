//! Invoice PDFs: rendered once, at issue time, from an issued invoice's view. Deterministic: the
//! same invoice gives the same bytes, so a lost file can be re-rendered and checked against the
//! stored hash; all but KOD II, whose signature is randomised by both algorithms KSeF allows as
//! they are signed here (RSA-PSS's salt, ring's ECDSA nonce).

mod archival;
mod canvas;
mod dunning;
mod fonts;
mod invoice;
mod qr;
mod statement;

use std::collections::BTreeMap;

use printpdf::{FontId, Mm, PdfDocument, PdfPage, PdfSaveOptions, XObject, XObjectId};

pub use dunning::LetterView;
pub use invoice::{
    InvoiceView, LineValue, LineView, LinesSection, PartyView, RateView, VerificationQr,
};
pub use statement::{StatementRow, StatementView};

use self::canvas::{Canvas, PAGE_HEIGHT, PAGE_WIDTH};
use self::fonts::Fonts;

/// Holds the subset font; build one per process and share it.
pub struct PdfRenderer {
    fonts: Fonts,
    /// The subset font as it goes into every PDF: raw length (to find its stream) and the
    /// deflated bytes, compressed once at start instead of in every document.
    font_stream: (usize, Vec<u8>),
    /// printpdf's own way: embed the whole font and subset it again in every document. Kept
    /// only so the benchmark can show what subsetting once saves.
    subset_per_document: bool,
}

impl PdfRenderer {
    pub fn new() -> Result<PdfRenderer, String> {
        let fonts = Fonts::load()?;
        let font_stream = compressed_font(&fonts)?;
        Ok(PdfRenderer {
            fonts,
            font_stream,
            subset_per_document: false,
        })
    }

    /// One renderer per process: subsetting and compressing the font takes a moment, and the
    /// result never changes.
    pub fn shared() -> Result<std::sync::Arc<PdfRenderer>, String> {
        static SHARED: std::sync::OnceLock<Result<std::sync::Arc<PdfRenderer>, String>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| PdfRenderer::new().map(std::sync::Arc::new))
            .clone()
    }

    /// The baseline for `cargo bench`: the full font, subset by printpdf at every save.
    pub fn subsetting_per_document() -> Result<PdfRenderer, String> {
        Ok(PdfRenderer {
            fonts: Fonts::load_full()?,
            font_stream: (usize::MAX, Vec::new()),
            subset_per_document: true,
        })
    }

    pub fn render_invoice(&self, view: &InvoiceView) -> Vec<u8> {
        self.render(
            &format!("{} {}", view.title, view.number),
            &view.seller.name,
            |canvas| invoice::layout(canvas, view),
            |canvas, page, pages| invoice::footer(canvas, view, page, pages),
        )
    }

    /// The customer's statement of invoices and payments for a period.
    pub fn render_statement(&self, view: &StatementView) -> Vec<u8> {
        self.render(
            &format!("Zestawienie rozliczeń {}", view.period),
            &view.isp_name,
            |canvas| statement::layout(canvas, view),
            |canvas, page, pages| statement::footer(canvas, view, page, pages),
        )
    }

    /// A dunning letter (reminder, demand, notice of limitation).
    pub fn render_letter(&self, view: &LetterView) -> Vec<u8> {
        self.render(
            &view.title,
            &view.isp_name,
            |canvas| dunning::layout(canvas, view),
            |canvas, page, pages| dunning::footer(canvas, view, page, pages),
        )
    }

    /// Lays out the pages' bodies, adds each page's footer once the page count is known, and
    /// saves the document.
    fn render(
        &self,
        title: &str,
        author: &str,
        layout: impl FnOnce(&mut Canvas<'_>) -> Vec<Vec<printpdf::Op>>,
        mut footer: impl FnMut(&mut Canvas<'_>, usize, usize),
    ) -> Vec<u8> {
        // A fixed resource name: printpdf would otherwise pick a random one per document.
        let font_id = FontId("F1".into());
        let mut canvas = Canvas::new(&self.fonts, &font_id);
        let bodies = layout(&mut canvas);
        let count = bodies.len();
        let pages = bodies
            .into_iter()
            .enumerate()
            .map(|(index, mut ops)| {
                footer(&mut canvas, index + 1, count);
                ops.extend(canvas.take_ops());
                PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops)
            })
            .collect();
        let images = canvas.take_images();
        self.save(title, author, font_id, pages, images)
    }

    fn save(
        &self,
        title: &str,
        author: &str,
        font_id: FontId,
        pages: Vec<PdfPage>,
        images: Vec<(XObjectId, XObject)>,
    ) -> Vec<u8> {
        let mut document = PdfDocument::new(title);
        document.metadata.info.author = author.to_owned();
        document.metadata.info.creator = "e-BOK".into();
        document.metadata.info.producer = "e-BOK".into();
        document.resources.fonts.map = BTreeMap::from([(
            font_id,
            printpdf::PdfFont::new(self.fonts.regular.font.clone()),
        )]);
        document.resources.xobjects.map = images.into_iter().collect();
        document.pages = pages;
        // The font was subset once at start; subsetting again per document is what makes
        // printpdf slow.
        // Images are left to `compress_streams` (printpdf's optimiser would re-encode them).
        let options = PdfSaveOptions {
            subset_fonts: self.subset_per_document,
            image_optimization: None,
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
        archival::make_archival(
            &mut lopdf,
            &archival::Description {
                title,
                author,
                creator: "e-BOK",
                producer: "e-BOK",
            },
        );
        if self.subset_per_document {
            lopdf.compress();
        } else {
            tag_subset_fonts(&mut lopdf);
            self.compress_streams(&mut lopdf);
        }
        let mut bytes = Vec::with_capacity(48 * 1024);
        if let Err(error) = lopdf.save_to(&mut bytes) {
            tracing::error!(%error, "PDF serialisation failed");
        }
        bytes
    }
}

impl PdfRenderer {
    /// lopdf compresses every stream at the best (slowest) level on every save; the font is the
    /// bulk of each PDF and the same every time, so it goes in pre-compressed, and the small
    /// content streams the fastest level (they are a few kilobytes of text operators).
    fn compress_streams(&self, document: &mut lopdf::Document) {
        for object in document.objects.values_mut() {
            let lopdf::Object::Stream(stream) = object else {
                continue;
            };
            // Already compressed, metadata (PDF/A wants it readable), or too small to be worth
            // it (a QR code's bitmap).
            if stream.dict.get(b"Filter").is_ok()
                || archival::is_metadata(stream)
                || !stream.allows_compression
            {
                continue;
            }
            let is_our_font =
                stream.dict.get(b"Length1").is_ok() && stream.content.len() == self.font_stream.0;
            let compressed = if is_our_font {
                Some(self.font_stream.1.clone())
            } else {
                deflate(&stream.content, 1)
            };
            if let Some(compressed) = compressed.filter(|c| c.len() < stream.content.len()) {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
}

/// The tag every embedded subset font's name carries (ISO 32000-1 §9.6.4: six upper-case
/// letters and a plus sign). Validators of archival PDFs (PDF/A) refuse a subset without it.
/// The font is the same subset in every document, so one fixed tag names it.
pub const SUBSET_TAG: &str = "EBOKAA+";

/// Prefixes the names of the embedded font (`BaseFont` of the font dictionaries, `FontName` of
/// the descriptor) with [`SUBSET_TAG`]; printpdf writes the bare PostScript name.
fn tag_subset_fonts(document: &mut lopdf::Document) {
    for object in document.objects.values_mut() {
        let lopdf::Object::Dictionary(dict) = object else {
            continue;
        };
        for key in [b"BaseFont".as_slice(), b"FontName".as_slice()] {
            let Ok(lopdf::Object::Name(name)) = dict.get(key) else {
                continue;
            };
            if name.contains(&b'+') {
                continue;
            }
            let mut tagged = SUBSET_TAG.as_bytes().to_vec();
            tagged.extend_from_slice(name);
            dict.set(key.to_vec(), lopdf::Object::Name(tagged));
        }
    }
}

fn deflate(bytes: &[u8], level: u32) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 2),
        flate2::Compression::new(level),
    );
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

fn compressed_font(fonts: &Fonts) -> Result<(usize, Vec<u8>), String> {
    let raw = fonts
        .regular
        .font
        .source_bytes()
        .ok_or("the subset font has no bytes")?;
    let compressed = deflate(raw.as_slice(), 9).ok_or("the subset font cannot be compressed")?;
    Ok((raw.len(), compressed))
}

/// FNV-1a: stable across runs and platforms (unlike std's hasher).
fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x100000001b3)
    })
}
