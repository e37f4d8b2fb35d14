//! Pricing each resource of a Terraform JSON document.

use std::collections::BTreeSet;

use serde_json::Value;

use super::ctx::{line, usage, used, Ctx, Outcome};
use super::document::{
    blocks, has_interpolation, json_with_holes, number, references, Known, ResourceRef, Text,
    TfDocument,
};
use super::prices::{Price, PriceTable};
use super::report::{
    ActionReport, CapacityCost, CostLine, CostReport, NoCharge, PriceSources, Range,
    ScheduleReport, Unpriced, HOURS_PER_MONTH, SCHEMA_VERSION,
};
use super::rules::{self, UsageKey};
use super::simulate::{fires_per_week, simulate, ScheduledAction, HOURS_PER_WEEK};
use super::traffic::{self, Traffic, TrafficError, TrafficInputs};
use super::usage::UsageFile;
use crate::types;
use oxiform_aws::appautoscaling::{
    AppautoscalingPolicy, AppautoscalingScheduledAction, AppautoscalingTarget,
};
use oxiform_aws::batch::{BatchComputeEnvironment, BatchJobDefinition, BatchJobQueue};
use oxiform_aws::cloudwatch::{CloudwatchDashboard, CloudwatchLogGroup, CloudwatchMetricAlarm};
use oxiform_aws::elasticache::{
    ElasticacheParameterGroup, ElasticacheReplicationGroup, ElasticacheSubnetGroup,
};
use oxiform_aws::lambda::{LambdaFunction, LambdaFunctionUrl, LambdaPermission};
use oxiform_aws::s3::S3Bucket;
use oxiform_aws::sagemaker::{SagemakerEndpoint, SagemakerEndpointConfiguration, SagemakerModel};
use oxiform_aws::scheduler::SchedulerSchedule;
use oxiform_aws::sfn::SfnStateMachine;
use oxiform_aws::sns::SnsTopic;
use oxiform_aws::vpc::{
    RouteTable, RouteTableAssociation, SecurityGroup, Subnet, Vpc, VpcEndpoint,
    VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule,
};
use oxiform_core::{Address, Resource, ResourceKind};
use oxiform_schedules::{CivilTime, Schedule, TimeZone};

/// The region assumed when the document does not say.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Prices every resource of `doc` (each in the region of the provider it uses) and, with
/// `traffic`, adds the per-request figures; with `usage`, the resources billed by use that
/// it gives quantities for are priced from them.
pub fn estimate(
    doc: &TfDocument,
    source: &str,
    prices: &PriceTable,
    traffic: Option<(&Traffic, &str)>,
    usage_file: Option<&UsageFile>,
) -> Result<CostReport, TrafficError> {
    let mut notes = Vec::new();
    let providers = doc.aws_providers();
    let default_provider = providers.iter().find(|p| p.alias.is_none());
    let region = match default_provider.map(|p| &p.region) {
        Some(Known::Value(r)) => r.clone(),
        Some(Known::Expr(e)) => {
            notes.push(format!(
                "the provider's region is {e:?}, known only after apply: priced as {DEFAULT_REGION}"
            ));
            DEFAULT_REGION.to_owned()
        }
        _ if doc.resources().is_empty() => DEFAULT_REGION.to_owned(),
        _ => {
            notes.push(format!(
                "the document sets no AWS provider region: priced as {DEFAULT_REGION}"
            ));
            DEFAULT_REGION.to_owned()
        }
    };
    let mut ctx = Ctx::new(doc, prices, region.clone());
    let mut lines = Vec::new();
    let mut usage_based = Vec::new();
    let mut unpriced = Vec::new();
    let mut no_charge = Vec::new();
    let mut region_notes = BTreeSet::new();
    for r in doc.resources() {
        let own_region = match r.provider().and_then(|p| p.strip_prefix("aws.")) {
            None => region.clone(),
            Some(alias) => match r.provider_in(&providers).map(|p| &p.region) {
                Some(Known::Value(own)) => own.clone(),
                _ => {
                    region_notes.insert(format!(
                        "provider aws.{alias} sets no literal region: its resources are priced as {region}"
                    ));
                    region.clone()
                }
            },
        };
        ctx.region = own_region.clone();
        let outcome = price_resource(&mut ctx, &r);
        let outcome = apply_usage(&mut ctx, &r, outcome, usage_file);
        let (address, resource_type) = (r.address(), r.type_name.to_owned());
        match outcome {
            Outcome::Line(mut line) => {
                if own_region != region {
                    line.notes.insert(
                        0,
                        format!(
                            "priced in {own_region}, the region of its provider ({})",
                            r.provider().unwrap_or_default()
                        ),
                    );
                }
                lines.push(line)
            }
            Outcome::Usage(u) => usage_based.push(u),
            Outcome::Unpriced(reason) => unpriced.push(Unpriced {
                address,
                resource_type,
                reason,
            }),
            Outcome::NoCharge(why) => no_charge.push(NoCharge {
                address,
                resource_type,
                why,
            }),
        }
    }
    ctx.region = region.clone();
    notes.extend(region_notes);
    unpriced.append(&mut ctx.extra_unpriced);
    lines.append(&mut ctx.extra_lines);
    lines.sort_by(|a, b| a.address.cmp(&b.address));
    if doc.resources().is_empty() && traffic.is_none() {
        notes.push(format!(
            "no resources found in {source}: nothing to price (a Terraform JSON document lists them under \"resource\")"
        ));
    }
    let monthly = lines
        .iter()
        .fold(Range::default(), |acc: Range, l: &CostLine| {
            acc.plus(l.monthly)
        });

    let traffic_report = match traffic {
        None => None,
        Some((t, name)) => {
            let endpoints = doc
                .of_type(SagemakerEndpoint::TYPE)
                .iter()
                .map(|r| r.address())
                .collect();
            let functions = doc
                .of_type(LambdaFunction::TYPE)
                .iter()
                .map(|f| {
                    let memory = number(f.get("memory_size"))
                        .value()
                        .copied()
                        .unwrap_or(128.0);
                    let arm = f
                        .get("architectures")
                        .and_then(Value::as_array)
                        .is_some_and(|a| a.iter().any(|v| v == "arm64"));
                    (f.address(), memory, arm)
                })
                .collect();
            let inputs = TrafficInputs {
                lines: &lines,
                endpoints,
                unpriced: unpriced
                    .iter()
                    .map(|u| (u.address.clone(), u.reason.clone()))
                    .collect(),
                functions,
                prices,
                region: &region,
                source_name: name,
            };
            let (report, used_prices) = traffic::report(t, &inputs)?;
            ctx.used.extend(used_prices.into_iter().map(used));
            Some(report)
        }
    };
    let as_of: BTreeSet<String> = ctx.used.iter().map(|u| u.as_of.clone()).collect();
    let sources: BTreeSet<String> = ctx.used.iter().map(|u| u.source.clone()).collect();
    let unverified: BTreeSet<String> = ctx
        .used
        .iter()
        .filter(|u| !u.verified)
        .map(|u| format!("{} {}", u.service, u.item))
        .collect();
    let price_notes: BTreeSet<String> = ctx
        .used
        .iter()
        .filter_map(|u| {
            u.note
                .as_ref()
                .map(|n| format!("{} {}: {n}", u.service, u.item))
        })
        .collect();
    Ok(CostReport {
        schema_version: SCHEMA_VERSION,
        source: source.to_owned(),
        currency: "USD".to_owned(),
        hours_per_month: HOURS_PER_MONTH,
        region,
        monthly,
        complete: unpriced.is_empty(),
        lines,
        schedules: ctx.schedules,
        usage_based,
        unpriced,
        no_charge,
        prices: PriceSources {
            as_of: as_of.into_iter().collect(),
            sources: sources.into_iter().collect(),
            overrides: prices.overrides().to_vec(),
            notes: prices.notes().to_vec(),
            price_notes: price_notes.into_iter().collect(),
            unverified: unverified.into_iter().collect(),
        },
        traffic: traffic_report,
        notes,
    })
}

const FREE_NETWORK: &[&str] = &[
    Vpc::TYPE,
    Subnet::TYPE,
    RouteTable::TYPE,
    RouteTableAssociation::TYPE,
    types::ROUTE,
    types::MAIN_ROUTE_TABLE_ASSOCIATION,
    types::INTERNET_GATEWAY,
    types::EGRESS_ONLY_INTERNET_GATEWAY,
    SecurityGroup::TYPE,
    types::SECURITY_GROUP_RULE,
    VpcSecurityGroupIngressRule::TYPE,
    VpcSecurityGroupEgressRule::TYPE,
    types::NETWORK_ACL,
    types::NETWORK_ACL_RULE,
    types::DEFAULT_SECURITY_GROUP,
    types::DEFAULT_ROUTE_TABLE,
    types::VPC_DHCP_OPTIONS,
    types::VPC_DHCP_OPTIONS_ASSOCIATION,
];

fn price_resource(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    if let Some(outcome) = rules::price(ctx, r) {
        return outcome;
    }
    let t = r.type_name;
    match t {
        SagemakerEndpoint::TYPE => sagemaker_endpoint(ctx, r),
        SagemakerEndpointConfiguration::TYPE => {
            let users: Vec<String> = ctx
                .endpoints_by_config
                .of(r.name, ctx.own_literal_name(r).as_deref())
                .iter()
                .map(ResourceRef::address)
                .collect();
            if users.is_empty() {
                Outcome::NoCharge(
                    "not used by any endpoint in this document: no charge until an endpoint runs it"
                        .to_owned(),
                )
            } else {
                Outcome::NoCharge(format!("priced with {}", users.join(", ")))
            }
        }
        SagemakerModel::TYPE => {
            Outcome::NoCharge("billed through the endpoints and jobs that run it".to_owned())
        }
        ElasticacheReplicationGroup::TYPE => elasticache_group(ctx, r),
        types::ELASTICACHE_CLUSTER => elasticache_cluster(ctx, r),
        types::ELASTICACHE_SERVERLESS_CACHE => usage(
            r,
            "serverless cache".to_owned(),
            Vec::new(),
            "billed per GB-hour stored and per ElastiCache Processing Unit: usage known only at run time",
        ),
        ElasticacheParameterGroup::TYPE | ElasticacheSubnetGroup::TYPE => {
            Outcome::NoCharge("configuration only".to_owned())
        }
        LambdaFunction::TYPE => lambda(ctx, r),
        LambdaFunctionUrl::TYPE | LambdaPermission::TYPE | types::LAMBDA_ALIAS => {
            Outcome::NoCharge("no charge of its own; invocations are billed to the function".to_owned())
        }
        CloudwatchDashboard::TYPE => match ctx.price("cloudwatch", "dashboard", "dashboard-month") {
            Ok((usd, p)) => line(r, "1 dashboard".to_owned(), Range::fixed(usd), vec![p], Vec::new()),
            Err(e) => Outcome::Unpriced(e),
        },
        CloudwatchMetricAlarm::TYPE => alarm(ctx, r),
        types::CLOUDWATCH_COMPOSITE_ALARM => {
            match ctx.price("cloudwatch", "alarm-composite", "alarm-month") {
                Ok((usd, p)) => line(r, "1 composite alarm".to_owned(), Range::fixed(usd), vec![p], Vec::new()),
                Err(e) => Outcome::Unpriced(e),
            }
        }
        CloudwatchLogGroup::TYPE => {
            let rates = ["logs-ingestion", "logs-storage"]
                .iter()
                .filter_map(|item| {
                    let unit = if *item == "logs-ingestion" { "GB" } else { "GB-month" };
                    ctx.price("cloudwatch", item, unit).ok().map(|(_, p)| p)
                })
                .collect();
            usage(
                r,
                "log group".to_owned(),
                rates,
                "billed per GB ingested and stored: volume known only at run time",
            )
        }
        SfnStateMachine::TYPE => state_machine(ctx, r),
        SchedulerSchedule::TYPE => scheduler_schedule(ctx, r),
        types::CLOUDWATCH_EVENT_RULE => Outcome::NoCharge(
            "no charge of its own: scheduled and AWS service events are free; what its targets start is billed to them"
                .to_owned(),
        ),
        types::CLOUDWATCH_EVENT_TARGET => Outcome::NoCharge(
            "no charge of its own; what it starts is billed to that resource".to_owned(),
        ),
        BatchComputeEnvironment::TYPE => batch_compute(ctx, r),
        BatchJobQueue::TYPE | BatchJobDefinition::TYPE => Outcome::NoCharge(
            "jobs are billed as the compute environment's instance time".to_owned(),
        ),
        VpcEndpoint::TYPE => vpc_endpoint(ctx, r),
        types::NAT_GATEWAY => match ctx.price("vpc", "nat-gateway", "gateway-hour") {
            Ok((usd, p)) => {
                let data = ctx.price("vpc", "nat-gateway-data", "GB").ok();
                let mut what = "1 NAT gateway".to_owned();
                let mut prices = vec![p];
                if let Some((gb, pd)) = data {
                    what.push_str(&format!(" (+{}/GB)", super::report::rate(gb)));
                    prices.push(pd);
                }
                line(r, what, Range::fixed(usd * HOURS_PER_MONTH), prices, Vec::new())
            }
            Err(e) => Outcome::Unpriced(e),
        },
        types::INSTANCE => ec2_instance(ctx, r),
        S3Bucket::TYPE => {
            let rates = ctx
                .price("s3", "standard-storage", "GB-month")
                .ok()
                .map(|(_, p)| vec![p])
                .unwrap_or_default();
            usage(r, "S3 Standard".to_owned(), rates, "billed per GB stored and per request: volume known only at run time")
        }
        SnsTopic::TYPE => usage(
            r,
            "topic".to_owned(),
            Vec::new(),
            "billed per request and delivery: volume known only at run time",
        ),
        AppautoscalingTarget::TYPE => {
            let scaled = r
                .get("resource_id")
                .and_then(Value::as_str)
                .map(|id| references(id, SagemakerEndpoint::TYPE))
                .unwrap_or_default();
            Outcome::NoCharge(match scaled.first() {
                Some(name) => format!("the capacity it sets is priced with aws_sagemaker_endpoint.{name}"),
                None => "Application Auto Scaling has no charge of its own".to_owned(),
            })
        }
        AppautoscalingPolicy::TYPE | AppautoscalingScheduledAction::TYPE => Outcome::NoCharge(
            "Application Auto Scaling has no charge; the capacity it sets is priced with the resource it scales"
                .to_owned(),
        ),
        _ if t.starts_with(types::IAM_PREFIX) => Outcome::NoCharge("IAM has no charge".to_owned()),
        _ if FREE_NETWORK.contains(&t) => Outcome::NoCharge("no charge of its own".to_owned()),
        _ if t.starts_with(types::S3_BUCKET_PREFIX) => {
            Outcome::NoCharge("configuration of a bucket; storage is billed to the bucket".to_owned())
        }
        "terraform_data" | "null_resource" => Outcome::NoCharge("not an AWS resource".to_owned()),
        _ if t.starts_with("random_") || t.starts_with("time_") || t.starts_with("local_") || t.starts_with("tls_") => {
            Outcome::NoCharge("not an AWS resource".to_owned())
        }
        _ => Outcome::Unpriced(format!(
            "no price rule for {t} (it may still cost money; add a price rule or check the pricing page)"
        )),
    }
}

fn sagemaker_endpoint(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let Some(raw) = r.get("endpoint_config_name").and_then(Value::as_str) else {
        return Outcome::Unpriced("endpoint_config_name is not set".to_owned());
    };
    let Some(config) = ctx.resolve(raw, SagemakerEndpointConfiguration::TYPE) else {
        return Outcome::Unpriced(if has_interpolation(raw) {
            format!("endpoint_config_name is {raw:?}: a value known only after apply, and no configuration in this document matches it")
        } else {
            format!("endpoint configuration {raw:?} is not in this document")
        });
    };
    let variants = config.blocks("production_variants");
    if variants.is_empty() {
        return Outcome::Unpriced(format!("{} has no production_variants", config.address()));
    }
    let mut floor = 0.0;
    let mut ceiling = 0.0;
    let mut whats = Vec::new();
    let mut prices = Vec::new();
    let mut notes = Vec::new();
    for v in variants {
        let variant = super::document::text(v.get("variant_name"))
            .literal()
            .unwrap_or("?")
            .to_owned();
        if !blocks(v.get("serverless_config")).is_empty() {
            return Outcome::Unpriced(format!(
                "variant {variant:?} is serverless: billed per use (compute time and data), not in the price table"
            ));
        }
        let (instance_type, note) = match ctx.literal(
            v.get("instance_type"),
            &format!("variant {variant:?} instance_type"),
        ) {
            Ok(x) => x,
            Err(e) => return Outcome::Unpriced(e),
        };
        notes.extend(note);
        let (hourly, p) = match ctx.price_of(
            "sagemaker-realtime",
            &instance_type,
            "instance-hour",
            Some("instance type"),
        ) {
            Ok(x) => x,
            Err(e) => return Outcome::Unpriced(e),
        };
        prices.push(p);
        let count = match ctx.count(
            v.get("initial_instance_count"),
            &format!("variant {variant:?} initial_instance_count"),
            Some(1.0),
        ) {
            Ok(c) => c,
            Err(e) => return Outcome::Unpriced(e),
        };
        let managed = blocks(v.get("managed_instance_scaling"))
            .first()
            .filter(|m| super::document::text(m.get("status")).literal() == Some("ENABLED"))
            .map(|m| {
                (
                    number(m.get("min_instance_count")).value().copied(),
                    number(m.get("max_instance_count")).value().copied(),
                )
            });
        match scheduled(ctx, r, &variant, &instance_type, hourly) {
            Some(Ok(report)) => {
                floor += report.floor.monthly;
                ceiling += report.ceiling.monthly;
                whats.push(format!(
                    "{instance_type} × {}–{}, scheduled",
                    report
                        .segments
                        .iter()
                        .map(|s| s.min_capacity)
                        .min()
                        .unwrap_or(report.target_min),
                    report
                        .segments
                        .iter()
                        .map(|s| s.max_capacity)
                        .max()
                        .unwrap_or(report.target_max)
                ));
                ctx.schedules.push(report);
            }
            Some(Err(e)) => return Outcome::Unpriced(e),
            None => match managed {
                Some((Some(min), Some(max))) => {
                    floor += hourly * min * HOURS_PER_MONTH;
                    ceiling += hourly * max * HOURS_PER_MONTH;
                    whats.push(format!(
                        "{instance_type} × {min}–{max}, managed instance scaling"
                    ));
                    notes.push(format!(
                        "variant {variant:?}: managed instance scaling between {min} and {max} instances by demand"
                    ));
                }
                _ => {
                    floor += hourly * count * HOURS_PER_MONTH;
                    ceiling += hourly * count * HOURS_PER_MONTH;
                    whats.push(format!("{instance_type} × {count}"));
                }
            },
        }
    }
    line(
        r,
        whats.join(" + "),
        Range::new(floor, ceiling),
        prices,
        notes,
    )
}

/// The scheduled scaling of `endpoint`'s `variant`, if a scalable target scales it.
fn scheduled(
    ctx: &mut Ctx<'_>,
    endpoint: &ResourceRef<'_>,
    variant: &str,
    instance_type: &str,
    hourly: f64,
) -> Option<Result<ScheduleReport, String>> {
    let variant_suffix = format!("/variant/{variant}");
    let target = ctx
        .targets_by_endpoint
        .of(endpoint.name, ctx.own_literal_name(endpoint).as_deref())
        .into_iter()
        .find(|t| {
            t.get("resource_id")
                .and_then(Value::as_str)
                .is_some_and(|id| id.ends_with(&variant_suffix))
        })?;
    let bound = |key: &str| -> Result<u32, String> {
        match number(target.get(key)) {
            Known::Value(n) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => {
                Ok(n as u32)
            }
            Known::Expr(e) => Err(format!(
                "{} {key} is {e:?}: a value known only after apply",
                target.address()
            )),
            other => Err(format!(
                "{} {key} is {other:?}, not a whole number",
                target.address()
            )),
        }
    };
    let (min, max) = match (bound("min_capacity"), bound("max_capacity")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Some(Err(e)),
    };
    let target_id = target
        .get("resource_id")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut actions = Vec::new();
    let mut reports = Vec::new();
    let mut notes = Vec::new();
    for a in ctx.actions_by_target.of(target.name, Some(target_id)) {
        let zone_name = a.text("timezone").literal().unwrap_or("UTC").to_owned();
        let schedule_text = match a.text("schedule") {
            Text::Literal(s) => s.into_owned(),
            other => {
                notes.push(format!(
                    "{}: schedule {other:?} is not a literal: left out of the simulation",
                    a.address()
                ));
                continue;
            }
        };
        // A zone AWS would refuse leaves the action out, as a schedule it would refuse does.
        let parsed = Schedule::parse(&schedule_text)
            .and_then(|s| TimeZone::parse(&zone_name).map(|zone| (s, zone)));
        let (schedule, zone) = match parsed {
            Ok(x) => x,
            Err(e) => {
                notes.push(format!(
                    "{}: {} — left out of the simulation",
                    a.address(),
                    e.to_string().lines().next().unwrap_or_default()
                ));
                continue;
            }
        };
        if a.get("start_time").is_some() || a.get("end_time").is_some() {
            notes.push(format!(
                "{}: start_time/end_time are not simulated: the action is taken to be active all week",
                a.address()
            ));
        }
        let action_block = blocks(a.get("scalable_target_action"));
        let cap = |key: &str| {
            action_block
                .first()
                .and_then(|b| number(b.get(key)).value().copied())
                .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                .map(|n| n as u32)
        };
        let (amin, amax) = (cap("min_capacity"), cap("max_capacity"));
        reports.push(ActionReport {
            address: a.address(),
            schedule: schedule_text,
            timezone: zone_name.clone(),
            min_capacity: amin,
            max_capacity: amax,
        });
        actions.push(ScheduledAction {
            address: a.address(),
            schedule,
            zone,
            min: amin,
            max: amax,
        });
    }
    let sim = simulate(min, max, &actions);
    notes.extend(sim.notes.iter().cloned());
    let per_month = HOURS_PER_MONTH / HOURS_PER_WEEK;
    let floor_monthly = sim.floor_instance_hours * per_month * hourly;
    let ceiling_monthly = sim.ceiling_instance_hours * per_month * hourly;
    let always_on = f64::from(sim.always_on_capacity) * HOURS_PER_MONTH * hourly;
    let saving = always_on - ceiling_monthly;
    let start = CivilTime::from_unix_minutes(super::simulate::week_start());
    Some(Ok(ScheduleReport {
        target: target.address(),
        scales: format!("{} (variant {variant})", endpoint.address()),
        instance_type: instance_type.to_owned(),
        price_per_instance_hour: hourly,
        target_min: min,
        target_max: max,
        actions: reports,
        week_start: format!(
            "{:04}-{:02}-{:02} 00:00 UTC",
            start.year, start.month, start.day
        ),
        segments: sim.segments.clone(),
        floor: CapacityCost {
            average_instances: super::report::round_usd(sim.floor_instance_hours / HOURS_PER_WEEK),
            monthly: super::report::round_usd(floor_monthly),
        },
        ceiling: CapacityCost {
            average_instances: super::report::round_usd(
                sim.ceiling_instance_hours / HOURS_PER_WEEK,
            ),
            monthly: super::report::round_usd(ceiling_monthly),
        },
        always_on: CapacityCost {
            average_instances: f64::from(sim.always_on_capacity),
            monthly: super::report::round_usd(always_on),
        },
        saving_monthly: super::report::round_usd(saving),
        saving_percent: if always_on > 0.0 {
            super::report::round_usd(saving / always_on * 100.0)
        } else {
            0.0
        },
        exact: sim.exact && notes.is_empty(),
        notes,
    }))
}

fn elasticache_group(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let (node, note) = match ctx.literal(r.get("node_type"), "node_type") {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    let mut notes: Vec<String> = note.into_iter().collect();
    let engine = r.text("engine").literal().unwrap_or("redis").to_owned();
    let item = if engine == "valkey" {
        format!("valkey/{node}")
    } else {
        node.clone()
    };
    let count = if r.get("num_cache_clusters").is_some() {
        ctx.count(r.get("num_cache_clusters"), "num_cache_clusters", None)
    } else if r.get("num_node_groups").is_some() {
        let groups = ctx.count(r.get("num_node_groups"), "num_node_groups", None);
        let replicas = ctx.count(
            r.get("replicas_per_node_group"),
            "replicas_per_node_group",
            Some(0.0),
        );
        groups.and_then(|g| replicas.map(|rep| g * (rep + 1.0)))
    } else {
        notes.push("num_cache_clusters is not set: Terraform's default of 1 node".to_owned());
        Ok(1.0)
    };
    let count = match count {
        Ok(c) => c,
        Err(e) => return Outcome::Unpriced(e),
    };
    match ctx.price_of("elasticache", &item, "node-hour", Some("node type")) {
        Ok((hourly, p)) => line(
            r,
            format!("{node} × {count} ({engine})"),
            Range::fixed(hourly * count * HOURS_PER_MONTH),
            vec![p],
            notes,
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

fn elasticache_cluster(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    if r.get("replication_group_id").is_some() {
        return Outcome::NoCharge(
            "a member of a replication group: priced with the group".to_owned(),
        );
    }
    let (node, note) = match ctx.literal(r.get("node_type"), "node_type") {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    let count = match ctx.count(r.get("num_cache_nodes"), "num_cache_nodes", Some(1.0)) {
        Ok(c) => c,
        Err(e) => return Outcome::Unpriced(e),
    };
    match ctx.price_of("elasticache", &node, "node-hour", Some("node type")) {
        Ok((hourly, p)) => line(
            r,
            format!("{node} × {count}"),
            Range::fixed(hourly * count * HOURS_PER_MONTH),
            vec![p],
            note.into_iter().collect(),
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

fn lambda(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let memory = number(r.get("memory_size"))
        .value()
        .copied()
        .unwrap_or(128.0);
    let arm = r
        .get("architectures")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v == "arm64"));
    let arch = if arm { "arm64" } else { "x86_64" };
    let mut rates = Vec::new();
    if let Ok((_, p)) = ctx.price("lambda", "requests", "1M requests") {
        rates.push(p);
    }
    if let Ok((_, p)) = ctx.price("lambda", &format!("gb-second-{arch}"), "GB-second") {
        rates.push(p);
    }
    emf_metrics(ctx, r);
    usage(
        r,
        format!("{memory} MB, {arch}"),
        rates,
        "billed per request and GB-second of run time: usage known only at run time (a --traffic profile with \"router\" prices it)",
    )
}

/// The environment variable in which a function declares the CloudWatch custom metrics it
/// publishes in embedded metric format (EMF), so that they can be priced before apply:
/// `{"dimensions": {"Tier": ["small", …]}, "metrics": ["CacheHit", …]}`, published in the
/// namespace of `METRICS_NAMESPACE`. Each metric name × each combination of dimension values
/// is one custom metric. A value listed under `"optional_values"` (same shape as
/// `"dimensions"`) is published only in some months: it counts in the ceiling, not the floor.
pub const EMF_METRICS_VARIABLE: &str = "EMF_METRICS";

/// Custom metrics a function declares in [`EMF_METRICS_VARIABLE`], as a line of their own.
fn emf_metrics(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) {
    let variables = r
        .blocks("environment")
        .first()
        .and_then(|e| e.get("variables"))
        .and_then(Value::as_object);
    let Some(declared) = variables.and_then(|v| v.get(EMF_METRICS_VARIABLE)) else {
        return;
    };
    let address = format!("{} (custom metrics)", r.address());
    let parsed = declared
        .as_str()
        .and_then(|t| serde_json::from_str::<Value>(t).ok());
    let names = |v: Option<&Value>| -> Option<Vec<String>> {
        v?.as_array()?
            .iter()
            .map(|x| x.as_str().map(str::to_owned))
            .collect()
    };
    let combinations = |dims: Option<&Value>| -> Option<f64> {
        match dims {
            None => Some(1.0),
            Some(Value::Object(m)) => m
                .values()
                .map(|vals| names(Some(vals)).map(|v| v.len() as f64))
                .try_fold(1.0, |acc, n| n.map(|n| acc * n)),
            Some(_) => None,
        }
    };
    let shape = parsed.as_ref().and_then(|v| {
        let metrics = names(v.get("metrics"))?;
        let always = combinations(v.get("dimensions"))?;
        let optional = match v.get("optional_values") {
            None => 0.0,
            Some(Value::Object(extra)) => {
                // Each optional value adds the combinations it makes with the other dimensions.
                let dims = v.get("dimensions").and_then(Value::as_object)?;
                let mut total = 0.0;
                for (dim, vals) in extra {
                    let n = names(Some(vals))?.len() as f64;
                    let others = dims
                        .iter()
                        .filter(|(d, _)| *d != dim)
                        .map(|(_, vals)| names(Some(vals)).map(|v| v.len() as f64))
                        .try_fold(1.0, |acc, k| k.map(|k| acc * k))?;
                    total += n * others;
                }
                total
            }
            Some(_) => return None,
        };
        Some((metrics, always, optional))
    });
    let Some((metrics, always, optional)) = shape else {
        ctx.extra_unpriced.push(Unpriced {
            address,
            resource_type: r.type_name.to_owned(),
            reason: format!(
                "environment variable {EMF_METRICS_VARIABLE} is not {{\"dimensions\": {{NAME: [VALUE, …]}}, \"metrics\": [NAME, …]}} with literal names"
            ),
        });
        return;
    };
    let namespace = variables
        .and_then(|v| v.get("METRICS_NAMESPACE"))
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned();
    let (usd, p) = match ctx.price("cloudwatch", "custom-metric", "metric-month") {
        Ok(x) => x,
        Err(e) => {
            ctx.extra_unpriced.push(Unpriced {
                address,
                resource_type: r.type_name.to_owned(),
                reason: e,
            });
            return;
        }
    };
    let n = metrics.len() as f64;
    let (floor, ceiling) = (n * always, n * (always + optional));
    let mut prices = vec![p];
    let mut notes = vec![format!(
        "{} metric names × {always} dimension combination{} in namespace {namespace:?}, declared in {EMF_METRICS_VARIABLE}: {floor} custom metrics{}; a metric is billed for the hours it is published in, so a month of traffic on every combination is taken",
        metrics.len(),
        if always == 1.0 { "" } else { "s" },
        if optional > 0.0 {
            format!(
                ", up to {ceiling} with the {optional} combination{} published only in some months (the ceiling)",
                if optional == 1.0 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    )];
    notes.push(
        "the free tier's 10 custom metrics per account are not applied (at most $3.00 a month less)"
            .to_owned(),
    );
    if let Ok((gb, pl)) = ctx.price("cloudwatch", "logs-ingestion", "GB") {
        notes.push(format!(
            "the EMF lines are also log ingestion at {}/GB in the function's log group: billed by use, not in this line",
            super::report::rate(gb)
        ));
        prices.push(pl);
    }
    ctx.extra_lines.push(CostLine {
        address,
        resource_type: r.type_name.to_owned(),
        what: if optional > 0.0 {
            format!("{floor}–{ceiling} custom metrics")
        } else {
            format!("{floor} custom metrics")
        },
        monthly: Range::new(floor * usd, ceiling * usd),
        prices,
        notes,
    });
}

fn alarm(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let queries = r.blocks("metric_query");
    let metrics = if queries.is_empty() {
        1.0
    } else {
        queries
            .iter()
            .filter(|q| q.get("metric").is_some())
            .count()
            .max(1) as f64
    };
    let high_res = number(r.get("period")).value().is_some_and(|p| *p < 60.0)
        || queries.iter().any(|q| {
            blocks(q.get("metric"))
                .first()
                .and_then(|m| number(m.get("period")).value().copied())
                .is_some_and(|p| p < 60.0)
        });
    let item = if high_res {
        "alarm-high-resolution"
    } else {
        "alarm-standard"
    };
    match ctx.price("cloudwatch", item, "alarm-metric-month") {
        Ok((usd, p)) => line(
            r,
            format!(
                "{metrics} {} alarm metric{}",
                if high_res {
                    "high-resolution"
                } else {
                    "standard"
                },
                if metrics == 1.0 { "" } else { "s" }
            ),
            Range::fixed(usd * metrics),
            vec![p],
            Vec::new(),
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

/// Executions per month of the state machine `name`: those its EventBridge Scheduler
/// schedules and its EventBridge rules with a schedule start.
fn executions_per_month(ctx: &Ctx<'_>, name: &str) -> (f64, Vec<String>, Vec<String>) {
    let per_month = HOURS_PER_MONTH / HOURS_PER_WEEK;
    let mut total = 0.0;
    let mut by = Vec::new();
    let mut notes = Vec::new();
    for s in ctx.schedules_by_state_machine.of(name, None) {
        if s.text("state").literal() == Some("DISABLED") {
            continue;
        }
        match schedule_fires(&s, "schedule_expression", "schedule_expression_timezone") {
            Ok((n, note)) => {
                total += n * per_month;
                by.push(s.address());
                notes.extend(note);
            }
            Err(e) => notes.push(e),
        }
    }
    for t in ctx.event_targets_by_state_machine.of(name, None) {
        let rule = t.get("rule").and_then(Value::as_str).unwrap_or("");
        let Some(rule) = ctx.resolve(rule, types::CLOUDWATCH_EVENT_RULE) else {
            notes.push(format!(
                "{}: rule {rule:?} is not in this document: executions unknown",
                t.address()
            ));
            continue;
        };
        if rule.get("schedule_expression").is_none() {
            notes.push(format!(
                "{}: started by events, not a schedule: executions unknown",
                t.address()
            ));
            continue;
        }
        match schedule_fires(&rule, "schedule_expression", "") {
            Ok((n, note)) => {
                total += n * per_month;
                by.push(rule.address());
                notes.extend(note);
            }
            Err(e) => notes.push(e),
        }
    }
    (total, by, notes)
}

/// How often a schedule argument fires per week, with a note when approximated.
fn schedule_fires(
    r: &ResourceRef<'_>,
    key: &str,
    tz_key: &str,
) -> Result<(f64, Option<String>), String> {
    let text = match r.text(key) {
        Text::Literal(s) => s.into_owned(),
        Text::Expr(e) => {
            return Err(format!(
                "{}: {key} is {e:?}: a value known only after apply",
                r.address()
            ))
        }
        _ => return Err(format!("{}: {key} is not set", r.address())),
    };
    let schedule = Schedule::parse(&text).map_err(|e| {
        format!(
            "{}: {}",
            r.address(),
            e.to_string().lines().next().unwrap_or_default()
        )
    })?;
    let zone = TimeZone::parse(r.text(tz_key).literal().unwrap_or("UTC")).map_err(|e| {
        format!(
            "{}: {}",
            r.address(),
            e.to_string().lines().next().unwrap_or_default()
        )
    })?;
    let (n, note) = fires_per_week(&schedule, &zone);
    Ok((n, note.map(|n| format!("{}: {n}", r.address()))))
}

fn scheduler_schedule(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    if r.text("state").literal() == Some("DISABLED") {
        return Outcome::NoCharge("disabled: it invokes nothing".to_owned());
    }
    let (per_week, note) =
        match schedule_fires(r, "schedule_expression", "schedule_expression_timezone") {
            Ok(x) => x,
            Err(e) => return Outcome::Unpriced(e),
        };
    let per_month = per_week * HOURS_PER_MONTH / HOURS_PER_WEEK;
    match ctx.price("scheduler", "invocation", "1M invocations") {
        Ok((usd, p)) => line(
            r,
            format!("{per_month:.2} invocations/month"),
            Range::fixed(per_month / 1e6 * usd),
            vec![p],
            note.into_iter().collect(),
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

/// States of a definition, nested branches included.
fn count_states(v: &Value) -> usize {
    let Some(states) = v.get("States").and_then(Value::as_object) else {
        return 0;
    };
    states
        .values()
        .map(|s| {
            1 + s
                .get("Branches")
                .and_then(Value::as_array)
                .map(|b| b.iter().map(count_states).sum())
                .unwrap_or(0)
                + s.get("Iterator").map(count_states).unwrap_or(0)
                + s.get("ItemProcessor").map(count_states).unwrap_or(0)
        })
        .sum()
}

/// SageMaker transform jobs a definition starts: (instance type, count).
fn transform_jobs(v: &Value, found: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            let is_transform = m
                .get("Resource")
                .and_then(Value::as_str)
                .is_some_and(|r| r.contains(":sagemaker:createTransformJob"));
            if is_transform {
                let res = m
                    .get("Parameters")
                    .and_then(|p| p.get("TransformResources"));
                let ty = res
                    .and_then(|r| r.get("InstanceType"))
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned();
                let n = res
                    .and_then(|r| r.get("InstanceCount"))
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "?".into());
                found.push((ty, n));
            }
            for x in m.values() {
                transform_jobs(x, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| transform_jobs(x, found)),
        _ => {}
    }
}

fn state_machine(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let express = r.text("type").literal() == Some("EXPRESS");
    let definition = r
        .get("definition")
        .and_then(Value::as_str)
        .and_then(|d| json_with_holes(d).ok());
    let mut jobs = Vec::new();
    if let Some(d) = &definition {
        transform_jobs(d, &mut jobs);
    }
    for (ty, n) in &jobs {
        let rate = ctx
            .prices
            .get("sagemaker-realtime", ty, &ctx.region)
            .and_then(|p| p.usd)
            .map(|usd| {
                format!(
                    " (for scale: a real-time {ty} is {} per hour)",
                    super::report::rate(usd)
                )
            })
            .unwrap_or_default();
        ctx.extra_unpriced.push(Unpriced {
            address: format!("{} (batch transform runs)", r.address()),
            resource_type: r.type_name.to_owned(),
            reason: format!(
                "each execution runs a SageMaker batch transform job on {ty} × {n}, billed per instance-second while it runs: its duration is known only at run time; batch transform prices are not in the table{rate}"
            ),
        });
    }
    if express {
        return usage(
            r,
            "express workflow".to_owned(),
            Vec::new(),
            "billed per request and GB-second; not in the price table",
        );
    }
    let states = definition.as_ref().map(count_states).unwrap_or(0);
    let (executions, by, mut notes) = executions_per_month(ctx, r.name);
    let (usd, p) = match ctx.price("stepfunctions", "standard-transition", "state transition") {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    if by.is_empty() {
        let mut why = "billed per state transition; nothing in this document starts it on a schedule, so executions are known only at run time".to_owned();
        for note in &notes {
            why.push_str("; ");
            why.push_str(note);
        }
        return usage(r, "standard workflow".to_owned(), vec![p], &why);
    }
    if states == 0 {
        return Outcome::Unpriced(
            "the definition cannot be read (not JSON, or known only after apply): transitions per execution unknown"
                .to_owned(),
        );
    }
    notes.push(format!(
        "started by {}; {states} state transition{} per execution, each state taken to run once",
        by.join(", "),
        if states == 1 { "" } else { "s" }
    ));
    let transitions = executions * states as f64;
    line(
        r,
        format!(
            "{executions:.2} executions/month × {states} transition{}",
            if states == 1 { "" } else { "s" }
        ),
        Range::fixed(transitions * usd),
        vec![p],
        notes,
    )
}

/// An instance type a Batch environment may launch: its hourly price (spot where the
/// environment is spot), vCPUs and GPUs (when the table knows them).
struct BatchType {
    item: String,
    hourly: f64,
    vcpus: u32,
    gpus: Option<u32>,
}

/// A Batch compute environment: instances run only while jobs run. The floor keeps
/// `min_vcpus` on the cheapest type per vCPU; the ceiling is what the schedules in the
/// document submit (see [`scheduled_batch`]), or, when nothing submits on a schedule,
/// `max_vcpus` busy all month on the dearest type per vCPU.
fn batch_compute(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let Some(res) = r.blocks("compute_resources").first().copied() else {
        return Outcome::Unpriced(
            "compute_resources is not set (unmanaged environment): instances are yours to price"
                .to_owned(),
        );
    };
    let kind = super::document::text(res.get("type"))
        .literal()
        .unwrap_or("EC2")
        .to_owned();
    if kind.starts_with("FARGATE") {
        return usage(
            r,
            format!("{kind} compute environment"),
            Vec::new(),
            "Fargate is billed per vCPU-second and GB-second of the jobs; not in the price table",
        );
    }
    let Some(types) = res.get("instance_type").and_then(Value::as_array) else {
        return Outcome::Unpriced(
            "instance_type is not a list of literal instance types".to_owned(),
        );
    };
    let mut launchable: Vec<BatchType> = Vec::new();
    let mut prices = Vec::new();
    let mut notes = Vec::new();
    let bid = number(res.get("bid_percentage")).value().copied();
    for t in types {
        let name = match super::document::text(Some(t)) {
            Text::Literal(s) => s.into_owned(),
            Text::Expr(e) => {
                return Outcome::Unpriced(format!("instance_type {e:?} is known only after apply"))
            }
            _ => return Outcome::Unpriced(format!("instance_type {t} is not a string")),
        };
        if name == "optimal" {
            return Outcome::Unpriced(
                "instance_type \"optimal\" lets AWS Batch pick from several families: no single price".to_owned(),
            );
        }
        let candidates: Vec<Price> = if name.contains('.') {
            match ctx.prices.get("ec2", &name, &ctx.region) {
                Some(p) => vec![p.clone()],
                None => return Outcome::Unpriced(ctx.missing("ec2", &name, Some("instance type"))),
            }
        } else {
            ctx.prices
                .service("ec2", &ctx.region)
                .into_iter()
                .filter(|p| p.item.split('.').next() == Some(name.as_str()))
                .cloned()
                .collect()
        };
        if candidates.is_empty() {
            return Outcome::Unpriced(format!(
                "unknown instance family {name:?}: no ec2 price for any {name} type in {} (add one with --prices)",
                ctx.region
            ));
        }
        for p in candidates {
            if p.unit != "instance-hour" {
                return Outcome::Unpriced(format!(
                    "the ec2 price for {:?} in {} is per {:?}, but this estimate needs it per \"instance-hour\" (fix the entry's \"unit\" and \"usd\" in the price file)",
                    p.item, ctx.region, p.unit
                ));
            }
            let (Some(usd), Some(vcpus)) = (p.usd, p.vcpus.filter(|v| *v > 0)) else {
                return Outcome::Unpriced(format!("the ec2 price of {} lacks vcpus", p.item));
            };
            ctx.used.push(used(&p));
            prices.push(used(&p));
            let mut hourly = usd;
            if kind == "SPOT" {
                let family = p.item.split('.').next().unwrap_or("").to_owned();
                let Some((d, pu)) = ctx.discount("ec2-spot", &family) else {
                    return Outcome::Unpriced(format!(
                        "no spot price or discount for {family} in {} (add an ec2-spot entry with --prices)",
                        ctx.region
                    ));
                };
                if !prices.contains(&pu) {
                    notes.push(format!(
                        "spot taken as {:.0}% off on-demand for {family}: a planning figure, not a quoted price (see the notes on prices)",
                        d * 100.0
                    ));
                    prices.push(pu);
                }
                hourly = usd * (1.0 - d);
                if let Some(b) = bid {
                    hourly = hourly.min(usd * b / 100.0);
                }
            }
            launchable.push(BatchType {
                item: p.item.clone(),
                hourly,
                vcpus,
                gpus: p.gpus,
            });
        }
    }
    let min_vcpus = match ctx.count(res.get("min_vcpus"), "min_vcpus", Some(0.0)) {
        Ok(v) => v,
        Err(e) => return Outcome::Unpriced(e),
    };
    let max_vcpus = match ctx.count(res.get("max_vcpus"), "max_vcpus", None) {
        Ok(v) => v,
        Err(e) => return Outcome::Unpriced(e),
    };
    let per_vcpu = |t: &BatchType| t.hourly / f64::from(t.vcpus);
    let cheapest = launchable
        .iter()
        .map(per_vcpu)
        .fold(f64::INFINITY, f64::min);
    let dearest = launchable.iter().map(per_vcpu).fold(0.0, f64::max);
    let floor = min_vcpus * cheapest * HOURS_PER_MONTH;
    let theoretical = max_vcpus * dearest * HOURS_PER_MONTH;
    notes.push(format!(
        "instances run only while jobs run: the floor keeps min_vcpus ({min_vcpus}) on the cheapest type per vCPU; a job-hour costs one instance-hour"
    ));
    let ceiling = match scheduled_batch(ctx, r, &launchable) {
        BatchJobs::Priced { monthly, notes: n } if monthly <= theoretical => {
            notes.extend(n);
            notes.push(format!(
                "jobs submitted any other way are not in the ceiling; with max_vcpus ({max_vcpus}) busy all month on the dearest type per vCPU it would be ${}",
                super::report::money(theoretical)
            ));
            monthly
        }
        BatchJobs::Priced { notes: n, .. } => {
            notes.extend(n);
            notes.push(format!(
                "the scheduled jobs could keep more than max_vcpus ({max_vcpus}) busy: the ceiling is max_vcpus busy all month on the dearest type per vCPU"
            ));
            theoretical
        }
        BatchJobs::Unbounded(why) => {
            notes.push(format!(
                "{why}: the ceiling keeps max_vcpus ({max_vcpus}) busy all month on the dearest type per vCPU"
            ));
            theoretical
        }
    };
    let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
    line(
        r,
        format!("{kind} {}, {min_vcpus}–{max_vcpus} vCPUs", names.join("/")),
        Range::new(floor, ceiling),
        prices,
        notes,
    )
}

/// What the schedules of a document submit to a Batch compute environment.
enum BatchJobs {
    /// The most the scheduled jobs can cost a month, and how it was computed.
    Priced { monthly: f64, notes: Vec<String> },
    /// Why the scheduled jobs give no bound.
    Unbounded(String),
}

/// A job a schedule submits: the job definition's resources and bounds.
struct JobSpec {
    vcpus: f64,
    gpus: f64,
    attempts: f64,
    timeout_hours: f64,
}

/// The job definition `name`'s vCPUs, GPUs, attempts and timeout.
fn job_spec(ctx: &Ctx<'_>, name: &str) -> Result<JobSpec, String> {
    let Some(def) = ctx.doc.get(BatchJobDefinition::TYPE, name) else {
        let address = Address::new(ResourceKind::Managed, BatchJobDefinition::TYPE, name);
        return Err(format!(
            "{address} is not in this document: the jobs' resources are unknown"
        ));
    };
    let address = def.address();
    let props = def
        .get("container_properties")
        .and_then(Value::as_str)
        .and_then(|t| json_with_holes(t).ok())
        .ok_or_else(|| {
            format!(
                "{address}: container_properties cannot be read: the job's resources are unknown"
            )
        })?;
    let requirement = |kind: &str| {
        props
            .get("resourceRequirements")
            .and_then(Value::as_array)
            .and_then(|reqs| {
                reqs.iter()
                    .find(|q| q.get("type").and_then(Value::as_str) == Some(kind))
            })
            .and_then(|q| q.get("value"))
            .and_then(|v| match v {
                Value::String(s) => s.parse::<f64>().ok(),
                other => other.as_f64(),
            })
    };
    let vcpus = requirement("VCPU")
        .or_else(|| props.get("vcpus").and_then(Value::as_f64))
        .unwrap_or(1.0);
    let gpus = requirement("GPU").unwrap_or(0.0);
    let attempts = def
        .blocks("retry_strategy")
        .first()
        .and_then(|b| number(b.get("attempts")).value().copied())
        .unwrap_or(1.0)
        .max(1.0);
    let timeout = def
        .blocks("timeout")
        .first()
        .and_then(|b| number(b.get("attempt_duration_seconds")).value().copied())
        .filter(|s| *s > 0.0)
        .ok_or_else(|| {
            format!("{address} sets no timeout (timeout.attempt_duration_seconds): a job may run all month")
        })?;
    Ok(JobSpec {
        vcpus,
        gpus,
        attempts,
        timeout_hours: timeout / 3600.0,
    })
}

/// The jobs that schedules in the document submit to the queues `ce` serves, priced at
/// their bound: jobs a month (from each schedule, simulated like scaling schedules) × the
/// job definition's attempts × its timeout, each job alone on the dearest type it fits.
fn scheduled_batch(ctx: &Ctx<'_>, ce: &ResourceRef<'_>, launchable: &[BatchType]) -> BatchJobs {
    let queues: Vec<ResourceRef<'_>> = ctx
        .doc
        .of_type(BatchJobQueue::TYPE)
        .into_iter()
        .filter(|q| {
            let order = q.blocks("compute_environment_order");
            let mut texts: Vec<&str> = order
                .iter()
                .filter_map(|o| o.get("compute_environment").and_then(Value::as_str))
                .collect();
            if let Some(Value::Array(list)) = q.get("compute_environments") {
                texts.extend(list.iter().filter_map(Value::as_str));
            }
            texts
                .iter()
                .any(|t| references(t, BatchComputeEnvironment::TYPE).contains(&ce.name))
        })
        .collect();
    if queues.is_empty() {
        return BatchJobs::Unbounded("no job queue in this document uses it".to_owned());
    }
    let per_month = HOURS_PER_MONTH / HOURS_PER_WEEK;
    let mut monthly = 0.0;
    let mut notes = Vec::new();
    let mut submitters = 0;
    for q in &queues {
        // EventBridge Scheduler's universal target for Batch SubmitJob.
        for s in ctx.doc.of_type(SchedulerSchedule::TYPE) {
            let Some(target) = s.blocks("target").first().copied() else {
                continue;
            };
            let arn = target.get("arn").and_then(Value::as_str).unwrap_or("");
            let input = target.get("input").and_then(Value::as_str).unwrap_or("");
            if !arn.ends_with(":batch:submitJob")
                || !references(input, BatchJobQueue::TYPE).contains(&q.name)
            {
                continue;
            }
            if s.text("state").literal() == Some("DISABLED") {
                continue;
            }
            submitters += 1;
            let (per_week, note) =
                match schedule_fires(&s, "schedule_expression", "schedule_expression_timezone") {
                    Ok(x) => x,
                    Err(e) => return BatchJobs::Unbounded(e),
                };
            notes.extend(note);
            let Some(definition) = references(input, BatchJobDefinition::TYPE).first().copied()
            else {
                return BatchJobs::Unbounded(format!(
                    "{}: the job definition it submits is not a reference in this document",
                    s.address()
                ));
            };
            let array_size = json_with_holes(input)
                .ok()
                .and_then(|v| v.get("ArrayProperties")?.get("Size")?.as_f64())
                .unwrap_or(1.0)
                .max(1.0);
            let job = match job_spec(ctx, definition) {
                Ok(j) => j,
                Err(e) => return BatchJobs::Unbounded(e),
            };
            let fits = launchable.iter().filter(|t| {
                f64::from(t.vcpus) >= job.vcpus && t.gpus.is_none_or(|g| f64::from(g) >= job.gpus)
            });
            let Some(dearest) = fits.max_by(|a, b| a.hourly.total_cmp(&b.hourly)) else {
                return BatchJobs::Unbounded(format!(
                    "a job of aws_batch_job_definition.{definition} needs {} vCPUs and {} GPUs: no instance type of this environment has that many, so its jobs would never run",
                    job.vcpus, job.gpus
                ));
            };
            let jobs = per_week * per_month * array_size;
            let cost = jobs * job.attempts * job.timeout_hours * dearest.hourly;
            monthly += cost;
            let schedule = s
                .text("schedule_expression")
                .literal()
                .unwrap_or("?")
                .to_owned();
            let zone = s
                .text("schedule_expression_timezone")
                .literal()
                .unwrap_or("UTC")
                .to_owned();
            notes.push(format!(
                "the ceiling is the jobs the schedules submit, each attempt running to its timeout: {} submits {jobs:.2} job{}/month ({schedule} {zone}{}) of aws_batch_job_definition.{definition} ({} vCPU, {} GPU) to {}; × up to {} attempt{} × {} h (its timeout.attempt_duration_seconds) on the dearest type a job fits alone, {} at {}/h = ${}",
                s.address(),
                if (jobs - 1.0).abs() < 1e-9 { "" } else { "s" },
                if array_size > 1.0 { format!(", array of {array_size}") } else { String::new() },
                job.vcpus,
                job.gpus,
                q.address(),
                job.attempts,
                if job.attempts == 1.0 { "" } else { "s" },
                job.timeout_hours,
                dearest.item,
                super::report::rate(dearest.hourly),
                super::report::money(cost)
            ));
        }
    }
    if submitters == 0 {
        return BatchJobs::Unbounded(
            "nothing in this document submits jobs to its queues on a schedule".to_owned(),
        );
    }
    BatchJobs::Priced { monthly, notes }
}

fn vpc_endpoint(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let kind = r
        .text("vpc_endpoint_type")
        .literal()
        .unwrap_or("Gateway")
        .to_owned();
    match kind.as_str() {
        "Gateway" => Outcome::NoCharge(
            "gateway endpoints (S3, DynamoDB) have no hourly or data charge".to_owned(),
        ),
        "Interface" => {
            let azs = match r.get("subnet_ids") {
                Some(Value::Array(ids)) => ids.len() as f64,
                Some(Value::String(e)) => {
                    return Outcome::Unpriced(format!(
                        "subnet_ids is {e:?}: the number of availability zones is known only after apply"
                    ))
                }
                _ => {
                    return Outcome::Unpriced(
                        "subnet_ids is not set: the number of availability zones is known only after apply".to_owned(),
                    )
                }
            };
            let (usd, p) = match ctx.price("vpc", "interface-endpoint", "endpoint-AZ-hour") {
                Ok(x) => x,
                Err(e) => return Outcome::Unpriced(e),
            };
            let mut prices = vec![p];
            let mut what = format!("interface endpoint × {azs} AZ");
            if let Ok((gb, pd)) = ctx.price("vpc", "interface-endpoint-data", "GB") {
                what.push_str(&format!(" (+{}/GB)", super::report::rate(gb)));
                prices.push(pd);
            }
            line(
                r,
                what,
                Range::fixed(usd * azs * HOURS_PER_MONTH),
                prices,
                Vec::new(),
            )
        }
        other => Outcome::Unpriced(format!("no price rule for {other} endpoints")),
    }
}

fn ec2_instance(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let (ty, note) = match ctx.literal(r.get("instance_type"), "instance_type") {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    let (usd, p) = match ctx.price_of("ec2", &ty, "instance-hour", Some("instance type")) {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    let spot = r
        .blocks("instance_market_options")
        .first()
        .and_then(|m| {
            super::document::text(m.get("market_type"))
                .literal()
                .map(str::to_owned)
        })
        .is_some_and(|m| m == "spot");
    let mut prices = vec![p];
    let mut hourly = usd;
    let mut notes: Vec<String> = note.into_iter().collect();
    if spot {
        let family = ty.split('.').next().unwrap_or("").to_owned();
        match ctx.discount("ec2-spot", &family) {
            Some((d, pu)) => {
                hourly *= 1.0 - d;
                notes.push(format!("spot taken as {:.0}% off on-demand", d * 100.0));
                prices.push(pu);
            }
            None => {
                return Outcome::Unpriced(format!(
                    "no spot price or discount for {family} in {} (add an ec2-spot entry with --prices)",
                    ctx.region
                ))
            }
        }
    }
    line(
        r,
        format!("{ty}{}", if spot { " (spot)" } else { "" }),
        Range::fixed(hourly * HOURS_PER_MONTH),
        prices,
        notes,
    )
}

/// With quantities in the usage file for `r`, its usage priced: added to its line, or a line
/// of its own for a resource billed only by use. Without them, a resource billed by use says
/// which keys the usage file takes, and the rates they are billed at.
fn apply_usage(
    ctx: &mut Ctx<'_>,
    r: &ResourceRef<'_>,
    outcome: Outcome,
    usage_file: Option<&UsageFile>,
) -> Outcome {
    let keys = rules::usage_keys(r);
    if keys.is_empty() {
        return outcome;
    }
    let address = r.address();
    let given = usage_file.and_then(|u| u.resources.get(&address).map(|q| (u, q)));
    let Some((file, quantities)) = given else {
        return match outcome {
            Outcome::Usage(mut u) => {
                if u.rates.is_empty() {
                    u.rates = keys
                        .iter()
                        .filter_map(|k| ctx.price(k.service, &k.item, k.unit).ok().map(|(_, p)| p))
                        .collect();
                }
                u.why = format!("{}; price it with --usage FILE: {}", u.why, describe(&keys));
                Outcome::Usage(u)
            }
            other => other,
        };
    };
    let mut floor = 0.0;
    let mut prices = Vec::new();
    let mut notes = Vec::new();
    let mut whats = Vec::new();
    for k in &keys {
        let Some(q) = quantities.get(k.key).copied() else {
            continue;
        };
        match ctx.price(k.service, &k.item, k.unit) {
            Ok((usd, p)) => {
                let cost = q * k.factor * usd;
                floor += cost;
                notes.push(format!(
                    "usage from {}: {} {q} ({}) at {} per {} = ${}",
                    file.source_name,
                    k.key,
                    k.means,
                    super::report::rate(usd),
                    k.unit,
                    super::report::money(cost)
                ));
                whats.push(format!("{} {q}", k.key));
                prices.push(p);
            }
            Err(reason) => ctx.extra_unpriced.push(Unpriced {
                address: format!("{address} (usage {})", k.key),
                resource_type: r.type_name.to_owned(),
                reason,
            }),
        }
    }
    let missing: Vec<&str> = keys
        .iter()
        .filter(|k| !quantities.contains_key(k.key))
        .map(|k| k.key)
        .collect();
    if !missing.is_empty() {
        notes.push(format!(
            "not in the usage file, so not in this line: {}",
            missing.join(", ")
        ));
    }
    let used_range = Range::fixed(floor);
    match outcome {
        // Nothing given could be priced (each key is under "cannot price"): still billed by use.
        Outcome::Usage(u) if whats.is_empty() => Outcome::Usage(u),
        Outcome::Line(mut l) => {
            l.monthly = l.monthly.plus(used_range);
            for p in prices {
                if !l.prices.contains(&p) {
                    l.prices.push(p);
                }
            }
            l.what = format!("{} + {}", l.what, whats.join(", "));
            l.notes.extend(notes);
            Outcome::Line(l)
        }
        Outcome::Usage(u) => line(
            r,
            format!("{}: {}", u.what, whats.join(", ")),
            used_range,
            prices,
            notes,
        ),
        other => other,
    }
}

/// The usage keys, as the report lists them: `key (what it means)`.
fn describe(keys: &[UsageKey]) -> String {
    keys.iter()
        .map(|k| format!("{} ({})", k.key, k.means))
        .collect::<Vec<_>>()
        .join(", ")
}
