//! Static files, built into the binary and served with long cache lifetimes: their URL
//! carries a hash of their content, so a new version gets a new URL.

use std::sync::LazyLock;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { path: "app.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../../static/app.css") },
    Asset { path: "favicon.svg", content_type: "image/svg+xml", body: include_bytes!("../../static/favicon.svg") },
    Asset {
        path: "forms.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/forms.js"),
    },
    Asset {
        path: "copy.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/copy.js"),
    },
    Asset {
        path: "checkin.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/checkin.js"),
    },
    Asset {
        path: "roster.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/roster.js"),
    },
];

fn version(body: &[u8]) -> String {
    hex::encode(&Sha256::digest(body)[..6])
}

pub static CSS_URL: LazyLock<String> = LazyLock::new(|| format!("/static/app.css?v={}", version(ASSETS[0].body)));
pub static JS_URL: LazyLock<String> = LazyLock::new(|| format!("/static/forms.js?v={}", version(ASSETS[2].body)));

pub static COPY_JS_URL: LazyLock<String> = LazyLock::new(|| format!("/static/copy.js?v={}", version(ASSETS[3].body)));

/// The live count on the trainer's check-in screen (found by name: other scripts may join).
pub static CHECKIN_JS_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/checkin.js?v={}", version(asset("checkin.js"))));
/// The roster's taps saved at once (progressive enhancement).
pub static ROSTER_JS_URL: LazyLock<String> =
    LazyLock::new(|| format!("/static/roster.js?v={}", version(asset("roster.js"))));

fn asset(path: &str) -> &'static [u8] {
    ASSETS.iter().find(|a| a.path == path).map_or(&[], |a| a.body)
}

/// A calendar file that calendar programs poll: a strong ETag (part of the SHA-256 of the
/// body), and 304 Not Modified when `If-None-Match` names it. `cache` is the
/// Cache-Control (public for the catalogue, private for a personal feed).
pub fn calendar_file(req: &HttpRequest, body: String, filename: &str, cache: &'static str) -> HttpResponse {
    use actix_web::http::header::CONTENT_DISPOSITION;
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(body.as_bytes())[..16]));
    let fresh = req.headers().get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|tags| {
        tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
    });
    if fresh {
        return HttpResponse::NotModified().insert_header((ETAG, etag)).insert_header((CACHE_CONTROL, cache)).finish();
    }
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")))
        .insert_header((ETAG, etag))
        .insert_header((CACHE_CONTROL, cache))
        .body(body)
}

pub async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(asset) = ASSETS.iter().find(|a| a.path == name.as_str()) else {
        return HttpResponse::NotFound().finish();
    };
    let etag = format!("\"{}\"", version(asset.body));
    let cache = "public, max-age=31536000, immutable";
    if req.headers().get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return HttpResponse::NotModified().insert_header((ETAG, etag)).insert_header((CACHE_CONTROL, cache)).finish();
    }
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, asset.content_type))
        .insert_header((ETAG, etag))
        .insert_header((CACHE_CONTROL, cache))
        .body(asset.body)
}
