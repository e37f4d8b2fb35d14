//! The usage file (`cost --usage FILE`): how much of what a resource billed by use is
//! expected to use in a month, keyed by resource address.
//!
//! ```json
//! {
//!   "resources": {
//!     "aws_lambda_function.api": { "requests": 5000000, "gb_seconds": 400000 },
//!     "aws_nat_gateway.a": { "data_gb": 300 },
//!     "aws_lb.web": { "lcus": 2 }
//!   }
//! }
//! ```
//!
//! Each type has its keys (`analysis/PRICED.md` lists them); a key a type does not have is an
//! error that names the keys it has. An address the document does not have is a note, so
//! that one file can serve every stack of an app.
//!
//! ```
//! use oxiform_analysis::cost::usage::UsageFile;
//!
//! let usage = UsageFile::from_json(r#"{"resources": {"aws_nat_gateway.a": {"data_gb": 300}}}"#, "u.json").unwrap();
//! assert_eq!(usage.get("aws_nat_gateway.a", "data_gb"), Some(300.0));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use oxiform_core::diagnostic::{Diagnostic, ToDiagnostic};
use serde::Deserialize;

use super::document::TfDocument;
use super::rules::usage_keys;

/// A usage file: quantities a month by resource address and key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UsageFile {
    /// The file's name, for messages.
    pub source_name: String,
    /// Quantities by address, then key.
    pub resources: BTreeMap<String, BTreeMap<String, f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    resources: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
}

/// A usage file that cannot be used.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum UsageError {
    /// Not a usage file.
    Json {
        /// The file.
        source_name: String,
        /// serde_json's message.
        message: String,
    },
    /// A quantity that is not a non-negative number.
    Value {
        /// The file.
        source_name: String,
        /// The resource address.
        address: String,
        /// The key.
        key: String,
        /// The value, as written.
        value: String,
    },
    /// A key the resource's type does not have.
    UnknownKey {
        /// The file.
        source_name: String,
        /// The resource address.
        address: String,
        /// The key.
        key: String,
        /// The keys the type has (empty when it is not billed by use).
        known: Vec<String>,
    },
}

impl ToDiagnostic for UsageError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            UsageError::Json { source_name, message } => Diagnostic::error(message)
                .lead(format!("usage file {source_name} cannot be read"))
                .hint(r#"the format is {"resources": {"ADDRESS": {"KEY": NUMBER, …}}}, e.g. {"resources": {"aws_nat_gateway.a": {"data_gb": 300}}}"#),
            UsageError::Value { source_name, address, key, value } => {
                Diagnostic::error(format!("{key} is {value}, not a non-negative number"))
                    .lead(format!("usage file {source_name}: {address}"))
                    .hint("give a quantity a month (or an average), e.g. 300")
            }
            UsageError::UnknownKey { source_name, address, key, known } => {
                let d = Diagnostic::error(format!("{address} has no usage key {key:?}"))
                    .lead(format!("usage file {source_name}"));
                if known.is_empty() {
                    d.hint("this resource is not billed by use; remove its entry")
                } else {
                    d.hint(format!("its keys are {}", known.join(", ")))
                }
            }
        }
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for UsageError {}

impl UsageFile {
    /// A usage file from its text; `source_name` names it in messages.
    pub fn from_json(text: &str, source_name: &str) -> Result<UsageFile, UsageError> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| UsageError::Json {
            source_name: source_name.to_owned(),
            message: e.to_string(),
        })?;
        let mut resources = BTreeMap::new();
        for (address, keys) in raw.resources {
            let mut quantities = BTreeMap::new();
            for (key, value) in keys {
                match value.as_f64() {
                    Some(n) if n.is_finite() && n >= 0.0 => {
                        quantities.insert(key, n);
                    }
                    _ => {
                        return Err(UsageError::Value {
                            source_name: source_name.to_owned(),
                            address,
                            key,
                            value: value.to_string(),
                        })
                    }
                }
            }
            resources.insert(address, quantities);
        }
        Ok(UsageFile {
            source_name: source_name.to_owned(),
            resources,
        })
    }

    /// Checks every key against the usage keys of the resource's type; returns a note per
    /// address `doc` does not have.
    pub fn check(&self, doc: &TfDocument) -> Result<Vec<String>, UsageError> {
        let mut notes = Vec::new();
        let resources = doc.resources();
        for (address, quantities) in &self.resources {
            let Some(r) = resources.iter().find(|r| r.address() == *address) else {
                notes.push(format!(
                    "usage file {}: {address} is not in this document (left out)",
                    self.source_name
                ));
                continue;
            };
            let known: Vec<String> = usage_keys(r).iter().map(|k| k.key.to_owned()).collect();
            if let Some(key) = quantities.keys().find(|k| !known.contains(k)) {
                return Err(UsageError::UnknownKey {
                    source_name: self.source_name.clone(),
                    address: address.clone(),
                    key: key.clone(),
                    known,
                });
            }
        }
        Ok(notes)
    }

    /// The quantity of `key` for `address`.
    pub fn get(&self, address: &str, key: &str) -> Option<f64> {
        self.resources.get(address)?.get(key).copied()
    }
}
