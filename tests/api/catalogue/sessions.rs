//! Sessions: Amsterdam local times stored right across DST, RFC 3339 answers, changes and
//! cancellations that reach every enrolled and waiting person with a calendar file.

use icalendar::{Component, EventStatus};
use serde_json::{Value, json};

use crate::common::{
    Person, TestApp, ahead, assert_invalid, calendar_of, course_body, id, instant, spawn_app, utc, with,
};

fn session_body(starts: &str, ends: &str) -> Value {
    json!({ "starts_at": starts, "ends_at": ends, "place": "Wijkcentrum", "address": "Plein 1" })
}

#[tokio::test]
async fn a_session_is_added_and_answered_with_rfc3339_times() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.post_course(&app, course_body("Buurtgesprek")).await;

    let body = json!({
        "starts_at": "2027-05-11T19:30", "ends_at": "2027-05-11T21:30", "place": "Het Floreshuis",
        "address": "Floresplein 1", "wijk": "De Hoogte", "online_url": "https://meet.example.org/buurt"
    });
    let (status, session) =
        coordinator.post_json(&app, &format!("/api/v1/courses/{}/sessions", id(&course)), &body).await;
    assert_eq!(status, 201, "{session}");
    assert!(id(&session) > 0);
    assert_eq!(session["course_id"], id(&course));
    assert_eq!(session["place"], "Het Floreshuis");
    assert_eq!(session["address"], "Floresplein 1");
    assert_eq!(session["wijk"], "de-hoogte", "a wijk is stored by its slug");
    assert_eq!(session["online_url"], "https://meet.example.org/buurt");
    assert_eq!(session["status"], "scheduled");
    assert_eq!(instant(&session["starts_at"]), utc("2027-05-11T17:30:00Z"));
    assert_eq!(instant(&session["ends_at"]), utc("2027-05-11T19:30:00Z"));

    let (_, read) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(&course))).await;
    let sessions = read["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    for field in ["id", "starts_at", "ends_at", "place", "address", "wijk", "status"] {
        assert_eq!(sessions[0][field], session[field], "{field}");
    }
    for field in ["starts_at", "ends_at"] {
        let text = sessions[0][field].as_str().unwrap();
        assert!(text.ends_with('Z') || text[text.len() - 6..].starts_with(['+', '-']), "{field} has an offset: {text}");
    }
    let (status, _) = coordinator
        .post_json(&app, "/api/v1/courses/999999/sessions", &session_body("2027-05-11T19:30", "2027-05-11T21:30"))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn local_times_are_amsterdam_time_across_the_dst_change() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.post_course(&app, course_body("Rond de zomertijd")).await;
    let c = id(&course);

    // the last evening of winter time (UTC+1) and the first of summer time (UTC+2)
    let before = coordinator.add_session(&app, c, "2027-03-27T19:30", "2027-03-27T21:30", "selwerd").await;
    let after = coordinator.add_session(&app, c, "2027-03-28T19:30", "2027-03-28T21:30", "selwerd").await;
    assert_eq!(instant(&before["starts_at"]), utc("2027-03-27T18:30:00Z"));
    assert_eq!(instant(&before["ends_at"]), utc("2027-03-27T20:30:00Z"));
    assert_eq!(instant(&after["starts_at"]), utc("2027-03-28T17:30:00Z"));
    assert_eq!(instant(&after["ends_at"]), utc("2027-03-28T19:30:00Z"));
    // stored as those UTC moments
    let stored = |session: &Value, at: &str| {
        format!("SELECT 1 FROM course_sessions WHERE id = {} AND starts_at = timestamptz '{at}'", id(session))
    };
    assert_eq!(app.execute(&stored(&before, "2027-03-27 18:30:00+00")).await, 1);
    assert_eq!(app.execute(&stored(&after, "2027-03-28 17:30:00+00")).await, 1);
    assert_eq!(app.execute(&stored(&after, "2027-03-28 18:30:00+00")).await, 0, "the check itself can fail");

    // and back to winter time in October
    let october = coordinator.add_session(&app, c, "2027-10-31T19:30", "2027-10-31T21:30", "selwerd").await;
    assert_eq!(instant(&october["starts_at"]), utc("2027-10-31T18:30:00Z"));

    // an offset is taken as given
    let summer = coordinator.add_session(&app, c, "2027-06-01T10:00:00+02:00", "2027-06-01T12:00:00Z", "selwerd").await;
    assert_eq!(instant(&summer["starts_at"]), utc("2027-06-01T08:00:00Z"));
    assert_eq!(instant(&summer["ends_at"]), utc("2027-06-01T12:00:00Z"));

    // 02:30 on 28 March 2027 does not exist in Amsterdam
    let answer = coordinator
        .post_json(
            &app,
            &format!("/api/v1/courses/{c}/sessions"),
            &session_body("2027-03-28T02:30", "2027-03-28T04:00"),
        )
        .await;
    assert_eq!(assert_invalid(&answer, "starts_at"), "time-nonexistent");
    let answer = coordinator
        .post_json(&app, &format!("/api/v1/courses/{c}/sessions"), &session_body("morgenavond", "2027-03-28T04:00"))
        .await;
    assert_eq!(assert_invalid(&answer, "starts_at"), "time-invalid");

    // the page shows the local times: 19:30 on both sides of the change
    coordinator.set_status(&app, c, "published").await;
    let page = app.page("/cursussen/rond-de-zomertijd").await;
    assert!(page.contains("zaterdag 27 maart 2027, 19:30–21:30"), "{page}");
    assert!(page.contains("zondag 28 maart 2027, 19:30–21:30"), "{page}");
    assert!(page.contains("zondag 31 oktober 2027, 19:30–21:30"), "{page}");
    let (_, read) = app.get_json(&format!("/api/v1/courses/{c}")).await;
    assert_eq!(read["sessions"].as_array().unwrap().len(), 4, "nothing else was added: {read}");
}

#[tokio::test]
async fn a_session_must_end_after_it_starts_and_have_a_place() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.post_course(&app, course_body("Regels voor bijeenkomsten")).await;
    let path = format!("/api/v1/courses/{}/sessions", id(&course));

    let cases: Vec<(&str, Value, &str)> = vec![
        ("end before start", session_body("2027-04-01T21:30", "2027-04-01T19:30"), "ends_at"),
        ("end at start", session_body("2027-04-01T19:30", "2027-04-01T19:30"), "ends_at"),
        ("no start", json!({"ends_at": "2027-04-01T21:30", "place": "Wijkcentrum"}), "starts_at"),
        ("no end", json!({"starts_at": "2027-04-01T21:30", "place": "Wijkcentrum"}), "ends_at"),
        ("no place and no link", json!({"starts_at": "2027-04-01T19:30", "ends_at": "2027-04-01T21:30"}), "place"),
        (
            "unknown wijk",
            with(session_body("2027-04-01T19:30", "2027-04-01T21:30"), json!({"wijk": "Atlantis"})),
            "wijk",
        ),
        (
            "a link that is not http",
            with(session_body("2027-04-01T19:30", "2027-04-01T21:30"), json!({"online_url": "javascript:alert(1)"})),
            "online_url",
        ),
    ];
    for (what, body, field) in cases {
        let answer = coordinator.post_json(&app, &path, &body).await;
        assert_eq!(answer.0, 422, "{what}: {}", answer.1);
        assert_invalid(&answer, field);
    }
    let answer = coordinator.post_json(&app, &path, &session_body("2027-04-01T21:30", "2027-04-01T19:30")).await;
    assert_eq!(assert_invalid(&answer, "ends_at"), "ends-before-start");

    // online only is fine, and so is a session in the past (recorded afterwards)
    let online = json!({"starts_at": "2027-04-01T19:30", "ends_at": "2027-04-01T21:30", "online_url": "https://meet.example.org/x"});
    assert_eq!(coordinator.post_json(&app, &path, &online).await.0, 201);
    let past = coordinator.add_session(&app, id(&course), "2024-05-01T19:30", "2024-05-01T21:30", "beijum").await;
    assert_eq!(instant(&past["starts_at"]), utc("2024-05-01T17:30:00Z"));
    let (_, read) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(&course))).await;
    assert_eq!(read["sessions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_session_is_changed_with_patch() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.post_course(&app, course_body("Verhuizen")).await;
    let session = coordinator.add_session(&app, id(&course), "2027-04-01T19:30", "2027-04-01T21:30", "selwerd").await;
    let path = format!("/api/v1/sessions/{}", id(&session));

    let (status, changed) =
        coordinator.patch_json(&app, &path, &json!({"place": "Bibliotheek", "wijk": "Vinkhuizen"})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["place"], "Bibliotheek");
    assert_eq!(changed["wijk"], "vinkhuizen");
    assert_eq!(changed["starts_at"], session["starts_at"], "what is not given stays");
    assert_eq!(changed["address"], "Voorbeeldstraat 1");

    let (status, moved) = coordinator
        .patch_json(&app, &path, &json!({"starts_at": "2027-04-02T10:00", "ends_at": "2027-04-02T12:00"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(instant(&moved["starts_at"]), utc("2027-04-02T08:00:00Z"));

    let answer = coordinator.patch_json(&app, &path, &json!({"ends_at": "2027-04-02T09:00"})).await;
    assert_eq!(assert_invalid(&answer, "ends_at"), "ends-before-start");
    let answer = coordinator.patch_json(&app, &path, &json!({"wijk": null, "place": ""})).await;
    assert_invalid(&answer, "place");
    let (_, read) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(&course))).await;
    assert_eq!(read["sessions"][0]["place"], "Bibliotheek", "a refused change changes nothing");
    assert_eq!(instant(&read["sessions"][0]["ends_at"]), utc("2027-04-02T10:00:00Z"));

    let (status, _) = coordinator.patch_json(&app, "/api/v1/sessions/999999", &json!({"place": "X"})).await;
    assert_eq!(status, 404);
}

/// A published course (capacity 1) with two sessions: Ann has the seat, Bob waits, Carla
/// is in another course. Answers the course, its sessions, the coordinator and the people.
async fn full_course(app: &TestApp) -> (Value, Value, Value, Person, [Person; 3]) {
    let coordinator = app.coordinator().await;
    let course = coordinator.post_course(app, with(course_body("Energie besparen"), json!({"capacity": 1}))).await;
    let first = coordinator
        .add_session(app, id(&course), &ahead("2027-02-10T19:30"), &ahead("2027-02-10T21:30"), "oosterpoort")
        .await;
    let second = coordinator
        .add_session(app, id(&course), &ahead("2027-02-17T19:30"), &ahead("2027-02-17T21:30"), "oosterpoort")
        .await;
    coordinator.set_status(app, id(&course), "published").await;
    let other = coordinator.post_course(app, course_body("Iets anders")).await;
    coordinator.add_session(app, id(&other), &ahead("2027-02-10T19:30"), &ahead("2027-02-10T21:30"), "selwerd").await;
    coordinator.set_status(app, id(&other), "published").await;

    let ann = app.participant("Ann Akker").await;
    let bob = app.participant("Bob Bakker").await;
    let carla = app.participant("Carla Claes").await;
    assert_eq!(ann.enrols_in(app, &course).await, "enrolled");
    assert_eq!(bob.enrols_in(app, &course).await, "waitlisted");
    assert_eq!(carla.enrols_in(app, &other).await, "enrolled");
    (course, first, second, coordinator, [ann, bob, carla])
}

#[tokio::test]
async fn cancelling_a_session_tells_everyone_enrolled_and_waiting_with_an_ics_cancel_for_a_seat() {
    let app = spawn_app().await;
    let (course, first, second, coordinator, [ann, bob, carla]) = full_course(&app).await;
    let invitation = app.mail_to(&ann, "Je bent ingeschreven").await;
    let invited_sequence = calendar_of(&invitation)
        .events()
        .find(|e| e.get_uid() == Some(&format!("sessie-{}@127.0.0.1", id(&first))))
        .and_then(|e| e.get_sequence())
        .expect("the invitation has the session");

    let (status, cancelled) = coordinator.cancel_session(&app, id(&first)).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["id"], first["id"]);

    for who in [&ann, &bob] {
        let mail = app.mail_to(who, "Bijeenkomst gaat niet door").await;
        assert!(mail.subject().unwrap().contains("Energie besparen"), "{:?}", mail.subject());
        assert!(mail.text().contains(&ahead(" 10 februari 2027, 19:30–21:30")), "{}", mail.text());
        if who.email == bob.email {
            // waiting: the event was never sent to Bob, so no CANCEL either (issue 15)
            assert!(mail.calendar().is_none(), "{}", mail.text());
            continue;
        }
        let calendar = calendar_of(&mail);
        assert_eq!(calendar.property_value("METHOD"), Some("CANCEL"));
        let events: Vec<_> = calendar.events().collect();
        assert_eq!(events.len(), 1, "only the cancelled session");
        let event = events[0];
        assert_eq!(event.get_uid(), Some(format!("sessie-{}@127.0.0.1", id(&first)).as_str()));
        assert_eq!(event.get_status(), Some(EventStatus::Cancelled));
        assert_eq!(event.property_value("STATUS"), Some("CANCELLED"));
        assert_eq!(event.property_value("DTSTART"), Some(ahead("20270210T183000Z").as_str()));
        assert!(event.get_sequence().unwrap() > invited_sequence, "the cancellation replaces the invitation");
    }
    // through the outbox, one message each, and nobody else
    let rows: Vec<_> =
        app.outbox().await.into_iter().filter(|m| m.subject.starts_with("Bijeenkomst gaat niet door")).collect();
    let mut to: Vec<&str> = rows.iter().map(|m| m.recipient_email.as_str()).collect();
    to.sort();
    assert_eq!(to, [ann.email.as_str(), bob.email.as_str()]);
    assert_eq!(app.count_mail(&carla, "Bijeenkomst gaat niet door").await, 0);

    // cancelling again changes nothing and sends nothing
    let (status, again) = coordinator.cancel_session(&app, id(&first)).await;
    assert_eq!((status, again["status"].as_str()), (200, Some("cancelled")));
    assert_eq!(app.count_mail(&ann, "Bijeenkomst gaat niet door").await, 1);
    assert_eq!(app.count_mail(&bob, "Bijeenkomst gaat niet door").await, 1);

    // the other session goes on, the enrolments stay, and the page says what is off
    let (_, read) = app.get_json(&format!("/api/v1/courses/{}", id(&course))).await;
    let status_of =
        |s: &Value| read["sessions"].as_array().unwrap().iter().find(|x| x["id"] == s["id"]).unwrap()["status"].clone();
    assert_eq!(status_of(&first), "cancelled");
    assert_eq!(status_of(&second), "scheduled");
    assert_eq!((read["seats_left"].as_i64(), read["waitlist_length"].as_i64()), (Some(0), Some(1)));
    assert_eq!(read["session_count"], 1);
    let page = app.page("/cursussen/energie-besparen").await;
    assert!(page.contains("Gaat niet door"), "{page}");
    let (status, _) = coordinator.cancel_session(&app, 999999).await;
    assert_eq!(status, 404);
    // a cancelled session cannot be changed any more
    let (status, _) =
        coordinator.patch_json(&app, &format!("/api/v1/sessions/{}", id(&first)), &json!({"place": "X"})).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn cancelling_a_course_tells_everyone_and_ends_their_enrolments() {
    let app = spawn_app().await;
    let (course, first, second, coordinator, [ann, bob, carla]) = full_course(&app).await;

    coordinator.set_status(&app, id(&course), "cancelled").await;
    for who in [&ann, &bob] {
        let mail = app.mail_to(who, "Gaat niet door: Energie besparen").await;
        if who.email == bob.email {
            assert!(mail.calendar().is_none(), "Bob was waiting: no CANCEL: {}", mail.text());
        } else {
            let calendar = calendar_of(&mail);
            assert_eq!(calendar.property_value("METHOD"), Some("CANCEL"));
            let mut uids: Vec<String> = calendar.events().map(|e| e.get_uid().unwrap().to_owned()).collect();
            uids.sort();
            let mut expected =
                vec![format!("sessie-{}@127.0.0.1", id(&first)), format!("sessie-{}@127.0.0.1", id(&second))];
            expected.sort();
            assert_eq!(uids, expected, "every session of the course is cancelled in the calendar");
            assert!(calendar.events().all(|e| e.property_value("STATUS") == Some("CANCELLED")));
        }

        let (_, mine) = who.get(&app, "/api/v1/me/enrolments").await;
        let enrolment = mine["items"].as_array().unwrap().iter().find(|e| e["course"]["id"] == course["id"]).unwrap();
        assert_eq!(enrolment["status"], "cancelled", "{} no longer has an enrolment: {mine}", who.email);
    }
    assert_eq!(app.count_mail(&carla, "Gaat niet door").await, 0);
    assert_eq!(app.count_mail(&ann, "Gaat niet door").await, 1);

    let (_, read) = coordinator.get(&app, &format!("/api/v1/courses/{}", id(&course))).await;
    assert_eq!(read["status"], "cancelled");
    assert_eq!((read["seats_left"].as_i64(), read["waitlist_length"].as_i64()), (Some(1), Some(0)));
    let (status, _) = ann.get(&app, &format!("/api/v1/courses/{}", id(&course))).await;
    assert_eq!(status, 404, "a cancelled course is no longer public");
    // no sessions can be added any more
    let (status, _) = coordinator
        .post_json(
            &app,
            &format!("/api/v1/courses/{}/sessions", id(&course)),
            &session_body("2027-05-01T19:30", "2027-05-01T21:30"),
        )
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn moving_a_session_sends_enrolled_people_an_update_with_a_higher_sequence() {
    let app = spawn_app().await;
    let (_course, first, _second, coordinator, [ann, bob, _carla]) = full_course(&app).await;
    let uid = format!("sessie-{}@127.0.0.1", id(&first));
    let invitation = app.mail_to(&ann, "Je bent ingeschreven").await;
    let old_sequence =
        calendar_of(&invitation).events().find(|e| e.get_uid() == Some(&uid)).unwrap().get_sequence().unwrap();

    // saving the same place again changes nothing, so nothing is sent
    let path = format!("/api/v1/sessions/{}", id(&first));
    let (status, _) = coordinator.patch_json(&app, &path, &json!({"place": "Buurthuis"})).await;
    assert_eq!(status, 200);
    assert_eq!(app.count_mail(&ann, "Nieuwe tijd of plaats").await, 0);

    let (status, moved) = coordinator
        .patch_json(&app, &path, &json!({"starts_at": ahead("2027-02-10T20:00"), "ends_at": ahead("2027-02-10T22:00")}))
        .await;
    assert_eq!(status, 200, "{moved}");
    let update = app.mail_to(&ann, "Nieuwe tijd of plaats").await;
    assert!(update.text().contains(&ahead(" 10 februari 2027, 20:00–22:00")), "{}", update.text());
    let calendar = calendar_of(&update);
    assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
    let event = calendar.events().find(|e| e.get_uid() == Some(&uid)).expect("the same event");
    assert_eq!(event.property_value("DTSTART"), Some(ahead("20270210T190000Z").as_str()));
    let new_sequence = event.get_sequence().unwrap();
    assert!(new_sequence > old_sequence, "SEQUENCE {new_sequence} must be above {old_sequence}");

    // waiting people have no seat in the calendar, so they get no update
    assert_eq!(app.count_mail(&bob, "Nieuwe tijd of plaats").await, 0);

    // a second move raises the sequence again
    coordinator.patch_json(&app, &path, &json!({"place": "Bibliotheek Oosterpoort"})).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let updates = loop {
        let updates: Vec<_> = app
            .smtp
            .messages_to(&ann.email)
            .into_iter()
            .filter(|m| m.subject().is_some_and(|s| s.starts_with("Nieuwe tijd of plaats")))
            .collect();
        if updates.len() == 2 || std::time::Instant::now() > deadline {
            break updates;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(updates.len(), 2, "one update per change");
    let sequences: Vec<u32> = updates
        .iter()
        .map(|m| calendar_of(m).events().find(|e| e.get_uid() == Some(&uid)).unwrap().get_sequence().unwrap())
        .collect();
    assert!(sequences.contains(&new_sequence) && sequences.iter().any(|s| *s > new_sequence), "{sequences:?}");
}
