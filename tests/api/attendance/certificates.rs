//! Completion and certificates (issue 16, point 7): a certificate exists only for a course
//! that is over and whose attendance rate reached the threshold; anyone can check its code
//! (name, course, date, nothing more); only the owner downloads the PDF; an anonymising
//! deletion withdraws it; the data download lists it.

use serde_json::{Value, json};

use super::{Class, mark};
use crate::common::{Answer, Person, TestApp, Visitor, local_at, spawn_app};

const MINE: &str = "/api/v1/me/certificates";

fn public_path(code: &str) -> String {
    format!("/api/v1/certificates/{code}")
}

fn pdf_path(code: &str) -> String {
    format!("/mijn-cursussen/certificaten/{code}.pdf")
}

async fn certificates_of(app: &TestApp, person: &Person) -> Vec<Value> {
    let answer = person.get(app, MINE).await.expect_status(200);
    answer["items"].as_array().cloned().unwrap_or_else(|| panic!("items: {answer}"))
}

/// Mark one session as the coordinator (who can always mark).
async fn marks(app: &TestApp, class: &Class, session: usize, list: &[(&Person, &str)]) {
    mark(app, &class.coordinator, class.session(session), list).await.expect_status(200);
}

/// A finished course of four sessions, in which Ann attended all four.
async fn finished(app: &TestApp, name: &str) -> Class {
    let starts = [local_at(-12, "19:30"), local_at(-11, "19:30"), local_at(-10, "19:30"), local_at(-9, "19:30")];
    let class = Class::new(app, &[name, "Bob Bakker"], &starts).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    for i in 0..4 {
        marks(app, &class, i, &[(ann, "present"), (bob, if i == 0 { "present" } else { "absent" })]).await;
    }
    class
}

/// The text of every page of a PDF, through its fonts' ToUnicode maps.
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert_eq!(pages.len(), 1, "one page");
    doc.extract_text(&pages).expect("text")
}

#[tokio::test]
async fn completion_holds_at_exactly_the_threshold_and_not_just_below() {
    let app = &spawn_app().await;
    let starts = [local_at(-12, "19:30"), local_at(-11, "19:30"), local_at(-10, "19:30"), local_at(-9, "19:30")];
    let class = Class::new(app, &["Ann Jansen", "Bob Bakker"], &starts).await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    app.execute(&format!("UPDATE courses SET completion_threshold = 75 WHERE id = {}", class.course.id)).await;
    // Bob joined after the first session: he is expected at three sessions only
    let joined = local_at(-11, "12:00").to_rfc3339();
    app.execute(&format!("UPDATE enrolments SET enrolled_at = '{joined}' WHERE user_id = {}", bob.id)).await;

    // Ann: 3 of 4 = 75 %, exactly the threshold. Bob: 2 of 3 = 66.7 %, just below.
    marks(app, &class, 0, &[(ann, "present")]).await;
    marks(app, &class, 1, &[(ann, "present"), (bob, "present")]).await;
    marks(app, &class, 2, &[(ann, "late"), (bob, "late")]).await;
    marks(app, &class, 3, &[(ann, "absent"), (bob, "absent")]).await;

    let mine = certificates_of(app, ann).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["course_id"], class.course.id);
    assert_eq!(mine[0]["course_title"], "Energiecoach worden");
    let code = mine[0]["code"].as_str().expect("code");
    assert!(mine[0]["url"].as_str().is_some_and(|u| u.ends_with(&format!("/certificaat/{code}"))), "{mine:?}");
    assert!(mine[0]["pdf_url"].as_str().is_some_and(|u| u.ends_with(&pdf_path(code))), "{mine:?}");
    assert!(certificates_of(app, bob).await.is_empty(), "2 of 3 is below 75 %");
    // Mijn cursussen says so, and leads to the certificate only where it is earned
    let link = "href=\"/mijn-cursussen/certificaten\"";
    assert!(Visitor::logged_in(app, ann).page("/mijn-cursussen").await.contains(link));
    assert!(!Visitor::logged_in(app, bob).page("/mijn-cursussen").await.contains(link));

    // asking again gives the same certificate, not a second one
    assert_eq!(certificates_of(app, ann).await[0]["code"], code);
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM certificates").await, 1);

    // one more attended session for Bob (excused does not count): 3 of 3
    marks(app, &class, 3, &[(bob, "excused")]).await;
    assert!(certificates_of(app, bob).await.is_empty(), "excused is not attended");
    marks(app, &class, 3, &[(bob, "present")]).await;
    assert_eq!(certificates_of(app, bob).await.len(), 1);
}

#[tokio::test]
async fn there_is_no_certificate_before_the_course_is_over() {
    let app = &spawn_app().await;
    let starts = [local_at(-3, "19:30"), local_at(-2, "19:30"), local_at(5, "19:30")];
    let class = Class::new(app, &["Ann Jansen"], &starts).await;
    let ann = &class.people[0];
    marks(app, &class, 0, &[(ann, "present")]).await;
    marks(app, &class, 1, &[(ann, "present")]).await;

    assert!(certificates_of(app, ann).await.is_empty(), "100 % so far, but one session is still to come");
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM certificates").await, 0);

    // the last session took place after all
    let (from, to) = crate::common::session_at(local_at(-1, "19:30"));
    app.execute(&format!(
        "UPDATE course_sessions SET starts_at = '{from}', ends_at = '{to}' WHERE id = {}",
        class.session(2)
    ))
    .await;
    marks(app, &class, 2, &[(ann, "present")]).await;
    assert_eq!(certificates_of(app, ann).await.len(), 1);
}

#[tokio::test]
async fn anyone_checks_a_code_and_sees_name_course_and_date_only() {
    let app = &spawn_app().await;
    let class = finished(app, "José Şükrü Łukasz").await;
    let ann = &class.people[0];
    let code = certificates_of(app, ann).await[0]["code"].as_str().expect("code").to_owned();
    assert!(code.len() >= 12 && code.chars().filter(|c| *c != '-').count() >= 10, "{code}");

    let (status, body) = app.get_json(&public_path(&code)).await;
    assert_eq!(status, 200, "public, no login: {body}");
    let date = local_at(-9, "19:30").date_naive().to_string();
    assert_eq!(
        body,
        json!({"code": code, "name": "José Şükrü Łukasz", "course_title": "Energiecoach worden", "date": date})
    );
    assert!(!body.to_string().contains(&ann.email));
    // typed in lower case, without dashes
    let typed = code.replace('-', "").to_lowercase();
    assert_eq!(app.get_json(&public_path(&typed)).await.1["name"], "José Şükrü Łukasz");
    assert_eq!(app.get_json(&public_path("ABCD-EFGH-JK")).await.0, 404);
    assert_eq!(app.get_json(&public_path("nonsense")).await.0, 404);

    let visitor = Visitor::new(app);
    let page = visitor.page(&format!("/certificaat/{code}")).await;
    assert!(page.contains("José Şükrü Łukasz") && page.contains("Energiecoach worden"), "{page}");
    assert!(!page.contains(&ann.email));
    let unknown = visitor.get("/certificaat/ABCD-EFGH-JK").await;
    assert_eq!(unknown.status().as_u16(), 404);
    assert!(unknown.text().await.unwrap_or_default().contains("We kennen dit certificaat niet"));
    // the form sends a typed code to its page
    let sent = visitor.get(&format!("/certificaat?code={typed}")).await;
    assert_eq!(sent.status().as_u16(), 303);
    assert_eq!(
        sent.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(format!("/certificaat/{code}").as_str())
    );
}

#[tokio::test]
async fn the_owner_downloads_a_pdf_with_the_name_and_nobody_else_can() {
    let app = &spawn_app().await;
    let class = finished(app, "José Şükrü Łukasz").await;
    let (ann, bob) = (&class.people[0], &class.people[1]);
    let code = certificates_of(app, ann).await[0]["code"].as_str().expect("code").to_owned();

    let response = Visitor::logged_in(app, ann).get(&pdf_path(&code)).await;
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    let disposition = header("content-disposition");
    assert!(disposition.starts_with("attachment; filename=") && disposition.contains(".pdf"), "{disposition}");
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"%PDF"));
    let text = pdf_text(&bytes);
    for expected in
        ["José Şükrü Łukasz", "Energiecoach worden", "Certificaat van deelname", "4 van 4", "Tom Trainer", &code]
    {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(text.contains(&format!("/certificaat/{code}")), "{text}");

    let english = Visitor::logged_in(app, ann).get(&format!("{}?lang=en", pdf_path(&code))).await;
    let text = pdf_text(&english.bytes().await.expect("body"));
    assert!(text.contains("Certificate of participation") && text.contains("4 of 4"), "{text}");
    assert!(text.contains("José Şükrü Łukasz"), "{text}");

    for other in [bob, &class.coordinator, &class.trainer] {
        let answer = Visitor::logged_in(app, other).get(&pdf_path(&code)).await;
        assert_eq!(answer.status().as_u16(), 404, "{}", other.name);
    }
    assert_eq!(Visitor::logged_in(app, ann).get(&pdf_path("ABCD-EFGH-JK")).await.status().as_u16(), 404);
    let anonymous = Visitor::new(app).get(&pdf_path(&code)).await;
    assert_eq!(anonymous.status().as_u16(), 303, "log in first");
    assert!(
        anonymous.headers().get("location").and_then(|v| v.to_str().ok()).is_some_and(|l| l.starts_with("/inloggen"))
    );

    // the page lists it with downloads in both languages
    let page = Visitor::logged_in(app, ann).page("/mijn-cursussen/certificaten").await;
    assert!(page.contains(&format!("{}?lang=nl", pdf_path(&code))), "{page}");
    assert!(page.contains(&format!("{}?lang=en", pdf_path(&code))), "{page}");
    let none = Visitor::logged_in(app, bob).page("/mijn-cursussen/certificaten").await;
    assert!(none.contains("Je hebt nog geen certificaten"), "{none}");
}

#[tokio::test]
async fn the_download_holds_the_certificate_and_deletion_withdraws_its_name() {
    let app = &spawn_app().await;
    let class = finished(app, "Ann Jansen").await;
    let ann = &class.people[0];
    let code = certificates_of(app, ann).await[0]["code"].as_str().expect("code").to_owned();

    let data = ann.get(app, "/api/v1/me/data").await.expect_status(200);
    let listed = data["certificates"].as_array().expect("certificates in the download");
    assert_eq!(listed.len(), 1, "{data}");
    assert_eq!(listed[0]["code"], code.as_str());
    assert_eq!(listed[0]["course_id"], class.course.id);

    app.settle_outbox().await;
    let admin = app.admin().await;
    assert_eq!(admin.delete(app, &format!("/api/v1/users/{}", ann.id)).await.0, 204);

    assert_eq!(app.get_json(&public_path(&code)).await.0, 404);
    let answer = Visitor::new(app).get(&format!("/certificaat/{code}")).await;
    assert_eq!(answer.status().as_u16(), 404);
    let page = answer.text().await.unwrap_or_default();
    assert!(page.contains("Dit certificaat is ingetrokken"), "{page}");
    assert!(!page.contains("Ann Jansen"), "{page}");
    // kept, and counted
    assert_eq!(app.int("SELECT count(*)::bigint AS v FROM certificates WHERE withdrawn_at IS NOT NULL").await, 1);
}
