//! Reads the route attributes of the handlers (`#[get("/path")]`, …) into a table of
//! paths and their methods, so that a known path asked with another method answers 405
//! with `Allow` (actix's method guards do not say which methods a path has).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn scan(dir: &Path, routes: &mut BTreeMap<String, Vec<String>>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            scan(&path, routes);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("read a source file");
            for method in ["get", "post", "put", "patch", "delete"] {
                for prefix in [format!("#[{method}(\""), ".route(\"".to_string()] {
                    let mut rest = text.as_str();
                    while let Some(at) = rest.find(&prefix) {
                        rest = &rest[at + prefix.len()..];
                        let Some(end) = rest.find('"') else { break };
                        let pattern = &rest[..end];
                        // `.route("/x", web::get()…)`: the method follows the path
                        let found = if prefix.starts_with(".route") {
                            rest[end..].trim_start_matches(['"', ',', ' ']).starts_with(&format!("web::{method}()"))
                        } else {
                            true
                        };
                        if found {
                            let methods = routes.entry(pattern.to_owned()).or_default();
                            let name = method.to_uppercase();
                            if !methods.contains(&name) {
                                methods.push(name);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src");
    let mut routes = BTreeMap::new();
    scan(Path::new("src"), &mut routes);
    let mut out = String::from("/// Every route pattern with its methods, read from the handlers by build.rs.\n");
    out.push_str("pub const ROUTES: &[(&str, &[&str])] = &[\n");
    for (pattern, methods) in &routes {
        let list: Vec<String> = methods.iter().map(|m| format!("{m:?}")).collect();
        out.push_str(&format!("    ({pattern:?}, &[{}]),\n", list.join(", ")));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("routes.rs");
    fs::write(dest, out).expect("write routes.rs");
}
