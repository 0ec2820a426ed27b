//! What every page needs to render: the reader's language, who is logged in, the CSRF
//! token for forms and the current address. Extracted once per request.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use chrono::{DateTime, Utc};

use std::net::IpAddr;

use actix_web::http::header::HeaderName;

use crate::auth::{CurrentUser, Role};
use crate::choice::Choice;
use crate::config::Config;
use crate::error::{AppError, FieldError};
use crate::i18n::{Arg, Locale};

pub const LANG_COOKIE: &str = "lang";
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
/// The login session cookie; accounts sets it, CSRF seeds forms from it.
pub const SESSION_COOKIE: &str = "wm_session";

/// The logged-in user, if any, as resolved by the identity middleware.
#[derive(Debug, Clone, Default)]
pub struct Identity(pub Option<CurrentUser>);

/// The CSRF token that forms on this page must send back.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// The reader's language: the `lang` cookie, then the account's language, then
/// `Accept-Language`, then Dutch.
pub fn locale_of(req: &HttpRequest) -> Locale {
    if let Some(locale) = req.cookie(LANG_COOKIE).and_then(|c| Locale::from_code(c.value())) {
        return locale;
    }
    if let Some(user) = req.extensions().get::<Identity>().and_then(|i| i.0.clone()) {
        return user.locale;
    }
    req.headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::negotiate)
        .unwrap_or_default()
}

pub struct Ctx {
    pub locale: Locale,
    pub user: Option<CurrentUser>,
    pub csrf: String,
    /// Path and query of this page, to come back to after switching language or logging in.
    pub here: String,
    pub path: String,
    /// A message to show once, named by the `melding` query parameter (`flash-<name>`).
    pub flash: Option<String>,
}

impl Ctx {
    pub fn from_request(req: &HttpRequest) -> Ctx {
        let locale = locale_of(req);
        let flash = req
            .query_string()
            .split('&')
            .find_map(|pair| pair.strip_prefix("melding="))
            .filter(|name| !name.is_empty() && name.len() < 40)
            .filter(|name| name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
            .map(|name| locale.t(&format!("flash-{name}")));
        // where to come back to: this page, without its one-time message
        let query: Vec<&str> =
            req.query_string().split('&').filter(|p| !p.is_empty() && !p.starts_with("melding=")).collect();
        let here = if query.is_empty() { req.path().to_owned() } else { format!("{}?{}", req.path(), query.join("&")) };
        Ctx {
            locale,
            user: req.extensions().get::<Identity>().and_then(|i| i.0.clone()),
            csrf: req.extensions().get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default(),
            here,
            path: req.path().to_owned(),
            flash,
        }
    }

    /// What a page depends on besides its data and the CSRF token: the language, the address
    /// with its one-time message, and what the layout shows of the reader (name, role). The
    /// question under which a page is kept ([`crate::web::kept`]).
    pub fn page_question(&self, page: &str) -> String {
        let reader = self.user.as_ref().map(|u| (u.id, u.role, u.name.as_str(), u.email_verified));
        format!("{page} {} {} {:?} {reader:?}", self.lang(), self.here, self.flash)
    }

    pub fn t(&self, key: impl AsRef<str>) -> String {
        self.locale.t(key.as_ref())
    }

    /// A message with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<Arg>) -> String {
        self.locale.t_args(key, [(name, value.into())])
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    /// The language the switch in the header offers.
    pub fn other_lang(&self) -> Locale {
        match self.locale {
            Locale::Nl => Locale::En,
            Locale::En => Locale::Nl,
        }
    }

    pub fn date(&self, at: &DateTime<Utc>) -> String {
        self.locale.date(*at)
    }
    pub fn short_date(&self, at: &DateTime<Utc>) -> String {
        self.locale.short_date(*at)
    }
    pub fn time(&self, at: &DateTime<Utc>) -> String {
        self.locale.time(*at)
    }
    pub fn datetime(&self, at: &DateTime<Utc>) -> String {
        self.locale.datetime(*at)
    }
    pub fn time_range(&self, starts: &DateTime<Utc>, ends: &DateTime<Utc>) -> String {
        self.locale.time_range(*starts, *ends)
    }

    /// A rate from 0 to 1 as a whole percentage ("75%"), or a dash when there is none yet.
    pub fn percent(&self, rate: &Option<f64>) -> String {
        rate.map_or_else(|| "–".to_owned(), |r| format!("{}%", (r * 100.0).round()))
    }

    pub fn logged_in(&self) -> bool {
        self.user.is_some()
    }
    pub fn is(&self, role: &str) -> bool {
        let wanted = Role::parse(role).unwrap_or(Role::Admin);
        self.user.as_ref().is_some_and(|u| u.has(wanted))
    }
    pub fn verified(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.email_verified)
    }
    pub fn user_name(&self) -> &str {
        self.user.as_ref().map(|u| u.name.as_str()).unwrap_or("")
    }

    /// `aria-current="page"` for the menu item of this page.
    pub fn current(&self, prefix: &str) -> &'static str {
        let here = self.path.as_str();
        let matches =
            if prefix == "/" { here == "/" } else { here == prefix || here.starts_with(&format!("{prefix}/")) };
        if matches { "page" } else { "false" }
    }

    /// The localised message for a field error.
    pub fn field_message(&self, error: &FieldError) -> String {
        let key = format!("field-{}", error.code);
        self.locale.t_args(&key, error.args.iter().map(|(name, value)| (*name, Arg::read(value))))
    }

    /// The entries of a form's error summary: in the order of `fields` (the form's fields as
    /// they appear, each with the key of its label), every entry naming its field
    /// ("E-mailadres: vul dit veld in") and pointing at the input's id. Errors of fields not
    /// listed follow, labelled `label-<field>` when that message exists.
    pub fn summary<'a>(&self, errors: &[FieldError], fields: impl AsRef<[(&'a str, &'a str)]>) -> Vec<SummaryEntry> {
        let fields = fields.as_ref();
        let rank = |e: &FieldError| fields.iter().position(|(name, _)| *name == e.field).unwrap_or(fields.len());
        let mut ordered: Vec<&FieldError> = errors.iter().collect();
        ordered.sort_by_key(|e| rank(e)); // stable: a field's own errors keep their order
        ordered
            .into_iter()
            .map(|e| {
                let label = match fields.iter().find(|(name, _)| *name == e.field) {
                    Some((_, key)) => Some(self.t(key)),
                    None => self.locale.try_t(&format!("label-{}", e.field.replace('_', "-"))),
                };
                let message = self.field_message(e);
                let text = match label {
                    Some(label) => format!("{label}: {}", lower_first(&message)),
                    None => message,
                };
                SummaryEntry { id: e.field.clone(), text }
            })
            .collect()
    }

    /// A compact moment for table cells: "3 mrt 2027 19:30".
    pub fn compact(&self, at: &DateTime<Utc>) -> String {
        self.locale.compact_datetime(*at)
    }

    /// "5 van 4 plaatsen bezet (1 boven de capaciteit)": seats taken of the capacity.
    pub fn seats_taken(&self, taken: &i64, capacity: &i32) -> String {
        let (taken, capacity) = (*taken, *capacity);
        let over = (taken - i64::from(capacity)).max(0);
        self.locale.t_args(
            "seats-taken-of",
            [("taken", Arg::Number(taken)), ("capacity", Arg::Number(capacity.into())), ("over", Arg::Number(over))],
        )
    }

    /// Whether any of `errors` is of the kind `code`.
    pub fn has_code(&self, errors: &[FieldError], code: &str) -> bool {
        errors.iter().any(|e| e.code == code)
    }

    /// The message for `field` among `errors`, if it has one.
    pub fn err(&self, errors: &[FieldError], field: &str) -> Option<String> {
        errors.iter().find(|e| e.field == field).map(|e| self.field_message(e))
    }

    /// `aria-invalid` and `aria-describedby` attributes for an input, as one string.
    pub fn invalid(&self, errors: &[FieldError], field: &str) -> String {
        if errors.iter().any(|e| e.field == field) {
            format!("aria-invalid=\"true\" aria-describedby=\"{field}-error\"")
        } else {
            String::new()
        }
    }

    pub fn css_url(&self) -> &'static str {
        crate::web::assets::CSS_URL.as_str()
    }

    pub fn js_url(&self) -> &'static str {
        crate::web::assets::JS_URL.as_str()
    }

    pub fn copy_js_url(&self) -> &'static str {
        crate::web::assets::COPY_JS_URL.as_str()
    }

    pub fn roster_js_url(&self) -> &'static str {
        crate::web::assets::ROSTER_JS_URL.as_str()
    }
}

/// No explicit field list: the summary keeps the service's order.
pub const NO_FIELDS: &[(&str, &str)] = &[];

/// One line of a form's error summary: the id of the input it links to, and its text.
pub struct SummaryEntry {
    pub id: String,
    pub text: String,
}

/// "Vul dit veld in." after a label reads "…: vul dit veld in." (a leading capital that
/// starts a word, not an abbreviation such as "URL").
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(std::iter::once(second)).chain(chars).collect()
        }
        _ => message.to_owned(),
    }
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = Ready<Result<Ctx, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Ctx::from_request(req)))
    }
}

/// A handler that takes a `CurrentUser` answers 401 to anonymous requests.
impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<CurrentUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.extensions().get::<Identity>().and_then(|i| i.0.clone()).ok_or(AppError::Unauthorized))
    }
}

/// The user if logged in, else `None`; never refuses.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Ready<Result<MaybeUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(MaybeUser(req.extensions().get::<Identity>().and_then(|i| i.0.clone()))))
    }
}

/// The client's address, for throttling, the session list and the logs.
pub fn client_ip(req: &HttpRequest, config: &Config) -> String {
    let forwarded: Vec<&str> = req.headers().get_all(X_FORWARDED_FOR).filter_map(|v| v.to_str().ok()).collect();
    client_address(req.peer_addr().map(|a| a.ip()), &forwarded, config).map_or("unknown".into(), |ip| ip.to_string())
}

/// Who is asking: the peer, unless it is a trusted proxy. Then the right-most address in
/// `X-Forwarded-For` that no trusted proxy added: a client can write anything on the left
/// of that header, but only the proxies append on the right.
pub fn client_address(peer: Option<IpAddr>, forwarded_for: &[&str], config: &Config) -> Option<IpAddr> {
    let peer = peer?;
    if !config.is_trusted_proxy(peer) {
        return Some(peer);
    }
    let hops = forwarded_for.iter().flat_map(|h| h.split(',')).map(str::trim).filter(|h| !h.is_empty());
    let mut client = peer;
    for hop in hops.collect::<Vec<_>>().into_iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if config.is_trusted_proxy(ip) => client = ip,
            Ok(ip) => return Some(ip),
            // a trusted proxy writes addresses; anything else is not to be believed
            Err(_) => return Some(client),
        }
    }
    Some(client)
}

pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(200).collect())
}
