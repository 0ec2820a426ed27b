//! Forms that forgive (issue 15): the error summary lists the errors in the order of the
//! form's fields, each naming its field and linking to it, and takes the focus when the
//! form comes back (GOV.UK / NL Design System pattern). One macro renders it for every form.

use crate::common::{Visitor, spawn_app, visible_text};

/// The entries of the page's error summary: `(href, text)`, in order.
fn summary_entries(page: &str) -> Vec<(String, String)> {
    let start = page.find("id=\"error-summary\"").unwrap_or_else(|| panic!("no error summary: {page}"));
    let summary = &page[start..start + page[start..].find("</div>").expect("the summary ends")];
    summary
        .split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let (href, rest) = item.split_once('"').expect("an href");
            let text = &rest[1..rest.find("</a>").expect("a link text")];
            (href.to_owned(), visible_text(text))
        })
        .collect()
}

#[tokio::test]
async fn the_error_summary_follows_the_form_names_each_field_and_links_to_it() {
    let app = spawn_app().await;
    let visitor = Visitor::new(&app);
    // the service finds the errors in another order (consent, the address, …): the page
    // shows them as the form asks
    let response = visitor
        .post_form("/registreren", &[("name", " "), ("email", "kapot"), ("password", "kort"), ("wijk", "nergens")])
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    let entries = summary_entries(&page);
    let hrefs: Vec<&str> = entries.iter().map(|(href, _)| href.as_str()).collect();
    assert_eq!(hrefs, ["#name", "#email", "#password", "#wijk", "#privacy_consent"], "{entries:?}");
    let texts: Vec<&str> = entries.iter().map(|(_, text)| text.as_str()).collect();
    assert_eq!(texts[0], "Naam: vul dit veld in.");
    assert_eq!(texts[1], "E-mailadres: vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.");
    assert!(texts[2].starts_with("Wachtwoord: kies een wachtwoord van minstens"), "{texts:?}");
    assert_eq!(texts[3], "Wijk of dorp: deze wijk of dit dorp kennen we niet. Kies er een uit de lijst.");
    assert_eq!(texts[4], "Privacyverklaring: je moet akkoord gaan met de privacyverklaring.");
    // every link has its target on the page
    for href in hrefs {
        assert!(page.contains(&format!("id=\"{}\"", &href[1..])), "no element {href}");
    }
    // the summary takes the focus when the page comes back
    let tag_start = page.find("<div class=\"error-summary\"").expect("the summary");
    let tag = &page[tag_start..tag_start + page[tag_start..].find('>').unwrap()];
    assert!(tag.contains("tabindex=\"-1\"") && tag.contains("autofocus"), "{tag}");
}

#[tokio::test]
async fn a_form_without_errors_has_no_summary_and_no_autofocus() {
    let app = spawn_app().await;
    let page = Visitor::new(&app).page("/registreren").await;
    assert!(!page.contains("error-summary"));
    assert!(!page.contains("autofocus"));
}
