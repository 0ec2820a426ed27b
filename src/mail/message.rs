//! What an email says, before it is rendered: every email of the platform has the same
//! plain shape (greeting, short paragraphs, one button, a list of details), rendered from
//! templates/mail/ as text and HTML in the recipient's language.

use askama::Template;

use crate::i18n::Locale;
use crate::ids::UserId;
use crate::mail::model::Attachment;

/// Who gets the email.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub email: String,
    pub name: String,
    pub user_id: Option<UserId>,
    pub locale: Locale,
}

#[derive(Debug, Clone)]
pub struct Email {
    pub to: Recipient,
    /// One event never queues two messages: the same key is ignored the second time.
    pub idempotency_key: String,
    pub subject: String,
    pub paragraphs: Vec<String>,
    /// The button: label and absolute URL.
    pub action: Option<(String, String)>,
    /// Label and value pairs, such as when and where.
    pub details: Vec<(String, String)>,
    /// Shown after the button, e.g. "did you not ask for this?".
    pub closing: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// `Auto-Submitted: auto-generated` (RFC 3834) for messages no person wrote.
    pub auto_submitted: bool,
}

impl Email {
    pub fn new(to: Recipient, idempotency_key: impl Into<String>, subject: impl Into<String>) -> Email {
        Email {
            to,
            idempotency_key: idempotency_key.into(),
            subject: subject.into(),
            paragraphs: Vec::new(),
            action: None,
            details: Vec::new(),
            closing: Vec::new(),
            attachments: Vec::new(),
            auto_submitted: true,
        }
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.paragraphs.push(text.into());
        self
    }

    pub fn action(mut self, label: impl Into<String>, url: impl Into<String>) -> Self {
        self.action = Some((label.into(), url.into()));
        self
    }

    pub fn detail(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.details.push((label.into(), value.into()));
        self
    }

    pub fn closing(mut self, text: impl Into<String>) -> Self {
        self.closing.push(text.into());
        self
    }

    pub fn attach(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlMail<'a> {
    email: &'a Email,
    lang: &'static str,
    brand: String,
    greeting: String,
    footer: String,
    base: &'a str,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextMail<'a> {
    email: &'a Email,
    greeting: String,
    footer: String,
    base: &'a str,
}

/// The text and HTML bodies of `email`.
pub fn render(email: &Email, base: &str) -> anyhow::Result<(String, String)> {
    let locale = email.to.locale;
    let greeting = locale.t_args("mail-greeting", [("name", email.to.name.as_str().into())]);
    let footer = locale.t("mail-footer");
    let text = TextMail { email, greeting: greeting.clone(), footer: footer.clone(), base }.render()?;
    let html =
        HtmlMail { email, lang: locale.code(), brand: locale.t("site-name"), greeting, footer, base }.render()?;
    Ok((text, html))
}
