//! People: `app.participant("Ann").await`, `app.trainer("Tom").await`,
//! `app.coordinator().await`, `app.admin().await`, or a crowd with
//! `app.people("persoon", 200, Role::Participant)`. They are made straight in the database
//! (hundreds in a blink), verified, with the password [`PASSWORD`] and a live login
//! session whose token works as a bearer token and as the `wm_session` cookie.
//!
//! A `Person` then calls the API (`ann.get(&app, path)`, `ann.post_json(…)`, each answering
//! `(status, JSON)`), and does what people do (`ann.enrol(&app, &course)`, see `courses`).

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::OnceLock;

use chrono::Duration;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Text};
use reqwest::Method;
use serde_json::Value;
use wijkmakers::accounts::model::SessionKind;
use wijkmakers::accounts::service::{Client, open_session};
use wijkmakers::auth::Role;
use wijkmakers::choice::Choice;
use wijkmakers::ids::UserId;

use super::TestApp;

/// The password of every [`Person`]: one that meets every rule.
pub const PASSWORD: &str = "een lange zin als wachtwoord";

/// Someone with an account and a live login session (`token`: a bearer token, or the
/// value of the `wm_session` cookie).
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password: String,
    pub token: String,
}

/// Whatever names an inbox: a [`Person`] or an address.
pub trait Address {
    fn address(&self) -> &str;
}

impl Address for str {
    fn address(&self) -> &str {
        self
    }
}

impl Address for String {
    fn address(&self) -> &str {
        self
    }
}

impl Address for Person {
    fn address(&self) -> &str {
        &self.email
    }
}

impl<T: Address + ?Sized> Address for &T {
    fn address(&self) -> &str {
        (**self).address()
    }
}

/// A person about to be made; `.await` it. Change it first with [`NewPerson::named`],
/// [`NewPerson::email`] or [`NewPerson::unverified`].
#[must_use = "a person is only made when awaited"]
pub struct NewPerson<'a> {
    app: &'a TestApp,
    role: Role,
    name: String,
    email: Option<String>,
    verified: bool,
}

impl NewPerson<'_> {
    pub fn named(mut self, name: &str) -> Self {
        name.clone_into(&mut self.name);
        self
    }

    /// The address (else one made from the name: "Cora Coordinator" is
    /// `cora.coordinator@example.org`).
    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    /// Someone who has not proved their address yet.
    pub fn unverified(mut self) -> Self {
        self.verified = false;
        self
    }
}

impl<'a> IntoFuture for NewPerson<'a> {
    type Output = Person;
    type IntoFuture = Pin<Box<dyn Future<Output = Person> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let email = self.email.unwrap_or_else(|| address_for(&self.name));
            insert_people(self.app, vec![(email, self.name)], self.role, self.verified).await.remove(0)
        })
    }
}

/// `Ann de Vries` → `ann.de.vries@example.org` (ASCII letters and digits only).
fn address_for(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    assert!(!words.is_empty(), "no address can be made from the name {name:?}");
    format!("{}@example.org", words.join("."))
}

impl TestApp {
    /// A verified participant named `name`.
    pub fn participant(&self, name: &str) -> NewPerson<'_> {
        self.person(Role::Participant, name)
    }

    /// A verified trainer named `name`.
    pub fn trainer(&self, name: &str) -> NewPerson<'_> {
        self.person(Role::Trainer, name)
    }

    /// A coordinator, Cora Coordinator (`cora.coordinator@example.org`) unless named.
    pub fn coordinator(&self) -> NewPerson<'_> {
        self.person(Role::Coordinator, "Cora Coordinator")
    }

    /// An admin, Ada Admin (`ada.admin@example.org`) unless named.
    pub fn admin(&self) -> NewPerson<'_> {
        self.person(Role::Admin, "Ada Admin")
    }

    /// A verified person with `role`, named `name`.
    pub fn person(&self, role: Role, name: &str) -> NewPerson<'_> {
        NewPerson { app: self, role, name: name.to_owned(), email: None, verified: true }
    }

    /// `count` verified people `<prefix>-001@example.org` … named `<Prefix> 001` …, with
    /// `role`; in the order they were made (id order).
    pub async fn people(&self, prefix: &str, count: usize, role: Role) -> Vec<Person> {
        let capitalised: String =
            prefix.chars().take(1).flat_map(char::to_uppercase).chain(prefix.chars().skip(1)).collect();
        let people =
            (1..=count).map(|n| (format!("{prefix}-{n:03}@example.org"), format!("{capitalised} {n:03}"))).collect();
        insert_people(self, people, role, true).await
    }
}

/// The hash of [`PASSWORD`], made once per test process (the app's own hashing is slow on
/// purpose).
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| wijkmakers::accounts::password::hash(PASSWORD).expect("hash the password"))
}

#[derive(QueryableByName)]
struct NewRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    name: String,
}

/// Insert `(email, name)` accounts with `role`, each with a login session; in id order.
async fn insert_people(app: &TestApp, people: Vec<(String, String)>, role: Role, verified: bool) -> Vec<Person> {
    let (emails, names): (Vec<String>, Vec<String>) = people.into_iter().unzip();
    app.pool
        .tx(move |conn| {
            let rows: Vec<NewRow> = diesel::sql_query(
                "INSERT INTO users (email, name, role, email_verified_at, locale, privacy_consent_at, calendar_token,
                                    password_hash)
                 SELECT p.email, p.name, $3::user_role, CASE WHEN $4 THEN now() END, 'nl', now(),
                        md5(random()::text || clock_timestamp()::text || p.n), $5
                 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(email, name, n) ORDER BY p.n
                 RETURNING id, email, name",
            )
            .bind::<Array<Text>, _>(&emails)
            .bind::<Array<Text>, _>(&names)
            .bind::<Text, _>(role.as_str())
            .bind::<Bool, _>(verified)
            .bind::<Text, _>(password_hash())
            .load(conn)?;
            let client = Client { ip: "127.0.0.1".into(), user_agent: Some("test fixture".into()) };
            let mut people = Vec::with_capacity(rows.len());
            for row in rows {
                let token = open_session(conn, UserId(row.id), SessionKind::Api, &client, Duration::days(1))?;
                people.push(Person {
                    id: row.id,
                    email: row.email,
                    name: row.name,
                    password: PASSWORD.to_owned(),
                    token,
                });
            }
            people.sort_by_key(|p| p.id);
            Ok(people)
        })
        .await
        .expect("make people")
}

impl Person {
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    /// Any API call with this person's bearer token: status and JSON body.
    pub async fn call(&self, app: &TestApp, method: Method, path: &str, body: Option<&Value>) -> (u16, Value) {
        app.call(method, path, body, Some(&self.token)).await
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> (u16, Value) {
        self.call(app, Method::GET, path, None).await
    }

    /// POST without a body.
    pub async fn post(&self, app: &TestApp, path: &str) -> (u16, Value) {
        self.call(app, Method::POST, path, None).await
    }

    pub async fn post_json(&self, app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
        self.call(app, Method::POST, path, Some(body)).await
    }

    pub async fn patch_json(&self, app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
        self.call(app, Method::PATCH, path, Some(body)).await
    }

    /// PUT without a body.
    pub async fn put(&self, app: &TestApp, path: &str) -> (u16, Value) {
        self.call(app, Method::PUT, path, None).await
    }

    pub async fn delete(&self, app: &TestApp, path: &str) -> (u16, Value) {
        self.call(app, Method::DELETE, path, None).await
    }

    /// Rename (for names that a spreadsheet or a page must handle with care).
    pub async fn rename(&mut self, app: &TestApp, name: &str) {
        let (id, new) = (self.id, name.to_owned());
        app.pool
            .run(move |conn| {
                Ok(diesel::sql_query("UPDATE users SET name = $1 WHERE id = $2")
                    .bind::<Text, _>(new)
                    .bind::<BigInt, _>(id)
                    .execute(conn)?)
            })
            .await
            .expect("rename");
        // the catalogue hears of a new name through the search trigger on courses, within
        // one poll of its listener; the tests read at once, so the rename says so itself
        app.pool.changed();
        name.clone_into(&mut self.name);
    }
}
