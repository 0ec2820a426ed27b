//! Delivery: a loop that claims due messages from the outbox and hands them to SMTP
//! (lettre) or, without `SMTP_URL`, writes them as .eml files under `MAIL_DIR`.

use std::path::PathBuf;
use std::time::Duration as StdDuration;

use chrono::Duration;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;

use crate::config::Config;
use crate::db::Db;
use crate::mail::model::OutboxMessage;
use crate::mail::service::{self, Outcome};

/// Where messages go.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    pub fn from_config(config: &Config) -> anyhow::Result<Transport> {
        match &config.smtp_url {
            Some(url) => Ok(Transport::Smtp(smtp_transport(url)?)),
            None => Ok(Transport::Files(config.mail_dir.clone())),
        }
    }
}

/// `smtp://` uses STARTTLS when the server offers it; `smtps://` is TLS from the start.
fn smtp_transport(url: &url::Url) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let mut url = url.clone();
    if url.scheme() == "smtp" && !url.query_pairs().any(|(k, _)| k == "tls") {
        if url.port().is_none() {
            let _ = url.set_port(Some(25));
        }
        url.query_pairs_mut().append_pair("tls", "opportunistic");
    }
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())
        .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
        .timeout(Some(StdDuration::from_secs(30)))
        .build())
}

/// `Auto-Submitted: auto-generated` (RFC 3834): tells auto-responders not to answer.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// The MIME message for an outbox row: text and HTML as alternatives, files alongside. An
/// invitation or cancellation (`text/calendar` with a `method`) is also the third
/// alternative, inline, as Outlook and Gmail want it to show the message as an invitation;
/// the attached copy (`application/ics`) is for everyone else.
pub fn build(message: &OutboxMessage, from: &Mailbox) -> Result<Message, String> {
    let address = message.recipient_email.parse().map_err(|e| format!("bad recipient address: {e}"))?;
    let to = Mailbox::new(message.recipient_name.clone(), address);
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&message.subject)
        .message_id(Some(message.message_id.clone()))
        .date_now();
    if message.auto_submitted {
        builder = builder.header(AutoSubmitted);
    }
    let mut alternative = MultiPart::alternative_plain_html(message.text_body.clone(), message.html_body.clone());
    let attachments = message.attachments();
    let result = if attachments.is_empty() {
        builder.multipart(alternative)
    } else {
        let mut files = Vec::new();
        for file in attachments {
            let mut content_type =
                ContentType::parse(&file.content_type).map_err(|e| format!("bad content type: {e}"))?;
            if is_invitation(&file.content_type) {
                alternative =
                    alternative.singlepart(SinglePart::builder().header(content_type).body(file.content.clone()));
                content_type = ContentType::parse(&format!("application/ics; name=\"{}\"", file.filename))
                    .map_err(|e| format!("bad content type: {e}"))?;
            }
            files.push(LettreAttachment::new(file.filename).body(file.content, content_type));
        }
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for file in files {
            mixed = mixed.singlepart(file);
        }
        builder.multipart(mixed)
    };
    result.map_err(|e| format!("cannot build the message: {e}"))
}

/// `text/calendar` with the iTIP method REQUEST or CANCEL.
fn is_invitation(content_type: &str) -> bool {
    let lower = content_type.to_ascii_lowercase();
    lower.starts_with("text/calendar") && (lower.contains("method=request") || lower.contains("method=cancel"))
}

pub struct Worker {
    pub db: Db,
    pub transport: Transport,
    pub from: Mailbox,
    /// How long a claim lasts before another worker may take the message over.
    pub lease: Duration,
    pub poll: StdDuration,
    pub batch: i64,
    /// The wait before the first retry of a transient failure (doubling after that).
    pub retry_base: Duration,
}

impl Worker {
    pub fn from_config(db: Db, config: &Config) -> anyhow::Result<Worker> {
        Ok(Worker {
            db,
            transport: Transport::from_config(config)?,
            from: config.mail_from.clone(),
            lease: config.mail_lease,
            poll: config.mail_poll,
            batch: 20,
            retry_base: config.mail_retry_base,
        })
    }

    /// Deliver until `shutdown` turns true; a batch in hand is finished first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(
            transport = match &self.transport {
                Transport::Smtp(_) => "smtp".to_owned(),
                Transport::Files(dir) => format!("files in {}", dir.display()),
            },
            "mail worker started"
        );
        loop {
            if *shutdown.borrow() {
                break;
            }
            let handled = match self.run_once().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "mail worker cannot reach the outbox");
                    0
                }
            };
            if handled == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(self.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
        tracing::info!("mail worker stopped");
    }

    /// Claim one batch and deliver it; answers how many messages were handled.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        let (batch, lease) = (self.batch, self.lease);
        // one connection for the whole batch: a delivery is recorded the moment the server
        // has accepted it, without waiting for the pool (the window in which a crash would
        // send a message twice is one short UPDATE)
        let held = self.db.hold().await?;
        let claimed = held.run(move |conn| Ok(service::claim(conn, batch, lease)?)).await?;
        let mut conn = Some(held);
        let started = std::time::Instant::now();
        // a slow batch must not outlive its lease, or another worker would send the rest again
        let safe_for = (lease / 2).to_std().unwrap_or_default();
        for (done, message) in claimed.iter().enumerate() {
            if started.elapsed() > safe_for {
                let rest: Vec<(i64, i32)> = claimed[done..].iter().map(|m| (m.id, m.attempts)).collect();
                tracing::warn!(released = rest.len(), "mail batch is slow: releasing the rest of the claim");
                let release = move |conn: &mut diesel::PgConnection| Ok(service::release(conn, &rest)?);
                match &conn {
                    Some(held) => held.run(release).await?,
                    None => self.db.run(release).await?,
                }
                return Ok(done);
            }
            let outcome = self.deliver(message).await;
            self.record(&mut conn, message, &outcome, started + safe_for).await?;
            match &outcome {
                Outcome::Sent => tracing::info!(id = message.id, "email sent"),
                Outcome::Transient(why) => {
                    tracing::warn!(id = message.id, attempt = message.attempts, why, "email will be retried")
                }
                Outcome::Permanent(why) => tracing::warn!(id = message.id, why, "email refused"),
            }
        }
        Ok(claimed.len())
    }

    /// Record an outcome; when the database went away meanwhile (a restart), keep trying on
    /// a new connection until `until`, so that a message the mail server accepted is not
    /// left claimed, to be sent a second time when the lease has run out.
    async fn record(
        &self,
        conn: &mut Option<crate::db::Held>,
        message: &OutboxMessage,
        outcome: &Outcome,
        until: std::time::Instant,
    ) -> anyhow::Result<()> {
        loop {
            let (id, attempts, recorded, first_retry) =
                (message.id, message.attempts, outcome.clone(), self.retry_base);
            let result = match conn.take() {
                Some(held) => {
                    let result = held
                        .run(move |conn| Ok(service::record_with_backoff(conn, id, attempts, &recorded, first_retry)?))
                        .await;
                    if result.is_ok() {
                        *conn = Some(held);
                    }
                    result
                }
                None => match self.db.hold().await {
                    Ok(held) => {
                        *conn = Some(held);
                        continue;
                    }
                    Err(e) => Err(e),
                },
            };
            match result {
                Ok(()) => return Ok(()),
                Err(e) if std::time::Instant::now() < until => {
                    tracing::warn!(id, error = %e, "cannot record a delivery yet: trying again");
                    tokio::time::sleep(StdDuration::from_millis(250)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    async fn deliver(&self, message: &OutboxMessage) -> Outcome {
        let email = match build(message, &self.from) {
            Ok(email) => email,
            Err(why) => return Outcome::Permanent(why),
        };
        match &self.transport {
            Transport::Smtp(smtp) => match smtp.send(email).await {
                Ok(_) => Outcome::Sent,
                Err(e) if e.is_permanent() => Outcome::Permanent(e.to_string()),
                Err(e) => Outcome::Transient(e.to_string()),
            },
            Transport::Files(dir) => {
                let path = dir.join(format!("{}-{}.eml", message.created_at.format("%Y%m%dT%H%M%S"), message.id));
                let bytes = email.formatted();
                let written = async {
                    tokio::fs::create_dir_all(dir).await?;
                    tokio::fs::write(&path, bytes).await
                };
                match written.await {
                    Ok(()) => {
                        tracing::info!(id = message.id, path = %path.display(), "email written to a file");
                        Outcome::Sent
                    }
                    Err(e) => Outcome::Transient(format!("cannot write {}: {e}", path.display())),
                }
            }
        }
    }
}
