//! Tera filters: money and dates are formatted here, never by hand in templates.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use tera::{self, Tera, Value};

use crate::domain::Money;
use crate::i18n::Lang;

pub fn register(tera: &mut Tera) {
    tera.register_filter("money", money);
    tera.register_filter("date", date);
    tera.register_filter("datetime", datetime);
    tera.register_filter("bytes", bytes);
    // The first names, kept so older templates read the same; they take `lang` too.
    tera.register_filter("date_pl", date);
    tera.register_filter("datetime_pl", datetime);
    tera.register_function("t", crate::i18n::TeraFunction);
}

/// The `lang=` argument of a filter; Polish when absent.
fn lang_of(args: &HashMap<String, Value>) -> Lang {
    args.get("lang")
        .and_then(Value::as_str)
        .and_then(Lang::parse)
        .unwrap_or_default()
}

/// Integer grosze → "1 234,56 zł" (Polish) or "PLN 1,234.56" (English).
fn money(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let grosze = value.as_i64().ok_or_else(|| {
        tera::Error::msg(format!("money: expected grosze as an integer, got {value}"))
    })?;
    let money = Money::from_grosze(grosze);
    Ok(Value::String(match lang_of(args) {
        Lang::Pl => money.to_string(),
        Lang::En => money.to_english(),
    }))
}

/// A byte count → "1,2 GB" (Polish) or "1.2 GB" (English).
fn bytes(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let bytes = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg(format!("bytes: expected a byte count, got {value}")))?;
    Ok(Value::String(crate::domain::traffic::human_bytes(
        bytes,
        lang_of(args) == Lang::Pl,
    )))
}

/// "2026-11-21" (or a timestamp) → "21.11.2026" (Polish) or "21 Nov 2026" (English).
fn date(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("date: expected a date"))?;
    let date = NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map_err(|e| tera::Error::msg(format!("date: {text}: {e}")))?;
    let format = match lang_of(args) {
        Lang::Pl => "%d.%m.%Y",
        Lang::En => "%-d %b %Y",
    };
    Ok(Value::String(date.format(format).to_string()))
}

/// A UTC timestamp → Polish local time, "21.11.2026 14:05" (English: "21 Nov 2026 14:05").
fn datetime(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("datetime: expected a timestamp"))?;
    let utc = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .map_err(|e| tera::Error::msg(format!("datetime: {text}: {e}")))?;
    let local = utc.and_utc().with_timezone(&chrono_tz::Europe::Warsaw);
    let format = match lang_of(args) {
        Lang::Pl => "%d.%m.%Y %H:%M",
        Lang::En => "%-d %b %Y %H:%M",
    };
    Ok(Value::String(local.format(format).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(
        filter: fn(&Value, &HashMap<String, Value>) -> tera::Result<Value>,
        value: Value,
    ) -> String {
        filter(&value, &HashMap::new())
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn money_is_polish() {
        assert_eq!(apply(money, Value::from(123_456)), "1 234,56 zł");
        assert!(money(&Value::from("12"), &HashMap::new()).is_err());
    }

    #[test]
    fn english_pages_get_english_money_and_dates() {
        let en = HashMap::from([("lang".to_owned(), Value::from("en"))]);
        assert_eq!(
            money(&Value::from(123_456), &en).unwrap(),
            Value::from("PLN 1,234.56")
        );
        assert_eq!(
            money(&Value::from(-5), &en).unwrap(),
            Value::from("PLN -0.05")
        );
        assert_eq!(
            date(&Value::from("2026-11-02"), &en).unwrap(),
            Value::from("2 Nov 2026")
        );
    }

    #[test]
    fn dates_are_day_month_year() {
        assert_eq!(apply(date, Value::from("2026-11-02")), "02.11.2026");
    }

    #[test]
    fn timestamps_are_shown_in_polish_time_across_dst() {
        assert_eq!(
            apply(datetime, Value::from("2026-07-01T10:00:00")),
            "01.07.2026 12:00"
        );
        assert_eq!(
            apply(datetime, Value::from("2026-11-21T10:00:00.123456")),
            "21.11.2026 11:00"
        );
    }
}
