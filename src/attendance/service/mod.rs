//! The rules of attendance: who may mark, when, whom; marks and their history; the ledger
//! with the two rates and completion; the course overview; apologies in advance; a
//! participant's own overview; self check-in.

mod apology;
mod check_in;
mod ledger;
mod marks;
mod mine;
mod overview;
mod privacy;

pub use apology::{
    ApologyPage, Given, GivenApology, REASON_MAX, give as give_apology, page as apology_page,
    take_back as take_back_apology,
};
pub use check_in::{
    CheckInCode, CheckInScreen, CheckInView, CheckedIn, check_in, check_in_screen, check_in_view, make_code,
    normalise as normalise_code,
};
pub use ledger::{Cell, Ledger, Standing, hours};
pub use marks::{Counts, Roster, RosterEntry, absent_unmarked, history, roster, set_marks};
pub use mine::{MyAttendance, MyCourseAttendance, MyMark, MyPage, MySession, my_attendance, my_page};
pub use overview::{Matrix, MatrixRow, MatrixSession, absent_twice_in_a_row, matrix};
pub use privacy::PRIVACY;
