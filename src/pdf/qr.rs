//! QR codes drawn as a small black-and-white picture, one pixel per module, painted without
//! interpolation: sharp at any zoom and a few hundred bytes. Drawn as vector squares instead,
//! the codes of an invoice with KOD I were about 3 000 rectangles whose coordinates printpdf
//! formats one by one.

use qrcode::canvas::{Canvas as QrCanvas, MaskPattern};
use qrcode::{Color as Module, EcLevel};

use super::canvas::Canvas;

/// Light modules around the symbol. ISO/IEC 18004 asks for four; two have read reliably at
/// 32 mm on paper and on screen, and leave more room for the symbol itself.
const QUIET_ZONE: usize = 2;

/// Draws `payload` as a QR code of `size` mm with its top-left corner at (`x`, `y`).
/// EC level L, as the ZBP payment-QR recommendation asks.
pub fn draw(canvas: &mut Canvas<'_>, payload: &str, x: f32, y: f32, size: f32) -> bool {
    let Some((width, modules)) = modules(payload) else {
        return false;
    };
    canvas.bitmap(&picture(width, &modules), (x, y), (size, size));
    true
}

/// The symbol with its quiet zone, row by row: `true` for a dark module.
fn picture(width: usize, modules: &[Module]) -> Vec<Vec<bool>> {
    let side = width + 2 * QUIET_ZONE;
    let mut rows = vec![vec![false; side]; side];
    for (row, cells) in modules.chunks(width).enumerate() {
        for (column, module) in cells.iter().enumerate() {
            rows[row + QUIET_ZONE][column + QUIET_ZONE] = *module == Module::Dark;
        }
    }
    rows
}

/// The QR symbol's modules, row by row, with a fixed mask.
///
/// `qrcode` tries all eight masks and scores each (about a quarter of an invoice's rendering
/// time); the score only steers away from patterns that trouble old scanners, and every reader
/// takes the mask from the symbol's format bits. A printed 32 mm symbol with its quiet zone
/// reads fine with any mask, and the invoice tests decode it from the rendered page.
fn modules(payload: &str) -> Option<(usize, Vec<Module>)> {
    let bits = qrcode::bits::encode_auto(payload.as_bytes(), EcLevel::L).ok()?;
    let version = bits.version();
    let data = bits.into_bytes();
    let (encoded, ec) = qrcode::ec::construct_codewords(&data, version, EcLevel::L).ok()?;
    let mut canvas = QrCanvas::new(version, EcLevel::L);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec);
    canvas.apply_mask(MaskPattern::DiagonalLines);
    Some((version.width().max(0) as usize, canvas.into_colors()))
}
