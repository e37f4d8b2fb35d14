//! Escaping of literal text on its way into Terraform JSON.
//!
//! Terraform reads every JSON string of an argument as a *template*: `${…}` interpolates and
//! `%{…}` runs a directive. Literal text from a user must never be evaluated, so both openers
//! are doubled (`${` → `$${`, `%{` → `%%{`), which is the template syntax's own escape.

use std::borrow::Cow;

/// Escapes `text` so that Terraform's template parser reads it back verbatim.
///
/// ```
/// use oxiform_core::escape::escape_template;
/// assert_eq!(escape_template("cost: ${price}"), "cost: $${price}");
/// assert_eq!(escape_template("%{ if x }"), "%%{ if x }");
/// assert_eq!(escape_template("plain"), "plain");
/// ```
pub fn escape_template(text: &str) -> Cow<'_, str> {
    // Nearly all text has no opener. Short text (names, ARNs, most arguments) is scanned
    // once byte by byte, which is cheaper than setting up a substring search; long text
    // (JSON payloads with their many `{` included) gets two vectorised searches.
    let no_opener = if text.len() <= 64 {
        !text
            .as_bytes()
            .windows(2)
            .any(|w| w[1] == b'{' && (w[0] == b'$' || w[0] == b'%'))
    } else {
        !text.contains("${") && !text.contains("%{")
    };
    if no_opener {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c == '{' {
            if let Some(p @ ('$' | '%')) = prev {
                out.push(p);
            }
        }
        out.push(c);
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// Quotes `text` as an HCL string literal for use *inside* an expression
/// (`"…"` with `\`, `"`, control characters and template openers escaped).
pub fn quote_hcl(text: &str) -> String {
    quote_hcl_escaped(&escape_template(text))
}

/// Quotes text whose template openers are already escaped ([`escape_template`]) as an HCL
/// string literal: only `\`, `"` and control characters are escaped.
pub(crate) fn quote_hcl_escaped(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len() + 2);
    out.push('"');
    for c in escaped.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Quotes a string as Terraform JSON holds it (a template: literal text with its openers
/// escaped, and `${…}` interpolations of HCL) as an HCL quoted template: the literal text's
/// `\`, `"` and control characters escaped, each interpolation written as it is (its own
/// strings keep their quotes).
pub(crate) fn quote_hcl_template_text(template: &str) -> String {
    let bytes = template.as_bytes();
    let mut out = String::with_capacity(template.len() + 2);
    out.push('"');
    let mut i = 0;
    let mut literal_start = 0;
    while i < bytes.len() {
        // `$${` and `%%{` are escaped openers: literal text.
        if bytes[i..].starts_with(b"$${") || bytes[i..].starts_with(b"%%{") {
            i += 3;
            continue;
        }
        if bytes[i..].starts_with(b"${") {
            let literal = quote_hcl_escaped(&template[literal_start..i]);
            out.push_str(&literal[1..literal.len() - 1]);
            // The interpolation, to its closing brace (braces inside its strings ignored).
            let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
            let start = i;
            while i < bytes.len() {
                let b = bytes[i];
                i += 1;
                match b {
                    _ if escaped => escaped = false,
                    b'\\' if quoted => escaped = true,
                    b'"' => quoted = !quoted,
                    b'{' if !quoted => depth += 1,
                    b'}' if !quoted => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            out.push_str(&template[start..i]);
            literal_start = i;
            continue;
        }
        i += 1;
    }
    let rest = quote_hcl_escaped(&template[literal_start..]);
    out.push_str(&rest[1..rest.len() - 1]);
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolations_keep_their_quotes_in_an_hcl_template() {
        assert_eq!(
            quote_hcl_template_text(r#"a "q" ${f("x", {a = 1})} $${lit} \ ${g}"#),
            r#""a \"q\" ${f("x", {a = 1})} $${lit} \\ ${g}""#
        );
        assert_eq!(quote_hcl_template_text(r#"q"${g}""#), r#""q\"${g}\"""#);
    }

    #[test]
    fn doubles_only_openers() {
        assert_eq!(escape_template("$ { % {"), "$ { % {");
        assert_eq!(escape_template("${a}%{b}"), "$${a}%%{b}");
        assert_eq!(escape_template("$${a}"), "$$${a}");
        assert_eq!(escape_template("{}"), "{}");
    }

    #[test]
    fn quotes_for_expressions() {
        assert_eq!(quote_hcl("a\"b\\c\n${x}"), r#""a\"b\\c\n$${x}""#);
    }
}
