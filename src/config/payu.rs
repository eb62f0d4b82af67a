//! `EBOK_PAYU_*`: where PayU is and who we are there. All or nothing: a half-configured PayU is
//! a mistake named at start, not a payment that fails at the buyer's click.

use serde::Deserialize;

/// PayU's production host; the sandbox is `https://secure.snd.payu.com`.
pub const PRODUCTION_URL: &str = "https://secure.payu.com";

#[derive(Clone, PartialEq, Eq)]
pub struct PayuConfig {
    /// The host, e.g. `https://secure.snd.payu.com` (the API paths are added).
    pub url: String,
    pub pos_id: String,
    pub client_id: String,
    pub client_secret: String,
    /// The POS's "second key (MD5)": checks the signature of PayU's notifications.
    pub second_key: String,
    /// Where PayU sends notifications, when not `<EBOK_PUBLIC_URL>/payu/powiadomienia`
    /// (e.g. another host name that PayU can reach).
    pub notify_url: Option<String>,
}

impl std::fmt::Debug for PayuConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PayuConfig {{ url: {}, pos_id: {}, .. }}",
            self.url, self.pos_id
        )
    }
}

/// A POS id written as a number in TOML or the environment is still an id.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Scalar {
    Text(String),
    Number(i64),
}

impl Scalar {
    pub(super) fn text(self) -> String {
        match self {
            Scalar::Text(text) => text,
            Scalar::Number(number) => number.to_string(),
        }
    }
}

pub(super) struct Settings<'a> {
    pub url: Option<&'a str>,
    pub pos_id: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub client_secret: Option<&'a str>,
    pub second_key: Option<&'a str>,
    pub notify_url: Option<&'a str>,
}

fn given(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

pub(super) fn from_settings(settings: Settings<'_>) -> Result<Option<PayuConfig>, String> {
    let pos_id = given(settings.pos_id);
    let client_secret = given(settings.client_secret);
    let second_key = given(settings.second_key);
    let url = given(settings.url);
    if pos_id.is_none() && client_secret.is_none() && second_key.is_none() && url.is_none() {
        return Ok(None);
    }
    let missing = |name: &str| {
        format!("{name}: needed for online payments with PayU (or leave every EBOK_PAYU_* unset)")
    };
    let pos_id = pos_id.ok_or_else(|| missing("EBOK_PAYU_POS_ID"))?;
    let client_secret = client_secret.ok_or_else(|| missing("EBOK_PAYU_CLIENT_SECRET"))?;
    let second_key = second_key.ok_or_else(|| missing("EBOK_PAYU_SECOND_KEY"))?;
    let url = url.unwrap_or_else(|| PRODUCTION_URL.to_owned());
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!(
            "EBOK_PAYU_URL: \"{url}\" must start with https:// (or http:// for a local test server)"
        ));
    }
    let notify_url = given(settings.notify_url);
    if let Some(notify) = &notify_url
        && !(notify.starts_with("https://") || notify.starts_with("http://"))
    {
        return Err(format!(
            "EBOK_PAYU_NOTIFY_URL: \"{notify}\" must start with https:// or http://"
        ));
    }
    Ok(Some(PayuConfig {
        url: url.trim_end_matches('/').to_owned(),
        client_id: given(settings.client_id).unwrap_or_else(|| pos_id.clone()),
        pos_id,
        client_secret,
        second_key,
        notify_url,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings<'a>(pos: Option<&'a str>, secret: Option<&'a str>) -> Settings<'a> {
        Settings {
            url: Some("https://secure.snd.payu.com/"),
            pos_id: pos,
            client_id: None,
            client_secret: secret,
            second_key: Some("b6ca15b0d1020e8094d9b5f8d163db54"),
            notify_url: None,
        }
    }

    #[test]
    fn nothing_set_means_no_online_payments() {
        let none = Settings {
            url: None,
            pos_id: None,
            client_id: None,
            client_secret: None,
            second_key: None,
            notify_url: None,
        };
        assert_eq!(from_settings(none), Ok(None));
    }

    #[test]
    fn the_client_id_defaults_to_the_pos_id_and_the_url_loses_its_slash() {
        let config = from_settings(settings(Some("300746"), Some("secret")))
            .unwrap()
            .unwrap();
        assert_eq!(config.client_id, "300746");
        assert_eq!(config.url, "https://secure.snd.payu.com");
    }

    #[test]
    fn a_half_configured_payu_names_what_is_missing() {
        let error = from_settings(settings(Some("300746"), None)).unwrap_err();
        assert!(error.starts_with("EBOK_PAYU_CLIENT_SECRET"), "{error}");
    }
}
