//! Reading PDFs back as a person's tools would: text with `pdftotext`, pages as PNG with
//! `pdftoppm`, QR codes decoded from the picture. `.ci/run` installs poppler-utils.

use std::path::Path;
use std::process::Command;

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found && std::env::var_os("CI").is_some() {
        panic!("{name} (poppler-utils) must be installed in CI");
    }
    found
}

/// The PDF's text in reading layout, or None (with a note) where poppler is not installed.
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    if !tool("pdftotext") {
        eprintln!("skipped: pdftotext is not installed");
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf).expect("write pdf");
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(&input)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        output.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Renders page 1 to `png_path` at `dpi`; false where poppler is not installed.
pub fn render_first_page(pdf: &[u8], png_path: &Path, dpi: u32) -> bool {
    if !tool("pdftoppm") {
        return false;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf).expect("write pdf");
    let prefix = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            &dpi.to_string(),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
        ])
        .arg(&input)
        .arg(&prefix)
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    if let Some(parent) = png_path.parent() {
        std::fs::create_dir_all(parent).expect("png dir");
    }
    std::fs::copy(prefix.with_extension("png"), png_path).expect("copy png");
    true
}

/// Every QR code found in a PNG, decoded.
pub fn qr_codes_in(png_path: &Path) -> Vec<String> {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).expect("png"),
    ));
    let mut reader = decoder.read_info().expect("png header");
    let mut buffer = vec![0; reader.output_buffer_size().expect("png size")];
    let info = reader.next_frame(&mut buffer).expect("png frame");
    let channels = info.color_type.samples();
    let (width, height) = (info.width as usize, info.height as usize);
    let luma = |x: usize, y: usize| -> u8 {
        let offset = (y * width + x) * channels;
        if channels >= 3 {
            ((u16::from(buffer[offset])
                + u16::from(buffer[offset + 1])
                + u16::from(buffer[offset + 2]))
                / 3) as u8
        } else {
            buffer[offset]
        }
    };
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
        .collect()
}
