//! Tera filters: money and dates are formatted here, never by hand in templates.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rocket_dyn_templates::tera::{self, Tera, Value};

use crate::domain::Money;

pub fn register(tera: &mut Tera) {
    tera.register_filter("money", money);
    tera.register_filter("date_pl", date_pl);
    tera.register_filter("datetime_pl", datetime_pl);
}

/// Integer grosze → "1 234,56 zł".
fn money(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let grosze = value.as_i64().ok_or_else(|| {
        tera::Error::msg(format!("money: expected grosze as an integer, got {value}"))
    })?;
    Ok(Value::String(Money::from_grosze(grosze).to_string()))
}

/// "2026-11-21" (or a timestamp) → "21.11.2026".
fn date_pl(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("date_pl: expected a date"))?;
    let date = NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map_err(|e| tera::Error::msg(format!("date_pl: {text}: {e}")))?;
    Ok(Value::String(date.format("%d.%m.%Y").to_string()))
}

/// A UTC timestamp → Polish local time, "21.11.2026 14:05".
fn datetime_pl(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("datetime_pl: expected a timestamp"))?;
    let utc = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .map_err(|e| tera::Error::msg(format!("datetime_pl: {text}: {e}")))?;
    let local = utc.and_utc().with_timezone(&chrono_tz::Europe::Warsaw);
    Ok(Value::String(local.format("%d.%m.%Y %H:%M").to_string()))
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
    fn dates_are_day_month_year() {
        assert_eq!(apply(date_pl, Value::from("2026-11-02")), "02.11.2026");
    }

    #[test]
    fn timestamps_are_shown_in_polish_time_across_dst() {
        assert_eq!(
            apply(datetime_pl, Value::from("2026-07-01T10:00:00")),
            "01.07.2026 12:00"
        );
        assert_eq!(
            apply(datetime_pl, Value::from("2026-11-21T10:00:00.123456")),
            "21.11.2026 11:00"
        );
    }
}
