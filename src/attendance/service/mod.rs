//! The rules of attendance: who may mark, when, whom; marks and their history; the ledger
//! with the two rates and completion; apologies in advance; a participant's own overview.

mod apology;
mod ledger;
mod marks;
mod mine;
mod privacy;

pub use apology::{
    ApologyPage, Given, GivenApology, REASON_MAX, give as give_apology, page as apology_page,
    take_back as take_back_apology,
};
pub use ledger::{Cell, Ledger, Standing, hours};
pub use marks::{Counts, Roster, RosterEntry, absent_unmarked, history, roster, set_marks};
pub use mine::{MyAttendance, MyCourseAttendance, MyMark, MyPage, MySession, my_attendance, my_page};
pub use privacy::PRIVACY;
