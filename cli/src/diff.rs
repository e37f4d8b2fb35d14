//! `diff`: what a reviewer reads in a PR — resources added, removed and replaced, and for
//! changed ones each attribute's old and new value — between two Terraform JSON documents.

use std::collections::BTreeMap;

use oxiform::aws::facts::SENSITIVE_ARGUMENTS;
use serde_json::Value as J;

/// What a sensitive value is printed as.
pub const SENSITIVE: &str = "(sensitive)";

/// One resource's change.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Only in the new document.
    Added(String),
    /// Only in the old document.
    Removed(String),
    /// Removed under one address and added with the same body under another: terraform
    /// destroys and recreates it unless a `moved` block says otherwise.
    Renamed {
        /// The old address.
        from: String,
        /// The new address.
        to: String,
    },
    /// In both, with different attributes.
    Changed {
        /// The address.
        address: String,
        /// (attribute path, old value, new value); `None` where absent.
        attributes: Vec<(String, Option<String>, Option<String>)>,
        /// An identifying attribute changed: AWS cannot rename it in place.
        replaced_because: Option<String>,
    },
}

/// Blocks compared resource by resource.
const BLOCKS: &[(&str, &str)] = &[("resource", ""), ("data", "data.")];

/// Compares two documents; the other top-level blocks (`output`, `variable`, `provider`,
/// `terraform`, `locals`) are compared as `<block>.<name>` entries.
pub fn diff(old: &J, new: &J) -> Vec<Change> {
    let a = entries(old);
    let b = entries(new);
    let mut removed: Vec<(&String, &J)> = a.iter().filter(|(k, _)| !b.contains_key(*k)).collect();
    let mut added: Vec<(&String, &J)> = b.iter().filter(|(k, _)| !a.contains_key(*k)).collect();
    let mut changes = Vec::new();
    // A body that disappeared under one address and appeared under another of the same type
    // is a rename.
    removed.retain(|(old_addr, old_body)| {
        let kind = type_of(old_addr);
        match added
            .iter()
            .position(|(new_addr, new_body)| type_of(new_addr) == kind && new_body == old_body)
        {
            Some(i) => {
                let (new_addr, _) = added.remove(i);
                changes.push(Change::Renamed {
                    from: (*old_addr).clone(),
                    to: new_addr.clone(),
                });
                false
            }
            None => true,
        }
    });
    changes.extend(removed.into_iter().map(|(k, _)| Change::Removed(k.clone())));
    changes.extend(added.into_iter().map(|(k, _)| Change::Added(k.clone())));
    for (address, old_body) in &a {
        let Some(new_body) = b.get(address) else {
            continue;
        };
        if old_body == new_body {
            continue;
        }
        let mut before = BTreeMap::new();
        let mut after = BTreeMap::new();
        flatten("", old_body, &mut before);
        flatten("", new_body, &mut after);
        let mut paths: Vec<&String> = before.keys().chain(after.keys()).collect();
        paths.sort();
        paths.dedup();
        let hidden = |p: &str| is_sensitive(address, p, old_body, new_body);
        let mask = |p: &String, v: Option<&String>| {
            v.map(|v| {
                if hidden(p) {
                    SENSITIVE.to_owned()
                } else {
                    v.clone()
                }
            })
        };
        let attributes: Vec<_> = paths
            .into_iter()
            .filter(|p| before.get(*p) != after.get(*p))
            .map(|p| (p.clone(), mask(p, before.get(p)), mask(p, after.get(p))))
            .collect();
        let replaced_because = attributes
            .iter()
            .map(|(p, _, _)| p)
            .find(|p| is_identity(p))
            .map(|p| format!("`{p}` changed, and AWS cannot rename this resource in place"));
        changes.push(Change::Changed {
            address: address.clone(),
            attributes,
            replaced_because,
        });
    }
    changes.sort_by(|x, y| sort_key(x).cmp(&sort_key(y)));
    changes
}

fn sort_key(c: &Change) -> (&str, u8) {
    match c {
        Change::Removed(a) => (a, 0),
        Change::Renamed { to, .. } => (to, 1),
        Change::Added(a) => (a, 2),
        Change::Changed { address, .. } => (address, 3),
    }
}

fn type_of(address: &str) -> &str {
    address.rsplit_once('.').map(|(t, _)| t).unwrap_or(address)
}

/// Whether the attribute `path` (as [`diff`] names it: `a.b[0].c`) of the entry `address`
/// holds a sensitive value: an argument the provider schema marks sensitive (the generated
/// [`SENSITIVE_ARGUMENTS`], `aws_x` or `data.aws_x`), or anything under one, or the value of
/// a `sensitive` output or the default of a `sensitive` variable (on either side).
pub fn is_sensitive(address: &str, path: &str, old_body: &J, new_body: &J) -> bool {
    let marked = || {
        [old_body, new_body]
            .iter()
            .any(|b| b.get("sensitive") == Some(&J::Bool(true)))
    };
    let under =
        |p: &str, arg: &str| p == arg || p.strip_prefix(arg).is_some_and(|r| r.starts_with('.'));
    if address.starts_with("output.") {
        return under(path, "value") && marked();
    }
    if address.starts_with("variable.") {
        return under(path, "default") && marked();
    }
    let kind = type_of(address);
    // `a[0].b[12].c` → `a.b.c`, as the table writes paths through nested blocks.
    let mut plain = String::with_capacity(path.len());
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => skipping = true,
            ']' => skipping = false,
            c if !skipping => plain.push(c),
            _ => {}
        }
    }
    let start = SENSITIVE_ARGUMENTS.partition_point(|(t, _)| *t < kind);
    SENSITIVE_ARGUMENTS[start..]
        .iter()
        .take_while(|(t, _)| *t == kind)
        .any(|(_, arg)| under(&plain, arg))
}

/// The Rust line that keeps a renamed resource: `stack.moved("<from>", &<name>);`, where
/// `<name>` stands for the handle the new address was added with (its name, the part after
/// the type).
pub fn moved_line(from: &str, to: &str) -> String {
    format!("stack.moved({from:?}, &{});", name_of(to))
}

/// The name part of an address (`aws_s3_bucket.logs` → `logs`).
pub fn name_of(address: &str) -> &str {
    address.rsplit_once('.').map(|(_, n)| n).unwrap_or(address)
}

/// Whether an entry of [`diff`] is a managed resource (`aws_x.name`), the only kind a `moved`
/// block applies to: not `data.…`, `output.…`, `variable.…` or another top-level block.
pub fn is_managed(address: &str) -> bool {
    let first = address.split('.').next().unwrap_or("");
    address.contains('.')
        && !matches!(
            first,
            "data"
                | "ephemeral"
                | "output"
                | "variable"
                | "provider"
                | "locals"
                | "terraform"
                | "module"
                | "moved"
                | "import"
                | "removed"
                | "check"
        )
}

/// Attributes that name a resource in AWS; changing one means a new resource.
fn is_identity(path: &str) -> bool {
    matches!(
        path,
        "name"
            | "function_name"
            | "bucket"
            | "replication_group_id"
            | "dashboard_name"
            | "endpoint_config_name"
            | "compute_environment_name"
            | "family"
            | "engine"
            | "cidr_block"
            | "availability_zone"
            | "vpc_id"
            | "service_name"
            | "role"
            | "type"
    )
}

fn entries(doc: &J) -> BTreeMap<String, J> {
    let mut out = BTreeMap::new();
    let Some(top) = doc.as_object() else {
        return out;
    };
    for (block, value) in top {
        if block == "//" {
            continue;
        }
        if let Some((_, prefix)) = BLOCKS.iter().find(|(b, _)| b == block) {
            for (ty, names) in value.as_object().into_iter().flatten() {
                for (name, body) in names.as_object().into_iter().flatten() {
                    out.insert(format!("{prefix}{ty}.{name}"), body.clone());
                }
            }
        } else if let Some(items) = value.as_object() {
            for (name, body) in items {
                out.insert(format!("{block}.{name}"), body.clone());
            }
        } else {
            out.insert(block.clone(), value.clone());
        }
    }
    out
}

fn flatten(prefix: &str, value: &J, out: &mut BTreeMap<String, String>) {
    match value {
        J::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        J::Array(items) if !items.is_empty() && items.iter().any(|i| i.is_object()) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

/// The report a reviewer reads: one line per resource, attributes indented.
pub fn render(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes\n".to_owned();
    }
    let mut out = String::new();
    for c in changes {
        match c {
            Change::Added(a) => out.push_str(&format!("+ {a} (added)\n")),
            Change::Removed(a) => out.push_str(&format!("- {a} (removed)\n")),
            Change::Renamed { from, to } => {
                out.push_str(&format!(
                    "-/+ {from} → {to} (replaced: same body under a new name; add a `moved` block to keep it)\n"
                ));
                if is_managed(to) {
                    out.push_str(&format!(
                        "    {}  // `{}`: the handle `stack.add` returned for {to}\n",
                        moved_line(from, to),
                        name_of(to)
                    ));
                }
            }
            Change::Changed {
                address,
                attributes,
                replaced_because,
            } => {
                match replaced_because {
                    Some(why) => out.push_str(&format!("-/+ {address} (replaced: {why})\n")),
                    None => out.push_str(&format!("~ {address} (changed)\n")),
                }
                for (path, old, new) in attributes {
                    out.push_str(&format!(
                        "    {path}: {} → {}\n",
                        old.as_deref().unwrap_or("(absent)"),
                        new.as_deref().unwrap_or("(absent)")
                    ));
                }
            }
        }
    }
    let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count();
    out.push_str(&format!(
        "{} added, {} removed, {} replaced, {} changed\n",
        count(|c| matches!(c, Change::Added(_))),
        count(|c| matches!(c, Change::Removed(_))),
        count(|c| matches!(
            c,
            Change::Renamed { .. }
                | Change::Changed {
                    replaced_because: Some(_),
                    ..
                }
        )),
        count(|c| matches!(
            c,
            Change::Changed {
                replaced_because: None,
                ..
            }
        )),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_each_kind_of_change() {
        let old = json!({"resource": {"aws_s3_bucket": {
            "a": {"bucket": "x"}, "b": {"bucket": "y", "tags": {"k": "1"}}, "c": {"bucket": "z"},
            "r": {"force_destroy": true}
        }}});
        let new = json!({"resource": {"aws_s3_bucket": {
            "b": {"bucket": "y", "tags": {"k": "2"}}, "c": {"bucket": "z2"},
            "d": {"bucket": "new"}, "r2": {"force_destroy": true}
        }}});
        let text = render(&diff(&old, &new));
        assert_eq!(
            text,
            "- aws_s3_bucket.a (removed)\n\
             ~ aws_s3_bucket.b (changed)\n    tags.k: \"1\" → \"2\"\n\
             -/+ aws_s3_bucket.c (replaced: `bucket` changed, and AWS cannot rename this resource in place)\n    bucket: \"z\" → \"z2\"\n\
             + aws_s3_bucket.d (added)\n\
             -/+ aws_s3_bucket.r → aws_s3_bucket.r2 (replaced: same body under a new name; add a `moved` block to keep it)\n\
             \x20   stack.moved(\"aws_s3_bucket.r\", &r2);  // `r2`: the handle `stack.add` returned for aws_s3_bucket.r2\n\
             1 added, 1 removed, 2 replaced, 1 changed\n"
        );
        assert_eq!(render(&diff(&new, &new)), "no changes\n");
    }
}
