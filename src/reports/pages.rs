//! The coordinator's dashboard `/beheer/rapportage`: a bookmarkable filter form, the key
//! figures with their definitions, server-rendered SVG charts (each with a text alternative
//! and a table of the same numbers) and links to every export in every format.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;
use chrono_tz::Europe::Amsterdam;

use crate::accounts::model::ParticipantKind;
use crate::auth::CurrentUser;
use crate::choice::Choice;
use crate::error::{AppResult, FieldError};
use crate::reports::summary::{self, Amount, Count, DashboardForm, FIGURES, GroupBy, SummaryRow};
use crate::web::ctx::Ctx;
use crate::web::{AppState, render_with_status};

/// Width of the bar area in the SVG's units (the label sits above each bar).
const BAR_WIDTH: f64 = 240.0;
/// Height of one bar's row (label and bar) in the SVG's units.
const ROW: i64 = 44;

/// One bar: its label, the number written beside it, and its size and place.
pub struct Bar {
    pub label: String,
    pub text: String,
    pub width: String,
    pub y: i64,
}

/// A horizontal bar chart with its text alternative and the rows of its table.
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub height: i64,
    pub bars: Vec<Bar>,
    pub rows: Vec<TableRow>,
}

/// A row of a chart's table: the group and its figures as text.
pub struct TableRow {
    pub group: String,
    pub participants: String,
    pub sessions_held: String,
    pub attendance_rate: String,
    pub training_hours: String,
    pub enrolments: String,
    pub commitment_rate: String,
    pub no_show_rate: String,
    pub completions: String,
    pub waiting_demand: String,
}

/// A key figure at the top: its name, value and definition.
pub struct KeyFigure {
    pub name: String,
    pub value: String,
    pub definition: String,
}

/// A download link.
pub struct Download {
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "reports/dashboard.html")]
struct DashboardTemplate {
    ctx: Ctx,
    form: DashboardForm,
    errors: Vec<FieldError>,
    themes: Vec<(String, String)>,
    courses: Vec<(String, String)>,
    places: &'static [(&'static str, &'static str)],
    kinds: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    key_figures: Vec<KeyFigure>,
    charts: Vec<Chart>,
    group_table: Option<Chart>,
    definitions: Vec<KeyFigure>,
    downloads: Vec<(String, Vec<Download>)>,
    shown: bool,
    /// "Berekend om 14:03 …" and the link that computes the figures again.
    computed: String,
    /// The figures come from the minute's cache: the page offers to compute them again.
    kept: bool,
    again_href: String,
}

impl DashboardTemplate {
    /// "2026-01-01 – 2026-06-30".
    fn period(&self) -> String {
        format!("{} – {}", self.form.from, self.form.to)
    }
}

fn count(c: &Count) -> String {
    c.value().map_or_else(|| summary::HIDDEN.to_owned(), |n| n.to_string())
}

fn hours(ctx: &Ctx, a: &Amount) -> String {
    match a {
        Amount::FewerThanFive => summary::HIDDEN.to_owned(),
        Amount::Value(v) => {
            let text = format!("{:.1}", v.unwrap_or(0.0));
            if ctx.lang() == "nl" { text.replace('.', ",") } else { text }
        }
    }
}

fn rate(ctx: &Ctx, a: &Amount) -> String {
    match a {
        Amount::FewerThanFive => summary::HIDDEN.to_owned(),
        Amount::Value(v) => ctx.percent(v),
    }
}

/// The group's name as people read it: a theme's or wijk's name, a kind's word.
fn group_label(ctx: &Ctx, by: GroupBy, themes: &[crate::catalogue::model::Theme], group: &Option<String>) -> String {
    let Some(group) = group else { return ctx.t("dashboard-group-unknown") };
    match by {
        GroupBy::Theme => themes
            .iter()
            .find(|t| &t.slug == group)
            .map(|t| if ctx.lang() == "nl" { t.name_nl.clone() } else { t.name_en.clone() })
            .unwrap_or_else(|| group.clone()),
        GroupBy::Wijk => crate::places::name(group).to_owned(),
        GroupBy::ParticipantKind => ctx.t(format!("kind-{group}")),
        GroupBy::Course | GroupBy::Month => group.clone(),
    }
}

fn table_rows(ctx: &Ctx, by: GroupBy, themes: &[crate::catalogue::model::Theme], rows: &[SummaryRow]) -> Vec<TableRow> {
    rows.iter()
        .map(|r| TableRow {
            group: group_label(ctx, by, themes, &r.group),
            participants: count(&r.participants),
            sessions_held: r.sessions_held.to_string(),
            attendance_rate: rate(ctx, &r.attendance_rate),
            training_hours: hours(ctx, &r.training_hours),
            enrolments: count(&r.enrolments),
            commitment_rate: rate(ctx, &r.commitment_rate),
            no_show_rate: rate(ctx, &r.no_show_rate),
            completions: count(&r.completions),
            waiting_demand: count(&r.waiting_demand),
        })
        .collect()
}

/// A chart of `value` per group (bars scaled to the largest), its text alternative listing
/// every bar, and the table of the same groups.
#[allow(clippy::too_many_arguments)]
fn chart(
    ctx: &Ctx,
    id: &'static str,
    title: String,
    by: GroupBy,
    themes: &[crate::catalogue::model::Theme],
    rows: &[SummaryRow],
    value: impl Fn(&SummaryRow) -> f64,
    text: impl Fn(&SummaryRow) -> String,
) -> Chart {
    let max = rows.iter().map(&value).fold(0.0_f64, f64::max);
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Bar {
            label: group_label(ctx, by, themes, &r.group),
            text: text(r),
            width: format!("{:.1}", if max > 0.0 { (value(r) / max * BAR_WIDTH).max(1.0) } else { 1.0 }),
            y: i as i64 * ROW,
        })
        .collect();
    let description = bars.iter().map(|b| format!("{}: {}", b.label, b.text)).collect::<Vec<_>>().join("; ");
    Chart {
        id,
        title,
        description,
        height: (bars.len() as i64 * ROW).max(ROW),
        bars,
        rows: table_rows(ctx, by, themes, rows),
    }
}

const EXPORTS: [(&str, &str); 3] = [
    ("sessions", "dashboard-export-sessions"),
    ("participation", "dashboard-export-participation"),
    ("summary", "dashboard-export-summary"),
];
const FORMATS: [(&str, &str); 4] = [
    ("csv", "dashboard-format-csv"),
    ("csv-nl", "dashboard-format-csv-nl"),
    ("xlsx", "dashboard-format-xlsx"),
    ("json", "dashboard-format-json"),
];

fn downloads(ctx: &Ctx, form: &DashboardForm) -> Vec<(String, Vec<Download>)> {
    let query = form.export_query();
    EXPORTS
        .iter()
        .map(|(export, key)| {
            let group =
                if *export == "summary" { format!("&group_by={}", form.group_by.trim()) } else { String::new() };
            let links = FORMATS
                .iter()
                .map(|(format, label)| Download {
                    label: ctx.t(label),
                    href: format!("/api/v1/reports/{export}?{query}{group}&format={format}"),
                })
                .collect();
            (ctx.t(key), links)
        })
        .collect()
}

/// The dashboard; wrong filters show the form again with their errors (422).
#[get("/beheer/rapportage")]
async fn dashboard(
    state: web::Data<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: web::Query<DashboardForm>,
) -> AppResult<HttpResponse> {
    let today = chrono::Utc::now().with_timezone(&Amsterdam).date_naive();
    let form = form.into_inner();
    let scope = state.config.database_url.clone().unwrap_or_default();
    let page = state
        .db
        .run(move |conn| summary::dashboard_page(conn, &user, form, today, (summary::DashboardCache::shared(), &scope)))
        .await?;
    let group_by = GroupBy::parse(&page.form.group_by).unwrap_or(GroupBy::Theme);
    let themes = &page.themes;
    let (key_figures, charts, group_table) = match &page.figures {
        None => (Vec::new(), Vec::new(), None),
        Some(d) => {
            let t = &d.total;
            let key = |name: &str, value: String, help: &str| KeyFigure {
                name: ctx.t(format!("dashboard-col-{name}")),
                value,
                definition: ctx.t(help),
            };
            let key_figures = vec![
                key("participants", count(&t.participants), "dashboard-def-participants"),
                key("enrolments", count(&t.enrolments), "dashboard-def-enrolments"),
                key("sessions-held", t.sessions_held.to_string(), "dashboard-def-sessions-held"),
                key("training-hours", hours(&ctx, &t.training_hours), "dashboard-def-training-hours"),
                key("attendance-rate", rate(&ctx, &t.attendance_rate), "dashboard-def-attendance-rate"),
                key("commitment-rate", rate(&ctx, &t.commitment_rate), "dashboard-def-commitment-rate"),
                key("completions", count(&t.completions), "dashboard-def-completions"),
                key("waiting-demand", count(&t.waiting_demand), "dashboard-def-waiting-demand"),
            ];
            let people = |r: &SummaryRow| r.participants.value().unwrap_or(0) as f64;
            let charts = vec![
                chart(
                    &ctx,
                    "per-theme",
                    ctx.t("dashboard-chart-theme"),
                    GroupBy::Theme,
                    themes,
                    &d.by_theme,
                    people,
                    |r| count(&r.participants),
                ),
                chart(
                    &ctx,
                    "per-wijk",
                    ctx.t("dashboard-chart-wijk"),
                    GroupBy::Wijk,
                    themes,
                    &d.by_wijk,
                    people,
                    |r| count(&r.participants),
                ),
                chart(
                    &ctx,
                    "per-month",
                    ctx.t("dashboard-chart-month"),
                    GroupBy::Month,
                    themes,
                    &d.by_month,
                    |r| r.attendance_rate.value().unwrap_or(0.0),
                    |r| rate(&ctx, &r.attendance_rate),
                ),
            ];
            let table = chart(
                &ctx,
                "per-group",
                ctx.t(format!("dashboard-group-{}", group_by.as_str().replace('_', "-"))),
                group_by,
                themes,
                &d.groups,
                people,
                |r| count(&r.participants),
            );
            (key_figures, charts, Some(table))
        }
    };
    let definitions = FIGURES
        .iter()
        .map(|f| KeyFigure { name: f.name.to_owned(), value: String::new(), definition: ctx.t(f.help) })
        .collect();
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let template = DashboardTemplate {
        downloads: if page.figures.is_some() { downloads(&ctx, &page.form) } else { Vec::new() },
        themes: page
            .themes
            .iter()
            .map(|t| (t.slug.clone(), if ctx.lang() == "nl" { t.name_nl.clone() } else { t.name_en.clone() }))
            .collect(),
        courses: page.courses.iter().map(|c| (c.id.to_string(), c.title.clone())).collect(),
        places: crate::places::PLACES,
        kinds: ParticipantKind::all()
            .iter()
            .map(|k| (k.as_str().to_owned(), ctx.t(format!("kind-{}", k.as_str()))))
            .collect(),
        groups: GroupBy::all()
            .iter()
            .map(|g| {
                let word = g.as_str();
                (word.to_owned(), ctx.t(format!("dashboard-group-{}", word.replace('_', "-"))))
            })
            .collect(),
        shown: page.figures.is_some(),
        kept: page.figures.as_ref().is_some_and(|d| d.kept),
        computed: page
            .figures
            .as_ref()
            .map(|d| {
                let time = ctx.time(&d.computed_at);
                if d.kept {
                    ctx.t1("dashboard-computed-at", "time", time)
                } else {
                    ctx.t1("dashboard-computed-now", "time", time)
                }
            })
            .unwrap_or_default(),
        again_href: format!(
            "/beheer/rapportage?{}&group_by={}&again=1",
            page.form.export_query(),
            page.form.group_by.trim()
        ),
        form: page.form,
        errors: page.errors,
        key_figures,
        charts,
        group_table,
        definitions,
        ctx,
    };
    render_with_status(status, &template)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard);
}
