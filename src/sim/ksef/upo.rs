//! The UPO ("Urzędowe Poświadczenie Odbioru", official receipt), schema v4-3, for one invoice.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::state::now_text;
use crate::ksef::fa3::Fa3Summary;

const NAMESPACE: &str = "http://upo.schematy.mf.gov.pl/KSeF/v4-3";

/// The receipt for an invoice KSeF numbered. Written with quick-xml; a writer into memory does
/// not fail, and were it to, the receipt would be empty rather than the server stop.
pub(super) fn invoice_upo(
    session: &str,
    nip: &str,
    ksef_number: &str,
    summary: &Fa3Summary,
    hash: &str,
    offline: bool,
) -> String {
    let now = now_text();
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let leaf = |w: &mut Writer<Vec<u8>>, name: &str, text: &str| {
        w.create_element(name)
            .write_text_content(BytesText::new(text))
            .map(|_| ())
    };
    let written: std::io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.write_event(Event::Start(
            BytesStart::new("Potwierdzenie").with_attributes([("xmlns", NAMESPACE)]),
        ))?;
        leaf(
            &mut w,
            "NazwaPodmiotuPrzyjmujacego",
            "Ministerstwo Finansów (lokalny serwer testowy e-BOK)",
        )?;
        leaf(&mut w, "NumerReferencyjnySesji", session)?;
        w.write_event(Event::Start(BytesStart::new("Uwierzytelnienie")))?;
        w.write_event(Event::Start(BytesStart::new("IdKontekstu")))?;
        leaf(&mut w, "Nip", nip)?;
        w.write_event(Event::End(BytesEnd::new("IdKontekstu")))?;
        leaf(&mut w, "SkrotDokumentuUwierzytelniajacego", hash)?;
        w.write_event(Event::End(BytesEnd::new("Uwierzytelnienie")))?;
        leaf(&mut w, "NazwaStrukturyLogicznej", "Schemat_FA(3)_v1-0E.xsd")?;
        leaf(&mut w, "KodFormularza", "FA (3)")?;
        w.write_event(Event::Start(BytesStart::new("Dokument")))?;
        leaf(&mut w, "NipSprzedawcy", nip)?;
        leaf(&mut w, "NumerKSeFDokumentu", ksef_number)?;
        leaf(&mut w, "NumerFaktury", &summary.number)?;
        leaf(&mut w, "DataWystawieniaFaktury", &summary.issue_date)?;
        leaf(&mut w, "DataPrzeslaniaDokumentu", &now)?;
        leaf(&mut w, "DataNadaniaNumeruKSeF", &now)?;
        leaf(&mut w, "SkrotDokumentu", hash)?;
        leaf(
            &mut w,
            "TrybWysylki",
            if offline { "Offline" } else { "Online" },
        )?;
        w.write_event(Event::End(BytesEnd::new("Dokument")))?;
        w.write_event(Event::End(BytesEnd::new("Potwierdzenie")))
    })();
    match written {
        Ok(()) => String::from_utf8(w.into_inner()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}
