//! The dependency direction of ARCHITECTURE.md, checked on the source: every `crate::…`
//! path in `src/` (in `use` lines and inline) is classified by the module it names, and no
//! lower layer may name a higher one. Also: a service or model never names the web shell,
//! a feature never names another feature's handlers (`pages`, `api`, `identity`), and a
//! feature touches only its own tables (others read them through views). Run with
//! `--nocapture` to see the graph between the folders.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers from the ground up. Features not listed here are refused until they are.
const GROUND: &[&str] = &[
    "auth", "choice", "config", "db", "error", "export", "i18n", "ids", "paging", "personal", "places", "time",
    "tokens",
];
const FEATURES: &[(&str, u32)] = &[
    ("mail", 1),
    ("accounts", 2),
    ("catalogue", 3),
    ("enrolment", 4),
    ("attendance", 5),
    ("reports", 6),
    ("access", 7),
    ("privacy", 9),
];
/// The HTTP edge of a feature: handlers, which sit on top with the web shell.
const EDGE_FILES: &[&str] = &["pages", "api", "identity"];
/// The app: the factory, the command line, the OpenAPI document and the demo data.
const APP: &[&str] = &["lib", "main", "openapi", "demo"];
/// Who owns which table; another feature reads it only through a view (src/db/views.rs).
const TABLES: &[(&str, &str)] = &[
    ("users", "accounts"),
    ("login_sessions", "accounts"),
    ("user_tokens", "accounts"),
    ("throttles", "accounts"),
    ("known_devices", "accounts"),
    ("password_reset_requests", "accounts"),
    ("outbox", "mail"),
    ("themes", "catalogue"),
    ("courses", "catalogue"),
    ("course_sessions", "catalogue"),
    ("course_trainers", "catalogue"),
    ("enrolments", "enrolment"),
    ("enrolment_events", "enrolment"),
    ("waitlist_offers", "enrolment"),
    ("course_seat_counts", "enrolment"),
    ("attendance_marks", "attendance"),
    ("attendance_changes", "attendance"),
    ("attendance_history", "attendance"),
    ("apologies", "attendance"),
    ("check_in_codes", "attendance"),
    ("certificates", "attendance"),
    ("report_places", "reports"),
    ("report_place_months", "reports"),
    ("report_session_groups", "reports"),
    ("report_dirty", "reports"),
    ("access_needs", "access"),
    ("access_needs_audit", "access"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Ground,
    Feature(u32),
    Web,
    Edge,
    App,
}

/// A module of the crate as the rules see it: its top folder, and whether it is an edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Module {
    top: String,
    edge: bool,
}

impl Module {
    fn layer(&self) -> Option<Layer> {
        if self.edge {
            return Some(Layer::Edge);
        }
        if GROUND.contains(&self.top.as_str()) {
            return Some(Layer::Ground);
        }
        if self.top == "web" {
            return Some(Layer::Web);
        }
        if APP.contains(&self.top.as_str()) {
            return Some(Layer::App);
        }
        FEATURES.iter().find(|(name, _)| *name == self.top).map(|(_, rank)| Layer::Feature(*rank))
    }

    fn is_feature(&self) -> bool {
        FEATURES.iter().any(|(name, _)| *name == self.top)
    }

    fn label(&self) -> String {
        if self.edge { format!("{} (edge)", self.top) } else { self.top.clone() }
    }
}

/// The module a source file is: `src/catalogue/service/list.rs` → catalogue.
fn module_of(file: &Path) -> Module {
    let parts: Vec<String> = file
        .strip_prefix("src")
        .expect("under src")
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    let top = parts[0].clone();
    let edge = parts.len() == 2 && EDGE_FILES.contains(&parts[1].as_str()) && top != "web";
    Module { top, edge }
}

/// The module a path names: `crate::catalogue::service::detail` → catalogue;
/// `crate::enrolment::pages::x` → enrolment (edge).
fn module_named(path: &[&str]) -> Module {
    let top = path.first().copied().unwrap_or("").to_owned();
    let edge = top != "web" && path.get(1).is_some_and(|p| EDGE_FILES.contains(p));
    Module { top, edge }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Code without comments and string literals' contents, so that only real paths count.
fn code_only(source: &str) -> String {
    strip(source, false)
}

/// Code without comments, strings kept (they hold the SQL).
fn code_and_strings(source: &str) -> String {
    strip(source, true)
}

fn strip(source: &str, keep_strings: bool) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    let (mut in_string, mut in_line_comment, mut block_depth) = (false, false, 0);
    while let Some(c) = chars.next() {
        if in_line_comment {
            if c == '\n' {
                in_line_comment = false;
                out.push('\n');
            }
        } else if block_depth > 0 {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                block_depth -= 1;
            } else if c == '/' && chars.peek() == Some(&'*') {
                chars.next();
                block_depth += 1;
            }
        } else if in_string {
            if c == '\\' {
                let next = chars.next();
                if keep_strings {
                    out.push(c);
                    out.extend(next);
                }
            } else if c == '"' {
                in_string = false;
                out.push('"');
            } else if keep_strings {
                out.push(c);
            }
        } else if c == '/' && chars.peek() == Some(&'/') {
            in_line_comment = true;
        } else if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            block_depth = 1;
        } else if c == '"' {
            in_string = true;
            out.push('"');
        } else {
            out.push(c);
        }
    }
    out
}

/// Every `crate::a::b…` path in the code, braces of `use` lines expanded.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while let Some(found) = code_at(&bytes, i, "crate::") {
        let before = if found == 0 { ' ' } else { bytes[found - 1] };
        i = found + "crate::".len();
        if before.is_alphanumeric() || before == '_' {
            continue;
        }
        let (expanded, next) = expand(&bytes, i, Vec::new());
        paths.extend(expanded);
        i = next;
    }
    paths
}

fn code_at(chars: &[char], from: usize, needle: &str) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..chars.len().saturating_sub(needle.len() - 1)).find(|&i| chars[i..i + needle.len()] == needle[..])
}

/// Read a path (with `{…}` groups) starting at `i`; answers the full paths and the end.
fn expand(chars: &[char], mut i: usize, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut path = prefix;
    let mut word = String::new();
    loop {
        let c = chars.get(i).copied().unwrap_or(';');
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            i += 1;
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            if !word.is_empty() {
                path.push(std::mem::take(&mut word));
            }
            i += 2;
        } else if c == '{' {
            let mut all = Vec::new();
            i += 1;
            loop {
                while chars.get(i).is_some_and(|c| c.is_whitespace() || *c == ',') {
                    i += 1;
                }
                if chars.get(i).is_none_or(|c| *c == '}') {
                    i += 1;
                    break;
                }
                let (inner, next) = expand(chars, i, path.clone());
                all.extend(inner);
                i = next;
            }
            return (all, i);
        } else if c.is_whitespace() && word.is_empty() && path.is_empty() {
            i += 1;
        } else {
            if !word.is_empty() && word != "self" {
                path.push(word);
            }
            // `x as y`: skip the alias
            let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
            if rest.starts_with(" as ") {
                i += 4;
                while chars.get(i).is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                    i += 1;
                }
            }
            return (vec![path], i);
        }
    }
}

/// Table names used in the code: from `db::schema::{…}` paths and from SQL in strings.
fn tables_touched(source: &str, paths: &[Vec<String>]) -> BTreeSet<String> {
    let mut tables: BTreeSet<String> = paths
        .iter()
        .filter(|p| p.len() >= 3 && p[0] == "db" && p[1] == "schema" && p[2] != "sql_types")
        .map(|p| p[2].clone())
        .collect();
    for keyword in ["FROM ", "JOIN ", "UPDATE ", "INTO "] {
        let mut rest = source;
        while let Some(at) = rest.find(keyword) {
            rest = &rest[at + keyword.len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if TABLES.iter().any(|(t, _)| *t == name) {
                tables.insert(name);
            }
        }
    }
    tables
}

#[test]
fn features_depend_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("cd to the crate");
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    assert!(files.len() > 20, "the source tree was found: {files:?}");

    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module_of(file);
        let Some(from_layer) = from.layer() else {
            problems.push(format!("{}: the module `{}` has no layer in ARCHITECTURE.md", file.display(), from.top));
            continue;
        };
        let source = fs::read_to_string(file).expect("read a source file");
        let code = code_only(&source);
        let paths = crate_paths(&code);
        for path in &paths {
            let names: Vec<&str> = path.iter().map(String::as_str).collect();
            let to = module_named(&names);
            // a crate-root item (`crate::AppState`, `crate::Application`) belongs to the app
            let to = if to.layer().is_none() && to.top.chars().next().is_some_and(char::is_uppercase) {
                Module { top: "lib".into(), edge: false }
            } else {
                to
            };
            let Some(to_layer) = to.layer() else {
                problems.push(format!(
                    "{}: `crate::{}` names a module without a layer",
                    file.display(),
                    path.join("::")
                ));
                continue;
            };
            if to.top == from.top {
                continue;
            }
            graph.entry(from.label()).or_default().insert(to.label());
            let allowed = match (from_layer, to_layer) {
                (Layer::App, _) => true,
                (Layer::Edge, Layer::Edge) => false,
                (Layer::Edge, _) => true,
                (Layer::Web, Layer::Ground) => true,
                (Layer::Web, _) => false,
                (Layer::Feature(_), Layer::Web | Layer::Edge | Layer::App) => false,
                (Layer::Feature(a), Layer::Feature(b)) => b < a,
                (Layer::Feature(_), Layer::Ground) => true,
                (Layer::Ground, Layer::Ground) => true,
                (Layer::Ground, _) => false,
            };
            if !allowed {
                problems.push(format!(
                    "{}: {} ({from_layer:?}) must not name `crate::{}` ({}, {to_layer:?})",
                    file.display(),
                    from.label(),
                    path.join("::"),
                    to.label()
                ));
            }
        }
        if from.is_feature() {
            for table in tables_touched(&code_and_strings(&source), &paths) {
                let owner = TABLES.iter().find(|(t, _)| *t == table).map(|(_, o)| *o).unwrap_or("?");
                if owner != from.top {
                    problems.push(format!(
                        "{}: {} touches the table `{table}` of {owner}; read it through a view or a service",
                        file.display(),
                        from.top
                    ));
                }
            }
        }
    }
    println!("imports between folders (edge = pages/api/identity):");
    for (from, to) in &graph {
        println!("  {from} -> {}", to.iter().cloned().collect::<Vec<_>>().join(", "));
    }
    assert!(problems.is_empty(), "{} forbidden dependencies:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_check_sees_what_it_must_refuse() {
    // the parser itself: braces, aliases, inline paths, comments and strings
    let code = code_only(
        "use crate::{a::{b, c::D}, e as f};\n// crate::hidden::x\nlet s = \"crate::in_string\";\ncrate::g::h(1);",
    );
    let paths: Vec<String> = crate_paths(&code).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["a::b", "a::c::D", "e", "g::h"]);
    let edge = module_named(&["enrolment", "pages", "x"]);
    assert_eq!(edge.layer(), Some(Layer::Edge));
    assert_eq!(module_of(Path::new("src/catalogue/service/list.rs")).layer(), Some(Layer::Feature(3)));
    assert_eq!(module_of(Path::new("src/web/pages.rs")).layer(), Some(Layer::Web));
    let sql = "SELECT 1 FROM enrolments e JOIN users u ON true";
    assert_eq!(tables_touched(sql, &[]), BTreeSet::from(["enrolments".to_owned(), "users".to_owned()]));
}
