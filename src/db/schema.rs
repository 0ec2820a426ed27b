// @generated automatically by Diesel CLI.

pub mod sql_types {
    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "attendance_status"))]
    pub struct AttendanceStatus;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "course_format"))]
    pub struct CourseFormat;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "course_status"))]
    pub struct CourseStatus;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "enrolment_action"))]
    pub struct EnrolmentAction;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "enrolment_status"))]
    pub struct EnrolmentStatus;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "mail_status"))]
    pub struct MailStatus;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "offer_status"))]
    pub struct OfferStatus;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "participant_kind"))]
    pub struct ParticipantKind;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "session_kind"))]
    pub struct SessionKind;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "session_status"))]
    pub struct SessionStatus;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "token_purpose"))]
    pub struct TokenPurpose;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "waitlist_mode"))]
    pub struct WaitlistMode;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "tsvector", schema = "pg_catalog"))]
    pub struct Tsvector;

    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "user_role"))]
    pub struct UserRole;
}

diesel::table! {
    access_needs (course_id, user_id) {
        course_id -> Int8,
        user_id -> Int8,
        needs -> Array<Text>,
        language -> Nullable<Text>,
        note -> Nullable<Text>,
        consent_at -> Timestamptz,
        wording_version -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    access_needs_audit (id) {
        id -> Int8,
        actor_id -> Int8,
        course_id -> Int8,
        at -> Timestamptz,
        people -> Int4,
    }
}

diesel::table! {
    apologies (session_id, user_id) {
        session_id -> Int8,
        user_id -> Int8,
        reason -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::AttendanceStatus;

    attendance_history (id) {
        id -> Int8,
        session_id -> Int8,
        user_id -> Int8,
        old_status -> Nullable<AttendanceStatus>,
        new_status -> Nullable<AttendanceStatus>,
        changed_by -> Nullable<Int8>,
        changed_at -> Timestamptz,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::AttendanceStatus;

    attendance_marks (session_id, user_id) {
        session_id -> Int8,
        user_id -> Int8,
        status -> AttendanceStatus,
        note -> Nullable<Text>,
        marked_by -> Nullable<Int8>,
        marked_at -> Timestamptz,
    }
}

diesel::table! {
    certificates (id) {
        id -> Int8,
        code -> Text,
        user_id -> Int8,
        course_id -> Int8,
        issued_at -> Timestamptz,
        withdrawn_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    check_in_codes (session_id) {
        session_id -> Int8,
        code -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::SessionStatus;

    course_sessions (id) {
        id -> Int8,
        course_id -> Int8,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        place -> Text,
        address -> Text,
        wijk -> Nullable<Text>,
        online_url -> Nullable<Text>,
        status -> SessionStatus,
        sequence -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    course_trainers (course_id, user_id) {
        course_id -> Int8,
        user_id -> Int8,
        assigned_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::CourseFormat;
    use super::sql_types::CourseStatus;
    use super::sql_types::Tsvector;
    use super::sql_types::WaitlistMode;

    courses (id) {
        id -> Int8,
        slug -> Text,
        title -> Text,
        summary -> Text,
        description -> Text,
        description_html -> Text,
        theme_id -> Int8,
        format -> CourseFormat,
        audience -> Text,
        capacity -> Int4,
        enrolment_opens_at -> Nullable<Timestamptz>,
        enrolment_closes_at -> Nullable<Timestamptz>,
        cancellation_deadline_hours -> Int4,
        completion_threshold -> Int4,
        waitlist_enabled -> Bool,
        status -> CourseStatus,
        search -> Tsvector,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        waitlist_mode -> WaitlistMode,
        offer_hours -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::EnrolmentAction;

    enrolment_events (id) {
        id -> Int8,
        enrolment_id -> Int8,
        action -> EnrolmentAction,
        actor_id -> Nullable<Int8>,
        note -> Nullable<Text>,
        at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::EnrolmentStatus;

    enrolments (id) {
        id -> Int8,
        course_id -> Int8,
        user_id -> Int8,
        status -> EnrolmentStatus,
        queued_at -> Timestamptz,
        enrolled_at -> Nullable<Timestamptz>,
        cancelled_at -> Nullable<Timestamptz>,
        over_capacity -> Bool,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        offer_passed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    known_devices (id) {
        id -> Int8,
        user_id -> Int8,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        last_used_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::SessionKind;

    login_sessions (id) {
        id -> Int8,
        user_id -> Int8,
        token_hash -> Bytea,
        kind -> SessionKind,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::MailStatus;

    outbox (id) {
        id -> Int8,
        idempotency_key -> Text,
        user_id -> Nullable<Int8>,
        recipient_email -> Text,
        recipient_name -> Nullable<Text>,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        attachments -> Jsonb,
        auto_submitted -> Bool,
        message_id -> Text,
        status -> MailStatus,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    themes (id) {
        id -> Int8,
        slug -> Text,
        name_nl -> Text,
        name_en -> Text,
        description_nl -> Text,
        description_en -> Text,
        retired_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::TokenPurpose;

    user_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        purpose -> TokenPurpose,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::UserRole;
    use super::sql_types::ParticipantKind;

    users (id) {
        id -> Int8,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        role -> UserRole,
        email_verified_at -> Nullable<Timestamptz>,
        wijk -> Nullable<Text>,
        organisation -> Nullable<Text>,
        participant_kind -> Nullable<ParticipantKind>,
        locale -> Text,
        privacy_consent_at -> Nullable<Timestamptz>,
        calendar_token -> Text,
        anonymised_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    password_reset_requests (id) {
        id -> Int8,
        email -> Text,
        requested_at -> Timestamptz,
    }
}

diesel::table! {
    throttles (scope, key) {
        scope -> Text,
        key -> Text,
        hits -> Int4,
        window_started_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        lockouts -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::OfferStatus;

    waitlist_offers (id) {
        id -> Int8,
        enrolment_id -> Int8,
        course_id -> Int8,
        offered_at -> Timestamptz,
        expires_at -> Timestamptz,
        status -> OfferStatus,
        decided_at -> Nullable<Timestamptz>,
        token_hash -> Nullable<Bytea>,
    }
}

diesel::joinable!(access_needs -> courses (course_id));
diesel::joinable!(access_needs -> users (user_id));
diesel::joinable!(access_needs_audit -> courses (course_id));
diesel::joinable!(access_needs_audit -> users (actor_id));
diesel::joinable!(apologies -> course_sessions (session_id));
diesel::joinable!(attendance_history -> course_sessions (session_id));
diesel::joinable!(attendance_marks -> course_sessions (session_id));
diesel::joinable!(check_in_codes -> course_sessions (session_id));
diesel::joinable!(certificates -> courses (course_id));
diesel::joinable!(certificates -> users (user_id));
diesel::joinable!(course_sessions -> courses (course_id));
diesel::joinable!(course_trainers -> courses (course_id));
diesel::joinable!(course_trainers -> users (user_id));
diesel::joinable!(courses -> themes (theme_id));
diesel::joinable!(courses -> users (created_by));
diesel::joinable!(enrolment_events -> enrolments (enrolment_id));
diesel::joinable!(enrolment_events -> users (actor_id));
diesel::joinable!(enrolments -> courses (course_id));
diesel::joinable!(known_devices -> users (user_id));
diesel::joinable!(login_sessions -> users (user_id));
diesel::joinable!(outbox -> users (user_id));
diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(waitlist_offers -> enrolments (enrolment_id));

diesel::allow_tables_to_appear_in_same_query!(
    access_needs,
    access_needs_audit,
    apologies,
    attendance_history,
    attendance_marks,
    check_in_codes,
    certificates,
    course_sessions,
    course_trainers,
    courses,
    enrolment_events,
    enrolments,
    known_devices,
    login_sessions,
    outbox,
    password_reset_requests,
    themes,
    throttles,
    user_tokens,
    users,
    waitlist_offers,
);
