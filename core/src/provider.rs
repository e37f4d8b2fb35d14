//! Provider configurations (`provider "aws" { … }`) and references to them.
//!
//! The core knows no provider's arguments: a configuration is a name, an optional alias and
//! a [`Body`]. The typed AWS configuration (`oxiform_aws::AwsProvider`, generated from the
//! provider schema with conveniences on top) converts into a [`ProviderConfig`].

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::body::Body;

/// The pinned version of the AWS provider that generated code and stacks target.
pub const AWS_PROVIDER_VERSION: &str = "5.100.0";
/// The registry source of the AWS provider.
pub const AWS_PROVIDER_SOURCE: &str = "hashicorp/aws";

/// Points a resource at one provider configuration: `aws` or `aws.<alias>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRef {
    pub(crate) name: &'static str,
    pub(crate) alias: Option<String>,
}

impl fmt::Display for ProviderRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.alias {
            Some(alias) => write!(f, "{}.{}", self.name, alias),
            None => f.write_str(self.name),
        }
    }
}

/// One `provider "<name>"` block as the stack writes it: `alias` first, then the arguments
/// in name order.
///
/// Stacks pass a typed configuration (`AwsProvider`) to
/// [`Stack::provider`](crate::Stack::provider); building one by hand is for providers that
/// have no generated type.
///
/// ```
/// use oxiform_core::body::Body;
/// use oxiform_core::prelude::*;
/// use oxiform_core::provider::ProviderConfig;
/// let mut stack = Stack::new("demo");
/// let west = stack.provider(
///     ProviderConfig::new("aws", Body::new().with("region", Value::from("us-west-2"))).alias("west"),
/// );
/// assert_eq!(west.to_string(), "aws.west");
/// ```
#[must_use = "a provider is configured only after `stack.provider(..)`"]
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    name: &'static str,
    alias: Option<String>,
    body: Body,
}

impl ProviderConfig {
    /// A configuration of provider `name` (the local name in `required_providers`, `aws`)
    /// with the arguments in `body`.
    pub fn new(name: &'static str, body: Body) -> Self {
        ProviderConfig {
            name,
            alias: None,
            body,
        }
    }

    /// Names this configuration (`alias`), for resources that opt in with
    /// [`ResourceExt::provider`](crate::ResourceExt::provider).
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// The provider's local name (`aws`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The arguments, for tests and tools that inspect a configuration.
    pub fn body(&self) -> &Body {
        &self.body
    }

    pub(crate) fn reference(&self) -> ProviderRef {
        ProviderRef {
            name: self.name,
            alias: self.alias.clone(),
        }
    }
}

impl Serialize for ProviderConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(alias) = &self.alias {
            map.serialize_entry("alias", alias)?;
        }
        self.body.serialize_entries(&mut map)?;
        map.end()
    }
}
