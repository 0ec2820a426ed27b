//! A real SMTP server on loopback, inside the test: it speaks enough ESMTP for lettre
//! (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT; no STARTTLS),
//! records every message it accepts, and can be told to refuse (4xx/5xx at RCPT or at the
//! end of DATA) or to be down (connections refused) and to come back on the same port.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Where a refusal is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// In answer to `RCPT TO`.
    Rcpt,
    /// In answer to the final `.` of `DATA`.
    Data,
}

#[derive(Debug, Clone)]
struct Rule {
    /// `None`: every recipient.
    address: Option<String>,
    stage: Stage,
    code: u16,
    text: String,
}

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// Envelope sender (`MAIL FROM`).
    pub mail_from: String,
    /// Envelope recipients (`RCPT TO`), as accepted.
    pub rcpt_to: Vec<String>,
    /// The message as sent after DATA, dot-unstuffed, CRLF line endings.
    pub raw: Vec<u8>,
}

/// A MIME part that is not the text or HTML body (mail-parser counts an inline
/// `text/calendar` part as an attachment too).
#[derive(Debug, Clone)]
pub struct MailPart {
    /// `type/subtype`, lower case, e.g. `text/calendar`.
    pub content_type: String,
    /// Parameters of the Content-Type header (`method`, `charset`, …), names lower case.
    pub params: HashMap<String, String>,
    pub filename: Option<String>,
    /// Decoded contents.
    pub contents: Vec<u8>,
}

impl MailPart {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.contents).into_owned()
    }
}

impl ReceivedMail {
    fn parsed(&self) -> mail_parser::Message<'_> {
        MessageParser::default().parse(&self.raw).expect("the received message parses")
    }

    pub fn subject(&self) -> Option<String> {
        self.parsed().subject().map(str::to_owned)
    }

    /// The Message-ID without angle brackets.
    pub fn message_id(&self) -> Option<String> {
        self.parsed().message_id().map(str::to_owned)
    }

    /// The first plain text body ("" when there is none).
    pub fn text(&self) -> String {
        self.parsed().body_text(0).map(|t| t.into_owned()).unwrap_or_default()
    }

    /// The first HTML body ("" when there is none).
    pub fn html(&self) -> String {
        self.parsed().body_html(0).map(|t| t.into_owned()).unwrap_or_default()
    }

    /// `(display name, address)` of the From header.
    pub fn from(&self) -> Option<(Option<String>, String)> {
        let parsed = self.parsed();
        let first = parsed.from()?.first()?;
        Some((first.name().map(str::to_owned), first.address()?.to_owned()))
    }

    /// `(display name, address)` of every To recipient.
    pub fn to(&self) -> Vec<(Option<String>, String)> {
        let parsed = self.parsed();
        parsed
            .to()
            .map(|list| {
                list.iter().filter_map(|a| Some((a.name().map(str::to_owned), a.address()?.to_owned()))).collect()
            })
            .unwrap_or_default()
    }

    pub fn attachments(&self) -> Vec<MailPart> {
        let parsed = self.parsed();
        parsed
            .attachments()
            .map(|part| {
                let (content_type, params) = match part.content_type() {
                    Some(ct) => (
                        format!(
                            "{}/{}",
                            ct.ctype().to_ascii_lowercase(),
                            ct.subtype().unwrap_or("").to_ascii_lowercase()
                        ),
                        ct.attributes()
                            .map(|attrs| {
                                attrs.iter().map(|a| (a.name.to_ascii_lowercase(), a.value.to_string())).collect()
                            })
                            .unwrap_or_default(),
                    ),
                    None => ("text/plain".to_owned(), HashMap::new()),
                };
                MailPart {
                    content_type,
                    params,
                    filename: part.attachment_name().map(str::to_owned),
                    contents: part.contents().to_vec(),
                }
            })
            .collect()
    }

    /// The first `text/calendar` part, as text.
    pub fn calendar(&self) -> Option<String> {
        self.attachments().into_iter().find(|p| p.content_type == "text/calendar").map(|p| p.text())
    }

    /// The header block, unfolded: one `(name, value)` per header field, in order.
    pub fn headers(&self) -> Vec<(String, String)> {
        let text = String::from_utf8_lossy(&self.raw);
        let block = text.split("\r\n\r\n").next().unwrap_or_default().replace("\r\n ", " ").replace("\r\n\t", " ");
        block
            .split("\r\n")
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
            .collect()
    }

    /// The values of every header field called `name` (case-insensitive).
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.headers().into_iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v).collect()
    }

    /// Every `http(s)://` link in the text body.
    pub fn links(&self) -> Vec<String> {
        self.text()
            .split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
            .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
            .map(|w| w.trim_end_matches(['.', ',', ')']).to_owned())
            .collect()
    }

    /// The first link in the text body whose path starts with `path`.
    pub fn link_to(&self, path: &str) -> Option<String> {
        self.links().into_iter().find(|link| url::Url::parse(link).is_ok_and(|u| u.path().starts_with(path)))
    }
}

#[derive(Default)]
struct State {
    messages: Vec<ReceivedMail>,
    rules: Vec<Rule>,
    /// Every `RCPT TO` address offered, accepted or not.
    rcpt_attempts: Vec<String>,
    /// Open sessions, aborted when the server goes down.
    sessions: Vec<JoinHandle<()>>,
    accept_loop: Option<JoinHandle<()>>,
}

/// The SMTP server of one test; it stops when dropped.
pub struct SmtpServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    changed: Arc<tokio::sync::Notify>,
}

impl SmtpServer {
    /// Listen on a free loopback port.
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the SMTP server");
        let addr = listener.local_addr().expect("local address");
        let server = SmtpServer {
            addr,
            state: Arc::new(Mutex::new(State::default())),
            changed: Arc::new(tokio::sync::Notify::new()),
        };
        server.serve(listener);
        server
    }

    fn serve(&self, listener: TcpListener) {
        let state = self.state.clone();
        let changed = self.changed.clone();
        let handle = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let session = tokio::spawn(session(stream, state.clone(), changed.clone()));
                let mut guard = state.lock().unwrap();
                guard.sessions.retain(|s| !s.is_finished());
                guard.sessions.push(session);
            }
        });
        self.state.lock().unwrap().accept_loop = Some(handle);
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `smtp://127.0.0.1:<port>`, for `SMTP_URL`.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("smtp://{}", self.addr)).expect("valid URL")
    }

    /// Stop listening and cut every open connection: new connections are refused.
    pub async fn go_down(&self) {
        let (accept, sessions) = {
            let mut state = self.state.lock().unwrap();
            (state.accept_loop.take(), std::mem::take(&mut state.sessions))
        };
        for task in sessions.into_iter().chain(accept) {
            task.abort();
            let _ = task.await;
        }
        // the listener is dropped with the accept loop: the port is closed now
        assert!(
            TcpStream::connect(self.addr).await.is_err(),
            "the SMTP port still accepts connections after going down"
        );
    }

    /// Listen again on the same port.
    pub async fn come_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(listener) => break listener,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("cannot listen on {} again: {e}", self.addr),
            }
        };
        self.serve(listener);
    }

    /// Refuse every recipient with `code text` at `stage`.
    pub fn fail(&self, stage: Stage, code: u16, text: &str) {
        self.state.lock().unwrap().rules.push(Rule { address: None, stage, code, text: text.to_owned() });
    }

    /// Refuse `address` (case-insensitive) with `code text` at `stage`.
    pub fn fail_for(&self, address: &str, stage: Stage, code: u16, text: &str) {
        self.state.lock().unwrap().rules.push(Rule {
            address: Some(address.to_ascii_lowercase()),
            stage,
            code,
            text: text.to_owned(),
        });
    }

    /// Accept everything again.
    pub fn heal(&self) {
        self.state.lock().unwrap().rules.clear();
    }

    /// Every message accepted so far.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.state.lock().unwrap().messages.clone()
    }

    /// Every message accepted so far for `address` (an envelope recipient).
    pub fn messages_to(&self, address: &str) -> Vec<ReceivedMail> {
        self.messages().into_iter().filter(|m| m.rcpt_to.iter().any(|r| r.eq_ignore_ascii_case(address))).collect()
    }

    pub fn count(&self) -> usize {
        self.state.lock().unwrap().messages.len()
    }

    /// How often `RCPT TO:<address>` was offered, whatever the answer.
    pub fn rcpt_attempts(&self, address: &str) -> usize {
        self.state.lock().unwrap().rcpt_attempts.iter().filter(|a| a.eq_ignore_ascii_case(address)).count()
    }

    /// Wait until at least `count` messages for `address` arrived; panics after `timeout`.
    pub async fn wait_for(&self, address: &str, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        self.wait_until(timeout, || {
            let found = self.messages_to(address);
            (found.len() >= count).then_some(found)
        })
        .await
        .unwrap_or_else(|| {
            panic!("waited {timeout:?} for {count} message(s) to {address}; got {}", self.messages_to(address).len())
        })
    }

    /// Wait until at least `count` messages arrived in total; panics after `timeout`.
    pub async fn wait_for_count(&self, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        self.wait_until(timeout, || {
            let found = self.messages();
            (found.len() >= count).then_some(found)
        })
        .await
        .unwrap_or_else(|| panic!("waited {timeout:?} for {count} message(s); got {}", self.count()))
    }

    async fn wait_until<T>(&self, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            if let Some(found) = check() {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return check();
            }
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let accept = state.accept_loop.take();
        for task in state.sessions.drain(..).chain(accept) {
            task.abort();
        }
    }
}

/// The refusal that applies, if any.
fn refusal(state: &State, stage: Stage, recipients: &[String]) -> Option<(u16, String)> {
    state
        .rules
        .iter()
        .find(|rule| {
            rule.stage == stage
                && rule.address.as_ref().is_none_or(|a| recipients.iter().any(|r| r.eq_ignore_ascii_case(a)))
        })
        .map(|rule| (rule.code, rule.text.clone()))
}

/// `<a@b>` (with optional ESMTP parameters after it) → `a@b`.
fn path_argument(rest: &str) -> Option<String> {
    let rest = rest.trim_start();
    let start = rest.find('<')?;
    let end = rest[start..].find('>')? + start;
    Some(rest[start + 1..end].to_owned())
}

async fn session(stream: TcpStream, state: Arc<Mutex<State>>, changed: Arc<tokio::sync::Notify>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    macro_rules! send {
        ($($arg:tt)*) => {{
            let text = format!($($arg)*);
            if write.write_all(format!("{text}\r\n").as_bytes()).await.is_err() {
                return;
            }
        }};
    }
    send!("220 localhost ESMTP wijkmakers-test");
    let mut from: Option<String> = None;
    let mut recipients: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, rest) = match text.split_once(' ') {
            Some((verb, rest)) => (verb.to_ascii_uppercase(), rest),
            None => (text.to_ascii_uppercase(), ""),
        };
        match verb.as_str() {
            "EHLO" => {
                from = None;
                recipients.clear();
                send!("250-localhost greets {rest}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 20971520");
            }
            "HELO" => {
                from = None;
                recipients.clear();
                send!("250 localhost");
            }
            "MAIL" => {
                match rest.get(..5).filter(|p| p.eq_ignore_ascii_case("FROM:")).and_then(|_| path_argument(&rest[5..]))
                {
                    Some(sender) => {
                        from = Some(sender);
                        recipients.clear();
                        send!("250 2.1.0 OK");
                    }
                    None => send!("501 5.5.4 Syntax: MAIL FROM:<address>"),
                }
            }
            "RCPT" => {
                if from.is_none() {
                    send!("503 5.5.1 MAIL first");
                    continue;
                }
                let Some(address) =
                    rest.get(..3).filter(|p| p.eq_ignore_ascii_case("TO:")).and_then(|_| path_argument(&rest[3..]))
                else {
                    send!("501 5.5.4 Syntax: RCPT TO:<address>");
                    continue;
                };
                let refused = {
                    let mut guard = state.lock().unwrap();
                    guard.rcpt_attempts.push(address.clone());
                    refusal(&guard, Stage::Rcpt, std::slice::from_ref(&address))
                };
                changed.notify_waiters();
                match refused {
                    Some((code, text)) => send!("{code} {text}"),
                    None => {
                        recipients.push(address);
                        send!("250 2.1.5 OK");
                    }
                }
            }
            "DATA" => {
                if from.is_none() || recipients.is_empty() {
                    send!("503 5.5.1 RCPT first");
                    continue;
                }
                send!("354 End data with <CR><LF>.<CR><LF>");
                let mut raw = Vec::new();
                loop {
                    line.clear();
                    match reader.read_until(b'\n', &mut line).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    // dot-unstuffing (RFC 5321 4.5.2)
                    let content = if line.starts_with(b".") { &line[1..] } else { &line[..] };
                    raw.extend_from_slice(content);
                }
                let refused = {
                    let mut guard = state.lock().unwrap();
                    let refused = refusal(&guard, Stage::Data, &recipients);
                    if refused.is_none() {
                        guard.messages.push(ReceivedMail {
                            mail_from: from.clone().unwrap_or_default(),
                            rcpt_to: recipients.clone(),
                            raw,
                        });
                    }
                    refused
                };
                changed.notify_waiters();
                from = None;
                recipients.clear();
                match refused {
                    Some((code, text)) => send!("{code} {text}"),
                    None => send!("250 2.0.0 OK queued"),
                }
            }
            "RSET" => {
                from = None;
                recipients.clear();
                send!("250 2.0.0 OK");
            }
            "NOOP" => send!("250 2.0.0 OK"),
            "VRFY" => send!("252 2.5.0 Cannot VRFY user"),
            "QUIT" => {
                send!("221 2.0.0 Bye");
                return;
            }
            "STARTTLS" => send!("502 5.5.1 STARTTLS not offered"),
            _ => send!("500 5.5.2 Command not recognised"),
        }
    }
}
