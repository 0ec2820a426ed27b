//! Throttled logins that lock nobody out: a stranger's wrong passwords lock the address for
//! clients it does not know (for a time that doubles), while a device that logged in
//! before still gets in; forty guesses at once reach argon2 at most ten times.

use futures_util::future::join_all;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::common::{PASSWORD, TestApp, Visitor, header, problem, spawn_app};

async fn login(app: &TestApp, email: &str, password: &str, device: Option<&str>) -> Response {
    let body = json!({ "email": email, "password": password, "device_token": device });
    app.api(Method::POST, "/api/v1/auth/login", Some(&body), None).await
}

fn retry_after(response: &Response) -> u64 {
    header(response, "retry-after").parse().expect("Retry-After in seconds")
}

#[tokio::test]
async fn a_strangers_forty_guesses_do_not_lock_out_an_admin_on_a_known_device() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // the admin logged in before, by the API and in a browser
    let first = login(&app, &admin.email, PASSWORD, None).await;
    assert_eq!(first.status(), 200);
    let device = first.json::<Value>().await.unwrap()["device_token"].as_str().expect("a device token").to_owned();
    let browser = Visitor::new(&app);
    let response = browser.login(&admin.email, PASSWORD).await;
    let cookies: Vec<&str> = response.headers().get_all("set-cookie").iter().filter_map(|c| c.to_str().ok()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("wm_device=") && c.contains("HttpOnly")), "{cookies:?}");
    browser.post_form("/uitloggen", &[]).await;

    // a stranger guesses forty times
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(login(&app, &admin.email, "geraden wachtwoord", None).await.status().as_u16());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 30, "{statuses:?}");

    // clients the account does not know are locked out, even with the right password
    let locked = login(&app, &admin.email, PASSWORD, None).await;
    assert_eq!(locked.status(), 429);
    let wait = retry_after(&locked);
    assert!((1..=60).contains(&wait), "the first lock-out is short: {wait}");
    let (_, body) = problem(locked).await;
    assert_eq!(body["type"], "/problemen/too-many-requests");
    let page = Visitor::new(&app).post_form("/inloggen", &[("email", &admin.email), ("password", PASSWORD)]).await;
    assert_eq!(page.status(), 429);
    assert!(page.text().await.unwrap().contains("Te veel pogingen"));

    // the owner's known devices still get in
    assert_eq!(login(&app, &admin.email, PASSWORD, Some(&device)).await.status(), 200);
    let again = browser.post_form("/inloggen", &[("email", &admin.email), ("password", PASSWORD)]).await;
    assert_eq!(again.status(), 303, "the browser that logged in before");
    // a device token of another account is no key to this one
    let other = app.participant("Olga").await;
    let olga = login(&app, &other.email, PASSWORD, None).await.json::<Value>().await.unwrap();
    let olgas_device = olga["device_token"].as_str().unwrap();
    assert_eq!(login(&app, &admin.email, PASSWORD, Some(olgas_device)).await.status(), 429);
}

#[tokio::test]
async fn an_unknown_address_is_throttled_alike_and_lock_outs_double() {
    let app = spawn_app().await;
    let ann = app.participant("Ann").await;
    let mut answers = Vec::new();
    for email in [ann.email.as_str(), "niemand@example.org"] {
        for _ in 0..10 {
            assert_eq!(login(&app, email, "geraden wachtwoord", None).await.status(), 401);
        }
        let response = login(&app, email, "geraden wachtwoord", None).await;
        let status = response.status();
        let wait = retry_after(&response);
        answers.push((status, wait.div_ceil(10), response.bytes().await.unwrap()));
    }
    assert_eq!(answers[0], answers[1], "the same answer for a known and an unknown address");
    assert_eq!(answers[0].0, 429);

    // once the lock-out is over, ten more failures lock the account twice as long (the
    // address's own count is left out here: thirty failures lock it too)
    app.execute("UPDATE throttles SET locked_until = now() - interval '1 second' WHERE scope = 'login-account'").await;
    app.execute("DELETE FROM throttles WHERE scope = 'login-ip'").await;
    for _ in 0..10 {
        assert_eq!(login(&app, &ann.email, "nog een gok", None).await.status(), 401);
    }
    let response = login(&app, &ann.email, PASSWORD, None).await;
    assert_eq!(response.status(), 429);
    assert!((61..=120).contains(&retry_after(&response)), "twice the first lock-out: {}", retry_after(&response));
    let lockouts =
        format!("SELECT lockouts::bigint AS v FROM throttles WHERE scope = 'login-account' AND key = '{}'", ann.email);
    assert_eq!(app.int(&lockouts).await, 2);

    // after it, the right password opens the account and clears its count
    app.execute("UPDATE throttles SET locked_until = now() - interval '1 second' WHERE scope = 'login-account'").await;
    assert_eq!(login(&app, &ann.email, PASSWORD, None).await.status(), 200);
    let rows = format!("SELECT count(*) AS v FROM throttles WHERE scope = 'login-account' AND key = '{}'", ann.email);
    assert_eq!(app.int(&rows).await, 0);
}

#[tokio::test]
async fn forty_parallel_guesses_reach_the_password_check_at_most_ten_times() {
    let app = spawn_app().await;
    let bea = app.participant("Bea").await;
    let guesses = (0..40).map(|n| {
        let email = bea.email.clone();
        let app = &app;
        async move { login(app, &email, &format!("gok nummer {n}"), None).await.status().as_u16() }
    });
    let statuses = join_all(guesses).await;
    let unauthorized = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((unauthorized, throttled), (10, 30), "{statuses:?}");
    let hits =
        format!("SELECT hits::bigint AS v FROM throttles WHERE scope = 'login-account' AND key = '{}'", bea.email);
    assert_eq!(app.int(&hits).await, 10, "the stored count matches the checks made");
    assert_eq!(app.int("SELECT hits::bigint AS v FROM throttles WHERE scope = 'login-ip'").await, 10);
    let locked = "SELECT count(*) AS v FROM throttles WHERE scope = 'login-account' AND locked_until > now()";
    assert_eq!(app.int(locked).await, 1);
}
