//! The current password asked again (to change it, to delete the account) is throttled
//! like a login: five wrong tries per login session, then 429 with Retry-After.

use reqwest::Method;
use serde_json::json;

use crate::common::{PASSWORD, Visitor, header, problem, spawn_app};

#[tokio::test]
async fn wrong_current_passwords_are_throttled_for_change_and_delete() {
    let app = spawn_app().await;
    let ann = app.participant("Ann").await;
    let change =
        |current: &'static str| json!({ "current_password": current, "new_password": "Fietsen langs het Reitdiep" });
    for _ in 0..5 {
        let response = app.api(Method::POST, "/api/v1/me/password", Some(&change("fout")), Some(&ann.token)).await;
        assert_eq!(response.status(), 422);
    }
    let response = app.api(Method::POST, "/api/v1/me/password", Some(&change(PASSWORD)), Some(&ann.token)).await;
    assert_eq!(response.status(), 429, "even the right password waits now");
    assert!(header(&response, "retry-after").parse::<u64>().unwrap() >= 1);
    assert_eq!(problem(response).await.1["type"], "/problemen/too-many-requests");
    let delete = json!({ "password": PASSWORD });
    let response = app.api(Method::DELETE, "/api/v1/me", Some(&delete), Some(&ann.token)).await;
    assert_eq!(response.status(), 429, "deleting asks the same password, with the same count");
    assert_eq!(app.int(&format!("SELECT count(*) AS v FROM users WHERE email = '{}'", ann.email)).await, 1);

    // once the lock-out is over the right password works, and clears the count
    app.execute("UPDATE throttles SET locked_until = now() - interval '1 second' WHERE scope = 'password-check'").await;
    let response = app.api(Method::POST, "/api/v1/me/password", Some(&change(PASSWORD)), Some(&ann.token)).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.int("SELECT count(*) AS v FROM throttles WHERE scope = 'password-check'").await, 0);

    // the form says so next to the field, in plain words
    let bob = app.participant("Bob").await;
    let browser = Visitor::logged_in(&app, &bob);
    for _ in 0..5 {
        let response = browser.submit("/profiel/verwijderen", "/profiel/verwijderen", &[("password", "fout")]).await;
        assert_eq!(response.status(), 422);
    }
    let response = browser.submit("/profiel/verwijderen", "/profiel/verwijderen", &[("password", PASSWORD)]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Te vaak een verkeerd wachtwoord"), "{page}");
    assert_eq!(app.int(&format!("SELECT count(*) AS v FROM users WHERE email = '{}'", bob.email)).await, 1);
}
