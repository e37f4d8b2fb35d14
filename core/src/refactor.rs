//! Refactoring without replacement: what a [`Stack`](crate::Stack) keeps for its `moved`,
//! `import` and `removed` blocks (added with [`Stack::moved`](crate::Stack::moved),
//! [`Stack::import`](crate::Stack::import) and [`Stack::removed`](crate::Stack::removed)),
//! and the reading of the old addresses they name, which no handle can stand for.
//!
//! Terraform reads these blocks at plan: `moved` renames what state holds at the old address
//! instead of destroying it and creating it again, `import` adopts an object created outside
//! terraform, and `removed` with `lifecycle { destroy = false }` forgets an object without
//! destroying it.

use crate::address::{Address, NodeRef};
use crate::error::CallSite;
use crate::graph::is_identifier;
use crate::value::Value;

/// A `moved` block: state at `from` (old address text) now belongs to the node `to`.
pub(crate) struct Moved {
    pub(crate) from: String,
    /// The `type.name` of `from` without module path or instance key, to compare with the
    /// stack's own addresses.
    pub(crate) from_resource: Option<(String, String)>,
    pub(crate) to: NodeRef,
    pub(crate) site: CallSite,
}

/// An `import` block: the object with import ID `id` becomes the node `to`.
pub(crate) struct Import {
    pub(crate) to: NodeRef,
    pub(crate) id: Value<String>,
    pub(crate) refs: Vec<NodeRef>,
    pub(crate) site: CallSite,
}

/// A `removed` block (`lifecycle { destroy = false }`): state at `from` is forgotten, the
/// object kept.
pub(crate) struct Removed {
    pub(crate) from: String,
    pub(crate) from_resource: Option<(String, String)>,
    pub(crate) site: CallSite,
}

/// A resource address as `moved` and `removed` take it: module path, type, name, instance key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OldAddress<'a> {
    /// Whether the address is inside a module (`module.x.…`).
    pub(crate) in_module: bool,
    pub(crate) type_name: &'a str,
    pub(crate) name: &'a str,
}

/// Why an old address was refused: the problem and how to fix it.
pub(crate) struct AddressProblem {
    pub(crate) problem: String,
    pub(crate) hint: String,
}

/// Reads `text` as the address of a managed resource: `type.name`, optionally inside modules
/// (`module.storage.type.name`) and with an instance key (`type.name[0]`,
/// `type.name["key"]`). Data sources are refused: they hold no state to move or keep.
pub(crate) fn parse_old_address(text: &str) -> Result<OldAddress<'_>, AddressProblem> {
    let not_an_address = || AddressProblem {
        problem: format!("{text:?} is not a resource address"),
        hint: "write the old address as Terraform prints it in `terraform state list`, e.g. \
               \"aws_s3_bucket.logs\""
            .to_owned(),
    };
    let mut rest = text;
    let mut in_module = false;
    while let Some(after) = rest.strip_prefix("module.") {
        let (name, after) = split_step(after).ok_or_else(not_an_address)?;
        let after = skip_key(after).ok_or_else(not_an_address)?;
        if !is_identifier(name) {
            return Err(not_an_address());
        }
        rest = after.strip_prefix('.').ok_or_else(not_an_address)?;
        in_module = true;
    }
    if rest.starts_with("data.") || rest.starts_with("ephemeral.") {
        return Err(AddressProblem {
            problem: format!("{text:?} is a data source, which holds no state of its own"),
            hint: "name a managed resource (`type.name`); a data source is read again on every \
                   run and needs no block"
                .to_owned(),
        });
    }
    let (type_name, after) = split_step(rest).ok_or_else(not_an_address)?;
    let after = after.strip_prefix('.').ok_or_else(not_an_address)?;
    let (name, after) = split_step(after).ok_or_else(not_an_address)?;
    let after = skip_key(after).ok_or_else(not_an_address)?;
    if !after.is_empty() || !is_identifier(type_name) || !is_identifier(name) {
        return Err(not_an_address());
    }
    Ok(OldAddress {
        in_module,
        type_name,
        name,
    })
}

/// The identifier at the start of `text` and what follows it (from the first `.` or `[`).
fn split_step(text: &str) -> Option<(&str, &str)> {
    let end = text.find(['.', '[']).unwrap_or(text.len());
    (end > 0).then(|| text.split_at(end))
}

/// Skips one instance key (`[0]`, `["key"]`) if `text` starts with one; `None` when it starts
/// with a malformed key.
fn skip_key(text: &str) -> Option<&str> {
    let Some(inner) = text.strip_prefix('[') else {
        return Some(text);
    };
    if let Some(quoted) = inner.strip_prefix('"') {
        let close = quoted.find('"')?;
        return quoted[close + 1..].strip_prefix(']');
    }
    let close = inner.find(']')?;
    let digits = &inner[..close];
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| &inner[close + 1..])
}

/// The `type.name` of an old address outside modules, to compare with the stack's own.
pub(crate) fn root_resource(address: &OldAddress<'_>) -> Option<(String, String)> {
    (!address.in_module).then(|| (address.type_name.to_owned(), address.name.to_owned()))
}

/// Whether `address` (one of the stack's) is the resource `type.name`.
pub(crate) fn is_resource(address: &Address, resource: &Option<(String, String)>) -> bool {
    matches!(resource, Some((t, n)) if address.kind == crate::address::ResourceKind::Managed
        && address.type_name == t && address.name == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_addresses_with_modules_and_keys_are_read() {
        for (text, in_module, type_name, name) in [
            ("aws_s3_bucket.logs", false, "aws_s3_bucket", "logs"),
            ("aws_s3_bucket.logs[0]", false, "aws_s3_bucket", "logs"),
            (
                "module.storage.aws_s3_bucket.logs[\"a.b\"]",
                true,
                "aws_s3_bucket",
                "logs",
            ),
            (
                "module.a[1].module.b.aws_s3_bucket.logs",
                true,
                "aws_s3_bucket",
                "logs",
            ),
        ] {
            let parsed =
                parse_old_address(text).unwrap_or_else(|e| panic!("{text}: {}", e.problem));
            assert_eq!(
                parsed,
                OldAddress {
                    in_module,
                    type_name,
                    name
                },
                "{text}"
            );
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "aws_s3_bucket",
            "aws_s3_bucket.",
            "aws_s3_bucket.logs.extra",
            "aws_s3_bucket.logs[x]",
            "aws_s3_bucket.logs[\"a\"",
            "aws_s3_bucket.1logs",
            "module.aws_s3_bucket",
            "aws_s3_bucket logs",
        ] {
            assert!(parse_old_address(text).is_err(), "{text:?}");
        }
        let data = parse_old_address("data.aws_region.current").err();
        assert!(data.is_some_and(|e| e.problem.contains("data source")));
    }
}
