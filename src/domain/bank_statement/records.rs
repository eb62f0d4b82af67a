//! Delimited records as banks export them (CSV with `;` or `,`, Elixir-0 with `,`): a field may
//! be in double quotes, `""` is a quote inside quotes, and a quoted field may span lines (a
//! title typed with a line break), so a record is not always one line.

use super::StatementError;

/// One record and the line of the file it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Record {
    /// A line with nothing on it but separators and spaces.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Splits the text into records at line breaks outside quotes, and cells at `separator`.
pub(super) fn records(text: &str, separator: char) -> Result<Vec<Record>, StatementError> {
    let mut records = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    // The cell began with a quote: what follows its closing quote is kept as typed.
    let mut opened_at: Option<(usize, usize)> = None;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    cell.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            '"' if cell.trim().is_empty() && opened_at.is_none() => {
                cell.clear();
                quoted = true;
                opened_at = Some((line, cells.len() + 1));
            }
            '\r' => {}
            '\n' => {
                line += 1;
                if quoted {
                    cell.push('\n');
                } else {
                    cells.push(std::mem::take(&mut cell));
                    records.push(Record {
                        line: record_line,
                        cells: std::mem::take(&mut cells),
                    });
                    opened_at = None;
                    record_line = line;
                }
            }
            c if c == separator && !quoted => {
                cells.push(std::mem::take(&mut cell));
                opened_at = None;
            }
            c => cell.push(c),
        }
    }
    if quoted {
        let (line, column) = opened_at.unwrap_or((record_line, cells.len() + 1));
        return Err(StatementError::UnclosedQuote { line, column });
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(cell);
        records.push(Record {
            line: record_line,
            cells,
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str, separator: char) -> Vec<(usize, Vec<String>)> {
        records(text, separator)
            .unwrap()
            .into_iter()
            .map(|r| (r.line, r.cells))
            .collect()
    }

    #[test]
    fn quotes_separators_and_line_breaks_inside_quotes() {
        let got = cells(
            "a;\"b;c\";\"say \"\"hi\"\"\"\r\n\"two\r\nlines\";x\n\nlast",
            ';',
        );
        assert_eq!(
            got,
            vec![
                (1, vec!["a".into(), "b;c".into(), "say \"hi\"".into()]),
                (2, vec!["two\nlines".into(), "x".into()]),
                (4, vec!["".into()]),
                (5, vec!["last".into()]),
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_names_where_it_opened() {
        assert_eq!(
            records("a;b\nc;\"open\nmore;", ';'),
            Err(StatementError::UnclosedQuote { line: 2, column: 2 })
        );
    }
}
