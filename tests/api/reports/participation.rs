//! The participation export (one row per participant × course) and one person's report,
//! with every figure of a known history computed by hand, and equal to the course overview.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{History, csv_records, day, export};
use crate::common::spawn_app;

type Record = BTreeMap<String, String>;

/// The participation export's rows of a course, by participant id.
fn of_course(rows: &[Record], course: i64) -> BTreeMap<String, Record> {
    rows.iter()
        .filter(|r| r["course_id"] == course.to_string())
        .map(|r| (r["participant_id"].clone(), r.clone()))
        .collect()
}

/// (status, expected, attended, excused, absent, attendance rate, commitment rate, hours, completed)
fn figures(r: &Record) -> [&str; 9] {
    [
        &r["enrolment_status"],
        &r["sessions_expected"],
        &r["sessions_attended"],
        &r["sessions_excused"],
        &r["sessions_absent"],
        &r["attendance_rate"],
        &r["commitment_rate"],
        &r["hours_attended"],
        &r["completed"],
    ]
}

#[tokio::test]
async fn every_figure_of_the_participation_export_is_as_computed_by_hand() {
    let app = &spawn_app().await;
    let history = History::new(app).await;
    let (ann, bob, cas, dirk) = (history.person(0), history.person(1), history.person(2), history.person(3));
    let coordinator = &history.energy.coordinator;
    let energy = history.energy.course.id;

    let path = format!("/api/v1/reports/participation?from={}&to={}", day(-10), day(5));
    let (status, headers, body) = export(app, coordinator, &path).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains(&format!("deelname-{}-tot-{}.csv", day(-10), day(5))), "{disposition}");
    let rows = csv_records(&body);
    assert_eq!(rows.len(), 5, "four in the energy course, Ann in the talks: {rows:#?}");

    let rows_energy = of_course(&rows, energy);
    let row = |p: &crate::common::Person| &rows_energy[&p.id.to_string()];
    assert_eq!(figures(row(ann)), ["enrolled", "3", "3", "0", "0", "1.0000", "1.0000", "6.00", "true"]);
    assert_eq!(figures(row(bob)), ["enrolled", "2", "1", "1", "0", "0.5000", "1.0000", "2.00", "false"]);
    assert_eq!(figures(row(cas)), ["cancelled", "2", "1", "0", "1", "0.5000", "0.5000", "2.00", "false"]);
    assert_eq!(row(ann)["enrolled_at"], day(-60).to_string());
    assert_eq!(row(bob)["enrolled_at"], day(-9).to_string(), "the late joiner");
    assert_eq!(row(ann)["course_title"], "Energiecoach worden");
    assert_eq!(row(ann)["name"], "Ann Jansen");
    assert_eq!(row(ann)["email"], ann.email);
    assert_eq!(row(ann)["participant_wijk"], "Vinkhuizen");
    assert_eq!(row(ann)["participant_kind"], "bewoner");
    assert_eq!(row(bob)["organisation"], "'+31 6 1234;'=1+1", "kept, and escaped where a cell could start");
    assert_eq!(row(bob)["participant_kind"], "professional");

    // the deleted account: only a pseudonym, no name, email or raw id, yet its figures count
    assert!(!rows.iter().any(|r| r["participant_id"] == dirk.id.to_string()), "{rows:#?}");
    let (pseudonym, gone) = rows_energy.iter().find(|(id, _)| id.starts_with("p-")).expect("Dirk's row, pseudonymous");
    assert_eq!(figures(gone)[1..], ["3", "3", "0", "0", "1.0000", "1.0000", "6.00", "true"]);
    assert_eq!((gone["name"].as_str(), gone["email"].as_str()), ("", ""));
    assert!(!String::from_utf8_lossy(&body).contains("Dirk"), "no trace of his name");

    let talks = of_course(&rows, history.talks);
    let ann_talks = &talks[&ann.id.to_string()];
    assert_eq!(figures(ann_talks), ["enrolled", "1", "1", "0", "0", "1.0000", "1.0000", "2.00", "false"]);
    assert_eq!(ann_talks["theme"], "democratisering");

    // the same figures as the course overview of the attendance feature
    let (status, overview) = coordinator.get(app, &format!("/api/v1/courses/{energy}/attendance")).await;
    assert_eq!(status, 200, "{overview}");
    let people = overview["participants"].as_array().expect("participants");
    assert_eq!(people.len(), 4, "{overview}");
    for person in people {
        let id = person["user_id"].as_i64().unwrap();
        let exported = if id == dirk.id { gone } else { &rows_energy[&id.to_string()] };
        let rate = |key: &str| format!("{:.4}", person[key].as_f64().unwrap());
        assert_eq!(exported["attendance_rate"], rate("attendance_rate"), "{person}");
        assert_eq!(exported["commitment_rate"], rate("commitment_rate"), "{person}");
        assert_eq!(exported["sessions_expected"], person["sessions_expected"].to_string(), "{person}");
        assert_eq!(exported["sessions_attended"], person["sessions_attended"].to_string(), "{person}");
        assert_eq!(exported["completed"], person["completed"].to_string(), "{person}");
    }
    assert!(pseudonym.len() > 10);

    // filters: the theme, the kind of participant, the organisation
    let filtered = |query: String| {
        let path = format!("/api/v1/reports/participation?from={}&to={}&{query}", day(-10), day(5));
        async move {
            let (status, _, body) = export(app, coordinator, &path).await;
            assert_eq!(status, 200);
            csv_records(&body).into_iter().map(|r| (r["course_id"].clone(), r["participant_id"].clone())).collect()
        }
    };
    let theme: Vec<(String, String)> = filtered("theme=democratisering".into()).await;
    assert_eq!(theme, vec![(history.talks.to_string(), ann.id.to_string())]);
    let kind: Vec<(String, String)> = filtered("participant_kind=bewoner".into()).await;
    assert_eq!(kind.len(), 2, "Ann in both courses: {kind:?}");
    let organisation: Vec<(String, String)> = filtered("organisation=%2B31%206%201234%3B%3D1%2B1".into()).await;
    assert_eq!(organisation, vec![(energy.to_string(), bob.id.to_string())]);

    // inclusive edges: the first day alone holds the first session only
    let path = format!("/api/v1/reports/participation?from={}&to={}&format=json", day(-10), day(-10));
    let (status, _, body) = export(app, coordinator, &path).await;
    assert_eq!(status, 200);
    let items: Value = serde_json::from_slice(&body).unwrap();
    let ann_first = items.as_array().unwrap().iter().find(|i| i["participant_id"] == ann.id).expect("Ann");
    assert_eq!((ann_first["sessions_expected"].as_i64(), ann_first["hours_attended"].as_f64()), (Some(1), Some(2.0)));
    let cas_first = items.as_array().unwrap().iter().find(|i| i["participant_id"] == cas.id).expect("Cas");
    assert_eq!(cas_first["sessions_absent"], 1);
    let bob_first = items.as_array().unwrap().iter().find(|i| i["participant_id"] == bob.id).expect("Bob");
    assert_eq!(bob_first["sessions_expected"], 0, "Bob was not in yet: {items}");
    assert_eq!(bob_first["attendance_rate"], Value::Null, "nothing to divide by");
    // and the last day alone the last session of the energy course
    let path = format!("/api/v1/reports/participation?from={}&to={}&format=json", day(-4), day(-4));
    let (_, _, body) = export(app, coordinator, &path).await;
    let items: Value = serde_json::from_slice(&body).unwrap();
    let bob_last = items.as_array().unwrap().iter().find(|i| i["participant_id"] == bob.id).expect("Bob");
    assert_eq!((bob_last["sessions_excused"].as_i64(), bob_last["commitment_rate"].as_f64()), (Some(1), Some(1.0)));
    assert!(!items.as_array().unwrap().iter().any(|i| i["course_id"] == history.talks), "{items}");
}

#[tokio::test]
async fn a_pseudonymous_export_names_nobody_and_keeps_ids_per_purpose() {
    let app = &spawn_app().await;
    let history = History::new(app).await;
    let coordinator = &history.energy.coordinator;
    let get = |purpose: &'static str, what: &'static str| {
        let path = format!("/api/v1/reports/{what}?from={}&to={}&anonymise=true&purpose={purpose}", day(-10), day(5));
        async move {
            let (status, headers, body) = export(app, coordinator, &path).await;
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
            let disposition = headers["content-disposition"].to_str().unwrap().to_owned();
            (disposition, body)
        }
    };
    let (disposition, first) = get("gemeente", "participation").await;
    assert!(disposition.contains("deelname-pseudoniem-"), "{disposition}");
    let text = String::from_utf8_lossy(&first).into_owned();
    for person in &history.energy.people {
        for personal in [&person.name, &person.email] {
            assert!(!text.contains(personal.as_str()), "{personal} in {text}");
        }
    }
    assert!(!text.contains("+31 6"), "no organisation: {text}");
    let rows = csv_records(&first);
    let header: Vec<&String> = rows[0].keys().collect();
    for gone in ["name", "email", "organisation"] {
        assert!(!header.iter().any(|h| *h == gone), "{header:?}");
    }
    let ids = |rows: &[Record]| rows.iter().map(|r| r["participant_id"].clone()).collect::<Vec<_>>();
    let raw: Vec<String> = history.energy.people.iter().map(|p| p.id.to_string()).collect();
    assert!(ids(&rows).iter().all(|id| id.starts_with("p-") && !raw.contains(id)), "{:?}", ids(&rows));
    assert_eq!(rows.iter().filter(|r| r["participant_wijk"] == "Selwerd").count(), 1, "wijk is kept");
    // Ann is one person in both courses: one pseudonym, so partners can count unique people
    let unique: std::collections::BTreeSet<String> = ids(&rows).into_iter().collect();
    assert_eq!(unique.len(), 4, "{rows:#?}");

    let (_, again) = get("gemeente", "participation").await;
    assert_eq!(ids(&csv_records(&again)), ids(&rows), "stable for the same purpose");
    let (_, sessions) = get("gemeente", "sessions").await;
    let session_ids: std::collections::BTreeSet<String> = ids(&csv_records(&sessions)).into_iter().collect();
    assert_eq!(session_ids, unique, "the same pseudonyms in every export with the purpose");
    let (_, other) = get("fonds", "participation").await;
    let other: std::collections::BTreeSet<String> = ids(&csv_records(&other)).into_iter().collect();
    assert!(other.is_disjoint(&unique), "another purpose, other ids");
}

#[tokio::test]
async fn a_person_reads_their_own_report_and_only_coordinators_read_others() {
    let app = &spawn_app().await;
    let history = History::new(app).await;
    let (ann, bob) = (history.person(0), history.person(1));
    let coordinator = &history.energy.coordinator;
    let period = format!("from={}&to={}", day(-10), day(5));
    let own = format!("/api/v1/reports/participants/{}?{period}", ann.id);

    let (status, headers, body) = export(app, ann, &own).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains(&format!("deelnemer-{}-{}-tot-{}.csv", ann.id, day(-10), day(5))), "{disposition}");
    let rows = csv_records(&body);
    let courses: Vec<(&str, [&str; 9])> = rows.iter().map(|r| (r["course_title"].as_str(), figures(r))).collect();
    assert_eq!(
        courses,
        vec![
            ("Buurtgesprekken", ["enrolled", "1", "1", "0", "0", "1.0000", "1.0000", "2.00", "false"]),
            ("Energiecoach worden", ["enrolled", "3", "3", "0", "0", "1.0000", "1.0000", "6.00", "true"]),
        ]
    );
    // the coordinator reads the same; the formats are those of the other exports
    let (status, headers, _) = export(app, coordinator, &format!("{own}&format=xlsx")).await;
    assert_eq!(status, 200);
    assert!(headers["content-disposition"].to_str().unwrap().ends_with(".xlsx\""), "{headers:?}");

    let bobs = format!("/api/v1/reports/participants/{}?{period}", bob.id);
    assert_eq!(export(app, ann, &bobs).await.0, 403, "not about someone else");
    assert_eq!(export(app, &history.energy.trainer, &bobs).await.0, 403, "trainers never export");
    assert_eq!(app.api(reqwest::Method::GET, &bobs, None, None).await.status(), 401);
    assert_eq!(
        export(app, coordinator, "/api/v1/reports/participants/999999?from=2026-01-01&to=2026-01-02").await.0,
        404
    );
    let (status, body) = ann.get(app, &format!("/api/v1/reports/participants/{}?from={}", ann.id, day(0))).await;
    assert_eq!(status, 422, "{body}");

    let participation = format!("/api/v1/reports/participation?{period}");
    assert_eq!(export(app, ann, &participation).await.0, 403);
    assert_eq!(export(app, &history.energy.trainer, &participation).await.0, 403);
    assert_eq!(app.api(reqwest::Method::GET, &participation, None, None).await.status(), 401);
    let (status, body) = coordinator.get(app, &format!("{participation}&anonymise=true")).await;
    assert_eq!(status, 422);
    assert!(body["errors"].as_array().unwrap().iter().any(|e| e["field"] == "purpose"), "{body}");
}
