//! Writing the audit trail from use cases.

use crate::domain::CustomerId;
use chrono::NaiveDateTime;
use serde_json::Value;

use crate::db::audit::NewAuditEntry;
use crate::db::{self, DbConn};

/// Who did it, from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub customer_id: Option<CustomerId>,
    pub ip: Option<String>,
    /// The name of the API token a call of the JSON API came with (recorded as a `system`
    /// actor, the token's name in the details).
    pub api_token: Option<String>,
}

impl Actor {
    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor {
            ip,
            ..Actor::default()
        }
    }

    pub fn account(account_id: i64, customer_id: CustomerId, ip: Option<String>) -> Actor {
        Actor {
            account_id: Some(account_id),
            customer_id: Some(customer_id),
            ip,
            ..Actor::default()
        }
    }

    pub fn staff(staff_id: i64, ip: Option<String>) -> Actor {
        Actor {
            staff_id: Some(staff_id),
            ip,
            ..Actor::default()
        }
    }

    /// A call of the JSON API made with the token named `name`.
    pub fn api(name: &str, ip: Option<String>) -> Actor {
        Actor {
            api_token: Some(name.to_owned()),
            ip,
            ..Actor::default()
        }
    }

    fn kind(&self) -> &'static str {
        if self.api_token.is_some() {
            return "system";
        }
        match (self.account_id, self.staff_id) {
            (Some(_), _) => "customer",
            (None, Some(_)) => "staff",
            (None, None) => "anonymous",
        }
    }
}

pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    action: &str,
    details: Value,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    db::audit::insert(conn, &entry(actor, action, details, now)).map(|_| ())
}

/// The row [`record`] writes, for a bulk load that writes many at once.
pub fn entry(actor: &Actor, action: &str, mut details: Value, now: NaiveDateTime) -> NewAuditEntry {
    if let (Some(name), Value::Object(fields)) = (&actor.api_token, &mut details) {
        fields.insert("api_token".into(), Value::String(name.clone()));
    }
    NewAuditEntry {
        at: now,
        actor_kind: actor.kind().into(),
        actor_account_id: actor.account_id,
        actor_staff_id: actor.staff_id,
        customer_id: actor.customer_id,
        ip: actor.ip.clone(),
        action: action.into(),
        details: details.to_string(),
    }
}

impl Actor {
    /// The same actor, acting on one customer's records (so the customer card's audit trail
    /// finds the entry).
    pub fn for_customer(&self, customer_id: CustomerId) -> Actor {
        Actor {
            customer_id: Some(customer_id),
            ..self.clone()
        }
    }
}

/// An entry's details as lines a person reads ("reason: code", "before.mac: 02:…"), instead of
/// the stored JSON: nested objects by dotted keys, lists joined, long values cut.
pub fn readable_details(stored: &str) -> Vec<String> {
    fn walk(prefix: &str, value: &Value, lines: &mut Vec<String>) {
        match value {
            Value::Object(fields) => {
                for (key, value) in fields {
                    let key = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(&key, value, lines);
                }
            }
            other if prefix.is_empty() => lines.push(shown(other)),
            other => lines.push(format!("{prefix}: {}", shown(other))),
        }
    }
    fn shown(value: &Value) -> String {
        const LONGEST: usize = 120;
        let text = match value {
            Value::Null => "—".to_owned(),
            Value::String(text) => text.clone(),
            Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
            other => other.to_string(),
        };
        if text.chars().count() > LONGEST {
            format!("{}…", text.chars().take(LONGEST).collect::<String>())
        } else {
            text
        }
    }
    let mut lines = Vec::new();
    match serde_json::from_str::<Value>(stored) {
        Ok(value) => walk("", &value, &mut lines),
        Err(_) => lines.push(stored.to_owned()),
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::readable_details;

    #[test]
    fn details_read_as_lines_not_json() {
        assert_eq!(
            readable_details(
                r#"{"reason":"code","before":{"mac":null,"ip":"10.0.0.1"},"ids":[1,2]}"#
            ),
            vec![
                "before.ip: 10.0.0.1",
                "before.mac: —",
                "ids: 1, 2",
                "reason: code"
            ]
        );
        assert!(readable_details("{}").is_empty());
        assert_eq!(readable_details("not json"), vec!["not json"]);
        let long = format!(r#"{{"user_agent":"{}"}}"#, "x".repeat(300));
        assert!(readable_details(&long)[0].ends_with('…'));
    }
}
