//! Emails.

use super::*;

fn session_details(t: Locale, mut email: Email, sessions: &[&Session]) -> Email {
    let scheduled: Vec<&&Session> = sessions.iter().filter(|s| !s.is_cancelled()).collect();
    for (n, s) in scheduled.iter().enumerate() {
        let label = if scheduled.len() == 1 {
            t.t("mail-label-when")
        } else {
            t.t_args("mail-label-session", [("number", (n + 1).into())])
        };
        email = email.detail(label, format!("{} · {}", t.time_range(s.starts_at, s.ends_at), s.location()));
    }
    email
}

/// "Je bent ingeschreven" (or "er is een plek voor je vrijgekomen") with every session
/// in an .ics invitation numbered `sequence` (see `mail::next_calendar_sequence`).
pub(super) fn confirmation(
    site: &Site,
    course: &Course,
    sessions: &[Session],
    person: &Recipient,
    key: &str,
    kind: &str,
    sequence: u32,
) -> Email {
    let t = person.locale;
    let title = course.title.as_str();
    let deadline = deadline_of(course, sessions);
    let sessions: Vec<&Session> = sessions.iter().filter(|s| !s.is_cancelled()).collect();
    let events = numbered(crate::catalogue::service::ics_events(site, &sessions, title, &course.slug), sequence);
    let mut email = Email::new(person.clone(), key, t.t_args(&format!("{kind}-subject"), [("course", title.into())]))
        .paragraph(t.t_args(&format!("{kind}-intro"), [("course", title.into())]));
    email = session_details(t, email, &sessions);
    email = email.action(t.t("mail-my-courses"), format!("{}/mijn-cursussen", site.base));
    if let Some(deadline) = deadline.filter(|d| *d > Utc::now()) {
        email = email.closing(t.t_args("mail-cancel-until", [("deadline", t.datetime(deadline).into())]));
    }
    email.closing(t.t("mail-calendar-attached")).attach(ics::attachment_for(
        Method::Request,
        title,
        &site.mail_from,
        Some(attendee(person)),
        &events,
    ))
}

/// `events` all carrying `sequence`.
pub(super) fn numbered(mut events: Vec<ics::IcsEvent>, sequence: u32) -> Vec<ics::IcsEvent> {
    for e in &mut events {
        e.sequence = sequence;
    }
    events
}

pub(super) fn attendee(person: &Recipient) -> ics::Attendee<'_> {
    ics::Attendee { email: &person.email, name: &person.name }
}

pub(super) fn waitlisted_email(site: &Site, course: &Course, person: &Recipient, event: i64, position: i64) -> Email {
    let t = person.locale;
    let title = course.title.as_str();
    Email::new(
        person.clone(),
        format!("waitlisted:{event}"),
        t.t_args("mail-waitlisted-subject", [("course", title.into())]),
    )
    .paragraph(t.t_args("mail-waitlisted-intro", [("course", title.into()), ("position", position.into())]))
    .paragraph(t.t("mail-waitlisted-next"))
    .action(t.t("mail-my-courses"), format!("{}/mijn-cursussen", site.base))
}

pub(super) fn left_waitlist_email(site: &Site, detail: &CourseDetail, person: &Recipient, event: i64) -> Email {
    let t = person.locale;
    let title = detail.course.title.as_str();
    Email::new(
        person.clone(),
        format!("left-waitlist:{event}"),
        t.t_args("mail-left-waitlist-subject", [("course", title.into())]),
    )
    .paragraph(t.t_args("mail-left-waitlist-intro", [("course", title.into())]))
    .action(t.t("mail-see-courses"), format!("{}/cursussen", site.base))
}

/// A cancellation, with an .ics CANCEL for `sessions` numbered `calendar` when the person
/// had them in their calendar (not someone who was only waiting: they got no invitation).
pub(super) fn cancellation_email(
    site: &Site,
    detail: &CourseDetail,
    person: &Recipient,
    key: &str,
    kind: &str,
    sessions: &[&Session],
    calendar: Option<u32>,
) -> Email {
    let t = person.locale;
    let title = detail.course.title.as_str();
    let date = sessions.first().map(|s| t.time_range(s.starts_at, s.ends_at)).unwrap_or_default();
    let mut email = Email::new(
        person.clone(),
        key,
        t.t_args(&format!("{kind}-subject"), [("course", title.into()), ("date", date.clone().into())]),
    )
    .paragraph(t.t_args(&format!("{kind}-intro"), [("course", title.into()), ("date", date.into())]));
    if kind == "mail-session-cancelled"
        && let Some(s) = sessions.first()
    {
        email = email.detail(t.t("mail-label-where"), s.location());
    }
    email = email.action(t.t("mail-see-courses"), format!("{}/cursussen", site.base));
    let Some(sequence) = calendar.filter(|_| !sessions.is_empty()) else { return email };
    let mut events =
        numbered(crate::catalogue::service::ics_events(site, sessions, title, &detail.course.slug), sequence);
    for e in &mut events {
        e.cancelled = true;
    }
    email.closing(t.t("mail-calendar-cancel-attached")).attach(ics::attachment_for(
        Method::Cancel,
        title,
        &site.mail_from,
        Some(attendee(person)),
        &events,
    ))
}
