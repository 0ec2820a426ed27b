//! The wijken and dorpen of the municipality of Groningen, named by a stable slug. Stored
//! as the slug; the API also accepts the display name, case-insensitively.

/// (slug, display name); "anders" comes last in every list.
pub const PLACES: &[(&str, &str)] = &[
    ("binnenstad", "Binnenstad"),
    ("oosterpoort", "Oosterpoort"),
    ("herewegwijk", "Herewegwijk"),
    ("helpman", "Helpman"),
    ("de-wijert", "De Wijert"),
    ("corpus-den-hoorn", "Corpus den Hoorn"),
    ("hoornse-meer", "Hoornse Meer"),
    ("zuidwest", "Zuidwest"),
    ("europapark", "Europapark"),
    ("rivierenbuurt", "Rivierenbuurt"),
    ("schildersbuurt", "Schildersbuurt"),
    ("oranjewijk", "Oranjewijk"),
    ("noorderplantsoenbuurt", "Noorderplantsoenbuurt"),
    ("hortusbuurt", "Hortusbuurt"),
    ("de-hoogte", "De Hoogte"),
    ("korrewegwijk", "Korrewegwijk"),
    ("indische-buurt", "Indische Buurt"),
    ("professorenbuurt", "Professorenbuurt"),
    ("oosterparkwijk", "Oosterparkwijk"),
    ("damsterbuurt", "Damsterbuurt"),
    ("oosterhoogebrug", "Oosterhoogebrug"),
    ("ulgersmaborg", "Ulgersmaborg"),
    ("beijum", "Beijum"),
    ("lewenborg", "Lewenborg"),
    ("noorddijk", "Noorddijk"),
    ("drielanden", "Drielanden"),
    ("meerstad", "Meerstad"),
    ("paddepoel", "Paddepoel"),
    ("selwerd", "Selwerd"),
    ("vinkhuizen", "Vinkhuizen"),
    ("tuinwijk", "Tuinwijk"),
    ("reitdiep", "Reitdiep"),
    ("gravenburg", "Gravenburg"),
    ("zernike", "Zernike"),
    ("hoogkerk", "Hoogkerk"),
    ("de-held", "De Held"),
    ("haren", "Haren"),
    ("glimmen", "Glimmen"),
    ("onnen", "Onnen"),
    ("noordlaren", "Noordlaren"),
    ("essen", "Essen"),
    ("ten-boer", "Ten Boer"),
    ("ten-post", "Ten Post"),
    ("thesinge", "Thesinge"),
    ("garmerwolde", "Garmerwolde"),
    ("sint-annen", "Sint Annen"),
    ("lellens", "Lellens"),
    ("woltersum", "Woltersum"),
    ("wittewierum", "Wittewierum"),
    ("winneweer", "Winneweer"),
    ("dorkwerd", "Dorkwerd"),
    ("leegkerk", "Leegkerk"),
    ("anders", "Anders"),
];

/// The slugs as an OpenAPI enum, for a query parameter.
pub fn schema() -> utoipa::openapi::Object {
    schema_with(&[])
}

/// The slugs and the `extra` values a field also takes (`""` or `null` for "no wijk").
pub fn schema_with(extra: &[serde_json::Value]) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let mut types = vec![Type::String];
    if extra.iter().any(serde_json::Value::is_null) {
        types.push(Type::Null);
    }
    let slugs = PLACES.iter().map(|(slug, _)| serde_json::Value::from(*slug));
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter(types))
        .enum_values(Some(slugs.chain(extra.iter().cloned())))
        .build()
}

/// The slug for a slug or display name (`"De Hoogte"`, `"de-hoogte"`, `"DE HOOGTE"`).
pub fn find(text: &str) -> Option<&'static str> {
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    PLACES
        .iter()
        .find(|(slug, name)| *slug == wanted || name.to_lowercase() == wanted || slug.replace('-', " ") == wanted)
        .map(|(slug, _)| *slug)
}

/// The display name of a slug; unknown slugs show as they are.
pub fn name(slug: &str) -> &str {
    PLACES.iter().find(|(s, _)| *s == slug).map(|(_, n)| *n).unwrap_or(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_slug_and_name() {
        assert_eq!(find("oosterpoort"), Some("oosterpoort"));
        assert_eq!(find("De Hoogte"), Some("de-hoogte"));
        assert_eq!(find("TEN BOER"), Some("ten-boer"));
        assert_eq!(find("anders"), Some("anders"));
        assert_eq!(find("Atlantis"), None);
        assert_eq!(name("ten-boer"), "Ten Boer");
    }

    #[test]
    fn slugs_are_unique() {
        let mut slugs: Vec<_> = PLACES.iter().map(|(s, _)| s).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), PLACES.len());
    }
}
