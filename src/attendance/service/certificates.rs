//! Certificates of participation. Completion is the ledger's (`Standing.completed`); this
//! file only gives a completed course its certificate: a row with an unguessable code, made
//! the first time the person asks for it (their list or the download), so nothing has to
//! run when a course ends. Anyone can check a code; only the owner downloads the PDF.
//!
//! A certificate counts only while the ledger still says "completed" (a corrected mark can
//! undo a completion), and only while it is not withdrawn: the anonymising deletion of the
//! account withdraws it, and the public check then says so without a name.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::ledger::{Ledger, Standing};
use crate::auth::CurrentUser;
use crate::catalogue::model::SessionStatus;
use crate::catalogue::service as catalogue;
use crate::config::Site;
use crate::db::schema::certificates;
use crate::db::views::{enrolment_spans, people};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::ids::{CourseId, UserId};
use crate::personal::{Export, Part, Subject, value};

use super::certificate_pdf::{self, CertificateText};

/// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// 10 symbols of 31: about 49 bits, far beyond guessing through a throttled page.
const CODE_LENGTH: usize = 10;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificates)]
pub struct Certificate {
    pub code: String,
    pub user_id: UserId,
    pub course_id: CourseId,
    pub issued_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = certificates)]
struct NewCertificate {
    code: String,
    user_id: UserId,
    course_id: CourseId,
}

/// A new code, `XXXX-XXXX-XX`, from the thread's cryptographic generator.
pub fn new_code() -> String {
    let mut code = String::with_capacity(CODE_LENGTH + 2);
    for i in 0..CODE_LENGTH {
        if i == 4 || i == 8 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]));
    }
    code
}

/// A code as people type it (lower case, spaces, without dashes) in its stored form, or
/// `None` when it cannot be one.
pub fn normalise_code(text: &str) -> Option<String> {
    let symbols: Vec<u8> = text.bytes().filter(|b| b.is_ascii_alphanumeric()).map(|b| b.to_ascii_uppercase()).collect();
    if symbols.len() != CODE_LENGTH || !symbols.iter().all(|b| ALPHABET.contains(b)) {
        return None;
    }
    let text = String::from_utf8(symbols).ok()?;
    Some(format!("{}-{}-{}", &text[0..4], &text[4..8], &text[8..]))
}

/// One of the person's certificates, as `GET /api/v1/me/certificates` lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCertificate {
    pub code: String,
    pub course_id: CourseId,
    pub course_title: String,
    pub issued_at: DateTime<Utc>,
    /// The public check: `{BASE_URL}/certificaat/{code}`.
    pub url: String,
    /// The PDF for the owner (a logged-in browser): `…/mijn-cursussen/certificaten/{code}.pdf`.
    pub pdf_url: String,
}

/// What the public check shows: name, course and date, nothing more.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCertificate {
    pub code: String,
    pub name: String,
    pub course_title: String,
    /// The date of the course's last session, when it was completed (Europe/Amsterdam).
    #[schema(value_type = String, format = Date, example = "2027-03-28")]
    pub date: chrono::NaiveDate,
}

/// The answer of the public check.
#[derive(Debug, Clone)]
pub enum Check {
    Valid(PublicCertificate),
    /// The account was deleted: the certificate no longer names anyone.
    Withdrawn,
}

pub fn public_url(site: &Site, code: &str) -> String {
    format!("{}/certificaat/{code}", site.base.trim_end_matches('/'))
}

pub fn certificate_path(code: &str) -> String {
    format!("/mijn-cursussen/certificaten/{code}.pdf")
}

/// The courses the person completed, by the ledger, with their standing.
fn completed(conn: &mut PgConnection, user: UserId, now: DateTime<Utc>) -> AppResult<(Ledger, Vec<Standing>)> {
    let ids: Vec<CourseId> = enrolment_spans::table
        .filter(enrolment_spans::user_id.eq(user))
        .filter(enrolment_spans::joined_at.is_not_null())
        .select(enrolment_spans::course_id)
        .distinct()
        .load(conn)?;
    let ledger = Ledger::load(conn, &ids, Some(user), now)?;
    let done = ledger.standings().into_iter().filter(|s| s.user_id == user && s.completed).collect();
    Ok((ledger, done))
}

/// The certificates of these completed courses, made where missing. A new code that
/// happens to be taken is simply drawn again.
fn issue(conn: &mut PgConnection, user: UserId, courses: &[CourseId]) -> AppResult<Vec<Certificate>> {
    for _ in 0..5 {
        let found: Vec<Certificate> = certificates::table
            .filter(certificates::user_id.eq(user))
            .filter(certificates::course_id.eq_any(courses))
            .order(certificates::issued_at)
            .select(Certificate::as_select())
            .load(conn)?;
        let missing: Vec<NewCertificate> = courses
            .iter()
            .filter(|c| !found.iter().any(|f| f.course_id == **c))
            .map(|&course_id| NewCertificate { code: new_code(), user_id: user, course_id })
            .collect();
        if missing.is_empty() {
            return Ok(found);
        }
        // a concurrent request may make the same certificate: the unique (user, course) wins
        diesel::insert_into(certificates::table).values(&missing).on_conflict_do_nothing().execute(conn)?;
    }
    Err(AppError::internal("could not draw a free certificate code"))
}

/// The logged-in person's certificates, one per completed course (made when first asked).
pub fn my_certificates(conn: &mut PgConnection, site: &Site, actor: &CurrentUser) -> AppResult<Vec<MyCertificate>> {
    let (ledger, done) = completed(conn, actor.id, Utc::now())?;
    let courses: Vec<CourseId> = done.iter().map(|s| s.course_id).collect();
    let issued = issue(conn, actor.id, &courses)?;
    Ok(issued
        .into_iter()
        .filter(|c| c.withdrawn_at.is_none())
        .filter_map(|c| {
            let (course, _) = ledger.courses.iter().find(|(course, _)| course.id == c.course_id)?;
            Some(MyCertificate {
                url: public_url(site, &c.code),
                pdf_url: format!("{}{}", site.base.trim_end_matches('/'), certificate_path(&c.code)),
                code: c.code,
                course_id: c.course_id,
                course_title: course.title.clone(),
                issued_at: c.issued_at,
            })
        })
        .collect())
}

/// A certificate row by its code (any spelling), or 404.
fn by_code(conn: &mut PgConnection, code: &str) -> AppResult<Certificate> {
    let code = normalise_code(code).ok_or(AppError::NotFound)?;
    Ok(certificates::table.filter(certificates::code.eq(code)).select(Certificate::as_select()).first(conn)?)
}

/// The person's standing in the certificate's course, when it is (still) completed.
fn standing_of(conn: &mut PgConnection, cert: &Certificate, now: DateTime<Utc>) -> AppResult<(Ledger, Standing)> {
    let ledger = Ledger::load(conn, &[cert.course_id], Some(cert.user_id), now)?;
    let standing = ledger
        .courses
        .iter()
        .find_map(|(course, sessions)| ledger.standing(course, sessions, cert.user_id))
        .filter(|s| s.completed)
        .ok_or(AppError::NotFound)?;
    Ok((ledger, standing))
}

/// The last day of the course (its last scheduled session), in Amsterdam.
fn last_day(ledger: &Ledger) -> Option<DateTime<Utc>> {
    ledger.courses.iter().flat_map(|(_, s)| s).filter(|s| s.status != SessionStatus::Cancelled).map(|s| s.ends_at).max()
}

fn first_day(ledger: &Ledger) -> Option<DateTime<Utc>> {
    ledger
        .courses
        .iter()
        .flat_map(|(_, s)| s)
        .filter(|s| s.status != SessionStatus::Cancelled)
        .map(|s| s.starts_at)
        .min()
}

/// The public check of a code: name, course and date; `Withdrawn` after the account was
/// deleted; 404 for an unknown code or a completion that no longer holds.
pub fn check(conn: &mut PgConnection, code: &str) -> AppResult<Check> {
    let cert = by_code(conn, code)?;
    if cert.withdrawn_at.is_some() {
        return Ok(Check::Withdrawn);
    }
    let (name, anonymised): (String, bool) =
        people::table.find(cert.user_id).select((people::name, people::anonymised)).first(conn)?;
    if anonymised {
        // an account anonymised some other way than through the privacy parts
        return Ok(Check::Withdrawn);
    }
    let (ledger, _) = standing_of(conn, &cert, Utc::now())?;
    let (course, _) = ledger.courses.first().ok_or(AppError::NotFound)?;
    let date = last_day(&ledger).ok_or(AppError::NotFound)?;
    Ok(Check::Valid(PublicCertificate {
        code: cert.code,
        name,
        course_title: course.title.clone(),
        date: date.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive(),
    }))
}

/// A certificate as a PDF file.
pub struct CertificateFile {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// The owner's certificate as a PDF in `locale`; anyone else gets 404, as for an unknown
/// code (so a code cannot be probed through the download).
pub fn certificate_pdf(
    conn: &mut PgConnection,
    site: &Site,
    actor: &CurrentUser,
    code: &str,
    locale: Locale,
) -> AppResult<CertificateFile> {
    let cert = by_code(conn, code)?;
    if cert.user_id != actor.id || cert.withdrawn_at.is_some() {
        return Err(AppError::NotFound);
    }
    let (ledger, standing) = standing_of(conn, &cert, Utc::now())?;
    let detail = catalogue::detail(conn, cert.course_id)?;
    let name: String = people::table.find(cert.user_id).select(people::name).first(conn)?;
    let (first, last) = (first_day(&ledger).ok_or(AppError::NotFound)?, last_day(&ledger).ok_or(AppError::NotFound)?);
    let text = CertificateText {
        name,
        course_title: detail.course.title.clone(),
        theme: detail.theme.name(&locale).to_owned(),
        trainers: detail.trainers.iter().map(|t| t.name.clone()).collect(),
        first_day: first,
        last_day: last,
        hours_attended: standing.hours_attended,
        sessions_attended: standing.sessions_attended,
        sessions_expected: standing.sessions_expected,
        code: cert.code.clone(),
        url: public_url(site, &cert.code),
        issued_at: cert.issued_at,
    };
    let bytes = certificate_pdf::render(&text, locale)?;
    let filename = format!("{}-{}.pdf", locale.t("certificates-file-name"), cert.code);
    Ok(CertificateFile { filename, bytes })
}

/// Certificates' part of a person's data: the codes, courses and dates. Forgetting
/// withdraws every certificate: the rows stay (they are counted), the public check then
/// shows no name.
pub const PRIVACY: Part = Part { feature: "certificates", export, forget };

fn export(conn: &mut PgConnection, subject: &Subject) -> AppResult<Export> {
    let rows: Vec<Certificate> = certificates::table
        .filter(certificates::user_id.eq(subject.user))
        .order(certificates::issued_at)
        .select(Certificate::as_select())
        .load(conn)?;
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|c| {
            serde_json::json!({
                "code": c.code,
                "course_id": c.course_id,
                "issued_at": c.issued_at,
                "withdrawn_at": c.withdrawn_at,
                "url": public_url(subject.site, &c.code),
            })
        })
        .collect();
    let mut out = Export::new();
    out.insert("certificates".into(), value(&items)?);
    Ok(out)
}

fn forget(conn: &mut PgConnection, subject: &Subject) -> AppResult<()> {
    diesel::update(
        certificates::table.filter(certificates::user_id.eq(subject.user)).filter(certificates::withdrawn_at.is_null()),
    )
    .set(certificates::withdrawn_at.eq(diesel::dsl::now))
    .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_unambiguous_and_read_back_in_any_spelling() {
        let code = new_code();
        assert_eq!(code.len(), 12);
        assert_eq!(normalise_code(&code).as_deref(), Some(code.as_str()));
        assert_eq!(normalise_code(&code.to_lowercase().replace('-', " ")).as_deref(), Some(code.as_str()));
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        assert_ne!(new_code(), new_code());
        assert_eq!(normalise_code("ABCD-EFGH-J0"), None);
        assert_eq!(normalise_code("ABCD-EFGH"), None);
    }
}
