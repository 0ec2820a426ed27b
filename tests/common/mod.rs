//! The vocabulary of the tests, shared by the test binaries (`tests/api`, `tests/browser`):
//! the real app on its own database with a real SMTP server (`spawn_app`), the people who
//! use it (`app.participant("Ann")`, `app.coordinator()`), what they do
//! (`coordinator.create_course(&app, CourseSpec::new(…))`, `ann.enrol(&app, &course)`), the
//! mail they get (`app.mail_to(&ann, "Je bent ingeschreven")`), a browser-like
//! [`Visitor`], times pinned to a local clock time (`local_at(14, "19:30")`), and a
//! headless browser for the browser tests. Each binary uses a part of it.
#![allow(dead_code, unused_imports)]

pub mod answers;
pub mod app;
pub mod browser;
pub mod courses;
pub mod db;
pub mod html;
pub mod instance;
pub mod mail;
pub mod people;
pub mod smtp;
pub mod time;
pub mod visitor;

pub use answers::{Answer, assert_invalid, code, fields, header, location, problem, set_cookies, token_in};
pub use app::{AppOptions, TestApp, lit, spawn_app, spawn_app_on, spawn_app_with};
pub use courses::{
    Course, CourseRef, CourseSpec, Event, Seat, Seed, card, card_titles, course_body, id, seed_enrolments, titles, with,
};
pub use html::{field_error, hidden_input, input_tag, input_value, section, stylesheet_url, visible_text};
pub use instance::Instance;
pub use mail::{CalendarEvent, calendar_of, events_of};
pub use people::{Address, PASSWORD, Person};
pub use smtp::{ReceivedMail, SmtpServer, Stage};
pub use time::{ahead, instant, local_at, session_at, utc};
pub use visitor::Visitor;

use std::path::{Path, PathBuf};

/// A directory under the system's temp dir, removed with everything in it when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "wijkmakers-{label}-{}-{}",
            std::process::id(),
            hex::encode(rand::random::<[u8; 6]>())
        ));
        std::fs::create_dir_all(&path).expect("create a temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
