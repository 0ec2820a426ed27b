//! The coordinator's HTML pages: create and edit a course, add, move and cancel sessions
//! with date and time fields, publish, assign a trainer; errors next to the fields and
//! nothing typed lost.

use serde_json::Value;

use crate::common::{Person, TestApp, course_body, id, input_tag, instant, location, spawn_app};

/// The course id in a `/beheer/cursussen/{id}…` address.
fn course_id_in(location: &str) -> i64 {
    let rest = location.strip_prefix("/beheer/cursussen/").unwrap_or_else(|| panic!("{location}"));
    rest.split(['?', '#', '/']).next().unwrap().parse().unwrap()
}

/// A coordinator, logged in with the app's own browser.
async fn logged_in_coordinator(app: &TestApp) -> Person {
    let who = app.coordinator().await;
    app.login_as(&who).await;
    who
}

/// The course as the API answers it to `who`.
async fn read(app: &TestApp, who: &Person, course: i64) -> Value {
    let (status, body) = who.get(app, &format!("/api/v1/courses/{course}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

const COURSE_FIELDS: [(&str, &str); 9] = [
    ("title", "Buurtkracht in Beijum"),
    ("summary", "Samen sterk in je straat."),
    ("description", "Neem **je buren** mee."),
    ("theme", "persoonlijk-leiderschap"),
    ("format", "werkplaats"),
    ("audience", "Bewoners van Beijum"),
    ("capacity", "15"),
    ("cancellation_deadline_hours", "48"),
    ("completion_threshold", "75"),
];

fn course_form(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut fields: Vec<(&str, &str)> =
        COURSE_FIELDS.iter().map(|(k, v)| (*k, changes.iter().find(|(c, _)| c == k).map_or(*v, |(_, v)| *v))).collect();
    fields.push(("waitlist_enabled", "ja"));
    fields
}

#[tokio::test]
async fn a_coordinator_creates_a_course_with_the_form_and_nothing_typed_is_lost() {
    let app = spawn_app().await;
    let who = logged_in_coordinator(&app).await;

    let page = app.page("/beheer/cursussen/nieuw").await;
    assert!(page.contains(r#"action="/beheer/cursussen""#), "{page}");
    assert!(page.contains(r#"<option value="elkaars-taal">Elkaars taal</option>"#), "{page}");
    assert!(page.contains(r#"id="capacity" name="capacity" type="number" value="12""#), "defaults: {page}");
    assert!(page.contains(r#"id="completion_threshold" name="completion_threshold" type="number" value="80""#));

    // capacity "abc": the error is next to the field and everything typed is still there
    let response = app.post_form("/beheer/cursussen", &course_form(&[("capacity", "abc")])).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"class="error-summary""#), "{page}");
    assert!(page.contains(r##"<a href="#capacity">"##), "the summary links to the field: {page}");
    let error = page.find(r#"id="capacity-error""#).expect("an error at the capacity field");
    let input = page.find(r#"id="capacity" name="capacity""#).unwrap();
    assert!(error < input && input - error < 400, "the message is right above the field");
    assert!(page.contains("Vul een getal in."), "{page}");
    let capacity = input_tag(&page, "capacity");
    assert!(capacity.contains(r#"value="abc""#), "what was typed stays: {capacity}");
    assert!(capacity.contains(r#"aria-invalid="true""#), "{capacity}");
    assert!(capacity.contains(r#"aria-describedby="capacity-hint capacity-error""#), "{capacity}");
    assert!(!input_tag(&page, "title").contains("aria-invalid"), "the title is fine");
    assert!(page.contains(r#"value="Buurtkracht in Beijum""#), "the title is kept: {page}");
    assert!(page.contains(r#"value="Samen sterk in je straat.""#));
    assert!(page.contains(">Neem **je buren** mee.</textarea>"), "the description is kept: {page}");
    assert!(page.contains(r#"<option value="persoonlijk-leiderschap" selected>"#), "the theme is kept");
    assert!(page.contains(r#"value="werkplaats" checked"#), "the format is kept");
    assert!(page.contains(r#"value="Bewoners van Beijum""#));
    assert!(page.contains(r#"value="48""#) && page.contains(r#"value="75""#));

    // rules of the service show the same way: empty title and capacity 0
    let response = app.post_form("/beheer/cursussen", &course_form(&[("title", ""), ("capacity", "0")])).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"id="title-error""#) && page.contains(r#"id="capacity-error""#), "{page}");
    assert!(page.contains(r#"value="Samen sterk in je straat.""#), "{page}");
    let (_, all) = who.get(&app, "/api/v1/courses?status=all").await;
    assert_eq!(all["total"], 0, "nothing saved yet");

    let response = app.post_form("/beheer/cursussen", &course_form(&[])).await;
    assert_eq!(response.status(), 303);
    let target = location(&response);
    assert!(target.ends_with("?melding=course-created"), "{target}");
    let course = read(&app, &who, course_id_in(&target)).await;
    assert_eq!(course["title"], "Buurtkracht in Beijum");
    assert_eq!(course["slug"], "buurtkracht-in-beijum");
    assert_eq!(course["theme"], "persoonlijk-leiderschap");
    assert_eq!(course["format"], "werkplaats");
    assert_eq!(course["capacity"], 15);
    assert_eq!(course["cancellation_deadline_hours"], 48);
    assert_eq!(course["completion_threshold"], 75);
    assert_eq!(course["waitlist_enabled"], true);
    assert_eq!(course["status"], "draft");
    assert!(course["description_html"].as_str().unwrap().contains("<strong>je buren</strong>"));
    let page = app.page(&target).await;
    assert!(page.contains("De cursus is gemaakt."), "{page}");
    let list = app.page("/beheer/cursussen").await;
    assert!(list.contains("Buurtkracht in Beijum") && list.contains("Concept"), "{list}");
}

#[tokio::test]
async fn sessions_are_added_and_moved_with_date_and_time_fields() {
    let app = spawn_app().await;
    let who = logged_in_coordinator(&app).await;
    let course = who.post_course(&app, course_body("Wijkschouw")).await;
    let c = id(&course);

    let page = app.page(&format!("/beheer/cursussen/{c}")).await;
    assert!(page.contains(r#"id="date" name="date" type="date""#), "a native date picker: {page}");
    assert!(page.contains(r#"id="start_time" name="start_time" type="time""#));
    assert!(page.contains(r#"id="end_time" name="end_time" type="time""#));
    assert!(page.contains(r#"<option value="selwerd">Selwerd</option>"#));

    let session = |date: &'static str, start: &'static str, end: &'static str| {
        vec![
            ("date", date),
            ("start_time", start),
            ("end_time", end),
            ("place", "Wijkcentrum Selwerd"),
            ("address", "Selwerderdwarsstraat 1"),
            ("wijk", "selwerd"),
            ("online_url", ""),
        ]
    };
    let path = format!("/beheer/cursussen/{c}/sessies");
    // end before start: the error is at the end time, and what was typed stays
    let response = app.post_form(&path, &session("2027-03-28", "21:30", "19:30")).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"id="end_time-error""#), "{page}");
    assert!(page.contains("De eindtijd moet na de begintijd liggen."));
    assert!(page.contains(r#"value="2027-03-28""#) && page.contains(r#"value="Wijkcentrum Selwerd""#), "{page}");
    assert!(page.contains(r#"<option value="selwerd" selected>"#));
    // a time that does not exist (the clock jumps from 02:00 to 03:00)
    let response = app.post_form(&path, &session("2027-03-28", "02:30", "04:00")).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains(r#"id="start_time-error""#));
    // no date
    let response = app.post_form(&path, &session("", "19:30", "21:30")).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains(r#"id="date-error""#));
    assert_eq!(read(&app, &who, c).await["sessions"], serde_json::json!([]));

    // the first evening of summer time
    let response = app.post_form(&path, &session("2027-03-28", "19:30", "21:30")).await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).contains("melding=session-added"));
    let course = read(&app, &who, c).await;
    let s = &course["sessions"][0];
    assert_eq!(instant(&s["starts_at"]), "2027-03-28T17:30:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
    assert_eq!(instant(&s["ends_at"]), "2027-03-28T19:30:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
    assert_eq!((s["place"].as_str(), s["wijk"].as_str()), (Some("Wijkcentrum Selwerd"), Some("selwerd")));
    let sid = id(s);

    // the edit form shows local date and times; moving it is stored right
    let page = app.page(&format!("/beheer/sessies/{sid}/bewerken")).await;
    assert!(page.contains(r#"value="2027-03-28""#) && page.contains(r#"value="19:30""#), "{page}");
    let response =
        app.post_form(&format!("/beheer/sessies/{sid}/bewerken"), &session("2027-03-28", "20:00", "22:00")).await;
    assert_eq!(response.status(), 303);
    let course = read(&app, &who, c).await;
    assert_eq!(
        instant(&course["sessions"][0]["starts_at"]),
        "2027-03-28T18:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap()
    );
    let response =
        app.post_form(&format!("/beheer/sessies/{sid}/bewerken"), &session("2027-03-28", "20:00", "19:00")).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"id="end_time-error""#) && page.contains(r#"value="19:00""#), "{page}");
}

#[tokio::test]
async fn a_coordinator_publishes_edits_and_cancels_with_the_pages() {
    let app = spawn_app().await;
    let who = logged_in_coordinator(&app).await;
    let response = app.post_form("/beheer/cursussen", &course_form(&[])).await;
    let c = course_id_in(&location(&response));

    // publishing without a session is refused: back on the course page, with the reason
    let response = app.post_form(&format!("/beheer/cursussen/{c}/status"), &[("status", "published")]).await;
    assert_eq!(response.status(), 303);
    let back = location(&response);
    assert!(back.starts_with(&format!("/beheer/cursussen/{c}?")), "{back}");
    let page = app.page(&back).await;
    assert!(page.contains("Voeg eerst een bijeenkomst toe."), "{page}");
    assert!(page.contains("Concept"), "still a draft");

    for date in ["2027-04-06", "2027-04-13"] {
        let fields = [
            ("date", date),
            ("start_time", "19:30"),
            ("end_time", "21:30"),
            ("place", "De Wijkwinkel"),
            ("wijk", "beijum"),
        ];
        assert_eq!(app.post_form(&format!("/beheer/cursussen/{c}/sessies"), &fields).await.status(), 303);
    }
    let page = app.page(&format!("/beheer/cursussen/{c}")).await;
    assert!(page.contains(r#"<input type="hidden" name="status" value="published">"#), "{page}");
    assert!(!page.contains(r#"name="status" value="archived""#), "draft → archived is not offered: {page}");
    let response = app.post_form(&format!("/beheer/cursussen/{c}/status"), &[("status", "published")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(read(&app, &who, c).await["status"], "published");
    let (status, public) = app.get_json(&format!("/api/v1/courses/{c}")).await;
    assert_eq!((status, public["session_count"].as_i64()), (200, Some(2)), "public now");

    // edit: the form shows what is saved; a new title keeps the slug
    let page = app.page(&format!("/beheer/cursussen/{c}/bewerken")).await;
    assert!(page.contains(r#"value="Buurtkracht in Beijum""#) && page.contains(r#"value="15""#), "{page}");
    let response = app
        .post_form(
            &format!("/beheer/cursussen/{c}/bewerken"),
            &course_form(&[("title", "Buurtkracht (voorjaar)"), ("capacity", "0")]),
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"id="capacity-error""#) && page.contains(r#"value="Buurtkracht (voorjaar)""#), "{page}");
    let response = app
        .post_form(
            &format!("/beheer/cursussen/{c}/bewerken"),
            &course_form(&[("title", "Buurtkracht (voorjaar)"), ("capacity", "20")]),
        )
        .await;
    assert_eq!(response.status(), 303);
    let course = read(&app, &who, c).await;
    assert_eq!((course["title"].as_str(), course["capacity"].as_i64()), (Some("Buurtkracht (voorjaar)"), Some(20)));
    assert_eq!(course["slug"], "buurtkracht-in-beijum");
    assert_eq!(course["status"], "published", "editing keeps the status");

    // cancel one session
    let first = id(&course["sessions"][0]);
    let page = app.page(&format!("/beheer/cursussen/{c}")).await;
    assert!(page.contains(&format!(r#"action="/beheer/sessies/{first}/annuleren""#)), "{page}");
    let response = app.post_form(&format!("/beheer/sessies/{first}/annuleren"), &[]).await;
    assert_eq!(response.status(), 303);
    let course = read(&app, &who, c).await;
    assert_eq!(course["sessions"][0]["status"], "cancelled");
    assert_eq!(course["sessions"][1]["status"], "scheduled");
    let page = app.page(&format!("/beheer/cursussen/{c}?melding=session-cancelled")).await;
    assert!(page.contains("Gaat niet door") && page.contains("De bijeenkomst is geannuleerd."), "{page}");
    assert!(!page.contains(&format!(r#"action="/beheer/sessies/{first}/annuleren""#)), "no second cancel button");

    // cancel and archive the course
    assert_eq!(app.post_form(&format!("/beheer/cursussen/{c}/status"), &[("status", "cancelled")]).await.status(), 303);
    assert_eq!(read(&app, &who, c).await["status"], "cancelled");
    let page = app.page(&format!("/beheer/cursussen/{c}")).await;
    assert!(page.contains(r#"name="status" value="archived""#) && !page.contains(r#"name="status" value="published""#));
    assert_eq!(app.post_form(&format!("/beheer/cursussen/{c}/status"), &[("status", "archived")]).await.status(), 303);
    assert_eq!(read(&app, &who, c).await["status"], "archived");
    let response = app.post_form(&format!("/beheer/cursussen/{c}/status"), &[("status", "published")]).await;
    assert_eq!(response.status(), 422, "archived → published is refused on the page too");
}

#[tokio::test]
async fn a_coordinator_assigns_a_trainer_on_the_course_page() {
    let app = spawn_app().await;
    let who = logged_in_coordinator(&app).await;
    let trainer = app.trainer("Tineke Trainer").await;
    let participant = app.participant("Piet Participant").await;
    let course = who.post_course(&app, course_body("Wijkgesprekken leiden")).await;
    let c = id(&course);

    let page = app.page(&format!("/beheer/cursussen/{c}")).await;
    assert!(page.contains(&format!(r#"<option value="{}">Tineke Trainer (Trainer)</option>"#, trainer.id)), "{page}");
    assert!(!page.contains("Piet Participant"), "participants are not offered: {page}");

    let tid = trainer.id.to_string();
    let response = app.post_form(&format!("/beheer/cursussen/{c}/trainers"), &[("user_id", &tid)]).await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).contains("melding=trainer-assigned"));
    let course = read(&app, &who, c).await;
    assert_eq!(course["trainers"][0]["name"], "Tineke Trainer");
    let page = app.page(&format!("/beheer/cursussen/{c}")).await;
    assert!(page.contains(&format!(r#"action="/beheer/cursussen/{c}/trainers/{tid}/verwijderen""#)), "{page}");

    // a participant's id (a tampered form) is refused next to the field
    let pid = participant.id.to_string();
    let response = app.post_form(&format!("/beheer/cursussen/{c}/trainers"), &[("user_id", &pid)]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Deze persoon is geen trainer."), "{page}");
    let response = app.post_form(&format!("/beheer/cursussen/{c}/trainers"), &[("user_id", "iemand")]).await;
    assert_eq!(response.status(), 422);

    let response = app.post_form(&format!("/beheer/cursussen/{c}/trainers/{tid}/verwijderen"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(read(&app, &who, c).await["trainers"], serde_json::json!([]));
}
