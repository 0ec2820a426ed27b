//! Settings from the environment (and `.env`). A bad value stops start-up with a message
//! that names the variable, so a typo never turns into a half-working platform.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use url::Url;

/// Where the platform runs: development generates a secret key, production demands one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    /// `None`: use the local server (`postgres://localhost/wijkmakers`), or a private
    /// cluster under `var/` when no server runs.
    pub database_url: Option<String>,
    pub db_pool_size: usize,
    /// How long a request waits for a pooled connection before it answers 503.
    pub db_pool_wait: Duration,
    pub bind: SocketAddr,
    pub base_url: Url,
    pub secret_key: String,
    pub smtp_url: Option<Url>,
    pub mail_from: Mailbox,
    pub mail_dir: PathBuf,
    pub log_format: LogFormat,
    /// Reminders go out this long before each session.
    pub reminder_lead: chrono::Duration,
    pub session_idle: chrono::Duration,
    pub session_lifetime: chrono::Duration,
    /// Behind a reverse proxy: believe what `trusted_proxies` add to `X-Forwarded-For`
    /// (the client address) and `X-Forwarded-Host`/`-Proto` (for the Origin check).
    pub trust_proxy: bool,
    /// The proxies whose `X-Forwarded-For` entries are believed: addresses or CIDR blocks.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Production over plain http on a public address, on purpose (`ALLOW_INSECURE_HTTP`).
    pub allow_insecure_http: bool,
    pub mail_poll: Duration,
    /// The outbox's first retry after a transient failure (`MAIL_RETRY_BASE_MS`, default
    /// 15 s; doubling, at most 240 times as long): short in tests of a mail server that is away.
    pub mail_retry_base: chrono::Duration,
    /// How long a worker's claim on a batch lasts (`MAIL_LEASE_SECS`, default 120): after a
    /// worker died (`kill -9`), another one sends its batch once this has passed.
    pub mail_lease: chrono::Duration,
    /// Registrations and "send the confirmation again" per client address, per hour.
    pub register_limit_per_ip: u32,
    /// The same per email address, per hour.
    pub register_limit_per_address: u32,
    /// The coordinators' shared inbox (`COORDINATOR_INBOX`), told when someone passes on an
    /// access need (never which one); unset: not told by email.
    pub coordinator_inbox: Option<Mailbox>,
}

/// How long a request waits for a pooled connection by default: a pool held by slow
/// queries answers 503 with Retry-After within seconds, and a client never hangs on it.
pub const DEFAULT_POOL_WAIT_MS: u64 = 3_000;

/// The platform's address and sender, for links in emails and organizers in .ics files.
#[derive(Debug, Clone)]
pub struct Site {
    pub base: String,
    pub mail_from: String,
}

impl Site {
    pub fn host(&self) -> String {
        Url::parse(&self.base).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| "localhost".into())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

fn invalid(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError { variable, message: message.into() }
}

/// A set, non-empty variable.
fn var(name: &'static str) -> Result<Option<String>, ConfigError> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(invalid(name, "is not valid UTF-8")),
    }
}

fn number<T>(name: &'static str, default: T, range: std::ops::RangeInclusive<T>) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let Some(raw) = var(name)? else {
        return Ok(default);
    };
    let value: T = raw.parse().map_err(|_| invalid(name, format!("`{raw}` is not a whole number")))?;
    if !range.contains(&value) {
        return Err(invalid(name, format!("must lie between {} and {}", range.start(), range.end())));
    }
    Ok(value)
}

/// A yes/no variable: `true`/`1` or `false`/`0` (unset: no).
fn flag(name: &'static str) -> Result<bool, ConfigError> {
    match var(name)?.as_deref() {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => Err(invalid(name, format!("`{other}` is not true or false"))),
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let environment = match var("APP_ENV")?.as_deref() {
            None | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => {
                return Err(invalid("APP_ENV", format!("`{other}` is not development or production")));
            }
        };
        let database_url = var("DATABASE_URL")?;
        if let Some(url) = &database_url
            && !(url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(invalid("DATABASE_URL", "must start with postgres:// or postgresql://"));
        }
        let bind_raw = var("BIND")?.unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_raw
            .parse()
            .map_err(|_| invalid("BIND", format!("`{bind_raw}` is not an address such as 127.0.0.1:8080")))?;
        let base_url = match var("BASE_URL")? {
            Some(raw) => {
                let url = Url::parse(&raw).map_err(|e| invalid("BASE_URL", format!("`{raw}` is not a URL ({e})")))?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(invalid("BASE_URL", "must be an http(s) URL such as https://academie.example.org"));
                }
                url
            }
            None => Url::parse(&format!("http://{bind}")).map_err(|e| invalid("BIND", e.to_string()))?,
        };
        let secret_key = match var("SECRET_KEY")? {
            Some(key) if key.chars().count() >= 32 => key,
            Some(_) => return Err(invalid("SECRET_KEY", "must be at least 32 characters long")),
            None if environment == Environment::Production => {
                return Err(invalid("SECRET_KEY", "is required when APP_ENV=production"));
            }
            None => {
                tracing::warn!("SECRET_KEY is not set: using a random key, so login sessions end at restart");
                crate::tokens::random_token()
            }
        };
        let smtp_url = match var("SMTP_URL")? {
            Some(raw) => {
                let url = Url::parse(&raw).map_err(|e| invalid("SMTP_URL", format!("`{raw}` is not a URL ({e})")))?;
                if !matches!(url.scheme(), "smtp" | "smtps") || url.host().is_none() {
                    return Err(invalid("SMTP_URL", "must look like smtp://host:port or smtps://user:password@host"));
                }
                Some(url)
            }
            None => None,
        };
        let mail_from_raw = var("MAIL_FROM")?.unwrap_or_else(|| "Wijkmakers Academie <academie@localhost>".into());
        let mail_from: Mailbox = mail_from_raw.parse().map_err(|_| {
            invalid(
                "MAIL_FROM",
                format!("`{mail_from_raw}` is not an address such as Wijkmakers Academie <academie@example.org>"),
            )
        })?;
        let coordinator_inbox = match var("COORDINATOR_INBOX")? {
            Some(raw) => Some(raw.parse::<Mailbox>().map_err(|_| {
                invalid(
                    "COORDINATOR_INBOX",
                    format!("`{raw}` is not an address such as Coordinatoren <team@example.org>"),
                )
            })?),
            None => None,
        };
        let log_format = match var("LOG_FORMAT")?.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid("LOG_FORMAT", format!("`{other}` is not text or json")));
            }
        };
        let trust_proxy = flag("TRUST_PROXY")?;
        let trusted_proxies = match var("TRUSTED_PROXIES")? {
            None => vec!["127.0.0.0/8".parse().expect("a CIDR"), "::1/128".parse().expect("a CIDR")],
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<ipnet::IpNet>()
                        .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                        .map_err(|_| invalid("TRUSTED_PROXIES", format!("`{p}` is not an address or CIDR block")))
                })
                .collect::<Result<_, _>>()?,
        };
        let allow_insecure_http = flag("ALLOW_INSECURE_HTTP")?;
        if environment == Environment::Production && base_url.scheme() == "http" && !allow_insecure_http {
            let loopback = match base_url.host() {
                Some(url::Host::Domain(name)) => name == "localhost",
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if !loopback {
                return Err(invalid(
                    "BASE_URL",
                    format!(
                        "`{base_url}` is plain http on a public address while APP_ENV=production: use https \
                         (cookies and passwords would travel unencrypted), or set ALLOW_INSECURE_HTTP=true"
                    ),
                ));
            }
        }
        Ok(Config {
            environment,
            database_url,
            db_pool_size: number("DB_POOL_SIZE", 16, 1..=1000)?,
            db_pool_wait: Duration::from_millis(number("DB_POOL_WAIT_MS", DEFAULT_POOL_WAIT_MS, 10..=600_000)?),
            bind,
            base_url,
            secret_key,
            smtp_url,
            mail_from,
            mail_dir: PathBuf::from(var("MAIL_DIR")?.unwrap_or_else(|| "var/mail".into())),
            log_format,
            reminder_lead: chrono::Duration::hours(number("REMINDER_HOURS", 48, 1..=24 * 14)?),
            session_idle: chrono::Duration::hours(number("SESSION_IDLE_HOURS", 24, 1..=24 * 90)?),
            session_lifetime: chrono::Duration::days(number("SESSION_LIFETIME_DAYS", 14, 1..=365)?),
            trust_proxy,
            trusted_proxies,
            allow_insecure_http,
            mail_poll: Duration::from_millis(number("MAIL_POLL_MS", 500, 50..=60_000)?),
            mail_retry_base: chrono::Duration::milliseconds(number("MAIL_RETRY_BASE_MS", 15_000, 10..=3_600_000)?),
            mail_lease: chrono::Duration::seconds(number("MAIL_LEASE_SECS", 120, 2..=3_600)?),
            register_limit_per_ip: number("REGISTER_LIMIT_PER_IP", 10, 1..=1_000_000)?,
            register_limit_per_address: number("REGISTER_LIMIT_PER_ADDRESS", 3, 1..=1_000_000)?,
            coordinator_inbox,
        })
    }

    /// The platform's address without a trailing slash, for links in emails.
    pub fn base(&self) -> &str {
        self.base_url.as_str().trim_end_matches('/')
    }

    /// What services need to write emails and calendar files.
    pub fn site(&self) -> Site {
        Site { base: self.base().to_owned(), mail_from: self.mail_from.email.to_string() }
    }

    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// Whether `ip` is one of the proxies whose forwarding headers are believed.
    pub fn is_trusted_proxy(&self, ip: std::net::IpAddr) -> bool {
        self.trust_proxy && self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }
}
