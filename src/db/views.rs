//! Read models: SQL views through which one feature reads another's data (see the
//! migration `one_way_ownership`). Each view has one owner, the feature whose tables it
//! reads; only that feature's migrations change it. `diesel print-schema` does not write
//! views, so they are declared here by hand.

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::schema::sql_types::{ParticipantKind, UserRole};

    /// Owned by accounts: a person as other features may see them.
    people (id) {
        id -> Int8,
        name -> Text,
        email -> Text,
        locale -> Text,
        wijk -> Nullable<Text>,
        organisation -> Nullable<Text>,
        participant_kind -> Nullable<ParticipantKind>,
        role -> UserRole,
        email_verified -> Bool,
        anonymised -> Bool,
    }
}

diesel::table! {
    /// Owned by enrolment: seats taken per course (no row: nobody enrolled or waiting).
    /// `waitlisted` counts everyone waiting; `offered` those of them holding an open offer
    /// (migration 2026-12-01-000012), so seats left = capacity − enrolled − offered.
    course_seats (course_id) {
        course_id -> Int8,
        enrolled -> Int8,
        waitlisted -> Int8,
        offered -> Int8,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::schema::sql_types::EnrolmentStatus;

    /// Owned by enrolment: when each person joined a course (enrolment or promotion time,
    /// `NULL` while waiting); several rows per person when they cancelled and came back.
    enrolment_spans (course_id, user_id, status) {
        course_id -> Int8,
        user_id -> Int8,
        status -> EnrolmentStatus,
        joined_at -> Nullable<Timestamptz>,
        cancelled_at -> Nullable<Timestamptz>,
        enrolment_id -> Int8,
    }
}

use crate::db::schema::{
    access_needs, access_needs_audit, attendance_history, attendance_marks, certificates, course_sessions,
    course_trainers, courses, enrolment_events, enrolments, known_devices, login_sessions, outbox,
    password_reset_requests, themes, throttles, user_tokens, users,
};

diesel::joinable!(certificates -> people (user_id));
diesel::joinable!(course_seats -> courses (course_id));
diesel::joinable!(course_trainers -> people (user_id));
diesel::joinable!(enrolments -> people (user_id));

/// Views may appear in a query with every table (pairwise, so no pair is declared twice).
macro_rules! with_every_table {
    ($view:ident) => {
        diesel::allow_tables_to_appear_in_same_query!($view, access_needs);
        diesel::allow_tables_to_appear_in_same_query!($view, access_needs_audit);
        diesel::allow_tables_to_appear_in_same_query!($view, attendance_history);
        diesel::allow_tables_to_appear_in_same_query!($view, attendance_marks);
        diesel::allow_tables_to_appear_in_same_query!($view, certificates);
        diesel::allow_tables_to_appear_in_same_query!($view, course_sessions);
        diesel::allow_tables_to_appear_in_same_query!($view, course_trainers);
        diesel::allow_tables_to_appear_in_same_query!($view, courses);
        diesel::allow_tables_to_appear_in_same_query!($view, enrolment_events);
        diesel::allow_tables_to_appear_in_same_query!($view, enrolments);
        diesel::allow_tables_to_appear_in_same_query!($view, known_devices);
        diesel::allow_tables_to_appear_in_same_query!($view, login_sessions);
        diesel::allow_tables_to_appear_in_same_query!($view, outbox);
        diesel::allow_tables_to_appear_in_same_query!($view, password_reset_requests);
        diesel::allow_tables_to_appear_in_same_query!($view, themes);
        diesel::allow_tables_to_appear_in_same_query!($view, throttles);
        diesel::allow_tables_to_appear_in_same_query!($view, user_tokens);
        diesel::allow_tables_to_appear_in_same_query!($view, users);
    };
}
with_every_table!(people);
with_every_table!(course_seats);
with_every_table!(enrolment_spans);
diesel::allow_tables_to_appear_in_same_query!(people, course_seats);
diesel::allow_tables_to_appear_in_same_query!(people, enrolment_spans);
diesel::allow_tables_to_appear_in_same_query!(course_seats, enrolment_spans);

diesel::table! {
    /// Owned by catalogue: a session with what a report row says of it.
    session_facts (session_id) {
        session_id -> Int8,
        course_id -> Int8,
        course_title -> Text,
        theme -> Text,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        hours -> Numeric,
        place -> Text,
        wijk -> Nullable<Text>,
        trainers -> Text,
        completion_threshold -> Int4,
        cancelled -> Bool,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::schema::sql_types::{AttendanceStatus, EnrolmentStatus};

    /// Owned by attendance: every person who had a place in a course × its sessions that
    /// are not cancelled, `expected` by the rules of the attendance ledger, and their mark.
    attendance_cells (session_id, user_id) {
        course_id -> Int8,
        session_id -> Int8,
        user_id -> Int8,
        enrolment_status -> EnrolmentStatus,
        joined_at -> Nullable<Timestamptz>,
        mark -> Nullable<AttendanceStatus>,
        expected -> Bool,
    }
}
