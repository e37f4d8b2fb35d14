//! Which service module (and cargo feature) a Terraform type goes into: `services.json`.
//!
//! The rule: the longest key of `prefixes` that matches the type name gives the module; a
//! key matches a name equal to it, a name starting with it when the key ends in `_`, or a
//! name starting with the key followed by `_`. Otherwise the module is the word after the
//! provider's prefix (`aws_dynamodb_table` → `dynamodb`), which must be a key of `services`
//! — unless `services` is empty (a provider without a `services.json`), where every such
//! word is a module of its own (`random_password` → `password`).

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde::Deserialize;

/// `services.json`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Services {
    /// Free-form explanation, ignored.
    #[serde(default, rename = "_comment")]
    pub comment: serde_json::Value,
    /// Module name → human-friendly service name (the module's doc).
    pub services: BTreeMap<String, String>,
    /// Type-name prefix → module, for the types the default rule places wrongly.
    pub prefixes: BTreeMap<String, String>,
}

fn matches(name: &str, key: &str) -> bool {
    name == key
        || (key.ends_with('_') && name.starts_with(key))
        || name
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('_'))
}

impl Services {
    /// The module of Terraform type `name` of the provider whose types start with `prefix`
    /// (`aws_`), and the `prefixes` key that placed it, if any.
    pub fn module_of<'a>(
        &'a self,
        name: &'a str,
        prefix: &str,
    ) -> Result<(&'a str, Option<&'a str>)> {
        let best = self
            .prefixes
            .iter()
            .filter(|(key, _)| matches(name, key))
            .max_by_key(|(key, _)| key.len());
        if let Some((key, module)) = best {
            if !self.services.contains_key(module) {
                bail!("services.json: prefix `{key}` names module `{module}`, which `services` does not list");
            }
            return Ok((module.as_str(), Some(key.as_str())));
        }
        let word = match name.strip_prefix(prefix) {
            Some(rest) if !rest.is_empty() => rest,
            _ => name,
        }
        .split('_')
        .next()
        .unwrap_or_default();
        if self.services.is_empty() {
            return Ok((word, None));
        }
        match self.services.get_key_value(word) {
            Some((module, _)) => Ok((module.as_str(), None)),
            None => bail!(
                "`{name}` belongs to no service: its first word `{word}` is not a module in services.json; add `\"{word}\"` to `services`, or a prefix for it to `prefixes`"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Services {
        serde_json::from_value(serde_json::json!({
            "services": {"dynamodb": "DynamoDB", "elbv2": "ELB", "vpc": "VPC", "lbx": "x"},
            "prefixes": {"aws_lb": "elbv2", "aws_vpc": "vpc", "aws_subnet": "vpc"}
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn longest_prefix_then_first_word() -> Result<()> {
        let t = table();
        assert_eq!(t.module_of("aws_dynamodb_table", "aws_")?.0, "dynamodb");
        assert_eq!(t.module_of("aws_lb", "aws_")?.0, "elbv2");
        assert_eq!(t.module_of("aws_lb_listener", "aws_")?.0, "elbv2");
        assert_eq!(t.module_of("aws_lbx_thing", "aws_")?.0, "lbx");
        assert_eq!(t.module_of("aws_subnet_x", "aws_")?.0, "vpc");
        // `aws_subnet` is no prefix of `aws_subnets`: keys match whole words.
        assert!(t.module_of("aws_subnets", "aws_").is_err());
        Ok(())
    }

    #[test]
    fn without_a_table_each_first_word_is_a_module() -> Result<()> {
        let t = Services::default();
        assert_eq!(t.module_of("random_password", "random_")?.0, "password");
        assert_eq!(
            t.module_of("local_sensitive_file", "local_")?.0,
            "sensitive"
        );
        // A type named like its provider is a module of that name.
        assert_eq!(t.module_of("null", "null_")?.0, "null");
        Ok(())
    }
}
