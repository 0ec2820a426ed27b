//! Reading.

use super::*;
use crate::db::Db;
use crate::db::changes::Topic;
use crate::db::shelf::Kind;

/// One of my enrolments, with its course, for "Mijn cursussen".
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyEnrolment {
    #[serde(flatten)]
    pub enrolment: EnrolmentView,
    pub course: MyCourse,
    /// When I can no longer cancel myself; `null` when there is no deadline.
    pub cancel_until: Option<DateTime<Utc>>,
    /// I wait (without an offer) and a seat is free that nobody else waiting can be offered:
    /// I may take it (`POST /cursussen/{slug}/vrije-plek`).
    pub seat_free: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCourse {
    pub id: CourseId,
    pub slug: String,
    pub title: String,
    pub status: CourseStatus,
    pub sessions: Vec<crate::catalogue::model::SessionView>,
}

impl MyEnrolment {
    /// Every session has ended (or the course will not take place).
    pub fn is_past(&self) -> bool {
        let now = Utc::now();
        self.course.status != CourseStatus::Published
            || !self
                .course
                .sessions
                .iter()
                .any(|s| s.status == crate::catalogue::model::SessionStatus::Scheduled && s.ends_at > now)
    }

    pub fn may_cancel(&self) -> bool {
        match self.enrolment.status {
            EnrolmentState::Waitlisted | EnrolmentState::Offered => !self.is_past(),
            EnrolmentState::Enrolled => !self.is_past() && self.cancel_until.is_none_or(|d| Utc::now() < d),
            EnrolmentState::Cancelled => false,
        }
    }

    /// The deadline of my open offer of a seat, if I have one.
    pub fn offer_until(&self) -> Option<DateTime<Utc>> {
        self.enrolment.offer_expires_at
    }
}

/// My active enrolments (and, with `include_cancelled`, the cancelled ones), newest first,
/// with their courses and sessions: four queries whatever their number.
pub fn mine(conn: &mut PgConnection, user: UserId, include_cancelled: bool) -> AppResult<Vec<MyEnrolment>> {
    Ok(load_mine(conn, user, include_cancelled, None)?.0)
}

/// A page of my enrolments (cancelled ones included) for the API list, paged in SQL.
pub fn mine_page(conn: &mut PgConnection, user: UserId, paging: Paging) -> AppResult<(Vec<MyEnrolment>, i64)> {
    load_mine(conn, user, true, Some(paging))
}

fn load_mine(
    conn: &mut PgConnection,
    user: UserId,
    include_cancelled: bool,
    paging: Option<Paging>,
) -> AppResult<(Vec<MyEnrolment>, i64)> {
    let mine = || {
        let query = enrolments::table.filter(enrolments::user_id.eq(user)).into_boxed();
        if include_cancelled { query } else { query.filter(enrolments::status.ne(EnrolmentStatus::Cancelled)) }
    };
    let mut query = mine().select(Enrolment::as_select()).order((enrolments::created_at.desc(), enrolments::id.desc()));
    if let Some(paging) = paging {
        query = query.limit(paging.per_page).offset(paging.offset());
    }
    let rows: Vec<Enrolment> = query.load(conn)?;
    let total = match paging {
        Some(_) => mine().count().get_result(conn)?,
        None => rows.len() as i64,
    };
    let ids: Vec<CourseId> = rows.iter().map(|e| e.course_id).collect();
    let courses = crate::catalogue::service::with_sessions(conn, &ids)?;
    let positions = waitlist_positions(conn, user)?;
    let waiting: Vec<EnrolmentId> =
        rows.iter().filter(|e| e.status == EnrolmentStatus::Waitlisted).map(|e| e.id).collect();
    let offers = open_offers(conn, &waiting)?;
    let waiting_in: Vec<CourseId> =
        rows.iter().filter(|e| e.status == EnrolmentStatus::Waitlisted).map(|e| e.course_id).collect();
    let seats_of: Vec<(CourseId, i64, i64)> = course_seats::table
        .filter(course_seats::course_id.eq_any(&waiting_in))
        .select((course_seats::course_id, course_seats::enrolled, course_seats::offered))
        .load(conn)?;
    let items = rows
        .into_iter()
        .filter_map(|e| {
            let (c, own) = courses.iter().find(|(c, _)| c.id == e.course_id)?;
            let first = own.iter().filter(|s| !s.is_cancelled()).map(|s| s.starts_at).min();
            let position = positions.iter().find(|(id, _)| *id == e.id).map(|(_, p)| *p);
            let offer = offers.iter().find(|(id, _)| *id == e.id).map(|(_, until)| *until);
            let taken =
                seats_of.iter().find(|(id, ..)| *id == c.id).map_or(0, |(_, enrolled, offered)| enrolled + offered);
            let seat_free = e.status == EnrolmentStatus::Waitlisted
                && offer.is_none()
                && c.status == CourseStatus::Published
                && taken < i64::from(c.capacity);
            Some(MyEnrolment {
                enrolment: EnrolmentView::new(&e, position, offer),
                seat_free,
                cancel_until: first.map(|f| f - Duration::hours(c.cancellation_deadline_hours.into())),
                course: MyCourse {
                    id: c.id,
                    slug: c.slug.clone(),
                    title: c.title.clone(),
                    status: c.status,
                    sessions: own.clone(),
                },
            })
        })
        .collect();
    Ok((items, total))
}

/// Positions of all my waiting-list places at once (one query with a window function).
fn waitlist_positions(conn: &mut PgConnection, user: UserId) -> AppResult<Vec<(EnrolmentId, i64)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        position: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT id, position FROM (
             SELECT e.id, e.user_id, row_number() OVER (PARTITION BY e.course_id ORDER BY e.queued_at, e.id) AS position
             FROM enrolments e
             WHERE e.status = 'waitlisted'
               AND e.course_id IN (SELECT course_id FROM enrolments WHERE user_id = $1 AND status = 'waitlisted')) ranked
         WHERE user_id = $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(user.0)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (EnrolmentId(r.id), r.position)).collect())
}

/// The enrolment of `user` in a course, if active (for the course page's button).
pub fn current(conn: &mut PgConnection, user: UserId, course: CourseId) -> AppResult<Option<EnrolmentView>> {
    match active(course, user).select(Enrolment::as_select()).first(conn).optional()? {
        Some(e) => Ok(Some(view(conn, &e)?)),
        None => Ok(None),
    }
}

/// A row of the coordinator's list of a course.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Participant {
    #[serde(flatten)]
    pub enrolment: EnrolmentView,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub wijk: Option<String>,
    pub organisation: Option<String>,
    pub participant_kind: Option<ParticipantKind>,
    pub email_verified: bool,
}

/// Everyone enrolled and waiting (and, on request, cancelled) in a course, the waiting
/// list in order, paged in SQL; for coordinators and the course's trainers. Answers the
/// page and the total; `None` pages nothing (the CSV export). Three queries.
pub fn participants(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    include_cancelled: bool,
    paging: Option<Paging>,
) -> AppResult<(Vec<Participant>, i64)> {
    let allowed = actor.has(Role::Coordinator) || crate::catalogue::service::is_trainer_of(conn, actor.id, course_id)?;
    if !allowed {
        return Err(AppError::Forbidden("error-forbidden-detail"));
    }
    crate::catalogue::service::course(conn, course_id)?;
    let left_out = if include_cancelled { vec![] } else { vec![EnrolmentStatus::Cancelled] };
    let of_course = || {
        enrolments::table
            .filter(enrolments::course_id.eq(course_id))
            .filter(enrolments::status.ne_all(left_out.clone()))
    };
    // the list is ordered enrolled, waitlisted, cancelled: the waiting list's positions on a
    // page follow from how many are enrolled and where the page starts
    let counts: Vec<(EnrolmentStatus, i64)> =
        of_course().group_by(enrolments::status).select((enrolments::status, diesel::dsl::count_star())).load(conn)?;
    let enrolled = counts.iter().find(|(s, _)| *s == EnrolmentStatus::Enrolled).map_or(0, |(_, n)| *n);
    let total = counts.iter().map(|(_, n)| n).sum();
    let mut query = of_course()
        .inner_join(people::table)
        .select((Enrolment::as_select(), Person::as_select()))
        .order((enrolments::status, enrolments::queued_at, enrolments::id))
        .into_boxed();
    let start = paging.map_or(0, |p| p.offset());
    if let Some(paging) = paging {
        query = query.limit(paging.per_page).offset(paging.offset());
    }
    let rows: Vec<(Enrolment, Person)> = query.load(conn)?;
    let waiting: Vec<EnrolmentId> =
        rows.iter().filter(|(e, _)| e.status == EnrolmentStatus::Waitlisted).map(|(e, _)| e.id).collect();
    let offers = open_offers(conn, &waiting)?;
    let items = rows
        .into_iter()
        .enumerate()
        .map(|(i, (e, p))| {
            let place = (e.status == EnrolmentStatus::Waitlisted).then(|| start + i as i64 - enrolled + 1);
            Participant {
                enrolment: EnrolmentView::new(
                    &e,
                    place,
                    offers.iter().find(|(id, _)| *id == e.id).map(|(_, until)| *until),
                ),
                user_id: p.id,
                name: p.name,
                email: p.email,
                wijk: p.wijk,
                organisation: p.organisation,
                participant_kind: p.participant_kind,
                email_verified: p.email_verified,
            }
        })
        .collect();
    Ok((items, total))
}

/// The latest changes to the enrolments of a course, newest first, with who made them.
pub fn history(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    limit: i64,
) -> AppResult<Vec<(EnrolmentEvent, String)>> {
    actor.require(Role::Coordinator)?;
    Ok(enrolment_events::table
        .inner_join(enrolments::table.inner_join(people::table))
        .filter(enrolments::course_id.eq(course_id))
        .order(enrolment_events::id.desc())
        .limit(limit)
        .select((EnrolmentEvent::as_select(), people::name))
        .load(conn)?)
}

/// What the course page needs: the course, my enrolment and whether I may enrol or cancel.
pub struct CoursePage {
    pub detail: CourseDetail,
    pub enrolment: Option<EnrolmentView>,
    /// Why enrolling is not possible now (a Fluent key), if it is not.
    pub closed: Option<&'static str>,
    pub cancel_until: Option<DateTime<Utc>>,
    pub may_cancel: bool,
}

pub fn course_page(conn: &mut PgConnection, viewer: Option<&CurrentUser>, slug: &str) -> AppResult<CoursePage> {
    let detail = crate::catalogue::service::visible_detail_by_slug(conn, viewer, slug)?;
    let enrolment = match viewer {
        Some(user) => current(conn, user.id, detail.course.id)?,
        None => None,
    };
    Ok(page_of(detail, enrolment))
}

/// A reader's own enrolment in a course, per (reader, course): kept at the catalogue's version,
/// which every change to enrolments and offers moves on (before the response of the change,
/// on this instance), so "je bent ingeschreven" shows at once. A few hundred bytes each.
static MINE: Kind = Kind { name: "enrolment/mine", topic: Topic::Catalogue, room: 4096 };

/// [`course_page`] with the course from the catalogue's kept answers and the reader's
/// enrolment from [`MINE`] (issue 20): a page read again costs no query, logged in or not.
pub async fn kept_course_page(db: &Db, viewer: Option<CurrentUser>, slug: &str) -> AppResult<CoursePage> {
    let detail = crate::catalogue::service::kept_detail_by_slug(db, viewer.as_ref(), slug).await?.as_ref().clone();
    let enrolment = match viewer {
        Some(user) => {
            let course = detail.course.id;
            db.kept(&MINE, (user.id, course), move |conn| {
                let mine = current(conn, user.id, course)?;
                // an open offer ends at its deadline (a safety net: expiring it is a change too)
                let at_most = Utc::now() + Duration::minutes(10);
                let until = mine.as_ref().and_then(|m| m.offer_expires_at).map_or(at_most, |d| d.min(at_most));
                Ok((mine, Some(until)))
            })
            .await?
        }
        None => None,
    };
    Ok(page_of(detail, enrolment))
}

fn page_of(detail: CourseDetail, enrolment: Option<EnrolmentView>) -> CoursePage {
    let now = Utc::now();
    let cancel_until = cancellation_deadline(&detail);
    let may_cancel = match enrolment.as_ref().map(|e| e.status) {
        Some(EnrolmentState::Waitlisted | EnrolmentState::Offered) => true,
        Some(EnrolmentState::Enrolled) => cancel_until.is_none_or(|d| now < d),
        _ => false,
    };
    CoursePage { closed: closed_reason(&detail, now), detail, enrolment, cancel_until, may_cancel }
}

/// Sessions of the courses someone has a seat in, for their personal calendar feed.
pub fn feed_sessions(conn: &mut PgConnection, user: UserId) -> AppResult<Vec<MyEnrolment>> {
    Ok(mine(conn, user, false)?.into_iter().filter(|m| m.enrolment.status == EnrolmentState::Enrolled).collect())
}

/// "Mijn cursussen": my enrolments sorted into what is coming, where I wait and what is
/// past, with the secret of my personal calendar feed.
pub struct MyCourses {
    pub upcoming: Vec<MyEnrolment>,
    pub waiting: Vec<MyEnrolment>,
    pub past: Vec<MyEnrolment>,
    pub calendar_token: String,
}

pub fn my_courses(conn: &mut PgConnection, user: UserId) -> AppResult<MyCourses> {
    let calendar_token = accounts::service::get(conn, user)?.calendar_token;
    let mut page = MyCourses { upcoming: Vec::new(), waiting: Vec::new(), past: Vec::new(), calendar_token };
    for m in mine(conn, user, false)? {
        if m.enrolment.status.is_waiting() && !m.is_past() {
            page.waiting.push(m);
        } else if m.is_past() {
            page.past.push(m);
        } else {
            page.upcoming.push(m);
        }
    }
    Ok(page)
}

/// The events of a personal calendar feed: the sessions of every course the owner of
/// `token` has a seat in.
pub fn personal_feed(conn: &mut PgConnection, site: &Site, secret: &str, token: &str) -> AppResult<Vec<ics::IcsEvent>> {
    let user = accounts::service::by_calendar_token(conn, secret, token)?;
    Ok(feed_sessions(conn, user)?
        .iter()
        .flat_map(|m| {
            let sessions: Vec<&Session> = m.course.sessions.iter().collect();
            crate::catalogue::service::ics_events(site, &sessions, &m.course.title, &m.course.slug)
        })
        .collect())
}

/// The coordinator's page of a course's enrolments: who has a seat, who waits (in order),
/// and the latest changes.
pub struct CourseEnrolments {
    pub detail: CourseDetail,
    pub enrolled: Vec<Participant>,
    pub waiting: Vec<Participant>,
    pub history: Vec<(EnrolmentEvent, String)>,
}

pub fn course_enrolments(conn: &mut PgConnection, actor: &CurrentUser, id: CourseId) -> AppResult<CourseEnrolments> {
    actor.require(Role::Coordinator)?;
    let detail = crate::catalogue::service::detail(conn, id)?;
    let (people, _) = participants(conn, actor, id, false, None)?;
    let history = history(conn, actor, id, 50)?;
    let (enrolled, waiting) = people.into_iter().partition(|p| p.enrolment.status == EnrolmentState::Enrolled);
    Ok(CourseEnrolments { detail, enrolled, waiting, history })
}

/// A course and everyone in it, for the coordinator's export.
pub fn export_list(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: CourseId,
) -> AppResult<(Course, Vec<Participant>)> {
    actor.require(Role::Coordinator)?;
    Ok((crate::catalogue::service::course(conn, id)?, participants(conn, actor, id, false, None)?.0))
}

/// What the coordinator's "are you sure?" page before cancelling someone shows.
pub struct CancelPreview {
    pub enrolment: EnrolmentView,
    pub name: String,
    pub course: Course,
}

/// The enrolment a coordinator is about to cancel, with the person and the course.
pub fn cancel_preview(conn: &mut PgConnection, actor: &CurrentUser, id: EnrolmentId) -> AppResult<CancelPreview> {
    actor.require(Role::Coordinator)?;
    let (e, name): (Enrolment, String) = enrolments::table
        .find(id)
        .inner_join(people::table)
        .select((Enrolment::as_select(), people::name))
        .first(conn)?;
    let course = crate::catalogue::service::course(conn, e.course_id)?;
    Ok(CancelPreview { enrolment: view(conn, &e)?, name, course })
}

/// A course's participants for one of its trainers (or a coordinator): who has a seat and
/// who waits, in order. Others are refused (403) by `participants`.
pub struct Roster {
    pub detail: CourseDetail,
    pub enrolled: Vec<Participant>,
    pub waiting: Vec<Participant>,
}

pub fn roster(conn: &mut PgConnection, actor: &CurrentUser, id: CourseId) -> AppResult<Roster> {
    let (people, _) = participants(conn, actor, id, false, None)?;
    let detail = crate::catalogue::service::detail(conn, id)?;
    let (enrolled, waiting) = people.into_iter().partition(|p| p.enrolment.status == EnrolmentState::Enrolled);
    Ok(Roster { detail, enrolled, waiting })
}
