//! Typed CloudWatch dashboard bodies.
//!
//! A [`Dashboard`] is a list of widgets built with typed calls — metric widgets
//! ([`MetricWidget`]) holding [`Metric`]s of a typed [`Namespace`], and text widgets
//! ([`TextWidget`]). [`Dashboard::to_value`] writes CloudWatch's dashboard body JSON (through
//! [`json_template`](oxiform_core::json_template), so dimension values may be expressions such as an
//! endpoint's name). Widgets without a position are laid out left to right on CloudWatch's
//! 24-column grid.
//!
//! [`Dashboard::validate`] reports metrics that their namespace does not publish (from the
//! table behind [`known_metric`]), SageMaker endpoint metrics missing the `VariantName`
//! dimension, metric widgets without a region, and impossible layouts.
//!
//! ```
//! use oxiform_aws::dashboard::{Dashboard, Metric, Namespace, Stat, Widget};
//! use oxiform_core::Value;
//!
//! let dashboard = Dashboard::new().region("eu-west-1").widget(
//!     Widget::metric("Token usage by model")
//!         .width(12)
//!         .height(6)
//!         .period(3600)
//!         .stat(Stat::Sum)
//!         .metric(Metric::new(Namespace::Bedrock, "InputTokenCount").dimension("ModelId", "anthropic.claude-3-haiku-20240307-v1:0")),
//! );
//! assert!(dashboard.validate().is_empty());
//! assert_eq!(
//!     dashboard.to_value(),
//!     Value::Literal(r#"{"widgets":[{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{"title":"Token usage by model","metrics":[["AWS/Bedrock","InputTokenCount","ModelId","anthropic.claude-3-haiku-20240307-v1:0"]],"period":3600,"stat":"Sum","region":"eu-west-1","view":"timeSeries"}}]}"#.into())
//! );
//! ```

use std::fmt;

use schemars::JsonSchema;

use oxiform_core::diagnostic::Diagnostic;
use oxiform_core::json_template::JsonTemplate;
use oxiform_core::value::Value;

/// Columns of CloudWatch's dashboard grid.
pub const GRID_COLUMNS: u32 = 24;

/// A CloudWatch metric namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, JsonSchema)]
pub enum Namespace {
    /// `AWS/Bedrock`: runtime invocations, latency, token counts, per `ModelId`.
    Bedrock,
    /// `AWS/SageMaker`: endpoint *invocation* metrics (`Invocations`, `ModelLatency`, …), per
    /// `EndpointName` and `VariantName`.
    SageMaker,
    /// `/aws/sagemaker/Endpoints`: endpoint *instance* metrics (`CPUUtilization`,
    /// `GPUUtilization`, …), per `EndpointName` and `VariantName`.
    SageMakerEndpoints,
    /// `AWS/ElastiCache`, per `CacheClusterId` (a replication group's members end in
    /// `-001`, `-002`, …) and optionally `CacheNodeId`.
    ElastiCache,
    /// `AWS/Lambda`, per `FunctionName`.
    Lambda,
    /// `AWS/States` (Step Functions), per `StateMachineArn`.
    States,
    /// Any other namespace, e.g. an application's own EMF namespace; not checked.
    Custom(String),
}

impl Namespace {
    /// The namespace as CloudWatch spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Namespace::Bedrock => "AWS/Bedrock",
            Namespace::SageMaker => "AWS/SageMaker",
            Namespace::SageMakerEndpoints => "/aws/sagemaker/Endpoints",
            Namespace::ElastiCache => "AWS/ElastiCache",
            Namespace::Lambda => "AWS/Lambda",
            Namespace::States => "AWS/States",
            Namespace::Custom(name) => name,
        }
    }

    /// The typed namespace for a spelling: a known one becomes its variant, anything else
    /// [`Namespace::Custom`].
    pub fn parse(name: &str) -> Namespace {
        match name {
            "AWS/Bedrock" => Namespace::Bedrock,
            "AWS/SageMaker" => Namespace::SageMaker,
            "/aws/sagemaker/Endpoints" => Namespace::SageMakerEndpoints,
            "AWS/ElastiCache" => Namespace::ElastiCache,
            "AWS/Lambda" => Namespace::Lambda,
            "AWS/States" => Namespace::States,
            other => Namespace::Custom(other.to_owned()),
        }
    }

    /// The metrics this namespace publishes, when it is one we know.
    fn known_metrics(&self) -> Option<&'static [&'static str]> {
        match self {
            Namespace::Bedrock => Some(BEDROCK_METRICS),
            Namespace::SageMaker => Some(SAGEMAKER_METRICS),
            Namespace::SageMakerEndpoints => Some(SAGEMAKER_ENDPOINT_INSTANCE_METRICS),
            Namespace::ElastiCache => Some(ELASTICACHE_METRICS),
            Namespace::Lambda => Some(LAMBDA_METRICS),
            Namespace::States => Some(STATES_METRICS),
            Namespace::Custom(_) => None,
        }
    }
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Namespace {
    fn from(name: &str) -> Self {
        Namespace::parse(name)
    }
}

/// `AWS/Bedrock` runtime metrics.
const BEDROCK_METRICS: &[&str] = &[
    "Invocations",
    "InvocationLatency",
    "InvocationClientErrors",
    "InvocationServerErrors",
    "InvocationThrottles",
    "InputTokenCount",
    "OutputTokenCount",
    "CacheReadInputTokenCount",
    "CacheWriteInputTokenCount",
    "LegacyModelInvocations",
    "OutputImageCount",
    "TimeToFirstToken",
    "EstimatedTPMQuotaUsage",
    "ModelInvocationLogsCloudWatchDeliverySuccess",
    "ModelInvocationLogsCloudWatchDeliveryFailure",
    "ModelInvocationLogsS3DeliverySuccess",
    "ModelInvocationLogsS3DeliveryFailure",
    "ModelInvocationLargeDataS3DeliverySuccess",
    "ModelInvocationLargeDataS3DeliveryFailure",
];

/// `AWS/SageMaker` endpoint invocation metrics (real-time, serverless, asynchronous,
/// multi-model, inference components).
const SAGEMAKER_METRICS: &[&str] = &[
    "Invocations",
    "InvocationsPerInstance",
    "InvocationsPerCopy",
    "Invocation4XXErrors",
    "Invocation5XXErrors",
    "InvocationModelErrors",
    "ModelLatency",
    "OverheadLatency",
    "ModelSetupTime",
    "ConcurrentRequestsPerModel",
    "ConcurrentRequestsPerCopy",
    "MidStreamErrors",
    "ModelLoadingWaitTime",
    "ModelUnloadingTime",
    "ModelDownloadingTime",
    "ModelLoadingTime",
    "ModelCacheHit",
    "LoadedModelCount",
    "ApproximateBacklogSize",
    "ApproximateBacklogSizePerInstance",
    "ApproximateAgeOfOldestRequest",
    "HasBacklogWithoutCapacity",
    "RequestDownloadFailures",
    "ResponseUploadFailures",
    "NotificationFailures",
    "InvocationFailures",
    "InvocationsProcesssed",
    "TimeInBacklog",
    "TotalProcessingTime",
];

/// `/aws/sagemaker/Endpoints` instance metrics.
const SAGEMAKER_ENDPOINT_INSTANCE_METRICS: &[&str] = &[
    "CPUUtilization",
    "MemoryUtilization",
    "GPUUtilization",
    "GPUMemoryUtilization",
    "DiskUtilization",
    "CPUReservation",
    "GPUReservation",
    "MemoryReservation",
    "CPUUtilizationNormalized",
    "GPUUtilizationNormalized",
    "GPUMemoryUtilizationNormalized",
    "MemoryUtilizationNormalized",
];

/// `AWS/ElastiCache` host-level, Valkey/Redis OSS, Memcached and serverless metrics.
const ELASTICACHE_METRICS: &[&str] = &[
    // Host level.
    "CPUUtilization",
    "CPUCreditBalance",
    "CPUCreditUsage",
    "FreeableMemory",
    "NetworkBytesIn",
    "NetworkBytesOut",
    "NetworkPacketsIn",
    "NetworkPacketsOut",
    "NetworkBandwidthInAllowanceExceeded",
    "NetworkBandwidthOutAllowanceExceeded",
    "NetworkConntrackAllowanceExceeded",
    "NetworkLinkLocalAllowanceExceeded",
    "NetworkPacketsPerSecondAllowanceExceeded",
    "NetworkMaxBytesIn",
    "NetworkMaxBytesOut",
    "NetworkMaxPacketsIn",
    "NetworkMaxPacketsOut",
    "SwapUsage",
    // Valkey and Redis OSS.
    "ActiveDefragHits",
    "AuthenticationFailures",
    "BytesUsedForCache",
    "BytesReadFromDisk",
    "BytesWrittenToDisk",
    "CacheHits",
    "CacheMisses",
    "CacheHitRate",
    "ChannelAuthorizationFailures",
    "CommandAuthorizationFailures",
    "CurrConnections",
    "CurrItems",
    "CurrVolatileItems",
    "DatabaseCapacityUsagePercentage",
    "DatabaseCapacityUsageCountedForEvictPercentage",
    "DatabaseMemoryUsagePercentage",
    "DatabaseMemoryUsageCountedForEvictPercentage",
    "DB0AverageTTL",
    "EngineCPUUtilization",
    "ErrorCount",
    "Evictions",
    "GlobalDatastoreReplicationLag",
    "IamAuthenticationExpirations",
    "IamAuthenticationThrottling",
    "IsMaster",
    "IsPrimary",
    "KeyAuthorizationFailures",
    "KeysTracked",
    "MasterLinkHealthStatus",
    "PrimaryLinkHealthStatus",
    "MemoryFragmentationRatio",
    "NewConnections",
    "NumItemsReadFromDisk",
    "NumItemsWrittenToDisk",
    "Reclaimed",
    "ReplicationBytes",
    "ReplicationLag",
    "SaveInProgress",
    "SuccessfulReadRequestLatency",
    "SuccessfulWriteRequestLatency",
    "TrafficManagementActive",
    "ClusterBasedCmds",
    "ClusterBasedCmdsLatency",
    "EvalBasedCmds",
    "EvalBasedCmdsLatency",
    "GeoSpatialBasedCmds",
    "GeoSpatialBasedCmdsLatency",
    "GetTypeCmds",
    "GetTypeCmdsLatency",
    "HashBasedCmds",
    "HashBasedCmdsLatency",
    "HyperLogLogBasedCmds",
    "HyperLogLogBasedCmdsLatency",
    "JsonBasedCmds",
    "JsonBasedCmdsLatency",
    "JsonBasedGetCmds",
    "JsonBasedGetCmdsLatency",
    "JsonBasedSetCmds",
    "JsonBasedSetCmdsLatency",
    "KeyBasedCmds",
    "KeyBasedCmdsLatency",
    "ListBasedCmds",
    "ListBasedCmdsLatency",
    "NonKeyTypeCmds",
    "NonKeyTypeCmdsLatency",
    "PubSubBasedCmds",
    "PubSubBasedCmdsLatency",
    "SetBasedCmds",
    "SetBasedCmdsLatency",
    "SetTypeCmds",
    "SetTypeCmdsLatency",
    "SortedSetBasedCmds",
    "SortedSetBasedCmdsLatency",
    "StringBasedCmds",
    "StringBasedCmdsLatency",
    "StreamBasedCmds",
    "StreamBasedCmdsLatency",
    // Memcached.
    "BytesReadIntoMemcached",
    "BytesUsedForCacheItems",
    "BytesUsedForHash",
    "BytesWrittenOutFromMemcached",
    "CasBadval",
    "CasHits",
    "CasMisses",
    "CmdConfigGet",
    "CmdConfigSet",
    "CmdFlush",
    "CmdGet",
    "CmdSet",
    "CmdTouch",
    "CurrConfig",
    "DecrHits",
    "DecrMisses",
    "DeleteHits",
    "DeleteMisses",
    "EvictedUnfetched",
    "ExpiredUnfetched",
    "GetHits",
    "GetMisses",
    "IncrHits",
    "IncrMisses",
    "NewItems",
    "SlabsMoved",
    "TouchHits",
    "TouchMisses",
    "UnusedMemory",
    // Serverless caches.
    "ElastiCacheProcessingUnits",
    "ThrottledCmds",
    "TotalCmdsCount",
];

/// `AWS/Lambda` function metrics.
const LAMBDA_METRICS: &[&str] = &[
    "Invocations",
    "Errors",
    "DeadLetterErrors",
    "DestinationDeliveryFailures",
    "Throttles",
    "OversizedRecordCount",
    "ProvisionedConcurrencyInvocations",
    "ProvisionedConcurrencySpilloverInvocations",
    "RecursiveInvocationsDropped",
    "Duration",
    "PostRuntimeExtensionsDuration",
    "IteratorAge",
    "OffsetLag",
    "ConcurrentExecutions",
    "ProvisionedConcurrentExecutions",
    "ProvisionedConcurrencyUtilization",
    "UnreservedConcurrentExecutions",
    "ClaimedAccountConcurrency",
    "AsyncEventsReceived",
    "AsyncEventAge",
    "AsyncEventsDropped",
    "PolledEventCount",
    "InvokedEventCount",
    "FilteredOutEventCount",
    "FailedInvokeEventCount",
    "DeletedEventCount",
    "DroppedEventCount",
    "OnFailureDestinationDeliveredEventCount",
    "ProvisionedPollers",
    "SignatureValidationErrors",
    "UrlRequestCount",
    "UrlRequestLatency",
    "Url4xxCount",
    "Url5xxCount",
];

/// `AWS/States` (Step Functions) metrics.
const STATES_METRICS: &[&str] = &[
    "ExecutionTime",
    "ExecutionThrottled",
    "ExecutionsAborted",
    "ExecutionsFailed",
    "ExecutionsStarted",
    "ExecutionsSucceeded",
    "ExecutionsTimedOut",
    "ExecutionsRedriven",
    "RedrivenExecutionsAborted",
    "RedrivenExecutionsFailed",
    "RedrivenExecutionsSucceeded",
    "RedrivenExecutionsTimedOut",
    "ActivityRunTime",
    "ActivityScheduleTime",
    "ActivityTime",
    "ActivitiesFailed",
    "ActivitiesHeartbeatTimedOut",
    "ActivitiesScheduled",
    "ActivitiesStarted",
    "ActivitiesSucceeded",
    "ActivitiesTimedOut",
    "LambdaFunctionRunTime",
    "LambdaFunctionScheduleTime",
    "LambdaFunctionTime",
    "LambdaFunctionsFailed",
    "LambdaFunctionsScheduled",
    "LambdaFunctionsStarted",
    "LambdaFunctionsSucceeded",
    "LambdaFunctionsTimedOut",
    "ServiceIntegrationRunTime",
    "ServiceIntegrationScheduleTime",
    "ServiceIntegrationTime",
    "ServiceIntegrationsFailed",
    "ServiceIntegrationsScheduled",
    "ServiceIntegrationsStarted",
    "ServiceIntegrationsSucceeded",
    "ServiceIntegrationsTimedOut",
    "ThrottledEvents",
    "ProvisionedBucketSize",
    "ProvisionedRefillRate",
    "ConsumedCapacity",
    "ExpressExecutionMemory",
    "ExpressExecutionBilledDuration",
    "ExpressExecutionBilledMemory",
    "OpenMapRunLimit",
    "ApproximateOpenMapRunCount",
];

/// Whether `namespace` publishes `metric`: `Some(true)` or `Some(false)` for the namespaces
/// this module knows (`AWS/Bedrock`, `AWS/SageMaker`, `/aws/sagemaker/Endpoints`,
/// `AWS/ElastiCache`, `AWS/Lambda`, `AWS/States`), `None` for any other (custom namespaces,
/// services not in the table). Names are case-sensitive, as in CloudWatch.
///
/// Works on strings so that a policy check can run it over any dashboard JSON.
pub fn known_metric(namespace: &str, metric: &str) -> Option<bool> {
    Namespace::parse(namespace)
        .known_metrics()
        .map(|names| names.contains(&metric))
}

/// Why `metric` is not in `namespace`, with a hint; `None` when it is (or is unknown).
fn unknown_metric_problem(namespace: &Namespace, metric: &str) -> Option<Diagnostic> {
    let names = namespace.known_metrics()?;
    if names.contains(&metric) {
        return None;
    }
    let mut message = format!(
        "metric `{metric}` is not published in `{}`",
        namespace.as_str()
    );
    let hint = if *namespace == Namespace::SageMaker
        && SAGEMAKER_ENDPOINT_INSTANCE_METRICS.contains(&metric)
    {
        message.push_str("; instance metrics are in `/aws/sagemaker/Endpoints`");
        "use `Namespace::SageMakerEndpoints` for this metric".to_owned()
    } else if *namespace == Namespace::SageMakerEndpoints && SAGEMAKER_METRICS.contains(&metric) {
        message.push_str("; invocation metrics are in `AWS/SageMaker`");
        "use `Namespace::SageMaker` for this metric".to_owned()
    } else if let Some(close) = names.iter().find(|n| n.eq_ignore_ascii_case(metric)) {
        format!("metric names are case-sensitive: did you mean `{close}`?")
    } else {
        format!(
            "check the name against the metrics `{}` publishes in the CloudWatch documentation",
            namespace.as_str()
        )
    };
    Some(Diagnostic::error(message).hint(hint))
}

/// A statistic.
#[derive(Debug, Clone, Copy, PartialEq, JsonSchema)]
pub enum Stat {
    /// `SampleCount`
    SampleCount,
    /// `Average`
    Average,
    /// `Sum`
    Sum,
    /// `Minimum`
    Minimum,
    /// `Maximum`
    Maximum,
    /// A percentile, `p99` for `Percentile(99.0)`, `p99.9` for `Percentile(99.9)`.
    Percentile(f64),
}

impl fmt::Display for Stat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stat::SampleCount => f.write_str("SampleCount"),
            Stat::Average => f.write_str("Average"),
            Stat::Sum => f.write_str("Sum"),
            Stat::Minimum => f.write_str("Minimum"),
            Stat::Maximum => f.write_str("Maximum"),
            Stat::Percentile(p) => write!(f, "p{p}"),
        }
    }
}

/// How a metric widget draws its metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, JsonSchema)]
pub enum View {
    /// `timeSeries`, a line graph.
    #[default]
    TimeSeries,
    /// `singleValue`, the latest value as a number.
    SingleValue,
    /// `bar`
    Bar,
    /// `pie`
    Pie,
}

impl View {
    /// CloudWatch's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            View::TimeSeries => "timeSeries",
            View::SingleValue => "singleValue",
            View::Bar => "bar",
            View::Pie => "pie",
        }
    }
}

/// Which Y axis a metric is drawn against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub enum YAxis {
    /// `left` (the default)
    Left,
    /// `right`
    Right,
}

/// One metric of a metric widget: namespace, name, dimensions, rendering options.
#[must_use]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub struct Metric {
    /// The namespace.
    pub namespace: Namespace,
    /// The metric name, e.g. `InputTokenCount`.
    pub name: String,
    /// Dimension name → value (literal or expression), in order.
    #[schemars(with = "Vec<(String, String)>")]
    pub dimensions: Vec<(String, Value<String>)>,
    /// Legend label.
    pub label: Option<String>,
    /// Statistic, overriding the widget's.
    pub stat: Option<Stat>,
    /// Period in seconds, overriding the widget's.
    pub period: Option<u32>,
    /// The Y axis.
    pub y_axis: Option<YAxis>,
    /// Id for metric math (`m1`).
    pub id: Option<String>,
    /// `false` hides the line (e.g. an input to metric math).
    pub visible: Option<bool>,
}

impl Metric {
    /// `name` in `namespace`. A name the namespace does not publish is accepted here and
    /// reported by [`Dashboard::validate`].
    pub fn new(namespace: impl Into<Namespace>, name: impl Into<String>) -> Self {
        Metric {
            namespace: namespace.into(),
            name: name.into(),
            dimensions: Vec::new(),
            label: None,
            stat: None,
            period: None,
            y_axis: None,
            id: None,
            visible: None,
        }
    }

    /// Adds a dimension; the value may be a literal or an expression (an endpoint's name).
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Value<String>>) -> Self {
        self.dimensions.push((name.into(), value.into()));
        self
    }

    /// Sets the legend label.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the statistic for this metric only.
    pub fn stat(mut self, stat: Stat) -> Self {
        self.stat = Some(stat);
        self
    }

    /// Sets the period (seconds) for this metric only.
    pub fn period(mut self, seconds: u32) -> Self {
        self.period = Some(seconds);
        self
    }

    /// Draws this metric against the given axis.
    pub fn y_axis(mut self, axis: YAxis) -> Self {
        self.y_axis = Some(axis);
        self
    }

    /// Sets the id used by metric math expressions.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Hides the line (keep it as an input of an expression).
    pub fn hidden(mut self) -> Self {
        self.visible = Some(false);
        self
    }

    /// `[namespace, name, dim, value, …, {options}]`
    fn json(&self) -> JsonTemplate {
        let mut row = vec![
            JsonTemplate::from(self.namespace.as_str()),
            JsonTemplate::from(self.name.as_str()),
        ];
        for (name, value) in &self.dimensions {
            row.push(name.into());
            row.push(value.into());
        }
        let mut options: Vec<(String, JsonTemplate)> = Vec::new();
        if let Some(id) = &self.id {
            options.push(("id".into(), id.into()));
        }
        if let Some(label) = &self.label {
            options.push(("label".into(), label.into()));
        }
        if let Some(stat) = &self.stat {
            options.push(("stat".into(), stat.to_string().into()));
        }
        if let Some(period) = self.period {
            options.push(("period".into(), period.into()));
        }
        if let Some(axis) = self.y_axis {
            let side = match axis {
                YAxis::Left => "left",
                YAxis::Right => "right",
            };
            options.push(("yAxis".into(), side.into()));
        }
        if let Some(visible) = self.visible {
            options.push(("visible".into(), visible.into()));
        }
        if !options.is_empty() {
            row.push(JsonTemplate::Object(options));
        }
        JsonTemplate::Array(row)
    }

    /// Problems with this metric: not published in its namespace, or a SageMaker endpoint
    /// metric without `VariantName`.
    fn problems(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = unknown_metric_problem(&self.namespace, &self.name)
            .into_iter()
            .collect();
        if matches!(
            self.namespace,
            Namespace::SageMaker | Namespace::SageMakerEndpoints
        ) {
            let has = |d: &str| self.dimensions.iter().any(|(n, _)| n == d);
            if has("EndpointName") && !has("VariantName") {
                problems.push(
                    Diagnostic::error(format!(
                        "metric `{}` in `{}` has dimension `EndpointName` without `VariantName`; endpoint metrics are published per endpoint and variant, so this series is empty",
                        self.name,
                        self.namespace.as_str()
                    ))
                    .hint("add `.dimension(\"VariantName\", \"primary\")` (the variant's name)"),
                );
            }
        }
        problems
    }
}

/// Position and size of a widget on the 24-column grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
pub struct Layout {
    /// Explicit `(x, y)`, or `None` to place automatically.
    pub position: Option<(u32, u32)>,
    /// Width in grid columns, 1–24 (default 6).
    pub width: u32,
    /// Height in grid rows, 1–1000 (default 6).
    pub height: u32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            position: None,
            width: 6,
            height: 6,
        }
    }
}

/// A line of metric math in a metric widget, e.g. `100 * m1 / (m1 + m2)`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub struct MetricExpression {
    /// Id of the expression (`e1`).
    pub id: String,
    /// The metric math expression.
    pub expression: String,
    /// Legend label.
    pub label: String,
}

/// One line of a metric widget: a metric or a metric math expression.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub enum MetricLine {
    /// A metric.
    Metric(Metric),
    /// Metric math.
    Expression(MetricExpression),
}

/// A widget drawing metrics (`"type": "metric"`).
#[must_use]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub struct MetricWidget {
    /// Title.
    pub title: String,
    /// The lines, in order.
    pub lines: Vec<MetricLine>,
    /// Period in seconds (default 300).
    pub period: u32,
    /// Statistic (default `Average`).
    pub stat: Stat,
    /// View (default time series).
    pub view: View,
    /// Stack the lines (area graph); written only when set.
    pub stacked: Option<bool>,
    /// Region, overriding the dashboard's.
    #[schemars(with = "Option<String>")]
    pub region: Option<Value<String>>,
    /// Position and size.
    pub layout: Layout,
}

impl MetricWidget {
    /// Adds a metric.
    pub fn metric(mut self, metric: Metric) -> Self {
        self.lines.push(MetricLine::Metric(metric));
        self
    }

    /// Adds a metric math line, e.g. `.expression("e1", "100*m1/(m1+m2)", "hit rate %")`.
    pub fn expression(
        mut self,
        id: impl Into<String>,
        expression: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        self.lines.push(MetricLine::Expression(MetricExpression {
            id: id.into(),
            expression: expression.into(),
            label: label.into(),
        }));
        self
    }

    /// Sets the period in seconds.
    pub fn period(mut self, seconds: u32) -> Self {
        self.period = seconds;
        self
    }

    /// Sets the statistic.
    pub fn stat(mut self, stat: Stat) -> Self {
        self.stat = stat;
        self
    }

    /// Sets the view.
    pub fn view(mut self, view: View) -> Self {
        self.view = view;
        self
    }

    /// Stacks the lines.
    pub fn stacked(mut self, stacked: bool) -> Self {
        self.stacked = Some(stacked);
        self
    }

    /// Sets this widget's region (default: the dashboard's).
    pub fn region(mut self, region: impl Into<Value<String>>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the width in grid columns (1–24).
    pub fn width(mut self, width: u32) -> Self {
        self.layout.width = width;
        self
    }

    /// Sets the height in grid rows.
    pub fn height(mut self, height: u32) -> Self {
        self.layout.height = height;
        self
    }

    /// Places the widget at column `x`, row `y` instead of laying it out automatically.
    pub fn position(mut self, x: u32, y: u32) -> Self {
        self.layout.position = Some((x, y));
        self
    }
}

/// A widget of Markdown text (`"type": "text"`).
#[must_use]
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub struct TextWidget {
    /// The Markdown, literal or expression.
    #[schemars(with = "String")]
    pub markdown: Value<String>,
    /// Position and size.
    pub layout: Layout,
}

impl TextWidget {
    /// Sets the width in grid columns (1–24).
    pub fn width(mut self, width: u32) -> Self {
        self.layout.width = width;
        self
    }

    /// Sets the height in grid rows.
    pub fn height(mut self, height: u32) -> Self {
        self.layout.height = height;
        self
    }

    /// Places the widget at column `x`, row `y` instead of laying it out automatically.
    pub fn position(mut self, x: u32, y: u32) -> Self {
        self.layout.position = Some((x, y));
        self
    }
}

/// A dashboard widget.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub enum Widget {
    /// Metrics.
    Metric(MetricWidget),
    /// Markdown text.
    Text(TextWidget),
}

impl Widget {
    /// A metric widget titled `title`: period 300 s, `Average`, time series, 6×6.
    pub fn metric(title: impl Into<String>) -> MetricWidget {
        MetricWidget {
            title: title.into(),
            lines: Vec::new(),
            period: 300,
            stat: Stat::Average,
            view: View::TimeSeries,
            stacked: None,
            region: None,
            layout: Layout::default(),
        }
    }

    /// A text widget showing `markdown`, 6×6.
    pub fn text(markdown: impl Into<Value<String>>) -> TextWidget {
        TextWidget {
            markdown: markdown.into(),
            layout: Layout::default(),
        }
    }

    fn layout(&self) -> Layout {
        match self {
            Widget::Metric(w) => w.layout,
            Widget::Text(w) => w.layout,
        }
    }

    /// How the widget is named in messages.
    fn label(&self, index: usize) -> String {
        match self {
            Widget::Metric(w) => format!("widget {} `{}`", index + 1, w.title),
            Widget::Text(_) => format!("widget {} (text)", index + 1),
        }
    }
}

impl From<MetricWidget> for Widget {
    fn from(w: MetricWidget) -> Self {
        Widget::Metric(w)
    }
}
impl From<TextWidget> for Widget {
    fn from(w: TextWidget) -> Self {
        Widget::Text(w)
    }
}

/// A rectangle on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rect {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// A CloudWatch dashboard body.
#[must_use]
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
pub struct Dashboard {
    /// The widgets, in order.
    pub widgets: Vec<Widget>,
    /// The region written into every metric widget (CloudWatch requires one).
    #[schemars(with = "Option<String>")]
    pub region: Option<Value<String>>,
}

impl Dashboard {
    /// An empty dashboard.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the region of every metric widget: a literal (`"eu-west-1"`) or an expression
    /// (the provider's region).
    pub fn region(mut self, region: impl Into<Value<String>>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Appends a widget.
    pub fn widget(mut self, widget: impl Into<Widget>) -> Self {
        self.widgets.push(widget.into());
        self
    }

    /// The `(x, y)` of every widget: explicit positions as given; the others left to right
    /// in a 24-column grid, wrapping to a new row below the tallest widget of the current row
    /// and skipping cells taken by explicitly placed widgets.
    pub fn positions(&self) -> Vec<(u32, u32)> {
        let mut taken: Vec<Rect> = self
            .widgets
            .iter()
            .filter_map(|w| {
                let l = w.layout();
                l.position.map(|(x, y)| Rect {
                    x,
                    y,
                    w: l.width,
                    h: l.height,
                })
            })
            .collect();
        let (mut x, mut y, mut row_bottom) = (0u32, 0u32, 0u32);
        let mut out = Vec::with_capacity(self.widgets.len());
        for widget in &self.widgets {
            let l = widget.layout();
            if let Some(p) = l.position {
                out.push(p);
                continue;
            }
            let w = l.width.clamp(1, GRID_COLUMNS);
            let h = l.height.max(1);
            loop {
                if x + w > GRID_COLUMNS {
                    x = 0;
                    y = row_bottom.max(y + 1);
                }
                let rect = Rect { x, y, w, h };
                if let Some(blocker) = taken.iter().find(|t| t.overlaps(&rect)) {
                    x = blocker.x + blocker.w;
                    continue;
                }
                taken.push(rect);
                out.push((x, y));
                x += w;
                row_bottom = row_bottom.max(y + h);
                break;
            }
        }
        out
    }

    /// The dashboard body as JSON: `{"widgets":[…]}` in CloudWatch's format.
    pub fn to_json_template(&self) -> JsonTemplate {
        let widgets = self
            .widgets
            .iter()
            .zip(self.positions())
            .map(|(widget, (x, y))| self.widget_json(widget, x, y))
            .collect();
        JsonTemplate::object([("widgets", JsonTemplate::Array(widgets))])
    }

    /// The body as the `dashboard_body` argument, with references kept as references.
    pub fn to_value(&self) -> Value<String> {
        self.to_json_template().to_value()
    }

    fn widget_json(&self, widget: &Widget, x: u32, y: u32) -> JsonTemplate {
        let layout = widget.layout();
        let (kind, properties) = match widget {
            Widget::Metric(w) => {
                let metrics = w
                    .lines
                    .iter()
                    .map(|line| match line {
                        MetricLine::Metric(m) => m.json(),
                        MetricLine::Expression(e) => JsonTemplate::array([JsonTemplate::object([
                            ("expression", e.expression.as_str()),
                            ("label", e.label.as_str()),
                            ("id", e.id.as_str()),
                        ])]),
                    })
                    .collect();
                let mut p: Vec<(String, JsonTemplate)> = vec![
                    ("title".into(), w.title.as_str().into()),
                    ("metrics".into(), JsonTemplate::Array(metrics)),
                    ("period".into(), w.period.into()),
                    ("stat".into(), w.stat.to_string().into()),
                ];
                if let Some(region) = w.region.as_ref().or(self.region.as_ref()) {
                    p.push(("region".into(), region.into()));
                }
                p.push(("view".into(), w.view.as_str().into()));
                if let Some(stacked) = w.stacked {
                    p.push(("stacked".into(), stacked.into()));
                }
                ("metric", JsonTemplate::Object(p))
            }
            Widget::Text(w) => (
                "text",
                JsonTemplate::object([("markdown", JsonTemplate::from(&w.markdown))]),
            ),
        };
        JsonTemplate::object([
            ("type", JsonTemplate::from(kind)),
            ("x", x.into()),
            ("y", y.into()),
            ("width", layout.width.into()),
            ("height", layout.height.into()),
            ("properties", properties),
        ])
    }

    /// Every problem of the dashboard, each an error [`Diagnostic`] with a hint: metrics their
    /// namespace does not publish, SageMaker endpoint metrics without `VariantName`, metric
    /// widgets without metrics or region, bad percentiles, sizes outside the grid, overlapping
    /// widgets. A problem of one widget has the widget as its lead (`` widget 2 `Latency` ``).
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        if self.widgets.is_empty() {
            problems.push(
                Diagnostic::error("dashboard has no widgets")
                    .hint("add one with `.widget(Widget::metric(..))`"),
            );
        }
        let positions = self.positions();
        let mut rects: Vec<(usize, Rect)> = Vec::new();
        for (i, (widget, &(x, y))) in self.widgets.iter().zip(&positions).enumerate() {
            let label = widget.label(i);
            // `<label>: <message>`, or `<label> <message>` when the message goes on from it.
            let about = |message: String| Diagnostic::error(message).lead(&label);
            let goes_on = |message: String| about(message).run_on();
            let l = widget.layout();
            if !(1..=GRID_COLUMNS).contains(&l.width) {
                problems.push(
                    about(format!("width {} is out of range 1-24", l.width))
                        .hint("the grid has 24 columns; 12 is half the width"),
                );
            } else if x + l.width > GRID_COLUMNS {
                problems.push(
                    about(format!(
                        "x {x} plus width {} exceeds the 24-column grid",
                        l.width
                    ))
                    .hint("move it left or make it narrower"),
                );
            }
            if !(1..=1000).contains(&l.height) {
                problems.push(
                    about(format!("height {} is out of range 1-1000", l.height))
                        .hint("6 rows is CloudWatch's default"),
                );
            }
            let rect = Rect {
                x,
                y,
                w: l.width,
                h: l.height,
            };
            if let Some((j, _)) = rects.iter().find(|(_, r)| r.overlaps(&rect)) {
                problems.push(
                    goes_on(format!("overlaps {}", self.widgets[*j].label(*j))).hint(
                        "change one position, or omit positions to lay widgets out automatically",
                    ),
                );
            }
            rects.push((i, rect));
            let Widget::Metric(w) = widget else { continue };
            if w.lines.is_empty() {
                problems.push(
                    goes_on("has no metrics".to_owned())
                        .hint("add one with `.metric(Metric::new(..))`"),
                );
            }
            if w.region.is_none() && self.region.is_none() {
                problems.push(
                    goes_on(
                        "has no region; CloudWatch requires one in every metric widget".to_owned(),
                    )
                    .hint("set `Dashboard::region(..)` (e.g. the provider's region)"),
                );
            }
            let stats = std::iter::once(w.stat).chain(w.lines.iter().filter_map(|l| match l {
                MetricLine::Metric(m) => m.stat,
                MetricLine::Expression(_) => None,
            }));
            for stat in stats {
                if let Stat::Percentile(p) = stat {
                    if !(p > 0.0 && p < 100.0) {
                        problems.push(
                            about(format!("percentile {p} is out of range (0, 100)"))
                                .hint("e.g. `Stat::Percentile(99.0)`"),
                        );
                    }
                }
            }
            for line in &w.lines {
                if let MetricLine::Metric(m) = line {
                    problems.extend(m.problems().into_iter().map(|p| p.lead(&label)));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use oxiform_core::value::Expr;

    /// Each problem as the core renders it.
    fn rendered(problems: &[Diagnostic]) -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    }

    fn text(v: &Value<String>) -> String {
        match v {
            Value::Literal(l) => l.clone(),
            Value::Expr(e) => e.to_json_string(),
        }
    }

    #[test]
    fn known_metric_table() {
        assert_eq!(known_metric("AWS/Bedrock", "InputTokenCount"), Some(true));
        assert_eq!(known_metric("AWS/SageMaker", "ModelLatency"), Some(true));
        assert_eq!(known_metric("AWS/SageMaker", "GPUUtilization"), Some(false));
        assert_eq!(
            known_metric("/aws/sagemaker/Endpoints", "GPUMemoryUtilization"),
            Some(true)
        );
        assert_eq!(known_metric("AWS/ElastiCache", "CacheHitRate"), Some(true));
        assert_eq!(known_metric("AWS/ElastiCache", "cachehitrate"), Some(false));
        assert_eq!(
            known_metric("AWS/Lambda", "ConcurrentExecutions"),
            Some(true)
        );
        assert_eq!(known_metric("AWS/States", "ExecutionsFailed"), Some(true));
        assert_eq!(known_metric("AIRouter", "CacheHits"), None);
        assert_eq!(known_metric("AWS/EC2", "CPUUtilization"), None);
    }

    #[test]
    fn seed_dashboard_with_layout_and_expressions() {
        let endpoint: Expr<String> = Expr::raw("aws_sagemaker_endpoint.large.name");
        let region: Expr<String> = Expr::raw("data.aws_region.current.name");
        let d = Dashboard::new()
            .region(region)
            .widget(
                Widget::metric("Token usage by model")
                    .width(12)
                    .period(3600)
                    .stat(Stat::Sum)
                    .metric(
                        Metric::new(Namespace::Bedrock, "InputTokenCount")
                            .dimension("ModelId", "anthropic.claude-3-haiku-20240307-v1:0"),
                    ),
            )
            .widget(
                Widget::metric("SageMaker instance use").width(12).metric(
                    Metric::new(Namespace::SageMakerEndpoints, "GPUUtilization")
                        .dimension("EndpointName", &endpoint)
                        .dimension("VariantName", "primary")
                        .y_axis(YAxis::Right)
                        .label("GPU %"),
                ),
            )
            .widget(Widget::text("## Cache").width(24).height(2))
            .widget(
                Widget::metric("Cache hit rate")
                    .width(8)
                    .view(View::SingleValue)
                    .metric(
                        Metric::new(Namespace::ElastiCache, "CacheHits")
                            .dimension("CacheClusterId", "ai-response-cache-001")
                            .id("m1")
                            .stat(Stat::Sum)
                            .hidden(),
                    )
                    .metric(
                        Metric::new(Namespace::ElastiCache, "CacheMisses")
                            .dimension("CacheClusterId", "ai-response-cache-001")
                            .id("m2")
                            .stat(Stat::Sum)
                            .hidden(),
                    )
                    .expression("e1", "100*m1/(m1+m2)", "hit rate %"),
            );
        assert_eq!(d.validate(), Vec::<Diagnostic>::new());
        assert_eq!(d.positions(), vec![(0, 0), (12, 0), (0, 6), (0, 8)]);
        let r = "${jsonencode(data.aws_region.current.name)}";
        assert_eq!(
            text(&d.to_value()),
            [
                r#"{"widgets":["#,
                r#"{"type":"metric","x":0,"y":0,"width":12,"height":6,"properties":{"title":"Token usage by model","metrics":[["AWS/Bedrock","InputTokenCount","ModelId","anthropic.claude-3-haiku-20240307-v1:0"]],"period":3600,"stat":"Sum","region":"#,
                r,
                r#","view":"timeSeries"}},"#,
                r#"{"type":"metric","x":12,"y":0,"width":12,"height":6,"properties":{"title":"SageMaker instance use","metrics":[["/aws/sagemaker/Endpoints","GPUUtilization","EndpointName","#,
                "${jsonencode(aws_sagemaker_endpoint.large.name)}",
                r#","VariantName","primary",{"label":"GPU %","yAxis":"right"}]],"period":300,"stat":"Average","region":"#,
                r,
                r#","view":"timeSeries"}},"#,
                r###"{"type":"text","x":0,"y":6,"width":24,"height":2,"properties":{"markdown":"## Cache"}},"###,
                r#"{"type":"metric","x":0,"y":8,"width":8,"height":6,"properties":{"title":"Cache hit rate","metrics":["#,
                r#"["AWS/ElastiCache","CacheHits","CacheClusterId","ai-response-cache-001",{"id":"m1","stat":"Sum","visible":false}],"#,
                r#"["AWS/ElastiCache","CacheMisses","CacheClusterId","ai-response-cache-001",{"id":"m2","stat":"Sum","visible":false}],"#,
                r#"[{"expression":"100*m1/(m1+m2)","label":"hit rate %","id":"e1"}]],"#,
                r#""period":300,"stat":"Average","region":"#,
                r,
                r#","view":"singleValue"}}]}"#,
            ]
            .concat()
        );
    }

    #[test]
    fn seed_article_mistakes_are_reported() {
        let d = Dashboard::new().widget(
            Widget::metric("SageMaker Instance Hours")
                .width(12)
                .metric(
                    Metric::new(Namespace::SageMaker, "GPUUtilization")
                        .dimension("EndpointName", "llama-70b-complex"),
                )
                .metric(
                    Metric::new("/aws/sagemaker/Endpoints", "ModelLatency")
                        .dimension("EndpointName", "llama-70b-complex")
                        .dimension("VariantName", "primary"),
                )
                .metric(Metric::new(Namespace::ElastiCache, "cacheHitRate"))
                .metric(Metric::new(Namespace::Bedrock, "TokensPerSecond"))
                .metric(Metric::new(
                    Namespace::Custom("AIRouter".into()),
                    "Anything",
                ))
                .stat(Stat::Percentile(100.0)),
        );
        let problems = d.validate();
        // The parts are data: the widget, what is wrong, the fix.
        let unknown = &problems[2];
        assert_eq!(
            unknown.get_lead(),
            Some("widget 1 `SageMaker Instance Hours`")
        );
        assert_eq!(
            unknown.get_message(),
            "metric `GPUUtilization` is not published in `AWS/SageMaker`; instance metrics are in `/aws/sagemaker/Endpoints`"
        );
        assert_eq!(
            unknown.get_hint(),
            Some("use `Namespace::SageMakerEndpoints` for this metric")
        );
        assert_eq!(
            problems[0].get_message(),
            "has no region; CloudWatch requires one in every metric widget"
        );
        // The text each renders is the one written before diagnostics were data.
        assert_eq!(
            rendered(&problems),
            vec![
                "widget 1 `SageMaker Instance Hours` has no region; CloudWatch requires one in every metric widget\n  hint: set `Dashboard::region(..)` (e.g. the provider's region)",
                "widget 1 `SageMaker Instance Hours`: percentile 100 is out of range (0, 100)\n  hint: e.g. `Stat::Percentile(99.0)`",
                "widget 1 `SageMaker Instance Hours`: metric `GPUUtilization` is not published in `AWS/SageMaker`; instance metrics are in `/aws/sagemaker/Endpoints`\n  hint: use `Namespace::SageMakerEndpoints` for this metric",
                "widget 1 `SageMaker Instance Hours`: metric `GPUUtilization` in `AWS/SageMaker` has dimension `EndpointName` without `VariantName`; endpoint metrics are published per endpoint and variant, so this series is empty\n  hint: add `.dimension(\"VariantName\", \"primary\")` (the variant's name)",
                "widget 1 `SageMaker Instance Hours`: metric `ModelLatency` is not published in `/aws/sagemaker/Endpoints`; invocation metrics are in `AWS/SageMaker`\n  hint: use `Namespace::SageMaker` for this metric",
                "widget 1 `SageMaker Instance Hours`: metric `cacheHitRate` is not published in `AWS/ElastiCache`\n  hint: metric names are case-sensitive: did you mean `CacheHitRate`?",
                "widget 1 `SageMaker Instance Hours`: metric `TokensPerSecond` is not published in `AWS/Bedrock`\n  hint: check the name against the metrics `AWS/Bedrock` publishes in the CloudWatch documentation",
            ]
        );
    }

    #[test]
    fn layout_wraps_and_avoids_explicit_widgets() {
        let d = Dashboard::new()
            .region("eu-west-1")
            .widget(Widget::text("pinned").position(6, 0).width(6).height(4))
            .widget(Widget::text("a").width(6))
            .widget(Widget::text("b").width(12))
            .widget(Widget::text("c").width(18))
            .widget(Widget::text("d").width(6).height(3));
        // a fills 0..6; b cannot start at 6 (pinned) so it goes to 12..24; c wraps to row 6;
        // d fits beside c.
        assert_eq!(
            d.positions(),
            vec![(6, 0), (0, 0), (12, 0), (0, 6), (18, 6)]
        );
        assert!(d.validate().is_empty());
    }

    #[test]
    fn layout_problems() {
        let d = Dashboard::new()
            .widget(Widget::text("a").position(0, 0).width(12))
            .widget(Widget::text("b").position(6, 2).width(20).height(0))
            .widget(Widget::text("c").width(30));
        let problems = d.validate();
        assert_eq!(problems[2].get_lead(), Some("widget 2 (text)"));
        assert_eq!(problems[2].get_message(), "overlaps widget 1 (text)");
        assert_eq!(
            problems[2].get_hint(),
            Some("change one position, or omit positions to lay widgets out automatically")
        );
        assert_eq!(
            rendered(&problems),
            vec![
                "widget 2 (text): x 6 plus width 20 exceeds the 24-column grid\n  hint: move it left or make it narrower",
                "widget 2 (text): height 0 is out of range 1-1000\n  hint: 6 rows is CloudWatch's default",
                "widget 2 (text) overlaps widget 1 (text)\n  hint: change one position, or omit positions to lay widgets out automatically",
                "widget 3 (text): width 30 is out of range 1-24\n  hint: the grid has 24 columns; 12 is half the width",
            ]
        );
        assert_eq!(
            rendered(&Dashboard::new().validate()),
            vec!["dashboard has no widgets\n  hint: add one with `.widget(Widget::metric(..))`"]
        );
    }

    #[test]
    fn literal_markdown_is_escaped_on_output() {
        let d = Dashboard::new().widget(Widget::text("price ${x}"));
        let json = serde_json::to_string(&d.to_value()).unwrap();
        assert!(json.contains(r#"price $${x}"#), "{json}");
    }

    #[test]
    fn stat_spelling_and_schema() {
        assert_eq!(Stat::Percentile(99.0).to_string(), "p99");
        assert_eq!(Stat::Percentile(99.9).to_string(), "p99.9");
        assert_eq!(Stat::SampleCount.to_string(), "SampleCount");
        let schema = serde_json::to_string(&schemars::schema_for!(Dashboard)).unwrap();
        assert!(schema.contains("\"widgets\""), "{schema}");
    }
}
