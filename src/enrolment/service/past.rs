//! Participation recorded after the fact: people who took part since an earlier moment
//! (a course already running when the platform came, the demo's courses in progress) are
//! dated back to when they joined, so attendance expects them from then on.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::auth::{CurrentUser, Role};
use crate::db::schema::{enrolment_events, enrolments};
use crate::enrolment::model::{EnrolmentAction, EnrolmentStatus};
use crate::error::{AppError, AppResult};
use crate::ids::{CourseId, UserId};

/// Date the enrolments of these people in a course back to `since` (coordinators only; a
/// moment in the past). Their `enrolled` history entries move with it. Answers how many.
pub fn date_back(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    course: CourseId,
    users: &[UserId],
    since: DateTime<Utc>,
) -> AppResult<usize> {
    actor.require(Role::Coordinator)?;
    if since >= Utc::now() {
        return Err(AppError::validation("since", "in-future"));
    }
    conn.transaction(|conn| {
        let ids: Vec<crate::ids::EnrolmentId> = diesel::update(
            enrolments::table
                .filter(enrolments::course_id.eq(course))
                .filter(enrolments::user_id.eq_any(users))
                .filter(enrolments::status.eq(EnrolmentStatus::Enrolled)),
        )
        .set((enrolments::queued_at.eq(since), enrolments::enrolled_at.eq(since), enrolments::created_at.eq(since)))
        .returning(enrolments::id)
        .get_results(conn)?;
        diesel::update(
            enrolment_events::table
                .filter(enrolment_events::enrolment_id.eq_any(&ids))
                .filter(enrolment_events::action.eq(EnrolmentAction::Enrolled)),
        )
        .set(enrolment_events::at.eq(since))
        .execute(conn)?;
        Ok(ids.len())
    })
}
