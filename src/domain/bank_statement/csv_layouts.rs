//! The CSV exports of the banks Polish ISPs keep their accounts at, recognised by their header
//! line. Written from the banks' published descriptions of their history exports (and, where a
//! bank publishes none, from the header line its export carries). Header names are compared
//! after [`normalize`]: case, a leading `#` (mBank), spaces and spaces around `/` do not count.

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Column {
    /// The date the bank booked the transaction; preferred when the file gives it.
    BookingDate,
    /// The transaction (or value) date.
    Date,
    /// Signed amount: negative for money paid out.
    Amount,
    /// Money received, in a column of its own (Millennium's "Uznania").
    Credit,
    /// Money paid out, in a column of its own (Millennium's "Obciążenia").
    Debit,
    Currency,
    Title,
    Payer,
    PayerAccount,
    AccountTo,
    /// The bank's own transaction id.
    Reference,
    /// The payer's own reference: repeated by payers, so never a transaction's identity.
    CustomerReference,
    /// Not read, but part of what tells one bank's header from another's.
    Marker,
    /// PKO BP: "Opis transakcji" and the unnamed columns after it, each "Label: value".
    Details,
}

/// One bank's export: the columns read, each with the header names it goes by.
pub(super) struct Layout {
    pub name: &'static str,
    pub columns: &'static [(Column, &'static [&'static str])],
}

/// Checked in this order; a layout is recognised when every column it reads is in the header.
/// Layouts whose headers are a subset of another's come after it.
pub(super) const LAYOUTS: &[Layout] = &[
    Layout {
        name: "PKO BP",
        columns: &[
            (Column::Date, &["data operacji"]),
            (Column::Amount, &["kwota"]),
            (Column::Currency, &["waluta"]),
            (Column::Details, &["opis transakcji"]),
            (Column::Marker, &["typ transakcji"]),
        ],
    },
    Layout {
        name: "mBank",
        columns: &[
            (Column::BookingDate, &["data księgowania"]),
            (Column::Date, &["data operacji"]),
            (Column::Title, &["tytuł"]),
            (Column::Payer, &["nadawca/odbiorca"]),
            (Column::PayerAccount, &["numer konta"]),
            (Column::Amount, &["kwota"]),
        ],
    },
    Layout {
        name: "mBank",
        columns: &[
            (Column::Date, &["data operacji"]),
            (Column::Title, &["opis operacji"]),
            (Column::Amount, &["kwota"]),
        ],
    },
    Layout {
        name: "ING Bank Śląski",
        columns: &[
            (Column::Date, &["data transakcji"]),
            (Column::BookingDate, &["data księgowania"]),
            (Column::Payer, &["dane kontrahenta"]),
            (Column::Title, &["tytuł"]),
            (Column::PayerAccount, &["nr rachunku"]),
            (Column::Reference, &["nr transakcji"]),
            (Column::Amount, &["kwota transakcji (waluta rachunku)"]),
            (Column::Currency, &["waluta"]),
        ],
    },
    Layout {
        name: "Pekao",
        columns: &[
            (Column::BookingDate, &["data księgowania"]),
            (Column::Date, &["data waluty"]),
            (Column::Payer, &["nadawca/odbiorca"]),
            (Column::PayerAccount, &["rachunek źródłowy"]),
            (Column::AccountTo, &["rachunek docelowy"]),
            (Column::Title, &["tytułem", "tytuł"]),
            (Column::Amount, &["kwota operacji"]),
            (Column::Currency, &["waluta"]),
            (Column::Reference, &["numer referencyjny"]),
        ],
    },
    Layout {
        name: "Millennium",
        columns: &[
            (Column::Date, &["data transakcji"]),
            (Column::BookingDate, &["data rozliczenia"]),
            (Column::PayerAccount, &["na konto/z konta"]),
            (Column::Payer, &["odbiorca/zleceniodawca"]),
            (Column::Title, &["opis"]),
            (Column::Debit, &["obciążenia"]),
            (Column::Credit, &["uznania"]),
            (Column::Currency, &["waluta"]),
        ],
    },
    Layout {
        name: "Santander",
        columns: &[
            (Column::Date, &["data operacji"]),
            (Column::BookingDate, &["data księgowania"]),
            (Column::Title, &["opis transakcji", "tytuł"]),
            (Column::PayerAccount, &["rachunek nadawcy/odbiorcy"]),
            (Column::Payer, &["nazwa nadawcy/odbiorcy"]),
            (Column::Amount, &["kwota"]),
            (Column::Currency, &["waluta"]),
        ],
    },
];

/// A header cell as compared: "#Nadawca / Odbiorca " → "nadawca/odbiorca".
pub(super) fn normalize(header: &str) -> String {
    let lower = header.trim().trim_start_matches('#').trim().to_lowercase();
    lower
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" /", "/")
        .replace("/ ", "/")
}

/// The layout a header line is, with the position of each column it reads.
pub(super) fn recognise(header: &[String]) -> Option<(&'static Layout, Vec<(Column, usize)>)> {
    let names: Vec<String> = header.iter().map(|h| normalize(h)).collect();
    LAYOUTS.iter().find_map(|layout| {
        let positions: Option<Vec<(Column, usize)>> = layout
            .columns
            .iter()
            .map(|(column, aliases)| {
                names
                    .iter()
                    .position(|name| aliases.contains(&name.as_str()))
                    .map(|i| (*column, i))
            })
            .collect();
        positions.map(|p| (layout, p))
    })
}

/// PKO BP's description cells: "Tytuł: …", "Nazwa nadawcy: …", "Rachunek nadawcy: …".
pub(super) fn detail_label(cell: &str) -> Option<(Column, &str)> {
    let (label, value) = cell.split_once(':')?;
    let column = match normalize(label).as_str() {
        "tytuł" => Column::Title,
        "nazwa nadawcy" | "nazwa zleceniodawcy" => Column::Payer,
        "rachunek nadawcy" | "rachunek zleceniodawcy" => Column::PayerAccount,
        "rachunek odbiorcy" => Column::AccountTo,
        "referencje własne zleceniodawcy" => Column::CustomerReference,
        // Known, and not part of the title.
        "adres nadawcy" | "adres odbiorcy" | "nazwa odbiorcy" | "lokalizacja" | "numer karty" => {
            Column::Marker
        }
        _ => return None,
    };
    Some((column, value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str, separator: char) -> Vec<String> {
        text.split(separator)
            .map(|c| c.trim_matches('"').to_owned())
            .collect()
    }

    #[test]
    fn each_bank_is_recognised_by_its_header() {
        let cases = [
            (
                "\"Data operacji\",\"Data waluty\",\"Typ transakcji\",\"Kwota\",\"Waluta\",\"Saldo po transakcji\",\"Opis transakcji\",\"\",\"\"",
                ',',
                "PKO BP",
            ),
            (
                "#Data księgowania;#Data operacji;#Opis operacji;#Tytuł;#Nadawca/Odbiorca;#Numer konta;#Kwota;#Saldo po operacji;",
                ';',
                "mBank",
            ),
            (
                "#Data operacji;#Opis operacji;#Rachunek;#Kategoria;#Kwota;#Saldo po operacji;",
                ';',
                "mBank",
            ),
            (
                "\"Data transakcji\";\"Data księgowania\";\"Dane kontrahenta\";\"Tytuł\";\"Nr rachunku\";\"Nazwa banku\";\"Szczegóły\";\"Nr transakcji\";\"Kwota transakcji (waluta rachunku)\";\"Waluta\";\"Kwota blokady/zwolnienie blokady\";\"Waluta\";;",
                ';',
                "ING Bank Śląski",
            ),
            (
                "Data księgowania;Data waluty;Nadawca / Odbiorca;Adres nadawcy / odbiorcy;Rachunek źródłowy;Rachunek docelowy;Tytułem;Kwota operacji;Waluta;Numer referencyjny;Typ operacji;Kategoria",
                ';',
                "Pekao",
            ),
            (
                "\"Numer rachunku/karty\",\"Data transakcji\",\"Data rozliczenia\",\"Rodzaj transakcji\",\"Na konto/Z konta\",\"Odbiorca/Zleceniodawca\",\"Opis\",\"Obciążenia\",\"Uznania\",\"Saldo\",\"Waluta\"",
                ',',
                "Millennium",
            ),
            (
                "Data operacji;Data księgowania;Opis transakcji;Rachunek nadawcy/odbiorcy;Nazwa nadawcy/odbiorcy;Kwota;Saldo;Waluta",
                ';',
                "Santander",
            ),
        ];
        for (line, separator, bank) in cases {
            let (layout, _) = recognise(&header(line, separator)).expect(bank);
            assert_eq!(layout.name, bank, "{line}");
        }
        assert!(recognise(&header("date;amount;title", ';')).is_none());
    }
}
