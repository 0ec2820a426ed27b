//! Abuse limits that lock nobody out (issue 14, item 2, and item 4): argon2 off the pool,
//! throttled logins that a known device still passes, atomic counting, throttled password
//! checks, registration limits and a password reset that answers alike.

mod logins;
mod password_checks;
mod pool;
mod registration;
mod reset;
