//! Themes.

use super::*;

pub fn themes(conn: &mut PgConnection, include_retired: bool) -> AppResult<Vec<Theme>> {
    let mut query = themes::table
        .select(Theme::as_select())
        .order((themes::retired_at.is_not_null(), themes::name_nl))
        .into_boxed();
    if !include_retired {
        query = query.filter(themes::retired_at.is_null());
    }
    Ok(query.load(conn)?)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ThemeInput {
    /// On create; made from `name_nl` when left out.
    pub slug: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub name_nl: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"
    )]
    pub name_en: Option<String>,
    #[schema(max_length = 500)]
    pub description_nl: Option<String>,
    #[schema(max_length = 500)]
    pub description_en: Option<String>,
    /// `true` retires the theme: it stays on its courses but new courses cannot use it.
    pub retired: Option<bool>,
}

fn check_theme(input: &ThemeInput, creating: bool) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    for (field, value, max) in [
        ("name_nl", &input.name_nl, 80),
        ("name_en", &input.name_en, 80),
        ("description_nl", &input.description_nl, 500),
        ("description_en", &input.description_en, 500),
    ] {
        if let Some(v) = value {
            check_text(&mut errors, field, v.trim(), max, max <= 80)
        }
        if creating && field.starts_with("name") && given(value).is_none() {
            errors.add(field, "required");
        }
        if !creating && field.starts_with("name") && value.is_some() && given(value).is_none() {
            errors.add(field, "required");
        }
    }
    errors.into_result()
}

pub fn create_theme(conn: &mut PgConnection, actor: &CurrentUser, input: &ThemeInput) -> AppResult<Theme> {
    actor.require(Role::Coordinator)?;
    check_theme(input, true)?;
    let name_nl = given(&input.name_nl).unwrap_or_default();
    let slug = slug::slugify(given(&input.slug).unwrap_or(name_nl));
    if slug.is_empty() {
        return Err(AppError::validation("slug", "required"));
    }
    let inserted = diesel::insert_into(themes::table)
        .values((
            themes::slug.eq(&slug),
            themes::name_nl.eq(name_nl),
            themes::name_en.eq(given(&input.name_en).unwrap_or_default()),
            themes::description_nl.eq(given(&input.description_nl).unwrap_or_default()),
            themes::description_en.eq(given(&input.description_en).unwrap_or_default()),
        ))
        .on_conflict(themes::slug)
        .do_nothing()
        .returning(Theme::as_returning())
        .get_result(conn)
        .optional()?;
    inserted.ok_or_else(|| AppError::validation("slug", "slug-taken"))
}

/// Rename or retire a theme; its slug never changes.
pub fn update_theme(conn: &mut PgConnection, actor: &CurrentUser, slug: &str, input: &ThemeInput) -> AppResult<Theme> {
    actor.require(Role::Coordinator)?;
    check_theme(input, false)?;
    #[derive(AsChangeset)]
    #[diesel(table_name = themes)]
    struct Changes {
        name_nl: Option<String>,
        name_en: Option<String>,
        description_nl: Option<String>,
        description_en: Option<String>,
        retired_at: Option<Option<DateTime<Utc>>>,
    }
    let changes = Changes {
        name_nl: given(&input.name_nl).map(str::to_owned),
        name_en: given(&input.name_en).map(str::to_owned),
        description_nl: input.description_nl.as_deref().map(|d| d.trim().to_owned()),
        description_en: input.description_en.as_deref().map(|d| d.trim().to_owned()),
        retired_at: input.retired.map(|r| r.then(Utc::now)),
    };
    let target = themes::table.filter(themes::slug.eq(slug));
    let updated = if changes.name_nl.is_none()
        && changes.name_en.is_none()
        && changes.description_nl.is_none()
        && changes.description_en.is_none()
        && changes.retired_at.is_none()
    {
        target.select(Theme::as_select()).first(conn).optional()?
    } else {
        diesel::update(target).set(&changes).returning(Theme::as_returning()).get_result(conn).optional()?
    };
    updated.ok_or(AppError::NotFound)
}
