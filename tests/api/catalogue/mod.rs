//! The course catalogue (issue 5): themes, courses, sessions, trainers, the public list
//! with its filters and search, the coordinator's pages, and what a page costs in queries.
//! Everything goes through the real API and pages of a running app; the vocabulary
//! (people, courses, `Seed` for bulk data) is in tests/common/.

mod courses;
mod kept;
mod listing;
mod pages;
mod planning;
mod queries;
mod search;
mod sessions;
mod themes;
mod trainers;
