//! Reading Terraform's template strings: the `${…}` interpolations in a string (and the
//! addresses they name), and a JSON document whose values are `${jsonencode(…)}` holes.

use std::collections::BTreeSet;

/// The text inside each `${…}` of `s`, in order; `$${` (an escaped, literal `${`) is not one.
pub(crate) fn interpolations(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'$') && bytes.get(i + 2) == Some(&b'{') {
            i += 3;
        } else if bytes[i] == b'$' && bytes[i + 1] == b'{' {
            let end = closing_brace(bytes, i + 2);
            found.push(&s[i + 2..end.min(s.len())]);
            i = end + 1;
        } else {
            i += 1;
        }
    }
    found
}

/// The index of the `}` closing an interpolation whose text starts at `start`: braces nest,
/// quoted strings (with `\` escapes) are skipped. The length of `bytes` when it never closes.
fn closing_brace(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    let mut quoted = false;
    while i < bytes.len() {
        match (quoted, bytes[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => quoted = false,
            (true, _) => {}
            (false, b'"') => quoted = true,
            (false, b'{') => depth += 1,
            (false, b'}') if depth == 0 => return i,
            (false, b'}') => depth -= 1,
            (false, _) => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The addresses of `known` that the expression text `expr` names: `type.name…` or
/// `data.type.name…` (and `ephemeral.`), wherever they appear in it.
pub(crate) fn addresses_in(expr: &str, known: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    let is_part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    for token in expr.split(|c: char| !is_part(c)) {
        let parts: Vec<&str> = token.split('.').collect();
        let take = if matches!(parts.first(), Some(&"data") | Some(&"ephemeral")) {
            3
        } else {
            2
        };
        if parts.len() >= take {
            let address = parts[..take].join(".");
            if known.contains(&address) && !found.contains(&address) {
                found.push(address);
            }
        }
    }
    found
}

/// Reads a JSON document written with Terraform holes (what `jsonencode`-built policies look
/// like): a `${jsonencode("…")}` hole reads as its string literal, any other
/// `${jsonencode(x)}` or `${x}` in place of a value as the string `"${x}"`; holes inside JSON
/// strings stay as they are.
pub(crate) fn read_json_with_holes(text: &str) -> Result<serde_json::Value, serde_json::Error> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'$' if !in_string && bytes.get(i + 1) == Some(&b'{') => {
                let end = closing_brace(bytes, i + 2);
                let inner = text[i + 2..end.min(text.len())].trim();
                out.push_str(&text[copied..i]);
                let arg = inner
                    .strip_prefix("jsonencode(")
                    .and_then(|rest| rest.strip_suffix(')'))
                    .map(str::trim);
                match arg {
                    Some(literal)
                        if literal.len() >= 2
                            && literal.starts_with('"')
                            && literal.ends_with('"') =>
                    {
                        out.push_str(literal);
                    }
                    Some(expr) => {
                        out.push_str(&serde_json::Value::from(format!("${{{expr}}}")).to_string())
                    }
                    None => {
                        out.push_str(&serde_json::Value::from(format!("${{{inner}}}")).to_string())
                    }
                }
                i = end + 1;
                copied = i.min(text.len());
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(&text[copied.min(text.len())..]);
    serde_json::from_str(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn interpolations_skip_escapes_and_nest() {
        assert_eq!(
            interpolations(
                "a-$${b}-${aws_s3_bucket.x.arn}-${jsonencode(\"a:${data.aws_region.r.name}\")}"
            ),
            [
                "aws_s3_bucket.x.arn",
                "jsonencode(\"a:${data.aws_region.r.name}\")"
            ]
        );
        assert!(interpolations("plain $ text {}").is_empty());
    }

    #[test]
    fn addresses_are_those_the_template_has() {
        let known: BTreeSet<String> = ["aws_s3_bucket.x", "data.aws_region.r"]
            .map(String::from)
            .into();
        assert_eq!(
            addresses_in(
                "\"arn:${data.aws_region.r.name}\" aws_s3_bucket.x.arn aws_s3_bucket.y.id",
                &known
            ),
            ["data.aws_region.r", "aws_s3_bucket.x"]
        );
    }

    #[test]
    fn holes_read_as_strings() -> Result<(), serde_json::Error> {
        let text = r#"{"R":[${jsonencode(aws_x.a.arn)},"s-${aws_x.b.id}"],"M":${jsonencode("arn:${data.p.c.partition}:x")}}"#;
        assert_eq!(
            read_json_with_holes(text)?,
            json!({"R": ["${aws_x.a.arn}", "s-${aws_x.b.id}"], "M": "arn:${data.p.c.partition}:x"})
        );
        Ok(())
    }
}
