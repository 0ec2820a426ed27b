//! Calendars stay right in every calendar program (issue 15): each message about an event
//! carries a higher SEQUENCE than anything its attendee got before, the waiting get no
//! CANCEL of what they never had, names of every shape make valid ATTENDEE lines,
//! invitations are inline and attached, and the feeds answer as calendar programs poll.

use std::collections::HashMap;

use icalendar::Component;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use reqwest::Method;
use serde_json::json;

use crate::common::{
    CourseSpec, ReceivedMail, TestApp, Visitor, calendar_of, events_of, input_value, local_at, session_at, set_cookies,
    spawn_app,
};

/// Every calendar message to `to`, in the order the changes happened (the outbox's order;
/// delivery may overtake, which is why SEQUENCE exists): `(METHOD, [(UID, SEQUENCE)])`.
/// Each must also have arrived.
async fn calendar_messages(app: &TestApp, to: &str) -> Vec<(String, Vec<(String, u32)>)> {
    app.settle_outbox().await;
    let received = app.smtp.messages_to(to).iter().filter_map(ReceivedMail::calendar).count();
    let queued: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.recipient_email == to)
        .flat_map(|m| m.attachments())
        .map(|a| a.content)
        .collect();
    assert_eq!(received, queued.len(), "every calendar message arrived");
    queued
        .iter()
        .map(|text| {
            let calendar: icalendar::Calendar = text.parse().expect("a calendar");
            let method = calendar.property_value("METHOD").unwrap_or_default().to_owned();
            (method, events_of(&calendar).into_iter().map(|e| (e.uid, e.sequence.expect("a SEQUENCE"))).collect())
        })
        .collect()
}

#[tokio::test]
async fn every_message_about_an_event_has_a_higher_sequence_than_the_last_one_its_attendee_got() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(
            &app,
            CourseSpec::new("Agenda op orde", 10)
                .sessions(vec![session_at(local_at(7, "19:30")), session_at(local_at(14, "19:30"))]),
        )
        .await;
    let ann = app.participant("Ann").await;

    ann.enrols_in(&app, &course).await; // REQUEST
    assert_eq!(ann.cancel(&app, &course).await.0, 200); // CANCEL
    ann.enrols_in(&app, &course).await; // REQUEST again
    let moved = local_at(8, "20:00");
    let (status, body) = coordinator
        .patch_json(
            &app,
            &format!("/api/v1/sessions/{}", course.session_ids[0]),
            &json!({"starts_at": moved.to_rfc3339(), "ends_at": (moved + chrono::Duration::hours(2)).to_rfc3339()}),
        )
        .await;
    assert_eq!(status, 200, "{body}"); // REQUEST for the moved session
    assert_eq!(coordinator.cancel_session(&app, course.session_ids[1]).await.0, 200); // CANCEL

    let messages = calendar_messages(&app, &ann.email).await;
    let methods: Vec<&str> = messages.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(methods, ["REQUEST", "CANCEL", "REQUEST", "REQUEST", "CANCEL"], "{messages:?}");
    let mut last: HashMap<String, u32> = HashMap::new();
    for (method, events) in &messages {
        for (uid, sequence) in events {
            if let Some(before) = last.get(uid) {
                assert!(sequence > before, "{method} {uid}: SEQUENCE {sequence} after {before}: {messages:?}");
            }
            last.insert(uid.clone(), *sequence);
        }
    }
    assert_eq!(last.len(), 2, "both sessions were sent: {messages:?}");
    // the re-enrolment's REQUEST is higher than the CANCEL before it
    assert!(messages[2].1[0].1 > messages[1].1[0].1);
}

#[tokio::test]
async fn someone_on_the_waiting_list_gets_no_cancel_of_an_event_never_sent() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(
            &app,
            CourseSpec::new("Vol", 1)
                .sessions(vec![session_at(local_at(7, "19:30")), session_at(local_at(14, "19:30"))]),
        )
        .await;
    let bob = app.participant("Bob").await;
    let ann = app.participant("Ann").await;
    bob.enrols_in(&app, &course).await;
    assert_eq!(ann.enrol(&app, &course).await.1["status"], "waitlisted");

    assert_eq!(coordinator.cancel_session(&app, course.session_ids[0]).await.0, 200);
    let to_ann = app.mail_to(&ann, "Bijeenkomst gaat niet door").await;
    assert!(to_ann.calendar().is_none(), "no CANCEL for the waiting: {}", to_ann.text());
    assert!(!to_ann.text().contains(".ics"), "{}", to_ann.text());
    let to_bob = app.mail_to(&bob, "Bijeenkomst gaat niet door").await;
    assert_eq!(calendar_of(&to_bob).property_value("METHOD"), Some("CANCEL"));

    coordinator.set_status(&app, course.id, "cancelled").await;
    app.settle_outbox().await;
    let methods: Vec<_> = calendar_messages(&app, &ann.email).await.into_iter().map(|(m, _)| m).collect();
    assert!(methods.is_empty(), "Ann never had the events: {methods:?}");
    let methods: Vec<_> = calendar_messages(&app, &bob.email).await.into_iter().map(|(m, _)| m).collect();
    assert_eq!(methods, ["REQUEST", "CANCEL", "CANCEL"]);
}

#[tokio::test]
async fn a_name_with_quotes_and_separators_is_a_valid_attendee() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Namen", 10)).await;
    let jan = app.participant(r#"Jan "de Bouwer" Smit; Groningen, NL: wijk"#).await;
    jan.enrols_in(&app, &course).await;

    let mail = app.mail_to(&jan, "Je bent ingeschreven").await;
    let calendar = calendar_of(&mail);
    let event = calendar.events().next().expect("an event");
    let attendees = event.multi_properties().get("ATTENDEE").cloned().unwrap_or_default();
    assert_eq!(attendees.len(), 1, "{}", mail.calendar().unwrap());
    assert_eq!(attendees[0].value(), format!("mailto:{}", jan.email));
    let cn = attendees[0].params().get("CN").map(|p| p.value().trim_matches('"').to_owned());
    assert_eq!(cn.as_deref(), Some("Jan 'de Bouwer' Smit; Groningen, NL: wijk"));
    assert!(event.property_value("ORGANIZER").is_some());
}

/// The parts of `mail` as (content type with method, filename), and those inside its
/// multipart/alternative.
fn structure(mail: &ReceivedMail) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let parsed = MessageParser::default().parse(&mail.raw).expect("parses");
    let describe = |id: usize| {
        let part = &parsed.parts[id];
        let ct = part.content_type().map_or(String::new(), |c| {
            format!(
                "{}/{}{}",
                c.ctype(),
                c.subtype().unwrap_or(""),
                c.attribute("method").map_or(String::new(), |m| format!(";method={m}"))
            )
        });
        (ct.to_ascii_lowercase(), part.attachment_name().map(str::to_owned))
    };
    let all: Vec<_> = (0..parsed.parts.len()).map(describe).collect();
    let alternative = parsed
        .parts
        .iter()
        .find_map(|p| match (&p.body, p.content_type()) {
            (PartType::Multipart(children), Some(c)) if c.subtype() == Some("alternative") => Some(children.clone()),
            _ => None,
        })
        .expect("a multipart/alternative");
    (all, alternative.into_iter().map(|id| describe(id as usize).0).collect())
}

#[tokio::test]
async fn an_invitation_is_an_inline_alternative_and_an_attachment() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Uitnodiging", 10)).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(&app, &course).await;

    let (parts, alternative) = structure(&app.mail_to(&ann, "Je bent ingeschreven").await);
    assert_eq!(alternative, ["text/plain", "text/html", "text/calendar;method=request"], "{parts:?}");
    assert!(parts.contains(&("application/ics".into(), Some("uitnodiging.ics".into()))), "{parts:?}");

    ann.cancel(&app, &course).await;
    let (parts, alternative) = structure(&app.mail_to(&ann, "Je bent uitgeschreven").await);
    assert_eq!(alternative, ["text/plain", "text/html", "text/calendar;method=cancel"], "{parts:?}");
    assert!(parts.contains(&("application/ics".into(), Some("afmelding.ics".into()))), "{parts:?}");
}

#[tokio::test]
async fn the_course_feed_marks_a_cancelled_session_and_numbers_only_live_ones() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator
        .create_course(
            &app,
            CourseSpec::new("Drie avonden", 10).sessions(vec![
                session_at(local_at(7, "19:30")),
                session_at(local_at(14, "19:30")),
                session_at(local_at(21, "19:30")),
            ]),
        )
        .await;
    coordinator.cancel_session(&app, course.session_ids[1]).await;

    let response = app.api(Method::GET, &format!("{}/agenda.ics", course.page()), None, None).await;
    assert_eq!(response.status(), 200);
    let calendar: icalendar::Calendar = response.text().await.unwrap().parse().unwrap();
    let summaries: Vec<(String, Option<String>)> = calendar
        .events()
        .map(|e| (e.get_summary().unwrap_or_default().to_owned(), e.property_value("STATUS").map(str::to_owned)))
        .collect();
    assert_eq!(
        summaries,
        [
            ("Drie avonden (1/2)".to_owned(), Some("CONFIRMED".to_owned())),
            ("Drie avonden (afgelast)".to_owned(), Some("CANCELLED".to_owned())),
            ("Drie avonden (2/2)".to_owned(), Some("CONFIRMED".to_owned())),
        ]
    );
}

/// GET `path` as a calendar program does: no cookies; answers status, ETag, Set-Cookie.
async fn poll(app: &TestApp, path: &str, etag: Option<&str>) -> (u16, Option<String>, Vec<String>) {
    let mut request = app.api_client.get(app.url(path));
    if let Some(tag) = etag {
        request = request.header("if-none-match", tag);
    }
    let response = request.send().await.unwrap();
    let tag = response.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), tag, set_cookies(&response))
}

#[tokio::test]
async fn feeds_send_no_cookie_and_answer_conditional_gets() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Volgen", 10)).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(&app, &course).await;
    let page = Visitor::logged_in(&app, &ann).page("/mijn-cursussen").await;
    let personal = input_value(&page, "calendar-url").strip_prefix(&app.address).unwrap().to_owned();

    for path in ["/cursussen/agenda.ics".to_owned(), format!("{}/agenda.ics", course.page()), personal] {
        let (status, etag, cookies) = poll(&app, &path, None).await;
        assert_eq!(status, 200, "{path}");
        assert!(cookies.is_empty(), "{path} sets {cookies:?}");
        let etag = etag.unwrap_or_else(|| panic!("{path}: no ETag"));
        let (status, again, cookies) = poll(&app, &path, Some(&etag)).await;
        assert_eq!((status, again.as_deref()), (304, Some(etag.as_str())), "{path}");
        assert!(cookies.is_empty(), "{path} sets {cookies:?}");
        assert_eq!(poll(&app, &path, Some("\"iets-anders\"")).await.0, 200, "{path}");
    }
    // a change makes a new ETag
    let (_, before, _) = poll(&app, "/cursussen/agenda.ics", None).await;
    coordinator.cancel_session(&app, course.session_ids[0]).await;
    let (status, after, _) = poll(&app, "/cursussen/agenda.ics", before.as_deref()).await;
    assert_eq!(status, 200);
    assert_ne!(before, after);
}

#[tokio::test]
async fn the_personal_feed_is_a_webcal_link_and_a_new_link_revokes_the_old() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(&app, CourseSpec::new("Eigen agenda", 10)).await;
    let ann = app.participant("Ann").await;
    ann.enrols_in(&app, &course).await;
    let visitor = Visitor::logged_in(&app, &ann);

    let page = visitor.page("/mijn-cursussen").await;
    let old = input_value(&page, "calendar-url");
    let webcal = old.replacen("http://", "webcal://", 1);
    assert!(page.contains(&format!(r#"href="{webcal}""#)), "a webcal:// link: {page}");
    assert!(page.contains(r#"data-copy="calendar-url""#) && page.contains("/static/copy.js"), "{page}");
    assert!(page.contains(r#"readonly value=""#), "the address is text to select without JavaScript");
    let old_path = old.strip_prefix(&app.address).unwrap().to_owned();
    assert_eq!(app.api(Method::GET, &old_path, None, None).await.status(), 200);
    // the database holds no usable address
    let stored = app.text(&format!("SELECT calendar_token AS v FROM users WHERE id = {}", ann.id)).await.unwrap();
    assert!(!old.contains(&stored), "{old} contains {stored}");

    let response = visitor.submit("/mijn-cursussen", "/profiel/agenda-link", &[("terug", "/mijn-cursussen")]).await;
    assert_eq!(response.status(), 303);
    let page = visitor.page("/mijn-cursussen?melding=feed-renewed").await;
    assert!(page.contains("Je agenda heeft een nieuw adres."), "{page}");
    let new = input_value(&page, "calendar-url");
    assert_ne!(new, old);
    assert_eq!(app.api(Method::GET, &old_path, None, None).await.status(), 404, "the old address is revoked");
    let new_path = new.strip_prefix(&app.address).unwrap().to_owned();
    assert_eq!(app.api(Method::GET, &new_path, None, None).await.status(), 200);
    assert!(visitor.page("/profiel").await.contains(&new), "the profile shows the new address");
    // the form needs its CSRF token
    let refused = app.post_form("/profiel/agenda-link", &[("terug", "/profiel")]).await;
    assert_eq!(refused.status(), 403);
}
