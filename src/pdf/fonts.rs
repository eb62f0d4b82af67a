//! The bundled DejaVu Sans, subset once to the characters an invoice can contain.
//!
//! printpdf subsets fonts on every save, which costs more than the rest of an invoice together.
//! Subsetting once at start and embedding the result as is (`subset_fonts: false`) keeps each
//! PDF small and makes rendering several times faster.

use std::collections::{BTreeMap, HashMap};

use printpdf::{ParsedFont, subset_font};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Printable ASCII, Polish letters, the Latin letters of neighbouring languages that show up in
/// names and street names, and the punctuation invoices use.
const CHARSET: &str = concat!(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    "ĄĆĘŁŃÓŚŹŻąćęłńóśźż",
    "ÄÖÜäöüßÉéÈèÊêËëÁáÀàÂâÍíÎîÏïÓóÔôÚúÙùÛûÇçÑñŠšČčŽžŘřĚěŇňŤťĎďŮůĹĺŔŕĽľŐőŰű",
    "–—„”“’‘…•·×±§°€№µ©®™²³½¼¾",
    "\u{00A0}",
);

/// One face, ready to embed, with the advance widths needed to align text.
pub struct Face {
    pub font: ParsedFont,
    widths: HashMap<char, u16>,
    units_per_em: f32,
}

impl Face {
    fn subset(bytes: &[u8], name: &str) -> Result<Face, String> {
        let mut warnings = Vec::new();
        let full = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("{name}: not a font"))?;
        let mut glyphs = BTreeMap::new();
        for ch in CHARSET.chars() {
            if let Some(gid) = full.lookup_glyph_index(ch as u32) {
                glyphs.insert(gid, ch.to_string());
            }
        }
        let subset = subset_font(&full, &glyphs).map_err(|e| format!("{name}: {e}"))?;
        let font = ParsedFont::from_bytes(&subset.bytes, 0, &mut warnings)
            .ok_or_else(|| format!("{name}: subset unreadable"))?;
        let widths = CHARSET
            .chars()
            .filter_map(|ch| {
                font.lookup_glyph_index(ch as u32)
                    .map(|gid| (ch, font.get_horizontal_advance(gid)))
            })
            .collect();
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        Ok(Face {
            font,
            widths,
            units_per_em,
        })
    }

    /// Width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|ch| u32::from(self.widths.get(&ch).copied().unwrap_or(0)))
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Characters the subset cannot draw become '?', so a PDF never shows empty boxes.
    pub fn drawable(&self, text: &str) -> String {
        text.chars()
            .map(|ch| match ch {
                '\t' | '\n' | '\r' => ' ',
                ch if self.widths.contains_key(&ch) => ch,
                _ => '?',
            })
            .collect()
    }
}

/// One face: bold is drawn by stroking it, so each invoice embeds a single font.
pub struct Fonts {
    pub regular: Face,
}

impl Fonts {
    /// Subsets the face; takes tens of milliseconds, so do it once per process.
    pub fn load() -> Result<Fonts, String> {
        Ok(Fonts {
            regular: Face::subset(REGULAR, "DejaVuSans")?,
        })
    }

    /// The whole face, for the benchmark's baseline.
    pub fn load_full() -> Result<Fonts, String> {
        let mut warnings = Vec::new();
        let font =
            ParsedFont::from_bytes(REGULAR, 0, &mut warnings).ok_or("DejaVuSans: not a font")?;
        let widths = CHARSET
            .chars()
            .filter_map(|ch| {
                font.lookup_glyph_index(ch as u32)
                    .map(|gid| (ch, font.get_horizontal_advance(gid)))
            })
            .collect();
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        Ok(Fonts {
            regular: Face {
                font,
                widths,
                units_per_em,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_faces_are_small_and_draw_polish() {
        let fonts = Fonts::load().unwrap();
        let face = &fonts.regular;
        let size = face.font.source_bytes().map(|b| b.len()).unwrap_or(0);
        eprintln!("subset face: {size} bytes");
        assert!(size < 120_000, "{size}");
        assert_eq!(face.drawable("Zażółć gęślą jaźń"), "Zażółć gęślą jaźń");
        assert_eq!(face.drawable("Привет"), "??????");
        assert!(face.width("ŁĄKA", 10.0) > face.width("łąka", 10.0));
    }
}
