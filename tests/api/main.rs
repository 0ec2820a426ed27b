//! Integration tests of the HTTP app, the database and the outbox, grouped by journey.
//! Each test starts the real app on its own database (see tests/common/).

#[path = "../common/mod.rs"]
mod common;

mod abuse;
mod access;
mod accounts;
mod attendance;
mod bootstrap;
mod catalogue;
mod demo;
mod enrol;
mod errors;
mod hardening;
mod headers;
mod health;
mod i18n;
mod openapi;
mod outbox;
mod reports;
