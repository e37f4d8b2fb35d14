//! The cost dashboard: token usage per Bedrock model, SageMaker invocations and instance
//! utilisation per endpoint, cache hit rate per cache node, and the router's own metrics.
//! Every dimension value references the resource it graphs, never a hard-coded name.
//!
//! Where the seed article put them wrong: CPU, GPU and GPU-memory utilisation of an endpoint
//! are published in `/aws/sagemaker/Endpoints`, not `AWS/SageMaker`, and only per
//! `EndpointName` *and* `VariantName`; `CacheHitRate` is per `CacheClusterId` of each member
//! (`<group>-001`, …), not per replication group.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_aws::sagemaker::SagemakerEndpoint;
//! use oxiform_patterns::cost_dashboard::CostDashboard;
//!
//! let mut stack = Stack::new("demo");
//! let endpoint = stack.add("large", SagemakerEndpoint::new("large-config").name("llama-70b-complex"));
//! CostDashboard::new("ai-costs", Expr::raw("var.region"))
//!     .bedrock_model("anthropic.claude-3-5-sonnet-20240620-v1:0")
//!     .endpoint("large", endpoint.name(), "primary")
//!     .add(&mut stack, "costs");
//! assert!(stack.synth().is_ok());
//! ```

use std::panic::Location;

use crate::cache::CacheValues;
use oxiform_aws::cloudwatch::{CloudwatchDashboard, CloudwatchDashboardArgs};
use oxiform_aws::dashboard::{Dashboard, Metric, Namespace, Stat, Widget};
use oxiform_core::stack::Stack;
use oxiform_core::value::Expr;
use oxiform_core::Handle;

/// One SageMaker endpoint to graph.
#[derive(Debug, Clone)]
pub struct EndpointPanel {
    /// Legend label, e.g. `large`.
    pub label: String,
    /// The endpoint's name.
    pub endpoint_name: Expr<String>,
    /// Its production variant.
    pub variant: String,
}

/// The dashboard's contents.
#[must_use = "call `.add(&mut stack, name)`"]
#[derive(Debug, Clone)]
pub struct CostDashboard {
    dashboard_name: String,
    region: Expr<String>,
    bedrock_models: Vec<String>,
    endpoints: Vec<EndpointPanel>,
    cache_members: Vec<Expr<String>>,
    router_namespace: Option<String>,
}

impl CostDashboard {
    /// A dashboard called `dashboard_name` whose widgets read metrics in `region`.
    pub fn new(dashboard_name: &str, region: Expr<String>) -> Self {
        CostDashboard {
            dashboard_name: dashboard_name.to_owned(),
            region,
            bedrock_models: Vec::new(),
            endpoints: Vec::new(),
            cache_members: Vec::new(),
            router_namespace: None,
        }
    }
    /// Graphs input and output tokens of a Bedrock model (full model id).
    pub fn bedrock_model(mut self, model_id: &str) -> Self {
        self.bedrock_models.push(model_id.to_owned());
        self
    }
    /// Graphs invocations and instance utilisation of an endpoint's variant; `endpoint_name`
    /// from the endpoint's handle (`endpoint.name()`) or another stack's export.
    pub fn endpoint(
        mut self,
        label: &str,
        endpoint_name: impl Into<Expr<String>>,
        variant: &str,
    ) -> Self {
        self.endpoints.push(EndpointPanel {
            label: label.to_owned(),
            endpoint_name: endpoint_name.into(),
            variant: variant.to_owned(),
        });
        self
    }
    /// Graphs the hit rate of every member of the cache.
    pub fn cache(mut self, cache: &CacheValues) -> Self {
        self.cache_members = cache.member_ids();
        self
    }
    /// Graphs the router's embedded metrics (cache hits and misses, fallbacks per tier).
    pub fn router_namespace(mut self, namespace: &str) -> Self {
        self.router_namespace = Some(namespace.to_owned());
        self
    }

    /// The typed dashboard body.
    pub fn body(&self) -> Dashboard {
        let mut tokens = Widget::metric("Bedrock tokens by model")
            .width(12)
            .height(6)
            .period(3600)
            .stat(Stat::Sum);
        for model in &self.bedrock_models {
            for metric in ["InputTokenCount", "OutputTokenCount"] {
                tokens = tokens.metric(
                    Metric::new(Namespace::Bedrock, metric).dimension("ModelId", model.as_str()),
                );
            }
        }
        let mut invocations = Widget::metric("SageMaker invocations per endpoint")
            .width(12)
            .height(6)
            .period(300)
            .stat(Stat::Sum);
        let mut utilisation =
            Widget::metric("SageMaker instance utilisation (CPU, GPU, GPU memory)")
                .width(12)
                .height(6)
                .period(300)
                .stat(Stat::Average);
        for panel in &self.endpoints {
            invocations = invocations.metric(
                Metric::new(Namespace::SageMaker, "Invocations")
                    .dimension("EndpointName", panel.endpoint_name.clone())
                    .dimension("VariantName", panel.variant.as_str())
                    .label(format!("{} invocations", panel.label)),
            );
            for metric in ["CPUUtilization", "GPUUtilization", "GPUMemoryUtilization"] {
                utilisation = utilisation.metric(
                    Metric::new(Namespace::SageMakerEndpoints, metric)
                        .dimension("EndpointName", panel.endpoint_name.clone())
                        .dimension("VariantName", panel.variant.as_str())
                        .label(format!("{} {metric}", panel.label)),
                );
            }
        }
        let mut cache = Widget::metric("Cache hit rate per node")
            .width(12)
            .height(6)
            .period(300)
            .stat(Stat::Average);
        for member in &self.cache_members {
            cache = cache.metric(
                Metric::new(Namespace::ElastiCache, "CacheHitRate")
                    .dimension("CacheClusterId", member.clone()),
            );
        }
        let mut dashboard = Dashboard::new().region(self.region.clone());
        // Only what this stack has: a widget without metrics is an error in CloudWatch.
        if !self.bedrock_models.is_empty() {
            dashboard = dashboard.widget(tokens);
        }
        if !self.endpoints.is_empty() {
            dashboard = dashboard.widget(invocations).widget(utilisation);
        }
        if !self.cache_members.is_empty() {
            dashboard = dashboard.widget(cache);
        }
        if let Some(namespace) = &self.router_namespace {
            let mut router = Widget::metric("Router: cache hits, misses and fallbacks per tier")
                .width(24)
                .height(6)
                .period(300)
                .stat(Stat::Sum);
            for tier in ["small", "large", "bedrock"] {
                for metric in ["CacheHit", "CacheMiss", "Fallback"] {
                    router = router.metric(
                        Metric::new(Namespace::Custom(namespace.clone()), metric)
                            .dimension("Tier", tier)
                            .label(format!("{tier} {metric}")),
                    );
                }
            }
            dashboard = dashboard.widget(router);
        }
        dashboard
    }

    /// Adds the `aws_cloudwatch_dashboard`; metrics a namespace does not publish are
    /// reported at synth.
    #[track_caller]
    pub fn add(self, stack: &mut Stack, name: &str) -> Handle<CloudwatchDashboard> {
        let site = Location::caller();
        let body = self.body();
        let problems = body.validate();
        let handle = stack.add(
            name,
            CloudwatchDashboard::new(CloudwatchDashboardArgs {
                dashboard_body: body.to_value(),
                dashboard_name: self.dashboard_name.as_str().into(),
            }),
        );
        let address = handle.address().to_string();
        for problem in problems {
            // Every dashboard problem has a hint; the fallback only guards a future one.
            let hint = problem
                .get_hint()
                .unwrap_or("graph each metric in the namespace CloudWatch publishes it in")
                .to_owned();
            // The headline (the widget and what is wrong) is the problem without its hint.
            let what = problem.set_hint(None).to_string();
            stack.report(&address, "dashboard_body", what, hint, site);
        }
        handle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxiform_core::error::SynthError;

    /// A problem of the body reaches synth as an invalid `dashboard_body` whose problem is the
    /// dashboard diagnostic's headline and whose hint is its hint, not text split apart.
    #[test]
    fn a_body_problem_is_reported_with_its_hint_apart() {
        let mut stack = Stack::new("demo");
        let _ = CostDashboard::new("ai-costs", Expr::raw("var.region")).add(&mut stack, "costs");
        let Err(errors) = stack.synth() else {
            panic!("a dashboard without widgets is an error");
        };
        let [SynthError::InvalidValue {
            address,
            field,
            problem,
            hint,
            ..
        }] = errors.0.as_slice()
        else {
            panic!("expected one invalid value: {errors}");
        };
        assert_eq!(address, "aws_cloudwatch_dashboard.costs");
        assert_eq!(field, "dashboard_body");
        assert_eq!(problem, "dashboard has no widgets");
        assert_eq!(hint, "add one with `.widget(Widget::metric(..))`");
    }
}
