//! QR codes drawn as vector squares: sharp at any zoom, no image decoding, a few hundred bytes.

use qrcode::canvas::{Canvas as QrCanvas, MaskPattern};
use qrcode::{Color as Module, EcLevel};

use super::canvas::{Canvas, grey};

/// Draws `payload` as a QR code of `size` mm with its top-left corner at (`x`, `y`).
/// EC level L, as the ZBP payment-QR recommendation asks.
pub fn draw(canvas: &mut Canvas<'_>, payload: &str, x: f32, y: f32, size: f32) -> bool {
    let Some((width, modules)) = modules(payload) else {
        return false;
    };
    let quiet = 2.0;
    let cell = size / (width as f32 + 2.0 * quiet);
    canvas.fill(x, y, size, size, grey(1.0));
    // One rectangle per horizontal run of dark modules, all in one path; a hair of overlap
    // avoids white seams between rows.
    let mut runs = Vec::with_capacity(width * 4);
    for (row, cells) in modules.chunks(width).enumerate() {
        let mut col = 0;
        while col < width {
            if cells[col] != Module::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < width && cells[col] == Module::Dark {
                col += 1;
            }
            runs.push((
                x + (start as f32 + quiet) * cell,
                y + (row as f32 + quiet) * cell,
                (col - start) as f32 * cell + 0.01,
                cell + 0.01,
            ));
        }
    }
    canvas.fill_many(&runs, grey(0.0));
    true
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
