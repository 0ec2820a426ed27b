//! When a popular course opens: 200 people enrol in the same moment, over real HTTP, for
//! 20 seats. Nobody gets a seat that does not exist, the waiting list has no gaps, and
//! when ten people cancel at once, the first ten in line get their seats.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use reqwest::Method;
use serde_json::Value;

use wijkmakers::auth::Role;

use crate::common::{CourseSpec, Person, Seat, TestApp, calendar_of, spawn_app};

/// Send one request per person at the same moment (each on its own task, released
/// together by a barrier); answers `(status, body)` per person, in the order given.
async fn all_at_once(app: &TestApp, method: Method, path: &str, who: &[Person]) -> Vec<(u16, Value)> {
    let barrier = Arc::new(tokio::sync::Barrier::new(who.len()));
    let tasks: Vec<_> = who
        .iter()
        .map(|person| {
            let request = app.api_client.request(method.clone(), app.url(path)).bearer_auth(&person.token);
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let response = request.send().await.expect("the request is answered");
                let status = response.status().as_u16();
                (status, response.json::<Value>().await.expect("a JSON answer"))
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await.expect("request task"));
    }
    answers
}

/// The coordinator's list: `user_id → (status, waitlist_position)`, checking the total.
async fn coordinators_list(
    app: &TestApp,
    path: &str,
    coordinator: &Person,
    total: usize,
) -> Vec<(i64, String, Option<i64>)> {
    let (status, list) = coordinator.get(app, &format!("{path}?per_page=200")).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], total, "{}", list["total"]);
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            (
                item["user_id"].as_i64().expect("user_id"),
                item["status"].as_str().expect("status").to_owned(),
                item["waitlist_position"].as_i64(),
            )
        })
        .collect()
}

#[tokio::test]
async fn two_hundred_people_enrol_at_once_for_twenty_seats_and_ten_cancel_at_once() {
    let app = &spawn_app().await;
    let coordinator = app.coordinator().await;
    let course = coordinator.create_course(app, CourseSpec::new("Populaire cursus: energiecoach worden", 20)).await;
    let crowd = app.people("deelnemer", 200, Role::Participant).await;

    // --- 200 at once
    let started = Instant::now();
    let answers = all_at_once(app, Method::POST, &course.enrolment_path(), &crowd).await;
    eprintln!("200 parallel enrolments answered in {:?}", started.elapsed());
    let mut enrolled = Vec::new();
    let mut waiting: BTreeMap<i64, &Person> = BTreeMap::new();
    for ((status, body), person) in answers.iter().zip(&crowd) {
        assert_eq!(*status, 201, "{} got {body}", person.email);
        match (body["status"].as_str(), body["waitlist_position"].as_i64()) {
            (Some("enrolled"), None) => enrolled.push(person),
            (Some("waitlisted"), Some(position)) => {
                assert!(waiting.insert(position, person).is_none(), "position {position} given twice");
            }
            other => panic!("unexpected answer {other:?}: {body}"),
        }
    }
    assert_eq!(enrolled.len(), 20, "exactly the capacity is enrolled");
    assert_eq!(waiting.keys().copied().collect::<Vec<_>>(), (1..=180).collect::<Vec<_>>(), "positions without gaps");

    // the database agrees, with positions counted from the moment people were queued
    let seats = app.seats(&course).await;
    assert_eq!(seats.iter().filter(|s| s.status == "enrolled").count(), 20);
    let in_line: Vec<(i64, i64)> =
        seats.iter().filter(|s| s.status == "waitlisted").map(|s| (s.position.unwrap(), s.user_id)).collect();
    assert_eq!(in_line, waiting.iter().map(|(p, person)| (*p, person.id)).collect::<Vec<_>>());
    let enrolled_ids: BTreeSet<i64> = enrolled.iter().map(|p| p.id).collect();
    assert_eq!(
        seats.iter().filter(|s| s.status == "enrolled").map(|s| s.user_id).collect::<BTreeSet<_>>(),
        enrolled_ids
    );

    // and so does the coordinator's list, in the same order
    let list = coordinators_list(app, &course.enrolments_path(), &coordinator, 200).await;
    let expected: Vec<(i64, String, Option<i64>)> =
        seats.iter().map(|s: &Seat| (s.user_id, s.status.clone(), s.position)).collect();
    assert_eq!(list, expected);

    // 200 emails, queued in the same transactions: 20 confirmations and 180 waiting-list messages
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 200);
    let crowd_emails: BTreeSet<&str> = crowd.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(outbox.iter().map(|m| m.recipient_email.as_str()).collect::<BTreeSet<_>>(), crowd_emails);
    assert_eq!(outbox.iter().filter(|m| m.subject.starts_with("Je bent ingeschreven")).count(), 20);
    assert_eq!(outbox.iter().filter(|m| m.subject.starts_with("Je staat op de wachtlijst")).count(), 180);
    for (position, person) in &waiting {
        let message = outbox.iter().find(|m| m.recipient_email == person.email).unwrap();
        assert!(message.text_body.contains(&format!("op plaats {position}.")), "{}", message.text_body);
    }

    // --- 10 of the enrolled cancel at once
    let leaving: Vec<Person> = enrolled.iter().take(10).map(|p| (*p).clone()).collect();
    let started = Instant::now();
    let answers = all_at_once(app, Method::DELETE, &course.enrolment_path(), &leaving).await;
    eprintln!("10 parallel cancellations answered in {:?}", started.elapsed());
    for (status, body) in &answers {
        assert_eq!((*status, body["status"].as_str()), (200, Some("cancelled")), "{body}");
    }

    let seats = app.seats(&course).await;
    let now_enrolled: BTreeSet<i64> = seats.iter().filter(|s| s.status == "enrolled").map(|s| s.user_id).collect();
    let first_ten: BTreeSet<i64> = waiting.range(1..=10).map(|(_, p)| p.id).collect();
    let stayed: BTreeSet<i64> = enrolled.iter().skip(10).map(|p| p.id).collect();
    assert_eq!(now_enrolled.len(), 20, "the seats are full again, not more");
    assert_eq!(now_enrolled, stayed.union(&first_ten).copied().collect(), "the first ten in line got the seats");
    let in_line: Vec<(i64, i64)> =
        seats.iter().filter(|s| s.status == "waitlisted").map(|s| (s.position.unwrap(), s.user_id)).collect();
    let expected_line: Vec<(i64, i64)> = waiting.range(11..).map(|(p, person)| (p - 10, person.id)).collect();
    assert_eq!(in_line, expected_line, "positions renumber 1..170 in the same order");
    let list = coordinators_list(app, &course.enrolments_path(), &coordinator, 190).await;
    let listed_line: Vec<(i64, i64)> =
        list.iter().filter(|(_, s, _)| s == "waitlisted").map(|(u, _, p)| (p.unwrap(), *u)).collect();
    assert_eq!(listed_line, expected_line);

    // the history has exactly ten promotions, of exactly those ten
    let promoted: BTreeSet<i64> =
        app.history(&course).await.iter().filter(|e| e.action == "promoted").map(|e| e.user_id).collect();
    assert_eq!(promoted, first_ten);

    // each of them hears it, with the invitation
    for (_, person) in waiting.range(1..=10) {
        let mail = app.mail_to(&person, "Er is een plek voor je vrijgekomen").await;
        let calendar = calendar_of(&mail);
        assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
    }
    let outbox = app.outbox().await;
    assert_eq!(outbox.iter().filter(|m| m.subject.starts_with("Er is een plek voor je vrijgekomen")).count(), 10);
    assert_eq!(outbox.iter().filter(|m| m.subject.starts_with("Je bent uitgeschreven")).count(), 10);
}
