//! Where Terraform keeps state: the `terraform { backend … }` block.

use serde::Serialize;

/// The state backend of a stack. Local by default.
///
/// ```
/// use oxiform_core::prelude::*;
/// let mut stack = Stack::new("prod");
/// stack.backend(Backend::s3("acme-tf-state", "ai/prod.tfstate", "eu-west-1"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Backend {
    /// `terraform.tfstate` next to `main.tf.json` (Terraform's default).
    #[default]
    Local,
    /// A local state file at another path.
    LocalPath(String),
    /// An S3 bucket with S3-native locking (`use_lockfile = true`, no DynamoDB table).
    S3(S3Backend),
}

/// Settings of the S3 backend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct S3Backend {
    bucket: String,
    key: String,
    region: String,
    encrypt: bool,
    use_lockfile: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoints: Option<S3Endpoints>,
    /// Only for an emulator, which accepts any: its well-known test credentials, so that a
    /// local app (and the stacks reading its state) needs no AWS credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    access_key: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<&'static str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    use_path_style: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip_credentials_validation: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip_requesting_account_id: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip_metadata_api_check: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip_region_validation: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct S3Endpoints {
    s3: String,
}

impl Backend {
    /// An S3 backend with encryption and S3-native state locking on.
    pub fn s3(bucket: &str, key: &str, region: &str) -> S3Backend {
        S3Backend {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            region: region.to_owned(),
            encrypt: true,
            use_lockfile: true,
            endpoints: None,
            access_key: None,
            secret_key: None,
            use_path_style: false,
            skip_credentials_validation: false,
            skip_requesting_account_id: false,
            skip_metadata_api_check: false,
            skip_region_validation: false,
        }
    }
}

impl From<S3Backend> for Backend {
    fn from(s3: S3Backend) -> Self {
        Backend::S3(s3)
    }
}

impl S3Backend {
    /// Points the backend at an S3 emulator with the checks an emulator cannot answer off,
    /// and the emulator's test credentials (`test`/`test`), which it accepts whatever they
    /// are: nothing secret is written.
    pub fn emulator(mut self, url: &str) -> Self {
        self.endpoints = Some(S3Endpoints { s3: url.to_owned() });
        self.access_key = Some("test");
        self.secret_key = Some("test");
        self.use_path_style = true;
        self.skip_credentials_validation = true;
        self.skip_requesting_account_id = true;
        self.skip_metadata_api_check = true;
        self.skip_region_validation = true;
        self
    }
}

#[derive(Serialize)]
pub(crate) struct LocalSettings<'a> {
    pub(crate) path: &'a str,
}
