//! `cargo bench --bench invoices`: invoice PDFs per second and their size, our renderer (font
//! subset once) beside printpdf's default (font subset in every document), in one run on all
//! cores; then the whole issuing path (numbering, database, PDF, file) on SQLite.
//!
//! Targets (issue "E-invoices"): at least 2 000 PDFs per second on 2 cores, at most 40 KB each.

use ebok::domain::CustomerId;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ebok::pdf::{InvoiceView, LineView, LinesSection, PartyView, PdfRenderer, RateView};

/// An invoice of three lines with the payment QR; with `kod_i`, also KOD I as an invoice sent to
/// KSeF carries it (the verification link and the KSeF number under it).
fn view(number: usize, kod_i: bool) -> InvoiceView {
    let line = |position: usize, name: &str, price: &str, net: &str, vat: &str| LineView {
        position: format!("{position}."),
        name: name.into(),
        unit: "usł.".into(),
        quantity: "1".into(),
        unit_price: price.into(),
        net: net.into(),
        rate: "23%".into(),
        vat: vat.into(),
        gross: price.into(),
    };
    InvoiceView {
        title: "Faktura VAT".into(),
        number: format!("FV/2026/11/{number:06}"),
        dates: vec![
            ("Data wystawienia".into(), "01.11.2026".into()),
            (
                "Okres rozliczeniowy".into(),
                "01.11.2026 – 30.11.2026".into(),
            ),
        ],
        seller: PartyView {
            heading: "Sprzedawca".into(),
            name: "Przykładowy Operator Sp. z o.o.".into(),
            lines: vec![
                "ul. Światłowodowa 1".into(),
                "62-800 Kalisz".into(),
                "NIP: 618-200-71-45".into(),
            ],
        },
        buyer: PartyView {
            heading: "Nabywca".into(),
            name: "Małgorzata Wiśniewska-Żółkiewska".into(),
            lines: vec![
                "ul. Źródlana 12/4".into(),
                "63-400 Ostrów Wielkopolski".into(),
                format!("Nr klienta: {number}"),
            ],
        },
        notes_top: Vec::new(),
        price_label: "Cena brutto".into(),
        line_value: ebok::pdf::LineValue::Gross,
        sections: vec![LinesSection {
            title: None,
            lines: vec![
                line(
                    1,
                    "Internet Światłowód 600/60 — abonament",
                    "79,99",
                    "65,03",
                    "14,96",
                ),
                line(2, "Stały publiczny adres IP", "10,00", "8,13", "1,87"),
                line(3, "Pakiet TV Start", "29,99", "24,38", "5,61"),
            ],
        }],
        summary_title: "Stawka".into(),
        summary: vec![RateView {
            rate: "23%".into(),
            net: "97,54".into(),
            vat: "22,44".into(),
            gross: "119,98".into(),
        }],
        summary_total: RateView {
            rate: "Razem".into(),
            net: "97,54".into(),
            vat: "22,44".into(),
            gross: "119,98".into(),
        },
        amount_due_label: "Do zapłaty".into(),
        amount_due: "119,98 zł".into(),
        amount_in_words: "sto dziewiętnaście złotych 98/100".into(),
        payment: vec![
            ("Termin płatności".into(), "15.11.2026".into()),
            ("Forma płatności".into(), "przelew".into()),
            (
                "Numer rachunku".into(),
                "73 1020 1026 7777 0000 0000 0001".into(),
            ),
            ("Tytuł przelewu".into(), format!("FV/2026/11/{number:06}")),
        ],
        notes_bottom: Vec::new(),
        qr_payload: Some(format!(
            "6182007145|PL|73102010267777000000000001|011998|Przykładowy Operator|FV/2026/11/{number:06}|||"
        )),
        qr_caption: "Zeskanuj w aplikacji banku, aby zapłacić".into(),
        verification: kod_i.then(|| ebok::pdf::VerificationQr {
            url: format!(
                "https://qr.ksef.mf.gov.pl/invoice/6182007145/01-11-2026/{}",
                "UtQp9Gpc51y-u3xApZjIjgkpZ01js-J8KflSPW8WzIE"
            ),
            label: format!("6182007145-20261101-0100{number:06}-A1"),
        }),
        certificate: None,
        footer: "Przykładowy Operator Sp. z o.o. · NIP 618-200-71-45 · faktura wystawiona w e-BOK"
            .into(),
    }
}

/// Renders for `duration` on `threads` threads; returns (PDFs per second, average bytes).
fn measure(
    renderer: &PdfRenderer,
    threads: usize,
    duration: Duration,
    kod_i: bool,
) -> (f64, usize) {
    let done = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for thread in 0..threads {
            let (done, bytes) = (&done, &bytes);
            scope.spawn(move || {
                let mut n = thread * 1_000_000;
                while started.elapsed() < duration {
                    let pdf = renderer.render_invoice(&view(n, kod_i));
                    bytes.fetch_add(pdf.len(), Ordering::Relaxed);
                    done.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
            });
        }
    });
    let count = done.load(Ordering::Relaxed).max(1);
    (
        count as f64 / started.elapsed().as_secs_f64(),
        bytes.load(Ordering::Relaxed) / count,
    )
}

fn issuing_path() -> (f64, usize) {
    use ebok::app::invoicing::{self, Invoicing, IssueRequest, LineRequest, PdfStore};
    use ebok::domain::{Money, VatRate};
    let dir = tempfile::tempdir().expect("temp dir");
    let config = ebok::Config::for_data_dir(dir.path(), None).expect("config");
    let pool = ebok::db::open(&config.database.url, 2).expect("database");
    let mut conn = pool.get().expect("connection");
    ebok::app::demo::seed(&mut conn, &config, &ebok::app::demo::DemoOptions::quiet(50))
        .expect("demo");
    let renderer = PdfRenderer::new().expect("fonts");
    let store = PdfStore::new(&config.paths.invoices_dir);
    let ctx = Invoicing {
        renderer: &renderer,
        store: &store,
        outgoing: None,
    };
    let customers: Vec<CustomerId> = (3..53)
        .filter_map(|n| {
            ebok::db::customers::find_by_number(&mut conn, n)
                .ok()
                .flatten()
                .map(|c| c.id)
        })
        .collect();
    let today = ebok::app::clock::today();
    let count = 1_000;
    let started = Instant::now();
    for i in 0..count {
        let request = IssueRequest {
            customer_id: customers[i % customers.len()],
            contract_id: None,
            series_code: "FV".into(),
            issue_date: today,
            sale_date: None,
            period: None,
            payment_days: 14,
            lines: vec![LineRequest {
                name: "Internet Światłowód 600/60 — abonament".into(),
                unit: "usł.".into(),
                quantity: rust_decimal::Decimal::ONE,
                unit_price: Money::from_grosze(7_999),
                rate: VatRate::Standard23,
                service_id: None,
                subscription: None,
            }],
            annex_15_goods: false,
            invoiced_by: ebok::domain::subscription_periods::InvoicedBy::Manual,
            actor: Default::default(),
        };
        invoicing::issue_invoice(&mut conn, &ctx, &request, ebok::app::clock::now())
            .expect("issued");
    }
    (count as f64 / started.elapsed().as_secs_f64(), count)
}

fn main() {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let window = Duration::from_secs(5);
    let ours = PdfRenderer::new().expect("fonts");
    // For profiling: `EBOK_BENCH_ONLY_RENDERER=1 perf record … target/release/deps/invoices-*`.
    // `EBOK_BENCH_ONLY_RENDERER=kod-i`: the invoice with KOD I.
    if let Some(only) = std::env::var_os("EBOK_BENCH_ONLY_RENDERER") {
        let kod_i = only == "kod-i";
        let (rate, size) = measure(&ours, threads, window, kod_i);
        println!("e-BOK renderer (KOD I: {kod_i}): {rate:.0} PDFs/s, {size} bytes");
        return;
    }
    let naive = PdfRenderer::subsetting_per_document().expect("fonts");
    // Warm up both (page faults, allocator) before measuring.
    let _ = measure(&ours, threads, Duration::from_millis(300), false);
    let _ = measure(&naive, threads, Duration::from_millis(300), false);
    let (ours_rate, ours_size) = measure(&ours, threads, window, false);
    let (naive_rate, naive_size) = measure(&naive, threads, window, false);
    let (kod_i_rate, kod_i_size) = measure(&ours, threads, window, true);
    println!(
        "invoice PDFs on {threads} threads, {}s each:",
        window.as_secs()
    );
    println!(
        "  e-BOK renderer (font subset once): {ours_rate:8.0} PDFs/s, {:6.1} KB average",
        ours_size as f64 / 1024.0
    );
    println!(
        "  printpdf default (subset per PDF): {naive_rate:8.0} PDFs/s, {:6.1} KB average",
        naive_size as f64 / 1024.0
    );
    println!(
        "  speed-up: {:.1}x; target >= 2000 PDFs/s and <= 40 KB: {}",
        ours_rate / naive_rate,
        if ours_rate >= 2000.0 && ours_size <= 40 * 1024 {
            "met"
        } else {
            "NOT met"
        }
    );
    println!(
        "  with KOD I (a second QR code):     {kod_i_rate:8.0} PDFs/s, {:6.1} KB average ({:+.1} % time per PDF)",
        kod_i_size as f64 / 1024.0,
        (ours_rate / kod_i_rate - 1.0) * 100.0
    );
    let (issue_rate, issued) = issuing_path();
    println!(
        "whole issuing path on SQLite (one writer: number, rows, PDF, file, fsync): {issue_rate:.0} invoices/s over {issued}"
    );
}
