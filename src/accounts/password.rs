//! Passwords: argon2id with the OWASP parameters, and the rules a new password must meet.
//! Hashing is slow on purpose (9 MiB and tens of milliseconds per call): request paths
//! use [`hash_off_pool`] and [`verify_off_pool`], which run it on a few threads of its own at
//! a lower priority and are called while no database connection is held, so a login or
//! registration storm queues here instead of starving the pool or the pages.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use crate::error::FieldError;

pub const MIN_CHARS: usize = 10;
pub const MAX_BYTES: usize = 1024;

/// One of OWASP's equally strong argon2id settings: m = 9216 KiB, t = 4, p = 1 (the same work
/// as m = 19456, t = 2 in half the memory: a login holds 9 MiB, so the server stays within its
/// 64 MB under a login storm, issue 20). Hashes of the earlier setting are redone at login.
const M_COST: u32 = 9_216;
const T_COST: u32 = 4;
const P_COST: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = Params::new(M_COST, T_COST, P_COST, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let hash = hasher().hash_password(password.as_bytes()).map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify(password: &str, phc: &str) -> bool {
    hasher().verify_password(password.as_bytes(), phc).is_ok()
}

/// How many argon2 computations may run at once: half the cores (at least one), so that a
/// login storm leaves the other half to the pages and argon2 holds at most `slots()` × 9 MiB
/// (issue 20: on 2 cores one slot; two took both cores and 38 MiB). The server gives each
/// 9 MiB back when the hash is done (`main.rs` has large blocks mapped one by one).
pub fn slots() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// How much lower argon2's threads run than the rest of the server (`nice` 10: a runnable
/// thread at 0 gets about ten times its share of a core).
const NICENESS: libc::c_int = 10;

type Job = Box<dyn FnOnce() + Send>;

/// The threads argon2 runs on: [`slots`] of them, started at the first use, at a lower
/// scheduling priority than the workers, so that under a login storm a page that is ready to
/// run gets the core first and the logins take what is left (issue 20: at equal priority the
/// catalogue's p99 while 20 people logged in was 3.1× idle). The rest wait in the queue,
/// their callers on the async side holding nothing.
static THREADS: LazyLock<std::sync::mpsc::Sender<Job>> = LazyLock::new(|| {
    let (queue, jobs) = std::sync::mpsc::channel::<Job>();
    let jobs = std::sync::Arc::new(std::sync::Mutex::new(jobs));
    for i in 0..slots() {
        let jobs = jobs.clone();
        std::thread::Builder::new()
            .name(format!("argon2-{i}"))
            .spawn(move || {
                lower_priority();
                loop {
                    let job = jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
                    let Ok(job) = job else { return };
                    // a job that panics has dropped its answer (its caller gets an error); the
                    // thread stays for the next one
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })
            .expect("start an argon2 thread");
    }
    queue
});

/// This thread's niceness, raised by [`NICENESS`] from what it inherited (at most 19).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority and setpriority of this thread's own id; no memory is passed
    unsafe {
        let me = libc::gettid() as libc::id_t;
        let now = libc::getpriority(libc::PRIO_PROCESS, me);
        if libc::setpriority(libc::PRIO_PROCESS, me, (now + NICENESS).min(19)) != 0 {
            tracing::warn!(error = %std::io::Error::last_os_error(), "argon2 runs at the workers' priority");
        }
    }
}

async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    THREADS
        .send(Box::new(move || {
            let _ = answer.send(work());
        }))
        .map_err(|_| anyhow::anyhow!("the argon2 threads are gone"))?;
    Ok(answered.await?)
}

/// [`hash`] on an argon2 thread. Call it with no pooled connection held.
pub async fn hash_off_pool(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    bounded(move || hash(&password)).await?
}

/// [`verify`] on an argon2 thread (against [`DUMMY_HASH`] when `phc` is `None`,
/// so that an unknown account costs the same). Too long a password is refused unhashed.
pub async fn verify_off_pool(password: &str, phc: Option<String>) -> anyhow::Result<bool> {
    if password.len() > MAX_BYTES {
        return Ok(false);
    }
    let password = password.to_owned();
    bounded(move || {
        let known = phc.is_some();
        let ok = verify(&password, phc.as_deref().unwrap_or(&DUMMY_HASH));
        ok && known
    })
    .await
}

/// A hash made with other parameters (or another algorithm) is replaced at the next login.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    if parsed.algorithm.as_str() != argon2::ARGON2ID_IDENT.as_str() {
        return true;
    }
    match Params::try_from(&parsed) {
        Ok(p) => p.m_cost() != M_COST || p.t_cost() != T_COST || p.p_cost() != P_COST,
        Err(_) => true,
    }
}

/// Verifying against this when no user matches keeps a login equally slow either way,
/// so the time of an answer does not reveal whether an email is registered.
pub static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("this is not anybody's password").expect("argon2 works"));

static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .map(|line| line.trim().to_lowercase())
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// The rules for a new password; `field` names the form field in the error.
pub fn check_new(field: &str, password: &str, email: &str) -> Result<(), FieldError> {
    if password.len() > MAX_BYTES {
        return Err(FieldError::new(field, "password-too-long").with_arg("max", MAX_BYTES));
    }
    if password.chars().count() < MIN_CHARS {
        return Err(FieldError::new(field, "password-too-short").with_arg("min", MIN_CHARS));
    }
    let lower = password.to_lowercase();
    if lower.trim() == email.trim().to_lowercase() {
        return Err(FieldError::new(field, "password-is-email"));
    }
    if COMMON.contains(&lower) {
        return Err(FieldError::new(field, "password-common"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn argon2_runs_on_its_own_threads_below_the_workers_priority() {
        // SAFETY: getpriority of the calling thread; errno is cleared first, as -1 is a value
        let niceness = || unsafe {
            *libc::__errno_location() = 0;
            libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t)
        };
        let here = niceness();
        let (name, there) =
            bounded(move || (std::thread::current().name().map(str::to_owned), niceness())).await.unwrap();
        assert!(name.is_some_and(|n| n.starts_with("argon2-")), "on an argon2 thread");
        assert_eq!(there, (here + NICENESS).min(19), "lower than the caller's");
        // a job that panics leaves the thread for the next
        assert!(bounded(|| -> u8 { panic!("a broken job") }).await.is_err());
        assert!(verify_off_pool("lange zin over de Oosterpoort", None).await.is_ok());
    }

    #[test]
    fn hashes_with_argon2id_owasp_parameters() {
        let phc = hash("lange zin over de Oosterpoort").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=9216,t=4,p=1$"), "{phc}");
        assert!(verify("lange zin over de Oosterpoort", &phc));
        assert!(!verify("lange zin over de oosterpoort", &phc));
        assert!(!needs_rehash(&phc));
    }

    #[test]
    fn weaker_parameters_are_rehashed() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8, 1, 1, None).unwrap())
            .hash_password(b"whatever-password")
            .unwrap()
            .to_string();
        assert!(verify("whatever-password", &weak), "old hashes still verify");
        assert!(needs_rehash(&weak));
        assert!(needs_rehash("not a hash"));
    }

    #[test]
    fn new_password_rules() {
        assert_eq!(check_new("password", "kort", "a@b.nl").unwrap_err().code, "password-too-short");
        assert_eq!(check_new("password", &"x".repeat(1025), "a@b.nl").unwrap_err().code, "password-too-long");
        assert_eq!(
            check_new("password", "Ayse@Example.org", "ayse@example.org").unwrap_err().code,
            "password-is-email"
        );
        assert_eq!(check_new("password", "1234567890", "a@b.nl").unwrap_err().code, "password-common");
        assert_eq!(check_new("password", "Wachtwoord123", "a@b.nl").unwrap_err().code, "password-common");
        assert!(check_new("password", "Fietsen langs het Reitdiep", "a@b.nl").is_ok());
        assert!(COMMON.len() > 2000, "a list of a few thousand: {}", COMMON.len());
    }
}
