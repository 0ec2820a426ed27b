//! Proof under faults and scale-out (issue 21): two app processes and two outbox workers on
//! one database, PostgreSQL restarted and its pool exhausted, SIGTERM and `kill -9` under
//! load, a mail server that is away or refuses, and hostile input to every HTML form. Each
//! test starts what it breaks (a private PostgreSQL cluster, the app's own binary) itself.

#[path = "../common/mod.rs"]
mod common;

mod support;

mod database;
mod forms;
mod multi_instance;
mod process;
mod smtp;
