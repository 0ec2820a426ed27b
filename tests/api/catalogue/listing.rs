//! The public catalogue: `/cursussen` and `GET /api/v1/courses` with their filters, search,
//! order and pages, and the calendar feed of every public session.

use icalendar::Component;
use serde_json::{Value, json};

use crate::common::{
    Seed, TestApp, ahead, card, card_titles, course_body, fields, id, instant, spawn_app, titles, with,
};

/// GET a catalogue page as an anonymous reader; answers status and body. Like `list`, it
/// moves the year 2027 in `path` to next year (see `ahead`).
async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.api_client.get(app.url(&ahead(path))).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn list(app: &TestApp, query: &str) -> Value {
    let (status, body) = app.get_json(&ahead(&format!("/api/v1/courses{query}"))).await;
    assert_eq!(status, 200, "GET /api/v1/courses{query}: {body}");
    body
}

#[tokio::test]
async fn only_published_courses_with_sessions_to_come_are_listed() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    coordinator.published_course(&app, course_body("Komt eraan"), &ahead("2027-04-01"), "selwerd").await;
    let draft = coordinator.post_course(&app, course_body("Concept")).await;
    coordinator.add_session(&app, id(&draft), &ahead("2027-04-02T19:30"), &ahead("2027-04-02T21:30"), "selwerd").await;
    coordinator.published_course(&app, course_body("Al geweest"), "2025-01-15", "selwerd").await;
    let cancelled = coordinator.published_course(&app, course_body("Afgelast"), &ahead("2027-04-03"), "selwerd").await;
    coordinator.set_status(&app, id(&cancelled), "cancelled").await;
    let archived =
        coordinator.published_course(&app, course_body("Gearchiveerd"), &ahead("2027-04-04"), "selwerd").await;
    coordinator.set_status(&app, id(&archived), "archived").await;
    // a published course whose only future session is cancelled has nothing to come
    let off =
        coordinator.published_course(&app, course_body("Bijeenkomst vervallen"), &ahead("2027-04-05"), "selwerd").await;
    let session = off["sessions"][0]["id"].as_i64().unwrap();
    coordinator.post(&app, &format!("/api/v1/sessions/{session}/cancel")).await;

    let all = list(&app, "").await;
    assert_eq!(titles(&all), ["Komt eraan"]);
    assert_eq!(all["total"], 1);
    let (status, body) = page(&app, "/cursussen").await;
    assert_eq!(status, 200);
    assert_eq!(card_titles(&body), ["Komt eraan"]);
    assert!(body.contains("1 cursus gevonden."), "{body}");
    // a coordinator asking for everything sees them all
    let (_, everything) = coordinator.get(&app, "/api/v1/courses?status=all").await;
    assert_eq!(everything["total"], 6);
}

#[tokio::test]
async fn courses_are_sorted_by_their_next_session_and_carry_the_listed_fields() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    coordinator
        .published_course(
            &app,
            with(course_body("Zomer"), json!({"theme": "democratisering"})),
            &ahead("2027-06-01"),
            "beijum",
        )
        .await;
    coordinator.published_course(&app, course_body("Winter"), &ahead("2027-02-01"), "beijum").await;
    let spring = coordinator
        .post_course(
            &app,
            with(
                course_body("Voorjaar"),
                json!({"capacity": 1, "summary": "Lente in de wijk", "format": "werkplaats"}),
            ),
        )
        .await;
    coordinator.add_session(&app, id(&spring), "2025-01-07T19:30", "2025-01-07T21:30", "beijum").await;
    coordinator.add_session(&app, id(&spring), &ahead("2027-04-01T19:30"), &ahead("2027-04-01T21:30"), "beijum").await;
    coordinator.add_session(&app, id(&spring), &ahead("2027-04-08T19:30"), &ahead("2027-04-08T21:30"), "beijum").await;
    coordinator.set_status(&app, id(&spring), "published").await;
    let ann = app.participant("Ann Akker").await;
    let bob = app.participant("Bob Bakker").await;
    ann.enrols_in(&app, &spring).await;
    bob.enrols_in(&app, &spring).await;

    let all = list(&app, "").await;
    assert_eq!(titles(&all), ["Winter", "Voorjaar", "Zomer"]);
    assert_eq!((all["total"].as_i64(), all["page"].as_i64(), all["per_page"].as_i64()), (Some(3), Some(1), Some(50)));
    let item = &all["items"][1];
    let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    for key in [
        "id",
        "slug",
        "title",
        "summary",
        "theme",
        "format",
        "status",
        "capacity",
        "seats_left",
        "waitlist_length",
        "next_session_at",
        "session_count",
    ] {
        assert!(keys.contains(&key), "{key} missing: {keys:?}");
    }
    assert_eq!(item["id"], spring["id"]);
    assert_eq!(item["slug"], "voorjaar");
    assert_eq!(item["summary"], "Lente in de wijk");
    assert_eq!(item["theme"], "wijkvernieuwing");
    assert_eq!(item["format"], "werkplaats");
    assert_eq!(item["status"], "published");
    assert_eq!(item["capacity"], 1);
    assert_eq!(item["seats_left"], 0);
    assert_eq!(item["waitlist_length"], 1);
    assert_eq!(item["session_count"], 3);
    assert_eq!(
        instant(&item["next_session_at"]),
        ahead("2027-04-01T17:30:00Z").parse::<chrono::DateTime<chrono::Utc>>().unwrap()
    );
    assert_eq!(all["items"][0]["seats_left"], 12);
    assert_eq!(all["items"][2]["theme"], "democratisering");

    // the page: in the same order, seats and waiting list on each card
    let (_, body) = page(&app, "/cursussen").await;
    assert_eq!(card_titles(&body), ["Winter", "Voorjaar", "Zomer"]);
    let voorjaar = card(&body, "Voorjaar");
    assert!(voorjaar.contains("Vol"), "{voorjaar}");
    assert!(voorjaar.contains("1 persoon op de wachtlijst"), "{voorjaar}");
    assert!(voorjaar.contains(&ahead("1 april 2027, 19:30")), "the next session, in local time: {voorjaar}");
    assert!(voorjaar.contains("3 bijeenkomsten"), "{voorjaar}");
    let winter = card(&body, "Winter");
    assert!(winter.contains("Nog 12 plekken"), "{winter}");
    assert!(!winter.contains("wachtlijst"), "{winter}");
    assert!(winter.contains(r#"href="/cursussen/winter""#));
}

/// A: energy, Oosterpoort, March; B: ondermijning, Selwerd, April; C: energy, De Hoogte,
/// April, full; plus a draft that never shows.
async fn three_courses(app: &TestApp) {
    let coordinator = app.coordinator().await;
    let energy = json!({"theme": "energietransitie"});
    coordinator
        .published_course(
            app,
            with(course_body("Zonnepanelen op je dak"), energy.clone()),
            &ahead("2027-03-10"),
            "oosterpoort",
        )
        .await;
    coordinator
        .published_course(
            app,
            with(course_body("Ondermijning herkennen"), json!({"theme": "ondermijning"})),
            &ahead("2027-04-15"),
            "selwerd",
        )
        .await;
    let full = coordinator
        .published_course(
            app,
            with(course_body("Warmte uit de bodem"), json!({"theme": "energietransitie", "capacity": 1})),
            &ahead("2027-04-20"),
            "de-hoogte",
        )
        .await;
    let draft = coordinator.post_course(app, with(course_body("Concept energie"), energy)).await;
    coordinator
        .add_session(app, id(&draft), &ahead("2027-03-11T19:30"), &ahead("2027-03-11T21:30"), "oosterpoort")
        .await;
    let ann = app.participant("Ann Akker").await;
    ann.enrols_in(app, &full).await;
}

#[tokio::test]
async fn the_api_filters_by_theme_wijk_time_and_seats_left() {
    let app = spawn_app().await;
    three_courses(&app).await;
    let (a, b, c) = ("Zonnepanelen op je dak", "Ondermijning herkennen", "Warmte uit de bodem");

    assert_eq!(titles(&list(&app, "").await), [a, b, c]);
    assert_eq!(titles(&list(&app, "?theme=energietransitie").await), [a, c]);
    assert_eq!(titles(&list(&app, "?theme=ondermijning").await), [b]);
    assert_eq!(titles(&list(&app, "?theme=elkaars-taal").await), Vec::<String>::new());
    assert_eq!(titles(&list(&app, "?wijk=selwerd").await), [b]);
    assert_eq!(titles(&list(&app, "?wijk=de-hoogte").await), [c]);
    assert_eq!(titles(&list(&app, "?wijk=De%20Hoogte").await), [c], "the display name works too");
    assert_eq!(titles(&list(&app, "?wijk=DE%20HOOGTE").await), [c]);
    assert_eq!(titles(&list(&app, "?wijk=beijum").await), Vec::<String>::new());
    assert_eq!(titles(&list(&app, "?from=2027-04-01&to=2027-05-01").await), [b, c]);
    assert_eq!(titles(&list(&app, "?from=2027-04-16T00:00").await), [c]);
    assert_eq!(titles(&list(&app, "?to=2027-04-01T00:00:00%2B02:00").await), [a]);
    assert_eq!(titles(&list(&app, "?month=2027-03").await), [a]);
    let available = list(&app, "?available=true").await;
    assert_eq!(titles(&available), [a, b], "a full course disappears");
    assert_eq!(available["total"], 2);
    assert_eq!(titles(&list(&app, "?available=false").await), [a, b, c]);
    assert_eq!(titles(&list(&app, "?theme=energietransitie&available=true").await), [a]);
    assert_eq!(
        titles(&list(&app, "?theme=energietransitie&wijk=oosterpoort&from=2027-03-01&to=2027-04-01").await),
        [a]
    );
}

#[tokio::test]
async fn the_catalogue_page_filters_with_bookmarkable_get_links() {
    let app = spawn_app().await;
    three_courses(&app).await;
    let (a, b, c) = ("Zonnepanelen op je dak", "Ondermijning herkennen", "Warmte uit de bodem");

    let (status, body) = page(&app, "/cursussen").await;
    assert_eq!(status, 200);
    assert_eq!(card_titles(&body), [a, b, c]);
    assert!(body.contains(r#"<form method="get" action="/cursussen""#), "the filters are a GET form: {body}");
    for name in ["q", "thema", "wijk", "maand", "plaats"] {
        assert!(body.contains(&format!(r#"name="{name}""#)), "filter {name} missing");
    }
    // each card links to its theme's filtered list
    assert!(card(&body, a).contains(r#"href="/cursussen?thema=energietransitie""#), "{}", card(&body, a));
    assert!(card(&body, c).contains("Vol"));

    for (query, expected) in [
        ("?thema=energietransitie", vec![a, c]),
        ("?wijk=selwerd", vec![b]),
        ("?wijk=De+Hoogte", vec![c]),
        ("?maand=2027-03", vec![a]),
        ("?maand=2027-04", vec![b, c]),
        ("?plaats=1", vec![a, b]),
        ("?thema=energietransitie&plaats=1", vec![a]),
        ("?thema=&wijk=&maand=&q=", vec![a, b, c]),
    ] {
        let (status, body) = page(&app, &format!("/cursussen{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(card_titles(&body), expected, "{query}");
    }
    // the form shows the filters of the address it was opened with
    let (_, body) = page(&app, "/cursussen?thema=energietransitie&plaats=1&wijk=oosterpoort").await;
    assert!(body.contains(r#"<option value="energietransitie" selected>"#), "{body}");
    assert!(body.contains(r#"<option value="oosterpoort" selected>"#), "{body}");
    assert!(body.contains(r#"id="plaats" name="plaats" value="1" checked"#), "{body}");
}

#[tokio::test]
async fn search_finds_words_in_title_summary_and_description_with_dutch_stemming() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    coordinator
        .published_course(
            &app,
            with(course_body("Samen de wijk vergroenen"), json!({"theme": "elkaars-taal"})),
            &ahead("2027-03-01"),
            "selwerd",
        )
        .await;
    coordinator
        .published_course(
            &app,
            with(
                course_body("Geld voor je buurt"),
                json!({"summary": "Alles over subsidies en de energierekening.", "theme": "elkaars-taal"}),
            ),
            &ahead("2027-03-02"),
            "selwerd",
        )
        .await;
    coordinator
        .published_course(
            &app,
            with(
                course_body("Praten met de gemeente"),
                json!({"description": "We oefenen in de **buurtmoestuin** met lastige gesprekken.", "theme": "elkaars-taal"}),
            ),
            &ahead("2027-03-03"),
            "selwerd",
        )
        .await;

    assert_eq!(titles(&list(&app, "?q=wijken").await), ["Samen de wijk vergroenen"], "wijken finds wijk");
    assert_eq!(titles(&list(&app, "?q=wijk").await), ["Samen de wijk vergroenen"]);
    assert_eq!(titles(&list(&app, "?q=energierekening").await), ["Geld voor je buurt"], "a word of the summary");
    assert_eq!(titles(&list(&app, "?q=Energierekeningen").await), ["Geld voor je buurt"], "plural, capitalised");
    assert_eq!(titles(&list(&app, "?q=subsidie").await), ["Geld voor je buurt"]);
    // "buurt" also starts "Buurthuis", the place of every session: places are searched too
    assert_eq!(titles(&list(&app, "?q=buurten").await).len(), 3);
    assert_eq!(titles(&list(&app, "?q=buurtmoestuin").await), ["Praten met de gemeente"], "a word of the description");
    assert_eq!(titles(&list(&app, "?q=gesprek").await), ["Praten met de gemeente"]);
    assert_eq!(titles(&list(&app, "?q=xyzzyplof").await), Vec::<String>::new());
    assert_eq!(list(&app, "?q=xyzzyplof").await["total"], 0);
    assert_eq!(titles(&list(&app, "?q=gemeente%20gesprekken").await), ["Praten met de gemeente"]);
    // odd input is a search like any other, not an error
    for odd in ["%22%27%26%7C!%3A*(", "%26", "-", "or"] {
        let (status, body) = app.get_json(&format!("/api/v1/courses?q={odd}")).await;
        assert_eq!(status, 200, "q={odd}: {body}");
    }

    let (_, body) = page(&app, "/cursussen?q=wijken").await;
    assert_eq!(card_titles(&body), ["Samen de wijk vergroenen"]);
    assert!(body.contains(r#"name="q" type="search" value="wijken""#), "the search stays in the box: {body}");
    let (_, body) = page(&app, "/cursussen?q=xyzzyplof").await;
    assert!(card_titles(&body).is_empty());
    assert!(body.contains("Er zijn geen cursussen die passen bij je zoekopdracht."), "{body}");
}

#[tokio::test]
async fn the_api_answers_pages_of_courses() {
    let app = spawn_app().await;
    Seed {
        key: "reeks",
        title: "Reeks",
        courses: 5,
        theme: "democratisering",
        sessions: 1,
        first: &ahead("2027-05-01 08:00:00+00"),
        wijk: "beijum",
    }
    .insert(&app)
    .await;

    let mut seen = Vec::new();
    for page in 1..=3 {
        let body = list(&app, &format!("?per_page=2&page={page}")).await;
        assert_eq!(body["total"], 5);
        assert_eq!(body["page"], page);
        assert_eq!(body["per_page"], 2);
        seen.extend(titles(&body));
    }
    assert_eq!(seen, ["Reeks 1", "Reeks 2", "Reeks 3", "Reeks 4", "Reeks 5"], "every course once, in order");
    let beyond = list(&app, "?per_page=2&page=9").await;
    assert_eq!(beyond["items"], json!([]));
    assert_eq!((beyond["total"].as_i64(), beyond["page"].as_i64()), (Some(5), Some(9)), "the total stays right");
    let filtered_beyond = list(&app, "?theme=democratisering&per_page=1&page=6").await;
    assert_eq!((filtered_beyond["items"].as_array().unwrap().len(), filtered_beyond["total"].as_i64()), (0, Some(5)));
    assert_eq!(list(&app, "?per_page=200").await["items"].as_array().unwrap().len(), 5);
    assert_eq!(list(&app, "").await["per_page"], 50);

    let (status, problem) = app.get_json("/api/v1/courses?per_page=201").await;
    assert_eq!(status, 422);
    assert_eq!(fields(&problem), ["per_page"]);
}

#[tokio::test]
async fn bad_filter_values_are_422_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, field) in [
        ("wijk=atlantis", "wijk"),
        ("theme=astrologie", "theme"),
        ("from=morgen", "from"),
        ("to=2027-13-01", "to"),
        ("month=maart", "month"),
        ("month=2027-13", "month"),
        ("available=misschien", "available"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=0", "per_page"),
        ("per_page=veel", "per_page"),
    ] {
        let (status, problem) = app.get_json(&format!("/api/v1/courses?{query}")).await;
        assert_eq!(status, 422, "{query}: {problem}");
        assert_eq!(problem["type"], "/problemen/validation");
        assert_eq!(fields(&problem), [field], "{query}");
    }
    let (status, problem) =
        app.get_json("/api/v1/courses?wijk=atlantis&from=morgen&available=misschien&page=0&per_page=999").await;
    assert_eq!(status, 422);
    let mut named = fields(&problem);
    named.sort();
    assert_eq!(named, ["available", "from", "page", "per_page", "wijk"]);

    // the page says it next to the filter, and still shows the form
    let (status, body) = page(&app, "/cursussen?maand=maart").await;
    assert_eq!(status, 422);
    assert!(body.contains(r#"class="error-summary""#), "{body}");
    assert!(body.contains(r##"<a href="#maand">"##), "the error links to the month filter: {body}");
    assert!(body.contains(r#"<form method="get" action="/cursussen""#));
    let (status, body) = page(&app, "/cursussen?wijk=atlantis&plaats=1").await;
    assert_eq!(status, 422);
    assert!(body.contains(r##"<a href="#wijk">"##), "{body}");
    let (status, body) = page(&app, "/cursussen?thema=astrologie").await;
    assert_eq!(status, 422);
    assert!(body.contains(r##"<a href="#thema">Dit thema bestaat niet.</a>"##), "{body}");
    // a retired theme still exists: its (old) links give an empty list, not an error
    let coordinator = app.coordinator().await;
    let (status, _) = coordinator.patch_json(&app, "/api/v1/themes/ondermijning", &json!({"retired": true})).await;
    assert_eq!(status, 200);
    assert_eq!(page(&app, "/cursussen?thema=ondermijning").await.0, 200);
    assert_eq!(list(&app, "?theme=ondermijning").await["total"], 0);
}

#[tokio::test]
async fn the_catalogue_page_is_paged_with_links_that_keep_the_filters() {
    let app = spawn_app().await;
    Seed {
        key: "energie",
        title: "Energiecafé",
        courses: 21,
        theme: "energietransitie",
        sessions: 1,
        first: &ahead("2027-05-01 08:00:00+00"),
        wijk: "beijum",
    }
    .insert(&app)
    .await;
    Seed {
        key: "anders",
        title: "Ander thema",
        courses: 2,
        theme: "ondermijning",
        sessions: 1,
        first: &ahead("2027-04-01 08:00:00+00"),
        wijk: "beijum",
    }
    .insert(&app)
    .await;

    let (status, body) = page(&app, "/cursussen?thema=energietransitie").await;
    assert_eq!(status, 200);
    assert!(body.contains("21 cursussen gevonden."), "{body}");
    assert_eq!(card_titles(&body).len(), 20, "20 on a page");
    assert_eq!(card_titles(&body)[0], "Energiecafé 1");
    let normal = body.replace("&#38;", "&").replace("&amp;", "&");
    assert!(normal.contains(r#"<span aria-current="page">1</span>"#), "{body}");
    assert!(normal.contains(r#"<a href="/cursussen?thema=energietransitie&page=2">2</a>"#), "{body}");

    let (status, second) = page(&app, "/cursussen?thema=energietransitie&page=2").await;
    assert_eq!(status, 200);
    assert_eq!(card_titles(&second), ["Energiecafé 21"]);
    let normal = second.replace("&#38;", "&").replace("&amp;", "&");
    assert!(
        normal.contains(r#"<a href="/cursussen?thema=energietransitie">1</a>"#),
        "back to page 1 keeps the theme: {second}"
    );

    // several filters survive together
    let (_, body) = page(&app, "/cursussen?thema=energietransitie&wijk=beijum&q=energiecaf%C3%A9&plaats=1").await;
    let normal = body.replace("&#38;", "&").replace("&amp;", "&");
    assert!(
        normal.contains("/cursussen?thema=energietransitie&wijk=beijum&plaats=1&q=energiecaf%C3%A9&page=2"),
        "{body}"
    );
    // without a filter: 23 courses, the other theme first (earlier sessions)
    let (_, body) = page(&app, "/cursussen").await;
    assert!(body.contains("23 cursussen gevonden."));
    assert_eq!(&card_titles(&body)[..3], ["Ander thema 1", "Ander thema 2", "Energiecafé 1"]);
}

#[tokio::test]
async fn the_agenda_feed_has_one_event_per_public_session() {
    let app = spawn_app().await;
    let coordinator = app.coordinator().await;
    // winter time (UTC+1) in February, summer time (UTC+2) in June
    let open = coordinator.published_course(&app, course_body("Open avond"), &ahead("2027-02-10"), "selwerd").await;
    let second = coordinator
        .add_session(&app, id(&open), &ahead("2027-06-10T19:30"), &ahead("2027-06-10T21:30"), "selwerd")
        .await;
    let third = coordinator
        .add_session(&app, id(&open), &ahead("2027-06-17T19:30"), &ahead("2027-06-17T21:30"), "selwerd")
        .await;
    coordinator.cancel_session(&app, id(&third)).await;
    let archived = coordinator.published_course(&app, course_body("Archief"), &ahead("2027-05-01"), "beijum").await;
    coordinator.set_status(&app, id(&archived), "archived").await;
    let draft = coordinator.post_course(&app, course_body("Concept")).await;
    coordinator.add_session(&app, id(&draft), &ahead("2027-05-02T19:30"), &ahead("2027-05-02T21:30"), "beijum").await;
    let cancelled = coordinator.published_course(&app, course_body("Afgelast"), &ahead("2027-05-03"), "beijum").await;
    coordinator.set_status(&app, id(&cancelled), "cancelled").await;

    let response = app.api_client.get(app.url("/cursussen/agenda.ics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = response.text().await.unwrap();
    let calendar: icalendar::Calendar = text.parse().unwrap_or_else(|e| panic!("not a calendar ({e}): {text}"));
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    assert_eq!(calendar.property_value("METHOD"), Some("PUBLISH"));
    let events: Vec<_> = calendar.events().collect();
    let mut uids: Vec<&str> = events.iter().map(|e| e.get_uid().unwrap()).collect();
    uids.sort();
    let mut expected: Vec<String> = [
        open["sessions"][0]["id"].as_i64().unwrap(),
        id(&second),
        id(&third),
        archived["sessions"][0]["id"].as_i64().unwrap(),
    ]
    .iter()
    .map(|s| format!("sessie-{s}@127.0.0.1"))
    .collect();
    expected.sort();
    assert_eq!(uids, expected.iter().map(String::as_str).collect::<Vec<_>>(), "{text}");
    let event =
        |session: i64| *events.iter().find(|e| e.get_uid() == Some(&format!("sessie-{session}@127.0.0.1"))).unwrap();
    assert_eq!(event(id(&second)).property_value("DTSTART"), Some(ahead("20270610T173000Z").as_str()), "summer time");
    assert_eq!(
        event(open["sessions"][0]["id"].as_i64().unwrap()).property_value("DTSTART"),
        Some(ahead("20270210T183000Z").as_str())
    );
    assert_eq!(event(id(&third)).property_value("STATUS"), Some("CANCELLED"));
    assert!(event(id(&second)).get_summary().unwrap().starts_with("Open avond"));
    assert!(text.contains("/cursussen/open-avond"));
    assert!(!text.contains("Concept") && !text.contains("Afgelast"), "{text}");
}

/// The page numbers of a catalogue page's pagination, "…" for a gap.
fn page_numbers(body: &str) -> Vec<String> {
    let Some(nav) = body.split("class=\"pagination\"").nth(1) else { return Vec::new() };
    let nav = nav.split("</ul>").next().unwrap_or("");
    nav.split("<li>")
        .skip(1)
        .map(|li| {
            let text = li.split("</li>").next().unwrap_or("");
            let inner = text.rsplit_once("\">").map_or(text, |(_, t)| t);
            inner.split('<').next().unwrap_or("").to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_long_catalogue_links_the_first_and_last_pages_and_those_near_this_one() {
    let app = spawn_app().await;
    Seed {
        key: "veel",
        title: "Buurtcafé",
        courses: 150,
        theme: "energietransitie",
        sessions: 1,
        first: &ahead("2027-05-01 08:00:00+00"),
        wijk: "beijum",
    }
    .insert(&app)
    .await;
    let (_, first) = page(&app, "/cursussen").await;
    assert_eq!(page_numbers(&first), ["1", "2", "3", "…", "8"], "eight pages of 20");
    let (_, middle) = page(&app, "/cursussen?page=5").await;
    assert_eq!(page_numbers(&middle), ["1", "…", "3", "4", "5", "6", "7", "8"]);
    assert!(middle.contains(r#"<span aria-current="page">5</span>"#), "{middle}");
    let (_, fourth) = page(&app, "/cursussen?page=4").await;
    assert_eq!(page_numbers(&fourth), ["1", "2", "3", "4", "5", "6", "…", "8"]);
    let (_, last) = page(&app, "/cursussen?page=8").await;
    assert_eq!(page_numbers(&last), ["1", "…", "6", "7", "8"]);
    assert_eq!(card_titles(&last).len(), 10);
}
