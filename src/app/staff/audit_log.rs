//! The staff-wide audit log (admins): who did what, when and from where, narrowed by staff
//! member, customer, kind and dates, and exported as CSV for whoever audits the audit.

use crate::domain::CustomerId;
use chrono::{Days, NaiveDate, NaiveDateTime};

use crate::app::audit::readable_details;
use crate::db::audit::{self, AuditFilter};
use crate::db::{self, DbConn};

/// The most entries a page shows; the CSV export takes more.
pub const PAGE_LIMIT: i64 = 200;
pub const EXPORT_LIMIT: i64 = 50_000;

/// The filter as typed in the form (`?staff=&customer=&kind=&from=&to=`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AuditLogQuery {
    pub staff: String,
    pub customer: String,
    pub kind: String,
    /// `YYYY-MM-DD`, inclusive, as the date inputs send them.
    pub from: String,
    pub to: String,
}

/// A field of the filter that could not be read, with the message key that says why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FilterProblem {
    pub field: &'static str,
    pub message: &'static str,
}

impl AuditLogQuery {
    /// The database filter, and what could not be read (left out of the filter, and told).
    pub fn filter(&self) -> (AuditFilter, Vec<FilterProblem>) {
        let mut problems = Vec::new();
        let mut number = |field: &'static str, text: &str| -> Option<i64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = text.parse().ok().filter(|n: &i64| *n > 0);
            if parsed.is_none() {
                problems.push(FilterProblem {
                    field,
                    message: "staff-audit-log-error-number",
                });
            }
            parsed
        };
        let staff_id = number("staff", &self.staff);
        let customer_number = number("customer", &self.customer);
        let mut date = |field: &'static str, text: &str| -> Option<NaiveDate> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            if parsed.is_none() {
                problems.push(FilterProblem {
                    field,
                    message: "staff-audit-log-error-date",
                });
            }
            parsed
        };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        let kind = self.kind.trim();
        let filter = AuditFilter {
            staff_id,
            customer_number,
            action: (!kind.is_empty()).then(|| kind.to_owned()),
            from: from.and_then(|d| d.and_hms_opt(0, 0, 0)),
            // "to" is inclusive: everything before the next day's midnight.
            until: to
                .and_then(|d| d.checked_add_days(Days::new(1)))
                .and_then(|d| d.and_hms_opt(0, 0, 0)),
        };
        (filter, problems)
    }
}

/// One entry as the page and the CSV show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditLogEntry {
    pub at: NaiveDateTime,
    pub action: String,
    pub actor_kind: String,
    pub staff_login: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub customer_number: Option<i64>,
    pub ip: Option<String>,
    pub details: Vec<String>,
}

pub fn entries(
    conn: &mut DbConn,
    filter: &AuditFilter,
    limit: i64,
) -> diesel::QueryResult<Vec<AuditLogEntry>> {
    Ok(audit::search(conn, filter, limit)?
        .into_iter()
        .map(|(entry, staff_login, customer_number)| AuditLogEntry {
            at: entry.at,
            action: entry.action,
            actor_kind: entry.actor_kind,
            staff_login,
            customer_id: entry.customer_id,
            customer_number,
            ip: entry.ip,
            details: readable_details(&entry.details),
        })
        .collect())
}

/// The filter's choices: staff members (id, login) and the kinds the log holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FilterChoices {
    pub staff: Vec<(i64, String)>,
    pub kinds: Vec<String>,
}

/// The log page: the entries the filter selects (at most `limit`) and the filter's choices.
pub fn page(
    conn: &mut DbConn,
    filter: &AuditFilter,
    limit: i64,
) -> diesel::QueryResult<(Vec<AuditLogEntry>, FilterChoices)> {
    Ok((entries(conn, filter, limit)?, choices(conn)?))
}

pub fn choices(conn: &mut DbConn) -> diesel::QueryResult<FilterChoices> {
    Ok(FilterChoices {
        staff: db::staff::all_active(conn)?
            .into_iter()
            .map(|s| (s.id, s.login))
            .collect(),
        kinds: audit::actions(conn)?,
    })
}

/// CSV for a spreadsheet: `;`-separated (what Polish Excel expects), every field quoted, a
/// header row, UTF-8 with a BOM so the Polish letters open right. `describe` turns an event
/// code into words in the reader's language.
pub fn to_csv(
    entries: &[AuditLogEntry],
    header: [&str; 7],
    describe: impl Fn(&str) -> String,
) -> String {
    fn field(text: &str) -> String {
        // A leading = + - @ would be a formula to a spreadsheet: quote it as text.
        let text = if text.starts_with(['=', '+', '-', '@']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        format!("\"{}\"", text.replace('"', "\"\""))
    }
    let mut out = String::from("\u{feff}");
    out.push_str(&header.map(field).join(";"));
    out.push_str("\r\n");
    for entry in entries {
        let who = entry
            .staff_login
            .clone()
            .unwrap_or_else(|| entry.actor_kind.clone());
        let row = [
            entry.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            who,
            entry
                .customer_number
                .map(|n| n.to_string())
                .unwrap_or_default(),
            describe(&entry.action),
            entry.action.clone(),
            entry.ip.clone().unwrap_or_default(),
            entry.details.join("; "),
        ];
        out.push_str(&row.iter().map(|f| field(f)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_filters_become_a_filter_and_bad_ones_are_told() {
        let query = AuditLogQuery {
            staff: "2".into(),
            customer: "x1".into(),
            kind: " login_success ".into(),
            from: "2026-12-01".into(),
            to: "2026-12-05".into(),
        };
        let (filter, problems) = query.filter();
        assert_eq!(filter.staff_id, Some(2));
        assert_eq!(filter.customer_number, None);
        assert_eq!(filter.action.as_deref(), Some("login_success"));
        assert_eq!(
            filter.until.map(|t| t.to_string()).as_deref(),
            Some("2026-12-06 00:00:00")
        );
        assert_eq!(
            problems,
            vec![FilterProblem {
                field: "customer",
                message: "staff-audit-log-error-number"
            }]
        );
        let (_, problems) = AuditLogQuery {
            from: "05.12.2026".into(),
            ..AuditLogQuery::default()
        }
        .filter();
        assert_eq!(problems[0].field, "from");
    }

    #[test]
    fn csv_quotes_fields_and_defuses_formulas() {
        let entry = AuditLogEntry {
            at: NaiveDate::from_ymd_opt(2026, 12, 5)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .unwrap(),
            action: "login_failure".into(),
            actor_kind: "anonymous".into(),
            staff_login: None,
            customer_id: None,
            customer_number: None,
            ip: Some("203.0.113.7".into()),
            details: vec!["user_agent: =HYPERLINK(\"x\")".into()],
        };
        let csv = to_csv(&[entry], ["a", "b", "c", "d", "e", "f", "g"], |_| {
            "Nieudane logowanie".into()
        });
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "\u{feff}\"a\";\"b\";\"c\";\"d\";\"e\";\"f\";\"g\""
        );
        assert!(
            lines[1]
                .starts_with("\"2026-12-05 10:00:00\";\"anonymous\";\"\";\"Nieudane logowanie\"")
        );
        assert!(
            lines[1].contains("\"user_agent: =HYPERLINK(\"\"x\"\")\""),
            "{}",
            lines[1]
        );
    }
}
