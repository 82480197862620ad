//! The JSON parser's messages in Swedish. serde and serde_json speak English ("unknown field
//! `extra`, expected one of …"); every error a caseworker or an integrator reads is
//! Swedish, so `request::read` passes the parser's message through here. A message this
//! does not know is kept as it is (better English than nothing).

/// The parser's message `m` in Swedish.
pub fn swedish(m: &str) -> String {
    if let Some(field) = quoted_after(m, "unknown field `") {
        return format!("okänt fält `{field}`: det finns inte i begäransformatet och kan inte bedömas");
    }
    if let Some(field) = quoted_after(m, "missing field `") {
        return format!("fältet `{field}` saknas");
    }
    if let Some(rest) = m.strip_prefix("unknown variant `")
        && let Some((value, expected)) = rest.split_once("`, expected ")
    {
        return format!(
            "`{value}` är inget tillåtet värde (möjliga: {})",
            expected.replace(" or ", " eller ")
        );
    }
    if let Some(rest) = m.strip_prefix("invalid type: ")
        && let Some((got, expected)) = rest.rsplit_once(", expected ")
    {
        return format!(
            "fel sorts värde: {}, men här ska det vara {}",
            type_words(got),
            type_words(expected)
        );
    }
    if let Some(rest) = m.strip_prefix("invalid length ")
        && let Some((n, _)) = rest.split_once(", expected ")
    {
        return format!("fel antal ({n})");
    }
    if m.starts_with("trailing characters") {
        return "text efter begärans slut: en begäran är ett JSON-objekt; flera begäranden skickas \
                som en batch, en per rad"
            .into();
    }
    let syntax = ["expected", "EOF", "trailing", "key must", "control character"];
    if syntax.iter().any(|p| m.starts_with(p)) {
        return format!("ogiltig JSON ({m})");
    }
    m.to_string()
}

/// The text between `prefix` and the next backtick.
fn quoted_after<'a>(m: &'a str, prefix: &str) -> Option<&'a str> {
    m.strip_prefix(prefix)?.split('`').next()
}

fn type_words(t: &str) -> String {
    let t = t.trim();
    let between = |prefix: &str, end: char| t.strip_prefix(prefix).and_then(|r| r.strip_suffix(end));
    if let Some(x) = between("floating point `", '`') {
        return format!("decimaltalet {x}");
    }
    if let Some(x) = between("integer `", '`') {
        return format!("talet {x}");
    }
    if let Some(x) = between("string \"", '"') {
        return format!("texten \"{x}\"");
    }
    if let Some(x) = between("boolean `", '`') {
        return format!("{x} (ja/nej)");
    }
    match t {
        "null" => "null (inget värde)".into(),
        "sequence" | "a sequence" => "en lista".into(),
        "map" => "ett objekt".into(),
        "struct RequestDoc" => "en begäran (ett JSON-objekt med schema, datum, avsändare …)".into(),
        "i64" | "u32" | "u64" | "i32" | "u8" => "ett heltal".into(),
        "a boolean" => "true eller false".into(),
        "a string" => "en text".into(),
        _ if t.starts_with("struct ") => "ett objekt".into(),
        _ => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::swedish;

    #[test]
    fn the_parser_speaks_swedish() {
        let cases = [
            (
                "unknown field `extra`, expected one of `schema`, `id`",
                "okänt fält `extra`: det finns inte i begäransformatet och kan inte bedömas",
            ),
            ("missing field `date`", "fältet `date` saknas"),
            (
                "unknown variant `x`, expected `on_request` or `own_initiative`",
                "`x` är inget tillåtet värde (möjliga: `on_request` eller `own_initiative`)",
            ),
            (
                "invalid type: floating point `3.5`, expected i64",
                "fel sorts värde: decimaltalet 3.5, men här ska det vara ett heltal",
            ),
            (
                "invalid type: null, expected struct RequestDoc",
                "fel sorts värde: null (inget värde), men här ska det vara en begäran (ett JSON-objekt med schema, datum, avsändare …)",
            ),
            ("invalid length 3, expected 2", "fel antal (3)"),
            ("EOF while parsing a value", "ogiltig JSON (EOF while parsing a value)"),
            (
                "trailing characters",
                "text efter begärans slut: en begäran är ett JSON-objekt; flera begäranden skickas som en batch, en per rad",
            ),
            ("something new", "something new"),
        ];
        for (english, want) in cases {
            assert_eq!(swedish(english), want, "{english}");
        }
    }
}
