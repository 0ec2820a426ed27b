//! Reading pages: form fields, sections and the text a reader sees.

/// Undo the entities askama writes for `&`.
fn unescape_amp(text: &str) -> String {
    text.replace("&#38;", "&").replace("&amp;", "&")
}

/// The value of the hidden input `name` in `html`.
pub fn hidden_input(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    html.split("<input").skip(1).find_map(|tag| {
        let tag = &tag[..tag.find('>')?];
        if !tag.contains(&needle) {
            return None;
        }
        let start = tag.find("value=\"")? + "value=\"".len();
        let end = tag[start..].find('"')? + start;
        Some(unescape_amp(&tag[start..end]))
    })
}

/// The `href` of the page's stylesheet link.
pub fn stylesheet_url(html: &str) -> String {
    html.split("<link")
        .skip(1)
        .find_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            if !tag.contains(r#"rel="stylesheet""#) {
                return None;
            }
            let start = tag.find("href=\"")? + "href=\"".len();
            let end = tag[start..].find('"')? + start;
            Some(unescape_amp(&tag[start..end]))
        })
        .expect("the page links a stylesheet")
}

/// Text of an HTML fragment without tags, with askama's entities undone and whitespace
/// collapsed: what a reader sees.
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of `html` after the start tag of the element with `id` (a section's heading)
/// to the end of its `<section>`.
pub fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} on the page"));
    let rest = &html[start..];
    let rest = &rest[rest.find('>').map_or(0, |i| i + 1)..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// The `value` of the input with `id` (unescaped).
pub fn input_value(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} on the page"));
    let tag = &html[html[..start].rfind('<').expect("inside a tag")..];
    let tag = &tag[..tag.find('>').expect("a whole tag")];
    let value = tag.split("value=\"").nth(1).unwrap_or_else(|| panic!("#{id} has no value: {tag}"));
    visible_text(&value[..value.find('"').expect("a quoted value")])
}

/// The whole `<input …>` tag whose id is `id`.
pub fn input_tag<'a>(page: &'a str, id: &str) -> &'a str {
    let needle = format!(r#" id="{id}""#);
    page.match_indices("<input")
        .find_map(|(start, _)| {
            let tag = &page[start..start + page[start..].find('>')? + 1];
            tag.contains(&needle).then_some(tag)
        })
        .unwrap_or_else(|| panic!("no input #{id}: {page}"))
}

/// The text of the error shown next to `field`, if any.
pub fn field_error(page: &str, field: &str) -> Option<String> {
    let start = page.find(&format!(r#"id="{field}-error">"#))?;
    let rest = &page[start..];
    let inner = &rest[rest.find('>')? + 1..rest.find("</p>")?];
    // without tags
    let mut out = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    Some(out)
}
