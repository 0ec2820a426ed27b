//! The rules of attendance: who may mark, when, whom; marks and their history; the ledger
//! with the two rates and completion; certificates of participation.

mod certificate_pdf;
mod certificates;
mod ledger;
mod marks;
mod privacy;

pub use certificates::{
    CertificateFile, Check, MyCertificate, PRIVACY as CERTIFICATES_PRIVACY, PublicCertificate, certificate_path,
    certificate_pdf, check, my_certificates, normalise_code,
};
pub use ledger::{Cell, Ledger, Standing, hours};
pub use marks::{Counts, Roster, RosterEntry, absent_unmarked, history, roster, set_marks};
pub use privacy::PRIVACY;
