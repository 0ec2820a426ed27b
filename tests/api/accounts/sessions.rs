//! Login sessions: bearer tokens and the browser cookie, kept in PostgreSQL only as a
//! hash, ended by logout, by idling, by their lifetime and by "log out everywhere", and
//! valid on every app instance and after a restart.

use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wijkmakers::auth::Role;

use crate::common::{PASSWORD, Visitor, hidden_input, lit, problem, set_cookies, spawn_app};

#[tokio::test]
async fn a_bearer_token_works_until_logout() {
    let app = spawn_app().await;
    app.add_user("tom@example.org", "Tom Hoekstra", Role::Trainer, PASSWORD).await;
    let response =
        app.post_json("/api/v1/auth/login", &json!({"email": " TOM@example.org", "password": PASSWORD})).await;
    assert_eq!(response.status(), 200);
    assert!(set_cookies(&response).iter().all(|c| !c.starts_with("wm_session=")), "no cookie for an API login");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "tom@example.org");
    assert_eq!(body["user"]["role"], "trainer");
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 43, "256 random bits");
    assert_eq!(app.text("SELECT kind::text AS v FROM login_sessions").await.as_deref(), Some("api"));

    let me: Value = app.api(Method::GET, "/api/v1/me", None, Some(&token)).await.json().await.unwrap();
    assert_eq!(me["email"], "tom@example.org");

    let response = app.api(Method::POST, "/api/v1/auth/logout", None, Some(&token)).await;
    assert_eq!(response.status(), 204);
    let (status, _) = problem(app.api(Method::GET, "/api/v1/me", None, Some(&token)).await).await;
    assert_eq!(status, 401);
    assert_eq!(app.api(Method::POST, "/api/v1/auth/logout", None, Some(&token)).await.status(), 401);
    assert_eq!(app.int("SELECT count(*) AS v FROM login_sessions WHERE revoked_at IS NOT NULL").await, 1);
    // the wrong password gives no token
    let response = app.post_json("/api/v1/auth/login", &json!({"email": "tom@example.org", "password": "fout"})).await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn the_login_form_sets_an_httponly_lax_cookie_whose_token_is_stored_only_hashed() {
    let app = spawn_app().await;
    app.add_user("els@example.org", "Els Mulder", Role::Participant, PASSWORD).await;
    let response = app.post_form("/inloggen", &[("email", "els@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/mijn-cursussen");
    let cookie = set_cookies(&response).into_iter().find(|c| c.starts_with("wm_session=")).expect("a session cookie");
    let attributes: Vec<String> = cookie.split(';').map(|a| a.trim().to_ascii_lowercase()).collect();
    for wanted in ["httponly", "samesite=lax", "path=/"] {
        assert!(attributes.iter().any(|a| a == wanted), "{wanted} missing: {cookie}");
    }
    assert!(!attributes.iter().any(|a| a == "secure"), "not Secure on http: {cookie}");
    assert!(attributes.iter().any(|a| a.starts_with("max-age=")), "{cookie}");
    let token = cookie["wm_session=".len()..cookie.find(';').unwrap()].to_owned();
    assert_eq!(token.len(), 43);

    // the header greets the person, and the session is a browser session stored as a hash
    assert!(app.page("/profiel").await.contains("Els Mulder"));
    let stored = app.text("SELECT kind || ':' || encode(token_hash, 'hex') AS v FROM login_sessions").await;
    assert_eq!(stored.unwrap(), format!("browser:{}", hex::encode(Sha256::digest(token.as_bytes()))));
    let pattern = lit(&format!("%{token}%"));
    for table in ["users", "login_sessions", "user_tokens", "known_devices", "outbox"] {
        let found = app.int(&format!("SELECT count(*) AS v FROM {table} t WHERE t::text LIKE {pattern}")).await;
        assert_eq!(found, 0, "the raw token is in {table}");
    }

    // only a path on this site is followed after login
    for (terug, location) in [("/cursussen?thema=energie", "/cursussen?thema=energie"), ("//evil.example/", "/")] {
        let visitor = Visitor::new(&app);
        let response = visitor
            .post_form("/inloggen", &[("email", "els@example.org"), ("password", PASSWORD), ("terug", terug)])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], location, "{terug}");
    }

    // the logout page asks first (a link or a prefetch logs nobody out)
    let page = app.page("/uitloggen").await;
    assert!(page.contains(r#"<form method="post" action="/uitloggen">"#), "{page}");
    assert_eq!(app.get("/profiel").await.status(), 200);

    // logging out through the form ends the session and removes the cookie
    let response = app.post_form("/uitloggen", &[]).await;
    assert_eq!(response.status(), 303);
    let removal = set_cookies(&response).into_iter().find(|c| c.starts_with("wm_session=")).expect("cookie removed");
    assert!(removal.to_ascii_lowercase().contains("max-age=0"), "{removal}");
    let response = app.get("/profiel").await;
    assert_eq!(response.status(), 303, "logged out: /profiel sends to the login page");
    assert_eq!(app.int("SELECT count(*) AS v FROM login_sessions WHERE revoked_at IS NULL").await, 2);
    // the old cookie value, replayed, is dead
    let replay = app.api_client.get(app.url("/api/v1/me")).header("cookie", format!("wm_session={token}")).send();
    assert_eq!(replay.await.unwrap().status(), 401);
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_platform_runs_on_https() {
    let app = spawn_app().await;
    app.add_user("rik@example.org", "Rik", Role::Participant, PASSWORD).await;
    let https = app.start_instance_with(|config| {
        config.base_url = url::Url::parse("https://academie.example.org").unwrap();
    });
    // behind a proxy that ends TLS: the browser's Origin is the public https origin, and
    // its cookies are Secure (so sent here by hand, over the test's plain http)
    let form = app.api_client.get(https.url("/inloggen")).send().await.unwrap();
    let seed = set_cookies(&form).into_iter().find(|c| c.starts_with("wm_csrf=")).expect("a CSRF cookie");
    assert!(seed.to_ascii_lowercase().contains("; secure"), "{seed}");
    let seed = seed[..seed.find(';').unwrap()].to_owned();
    let token = hidden_input(&form.text().await.unwrap(), "csrf_token").unwrap();
    let response = app
        .api_client
        .post(https.url("/inloggen"))
        .header("origin", "https://academie.example.org")
        .header("cookie", seed)
        .form(&[("email", "rik@example.org"), ("password", PASSWORD), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let cookie = set_cookies(&response).into_iter().find(|c| c.starts_with("wm_session=")).unwrap();
    let attributes: Vec<String> = cookie.split(';').map(|a| a.trim().to_ascii_lowercase()).collect();
    assert!(attributes.iter().any(|a| a == "secure"), "{cookie}");
    assert!(attributes.iter().any(|a| a == "httponly"), "{cookie}");
}

#[tokio::test]
async fn sessions_work_on_every_instance_and_survive_a_restart() {
    let app = spawn_app().await;
    app.add_user("noor@example.org", "Noor Visser", Role::Participant, PASSWORD).await;
    // a bearer token from instance A, a cookie from instance B
    let bearer = app.login_api("noor@example.org", PASSWORD).await;
    let b = app.start_instance();
    let browser = Visitor::at(&b.address);
    browser.login("noor@example.org", PASSWORD).await;

    // each works on the other instance
    let me = b.api(Method::GET, "/api/v1/me", None, Some(&bearer)).await;
    assert_eq!(me.status(), 200);
    let cookie = browser.client.get(app.url("/profiel")).send().await.unwrap();
    assert_eq!(cookie.status(), 200, "the cookie from B works on A");
    assert!(cookie.text().await.unwrap().contains("Noor Visser"));

    // B stops; a new process C, started afterwards with the same settings, knows both
    b.stop().await;
    assert!(browser.client.get(browser.url("/")).send().await.is_err(), "B is gone");
    let c = app.start_instance();
    let me = c.api(Method::GET, "/api/v1/me", None, Some(&bearer)).await;
    assert_eq!(me.status(), 200);
    let page = browser.client.get(c.url("/profiel")).send().await.unwrap();
    assert_eq!(page.status(), 200, "the cookie survives the restart");

    // logging out on C ends the token on A too
    let response = c.api(Method::POST, "/api/v1/auth/logout", None, Some(&bearer)).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.me_status(&bearer).await, 401);

    // a different SECRET_KEY changes nothing for sessions (the token itself is the secret)
    let d = app.start_instance_with(|config| config.secret_key = "x".repeat(40));
    let page = browser.client.get(d.url("/profiel")).send().await.unwrap();
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn an_idle_session_and_one_past_its_lifetime_end() {
    let app = spawn_app().await;
    app.add_user("gert@example.org", "Gert", Role::Participant, PASSWORD).await;
    let idle = app.login_api("gert@example.org", PASSWORD).await;
    let old = app.login_api("gert@example.org", PASSWORD).await;
    let active = app.login_api("gert@example.org", PASSWORD).await;
    let hash = |token: &str| format!("'\\x{}'::bytea", hex::encode(Sha256::digest(token.as_bytes())));

    // used 23 hours ago: still alive (the idle timeout is 24 hours), and marked as used now
    app.execute(&format!(
        "UPDATE login_sessions SET last_seen_at = now() - interval '23 hours' WHERE token_hash = {}",
        hash(&idle)
    ))
    .await;
    assert_eq!(app.me_status(&idle).await, 200);
    let seen = app
        .int(&format!(
            "SELECT extract(epoch FROM now() - last_seen_at)::bigint AS v FROM login_sessions WHERE token_hash = {}",
            hash(&idle)
        ))
        .await;
    assert!(seen < 60, "using a session keeps it alive: last seen {seen} s ago");

    // unused for 25 hours: ended
    app.execute(&format!(
        "UPDATE login_sessions SET last_seen_at = now() - interval '25 hours' WHERE token_hash = {}",
        hash(&idle)
    ))
    .await;
    assert_eq!(app.me_status(&idle).await, 401);

    // in use, but past its absolute lifetime: ended
    app.execute(&format!(
        "UPDATE login_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = {}",
        hash(&old)
    ))
    .await;
    assert_eq!(app.me_status(&old).await, 401);
    // the lifetime is 14 days from login
    let lifetime = app
        .int(&format!(
            "SELECT extract(epoch FROM expires_at - created_at)::bigint AS v FROM login_sessions WHERE token_hash = {}",
            hash(&active)
        ))
        .await;
    assert!((14 * 86400 - 5..=14 * 86400 + 5).contains(&lifetime), "{lifetime}");
    assert_eq!(app.me_status(&active).await, 200, "the untouched session lives on");

    // a browser whose session idled out is sent to log in, and its stale cookie removed
    app.login("gert@example.org", PASSWORD).await;
    assert_eq!(app.get("/profiel").await.status(), 200);
    app.execute("UPDATE login_sessions SET last_seen_at = now() - interval '25 hours' WHERE kind = 'browser'").await;
    let response = app.get("/profiel").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/inloggen?terug=%2Fprofiel");
    let removal = set_cookies(&response).into_iter().find(|c| c.starts_with("wm_session=")).expect("removed");
    assert!(removal.to_ascii_lowercase().contains("max-age=0"), "{removal}");
}

#[tokio::test]
async fn the_profile_lists_the_sessions_ends_one_and_logs_out_everywhere() {
    let app = spawn_app().await;
    let phone = app.participant("Ina de Boer").email("ina@example.org").await.token;
    let laptop = app.login_api("ina@example.org", PASSWORD).await;
    let other = Visitor::new(&app);
    other.login("ina@example.org", PASSWORD).await;
    let token = app.csrf_token("/inloggen").await;
    let response = app
        .client
        .post(app.url("/inloggen"))
        .header("origin", &app.address)
        .header("user-agent", "Testbrowser/1.0 (Fairphone)")
        .form(&[("email", "ina@example.org"), ("password", PASSWORD), ("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);

    let page = app.page("/profiel").await;
    assert!(page.contains("Waar ben ik ingelogd?"), "{page}");
    assert!(page.contains("Dit apparaat"), "the current session is marked");
    assert!(page.contains("Testbrowser/1.0 (Fairphone)"), "the device is named");
    let end_forms: Vec<i64> = page
        .split(r#"action="/profiel/sessies/"#)
        .skip(1)
        .map(|rest| rest[..rest.find('/').unwrap()].parse().unwrap())
        .collect();
    assert_eq!(end_forms.len(), 4, "four live sessions listed: {page}");

    // end the laptop's session from the list
    let laptop_id = app.int("SELECT id AS v FROM login_sessions WHERE kind = 'api' ORDER BY id DESC LIMIT 1").await;
    assert!(end_forms.contains(&laptop_id));
    let response = app.post_form(&format!("/profiel/sessies/{laptop_id}/beeindigen"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.me_status(&laptop).await, 401);
    assert_eq!(app.me_status(&phone).await, 200);
    // someone else's session cannot be ended from here
    let stranger = app.add_user("ander@example.org", "Ander", Role::Participant, PASSWORD).await;
    let theirs = app.login_api("ander@example.org", PASSWORD).await;
    let their_id = app.int(&format!("SELECT max(id) AS v FROM login_sessions WHERE user_id = {}", stranger.id.0)).await;
    let token = app.csrf_token("/profiel").await;
    let response = app
        .post_form_raw(
            &format!("/profiel/sessies/{their_id}/beeindigen"),
            &[("csrf_token", &token)],
            &[("origin", &app.address)],
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(app.me_status(&theirs).await, 200);

    // log out everywhere: every session of this person ends, the other person's does not
    let response = app.post_form("/profiel/uitloggen-overal", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/inloggen?melding=logged-out-everywhere");
    assert_eq!(app.me_status(&phone).await, 401);
    assert_eq!(other.get("/profiel").await.status(), 303, "the other browser is logged out");
    assert_eq!(app.get("/profiel").await.status(), 303, "this browser is logged out");
    assert_eq!(app.me_status(&theirs).await, 200);
    assert_eq!(
        app.int("SELECT count(*) AS v FROM login_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'ina@example.org' AND revoked_at IS NULL").await,
        0
    );
}
