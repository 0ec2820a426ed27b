//! The rules of attendance: who may mark, when, whom; marks and their history; the ledger
//! with the two rates and completion.

mod day;
mod ledger;
mod marks;
mod privacy;
mod walk_in;

pub use day::{DaySession, Progress, TrainerDay, trainer_day};
pub use ledger::{Cell, Ledger, Standing, hours};
pub use marks::{Counts, Roster, RosterEntry, absent_unmarked, history, roster, set_marks};
pub use privacy::PRIVACY;
pub use walk_in::{Found, WalkInAnswer, add_walk_in, find_walk_ins, roster_with_search};
