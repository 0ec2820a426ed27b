//! Accounts, roles and security (issue 4): registering and proving an address, logging in
//! and out, sessions, throttling, passwords, roles and invitations, the command line, CSRF
//! and privacy, through the real HTTP API and HTML forms, with emails read back from the
//! test's SMTP server. The vocabulary is in tests/common/.

mod admin;
mod cli;
mod continuation;
mod csrf;
mod enumeration;
mod forms;
mod kept;
mod passwords;
mod privacy;
mod profile;
mod register;
mod sessions;
mod throttling;
