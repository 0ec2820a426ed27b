//! Enrolment (issue 6): seats and the waiting list, confirmations with calendar files,
//! cancellation, enrolling on someone's behalf, the history, reminders and "Mijn
//! cursussen", through the real API and pages, with the emails read back from the test's
//! SMTP server. The vocabulary (people, courses, mail) is in tests/common/.

mod calendars;
mod cancel;
mod concurrency;
mod confirm;
mod coordinator;
mod enrolling;
mod mine;
mod offers;
mod reminders;
mod roster;
mod wording;
