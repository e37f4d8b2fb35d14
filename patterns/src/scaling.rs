//! Application Auto Scaling for SageMaker variants: a scalable target, target tracking on
//! invocations per instance, and scheduled capacity changes (night scale-down, morning
//! scale-up) with typed schedule expressions.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_patterns::scaling::{ScalableVariant, ScheduledCapacity, TargetTracking};
//! use oxiform_schedules::Schedule;
//!
//! let mut stack = Stack::new("demo");
//! let endpoint_name: Expr<String> = Expr::raw("aws_sagemaker_endpoint.large.name");
//! let target = ScalableVariant::new(endpoint_name, "primary", 1, 4).add(&mut stack, "large");
//! TargetTracking::invocations_per_instance(100.0)
//!     .cooldowns(600, 120)
//!     .add(&mut stack, "large", &target);
//! let night = Schedule::parse("cron(0 22 * * ? *)").unwrap();
//! ScheduledCapacity::new("night-scale-down", night, 1, 1).add(&mut stack, "large_night", &target);
//! assert!(stack.synth().is_ok());
//! ```

use std::panic::Location;

use oxiform_aws::appautoscaling::{
    appautoscaling_policy::{
        PredefinedMetricSpecification, TargetTrackingScalingPolicyConfiguration,
    },
    appautoscaling_scheduled_action::ScalableTargetAction,
    AppautoscalingPolicy, AppautoscalingPolicyArgs, AppautoscalingScheduledAction,
    AppautoscalingScheduledActionArgs, AppautoscalingTarget, AppautoscalingTargetArgs,
};
use oxiform_core::stack::Stack;
use oxiform_core::value::Expr;
use oxiform_core::{template, Handle};
use oxiform_schedules::{Schedule, TimeZone};

/// Application Auto Scaling service namespaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceNamespace {
    /// `sagemaker`
    SageMaker,
}

impl ServiceNamespace {
    /// The API value.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceNamespace::SageMaker => "sagemaker",
        }
    }
}

/// Scalable dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalableDimension {
    /// `sagemaker:variant:DesiredInstanceCount`: instances of a production variant.
    SageMakerVariantDesiredInstanceCount,
}

impl ScalableDimension {
    /// The API value.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalableDimension::SageMakerVariantDesiredInstanceCount => {
                "sagemaker:variant:DesiredInstanceCount"
            }
        }
    }
    /// The namespace the dimension belongs to.
    pub fn namespace(self) -> ServiceNamespace {
        match self {
            ScalableDimension::SageMakerVariantDesiredInstanceCount => ServiceNamespace::SageMaker,
        }
    }
    /// The smallest capacity AWS accepts for this dimension. A production variant cannot go
    /// below one instance; only inference components scale to zero.
    pub fn min_capacity_floor(self) -> u32 {
        match self {
            ScalableDimension::SageMakerVariantDesiredInstanceCount => 1,
        }
    }
}

/// Scaling policy types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyType {
    /// `TargetTrackingScaling`
    TargetTrackingScaling,
    /// `StepScaling`
    StepScaling,
}

impl PolicyType {
    /// The API value.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::TargetTrackingScaling => "TargetTrackingScaling",
            PolicyType::StepScaling => "StepScaling",
        }
    }
}

/// Predefined metrics for target tracking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredefinedMetric {
    /// `SageMakerVariantInvocationsPerInstance`: invocations per instance per minute.
    SageMakerVariantInvocationsPerInstance,
    /// `SageMakerVariantProvisionedConcurrencyUtilization` (serverless variants).
    SageMakerVariantProvisionedConcurrencyUtilization,
}

impl PredefinedMetric {
    /// The API value.
    pub fn as_str(self) -> &'static str {
        match self {
            PredefinedMetric::SageMakerVariantInvocationsPerInstance => {
                "SageMakerVariantInvocationsPerInstance"
            }
            PredefinedMetric::SageMakerVariantProvisionedConcurrencyUtilization => {
                "SageMakerVariantProvisionedConcurrencyUtilization"
            }
        }
    }
}

/// A registered scalable target and what policies attached to it need.
#[derive(Debug, Clone)]
pub struct ScalableTarget {
    /// The `aws_appautoscaling_target`.
    pub target: Handle<AppautoscalingTarget>,
    /// The dimension it scales.
    pub dimension: ScalableDimension,
    /// Its capacity range, to check scheduled actions against.
    pub min_capacity: u32,
    /// Its capacity range, to check scheduled actions against.
    pub max_capacity: u32,
}

/// A SageMaker production variant registered with Application Auto Scaling.
#[must_use = "call `.add(&mut stack, name)`"]
#[derive(Debug, Clone)]
pub struct ScalableVariant {
    endpoint_name: Expr<String>,
    variant: String,
    min_capacity: u32,
    max_capacity: u32,
}

impl ScalableVariant {
    /// Scales variant `variant` of the endpoint named by `endpoint_name` between `min` and
    /// `max` instances.
    pub fn new(endpoint_name: Expr<String>, variant: &str, min: u32, max: u32) -> Self {
        ScalableVariant {
            endpoint_name,
            variant: variant.to_owned(),
            min_capacity: min,
            max_capacity: max,
        }
    }

    /// Adds the `aws_appautoscaling_target`. Capacity outside what AWS accepts is reported
    /// at synth.
    #[track_caller]
    pub fn add(self, stack: &mut Stack, name: &str) -> ScalableTarget {
        let dimension = ScalableDimension::SageMakerVariantDesiredInstanceCount;
        let site = Location::caller();
        let resource_id = template!(
            "endpoint/{}/variant/{}",
            self.endpoint_name,
            self.variant.as_str()
        );
        let target = stack.add(
            name,
            AppautoscalingTarget::new(AppautoscalingTargetArgs {
                min_capacity: i64::from(self.min_capacity).into(),
                max_capacity: i64::from(self.max_capacity).into(),
                resource_id: resource_id.into(),
                scalable_dimension: dimension.as_str().into(),
                service_namespace: dimension.namespace().as_str().into(),
            }),
        );
        let address = target.address().to_string();
        check_capacity(
            stack,
            &address,
            dimension,
            self.min_capacity,
            self.max_capacity,
            None,
            site,
        );
        ScalableTarget {
            target,
            dimension,
            min_capacity: self.min_capacity,
            max_capacity: self.max_capacity,
        }
    }
}

fn check_capacity(
    stack: &mut Stack,
    address: &str,
    dimension: ScalableDimension,
    min: u32,
    max: u32,
    target: Option<&ScalableTarget>,
    site: &'static Location<'static>,
) {
    let floor = dimension.min_capacity_floor();
    if min < floor {
        stack.report(
            address,
            "min_capacity",
            format!(
                "min_capacity {min} is below {floor}: `{}` cannot scale below {floor}",
                dimension.as_str()
            ),
            "use 1; scaling a SageMaker endpoint to zero needs inference components with managed instance scaling, not a production variant",
            site,
        );
    }
    if min > max {
        stack.report(
            address,
            "min_capacity",
            format!("min_capacity {min} is greater than max_capacity {max}"),
            "make min_capacity at most max_capacity",
            site,
        );
    }
    if let Some(t) = target {
        if max > t.max_capacity {
            stack.report(
                address,
                "max_capacity",
                format!(
                    "scheduled max_capacity {max} exceeds the scalable target's max_capacity {}",
                    t.max_capacity
                ),
                "raise the target's max_capacity or lower the scheduled one",
                site,
            );
        }
    }
}

/// Target tracking on a predefined metric.
#[must_use = "call `.add(&mut stack, name, &target)`"]
#[derive(Debug, Clone)]
pub struct TargetTracking {
    metric: PredefinedMetric,
    target_value: f64,
    scale_in_cooldown: u32,
    scale_out_cooldown: u32,
    policy_name: Option<String>,
}

impl TargetTracking {
    /// Keeps `SageMakerVariantInvocationsPerInstance` (per instance per minute) near `target`.
    pub fn invocations_per_instance(target: f64) -> Self {
        TargetTracking {
            metric: PredefinedMetric::SageMakerVariantInvocationsPerInstance,
            target_value: target,
            scale_in_cooldown: 300,
            scale_out_cooldown: 60,
            policy_name: None,
        }
    }
    /// Seconds to wait after scaling in and after scaling out. Scale in slowly, out quickly.
    pub fn cooldowns(mut self, scale_in_seconds: u32, scale_out_seconds: u32) -> Self {
        self.scale_in_cooldown = scale_in_seconds;
        self.scale_out_cooldown = scale_out_seconds;
        self
    }
    /// The policy's name in AWS (default: `scale-on-invocations`).
    pub fn policy_name(mut self, name: &str) -> Self {
        self.policy_name = Some(name.to_owned());
        self
    }
    /// Adds the `aws_appautoscaling_policy` to `target`.
    #[track_caller]
    pub fn add(
        self,
        stack: &mut Stack,
        name: &str,
        target: &ScalableTarget,
    ) -> Handle<AppautoscalingPolicy> {
        let t = target.target;
        let config = TargetTrackingScalingPolicyConfiguration::new(self.target_value)
            .predefined_metric_specification(PredefinedMetricSpecification::new(
                self.metric.as_str(),
            ))
            .scale_in_cooldown(i64::from(self.scale_in_cooldown))
            .scale_out_cooldown(i64::from(self.scale_out_cooldown));
        stack.add(
            name,
            AppautoscalingPolicy::new(AppautoscalingPolicyArgs {
                name: self
                    .policy_name
                    .unwrap_or_else(|| "scale-on-invocations".to_owned())
                    .into(),
                resource_id: t.resource_id().into(),
                scalable_dimension: t.scalable_dimension().into(),
                service_namespace: t.service_namespace().into(),
            })
            .policy_type(PolicyType::TargetTrackingScaling.as_str())
            .target_tracking_scaling_policy_configuration(config),
        )
    }
}

/// A scheduled change of a target's capacity range.
#[must_use = "call `.add(&mut stack, name, &target)`"]
#[derive(Debug, Clone)]
pub struct ScheduledCapacity {
    action_name: String,
    schedule: Schedule,
    timezone: Option<TimeZone>,
    min_capacity: u32,
    max_capacity: u32,
}

impl ScheduledCapacity {
    /// At `schedule`, set the target's range to `min..=max`.
    pub fn new(action_name: &str, schedule: Schedule, min: u32, max: u32) -> Self {
        ScheduledCapacity {
            action_name: action_name.to_owned(),
            schedule,
            timezone: None,
            min_capacity: min,
            max_capacity: max,
        }
    }
    /// Reads the schedule in `zone` instead of UTC.
    pub fn timezone(mut self, zone: TimeZone) -> Self {
        self.timezone = Some(zone);
        self
    }
    /// Adds the `aws_appautoscaling_scheduled_action`; a range outside what the target and
    /// AWS allow is reported at synth.
    #[track_caller]
    pub fn add(
        self,
        stack: &mut Stack,
        name: &str,
        target: &ScalableTarget,
    ) -> Handle<AppautoscalingScheduledAction> {
        let site = Location::caller();
        let t = target.target;
        let action = AppautoscalingScheduledAction::new(AppautoscalingScheduledActionArgs {
            name: self.action_name.into(),
            resource_id: t.resource_id().into(),
            scalable_dimension: t.scalable_dimension().into(),
            schedule: self.schedule.to_string().into(),
            service_namespace: t.service_namespace().into(),
            scalable_target_action: ScalableTargetAction::new()
                .min_capacity(i64::from(self.min_capacity))
                .max_capacity(i64::from(self.max_capacity)),
        });
        let action = match self.timezone {
            Some(zone) => action.timezone(zone.to_string()),
            None => action,
        };
        let handle = stack.add(name, action);
        let address = handle.address().to_string();
        check_capacity(
            stack,
            &address,
            target.dimension,
            self.min_capacity,
            self.max_capacity,
            Some(target),
            site,
        );
        handle
    }
}
