//! The rules of access needs: asked with consent, read only through [`read`] (which checks
//! who asks), deleted when the person withdraws or removes them, when the account goes, and
//! 30 days after the course's last session (the scheduler in [`run`]).

use std::collections::BTreeMap;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use utoipa::ToSchema;

use crate::access::model::{AccessNeedsRow, Need, NewAuditEntry};
use crate::auth::{CurrentUser, Role};
use crate::choice::Choice;
use crate::config::Config;
use crate::db::Db;
use crate::db::schema::{access_needs, access_needs_audit};
use crate::db::views::{enrolment_spans, people};
use crate::enrolment::model::{EnrolmentState, EnrolmentStatus};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::i18n::Locale;
use crate::ids::{CourseId, SessionId, UserId};
use crate::mail::{self, Email, Recipient};
use crate::personal::{Export, Part, Subject, value};
use crate::{attendance, catalogue, enrolment};

/// The version of the form's wording the person agreed to; raise it when the explanation
/// of who sees what changes, so that each stored consent says which text it answered.
pub const WORDING_VERSION: i32 = 1;
/// The longest "anders" text, in characters.
pub const NOTE_MAX: usize = 500;
/// The longest language of an interpreter, in characters.
pub const LANGUAGE_MAX: usize = 100;
/// How long needs are kept after the course's last session.
pub const KEPT_DAYS: i64 = 30;
/// How often the scheduler looks for needs to delete (and once at start-up).
const PURGE_EVERY: StdDuration = StdDuration::from_secs(3600);

/// One's own needs for a course, as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyNeeds {
    pub course_id: CourseId,
    pub needs: Vec<Need>,
    /// The language of the interpreter (with `tolk`).
    pub language: Option<String>,
    /// What "anders" means (with `anders`).
    pub note: Option<String>,
    /// When the person gave consent to store this.
    pub consent_at: DateTime<Utc>,
    /// Which version of the form's wording they agreed to.
    pub wording_version: i32,
    pub updated_at: DateTime<Utc>,
}

/// What a person asks to store: the words of the list, the interpreter's language, the
/// "anders" text, and consent (without it nothing is stored).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NeedsInput {
    /// At least one word of the list: `rolstoel`, `tolk`, `kinderopvang`,
    /// `lezen_schrijven`, `prikkelarm`, `anders`.
    #[serde(default)]
    #[schema(required, schema_with = need_words)]
    pub needs: Vec<String>,
    /// Which language the interpreter speaks; required with `tolk`.
    #[serde(default)]
    #[schema(max_length = 100, nullable)]
    pub language: Option<String>,
    /// What else is needed; required with `anders`.
    #[serde(default)]
    #[schema(max_length = 500, nullable)]
    pub note: Option<String>,
    /// Consent to store this for this course: must be `true`.
    #[serde(default)]
    #[schema(required, schema_with = must_be_true)]
    pub consent: bool,
}

/// `needs` in the OpenAPI document: at least one word of the list.
fn need_words() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::ArrayBuilder;
    ArrayBuilder::new().items(crate::choice::schema::<Need>(&[])).min_items(Some(1)).build()
}

/// `consent` in the OpenAPI document: only `true` is accepted.
fn must_be_true() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([true])).build()
}

/// One person's needs in a course, as its trainers and coordinators see them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonNeeds {
    pub user_id: UserId,
    pub name: String,
    pub needs: Vec<Need>,
    pub language: Option<String>,
    pub note: Option<String>,
}

/// The needs of the people with a seat in a course: each person's, and how many need what
/// (`{"tolk": 3, "rolstoel": 1}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseNeeds {
    pub course_id: CourseId,
    pub items: Vec<PersonNeeds>,
    #[schema(value_type = BTreeMap<String, i64>)]
    pub summary: BTreeMap<&'static str, i64>,
}

impl CourseNeeds {
    /// The needs of one person, if any (for a row of a roster).
    pub fn of(&self, user: &UserId) -> Option<&PersonNeeds> {
        self.items.iter().find(|p| p.user_id == *user)
    }

    /// The counts, most needed first (then in the list's order), for "3 × tolk, 1 × rolstoel".
    pub fn counts(&self) -> Vec<(Need, i64)> {
        let mut counts: Vec<(Need, i64)> =
            Need::all().iter().filter_map(|n| self.summary.get(n.as_str()).map(|c| (*n, *c))).collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        counts
    }
}

/// Whose needs a reader asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    /// The actor's own, in one course.
    Own,
    /// Everyone's with a seat in the course: its trainers and coordinators only.
    Course,
}

/// The one place that reads needs, and checks who asks: one's own (for any course), or a
/// course's (coordinators and the course's trainers; anyone else, other participants too,
/// 403). An unknown course is 404. One query for the needs, with the names.
fn read(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course: CourseId,
    whose: Whose,
) -> AppResult<Vec<(AccessNeedsRow, String)>> {
    catalogue::service::course(conn, course)?;
    if whose == Whose::Course
        && !actor.has(Role::Coordinator)
        && !(actor.has(Role::Trainer) && catalogue::service::is_trainer_of(conn, actor.id, course)?)
    {
        return Err(AppError::Forbidden("access-forbidden"));
    }
    let mut query = access_needs::table
        .inner_join(people::table.on(people::id.eq(access_needs::user_id)))
        .filter(access_needs::course_id.eq(course))
        .order((people::name, access_needs::user_id))
        .select((AccessNeedsRow::as_select(), people::name))
        .into_boxed();
    query = match whose {
        Whose::Own => query.filter(access_needs::user_id.eq(actor.id)),
        Whose::Course => query.filter(diesel::dsl::exists(
            enrolment_spans::table
                .filter(enrolment_spans::course_id.eq(access_needs::course_id))
                .filter(enrolment_spans::user_id.eq(access_needs::user_id))
                .filter(enrolment_spans::status.eq(EnrolmentStatus::Enrolled)),
        )),
    };
    Ok(query.load(conn)?)
}

fn words(stored: &[String]) -> Vec<Need> {
    let mut needs: Vec<Need> = stored.iter().filter_map(|w| Need::parse(w)).collect();
    needs.sort();
    needs
}

/// One's own needs for a course (`None`: nothing stored).
pub fn own(conn: &mut PgConnection, actor: &CurrentUser, course: CourseId) -> AppResult<Option<MyNeeds>> {
    Ok(read(conn, actor, course, Whose::Own)?.into_iter().next().map(|(row, _)| my_needs(row)))
}

fn my_needs(row: AccessNeedsRow) -> MyNeeds {
    MyNeeds {
        course_id: row.course_id,
        needs: words(&row.needs),
        language: row.language,
        note: row.note,
        consent_at: row.consent_at,
        wording_version: row.wording_version,
        updated_at: row.updated_at,
    }
}

/// The needs of the people with a seat in a course, for its trainers and coordinators.
pub fn course_needs(conn: &mut PgConnection, actor: &CurrentUser, course: CourseId) -> AppResult<CourseNeeds> {
    let items: Vec<PersonNeeds> = read(conn, actor, course, Whose::Course)?
        .into_iter()
        .map(|(row, name)| PersonNeeds {
            user_id: row.user_id,
            name,
            needs: words(&row.needs),
            language: row.language,
            note: row.note,
        })
        .collect();
    let mut summary = BTreeMap::new();
    for need in items.iter().flat_map(|p| p.needs.iter()) {
        *summary.entry(need.as_str()).or_insert(0) += 1;
    }
    Ok(CourseNeeds { course_id: course, items, summary })
}

/// The API's list of a course: the summary always; each person's needs only when asked
/// for explicitly (`include`), and then the read is written to the audit table (who, when,
/// which course, how many people).
pub fn course_list(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course: CourseId,
    include: bool,
) -> AppResult<CourseNeeds> {
    conn.transaction(|conn| {
        let mut needs = course_needs(conn, actor, course)?;
        if include {
            diesel::insert_into(access_needs_audit::table)
                .values(NewAuditEntry {
                    actor_id: actor.id,
                    course_id: course,
                    at: Utc::now(),
                    people: i32::try_from(needs.items.len()).unwrap_or(i32::MAX),
                })
                .execute(conn)?;
        } else {
            needs.items.clear();
        }
        Ok(needs)
    })
}

/// The input checked: the chosen words (an `anders` text or a language ticks its need),
/// the texts trimmed, consent given. Every wrong field is named at once.
fn checked(input: &NeedsInput) -> AppResult<(Vec<Need>, Option<String>, Option<String>)> {
    let mut errors = FieldErrors::default();
    let mut needs = Vec::new();
    for word in &input.needs {
        match Need::parse(word) {
            Some(need) => needs.push(need),
            None if !errors.has("needs") => {
                errors.add("needs", "choice");
            }
            None => {}
        }
    }
    let text = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    let (language, note) = (text(&input.language), text(&input.note));
    if language.is_some() {
        needs.push(Need::Tolk);
    }
    if note.is_some() {
        needs.push(Need::Anders);
    }
    needs.sort();
    needs.dedup();
    if needs.is_empty() && !errors.has("needs") {
        errors.add("needs", "access-choose");
    }
    match &language {
        None if needs.contains(&Need::Tolk) => {
            errors.add("language", "access-language");
        }
        Some(l) if l.chars().count() > LANGUAGE_MAX => {
            errors.add("language", "too-long").arg("max", LANGUAGE_MAX);
        }
        _ => {}
    }
    match &note {
        None if needs.contains(&Need::Anders) => {
            errors.add("note", "access-note");
        }
        Some(n) if n.chars().count() > NOTE_MAX => {
            errors.add("note", "too-long").arg("max", NOTE_MAX);
        }
        _ => {}
    }
    if !input.consent {
        errors.add("consent", "access-consent");
    }
    errors.into_result()?;
    Ok((needs, language, note))
}

/// Only someone with a place in the course (a seat or on the waiting list) tells it what
/// they need; anyone else 403, an unknown course 404.
fn require_place(conn: &mut PgConnection, actor: &CurrentUser, course: CourseId) -> AppResult<()> {
    catalogue::service::course(conn, course)?;
    match enrolment::service::current(conn, actor.id, course)? {
        Some(e) if e.status != EnrolmentState::Cancelled => Ok(()),
        _ => Err(AppError::Forbidden("access-not-enrolled")),
    }
}

/// Where to tell the coordinators that someone passed on a need: the platform's address
/// for the link, and their shared inbox if one is configured.
#[derive(Debug, Clone)]
pub struct Notify {
    pub base: String,
    pub inbox: Option<String>,
}

impl Notify {
    pub fn from_config(config: &Config) -> Notify {
        Notify { base: config.base().to_owned(), inbox: config.coordinator_inbox.as_ref().map(|m| m.email.to_string()) }
    }
}

/// The coordinators' email when someone passes on a need for the first time in a course:
/// which course, "toegankelijkheid: zie platform" and a link; never the need, nor who.
fn tell_coordinators(
    conn: &mut PgConnection,
    notify: &Notify,
    course: &catalogue::model::Course,
    user: UserId,
) -> AppResult<()> {
    let Some(address) = &notify.inbox else { return Ok(()) };
    let t = Locale::Nl;
    let to = Recipient { email: address.clone(), name: t.t("access-mail-inbox-name"), user_id: None, locale: t };
    let key = format!("access-needs:{}:{}:{}", course.id, user, Utc::now().timestamp_micros());
    let email = Email::new(to, key, t.t_args("access-mail-subject", [("course", course.title.as_str().into())]))
        .paragraph(t.t_args("access-mail-intro", [("course", course.title.as_str().into())]))
        .detail(t.t("access-mail-label"), t.t("access-mail-see-platform"))
        .action(t.t("access-mail-action"), format!("{}/beheer/cursussen/{}/toegankelijkheid", notify.base, course.id));
    mail::enqueue(conn, &notify.base, email)?;
    Ok(())
}

/// Store (or change) one's needs for a course, with consent and the wording's version.
/// Without consent nothing is stored (422 on `consent`). Answers whether it was new; a new
/// one is told to the coordinators' inbox (without the need).
pub fn save(
    conn: &mut PgConnection,
    notify: &Notify,
    actor: &CurrentUser,
    course: CourseId,
    input: &NeedsInput,
) -> AppResult<(MyNeeds, bool)> {
    conn.transaction(|conn| {
        require_place(conn, actor, course)?;
        let (needs, language, note) = checked(input)?;
        let existed = diesel::select(diesel::dsl::exists(access_needs::table.find((course, actor.id))))
            .get_result::<bool>(conn)?;
        let now = Utc::now();
        let row = AccessNeedsRow {
            course_id: course,
            user_id: actor.id,
            needs: needs.iter().map(|n| n.as_str().to_owned()).collect(),
            language,
            note,
            consent_at: now,
            wording_version: WORDING_VERSION,
            updated_at: now,
        };
        let stored = diesel::insert_into(access_needs::table)
            .values(&row)
            .on_conflict((access_needs::course_id, access_needs::user_id))
            .do_update()
            .set((
                access_needs::needs.eq(&row.needs),
                access_needs::language.eq(&row.language),
                access_needs::note.eq(&row.note),
                access_needs::consent_at.eq(row.consent_at),
                access_needs::wording_version.eq(row.wording_version),
                access_needs::updated_at.eq(row.updated_at),
            ))
            .returning(AccessNeedsRow::as_returning())
            .get_result(conn)?;
        if !existed {
            let course = catalogue::service::course(conn, course)?;
            tell_coordinators(conn, notify, &course, actor.id)?;
        }
        Ok((my_needs(stored), !existed))
    })
}

/// Remove one's needs for a course (nothing stored: nothing changes). Anyone logged in may
/// remove their own, also after leaving the course.
pub fn remove(conn: &mut PgConnection, actor: &CurrentUser, course: CourseId) -> AppResult<()> {
    catalogue::service::course(conn, course)?;
    diesel::delete(access_needs::table.find((course, actor.id))).execute(conn)?;
    Ok(())
}

/// Delete the needs of every course whose last session ended more than 30 days before
/// `now`. One DELETE statement, so that several instances running it at once delete each
/// row once. The last session is the last one held (not cancelled), else the last planned.
pub fn purge_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> AppResult<usize> {
    let cutoff = now - Duration::days(KEPT_DAYS);
    let deleted = diesel::sql_query(
        "DELETE FROM access_needs WHERE course_id IN (
             SELECT course_id FROM session_facts GROUP BY course_id
             HAVING COALESCE(max(ends_at) FILTER (WHERE NOT cancelled), max(ends_at)) < $1)",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(cutoff)
    .execute(conn)?;
    Ok(deleted)
}

/// The scheduler's task: at start-up, then every hour, delete the needs that are no longer
/// needed, and log how many.
pub async fn run(db: Db, shutdown: watch::Receiver<bool>) {
    let purge = |conn: &mut PgConnection| purge_expired(conn, Utc::now());
    db.every(PURGE_EVERY, shutdown, "access needs deleted 30 days after the course", purge).await;
}

// ---------------------------------------------------------------------------------------
// the pages' questions

/// The course of the form, and what is stored.
#[derive(Debug, Clone)]
pub struct NeedsPage {
    pub course_id: CourseId,
    pub title: String,
    pub slug: String,
    pub current: Option<MyNeeds>,
}

/// The form's page: for someone with a place in the course (else 403).
pub fn page(conn: &mut PgConnection, actor: &CurrentUser, slug: &str) -> AppResult<NeedsPage> {
    let detail = catalogue::service::visible_detail_by_slug(conn, Some(actor), slug)?;
    require_place(conn, actor, detail.course.id)?;
    let current = own(conn, actor, detail.course.id)?;
    Ok(NeedsPage { course_id: detail.course.id, title: detail.course.title, slug: detail.course.slug, current })
}

/// `save` by the course's slug (the form).
pub fn save_by_slug(
    conn: &mut PgConnection,
    notify: &Notify,
    actor: &CurrentUser,
    slug: &str,
    input: &NeedsInput,
) -> AppResult<()> {
    let course = catalogue::service::visible_id_by_slug(conn, Some(actor), slug)?;
    save(conn, notify, actor, course, input).map(|_| ())
}

/// `remove` by the course's slug (the form).
pub fn remove_by_slug(conn: &mut PgConnection, actor: &CurrentUser, slug: &str) -> AppResult<()> {
    let course = catalogue::service::visible_id_by_slug(conn, Some(actor), slug)?;
    remove(conn, actor, course)
}

/// A session's roster, the walk-in search's result (if searched) and the needs.
pub type SessionRoster = (attendance::service::Roster, Option<AppResult<Vec<attendance::service::Found>>>, CourseNeeds);

/// The roster of a session with the needs of its people (attendance's roster and search,
/// composed here because access sits above attendance).
pub fn session_roster(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    session: SessionId,
    search: Option<&str>,
) -> AppResult<SessionRoster> {
    let (roster, found) = attendance::service::roster_with_search(conn, actor, session, search)?;
    let needs = course_needs(conn, actor, roster.course_id)?;
    Ok((roster, found, needs))
}

/// Enrolment's participant list of a course, for its trainers, with the needs.
pub fn participants(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course: CourseId,
) -> AppResult<(enrolment::service::Roster, CourseNeeds)> {
    let roster = enrolment::service::roster(conn, actor, course)?;
    let needs = course_needs(conn, actor, course)?;
    Ok((roster, needs))
}

/// The catalogue's course page in /beheer, with the needs' summary.
pub fn course_admin(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course: CourseId,
) -> AppResult<(catalogue::service::CourseAdmin, CourseNeeds)> {
    let admin = catalogue::service::course_admin(conn, actor, course)?;
    let needs = course_needs(conn, actor, course)?;
    Ok((admin, needs))
}

/// The coordinator's page of a course's needs: its title and everyone's needs.
pub fn course_page(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course: CourseId,
) -> AppResult<(catalogue::model::Course, CourseNeeds)> {
    let needs = course_needs(conn, actor, course)?;
    Ok((catalogue::service::course(conn, course)?, needs))
}

// ---------------------------------------------------------------------------------------
// privacy

/// Access's part of the privacy interface: the download has every need still stored;
/// deleting the account deletes them.
pub const PRIVACY: Part = Part { feature: "access", export, forget };

fn export(conn: &mut PgConnection, subject: &Subject) -> AppResult<Export> {
    let rows: Vec<AccessNeedsRow> = access_needs::table
        .filter(access_needs::user_id.eq(subject.user))
        .order(access_needs::course_id)
        .select(AccessNeedsRow::as_select())
        .load(conn)?;
    let items: Vec<MyNeeds> = rows.into_iter().map(my_needs).collect();
    let mut out = Export::new();
    out.insert("access_needs".into(), value(&items)?);
    Ok(out)
}

fn forget(conn: &mut PgConnection, subject: &Subject) -> AppResult<()> {
    diesel::delete(access_needs::table.filter(access_needs::user_id.eq(subject.user))).execute(conn)?;
    Ok(())
}
