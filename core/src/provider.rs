//! Provider configurations (`provider "aws" { … }`) and references to them.

use std::fmt;

use indexmap::IndexMap;
use serde::Serialize;

use crate::value::{Map, Value};

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

/// How many times the provider tries one call against an AWS API emulator
/// (`max_retries`, which the provider counts as attempts, the first included).
///
/// More than one: on a loaded machine the Go HTTP client now and then loses a kept-alive
/// connection to the emulator while it reads an answer (`use of closed network connection`,
/// aws/aws-sdk-go-v2#2737), and the AWS SDK retries exactly that error. Few: a call the
/// emulator does not implement is retried too, and the provider's default of 25 attempts
/// with back-off would hold an apply for minutes before it reports the error; three attempts
/// wait at most six seconds between them (the SDK's jittered back-off: up to 2 s, then 4 s).
const EMULATOR_MAX_ATTEMPTS: i64 = 3;

/// `default_tags { tags = {…} }` of the AWS provider.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DefaultTags {
    tags: Value<Map<String>>,
}

/// One `provider "aws"` configuration.
///
/// ```
/// use oxiform_core::prelude::*;
/// let mut stack = Stack::new("demo");
/// stack.aws_provider(AwsProvider::new("eu-west-1").default_tag("Team", "ml-platform"));
/// let west = stack.aws_provider(AwsProvider::new("us-west-2").alias("west"));
/// assert_eq!(west.to_string(), "aws.west");
/// ```
#[must_use = "a provider is configured only after `stack.aws_provider(..)`"]
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct AwsProvider {
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Value<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_key: Option<Value<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<Value<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_account_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_tags: Option<DefaultTags>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_retries: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_credentials_validation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_metadata_api_check: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_region_validation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s3_use_path_style: Option<bool>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    endpoints: IndexMap<String, String>,
}

impl AwsProvider {
    /// A configuration for `region`.
    pub fn new(region: impl Into<Value<String>>) -> Self {
        AwsProvider {
            region: Some(region.into()),
            ..Default::default()
        }
    }
    /// Names this configuration (`alias`), for resources that opt in with
    /// [`ResourceExt::provider`](crate::ResourceExt::provider).
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }
    /// Adds a tag applied to every taggable resource (`default_tags`).
    pub fn default_tag(mut self, key: &str, value: impl Into<Value<String>>) -> Self {
        let tags = self.default_tags.get_or_insert_with(|| DefaultTags {
            tags: Value::Literal(IndexMap::new()),
        });
        tags.tags.insert(key.to_owned(), value.into());
        self
    }
    /// Refuses to run against any account not listed (`allowed_account_ids`).
    pub fn allowed_account_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.allowed_account_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }
    /// Static credentials (for an emulator; never commit real keys).
    pub fn static_credentials(mut self, access_key: &str, secret_key: &str) -> Self {
        self.access_key = Some(access_key.into());
        self.secret_key = Some(secret_key.into());
        self
    }
    /// Points every listed service at `url` and sets what an AWS API emulator needs: no
    /// credential, metadata or region checks, path-style S3, and at most three attempts per
    /// call (`EMULATOR_MAX_ATTEMPTS` says why). The account id is still requested (from the
    /// emulator's STS): without it the provider cannot build some ARNs and reports drift on
    /// rules that reference a security group.
    pub fn emulator(mut self, url: &str, services: &[&str]) -> Self {
        self.skip_credentials_validation = Some(true);
        self.skip_metadata_api_check = Some(true);
        self.skip_region_validation = Some(true);
        self.s3_use_path_style = Some(true);
        self.max_retries = Some(EMULATOR_MAX_ATTEMPTS);
        for service in services {
            self.endpoints.insert((*service).to_owned(), url.to_owned());
        }
        self
    }

    pub(crate) fn reference(&self) -> ProviderRef {
        ProviderRef {
            name: "aws",
            alias: self.alias.clone(),
        }
    }
}
