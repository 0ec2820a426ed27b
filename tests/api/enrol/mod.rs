//! Enrolment (issue 6): seats and the waiting list, confirmations with calendar files,
//! cancellation, enrolling on someone's behalf, the history, reminders and "Mijn
//! cursussen", through the real API and pages, with the emails read back from the test's
//! SMTP server. Fixtures: tests/common/enrolment.rs.

mod cancel;
mod concurrency;
mod coordinator;
mod enrolling;
mod mine;
mod reminders;

use crate::common::enrolment::{Person, coordinator};
use crate::common::{AppOptions, TestApp, spawn_app_with};

/// The app and a coordinator who runs the programme.
pub struct Academy {
    pub app: TestApp,
    pub coordinator: Person,
}

pub async fn academy() -> Academy {
    academy_with(AppOptions::default()).await
}

pub async fn academy_with(options: AppOptions) -> Academy {
    let app = spawn_app_with(options).await;
    let coordinator = coordinator(&app).await;
    Academy { app, coordinator }
}

impl Academy {
    /// A course made and published by the coordinator.
    pub async fn course(&self, spec: crate::common::enrolment::CourseSpec) -> crate::common::enrolment::Course {
        crate::common::enrolment::create_course(&self.app, &self.coordinator.token, spec).await
    }
}
