//! Reading.

use super::*;

/// One of my enrolments, with its course, for "Mijn cursussen".
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyEnrolment {
    #[serde(flatten)]
    pub enrolment: EnrolmentView,
    pub course: MyCourse,
    /// When I can no longer cancel myself; `null` when there is no deadline.
    pub cancel_until: Option<DateTime<Utc>>,
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
            EnrolmentStatus::Waitlisted => !self.is_past(),
            EnrolmentStatus::Enrolled => !self.is_past() && self.cancel_until.is_none_or(|d| Utc::now() < d),
            EnrolmentStatus::Cancelled => false,
        }
    }
}

/// My active enrolments (and, with `include_cancelled`, the cancelled ones), with their
/// courses and sessions: three queries whatever their number.
pub fn mine(conn: &mut PgConnection, user: UserId, include_cancelled: bool) -> AppResult<Vec<MyEnrolment>> {
    use crate::catalogue::model::Session as CatalogueSession;
    use crate::db::schema::course_sessions;
    let mut query = enrolments::table
        .inner_join(courses::table)
        .filter(enrolments::user_id.eq(user))
        .select((Enrolment::as_select(), Course::as_select()))
        .order(enrolments::created_at.desc())
        .into_boxed();
    if !include_cancelled {
        query = query.filter(enrolments::status.ne(EnrolmentStatus::Cancelled));
    }
    let rows: Vec<(Enrolment, Course)> = query.load(conn)?;
    let ids: Vec<CourseId> = rows.iter().map(|(_, c)| c.id).collect();
    let sessions: Vec<CatalogueSession> = course_sessions::table
        .filter(course_sessions::course_id.eq_any(&ids))
        .order(course_sessions::starts_at)
        .select(CatalogueSession::as_select())
        .load(conn)?;
    let positions = waitlist_positions(conn, user)?;
    Ok(rows
        .into_iter()
        .map(|(e, c)| {
            let own: Vec<&CatalogueSession> = sessions.iter().filter(|s| s.course_id == c.id).collect();
            let first = own.iter().filter(|s| !s.is_cancelled()).map(|s| s.starts_at).min();
            let position = positions.iter().find(|(id, _)| *id == e.id).map(|(_, p)| *p);
            MyEnrolment {
                enrolment: EnrolmentView::new(&e, position),
                cancel_until: first.map(|f| f - Duration::hours(c.cancellation_deadline_hours.into())),
                course: MyCourse {
                    id: c.id,
                    slug: c.slug,
                    title: c.title,
                    status: c.status,
                    sessions: own.into_iter().cloned().collect(),
                },
            }
        })
        .collect())
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
/// list in order; for coordinators and the course's trainers. Two queries.
pub fn participants(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course_id: CourseId,
    include_cancelled: bool,
) -> AppResult<Vec<Participant>> {
    let allowed = actor.has(Role::Coordinator) || crate::catalogue::service::is_trainer_of(conn, actor.id, course_id)?;
    if !allowed {
        return Err(AppError::Forbidden("error-forbidden-detail"));
    }
    crate::catalogue::service::course(conn, course_id)?;
    let mut query = enrolments::table
        .inner_join(users::table.on(users::id.eq(enrolments::user_id)))
        .filter(enrolments::course_id.eq(course_id))
        .select((Enrolment::as_select(), User::as_select()))
        .order((enrolments::status, enrolments::queued_at, enrolments::id))
        .into_boxed();
    if !include_cancelled {
        query = query.filter(enrolments::status.ne(EnrolmentStatus::Cancelled));
    }
    let rows: Vec<(Enrolment, User)> = query.load(conn)?;
    let mut position = 0;
    Ok(rows
        .into_iter()
        .map(|(e, u)| {
            let place = (e.status == EnrolmentStatus::Waitlisted).then(|| {
                position += 1;
                position
            });
            Participant {
                enrolment: EnrolmentView::new(&e, place),
                user_id: u.id,
                name: u.name.clone(),
                email: u.email.clone(),
                wijk: u.wijk.clone(),
                organisation: u.organisation.clone(),
                participant_kind: u.participant_kind,
                email_verified: u.email_verified_at.is_some(),
            }
        })
        .collect())
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
        .inner_join(enrolments::table.inner_join(users::table.on(users::id.eq(enrolments::user_id))))
        .filter(enrolments::course_id.eq(course_id))
        .order(enrolment_events::id.desc())
        .limit(limit)
        .select((EnrolmentEvent::as_select(), users::name))
        .load(conn)?)
}

/// My enrolments for the API list.
pub fn mine_page(conn: &mut PgConnection, user: UserId, paging: Paging) -> AppResult<(Vec<MyEnrolment>, i64)> {
    let all = mine(conn, user, true)?;
    let total = all.len() as i64;
    let items = all.into_iter().skip(paging.offset() as usize).take(paging.per_page as usize).collect();
    Ok((items, total))
}

/// For "download my data": every enrolment with its course and history.
pub fn personal_data(conn: &mut PgConnection, user: UserId) -> AppResult<Vec<serde_json::Value>> {
    let mine = mine(conn, user, true)?;
    let ids: Vec<EnrolmentId> = mine.iter().map(|m| m.enrolment.id).collect();
    let events: Vec<EnrolmentEvent> = enrolment_events::table
        .filter(enrolment_events::enrolment_id.eq_any(&ids))
        .order(enrolment_events::id)
        .select(EnrolmentEvent::as_select())
        .load(conn)?;
    Ok(mine
        .into_iter()
        .map(|m| {
            let history: Vec<&EnrolmentEvent> = events.iter().filter(|e| e.enrolment_id == m.enrolment.id).collect();
            serde_json::json!({
                "enrolment": m.enrolment,
                "course": {"id": m.course.id, "slug": m.course.slug, "title": m.course.title},
                "history": history,
            })
        })
        .collect())
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
    let now = Utc::now();
    let cancel_until = cancellation_deadline(&detail);
    let may_cancel = match enrolment.as_ref().map(|e| e.status) {
        Some(EnrolmentStatus::Waitlisted) => true,
        Some(EnrolmentStatus::Enrolled) => cancel_until.is_none_or(|d| now < d),
        _ => false,
    };
    Ok(CoursePage { closed: closed_reason(&detail, now), detail, enrolment, cancel_until, may_cancel })
}

/// Sessions of the courses someone has a seat in, for their personal calendar feed.
pub fn feed_sessions(conn: &mut PgConnection, user: UserId) -> AppResult<Vec<MyEnrolment>> {
    Ok(mine(conn, user, false)?.into_iter().filter(|m| m.enrolment.status == EnrolmentStatus::Enrolled).collect())
}
