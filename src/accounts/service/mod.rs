//! The rules of accounts: registering, proving an email address, logging in and out,
//! passwords, roles and privacy. Plain functions over a connection; the caller chooses the
//! transaction. The few steps that check or set a password are `async` over the pool
//! (`Db`) instead: they take a connection, give it back, run argon2 off the pool
//! (`password::*_off_pool`), and take one again.

use chrono::{DateTime, Duration, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::{CurrentUser, Role};
use crate::choice::Choice;

use crate::accounts::model::{
    LoginSession, NewUser, ParticipantKind, SessionKind, TokenPurpose, User, UserToken, UserView,
};

use crate::accounts::password;
use crate::db::Db;
use crate::db::schema::{login_sessions, user_tokens, users};
use crate::error::{AppError, AppResult, FieldError, FieldErrors};
use crate::i18n::Locale;
use crate::ids::UserId;
use crate::mail::{self, Email, Recipient};
use crate::places;
use crate::tokens::{hash_token, random_token};

pub const VERIFY_TTL_HOURS: i64 = 48;
pub const RESET_TTL_HOURS: i64 = 1;
pub const INVITATION_TTL_DAYS: i64 = 7;
/// A new link is sent at most this often per person and purpose, against email bombing.
const RESEND_GAP_MINUTES: i64 = 2;

mod admin;
mod housekeeping;
mod inputs;
mod login;
mod passwords;
mod privacy;
mod profile;
mod registration;
pub mod throttle;
pub use admin::*;
pub use housekeeping::*;
pub use inputs::*;
pub use login::*;
pub use passwords::*;
pub use privacy::*;
pub use profile::*;
pub use registration::*;
