//! The rules of attendance: who may mark, when, whom; marks and their history; the ledger
//! with the two rates and completion; the course overview; apologies in advance; a
//! participant's own overview; self check-in; the trainer's day and walk-ins;
//! certificates of participation.

mod apology;
mod certificate_pdf;
mod certificates;
mod check_in;
mod day;
mod ledger;
mod marks;
mod mine;
mod overview;
mod privacy;
mod walk_in;

pub use apology::{
    ApologyPage, Given, GivenApology, REASON_MAX, give as give_apology, page as apology_page,
    take_back as take_back_apology,
};
pub use certificates::{
    CertificateFile, Check, MyCertificate, PRIVACY as CERTIFICATES_PRIVACY, PublicCertificate, certificate_path,
    certificate_pdf, check, my_certificates, normalise_code as normalise_certificate_code,
};
pub use check_in::{
    CheckInCode, CheckInScreen, CheckInView, CheckedIn, check_in, check_in_screen, check_in_view, make_code,
    normalise as normalise_code,
};
pub use day::{DaySession, Progress, TrainerDay, trainer_day};
pub use ledger::{Cell, Ledger, Standing, hours};
pub use marks::{Counts, Roster, RosterEntry, absent_unmarked, history, roster, set_marks};
pub use mine::{MyAttendance, MyCourseAttendance, MyMark, MyPage, MySession, my_attendance, my_page};
pub use overview::{Matrix, MatrixRow, MatrixSession, absent_twice_in_a_row, matrix};
pub use privacy::PRIVACY;
pub use walk_in::{Found, WalkInAnswer, add_walk_in, find_walk_ins, roster_with_search};
