//! Roles: participant < trainer < coordinator < admin. Only admins see and change
//! accounts; they invite people with a role by email and change roles, and the last admin
//! keeps the role, also under concurrent demotions.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use wijkmakers::auth::Role;
use wijkmakers::choice::Choice;

use crate::common::{PASSWORD, TestApp, Visitor, field_error, fields, hidden_input, problem, spawn_app, token_in};

/// Every admin route, as (method, path, JSON body) for the API.
fn admin_api_routes(target: i64) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, "/api/v1/users".into(), None),
        (Method::GET, "/api/v1/users?q=doel".into(), None),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(json!({"email": "nieuw@example.org", "name": "Nieuw", "role": "trainer"})),
        ),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(json!({"email": "nieuw@example.org", "name": "Nieuw", "role": "participant"})),
        ),
        (Method::PATCH, format!("/api/v1/users/{target}"), Some(json!({"role": "admin"}))),
        (Method::DELETE, format!("/api/v1/users/{target}"), None),
    ]
}

/// Every admin form, as (path, fields).
fn admin_forms(target: i64) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    vec![
        ("/beheer/gebruikers".into(), vec![("email", "nieuw@example.org"), ("name", "Nieuw"), ("role", "trainer")]),
        (format!("/beheer/gebruikers/{target}/rol"), vec![("role", "admin")]),
        (format!("/beheer/gebruikers/{target}/verwijderen"), vec![]),
    ]
}

/// Nothing an admin route could change has changed.
async fn nothing_changed(app: &TestApp, target: i64, users: i64) {
    assert_eq!(app.int("SELECT count(*) AS v FROM users").await, users, "nobody was invited or added");
    let row = format!("SELECT role || ':' || (anonymised_at IS NULL) AS v FROM users WHERE id = {target}");
    assert_eq!(app.text(&row).await.as_deref(), Some("participant:true"));
    assert!(app.outbox().await.is_empty(), "no invitation went out");
}

#[tokio::test]
async fn every_admin_route_refuses_participants_trainers_coordinators_and_strangers() {
    let app = spawn_app().await;
    let target = app.add_user("doel@example.org", "Doel Persoon", Role::Participant, PASSWORD).await.id.0;
    for role in [Role::Participant, Role::Trainer, Role::Coordinator] {
        let email = format!("{}@example.org", role.as_str());
        let iemand = app.person(role, "Iemand").email(&email).await;
        for (method, path, body) in admin_api_routes(target) {
            let response = app.api(method.clone(), &path, body.as_ref(), Some(&iemand.token)).await;
            let (status, problem_body) = problem(response).await;
            assert_eq!(status, 403, "{} {method} {path}", role.as_str());
            assert_eq!(problem_body["type"], "/problemen/forbidden");
        }
        // not even to give oneself a higher role
        let body = json!({"role": "admin"});
        let path = format!("/api/v1/users/{}", iemand.id);
        let response = app.api(Method::PATCH, &path, Some(&body), Some(&iemand.token)).await;
        assert_eq!(response.status(), 403, "{} promotes itself", role.as_str());

        let browser = Visitor::new(&app);
        browser.login(&email, PASSWORD).await;
        assert_eq!(browser.get("/beheer/gebruikers").await.status(), 403, "{}", role.as_str());
        assert!(!browser.get("/").await.text().await.unwrap().contains(r#"href="/beheer/gebruikers""#));
        for (path, form) in admin_forms(target) {
            let response = browser.submit("/profiel", &path, &form).await;
            assert_eq!(response.status(), 403, "{} POST {path}", role.as_str());
        }
    }
    let users = 4;
    nothing_changed(&app, target, users).await;

    // strangers: 401 from the API, the login page for a page, 401 for a form
    for (method, path, body) in admin_api_routes(target) {
        let (status, _) = problem(app.api(method.clone(), &path, body.as_ref(), None).await).await;
        assert_eq!(status, 401, "{method} {path}");
    }
    let stranger = Visitor::new(&app);
    let response = stranger.get("/beheer/gebruikers").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/inloggen?terug=%2Fbeheer%2Fgebruikers");
    for (path, form) in admin_forms(target) {
        assert_eq!(stranger.submit("/", &path, &form).await.status(), 401, "POST {path}");
    }
    nothing_changed(&app, target, users).await;

    // positive control: an admin may
    let admin = app.admin().email("admin@example.org").await;
    assert_eq!(app.api(Method::GET, "/api/v1/users", None, Some(&admin.token)).await.status(), 200);
    let browser = Visitor::new(&app);
    browser.login("admin@example.org", PASSWORD).await;
    let page = browser.get("/beheer/gebruikers").await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("doel@example.org"));
    assert!(page.contains(r#"href="/beheer/gebruikers""#), "the admin's menu has the accounts");
}

#[tokio::test]
async fn an_admin_invites_a_trainer_who_sets_a_password_and_is_logged_in() {
    let app = spawn_app().await;
    let admin = app.admin().email("ada@example.org").await;
    let invitation = json!({"email": "Tineke@Example.org", "name": "Tineke Trainer", "role": "trainer"});
    let response = app.api(Method::POST, "/api/v1/users", Some(&invitation), Some(&admin.token)).await;
    assert_eq!(response.status(), 201);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], "tineke@example.org");
    assert_eq!(user["role"], "trainer");
    assert_eq!(user["email_verified"], false);

    let mail = app.nth_mail_to("tineke@example.org", 1).await;
    assert_eq!(mail.subject().as_deref(), Some("Je bent uitgenodigd voor de Wijkmakers Academie"));
    assert!(mail.text().contains("Ada Admin"), "{}", mail.text());
    let link = mail.link_to("/uitnodiging").expect("an invitation link");
    assert!(link.starts_with(&format!("{}/uitnodiging?token=", app.address)), "{link}");
    let token = token_in(&link);

    // no password yet: no login
    let response = app.post_json("/api/v1/auth/login", &json!({"email": "tineke@example.org", "password": ""})).await;
    assert_eq!(response.status(), 401);

    // the link shows a form and uses nothing yet
    let invited = Visitor::new(&app);
    let path = link.strip_prefix(&app.address).unwrap().to_owned();
    let page = invited.get(&path).await.text().await.unwrap();
    assert_eq!(hidden_input(&page, "token").as_deref(), Some(token.as_str()));
    assert!(page.contains(r#"name="privacy_consent""#), "asks for consent: {page}");
    assert_eq!(app.int("SELECT count(*) AS v FROM user_tokens WHERE used_at IS NOT NULL").await, 0);

    // without consent, or with a weak password: refused, the link still good
    let response = invited.post_form(&path, &[("token", &token), ("password", "wachtwoord123")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(field_error(&page, "password").is_some(), "{page}");
    assert!(field_error(&page, "privacy_consent").is_some(), "{page}");
    assert_eq!(app.int("SELECT count(*) AS v FROM user_tokens WHERE used_at IS NOT NULL").await, 0);

    let response = invited
        .post_form(&path, &[("token", &token), ("password", "trainen in de Korrewegwijk"), ("privacy_consent", "ja")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/mijn-cursussen?melding=welcome");
    let page = invited.get("/profiel").await;
    assert_eq!(page.status(), 200, "logged in");
    let page = page.text().await.unwrap();
    assert!(page.contains("Tineke Trainer"));
    assert!(page.contains(r#"href="/mijn-trainingen""#), "a trainer's menu");
    let row = app
        .text(
            "SELECT role || ':' || (email_verified_at IS NOT NULL) || ':' || (privacy_consent_at IS NOT NULL) AS v \
         FROM users WHERE email = 'tineke@example.org'",
        )
        .await;
    assert_eq!(row.as_deref(), Some("trainer:true:true"));
    app.login_api("tineke@example.org", "trainen in de Korrewegwijk").await;

    // once only
    let again = Visitor::new(&app);
    let response = again
        .post_form(&path, &[("token", &token), ("password", "nog een andere zin"), ("privacy_consent", "ja")])
        .await;
    assert_eq!(response.status(), 422);

    // a known address, an unknown role, a bad address
    let response = app.api(Method::POST, "/api/v1/users", Some(&invitation), Some(&admin.token)).await;
    assert_eq!(problem(response).await.0, 409);
    let body = json!({"email": "x@example.org", "name": "X", "role": "keizer"});
    let (status, body) = problem(app.api(Method::POST, "/api/v1/users", Some(&body), Some(&admin.token)).await).await;
    assert_eq!((status, fields(&body)), (422, vec!["role".to_owned()]));
    let body = json!({"email": "geen adres", "name": "", "role": "trainer"});
    let (status, body) = problem(app.api(Method::POST, "/api/v1/users", Some(&body), Some(&admin.token)).await).await;
    assert_eq!((status, fields(&body)), (422, vec!["email".to_owned(), "name".to_owned()]));
}

#[tokio::test]
async fn the_admin_page_invites_with_a_role() {
    let app = spawn_app().await;
    app.add_user("ada@example.org", "Ada Admin", Role::Admin, PASSWORD).await;
    app.login("ada@example.org", PASSWORD).await;
    let response = app
        .post_form(
            "/beheer/gebruikers",
            &[("name", "Koen Coördinator"), ("email", "koen@example.org"), ("role", "coordinator")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/beheer/gebruikers?melding=invited");
    app.link_in_mail("koen@example.org", 1, "/uitnodiging").await;
    let role = app.text("SELECT role::text AS v FROM users WHERE email = 'koen@example.org'").await;
    assert_eq!(role.as_deref(), Some("coordinator"));

    // a known address is shown next to the field, with what was typed kept
    let response = app
        .post_form("/beheer/gebruikers", &[("name", "Koen Twee"), ("email", "koen@example.org"), ("role", "trainer")])
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(field_error(&page, "email").is_some_and(|e| e.contains("Er is al een account")), "{page}");
    assert!(page.contains(r#"value="Koen Twee""#));
}

#[tokio::test]
async fn an_admin_changes_roles_but_the_last_admin_keeps_the_role() {
    let app = spawn_app().await;
    let ada = app.admin().email("ada@example.org").await;
    let piet = app.participant("Piet").email("piet@example.org").await;
    let patch = |id: i64, role: &str| {
        let app = &app;
        let admin = ada.token.clone();
        let body = json!({ "role": role });
        async move { app.api(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&body), Some(&admin)).await }
    };

    let response = patch(piet.id, "coordinator").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["role"], "coordinator");
    // the change holds for Piet's session at once
    let me: Value = app.api(Method::GET, "/api/v1/me", None, Some(&piet.token)).await.json().await.unwrap();
    assert_eq!(me["role"], "coordinator");

    // the only admin cannot step down
    let (status, body) = problem(patch(ada.id, "coordinator").await).await;
    assert_eq!(status, 409);
    assert_eq!(body["detail"], "Dit is de laatste beheerder. Maak eerst iemand anders beheerder.");
    assert_eq!(app.text(&format!("SELECT role::text AS v FROM users WHERE id = {}", ada.id)).await.unwrap(), "admin");

    assert_eq!(problem(patch(999_999, "trainer").await).await.0, 404);
    let (status, body) = problem(patch(piet.id, "keizer").await).await;
    assert_eq!((status, fields(&body)), (422, vec!["role".to_owned()]));

    // with a second admin, the first may step down; then the second is the last
    assert_eq!(patch(piet.id, "admin").await.status(), 200);
    assert_eq!(patch(ada.id, "participant").await.status(), 200);
    assert_eq!(app.me_status(&ada.token).await, 200, "a demoted admin stays logged in");
    assert_eq!(
        app.api(Method::GET, "/api/v1/users", None, Some(&ada.token)).await.status(),
        403,
        "…without the rights"
    );
    let body = json!({"role": "trainer"});
    let response = app.api(Method::PATCH, &format!("/api/v1/users/{}", piet.id), Some(&body), Some(&piet.token)).await;
    assert_eq!(problem(response).await.0, 409);

    // also through the form
    app.login("piet@example.org", PASSWORD).await;
    let response = app.post_form(&format!("/beheer/gebruikers/{}/rol", piet.id), &[("role", "participant")]).await;
    assert_eq!(response.status(), 409);
    let response = app.post_form(&format!("/beheer/gebruikers/{}/rol", ada.id), &[("role", "trainer")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.text(&format!("SELECT role::text AS v FROM users WHERE id = {}", ada.id)).await.unwrap(), "trainer");
    assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE role = 'admin'").await, 1);
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = spawn_app().await;
    let a = app.admin().named("Admin A").email("a@example.org").await;
    let b = app.admin().named("Admin B").email("b@example.org").await;
    let demote = |id: i64, token: String| {
        let app = &app;
        async move {
            let body = json!({"role": "participant"});
            app.api(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&body), Some(&token)).await.status()
        }
    };
    for round in 0..8 {
        app.execute("UPDATE users SET role = 'admin'").await;
        let (first, second) = tokio::join!(demote(b.id, a.token.clone()), demote(a.id, b.token.clone()));
        let mut statuses = [first, second];
        statuses.sort();
        assert_eq!(statuses[0], StatusCode::OK, "round {round}: one demotion goes through: {statuses:?}");
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::CONFLICT].contains(&statuses[1]),
            "round {round}: the other is refused: {statuses:?}"
        );
        assert_eq!(app.int("SELECT count(*) AS v FROM users WHERE role = 'admin'").await, 1, "round {round}");
    }
}

#[tokio::test]
async fn admins_search_accounts_by_name_or_address() {
    let app = spawn_app().await;
    let admin = app.admin().named("Zeno Beheer").email("beheer@example.org").await;
    for (email, name, role) in [
        ("ann@example.org", "Ann de Vries", Role::Participant),
        ("bert@example.org", "Bert Annema", Role::Trainer),
        ("c.jansen@annexe.nl", "Carla Jansen", Role::Participant),
        ("dirk@example.org", "Dirk 100% Zeker", Role::Participant),
    ] {
        app.add_user(email, name, role, PASSWORD).await;
    }
    let list = |query: &str| {
        let app = &app;
        let admin = admin.token.clone();
        let path = format!("/api/v1/users{query}");
        async move {
            let response = app.api(Method::GET, &path, None, Some(&admin)).await;
            assert_eq!(response.status(), 200, "{path}");
            response.json::<Value>().await.unwrap()
        }
    };
    let names = |body: &Value| -> Vec<String> {
        body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_owned()).collect()
    };

    let all = list("").await;
    assert_eq!(all["total"], 5);
    assert_eq!((all["page"].clone(), all["per_page"].clone()), (json!(1), json!(50)));
    for user in all["items"].as_array().unwrap() {
        for key in
            ["id", "email", "name", "role", "email_verified", "wijk", "organisation", "participant_kind", "locale"]
        {
            assert!(user.get(key).is_some(), "{key} missing: {user}");
        }
        assert!(user.get("password_hash").is_none() && user.get("calendar_token").is_none(), "{user}");
    }

    let found = list("?q=ANN").await;
    assert_eq!(names(&found), ["Ann de Vries", "Bert Annema", "Carla Jansen"]);
    assert_eq!(found["total"], 3);
    assert_eq!(names(&list("?q=100%25").await), ["Dirk 100% Zeker"], "% is a character, not a wildcard");
    assert_eq!(list("?q=%25%25%25").await["total"], 0);
    assert_eq!(names(&list("?q=ann&role=trainer").await), ["Bert Annema"]);
    let second = list("?q=ann&per_page=1&page=2").await;
    assert_eq!((names(&second), second["total"].clone()), (vec!["Bert Annema".to_owned()], json!(3)));
    let (status, body) =
        problem(app.api(Method::GET, "/api/v1/users?role=keizer", None, Some(&admin.token)).await).await;
    assert_eq!((status, fields(&body)), (422, vec!["role".to_owned()]));
}

#[tokio::test]
async fn the_service_layer_itself_refuses_everyone_below_admin() {
    use wijkmakers::accounts::service;
    use wijkmakers::auth::CurrentUser;
    use wijkmakers::error::AppError;
    use wijkmakers::i18n::Locale;
    use wijkmakers::ids::UserId;
    use wijkmakers::paging::Paging;

    let app = spawn_app().await;
    let target = app.add_user("doel@example.org", "Doel", Role::Participant, PASSWORD).await.id;
    let (base, site) = (app.config.base().to_owned(), app.config.site());
    for role in [Role::Participant, Role::Trainer, Role::Coordinator] {
        // a caller that skipped the handler's check: the service still says no
        let actor = CurrentUser {
            id: UserId(target.0 + 1000),
            name: "Iemand".into(),
            email: "iemand@example.org".into(),
            role,
            email_verified: true,
            locale: Locale::Nl,
            session_id: 0,
        };
        let (base, site) = (base.clone(), site.clone());
        let refusals = app
            .pool
            .run(move |conn| {
                let paging = Paging { page: 1, per_page: 50 };
                Ok(vec![
                    ("list", service::list(conn, &actor, &service::UserQuery::default(), paging).err()),
                    ("change_role", service::change_role(conn, &actor, target, Role::Admin).err()),
                    (
                        "invite a trainer",
                        service::invite(conn, &base, &actor, "x@example.org", "X", Role::Trainer).err(),
                    ),
                    (
                        "delete",
                        wijkmakers::privacy::service::delete_account_by_admin(conn, &site, &actor, target).err(),
                    ),
                ])
            })
            .await
            .unwrap();
        for (what, error) in refusals {
            assert!(matches!(error, Some(AppError::Forbidden(_))), "{}: {what}: {error:?}", role.as_str());
        }
    }
    nothing_changed(&app, target.0, 1).await;
}
