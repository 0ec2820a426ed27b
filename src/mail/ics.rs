//! iCalendar files for invitations, cancellations and feeds. Times are written in UTC, so
//! they are right whatever the DST rules of the reader; every session has a stable UID
//! and a SEQUENCE, so calendar programs update the event they already have.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use crate::mail::model::Attachment;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// An invitation (a confirmed seat).
    Request,
    /// The event no longer takes place for this reader.
    Cancel,
    /// A feed to subscribe to.
    Publish,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
            Method::Publish => "PUBLISH",
        }
    }
}

#[derive(Debug, Clone)]
pub struct IcsEvent {
    pub uid: String,
    pub sequence: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: Option<String>,
    pub cancelled: bool,
    /// When the event last changed: the DTSTAMP of a feed, so that an unchanged feed is
    /// the same file (its ETag holds). Invitations are stamped when they are written.
    pub modified: DateTime<Utc>,
}

/// The UID of a session's event: the same in every file we ever send about it.
pub fn session_uid(session_id: i64, host: &str) -> String {
    format!("sessie-{session_id}@{host}")
}

/// The person an invitation or cancellation is for.
#[derive(Debug, Clone, Copy)]
pub struct Attendee<'a> {
    pub email: &'a str,
    pub name: &'a str,
}

/// `text` as a parameter value (RFC 5545 §3.1): no control characters, and no `"`, which
/// cannot appear even in a quoted value (it becomes `'`). The icalendar crate quotes a
/// value with `:`, `;` or `,`.
pub fn param_text(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '"' { '\'' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `organizer` is the address in `MAIL_FROM`; clients want one on REQUEST and CANCEL.
pub fn calendar(method: Method, name: &str, organizer: &str, events: &[IcsEvent]) -> String {
    calendar_for(method, name, organizer, None, events)
}

/// A calendar addressed to one person: iTIP clients (Outlook, Google) treat a REQUEST or
/// CANCEL as an invitation only when it names its attendee.
pub fn calendar_for(
    method: Method,
    name: &str,
    organizer: &str,
    attendee: Option<Attendee<'_>>,
    events: &[IcsEvent],
) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Wijkmakers Academie//Platform//NL"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", method.as_str()))
        .name(name);
    let now = Utc::now();
    for item in events {
        let mut event = Event::new();
        event
            .uid(&item.uid)
            .sequence(item.sequence)
            .timestamp(if method == Method::Publish { item.modified } else { now })
            .starts(item.starts_at)
            .ends(item.ends_at)
            .summary(&item.summary)
            .description(&item.description)
            .location(&item.location)
            .status(if item.cancelled || method == Method::Cancel {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        if method != Method::Publish {
            event.append_property(
                Property::new("ORGANIZER", format!("mailto:{organizer}"))
                    .add_parameter("CN", "Wijkmakers Academie")
                    .done(),
            );
        }
        if let Some(who) = attendee.filter(|_| method != Method::Publish) {
            let status = if method == Method::Cancel { "DECLINED" } else { "ACCEPTED" };
            event.append_multi_property(
                Property::new("ATTENDEE", format!("mailto:{}", who.email))
                    .add_parameter("CN", &param_text(who.name))
                    .add_parameter("ROLE", "REQ-PARTICIPANT")
                    .add_parameter("PARTSTAT", status)
                    .add_parameter("RSVP", "FALSE")
                    .done(),
            );
        }
        if let Some(url) = &item.url {
            event.url(url);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

/// An .ics file to attach to an email.
pub fn attachment(method: Method, name: &str, organizer: &str, events: &[IcsEvent]) -> Attachment {
    attachment_for(method, name, organizer, None, events)
}

/// An .ics file for one person's email, naming them as attendee.
pub fn attachment_for(
    method: Method,
    name: &str,
    organizer: &str,
    attendee: Option<Attendee<'_>>,
    events: &[IcsEvent],
) -> Attachment {
    let (filename, method_param) = match method {
        Method::Cancel => ("afmelding.ics", "CANCEL"),
        Method::Request => ("uitnodiging.ics", "REQUEST"),
        Method::Publish => ("agenda.ics", "PUBLISH"),
    };
    Attachment {
        filename: filename.to_owned(),
        content_type: format!("text/calendar; charset=utf-8; method={method_param}"),
        content: calendar_for(method, name, organizer, attendee, events),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(start: &str, end: &str) -> IcsEvent {
        IcsEvent {
            uid: session_uid(7, "academie.example"),
            sequence: 2,
            starts_at: start.parse().unwrap(),
            ends_at: end.parse().unwrap(),
            summary: "Energie besparen, les 1".into(),
            description: "Samen kijken we naar je energierekening; met koffie, thee, en meer".into(),
            location: "Buurtcentrum De Oosterpoort, Voorbeeldstraat 1".into(),
            url: Some("https://academie.example/cursussen/energie".into()),
            cancelled: false,
            modified: "2026-11-01T10:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn invitation_has_method_uid_sequence_and_utc_times() {
        let ics = calendar(
            Method::Request,
            "Energie",
            "academie@example.org",
            &[event("2027-03-28T17:30:00Z", "2027-03-28T19:30:00Z")],
        );
        assert!(ics.contains("METHOD:REQUEST"), "{ics}");
        assert!(ics.contains("UID:sessie-7@academie.example"));
        assert!(ics.contains("SEQUENCE:2"));
        assert!(ics.contains("DTSTART:20270328T173000Z"));
        assert!(ics.contains("DTEND:20270328T193000Z"));
        assert!(ics.contains("ORGANIZER;CN=Wijkmakers Academie:mailto:academie@example.org"));
        let parsed: icalendar::Calendar = ics.parse().unwrap();
        assert_eq!(parsed.events().count(), 1);
    }

    #[test]
    fn an_invitation_names_its_attendee() {
        let who = Attendee { email: "ayse@example.org", name: "Ayşe Yılmaz" };
        let ics = calendar_for(
            Method::Request,
            "Energie",
            "a@b.nl",
            Some(who),
            &[event("2027-01-10T18:30:00Z", "2027-01-10T20:30:00Z")],
        );
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("ATTENDEE;"), "{ics}");
        assert!(unfolded.contains("mailto:ayse@example.org"), "{ics}");
        assert!(unfolded.contains("PARTSTAT=ACCEPTED"), "{ics}");
        let feed = calendar_for(
            Method::Publish,
            "Energie",
            "a@b.nl",
            Some(who),
            &[event("2027-01-10T18:30:00Z", "2027-01-10T20:30:00Z")],
        );
        assert!(!feed.contains("ATTENDEE"), "a public feed names nobody");
    }

    #[test]
    fn names_with_quotes_and_separators_make_valid_parameters() {
        for name in [r#"Jan "de Bouwer" Smit"#, "Smit; Jan", "Smit, Jan", "Ank: de echte", "\"Aan het begin\""] {
            let who = Attendee { email: "jan@example.org", name };
            let ics = calendar_for(
                Method::Request,
                "E",
                "a@b.nl",
                Some(who),
                &[event("2027-01-10T18:30:00Z", "2027-01-10T20:30:00Z")],
            );
            let parsed: icalendar::Calendar = ics.parse().unwrap_or_else(|e| panic!("{name}: {e}\n{ics}"));
            let event = parsed.events().next().expect("one event");
            let attendee = event
                .multi_properties()
                .get("ATTENDEE")
                .and_then(|a| a.first())
                .unwrap_or_else(|| panic!("{name}: no attendee\n{ics}"));
            assert_eq!(attendee.value(), "mailto:jan@example.org", "{ics}");
            let cn = attendee.params().get("CN").map(|p| p.value().trim_matches('"').to_owned());
            assert_eq!(cn.as_deref(), Some(param_text(name).as_str()), "{ics}");
        }
        assert_eq!(param_text("Jan \"de Bouwer\"\r\nSmit"), "Jan 'de Bouwer'Smit");
    }

    #[test]
    fn cancellation_marks_events_cancelled() {
        let ics =
            calendar(Method::Cancel, "Energie", "a@b.nl", &[event("2027-01-10T18:30:00Z", "2027-01-10T20:30:00Z")]);
        assert!(ics.contains("METHOD:CANCEL"));
        assert!(ics.contains("STATUS:CANCELLED"));
    }
}
