//! Answers per reader (who is behind a session token, a reader's own enrolment), kept at the
//! version of a [`Topic`] like the catalogue's answers, but each kind on a shelf of its own
//! with a fixed room: many readers neither push the catalogue's few answers out nor grow the
//! memory without bound. See [`crate::db::Db::kept`].

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::changes::Topic;

/// A kind of answer kept per key: its name, the topic whose changes end it, and how many
/// answers its shelf holds at most.
#[derive(Debug)]
pub struct Kind {
    pub name: &'static str,
    pub topic: Topic,
    pub room: usize,
}

struct Entry<V> {
    version: u64,
    until: DateTime<Utc>,
    value: V,
}

/// The answers of one [`Kind`].
pub struct Shelf<K, V> {
    room: usize,
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Hash + Eq, V: Clone> Shelf<K, V> {
    pub fn new(room: usize) -> Self {
        Shelf { room: room.max(1), entries: Mutex::new(HashMap::new()) }
    }

    /// The answer kept under `key`, if it was read at `version` and is still valid.
    pub fn get(&self, key: &K, version: u64) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(key).filter(|e| e.version == version && Utc::now() < e.until).map(|e| e.value.clone())
    }

    /// Keep `value`, read at `version`, until `until` or the next change of the topic. A full
    /// shelf first drops what is old; if that frees less than an eighth, some answers at
    /// random (one pass over the shelf per eighth of its room, not one per answer).
    pub fn put(&self, key: K, version: u64, until: DateTime<Utc>, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= self.room && !entries.contains_key(&key) {
            let now = Utc::now();
            entries.retain(|_, e| e.version == version && now < e.until);
            let keep = self.room - self.room.div_ceil(8);
            if entries.len() > keep {
                let mut over = entries.len() - keep;
                entries.retain(|_, _| {
                    let drop = over > 0;
                    over = over.saturating_sub(1);
                    !drop
                });
            }
        }
        entries.insert(key, Entry { version, until, value });
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::Shelf;
    use chrono::{Duration, Utc};

    #[test]
    fn an_answer_is_kept_at_its_version_until_its_moment_and_the_room_is_never_exceeded() {
        let shelf: Shelf<u32, &str> = Shelf::new(16);
        let later = Utc::now() + Duration::minutes(1);
        shelf.put(1, 7, later, "een");
        assert_eq!(shelf.get(&1, 7), Some("een"));
        assert_eq!(shelf.get(&1, 8), None, "a change ends it");
        shelf.put(2, 7, Utc::now() - Duration::seconds(1), "twee");
        assert_eq!(shelf.get(&2, 7), None, "past its moment");
        for key in 0..1000 {
            shelf.put(key, 8, later, "veel");
            assert!(shelf.len() <= 16, "{} answers", shelf.len());
        }
        assert_eq!(shelf.get(&999, 8), Some("veel"), "the newest answer is kept");
    }
}
