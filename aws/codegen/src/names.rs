//! Rust naming: PascalCase type names, keywords, singular appender names, doc text.

/// `sagemaker_endpoint_configuration` → `SagemakerEndpointConfiguration`, `s3_bucket` → `S3Bucket`.
pub fn pascal(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    for part in snake.split(['_', '-']).filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// Strict and reserved Rust keywords (2021 edition, plus `gen` of 2024), which cannot be field
/// or method names.
pub fn is_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
        "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
        "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
        "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try",
        "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    KEYWORDS.contains(&s)
}

/// The singular of a plural collection name, for its appender: `subnet_ids` → `subnet_id`,
/// `tags` → `tag`, `addresses` → `address`, `policies` → `policy`. `None` when the name does
/// not look plural.
pub fn singular(name: &str) -> Option<String> {
    if let Some(stem) = name.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if name.ends_with(suffix) {
            return Some(name[..name.len() - 2].to_owned());
        }
    }
    if name.ends_with("ss") || name.ends_with("us") {
        return None;
    }
    let stem = name.strip_suffix('s')?;
    if stem.is_empty() || stem.ends_with('_') {
        return None;
    }
    Some(stem.to_owned())
}

/// The first sentence of a schema description as one line of rustdoc: whitespace collapsed,
/// Markdown links turned into `text (<url>)`, bare URLs into `<url>`, and any other `[`, `]`,
/// `<`, `>` escaped, so rustdoc neither warns about broken links or bare URLs nor reads tags.
pub fn doc_sentence(description: &str) -> String {
    let flat = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut end = flat.len();
    let mut search = 0;
    while let Some(i) = flat[search..].find(". ") {
        let at = search + i;
        let before = &flat[..at];
        if before.ends_with("e.g") || before.ends_with("i.e") || before.ends_with("etc") {
            search = at + 2;
            continue;
        }
        end = at + 1;
        break;
    }
    let mut out = rustdoc_text(flat[..end].trim());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// The index of the `)` that closes a Markdown link's URL: parentheses inside the URL
/// (`https://example.com/a_(b)`) are balanced, as Markdown reads them.
fn closing_paren(url_and_rest: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in url_and_rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn rustdoc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        // A Markdown link `[text](url)`.
        if c == '[' {
            if let Some(close) = rest.find("](") {
                if let Some(paren) = closing_paren(&rest[close + 2..]) {
                    let label = &rest[1..close];
                    let url = &rest[close + 2..close + 2 + paren];
                    if !label.contains('[') && !url.contains(' ') {
                        out.push_str(&rustdoc_text(label));
                        // A relative link (`string.html`) points into the provider's own
                        // docs, which rustdoc cannot reach: the label alone.
                        if url.starts_with("https://") || url.starts_with("http://") {
                            out.push_str(" (<");
                            out.push_str(url);
                            out.push_str(">)");
                        }
                        rest = &rest[close + 3 + paren..];
                        continue;
                    }
                }
            }
        }
        // A bare URL.
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let len = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
                .unwrap_or(rest.len());
            let url = rest[..len].trim_end_matches(['.', ',', ';', ':', ')']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        // Backticks in threes would open a code block (a doctest rustdoc compiles).
        if rest.starts_with("```") {
            out.push_str("\\`\\`\\`");
            rest = &rest[3..];
            continue;
        }
        if matches!(c, '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case() {
        assert_eq!(pascal("sagemaker_endpoint"), "SagemakerEndpoint");
        assert_eq!(pascal("s3_bucket"), "S3Bucket");
        assert_eq!(pascal("vpc"), "Vpc");
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("subnet_ids").as_deref(), Some("subnet_id"));
        assert_eq!(singular("tags").as_deref(), Some("tag"));
        assert_eq!(
            singular("subscriber_email_addresses").as_deref(),
            Some("subscriber_email_address")
        );
        assert_eq!(singular("policies").as_deref(), Some("policy"));
        assert_eq!(singular("environment"), None);
        assert_eq!(singular("status"), None);
    }

    #[test]
    fn doc_sentences_are_escaped() {
        assert_eq!(
            doc_sentence("A [parsed](https://x/y#z) value, e.g. <b> [x]. More text."),
            "A parsed (<https://x/y#z>) value, e.g. \\<b\\> \\[x\\]."
        );
        assert_eq!(
            doc_sentence("See https://example.com/a."),
            "See <https://example.com/a>."
        );
        assert_eq!(
            doc_sentence("Like [random_string](string.html), hidden."),
            "Like random_string, hidden."
        );
        assert_eq!(
            doc_sentence("Run ```rust\nfn main() {}\n``` first"),
            "Run \\`\\`\\`rust fn main() {} \\`\\`\\` first."
        );
    }
}
