//! Per-environment configuration (`stacks/config/<env>.json`): everything that differs between
//! `dev` and `prod`. Validated against the JSON Schema generated from these types
//! (`cargo run -p stacks -- schema`), then checked for what a schema cannot say (min ≤ max,
//! valid cron and time zone, instance families, names AWS accepts); a bad file is refused
//! with the file, the JSON path and a fix, and nothing is written.

use std::fmt;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use oxiform::diagnostic::{Diagnostic, ToDiagnostic};
use oxiform::schedule::{Schedule, ScheduleError, TimeZone};
use schemars::JsonSchema;
use serde::Deserialize;

/// One environment of the AI-inference stack.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvConfig {
    /// JSON Schema reference for editors; ignored.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// AWS region, e.g. `us-east-1`.
    pub region: String,
    /// AWS account ids this environment may be deployed to (checked before plan/apply).
    #[serde(default)]
    pub account_ids: Vec<String>,
    /// Prefix of every physical name, e.g. `ai-prod` (lowercase, digits, hyphens; ≤ 20 chars).
    pub name_prefix: String,
    /// Tags applied to every taggable resource through the provider's `default_tags`.
    #[serde(default)]
    pub tags: IndexMap<String, String>,
    /// The model tiers.
    pub models: Models,
    /// The Bedrock model the router falls back to for the hardest requests.
    pub bedrock_fallback_model: String,
    /// Demand-based scaling of the large model's primary variant.
    pub autoscaling: Autoscaling,
    /// Scheduled scaling (night scale-down, morning scale-up).
    pub schedule: ScheduledScaling,
    /// The managed-scaling batch variant (the article's `batch_spot`, which is scaling, not spot).
    pub batch_variant: BatchVariant,
    /// Weekly batch inference on AWS Batch spot GPU capacity.
    pub spot_batch: SpotBatch,
    /// Scheduled SageMaker batch transform (Step Functions + Scheduler).
    pub batch_transform: BatchTransform,
    /// The Redis response cache.
    pub cache: Cache,
    /// The VPC for the cache, the router and the VPC endpoints.
    pub network: Network,
    /// The router Lambda.
    pub router: Router,
    /// Where the Terraform state of the environment's stacks lives.
    pub state: State,
}

/// The small and large SageMaker tiers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Models {
    /// Complex requests.
    pub large: ModelTier,
    /// Simple requests.
    pub small: ModelTier,
}

/// One SageMaker real-time endpoint tier.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelTier {
    /// Endpoint name, e.g. `llama-70b-complex` (letters, digits, hyphens; ≤ 56 chars).
    pub endpoint_name: String,
    /// Inference container image URI.
    pub image: String,
    /// S3 URI of the model artefacts (optional for images that bundle the model).
    #[serde(default)]
    pub model_data_url: Option<String>,
    /// Container environment (e.g. the Hugging Face model id).
    #[serde(default)]
    pub environment: IndexMap<String, String>,
    /// SageMaker instance type, `ml.*`.
    pub instance_type: String,
    /// Instances at creation.
    pub instance_count: u32,
    /// `ModelTier` tag, e.g. `premium` / `economy`.
    pub tier_tag: String,
    /// `CostPerRequest` tag, e.g. `high` / `low`.
    pub cost_tag: String,
}

/// Target tracking on invocations per instance.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Autoscaling {
    /// Fewest instances (SageMaker variants: at least 1).
    pub min_capacity: u32,
    /// Most instances.
    pub max_capacity: u32,
    /// Target `SageMakerVariantInvocationsPerInstance` (per minute).
    pub target_invocations_per_instance: f64,
    /// Seconds to wait after a scale-in.
    pub scale_in_cooldown_seconds: u32,
    /// Seconds to wait after a scale-out.
    pub scale_out_cooldown_seconds: u32,
}

/// Scheduled capacity changes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledScaling {
    /// IANA time zone the cron expressions are read in, e.g. `UTC` or `Europe/Berlin`.
    pub timezone: String,
    /// Evening scale-down.
    pub night: ScheduledCapacity,
    /// Morning scale-up.
    pub morning: ScheduledCapacity,
}

/// One scheduled action.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledCapacity {
    /// AWS schedule expression, e.g. `cron(0 22 * * ? *)`.
    pub cron: String,
    /// Minimum capacity from then on.
    pub min_capacity: u32,
    /// Maximum capacity from then on.
    pub max_capacity: u32,
}

/// The managed-instance-scaling variant.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchVariant {
    /// SageMaker instance type, `ml.*`.
    pub instance_type: String,
    /// Managed scaling floor.
    pub min_instances: u32,
    /// Managed scaling ceiling.
    pub max_instances: u32,
}

/// AWS Batch on spot GPU instances.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpotBatch {
    /// EC2 GPU instance types, e.g. `g5.xlarge`.
    pub instance_types: Vec<String>,
    /// Ceiling of the compute environment in vCPUs.
    pub max_vcpus: u32,
    /// Container image of the batch inference job.
    pub image: String,
    /// vCPUs per job.
    pub job_vcpus: u32,
    /// Memory per job in MiB.
    pub job_memory_mib: u32,
    /// GPUs per job.
    pub job_gpus: u32,
    /// When the weekly run starts, e.g. `cron(0 2 ? * SUN *)`.
    pub schedule: String,
}

/// Scheduled SageMaker batch transform.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchTransform {
    /// When it runs, e.g. `cron(0 3 ? * SUN *)`.
    pub schedule: String,
    /// SageMaker instance type, `ml.*`.
    pub instance_type: String,
    /// Instances per job.
    pub instance_count: u32,
}

/// The Redis response cache.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cache {
    /// Node type, `cache.*`.
    pub node_type: String,
    /// Number of cache clusters (1 = no replica).
    pub num_cache_clusters: u32,
    /// Redis engine version.
    pub engine_version: String,
    /// Seconds a cached response lives (the router's TTL).
    pub ttl_seconds: u32,
}

/// The VPC.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The VPC's CIDR block.
    pub vpc_cidr: String,
    /// Private subnet CIDRs, one per availability zone (two at least).
    pub private_subnet_cidrs: Vec<String>,
}

/// The router Lambda.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Router {
    /// Timeout in seconds.
    pub timeout_seconds: u32,
    /// Memory in MB.
    pub memory_mb: u32,
    /// Complexity score from which requests go to the large tier.
    pub large_threshold: u32,
    /// Complexity score from which requests go to Bedrock.
    pub bedrock_threshold: u32,
}

/// Where the Terraform state of an environment's stacks lives: one S3 bucket, each stack's
/// state at `<prefix>/<stack>.tfstate`, locked with S3 lock files (no DynamoDB table). Every
/// stack of the environment's app reads the others' outputs from there.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// The S3 bucket, e.g. `ai-prod-tf-state` (made beforehand, with versioning; for the
    /// emulator environment the command line makes it).
    pub bucket: String,
    /// The folder of the environment's state files in the bucket, e.g. `ai-inference`
    /// (empty: the bucket's root).
    pub prefix: String,
    /// The bucket's region, e.g. `us-east-1`.
    pub region: String,
}

/// One problem in a configuration file.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProblem {
    /// JSON path of the bad value, e.g. `$.autoscaling.min_capacity`.
    pub path: String,
    /// What is wrong, quoting the value.
    pub problem: String,
    /// How to fix it.
    pub hint: String,
}

/// `at <path>: <problem>` with the hint under it.
impl ToDiagnostic for ConfigProblem {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(&self.problem)
            .lead(format!("at {}", self.path))
            .hint(&self.hint)
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// Every problem found.
    pub problems: Vec<ConfigProblem>,
}

/// `<file> has <n> problems:` with each problem listed under it, indented.
impl ToDiagnostic for ConfigError {
    fn to_diagnostic(&self) -> Diagnostic {
        let n = self.problems.len();
        Diagnostic::error(format!(
            "{} has {n} problem{}:",
            self.file.display(),
            if n == 1 { "" } else { "s" }
        ))
        .children(self.problems.iter().map(ToDiagnostic::to_diagnostic))
        .list_children()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for ConfigError {}

/// The folder holding `<env>.json`.
pub fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

/// Reads and validates `stacks/config/<env>.json`.
pub fn load(env: &str) -> Result<EnvConfig, ConfigError> {
    load_file(&config_dir().join(format!("{env}.json")))
}

/// Reads and validates one configuration file.
pub fn load_file(file: &Path) -> Result<EnvConfig, ConfigError> {
    let fail = |path: &str, problem: String, hint: &str| ConfigError {
        file: file.to_path_buf(),
        problems: vec![ConfigProblem {
            path: path.to_owned(),
            problem,
            hint: hint.to_owned(),
        }],
    };
    let text = std::fs::read_to_string(file).map_err(|e| {
        fail(
            "$",
            format!("cannot read the file: {e}"),
            "create it, or pick an environment that has a file in stacks/config/",
        )
    })?;
    parse(&text).map_err(|problems| ConfigError {
        file: file.to_path_buf(),
        problems,
    })
}

/// Parses and validates configuration text.
pub fn parse(text: &str) -> Result<EnvConfig, Vec<ConfigProblem>> {
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let config: EnvConfig = serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let inner = e.into_inner();
        let hint = if inner.to_string().starts_with("unknown field") {
            "remove the field or fix its spelling; `cargo run -p stacks -- schema` prints every allowed field"
        } else {
            "fix the value's type; `cargo run -p stacks -- schema` prints the expected shape"
        };
        vec![ConfigProblem {
            path,
            problem: strip_position(&inner.to_string()),
            hint: hint.to_owned(),
        }]
    })?;
    let problems = validate(&config);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

fn json_path(serde_path: &str) -> String {
    if serde_path == "." || serde_path.is_empty() {
        "$".to_owned()
    } else {
        format!("$.{serde_path}")
    }
}

/// serde_json appends ` at line L column C`; the JSON path says where more clearly.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Checks what the schema cannot express.
pub fn validate(c: &EnvConfig) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    let mut problem = |path: &str, problem: String, hint: &str| {
        problems.push(ConfigProblem {
            path: path.to_owned(),
            problem,
            hint: hint.to_owned(),
        })
    };
    if !is_region(&c.region) {
        problem(
            "$.region",
            format!("{:?} is not an AWS region", c.region),
            "write a region code such as \"us-east-1\" or \"eu-central-1\"",
        );
    }
    if let Some(why) = name_prefix_problem(&c.name_prefix) {
        problem(
            "$.name_prefix",
            format!("{:?} {why}", c.name_prefix),
            "use up to 20 lowercase letters, digits and single hyphens, starting with a letter, e.g. \"ai-prod\"",
        );
    }
    for (path, tier) in [
        ("models.large", &c.models.large),
        ("models.small", &c.models.small),
    ] {
        if let Some(why) = endpoint_name_problem(&tier.endpoint_name) {
            problem(
                &format!("$.{path}.endpoint_name"),
                format!("{:?} {why}", tier.endpoint_name),
                "use up to 56 letters, digits and hyphens, starting and ending with a letter or digit",
            );
        }
        if !tier.instance_type.starts_with("ml.") {
            problem(
                &format!("$.{path}.instance_type"),
                format!("{:?} is not a SageMaker instance type", tier.instance_type),
                "SageMaker instance types start with `ml.`, e.g. \"ml.g5.xlarge\"",
            );
        }
        if tier.instance_count == 0 {
            problem(
                &format!("$.{path}.instance_count"),
                "0 instances cannot serve requests".to_owned(),
                "use 1 or more",
            );
        }
    }
    if c.models.large.endpoint_name == c.models.small.endpoint_name {
        problem(
            "$.models.small.endpoint_name",
            format!(
                "{:?} is also the large tier's endpoint name",
                c.models.small.endpoint_name
            ),
            "give each tier its own endpoint name",
        );
    }
    for (path, t) in [
        (
            "batch_variant.instance_type",
            &c.batch_variant.instance_type,
        ),
        (
            "batch_transform.instance_type",
            &c.batch_transform.instance_type,
        ),
    ] {
        if !t.starts_with("ml.") {
            problem(
                &format!("$.{path}"),
                format!("{t:?} is not a SageMaker instance type"),
                "SageMaker instance types start with `ml.`, e.g. \"ml.g5.xlarge\"",
            );
        }
    }
    let a = &c.autoscaling;
    if a.min_capacity > a.max_capacity {
        problem(
            "$.autoscaling.min_capacity",
            format!(
                "min_capacity {} is greater than max_capacity {}",
                a.min_capacity, a.max_capacity
            ),
            "make min_capacity at most max_capacity",
        );
    }
    if let Err(e) = TimeZone::parse(&c.schedule.timezone) {
        problem("$.schedule.timezone", schedule_problem(&e), e.hint());
    }
    for (path, s) in [
        ("schedule.night", &c.schedule.night),
        ("schedule.morning", &c.schedule.morning),
    ] {
        if let Err(e) = Schedule::parse(&s.cron) {
            problem(&format!("$.{path}.cron"), schedule_problem(&e), e.hint());
        }
        if s.min_capacity > s.max_capacity {
            problem(
                &format!("$.{path}.min_capacity"),
                format!(
                    "min_capacity {} is greater than max_capacity {}",
                    s.min_capacity, s.max_capacity
                ),
                "make min_capacity at most max_capacity",
            );
        }
        if s.min_capacity < 1 {
            problem(
                &format!("$.{path}.min_capacity"),
                "0 instances: a SageMaker production variant cannot scale below 1 instance"
                    .to_owned(),
                "use 1; scaling to zero needs SageMaker inference components, not a variant",
            );
        }
    }
    if a.min_capacity < 1 {
        problem(
            "$.autoscaling.min_capacity",
            "0 instances: a SageMaker production variant cannot scale below 1 instance".to_owned(),
            "use 1; scaling to zero needs SageMaker inference components, not a variant",
        );
    }
    if a.scale_in_cooldown_seconds < a.scale_out_cooldown_seconds {
        problem(
            "$.autoscaling.scale_in_cooldown_seconds",
            format!(
                "scale-in cooldown {} s is shorter than scale-out cooldown {} s",
                a.scale_in_cooldown_seconds, a.scale_out_cooldown_seconds
            ),
            "scale in more slowly than out, so a burst does not flap capacity",
        );
    }
    let v = &c.batch_variant;
    if v.min_instances > v.max_instances || v.max_instances == 0 {
        problem(
            "$.batch_variant.max_instances",
            format!(
                "managed scaling from {} to {} instances is empty",
                v.min_instances, v.max_instances
            ),
            "max_instances must be at least 1 and at least min_instances",
        );
    }
    for (path, s) in [
        ("spot_batch.schedule", &c.spot_batch.schedule),
        ("batch_transform.schedule", &c.batch_transform.schedule),
    ] {
        if let Err(e) = Schedule::parse(s) {
            problem(&format!("$.{path}"), schedule_problem(&e), e.hint());
        }
    }
    for (i, t) in c.spot_batch.instance_types.iter().enumerate() {
        if t.starts_with("ml.") || !t.contains('.') {
            problem(
                &format!("$.spot_batch.instance_types[{i}]"),
                format!("{t:?} is not an EC2 instance type"),
                "AWS Batch runs EC2 instances, e.g. \"g5.xlarge\" (no `ml.` prefix)",
            );
        }
    }
    if !c.cache.node_type.starts_with("cache.") {
        problem(
            "$.cache.node_type",
            format!("{:?} is not an ElastiCache node type", c.cache.node_type),
            "ElastiCache node types start with `cache.`, e.g. \"cache.r6g.large\"",
        );
    }
    if !(1..=6).contains(&c.cache.num_cache_clusters) {
        problem(
            "$.cache.num_cache_clusters",
            format!("{} cache clusters", c.cache.num_cache_clusters),
            "use 1 (no replica) to 6",
        );
    }
    if c.network.private_subnet_cidrs.len() < 2 {
        problem(
            "$.network.private_subnet_cidrs",
            format!("{} subnet(s)", c.network.private_subnet_cidrs.len()),
            "give two private subnets at least, one per availability zone",
        );
    }
    if c.router.large_threshold >= c.router.bedrock_threshold {
        problem(
            "$.router.large_threshold",
            format!(
                "large_threshold {} is not below bedrock_threshold {}",
                c.router.large_threshold, c.router.bedrock_threshold
            ),
            "requests should reach the large tier before Bedrock: lower large_threshold",
        );
    }
    if let Some(why) = bucket_name_problem(&c.state.bucket) {
        problem(
            "$.state.bucket",
            format!("{:?} {why}", c.state.bucket),
            "use 3 to 63 lowercase letters, digits, hyphens and dots, starting and ending with a letter or digit, e.g. \"ai-prod-tf-state\"",
        );
    }
    if !is_region(&c.state.region) {
        problem(
            "$.state.region",
            format!("{:?} is not an AWS region", c.state.region),
            "write the bucket's region code, such as \"us-east-1\"",
        );
    }
    if c.state.prefix.starts_with('/')
        || c.state.prefix.ends_with('/')
        || c.state.prefix.contains("//")
        || c.state.prefix.chars().any(char::is_whitespace)
    {
        problem(
            "$.state.prefix",
            format!("{:?} is not a folder of S3 keys", c.state.prefix),
            "write folder names joined by single slashes, without a leading or trailing one, e.g. \"ai-inference\"",
        );
    }
    for (i, id) in c.account_ids.iter().enumerate() {
        if id.len() != 12 || !id.chars().all(|ch| ch.is_ascii_digit()) {
            problem(
                &format!("$.account_ids[{i}]"),
                format!("{id:?} is not an AWS account id"),
                "an account id is 12 digits",
            );
        }
    }
    problems
}

/// `us-east-1`, `us-gov-west-1`, `ap-southeast-2`: lowercase words joined by hyphens, the
/// first two letters, the last a number.
fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Why `bucket` cannot name an S3 bucket, if it cannot (the general-purpose bucket rules).
fn bucket_name_problem(bucket: &str) -> Option<String> {
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.';
    let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !(3..=63).contains(&bucket.len()) {
        Some(format!("is {} characters; S3 takes 3 to 63", bucket.len()))
    } else if !bucket.bytes().all(allowed) {
        Some("may hold only lowercase letters, digits, hyphens and dots".to_owned())
    } else if !bucket.starts_with(alphanumeric) || !bucket.ends_with(alphanumeric) {
        Some("must start and end with a letter or digit".to_owned())
    } else if bucket.contains("..") {
        Some("may not hold two dots in a row".to_owned())
    } else {
        None
    }
}

/// The longest name prefix: batch transform jobs are named `<prefix>-batch-<execution>`, the
/// execution name is a 36-character UUID, and a transform job name has at most 63.
const NAME_PREFIX_MAX: usize = 63 - "-batch-".len() - 36;

/// Why `prefix` cannot start every physical name, if it cannot: S3 buckets and ElastiCache
/// replication groups take only lowercase letters, digits and single hyphens, starting with
/// a letter and not ending with a hyphen.
fn name_prefix_problem(prefix: &str) -> Option<String> {
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    if prefix.is_empty() {
        Some("is empty".to_owned())
    } else if prefix.len() > NAME_PREFIX_MAX {
        Some(format!(
            "is {} characters; batch transform job names leave room for {NAME_PREFIX_MAX}",
            prefix.len()
        ))
    } else if !prefix.bytes().all(allowed) {
        Some(
            "may hold only lowercase letters, digits and hyphens (S3 bucket and ElastiCache names)"
                .to_owned(),
        )
    } else if !prefix.starts_with(|c: char| c.is_ascii_lowercase()) {
        Some("must start with a letter".to_owned())
    } else if prefix.ends_with('-') || prefix.contains("--") {
        Some("may not end with a hyphen or hold two in a row".to_owned())
    } else {
        None
    }
}

/// Why `name` cannot name a SageMaker endpoint, if it cannot: letters, digits and hyphens,
/// starting and ending with a letter or digit, and short enough for its configuration's
/// name `<name>-config` (63 at most).
fn endpoint_name_problem(name: &str) -> Option<String> {
    let max = 63 - "-config".len();
    if name.is_empty() {
        Some("is empty".to_owned())
    } else if name.len() > max {
        Some(format!(
            "is {} characters; `<name>-config` must fit SageMaker's 63",
            name.len()
        ))
    } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Some("may hold only letters, digits and hyphens".to_owned())
    } else if name.starts_with('-') || name.ends_with('-') {
        Some("must start and end with a letter or digit".to_owned())
    } else {
        None
    }
}

fn schedule_problem(e: &ScheduleError) -> String {
    format!(
        "{:?} is not a valid {}: {}",
        e.input(),
        e.what(),
        e.problem()
    )
}

/// The JSON Schema of [`EnvConfig`], pretty-printed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(EnvConfig);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each problem's path, text and hint are data; the file's error renders them through the
    /// core's renderer in the layout the snapshots pin.
    #[test]
    fn a_config_error_is_a_diagnostic_with_a_child_per_problem() {
        let err = ConfigError {
            file: PathBuf::from("bad.json"),
            problems: vec![
                ConfigProblem {
                    path: "$.region".into(),
                    problem: "\"mars-1\" is not an AWS region".into(),
                    hint: "write a region code such as \"us-east-1\"".into(),
                },
                ConfigProblem {
                    path: "$.autoscaling.min_capacity".into(),
                    problem: "min_capacity 5 is greater than max_capacity 4".into(),
                    hint: "make min_capacity at most max_capacity".into(),
                },
            ],
        };
        let d = err.to_diagnostic();
        assert_eq!(d.get_message(), "bad.json has 2 problems:");
        let first = &d.get_children()[0];
        assert_eq!(first.get_lead(), Some("at $.region"));
        assert_eq!(first.get_message(), "\"mars-1\" is not an AWS region");
        assert_eq!(
            first.get_hint(),
            Some("write a region code such as \"us-east-1\"")
        );
        assert_eq!(
            err.to_string(),
            "bad.json has 2 problems:\n  at $.region: \"mars-1\" is not an AWS region\n    hint: write a region code such as \"us-east-1\"\n  at $.autoscaling.min_capacity: min_capacity 5 is greater than max_capacity 4\n    hint: make min_capacity at most max_capacity"
        );
        let one = ConfigError {
            file: PathBuf::from("bad.json"),
            problems: err.problems[..1].to_vec(),
        };
        assert!(one
            .to_string()
            .starts_with("bad.json has 1 problem:\n  at $.region: "));
    }

    /// The `state` section: a bucket S3 would refuse, a region that is none and a prefix
    /// that is no folder are each reported at their path.
    #[test]
    fn a_bad_state_section_is_refused_field_by_field() {
        let text = std::fs::read_to_string(config_dir().join("prod.json")).unwrap_or_default();
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        value["state"] = serde_json::json!({
            "bucket": "AI_State",
            "prefix": "/ai-inference/",
            "region": "east"
        });
        let Err(problems) = parse(&value.to_string()) else {
            panic!("a bad state section was accepted");
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["$.state.bucket", "$.state.region", "$.state.prefix"]
        );
        assert_eq!(
            problems[0].problem,
            "\"AI_State\" may hold only lowercase letters, digits, hyphens and dots"
        );
        for (bucket, ok) in [
            ("ai-prod-tf-state", true),
            ("a.b-c", true),
            ("ab", false),
            ("-ab", false),
            ("a..b", false),
        ] {
            assert_eq!(bucket_name_problem(bucket).is_none(), ok, "{bucket}");
        }
    }
}
