//! Mail as people receive it, from the test's SMTP server: `app.mail_to(&ann, "Je bent
//! ingeschreven").await`, `app.last_mail_to(&ann)`, `app.nth_mail_to(&ann, 2)`, and the
//! calendar files in them (`calendar_of(&mail)`, `events_of(&calendar)`). Every recipient
//! may be a [`Person`](super::people::Person) or an address.

use std::time::Duration;

use chrono::{DateTime, Utc};
use wijkmakers::mail::model::MailStatus;

use super::TestApp;
use super::people::Address;
use super::smtp::ReceivedMail;

/// How long a test waits for an email to arrive (long: the machine may be busy).
pub const MAIL_WAIT: Duration = Duration::from_secs(60);

impl TestApp {
    /// The first email to `to` whose subject starts with `subject`, waiting for it.
    pub async fn mail_to(&self, to: impl Address, subject: &str) -> ReceivedMail {
        let to = to.address();
        let deadline = tokio::time::Instant::now() + MAIL_WAIT;
        loop {
            let messages = self.smtp.messages_to(to);
            if let Some(mail) = messages.iter().find(|m| m.subject().is_some_and(|s| s.starts_with(subject))) {
                return mail.clone();
            }
            if tokio::time::Instant::now() > deadline {
                let subjects: Vec<_> = messages.iter().map(ReceivedMail::subject).collect();
                panic!("no email to {to} with a subject starting {subject:?} within {MAIL_WAIT:?}; got {subjects:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The `n`th email to `to` (from 1), waiting until at least `n` arrived.
    pub async fn nth_mail_to(&self, to: impl Address, n: usize) -> ReceivedMail {
        self.smtp.wait_for(to.address(), n, MAIL_WAIT).await.swap_remove(n - 1)
    }

    /// The last email to `to`, waiting for at least one to arrive.
    pub async fn last_mail_to(&self, to: impl Address) -> ReceivedMail {
        self.smtp.wait_for(to.address(), 1, MAIL_WAIT).await.pop().expect("at least one message")
    }

    /// The link to `path` in the `n`th email to `to`.
    pub async fn link_in_mail(&self, to: impl Address, n: usize, path: &str) -> String {
        let mail = self.nth_mail_to(to, n).await;
        mail.link_to(path).unwrap_or_else(|| panic!("no link to {path} in: {}", mail.text()))
    }

    /// How many messages to `to` have a subject starting with `prefix`, once the outbox is
    /// settled.
    pub async fn count_mail(&self, to: impl Address, prefix: &str) -> usize {
        self.settle_outbox().await;
        self.smtp
            .messages_to(to.address())
            .iter()
            .filter(|m| m.subject().is_some_and(|s| s.starts_with(prefix)))
            .count()
    }

    /// Wait until every queued message is delivered (or has failed): needs a mail worker.
    pub async fn settle_outbox(&self) {
        let deadline = tokio::time::Instant::now() + MAIL_WAIT;
        while self.outbox().await.iter().any(|m| matches!(m.status, MailStatus::Pending | MailStatus::Sending)) {
            assert!(tokio::time::Instant::now() < deadline, "the outbox did not empty");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // the SMTP server has stored what was accepted once the worker recorded it
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    /// The subjects of the outbox messages to `to`, oldest first.
    pub async fn outbox_subjects(&self, to: impl Address) -> Vec<String> {
        let to = to.address().to_owned();
        self.outbox().await.into_iter().filter(|m| m.recipient_email == to).map(|m| m.subject).collect()
    }
}

/// The .ics attachment of `mail`, parsed, after checking that the MIME part carries the
/// same METHOD as the file.
pub fn calendar_of(mail: &ReceivedMail) -> icalendar::Calendar {
    let part = mail
        .attachments()
        .into_iter()
        .find(|p| p.content_type == "text/calendar")
        .unwrap_or_else(|| panic!("no calendar in {:?}", mail.subject()));
    let calendar: icalendar::Calendar =
        part.text().parse().unwrap_or_else(|e| panic!("invalid .ics ({e}): {}", part.text()));
    let method = calendar.property_value("METHOD").map(str::to_owned);
    assert_eq!(part.params.get("method").map(|m| m.to_ascii_uppercase()), method, "MIME method and METHOD differ");
    calendar
}

/// One VEVENT, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    pub uid: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub status: Option<String>,
    pub sequence: Option<u32>,
    pub location: Option<String>,
}

fn utc(value: Option<icalendar::DatePerhapsTime>, what: &str) -> DateTime<Utc> {
    match value {
        Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => t,
        other => panic!("{what} is not a UTC date-time: {other:?}"),
    }
}

/// The events of a calendar, in file order.
pub fn events_of(calendar: &icalendar::Calendar) -> Vec<CalendarEvent> {
    use icalendar::{Component, EventLike};
    calendar
        .events()
        .map(|e| CalendarEvent {
            uid: e.get_uid().expect("every event has a UID").to_owned(),
            starts: utc(e.get_start(), "DTSTART"),
            ends: utc(e.get_end(), "DTEND"),
            status: e.property_value("STATUS").map(str::to_owned),
            sequence: e.get_sequence(),
            location: e.get_location().map(str::to_owned),
        })
        .collect()
}
