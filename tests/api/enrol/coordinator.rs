//! The coordinator's side: the list of a course (also for its trainers), enrolling someone
//! on their behalf (also a new person, who is invited), the capacity and its recorded
//! override, cancelling anyone, promoting from the list, the page, the CSV export and the
//! history of every change.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use wijkmakers::auth::Role;

use crate::common::{Course, CourseSpec, Person, TestApp, Visitor, location, section, spawn_app, visible_text};

/// The coordinator enrols someone (`{"user_id": …}` or `{"email": …, "name": …}`).
async fn on_behalf(app: &TestApp, coordinator: &Person, course: &Course, body: Value) -> (u16, Value) {
    coordinator.post_json(app, &course.enrolments_path(), &body).await
}

#[tokio::test]
async fn the_list_of_a_course_is_for_coordinators_and_its_own_trainers() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Energiecafé", 1)).await;
    let [ann, bob] = <[_; 2]>::try_from(app.people("persoon", 2, Role::Participant).await).unwrap();
    ann.enrol(app, &course).await;
    bob.enrol(app, &course).await;
    let trainer = app.people("trainer", 1, Role::Trainer).await.remove(0);
    let path = course.enrolments_path();

    assert_eq!(ann.get(app, &path).await.0, 403, "a participant");
    assert_eq!(trainer.get(app, &path).await.0, 403, "a trainer of other courses");
    let assign = format!("/api/v1/courses/{}/trainers/{}", course.id, trainer.id);
    assert_eq!(coordinator.put(app, &assign).await.0, 200);

    for who in [&trainer, &coordinator] {
        let (status, list) = who.get(app, &path).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!((list["total"].as_i64(), list["page"].as_i64()), (Some(2), Some(1)));
        let items = list["items"].as_array().unwrap();
        assert_eq!(
            (items[0]["name"].as_str(), items[0]["email"].as_str(), items[0]["status"].as_str()),
            (Some(ann.name.as_str()), Some(ann.email.as_str()), Some("enrolled"))
        );
        assert_eq!(
            (items[1]["user_id"].as_i64(), items[1]["status"].as_str(), items[1]["waitlist_position"].as_i64()),
            (Some(bob.id), Some("waitlisted"), Some(1))
        );
    }
    let unknown = coordinator.get(app, "/api/v1/courses/999999/enrolments").await;
    assert_eq!(unknown.0, 404);
}

#[tokio::test]
async fn a_coordinator_enrols_an_existing_person_and_a_new_one_outside_the_window() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let now = Utc::now();
    let course = coordinator
        .create_course(
            app,
            CourseSpec::new("Wijkdemocratie", 5).window(Some(now - Duration::days(10)), Some(now - Duration::hours(2))),
        )
        .await;
    let ann = app.participant("Ann").await;
    assert_eq!(ann.enrol(app, &course).await.0, 409, "the window is closed for participants");

    let (status, body) = on_behalf(app, &coordinator, &course, json!({ "user_id": ann.id })).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!((body["status"].as_str(), body["waitlist_position"].as_i64()), (Some("enrolled"), None));
    app.mail_to(&ann, "Je bent ingeschreven: Wijkdemocratie").await;
    let (status, again) = on_behalf(app, &coordinator, &course, json!({ "user_id": ann.id })).await;
    assert_eq!((status, &again["id"]), (200, &body["id"]), "enrolling twice is the same enrolment");

    // a new person: an account without a password, an invitation and the confirmation
    let (status, body) =
        on_behalf(app, &coordinator, &course, json!({ "email": "Nieuw.Lid@Example.org", "name": "Fatma Yılmaz" }))
            .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "enrolled");
    let invitation = app.mail_to("nieuw.lid@example.org", "Je bent uitgenodigd voor de Wijkmakers Academie").await;
    let link = invitation.link_to("/uitnodiging").expect("a link to set a password");
    assert!(link.starts_with(&format!("{}/uitnodiging?token=", app.address)), "{link}");
    let confirmation = app.mail_to("nieuw.lid@example.org", "Je bent ingeschreven: Wijkdemocratie").await;
    assert!(confirmation.text().contains("Hallo Fatma Yılmaz,"), "{}", confirmation.text());
    let page = app.get(&link.replacen(&app.address, "", 1)).await;
    assert_eq!(page.status(), 200, "the invitation link opens a page to set a password");

    let (status, list) = coordinator.get(app, &course.enrolments_path()).await;
    assert_eq!(status, 200);
    let newcomer = list["items"].as_array().unwrap().iter().find(|i| i["email"] == "nieuw.lid@example.org").cloned();
    let newcomer = newcomer.expect("the new person is on the list");
    assert_eq!((newcomer["name"].as_str(), newcomer["email_verified"].as_bool()), (Some("Fatma Yılmaz"), Some(false)));

    // both are recorded as the coordinator's doing
    let history = app.history(&course).await;
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|e| e.action == "enrolled" && e.actor_id == Some(coordinator.id)), "{history:?}");

    // what is not allowed or not valid
    let (status, _) = ann.post_json(app, &course.enrolments_path(), &json!({"user_id": ann.id})).await;
    assert_eq!(status, 403, "participants do not enrol others");
    let (status, problem) = on_behalf(app, &coordinator, &course, json!({})).await;
    assert_eq!(status, 422, "{problem}");
    let (status, problem) =
        on_behalf(app, &coordinator, &course, json!({"email": "geen-adres", "name": "Iemand"})).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "email", "{problem}");
    assert_eq!(app.seats(&course).await.len(), 2);
}

#[tokio::test]
async fn on_behalf_keeps_to_the_capacity_unless_an_override_is_given_and_recorded() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let with_list = coordinator.create_course(app, CourseSpec::new("Met wachtlijst", 1)).await;
    let without = coordinator.create_course(app, CourseSpec::new("Zonder wachtlijst", 1).without_waitlist()).await;
    let [ann, bob, cas] = <[_; 3]>::try_from(app.people("persoon", 3, Role::Participant).await).unwrap();
    ann.enrol(app, &with_list).await;
    ann.enrol(app, &without).await;

    // full: the waiting list, or a refusal when there is none
    let (status, body) = on_behalf(app, &coordinator, &with_list, json!({ "user_id": bob.id })).await;
    assert_eq!(
        (status, body["status"].as_str(), body["waitlist_position"].as_i64()),
        (201, Some("waitlisted"), Some(1))
    );
    let (status, problem) = on_behalf(app, &coordinator, &without, json!({ "user_id": bob.id })).await;
    assert_eq!(status, 409, "{problem}");
    let (status, _) =
        on_behalf(app, &coordinator, &without, json!({ "email": "niemand@example.org", "name": "Niemand" })).await;
    assert_eq!(status, 409);
    let account = app
        .pool
        .run(|conn| Ok(wijkmakers::accounts::service::find_by_email(conn, "niemand@example.org")?))
        .await
        .unwrap();
    assert!(account.is_none(), "a refused enrolment leaves no account behind");
    assert!(app.outbox_subjects("niemand@example.org").await.is_empty(), "and sends no invitation");

    // with the override: a seat beyond the capacity, marked and recorded
    let (status, body) =
        on_behalf(app, &coordinator, &without, json!({ "user_id": cas.id, "override_capacity": true })).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!((body["status"].as_str(), body["over_capacity"].as_bool()), (Some("enrolled"), Some(true)));
    let seats = app.seats(&without).await;
    assert_eq!(
        seats.iter().map(|s| (s.user_id, s.over_capacity)).collect::<Vec<_>>(),
        [(ann.id, false), (cas.id, true)]
    );
    let last = app.history(&without).await.pop().unwrap();
    assert_eq!(
        (last.user_id, last.action.as_str(), last.actor_id, last.note.as_deref()),
        (cas.id, "enrolled", Some(coordinator.id), Some("over capacity"))
    );
    let page = Visitor::logged_in(app, &coordinator).page(&without.manage_page()).await;
    let enrolled = visible_text(section(&page, "enrolled"));
    assert!(enrolled.contains(&format!("{} {} boven maximum", cas.name, cas.email)), "{enrolled}");

    // an override when a seat is free changes nothing: an ordinary seat
    let roomy = coordinator.create_course(app, CourseSpec::new("Ruim", 5)).await;
    let (_, body) = on_behalf(app, &coordinator, &roomy, json!({ "user_id": bob.id, "override_capacity": true })).await;
    assert_eq!((body["status"].as_str(), body["over_capacity"].as_bool()), (Some("enrolled"), Some(false)));
}

#[tokio::test]
async fn promoting_by_hand_takes_an_explicit_override_when_the_course_is_full() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Handmatig plaatsen", 1)).await;
    let [ann, bob, cas] = <[_; 3]>::try_from(app.people("persoon", 3, Role::Participant).await).unwrap();
    let (_, ann_enrolment) = ann.enrol(app, &course).await;
    bob.enrol(app, &course).await;
    let (_, cas_enrolment) = cas.enrol(app, &course).await;
    let promote = |id: &Value| format!("/api/v1/enrolments/{id}/promote");

    let (status, problem) = coordinator.post_json(app, &promote(&cas_enrolment["id"]), &json!({})).await;
    assert_eq!(status, 409, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Kies bewust voor een plek boven het maximum"), "{problem}");
    let (status, _) = ann.post_json(app, &promote(&cas_enrolment["id"]), &json!({"override_capacity": true})).await;
    assert_eq!(status, 403, "participants cannot promote");
    let (status, problem) =
        coordinator.post_json(app, &promote(&ann_enrolment["id"]), &json!({"override_capacity": true})).await;
    assert_eq!(status, 409, "ann is not waiting: {problem}");

    let body = json!({ "override_capacity": true });
    let (status, promoted) = coordinator.post_json(app, &promote(&cas_enrolment["id"]), &body).await;
    assert_eq!(status, 200, "{promoted}");
    assert_eq!((promoted["status"].as_str(), promoted["over_capacity"].as_bool()), (Some("enrolled"), Some(true)));
    let now: Vec<_> = app.seats(&course).await.iter().map(|s| (s.user_id, s.status.clone(), s.position)).collect();
    assert_eq!(
        now,
        [(ann.id, "enrolled".into(), None), (cas.id, "enrolled".into(), None), (bob.id, "waitlisted".into(), Some(1))]
    );
    let last = app.history(&course).await.pop().unwrap();
    assert_eq!(
        (last.user_id, last.action.as_str(), last.actor_id, last.note.as_deref()),
        (cas.id, "promoted", Some(coordinator.id), Some("over capacity"))
    );
    app.mail_to(&cas, "Er is een plek voor je vrijgekomen: Handmatig plaatsen").await;

    // removing someone is 204 and moves the list, when a seat is really free
    let remove = format!("/api/v1/enrolments/{}", ann_enrolment["id"]);
    assert_eq!(bob.delete(app, &remove).await.0, 403, "participants cannot remove others");
    assert_eq!(coordinator.delete(app, &remove).await.0, 204);
    let now: Vec<_> = app.seats(&course).await.iter().map(|s| (s.user_id, s.status.clone())).collect();
    assert_eq!(now, [(cas.id, "enrolled".into()), (bob.id, "waitlisted".into())], "cas still holds the only seat");
    assert_eq!(coordinator.delete(app, "/api/v1/enrolments/999999").await.0, 404);
}

#[tokio::test]
async fn the_coordinators_page_shows_counts_and_lists_and_enrols_on_behalf() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Buurtbudget", 2)).await;
    let crowd = app.people("persoon", 3, Role::Participant).await;
    for person in &crowd {
        person.enrol(app, &course).await;
    }
    let coordinator = Visitor::logged_in(app, &coordinator);

    let page = coordinator.page(&course.manage_page()).await;
    let text = visible_text(&page);
    assert!(text.contains("2 van 2 plaatsen bezet · 1 persoon op de wachtlijst"), "{text}");
    let enrolled = visible_text(section(&page, "enrolled"));
    assert!(enrolled.starts_with("Ingeschreven (2)"), "{enrolled}");
    for person in &crowd[..2] {
        assert!(enrolled.contains(&person.name), "{enrolled}");
    }
    let waiting = visible_text(section(&page, "waiting"));
    assert!(waiting.contains(&format!("1 {} {}", crowd[2].name, crowd[2].email)), "{waiting}");
    assert!(!enrolled.contains(&crowd[2].name));

    // enrol a new person with the form: the course is full, so the waiting list
    let response = coordinator
        .submit(
            &course.manage_page(),
            &course.manage_page(),
            &[("email", "nieuwkomer@example.org"), ("name", "Noor El Amrani")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let target = location(&response);
    assert_eq!(target, format!("{}?melding=waitlisted-other", course.manage_page()));
    let page = coordinator.page(&target).await;
    assert!(visible_text(&page).contains("De cursus is vol: op de wachtlijst gezet."));
    let waiting = visible_text(section(&page, "waiting"));
    assert!(waiting.contains("2 Noor El Amrani nieuwkomer@example.org"), "{waiting}");
    app.mail_to("nieuwkomer@example.org", "Je staat op de wachtlijst: Buurtbudget").await;
    let invitation = app.mail_to("nieuwkomer@example.org", "Je bent uitgenodigd voor de Wijkmakers Academie").await;
    assert!(invitation.link_to("/uitnodiging").is_some(), "{}", invitation.text());

    // a broken address is shown on the form, not lost
    let response = coordinator
        .submit(&course.manage_page(), &course.manage_page(), &[("email", "kapot"), ("name", "Iemand")])
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("value=\"kapot\""), "the form keeps what was typed");

    // cancelling someone from the page gives the first in line the seat
    let seats = app.seats(&course).await;
    let first = seats.iter().find(|s| s.user_id == crowd[0].id).unwrap();
    let response = coordinator
        .submit(&course.manage_page(), &format!("/beheer/inschrijvingen/{}/annuleren", first.enrolment_id), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{}?melding=enrolment-cancelled", course.manage_page()));
    let now: Vec<_> = app.seats(&course).await.iter().map(|s| (s.user_id, s.position)).collect();
    assert_eq!(now[..2], [(crowd[1].id, None), (crowd[2].id, None)]);
    assert_eq!(now.len(), 3, "the newcomer is still waiting");
    assert_eq!(now[2].1, Some(1));

    // the page is for coordinators only
    let outsider = app.participant("Buitenstaander").await;
    assert_eq!(Visitor::logged_in(app, &outsider).get(&course.manage_page()).await.status(), 403);
}

#[tokio::test]
async fn the_csv_export_defuses_formulas_and_keeps_accents_and_emoji() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Excel-veilig", 2)).await;
    let mut crowd: Vec<Person> = app.people("persoon", 3, Role::Participant).await;
    let names = ["=HYPERLINK(\"x\")", "Zoë Çelik-Ünal 🌱", "@Bram"];
    for (person, name) in crowd.iter_mut().zip(names) {
        person.rename(app, name).await;
        person.enrol(app, &course).await;
    }

    let coordinator = Visitor::logged_in(app, &coordinator);
    let response = coordinator.get(&format!("{}.csv", course.manage_page())).await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(header("content-type"), "text/csv; charset=utf-8");
    assert!(header("content-disposition").starts_with("attachment;"), "{}", header("content-disposition"));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM, so that spreadsheets read UTF-8");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(headers[..4], ["Status", "Plaats op wachtlijst", "Naam", "E-mailadres"]);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let cells: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str())).collect();
    assert_eq!(
        cells,
        [
            ("Ingeschreven", "", "'=HYPERLINK(\"x\")", crowd[0].email.as_str()),
            ("Ingeschreven", "", "Zoë Çelik-Ünal 🌱", crowd[1].email.as_str()),
            ("Op de wachtlijst", "1", "'@Bram", crowd[2].email.as_str()),
        ]
    );
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "a cell a spreadsheet would run: {cell:?}");
        }
    }

    let outsider = app.participant("Buitenstaander").await;
    assert_eq!(Visitor::logged_in(app, &outsider).get(&format!("{}.csv", course.manage_page())).await.status(), 403);
}

#[tokio::test]
async fn every_change_is_kept_with_who_did_it_and_when() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Geschiedenis", 1)).await;
    let [ann, bob, cas] = <[_; 3]>::try_from(app.people("persoon", 3, Role::Participant).await).unwrap();
    let started = Utc::now();

    ann.enrol(app, &course).await;
    bob.enrol(app, &course).await;
    cas.enrol(app, &course).await;
    ann.cancel(app, &course).await; // bob gets the seat
    cas.cancel(app, &course).await; // leaves the list
    let bob_id = app.seats(&course).await[0].enrolment_id;
    coordinator.delete(app, &format!("/api/v1/enrolments/{bob_id}")).await;
    on_behalf(app, &coordinator, &course, json!({ "user_id": ann.id })).await; // ann again, a new enrolment
    let finished = Utc::now();

    let history = app.history(&course).await;
    let seen: Vec<(i64, &str, Option<i64>)> =
        history.iter().map(|e| (e.user_id, e.action.as_str(), e.actor_id)).collect();
    assert_eq!(
        seen,
        [
            (ann.id, "enrolled", Some(ann.id)),
            (bob.id, "waitlisted", Some(bob.id)),
            (cas.id, "waitlisted", Some(cas.id)),
            (ann.id, "cancelled", Some(ann.id)),
            (bob.id, "promoted", Some(ann.id)),
            (cas.id, "left_waitlist", Some(cas.id)),
            (bob.id, "cancelled", Some(coordinator.id)),
            (ann.id, "enrolled", Some(coordinator.id)),
        ]
    );
    assert!(history.windows(2).all(|w| w[0].at <= w[1].at), "in the order they happened");
    assert!(history.iter().all(|e| started <= e.at && e.at <= finished), "with the time they happened");
    assert_ne!(history[0].enrolment_id, history[7].enrolment_id, "a cancelled enrolment is kept, not reused");

    // the coordinator's page tells the story too, newest first
    let page = Visitor::logged_in(app, &coordinator).page(&course.manage_page()).await;
    let told = visible_text(section(&page, "history"));
    for line in [
        format!("{}: ingeschreven", ann.name),
        format!("{}: van de wachtlijst naar een plek", bob.name),
        format!("{}: van de wachtlijst af", cas.name),
        format!("{}: uitgeschreven", bob.name),
    ] {
        assert!(told.contains(&line), "{line:?} not in {told}");
    }
}

#[tokio::test]
async fn the_list_downloads_as_csv_as_dutch_excel_csv_and_as_xlsx_with_formulas_defused() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Drie formaten", 1)).await;
    let mut crowd: Vec<Person> = app.people("formaat", 2, Role::Participant).await;
    crowd[0].rename(app, "Priya;=1+1;").await;
    crowd[1].rename(app, "+31 6 12345678, Zoë").await;
    for person in &crowd {
        person.enrol(app, &course).await;
    }
    let visitor = Visitor::logged_in(app, &coordinator);
    let download = |suffix: &'static str| {
        let visitor = &visitor;
        let path = format!("{}{suffix}", course.manage_page());
        async move {
            let response = visitor.get(&path).await;
            assert_eq!(response.status(), 200, "{path}");
            let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
            assert!(disposition.starts_with("attachment;"), "{disposition}");
            (response.headers()["content-type"].to_str().unwrap().to_owned(), response.bytes().await.unwrap())
        }
    };

    // csv: comma, every part that could start a formula escaped, nothing stripped
    let (kind, bytes) = download(".csv").await;
    assert_eq!(kind, "text/csv; charset=utf-8");
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][2], "Priya;'=1+1;");
    assert_eq!(&rows[1][2], "'+31 6 12345678, Zoë");
    assert_eq!(&rows[1][1], "1", "waiting list position");

    // csv-nl: BOM, `;`, Dutch headers, dd-mm-jjjj, and what a `;`-splitting reader sees stays inert
    let (_, bytes) = download("-excel-nl.csv").await;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(headers[..3], ["Status", "Plaats op wachtlijst", "Naam"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][2], "Priya;'=1+1;", "a quoted field keeps its separators");
    let date = &rows[0][7];
    assert!(chrono::NaiveDate::parse_from_str(date, "%d-%m-%Y").is_ok(), "dd-mm-jjjj: {date}");
    assert!(chrono::NaiveTime::parse_from_str(&rows[0][8], "%H:%M").is_ok(), "HH:MM: {}", &rows[0][8]);
    // a reader that splits every line on `;` and `,` (ignoring quotes) finds no live formula
    for line in String::from_utf8_lossy(&bytes[3..]).lines() {
        for part in line.split([';', ',']) {
            let part = part.trim_matches('"');
            assert!(!part.starts_with(['=', '+', '-', '@']), "a cell Excel would run: {part:?} in {line}");
        }
    }

    // xlsx: text cells escaped, a real date cell, a bold frozen header with a filter
    let (kind, bytes) = download(".xlsx").await;
    assert_eq!(kind, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.get((0, 2)), Some(&calamine::Data::String("Naam".into())));
    assert_eq!(sheet.get((1, 2)), Some(&calamine::Data::String("Priya;'=1+1;".into())));
    assert_eq!(sheet.get((2, 2)), Some(&calamine::Data::String("'+31 6 12345678, Zoë".into())));
    assert!(matches!(sheet.get((1, 7)), Some(calamine::Data::DateTime(_))), "{:?}", sheet.get((1, 7)));
    assert_eq!(sheet.get((2, 1)), Some(&calamine::Data::Float(1.0)));
}
