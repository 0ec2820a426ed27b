//! Pages and API bodies made once per kept answer ([`crate::db::Db::cached`]): while the
//! answer a body was made from is still the one the database layer keeps, the same question
//! gets the same bytes. A busy catalogue then renders a page once per change of the data, not
//! at every request (rendering was most of its cost: Fluent, askama, allocations).
//!
//! The visitor's CSRF token is the one thing that differs per request: a page is made with
//! [`CSRF_MARKER`] in its place and cut there, and every answer puts the token in between.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use actix_web::web::{Bytes, BytesMut};

use crate::error::AppError;

/// What a kept page holds instead of the visitor's CSRF token. Random per process, so no text
/// in the data can contain it.
pub static CSRF_MARKER: LazyLock<String> = LazyLock::new(|| format!("csrf{}", crate::tokens::random_token()));

/// How many bodies are kept at most (a catalogue page is ~18 KB, the API list of 20 courses ~21 KB).
const ROOM: usize = 128;

struct Entry {
    /// The answer the body was made from; held, so that its address is not reused while the
    /// entry lives.
    from: Arc<dyn Any + Send + Sync>,
    /// The body, cut where the CSRF token goes.
    parts: Arc<[Bytes]>,
}

/// The bodies made per question (a page's language, address, reader), each with the answer it
/// was made from.
#[derive(Default)]
pub struct KeptBodies {
    entries: Mutex<HashMap<String, Entry>>,
}

impl KeptBodies {
    /// The body for `question`, made by `make` from `from` unless it was made from this very
    /// answer before; `csrf` goes where `make` wrote [`CSRF_MARKER`]. `question` must name
    /// everything the body depends on besides `from` and the token.
    pub fn get_or_make<T: Send + Sync + 'static>(
        &self,
        question: String,
        from: &Arc<T>,
        csrf: &str,
        make: impl FnOnce() -> Result<String, AppError>,
    ) -> Result<Bytes, AppError> {
        let parts = match self.kept(&question, from) {
            Some(parts) => parts,
            None => {
                let made = make()?;
                let parts: Arc<[Bytes]> =
                    made.split(CSRF_MARKER.as_str()).map(|p| Bytes::copy_from_slice(p.as_bytes())).collect();
                self.keep(question, from.clone(), parts.clone());
                parts
            }
        };
        Ok(join(&parts, csrf))
    }

    fn kept<T: Send + Sync + 'static>(&self, question: &str, from: &Arc<T>) -> Option<Arc<[Bytes]>> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = entries.get(question)?;
        same_answer(&entry.from, from).then(|| entry.parts.clone())
    }

    /// A full room first lets go of bodies whose answer the database layer no longer keeps
    /// (only this entry holds it); if that frees less than an eighth, of some at random.
    fn keep(&self, question: String, from: Arc<dyn Any + Send + Sync>, parts: Arc<[Bytes]>) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= ROOM && !entries.contains_key(&question) {
            entries.retain(|_, e| Arc::strong_count(&e.from) > 1);
            let mut over = entries.len().saturating_sub(ROOM - ROOM / 8);
            entries.retain(|_, _| {
                let drop = over > 0;
                over = over.saturating_sub(1);
                !drop
            });
        }
        entries.insert(question, Entry { from, parts });
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn same_answer<T>(kept: &Arc<dyn Any + Send + Sync>, from: &Arc<T>) -> bool {
    std::ptr::addr_eq(Arc::as_ptr(kept), Arc::as_ptr(from))
}

fn join(parts: &[Bytes], csrf: &str) -> Bytes {
    if let [only] = parts {
        return only.clone();
    }
    let length = parts.iter().map(Bytes::len).sum::<usize>() + csrf.len() * (parts.len() - 1);
    let mut body = BytesMut::with_capacity(length);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            body.extend_from_slice(csrf.as_bytes());
        }
        body.extend_from_slice(part);
    }
    body.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_made_once_per_answer_and_gets_each_visitors_token() {
        let kept = KeptBodies::default();
        let answer = Arc::new(vec!["Zonnepanelen op je dak"]);
        let mut made = 0;
        let page = |kept: &KeptBodies, answer: &Arc<Vec<&'static str>>, csrf: &str, made: &mut i32| {
            kept.get_or_make("nl /cursussen".into(), answer, csrf, || {
                *made += 1;
                Ok(format!(
                    "<input value=\"{}\"><h2>{}</h2><input value=\"{}\">",
                    *CSRF_MARKER, answer[0], *CSRF_MARKER
                ))
            })
            .unwrap()
        };
        let first = page(&kept, &answer, "token-a", &mut made);
        let second = page(&kept, &answer, "token-b", &mut made);
        assert_eq!(made, 1);
        assert_eq!(first, "<input value=\"token-a\"><h2>Zonnepanelen op je dak</h2><input value=\"token-a\">");
        assert_eq!(second, "<input value=\"token-b\"><h2>Zonnepanelen op je dak</h2><input value=\"token-b\">");

        // a new answer (the data changed), even with equal contents, is made again
        let changed = Arc::new(vec!["Warmte uit de bodem"]);
        assert!(
            page(&kept, &changed, "token-a", &mut made)
                .ends_with(b"<h2>Warmte uit de bodem</h2><input value=\"token-a\">")
        );
        assert_eq!(made, 2);
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn a_full_room_lets_go_of_bodies_of_answers_no_longer_kept() {
        let kept = KeptBodies::default();
        let current = Arc::new(1);
        for i in 0..ROOM {
            let old = Arc::new(i);
            kept.get_or_make(format!("old {i}"), &old, "", || Ok("old".into())).unwrap();
        }
        kept.get_or_make("current".into(), &current, "", || Ok("current".into())).unwrap();
        assert_eq!(kept.len(), 1, "only the body of the answer still held elsewhere stays");
    }
}
