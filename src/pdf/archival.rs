//! What makes our PDFs archival (PDF/A-3, level B: ISO 19005-3): invoices are kept for years,
//! and archives and accountants' systems check the conformance before they take a file.
//!
//! printpdf lays out the pages and embeds the (subset-tagged) font; this adds what PDF/A asks
//! on top: an sRGB output intent for the device colours we paint with (§6.2.3), XMP metadata
//! that names the part and level and repeats the document information (§6.6.2), a binary
//! header comment and a trailer /ID (§6.1.2, §6.1.3). Nothing random goes in: the same invoice
//! still gives the same bytes.

use lopdf::{Dictionary, Object, Stream, StringFormat};

/// Little CMS's sRGB (ICC v2), from Debian's icc-profiles-free; see `assets/icc/README.md`.
const SRGB_PROFILE: &[u8] = include_bytes!("../../assets/icc/sRGB.icc");
const SRGB_NAME: &str = "sRGB IEC61966-2.1";

/// The output intent's profile as a stream, compressed once per process: the same 7 KB in
/// every document, compressed at lopdf's best level, is not worth compressing every time.
fn srgb_profile_stream() -> Stream {
    static COMPRESSED: std::sync::OnceLock<Stream> = std::sync::OnceLock::new();
    COMPRESSED
        .get_or_init(|| {
            let mut profile = Stream::new(
                Dictionary::from_iter(vec![("N", Object::Integer(3))]),
                SRGB_PROFILE.to_vec(),
            );
            let _ = profile.compress();
            profile
        })
        .clone()
}

/// The document information, written both as the Info dictionary and as XMP (PDF/A wants the
/// two to agree).
pub struct Description<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub creator: &'a str,
    pub producer: &'a str,
}

/// Turns printpdf's output into a PDF/A-3b file.
pub fn make_archival(document: &mut lopdf::Document, description: &Description) {
    document.version = "1.7".into();
    // Four bytes above 127 after the header, so transfer tools treat the file as binary.
    document.binary_mark = vec![0xE2, 0xE3, 0xCF, 0xD3];

    // printpdf's Info carries keys with no XMP counterpart (GTS_PDFXVersion, Trapped, dates
    // of 1970): replace it with the four we also state in XMP.
    let info = document.add_object(Dictionary::from_iter(vec![
        ("Title", lopdf::text_string(description.title)),
        ("Author", lopdf::text_string(description.author)),
        ("Creator", lopdf::text_string(description.creator)),
        ("Producer", lopdf::text_string(description.producer)),
    ]));
    document.trailer.set("Info", Object::Reference(info));

    let metadata = document.add_object(Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp_packet(description).into_bytes(),
    ));
    let profile = document.add_object(srgb_profile_stream());
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", literal(SRGB_NAME)),
        ("Info", literal(SRGB_NAME)),
        ("RegistryName", literal("http://www.color.org")),
        ("DestOutputProfile", Object::Reference(profile)),
    ]);
    match document.catalog_mut() {
        Ok(catalog) => {
            catalog.set("Metadata", Object::Reference(metadata));
            catalog.set(
                "OutputIntents",
                Object::Array(vec![Object::Dictionary(intent)]),
            );
        }
        Err(error) => tracing::error!(%error, "PDF without a catalogue: not made archival"),
    }
}

/// Whether a stream is the XMP packet, which PDF/A wants readable without decoding (§6.6.2.1:
/// no Filter), so it is left out of compression.
pub fn is_metadata(stream: &Stream) -> bool {
    matches!(stream.dict.get(b"Type"), Ok(Object::Name(name)) if name == b"Metadata")
}

fn xmp_packet(description: &Description) -> String {
    let title = escape(description.title);
    let author = escape(description.author);
    let creator = escape(description.creator);
    let producer = escape(description.producer);
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
 <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
  <rdf:Description rdf:about=\"\"\n\
    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n\
    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n\
    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n\
   <dc:format>application/pdf</dc:format>\n\
   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n\
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>\n\
   <pdf:Producer>{producer}</pdf:Producer>\n\
   <pdfaid:part>3</pdfaid:part>\n\
   <pdfaid:conformance>B</pdfaid:conformance>\n\
  </rdf:Description>\n\
 </rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"w\"?>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn literal(text: &str) -> Object {
    Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_escapes_markup_in_the_title() {
        let packet = xmp_packet(&Description {
            title: "Faktura <1> & \"2\"",
            author: "ISP",
            creator: "e-BOK",
            producer: "e-BOK",
        });
        assert!(packet.contains("Faktura &lt;1&gt; &amp; &quot;2&quot;"));
        assert!(packet.contains("<pdfaid:part>3</pdfaid:part>"));
    }

    #[test]
    fn the_profile_is_an_rgb_display_profile() {
        assert_eq!(&SRGB_PROFILE[36..40], b"acsp");
        assert_eq!(&SRGB_PROFILE[16..20], b"RGB ");
    }
}
