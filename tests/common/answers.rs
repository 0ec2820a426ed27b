//! Reading answers: `(status, JSON body)` of an API call, problem+json (RFC 9457) and its
//! field errors, headers and links.

use reqwest::Response;
use serde_json::Value;

/// Status and JSON body of a response (`Null` when the body is empty).
pub async fn status_and_json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let url = response.url().path().to_owned();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url} answered {status} without JSON ({e}): {text}"))
    };
    (status, body)
}

/// What a test does with a `(status, body)` answer that must have a given status.
pub trait Answer {
    /// The body, after checking the status (the body is in the message when it differs).
    fn expect_status(self, status: u16) -> Value;
}

impl Answer for (u16, Value) {
    #[track_caller]
    fn expect_status(self, status: u16) -> Value {
        assert_eq!(self.0, status, "{}", self.1);
        self.1
    }
}

/// The value of header `name` ("" when it is missing).
pub fn header(response: &Response, name: &str) -> String {
    response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// Every `Set-Cookie` of a response.
pub fn set_cookies(response: &Response) -> Vec<String> {
    response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

/// The `Location` of a redirect.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Location on a {} answer", response.status()))
        .to_owned()
}

/// The `token` query parameter of a link.
pub fn token_in(link: &str) -> String {
    url::Url::parse(link)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no token in {link}"))
}

/// Status and body of a problem+json answer: the content type, a `type`, `title` and
/// `detail`, and the status repeated in the body.
pub async fn problem(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(header(&response, "content-type"), "application/problem+json", "status {status}");
    let body: Value = response.json().await.expect("a JSON problem");
    for field in ["type", "title", "detail"] {
        assert!(body[field].as_str().is_some_and(|s| !s.is_empty()), "problem without {field}: {body}");
    }
    assert_eq!(body["status"], status, "status in the body: {body}");
    (status, body)
}

/// The fields a 422 problem names, sorted (a field named twice is listed twice); every
/// field error must carry a message.
pub fn fields(problem: &Value) -> Vec<String> {
    let mut names: Vec<String> = problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a problem with field errors: {problem}"))
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "a field error without a message: {e}");
            e["field"].as_str().unwrap_or_else(|| panic!("a field name: {e}")).to_owned()
        })
        .collect();
    names.sort();
    names
}

/// The code of the error about `field` in a 422 problem.
pub fn code(problem: &Value, field: &str) -> String {
    problem["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .and_then(|e| e["code"].as_str())
        .unwrap_or_else(|| panic!("no error about {field}: {problem}"))
        .to_owned()
}

/// The 422 problem of `(status, body)`, naming `field` with a message; answers its code.
#[track_caller]
pub fn assert_invalid(answer: &(u16, Value), field: &str) -> String {
    let (status, body) = answer;
    assert_eq!(*status, 422, "expected 422 naming {field}: {body}");
    let error = body["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .unwrap_or_else(|| panic!("no error for {field}: {body}"));
    assert!(error["message"].as_str().is_some_and(|m| m.len() > 5), "no message for {field}: {body}");
    error["code"].as_str().unwrap_or_default().to_owned()
}
