//! QR codes drawn as vector squares: sharp at any zoom, no image decoding, a few hundred bytes.

use qrcode::{Color as Module, EcLevel, QrCode};

use super::canvas::{Canvas, grey};

/// Draws `payload` as a QR code of `size` mm with its top-left corner at (`x`, `y`).
/// EC level L, as the ZBP payment-QR recommendation asks.
pub fn draw(canvas: &mut Canvas<'_>, payload: &str, x: f32, y: f32, size: f32) -> bool {
    let Ok(code) = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::L) else {
        return false;
    };
    let width = code.width();
    let modules = code.to_colors();
    let quiet = 2.0;
    let cell = size / (width as f32 + 2.0 * quiet);
    canvas.fill(x, y, size, size, grey(1.0));
    // One rectangle per horizontal run of dark modules keeps the content stream small; a hair
    // of overlap avoids white seams between rows.
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
            canvas.fill(
                x + (start as f32 + quiet) * cell,
                y + (row as f32 + quiet) * cell,
                (col - start) as f32 * cell + 0.01,
                cell + 0.01,
                grey(0.0),
            );
        }
    }
    true
}
