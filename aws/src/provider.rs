//! Conveniences on top of the generated [`AwsProvider`]: a region-first constructor, an
//! alias, one default tag at a time, static credentials and the settings of an AWS API
//! emulator. Every argument and block of the provider has its own generated setter.

use oxiform_core::body::Body;
use oxiform_core::provider::ProviderConfig;
use oxiform_core::value::Value;

pub use crate::generated::provider::{aws_provider, AwsProvider};

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

impl AwsProvider {
    /// A configuration for `region`.
    ///
    /// ```
    /// use oxiform_aws::provider::{aws_provider::AssumeRole, AwsProvider};
    /// use oxiform_core::prelude::*;
    /// let mut stack = Stack::new("demo");
    /// stack.provider(
    ///     AwsProvider::new("eu-west-1")
    ///         .default_tag("Team", "ml-platform")
    ///         .assume_role(AssumeRole::new().role_arn("arn:aws:iam::123456789012:role/deploy")),
    /// );
    /// let west = stack.provider(AwsProvider::new("us-west-2").alias("west"));
    /// assert_eq!(west.to_string(), "aws.west");
    /// ```
    pub fn new(region: impl Into<Value<String>>) -> Self {
        AwsProvider(Body::new().with("region", region.into()), None)
    }

    /// A configuration with no argument set: the region comes from the environment
    /// (`AWS_REGION`) or the shared configuration files.
    pub fn from_environment() -> Self {
        AwsProvider(Body::new(), None)
    }

    /// Names this configuration (`alias`), for resources that opt in with
    /// [`ResourceExt::provider`](oxiform_core::ResourceExt::provider).
    pub fn alias(self, alias: impl Into<String>) -> Self {
        AwsProvider(self.0, Some(alias.into()))
    }

    /// Adds one tag to the provider's `default_tags`, which every taggable resource gets.
    pub fn default_tag(self, key: &str, value: impl Into<Value<String>>) -> Self {
        let value = value.into();
        AwsProvider(
            self.0.with_in_block("default_tags", |tags| {
                tags.with_entry::<String>("tags", key, value)
            }),
            self.1,
        )
    }

    /// Static credentials (for an emulator; never commit real keys).
    pub fn static_credentials(self, access_key: &str, secret_key: &str) -> Self {
        self.access_key(access_key).secret_key(secret_key)
    }

    /// Points every listed service (an `endpoints` key, such as `s3` or `dynamodb`) at
    /// `url` and sets what an AWS API emulator needs: no credential, metadata or region
    /// checks, path-style S3, and at most three attempts per call (`EMULATOR_MAX_ATTEMPTS`
    /// says why). The account id is still requested (from the emulator's STS): without it
    /// the provider cannot build some ARNs and reports drift on rules that reference a
    /// security group.
    pub fn emulator(self, url: &str, services: &[&'static str]) -> Self {
        let url = Value::from(url);
        let configured = self
            .skip_credentials_validation(true)
            .skip_metadata_api_check("true")
            .skip_region_validation(true)
            .s3_use_path_style(true)
            .max_retries(EMULATOR_MAX_ATTEMPTS);
        AwsProvider(
            configured.0.with_in_block("endpoints", |mut endpoints| {
                for service in services {
                    endpoints = endpoints.with(service, url.clone());
                }
                endpoints
            }),
            configured.1,
        )
    }
}

impl From<AwsProvider> for ProviderConfig {
    fn from(p: AwsProvider) -> Self {
        let config = ProviderConfig::new("aws", p.0);
        match p.1 {
            Some(alias) => config.alias(alias),
            None => config,
        }
    }
}
