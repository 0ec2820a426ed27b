//! The rules of attendance: who may mark, when, whom; marks and their history; the ledger
//! with the two rates and completion.

mod check_in;
mod ledger;
mod marks;
mod overview;
mod privacy;

pub use check_in::{
    CheckInCode, CheckInScreen, CheckInView, CheckedIn, check_in, check_in_screen, check_in_view, make_code,
    normalise as normalise_code,
};
pub use ledger::{Cell, Ledger, Standing, hours};
pub use marks::{Counts, Roster, RosterEntry, absent_unmarked, history, roster, set_marks};
pub use overview::{Matrix, MatrixRow, MatrixSession, absent_twice_in_a_row, matrix};
pub use privacy::PRIVACY;
