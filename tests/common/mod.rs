//! Helpers shared by the test binaries (`tests/api`, `tests/browser`): a database per test,
//! the real app on a free port, a real SMTP server and a headless browser.
//! Each binary uses a part of them.
#![allow(dead_code, unused_imports)]

pub mod app;
pub mod browser;
pub mod db;
pub mod enrolment;
pub mod smtp;

pub use app::{AppOptions, TestApp, spawn_app, spawn_app_with};
pub use smtp::{ReceivedMail, SmtpServer, Stage};

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
