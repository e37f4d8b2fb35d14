//! Price rules for the AWS resources that bill a fixed amount by the hour or the month
//! (instances, volumes, load balancers, databases, clusters, keys, secrets, zones, …), each
//! driven by the arguments that set the bill, and the usage keys of the resources billed by
//! use (`--usage FILE`).
//!
//! [`PRICED_TYPES`] lists every type `cost` prices, with what sets its bill and the prices it
//! needs; [`priced_table`] writes it as the table of `analysis/PRICED.md`, with the regions
//! the price table covers.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;

use super::ctx::{line, usage, Ctx, Outcome};
use super::document::{blocks, number, references, text, Known, ResourceRef, Text};
use super::prices::PriceTable;
use super::report::{rate, PriceUsed, Range, HOURS_PER_MONTH};

/// The regions every rule is meant to be priced in: the columns of the table.
pub const REGIONS: [&str; 6] = [
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
];

/// A price an item of the table gives for every region (`"region": "*"`): a global service
/// (Route 53) or one whose pricing page gives a single price for all regions.
pub const ALL_REGIONS: &str = "*";

/// A priced resource type: what sets its bill and the prices (service, item prefix) it needs.
#[derive(Debug, Clone, Copy)]
pub struct PricedType {
    /// The Terraform type, e.g. `aws_db_instance`.
    pub resource_type: &'static str,
    /// The arguments that set the bill.
    pub drives: &'static str,
    /// The prices it needs in a region to price its simplest configuration: a service of
    /// the price table and an item prefix (`""`: any item of the service, e.g. any instance
    /// class).
    pub needs: &'static [(&'static str, &'static str)],
}

/// Every resource type `cost` prices, in the order of the table.
pub const PRICED_TYPES: &[PricedType] = &[
    // Compute and networking.
    PricedType { resource_type: "aws_instance", drives: "instance_type (spot: instance_market_options)", needs: &[("ec2", "")] },
    PricedType { resource_type: "aws_ebs_volume", drives: "type, size, iops, throughput", needs: &[("ebs", "")] },
    PricedType { resource_type: "aws_eip", drives: "one public IPv4 address", needs: &[("vpc", "public-ipv4")] },
    PricedType { resource_type: "aws_nat_gateway", drives: "one gateway (+ GB processed: usage data_gb)", needs: &[("vpc", "nat-gateway")] },
    PricedType { resource_type: "aws_lb", drives: "load_balancer_type (+ LCUs: usage lcus)", needs: &[("elb", "")] },
    PricedType { resource_type: "aws_alb", drives: "load_balancer_type (+ LCUs: usage lcus)", needs: &[("elb", "")] },
    PricedType { resource_type: "aws_vpc_endpoint", drives: "vpc_endpoint_type Interface × subnet_ids (AZs)", needs: &[("vpc", "interface-endpoint")] },
    PricedType { resource_type: "aws_ec2_transit_gateway_vpc_attachment", drives: "one attachment (+ GB: usage data_gb)", needs: &[("transit-gateway", "attachment")] },
    PricedType { resource_type: "aws_ec2_client_vpn_network_association", drives: "one subnet association (+ connection-hours on the endpoint: usage connection_hours)", needs: &[("client-vpn", "association")] },
    PricedType { resource_type: "aws_vpn_connection", drives: "one Site-to-Site VPN connection", needs: &[("vpn", "site-to-site-connection")] },
    // Databases and storage.
    PricedType { resource_type: "aws_db_instance", drives: "engine, instance_class, multi_az, storage_type, allocated_storage, iops, manage_master_user_password", needs: &[("rds", ""), ("rds-storage", "")] },
    PricedType { resource_type: "aws_rds_cluster_instance", drives: "engine, instance_class; db.serverless: the cluster's serverlessv2_scaling_configuration min/max ACUs", needs: &[("rds", "aurora")] },
    PricedType { resource_type: "aws_rds_cluster", drives: "manage_master_user_password (storage and I/O: usage storage_gb, io_requests)", needs: &[("secretsmanager", "secret")] },
    PricedType { resource_type: "aws_dynamodb_table", drives: "billing_mode PROVISIONED: read_capacity, write_capacity (+ indexes)", needs: &[("dynamodb", "read-capacity-unit"), ("dynamodb", "write-capacity-unit")] },
    PricedType { resource_type: "aws_elasticache_replication_group", drives: "node_type, engine, num_cache_clusters or num_node_groups × (replicas + 1)", needs: &[("elasticache", "")] },
    PricedType { resource_type: "aws_elasticache_cluster", drives: "node_type, num_cache_nodes", needs: &[("elasticache", "")] },
    PricedType { resource_type: "aws_elasticache_serverless_cache", drives: "engine, cache_usage_limits minimums (GB stored, ECPU/s)", needs: &[("elasticache-serverless", "")] },
    PricedType { resource_type: "aws_opensearch_domain", drives: "cluster_config instance_type × instance_count, dedicated masters, warm nodes; ebs_options volume_size × nodes", needs: &[("opensearch", "")] },
    PricedType { resource_type: "aws_elasticsearch_domain", drives: "cluster_config instance_type × instance_count, dedicated masters, warm nodes; ebs_options volume_size × nodes", needs: &[("opensearch", "")] },
    PricedType { resource_type: "aws_efs_file_system", drives: "throughput_mode provisioned × provisioned_throughput_in_mibps (storage: usage storage_gb)", needs: &[("efs", "provisioned-throughput")] },
    // Containers and streaming.
    PricedType { resource_type: "aws_eks_cluster", drives: "one cluster", needs: &[("eks", "cluster")] },
    PricedType { resource_type: "aws_eks_node_group", drives: "instance_types, scaling_config desired/max size, capacity_type", needs: &[("ec2", "")] },
    PricedType { resource_type: "aws_ecs_service", drives: "launch_type FARGATE or capacity_provider_strategy FARGATE/FARGATE_SPOT (base, weight) × desired_count (or its scalable target's min/max) × the task definition's cpu and memory, runtime_platform", needs: &[("fargate", "")] },
    PricedType { resource_type: "aws_msk_cluster", drives: "broker_node_group_info instance_type × number_of_broker_nodes, EBS volume_size per broker", needs: &[("msk", "")] },
    PricedType { resource_type: "aws_kinesis_stream", drives: "stream_mode PROVISIONED: shard_count; ON_DEMAND: the stream (+ GB: usage)", needs: &[("kinesis", "")] },
    PricedType { resource_type: "aws_redshift_cluster", drives: "node_type × number_of_nodes", needs: &[("redshift", "")] },
    // Security and monitoring.
    PricedType { resource_type: "aws_kms_key", drives: "one key", needs: &[("kms", "key")] },
    PricedType { resource_type: "aws_kms_replica_key", drives: "one key", needs: &[("kms", "key")] },
    PricedType { resource_type: "aws_secretsmanager_secret", drives: "one secret + each replica", needs: &[("secretsmanager", "secret")] },
    PricedType { resource_type: "aws_route53_zone", drives: "one hosted zone", needs: &[("route53", "hosted-zone")] },
    PricedType { resource_type: "aws_route53_health_check", drives: "one health check", needs: &[("route53", "health-check")] },
    PricedType { resource_type: "aws_cloudwatch_metric_alarm", drives: "metrics queried, period (high resolution under 60 s)", needs: &[("cloudwatch", "alarm")] },
    PricedType { resource_type: "aws_cloudwatch_composite_alarm", drives: "one alarm", needs: &[("cloudwatch", "alarm-composite")] },
    PricedType { resource_type: "aws_cloudwatch_dashboard", drives: "one dashboard", needs: &[("cloudwatch", "dashboard")] },
    PricedType { resource_type: "aws_wafv2_web_acl", drives: "one web ACL + each rule (+ requests: usage requests)", needs: &[("waf", "web-acl"), ("waf", "rule")] },
    // Serverless, schedules and ML.
    PricedType { resource_type: "aws_lambda_provisioned_concurrency_config", drives: "provisioned_concurrent_executions × the function's memory_size, architecture", needs: &[("lambda", "provisioned-concurrency")] },
    PricedType { resource_type: "aws_sagemaker_endpoint", drives: "the configuration's variants: instance_type × initial_instance_count, managed or scheduled scaling", needs: &[("sagemaker-realtime", "")] },
    PricedType { resource_type: "aws_batch_compute_environment", drives: "instance types, min/max vCPUs, spot, the jobs schedules submit", needs: &[("ec2", "")] },
    PricedType { resource_type: "aws_scheduler_schedule", drives: "invocations of its schedule expression", needs: &[("scheduler", "invocation")] },
    PricedType { resource_type: "aws_sfn_state_machine", drives: "STANDARD: states × executions its schedules start", needs: &[("stepfunctions", "standard-transition")] },
];

/// The regions `table` prices `t` in: those with a price for every need (a `"*"` price
/// counts for every region).
pub fn regions_priced(t: &PricedType, table: &PriceTable) -> BTreeSet<String> {
    regions_where(t, table, false)
}

/// The regions where every need of `t` has a price checked on a page read (`verified`).
pub fn regions_verified(t: &PricedType, table: &PriceTable) -> BTreeSet<String> {
    regions_where(t, table, true)
}

fn regions_where(t: &PricedType, table: &PriceTable, verified: bool) -> BTreeSet<String> {
    let mut result: Option<BTreeSet<String>> = None;
    for (service, prefix) in t.needs {
        let regions: BTreeSet<String> = table
            .prices()
            .filter(|p| {
                p.service == *service
                    && p.item.starts_with(prefix)
                    && p.usd.is_some()
                    && (p.verified || !verified)
            })
            .map(|p| p.region.clone())
            .collect();
        result = Some(match result {
            None => regions,
            Some(r) if regions.contains(ALL_REGIONS) => r,
            Some(r) if r.contains(ALL_REGIONS) => regions,
            Some(r) => r.intersection(&regions).cloned().collect(),
        });
    }
    result.unwrap_or_default()
}

/// The table of `analysis/PRICED.md`: every priced type, what sets its bill, and whether
/// the price table has its prices in each of [`REGIONS`] (and in every other region).
pub fn priced_table(table: &PriceTable) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| type | what sets the bill | {} | other regions |",
        REGIONS.join(" | ")
    );
    let _ = writeln!(out, "|---|---|{}---|", "---|".repeat(REGIONS.len()));
    for t in PRICED_TYPES {
        let regions = regions_priced(t, table);
        let verified = regions_verified(t, table);
        let all = regions.contains(ALL_REGIONS);
        let cells: Vec<&str> = REGIONS
            .iter()
            .map(|r| {
                if verified.contains(*r) || verified.contains(ALL_REGIONS) {
                    "✓"
                } else if all || regions.contains(*r) {
                    "✓ unverified"
                } else {
                    "–"
                }
            })
            .collect();
        let others: Vec<&str> = regions
            .iter()
            .map(String::as_str)
            .filter(|r| *r != ALL_REGIONS && !REGIONS.contains(r))
            .collect();
        let elsewhere = if all {
            "✓ (one price for all)".to_owned()
        } else if others.is_empty() {
            "–".to_owned()
        } else {
            others.join(", ")
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {elsewhere} |",
            t.resource_type,
            t.drives,
            cells.join(" | ")
        );
    }
    out
}

/// The price rule of `r`'s type, if this module has one.
pub(super) fn price(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Option<Outcome> {
    Some(match r.type_name {
        "aws_ebs_volume" => ebs_volume(ctx, r),
        "aws_eip" => fixed(ctx, r, ("vpc", "public-ipv4", "address-hour"), HOURS_PER_MONTH, "1 public IPv4 address", &["every public IPv4 address is billed by the hour, attached or not"]),
        "aws_lb" | "aws_alb" => load_balancer(ctx, r),
        "aws_ec2_transit_gateway_vpc_attachment" => fixed(ctx, r, ("transit-gateway", "attachment", "attachment-hour"), HOURS_PER_MONTH, "1 VPC attachment", &[]),
        "aws_ec2_client_vpn_network_association" => fixed(ctx, r, ("client-vpn", "association", "association-hour"), HOURS_PER_MONTH, "1 subnet association", &[]),
        "aws_ec2_client_vpn_endpoint" => usage(r, "Client VPN endpoint".to_owned(), Vec::new(), "billed per connection-hour; its subnet associations are priced with them"),
        "aws_vpn_connection" => fixed(ctx, r, ("vpn", "site-to-site-connection", "connection-hour"), HOURS_PER_MONTH, "1 Site-to-Site VPN connection", &[]),
        "aws_db_instance" => db_instance(ctx, r),
        "aws_rds_cluster_instance" => cluster_instance(ctx, r),
        "aws_rds_cluster" => rds_cluster(ctx, r),
        "aws_dynamodb_table" => dynamodb_table(ctx, r),
        "aws_elasticache_serverless_cache" => elasticache_serverless(ctx, r),
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => search_domain(ctx, r),
        "aws_efs_file_system" => efs(ctx, r),
        "aws_eks_cluster" => fixed(ctx, r, ("eks", "cluster", "cluster-hour"), HOURS_PER_MONTH, "1 cluster (control plane)", &["a Kubernetes version in extended support costs more per hour: not priced"]),
        "aws_eks_node_group" => eks_node_group(ctx, r),
        "aws_ecs_service" => ecs_service(ctx, r),
        "aws_msk_cluster" => msk(ctx, r),
        "aws_kinesis_stream" => kinesis(ctx, r),
        "aws_redshift_cluster" => redshift(ctx, r),
        "aws_kms_key" | "aws_kms_replica_key" => kms_key(ctx, r),
        "aws_secretsmanager_secret" => secret(ctx, r),
        "aws_route53_zone" => fixed(ctx, r, ("route53", "hosted-zone", "zone-month"), 1.0, "1 hosted zone", &["the first 25 zones of an account; DNS queries are billed by use"]),
        "aws_route53_health_check" => fixed(ctx, r, ("route53", "health-check", "check-month"), 1.0, "1 health check", &["the basic price for an AWS endpoint; optional features (HTTPS, string matching, fast interval, latency) cost more and are not priced"]),
        "aws_wafv2_web_acl" => web_acl(ctx, r),
        "aws_wafv2_rule_group" => Outcome::NoCharge("billed as one rule of each web ACL that uses it".to_owned()),
        "aws_lambda_provisioned_concurrency_config" => provisioned_concurrency(ctx, r),
        "aws_backup_vault" => usage(r, "backup vault".to_owned(), Vec::new(), "no fixed charge: billed per GB-month of the backups it holds and per GB restored, at the rate of the kind of resource backed up (EBS, RDS, EFS, DynamoDB, …)"),
        "aws_backup_plan" | "aws_backup_selection" | "aws_backup_vault_policy" => Outcome::NoCharge("no charge of its own; its backups are billed by use in their vault".to_owned()),
        "aws_sqs_queue" => usage(r, "queue".to_owned(), Vec::new(), "billed per request"),
        "aws_api_gateway_rest_api" => usage(r, "REST API".to_owned(), Vec::new(), "billed per request"),
        "aws_apigatewayv2_api" => usage(r, "HTTP or WebSocket API".to_owned(), Vec::new(), "billed per request or message"),
        "aws_cloudfront_distribution" => usage(r, "distribution".to_owned(), Vec::new(), "billed per GB out and per request"),
        "aws_ecs_cluster" | "aws_ecs_task_definition" | "aws_ecs_cluster_capacity_providers" => Outcome::NoCharge("no charge of its own; its tasks are priced with the services that run them".to_owned()),
        "aws_lb_target_group" | "aws_lb_listener" | "aws_lb_listener_rule" | "aws_lb_target_group_attachment" | "aws_alb_target_group" | "aws_alb_listener" => Outcome::NoCharge("no charge of its own; priced with the load balancer".to_owned()),
        "aws_db_subnet_group" | "aws_db_parameter_group" | "aws_rds_cluster_parameter_group" | "aws_db_option_group" | "aws_opensearch_domain_policy" | "aws_msk_configuration" | "aws_kms_alias" | "aws_secretsmanager_secret_version" | "aws_secretsmanager_secret_policy" | "aws_route53_record" | "aws_wafv2_web_acl_association" | "aws_wafv2_ip_set" | "aws_ecr_lifecycle_policy" | "aws_efs_mount_target" | "aws_efs_access_point" | "aws_eks_addon" | "aws_eks_access_entry" | "aws_eks_access_policy_association" | "aws_ec2_transit_gateway_route_table" | "aws_ec2_transit_gateway" | "aws_vpn_gateway" | "aws_customer_gateway" | "aws_launch_template" => Outcome::NoCharge("no charge of its own".to_owned()),
        _ => return None,
    })
}

/// A monthly line of `quantity` × a price: `quantity` is in the price's unit a month (for a
/// price per hour, the count × [`HOURS_PER_MONTH`]).
fn fixed(
    ctx: &mut Ctx<'_>,
    r: &ResourceRef<'_>,
    (service, item, unit): (&str, &str, &str),
    quantity: f64,
    what: &str,
    notes: &[&str],
) -> Outcome {
    match ctx.price(service, item, unit) {
        Ok((usd, p)) => line(
            r,
            what.to_owned(),
            Range::fixed(usd * quantity),
            vec![p],
            notes.iter().map(|n| (*n).to_owned()).collect(),
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

/// Adds up priced parts: a floor, a ceiling, the prices, what and notes.
#[derive(Default)]
struct Parts {
    floor: f64,
    ceiling: f64,
    prices: Vec<PriceUsed>,
    whats: Vec<String>,
    notes: Vec<String>,
}

impl Parts {
    fn add(&mut self, floor: f64, ceiling: f64, p: PriceUsed, what: String) {
        self.floor += floor;
        self.ceiling += ceiling;
        if !self.prices.contains(&p) {
            self.prices.push(p);
        }
        self.whats.push(what);
    }

    fn fixed(&mut self, monthly: f64, p: PriceUsed, what: String) {
        self.add(monthly, monthly, p, what);
    }

    fn outcome(self, r: &ResourceRef<'_>) -> Outcome {
        line(
            r,
            self.whats.join(" + "),
            Range::new(self.floor, self.ceiling),
            self.prices,
            self.notes,
        )
    }
}

/// A literal string argument, or the default (with a note saying so).
fn text_or(
    ctx: &Ctx<'_>,
    r: &ResourceRef<'_>,
    key: &str,
    default: &str,
    notes: &mut Vec<String>,
) -> Result<String, String> {
    match r.text(key) {
        Text::Absent => {
            notes.push(format!("{key} is not set: the default {default:?}"));
            Ok(default.to_owned())
        }
        _ => ctx.literal(r.get(key), key).map(|(v, note)| {
            notes.extend(note);
            v
        }),
    }
}

/// A number in a nested value (`"256"` or `256`), or `None`.
fn num(v: Option<&Value>) -> Option<f64> {
    match number(v) {
        Known::Value(n) => Some(n),
        _ => v.and_then(Value::as_str).and_then(|s| s.parse().ok()),
    }
}

/// The resource of `type_name` that `v` (a reference or a literal name) points at.
fn referenced<'a>(
    ctx: &Ctx<'a>,
    v: Option<&Value>,
    type_name: &str,
    name_key: &str,
) -> Option<ResourceRef<'a>> {
    let t = v?.as_str()?;
    if let Some(name) = references(t, type_name).first() {
        return ctx.doc.get(type_name, name);
    }
    ctx.doc
        .of_type(type_name)
        .into_iter()
        .find(|c| c.text(name_key).literal() == Some(t))
}

fn ebs_volume(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let mut parts = Parts::default();
    let ty = match text_or(ctx, r, "type", "gp2", &mut parts.notes) {
        Ok(t) => t,
        Err(e) => return Outcome::Unpriced(e),
    };
    let size = match ctx.count(r.get("size"), "size", None) {
        Ok(s) => s,
        Err(e) => {
            return Outcome::Unpriced(format!(
                "{e} (a volume made from a snapshot takes its size; give size to price it)"
            ))
        }
    };
    match ctx.price_of("ebs", &ty, "GB-month", Some("volume type")) {
        Ok((usd, p)) => parts.fixed(usd * size, p, format!("{ty} {size} GB")),
        Err(e) => return Outcome::Unpriced(e),
    }
    let iops = number(r.get("iops")).value().copied().unwrap_or(0.0);
    let throughput = number(r.get("throughput")).value().copied().unwrap_or(0.0);
    let extra_iops = match ty.as_str() {
        "gp3" => (iops - 3000.0).max(0.0),
        "io1" | "io2" => iops,
        _ => 0.0,
    };
    if extra_iops > 0.0 {
        match ctx.price("ebs", &format!("{ty}-iops"), "IOPS-month") {
            Ok((usd, p)) => parts.fixed(usd * extra_iops, p, format!("{extra_iops} IOPS")),
            Err(e) => return Outcome::Unpriced(e),
        }
        if ty == "io2" && iops > 32000.0 {
            parts.notes.push(
                "io2 IOPS above 32,000 are billed at lower tiers: priced at the first tier's rate"
                    .to_owned(),
            );
        }
    }
    if ty == "gp3" && throughput > 125.0 {
        let extra = throughput - 125.0;
        match ctx.price("ebs", "gp3-throughput", "MiBps-month") {
            Ok((usd, p)) => parts.fixed(usd * extra, p, format!("{extra} MiB/s")),
            Err(e) => return Outcome::Unpriced(e),
        }
    }
    if ty == "gp3" && (iops > 3000.0 || throughput > 125.0) {
        parts.notes.push(
            "gp3 includes 3,000 IOPS and 125 MiB/s; only what is provisioned above them is billed"
                .to_owned(),
        );
    }
    parts.outcome(r)
}

fn load_balancer(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let mut notes = Vec::new();
    let kind = match text_or(ctx, r, "load_balancer_type", "application", &mut notes) {
        Ok(k) => k,
        Err(e) => return Outcome::Unpriced(e),
    };
    notes.retain(|n| !n.starts_with("load_balancer_type is not set"));
    match ctx.price_of("elb", &kind, "LB-hour", Some("load balancer type")) {
        Ok((usd, p)) => {
            notes.push(
                "capacity units (LCUs) are billed by use: give lcus (average per hour) in --usage"
                    .to_owned(),
            );
            line(
                r,
                format!("1 {kind} load balancer"),
                Range::fixed(usd * HOURS_PER_MONTH),
                vec![p],
                notes,
            )
        }
        Err(e) => Outcome::Unpriced(e),
    }
}

/// The engine family of an RDS or Aurora engine, as items are named.
fn engine_item(engine: &str, class: &str) -> String {
    format!("{engine}/{class}")
}

fn db_instance(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let mut parts = Parts::default();
    let (class, note) = match ctx.literal(r.get("instance_class"), "instance_class") {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    parts.notes.extend(note);
    let engine = match r.text("engine") {
        Text::Absent if r.get("replicate_source_db").is_some() => {
            match referenced(
                ctx,
                r.get("replicate_source_db"),
                "aws_db_instance",
                "identifier",
            )
            .and_then(|s| s.text("engine").literal().map(str::to_owned))
            {
                Some(e) => e,
                None => {
                    return Outcome::Unpriced(
                        "a read replica whose source's engine is not in this document".to_owned(),
                    )
                }
            }
        }
        _ => match ctx.literal(r.get("engine"), "engine") {
            Ok((e, note)) => {
                parts.notes.extend(note);
                e
            }
            Err(e) => return Outcome::Unpriced(e),
        },
    };
    let multi_az = r.boolean("multi_az").value().copied().unwrap_or(false);
    let copies = if multi_az { 2.0 } else { 1.0 };
    match ctx.price_of(
        "rds",
        &engine_item(&engine, &class),
        "instance-hour",
        Some("engine and instance class"),
    ) {
        Ok((usd, p)) => parts.fixed(
            usd * copies * HOURS_PER_MONTH,
            p,
            format!(
                "{engine} {class}{}",
                if multi_az { " Multi-AZ" } else { "" }
            ),
        ),
        Err(e) => return Outcome::Unpriced(e),
    }
    if multi_az {
        parts.notes.push(
            "Multi-AZ with one standby: twice the Single-AZ instance and storage prices".to_owned(),
        );
    }
    if let Some(size) = number(r.get("allocated_storage")).value().copied() {
        let iops = number(r.get("iops")).value().copied();
        let default = if iops.is_some() { "io1" } else { "gp2" };
        let storage = match text_or(ctx, r, "storage_type", default, &mut parts.notes) {
            Ok(s) => s,
            Err(e) => return Outcome::Unpriced(e),
        };
        match ctx.price_of("rds-storage", &storage, "GB-month", Some("storage type")) {
            Ok((usd, p)) => parts.fixed(usd * size * copies, p, format!("{storage} {size} GB")),
            Err(e) => return Outcome::Unpriced(e),
        }
        if let (Some(iops), true) = (iops, storage.starts_with("io")) {
            match ctx.price("rds-storage", &format!("{storage}-iops"), "IOPS-month") {
                Ok((usd, p)) => parts.fixed(usd * iops * copies, p, format!("{iops} IOPS")),
                Err(e) => return Outcome::Unpriced(e),
            }
        } else if iops.is_some() && storage == "gp3" {
            parts.notes.push(
                "gp3 IOPS and throughput above the included baseline are not priced".to_owned(),
            );
        }
    } else if r.get("replicate_source_db").is_none() && r.get("snapshot_identifier").is_none() {
        parts
            .notes
            .push("allocated_storage is not set: storage not priced".to_owned());
    }
    master_secret(ctx, r);
    parts.outcome(r)
}

/// The secret RDS makes for `manage_master_user_password`, as a line of its own.
fn master_secret(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) {
    if r.boolean("manage_master_user_password").value() != Some(&true) {
        return;
    }
    let address = format!("{} (master user secret)", r.address());
    match ctx.price("secretsmanager", "secret", "secret-month") {
        Ok((usd, p)) => ctx.extra_lines.push(super::report::CostLine {
            address,
            resource_type: r.type_name.to_owned(),
            what: "1 secret (manage_master_user_password)".to_owned(),
            monthly: Range::fixed(usd),
            prices: vec![p],
            notes: vec![
                "RDS keeps the master password in a Secrets Manager secret it creates".to_owned(),
            ],
        }),
        Err(reason) => ctx.extra_unpriced.push(super::report::Unpriced {
            address,
            resource_type: r.type_name.to_owned(),
            reason,
        }),
    }
}

fn cluster_instance(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let (class, note) = match ctx.literal(r.get("instance_class"), "instance_class") {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    let cluster = referenced(
        ctx,
        r.get("cluster_identifier"),
        "aws_rds_cluster",
        "cluster_identifier",
    );
    let engine = r
        .text("engine")
        .literal()
        .map(str::to_owned)
        .or_else(|| cluster.and_then(|c| c.text("engine").literal().map(str::to_owned)))
        .unwrap_or_else(|| "aurora-mysql".to_owned());
    let mut notes: Vec<String> = note.into_iter().collect();
    if class == "db.serverless" {
        let Some(cluster) = cluster else {
            return Outcome::Unpriced("db.serverless: the cluster (cluster_identifier) is not in this document, so its ACU range is unknown".to_owned());
        };
        let scaling = cluster.blocks("serverlessv2_scaling_configuration");
        let Some(scaling) = scaling.first() else {
            return Outcome::Unpriced(format!(
                "db.serverless: {} has no serverlessv2_scaling_configuration",
                cluster.address()
            ));
        };
        let (Some(min), Some(max)) = (
            num(scaling.get("min_capacity")),
            num(scaling.get("max_capacity")),
        ) else {
            return Outcome::Unpriced(
                "serverlessv2_scaling_configuration min_capacity or max_capacity is not a literal"
                    .to_owned(),
            );
        };
        return match ctx.price("rds", "aurora-serverless-v2", "ACU-hour") {
            Ok((usd, p)) => {
                notes.push(format!("Aurora Serverless v2 between {min} and {max} ACUs ({}): the floor keeps the minimum all month, the ceiling the maximum", cluster.address()));
                line(
                    r,
                    format!("{engine} db.serverless, {min}–{max} ACUs"),
                    Range::new(min * usd * HOURS_PER_MONTH, max * usd * HOURS_PER_MONTH),
                    vec![p],
                    notes,
                )
            }
            Err(e) => Outcome::Unpriced(e),
        };
    }
    match ctx.price_of(
        "rds",
        &engine_item(&engine, &class),
        "instance-hour",
        Some("engine and instance class"),
    ) {
        Ok((usd, p)) => line(
            r,
            format!("{engine} {class}"),
            Range::fixed(usd * HOURS_PER_MONTH),
            vec![p],
            notes,
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

fn rds_cluster(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    master_secret(ctx, r);
    if r.text("engine")
        .literal()
        .is_some_and(|e| !e.starts_with("aurora"))
    {
        return Outcome::Unpriced("a Multi-AZ DB cluster (not Aurora): no price rule".to_owned());
    }
    usage(r, "Aurora storage and I/O".to_owned(), Vec::new(), "billed per GB-month stored and per million I/O requests; its instances are priced with them")
}

fn dynamodb_table(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let mode = r
        .text("billing_mode")
        .literal()
        .unwrap_or("PROVISIONED")
        .to_owned();
    if mode == "PAY_PER_REQUEST" {
        return usage(
            r,
            "on-demand table".to_owned(),
            Vec::new(),
            "billed per read and write request unit and per GB stored",
        );
    }
    let mut reads = 0.0;
    let mut writes = 0.0;
    for body in std::iter::once(r.body).chain(r.blocks("global_secondary_index")) {
        reads += num(body.get("read_capacity")).unwrap_or(0.0);
        writes += num(body.get("write_capacity")).unwrap_or(0.0);
    }
    let mut parts = Parts::default();
    match ctx.price("dynamodb", "write-capacity-unit", "WCU-hour") {
        Ok((usd, p)) => parts.fixed(usd * writes * HOURS_PER_MONTH, p, format!("{writes} WCU")),
        Err(e) => return Outcome::Unpriced(e),
    }
    match ctx.price("dynamodb", "read-capacity-unit", "RCU-hour") {
        Ok((usd, p)) => parts.fixed(usd * reads * HOURS_PER_MONTH, p, format!("{reads} RCU")),
        Err(e) => return Outcome::Unpriced(e),
    }
    parts.notes.push("provisioned capacity of the table and its global secondary indexes; storage is billed by use (storage_gb)".to_owned());
    parts.outcome(r)
}

fn elasticache_serverless(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let engine = r.text("engine").literal().unwrap_or("redis").to_owned();
    let limits = r.blocks("cache_usage_limits");
    let limits = limits.first();
    let storage = limits.and_then(|l| blocks(l.get("data_storage")).first().copied());
    let ecpu = limits.and_then(|l| blocks(l.get("ecpu_per_second")).first().copied());
    let min_gb = storage.and_then(|s| num(s.get("minimum")));
    let min_ecpu = ecpu.and_then(|s| num(s.get("minimum")));
    if min_gb.is_none() && min_ecpu.is_none() {
        return usage(
            r,
            format!("serverless cache ({engine})"),
            Vec::new(),
            "billed per GB-hour stored and per ElastiCache Processing Unit (no minimums set)",
        );
    }
    let mut parts = Parts::default();
    if let Some(gb) = min_gb {
        match ctx.price(
            "elasticache-serverless",
            &format!("{engine}/data-storage"),
            "GB-hour",
        ) {
            Ok((usd, p)) => parts.fixed(usd * gb * HOURS_PER_MONTH, p, format!("{gb} GB minimum")),
            Err(e) => return Outcome::Unpriced(e),
        }
    }
    if let Some(e) = min_ecpu {
        match ctx.price(
            "elasticache-serverless",
            &format!("{engine}/ecpu"),
            "1M ECPUs",
        ) {
            Ok((usd, p)) => parts.fixed(
                usd * e * 3600.0 * HOURS_PER_MONTH / 1e6,
                p,
                format!("{e} ECPU/s minimum"),
            ),
            Err(e) => return Outcome::Unpriced(e),
        }
    }
    parts.notes.push("the minimums of cache_usage_limits are billed whatever the use; use above them is billed by use".to_owned());
    parts.outcome(r)
}

fn search_domain(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let cluster = r.blocks("cluster_config");
    let Some(cluster) = cluster.first().copied() else {
        return Outcome::Unpriced("cluster_config is not set".to_owned());
    };
    let mut parts = Parts::default();
    let mut nodes = 0.0;
    let groups = [
        ("instance_type", "instance_count", true, "data"),
        (
            "dedicated_master_type",
            "dedicated_master_count",
            cluster.get("dedicated_master_enabled") == Some(&Value::Bool(true)),
            "master",
        ),
        (
            "warm_type",
            "warm_count",
            cluster.get("warm_enabled") == Some(&Value::Bool(true)),
            "warm",
        ),
    ];
    for (type_key, count_key, enabled, role) in groups {
        if !enabled {
            continue;
        }
        let Some(ty) = text(cluster.get(type_key)).literal().map(str::to_owned) else {
            return Outcome::Unpriced(format!("cluster_config {type_key} is not a literal"));
        };
        let count = num(cluster.get(count_key)).unwrap_or(1.0);
        if role == "data" {
            nodes = count;
        }
        match ctx.price_of("opensearch", &ty, "instance-hour", Some("instance type")) {
            Ok((usd, p)) => parts.fixed(
                usd * count * HOURS_PER_MONTH,
                p,
                format!("{ty} × {count} ({role})"),
            ),
            Err(e) => return Outcome::Unpriced(e),
        }
    }
    if let Some(ebs) = r.blocks("ebs_options").first() {
        if ebs.get("ebs_enabled") != Some(&Value::Bool(false)) {
            let size = num(ebs.get("volume_size")).unwrap_or(0.0);
            let ty = text(ebs.get("volume_type"))
                .literal()
                .unwrap_or("gp2")
                .to_owned();
            match ctx.price_of(
                "opensearch",
                &format!("storage-{ty}"),
                "GB-month",
                Some("storage type"),
            ) {
                Ok((usd, p)) => {
                    parts.fixed(usd * size * nodes, p, format!("{ty} {size} GB × {nodes}"))
                }
                Err(e) => return Outcome::Unpriced(e),
            }
        }
    }
    parts.outcome(r)
}

fn efs(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    if r.text("throughput_mode").literal() != Some("provisioned") {
        return usage(
            r,
            "file system".to_owned(),
            Vec::new(),
            "billed per GB-month stored (and per GB transferred in elastic mode)",
        );
    }
    let mibps = match ctx.count(
        r.get("provisioned_throughput_in_mibps"),
        "provisioned_throughput_in_mibps",
        None,
    ) {
        Ok(m) => m,
        Err(e) => return Outcome::Unpriced(e),
    };
    fixed(
        ctx,
        r,
        ("efs", "provisioned-throughput", "MiBps-month"),
        mibps,
        &format!("{mibps} MiB/s provisioned throughput"),
        &["storage is billed by use (storage_gb)"],
    )
}

fn eks_node_group(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let mut notes = Vec::new();
    let types: Vec<String> = match r.get("instance_types").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        None => {
            notes.push("instance_types is not set: EKS's default t3.medium".to_owned());
            vec!["t3.medium".to_owned()]
        }
    };
    let Some(ty) = types.first().cloned() else {
        return Outcome::Unpriced("instance_types is empty".to_owned());
    };
    if types.len() > 1 {
        notes.push(format!("several instance types: priced as the first, {ty}"));
    }
    let scaling = r.blocks("scaling_config");
    let Some(scaling) = scaling.first() else {
        return Outcome::Unpriced("scaling_config is not set".to_owned());
    };
    let (Some(desired), Some(max)) = (
        num(scaling.get("desired_size")),
        num(scaling.get("max_size")),
    ) else {
        return Outcome::Unpriced(
            "scaling_config desired_size or max_size is not a literal".to_owned(),
        );
    };
    let min = num(scaling.get("min_size")).unwrap_or(desired);
    let (mut usd, p) = match ctx.price_of("ec2", &ty, "instance-hour", Some("instance type")) {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    let mut prices = vec![p];
    if r.text("capacity_type").literal() == Some("SPOT") {
        let family = ty.split('.').next().unwrap_or("").to_owned();
        match ctx.discount("ec2-spot", &family) {
            Some((d, pu)) => {
                usd *= 1.0 - d;
                notes.push(format!("spot taken as {:.0}% off on-demand", d * 100.0));
                prices.push(pu);
            }
            None => return Outcome::Unpriced(format!("no spot price or discount for {family} in {} (add an ec2-spot entry with --prices)", ctx.region)),
        }
    }
    notes.push(format!("desired_size {desired} all month (the floor) up to max_size {max} (the ceiling); an autoscaler may go down to min_size {min}; node volumes are not priced"));
    line(
        r,
        format!("{ty} × {desired}–{max}"),
        Range::new(usd * desired * HOURS_PER_MONTH, usd * max * HOURS_PER_MONTH),
        prices,
        notes,
    )
}

/// How an ECS service's tasks are spread over Fargate, Fargate Spot and EC2 capacity
/// providers (whose instances are priced where they are declared).
#[derive(Debug, Clone, Copy, PartialEq)]
struct FargateSplit {
    /// Tasks first placed on each (`base`): Fargate, Fargate Spot, EC2 capacity.
    base: [f64; 3],
    /// The weights that share the tasks beyond the bases, in the same order.
    weight: [f64; 3],
}

impl FargateSplit {
    /// (on Fargate, on Fargate Spot) of `tasks` tasks: the bases first, the rest by weight;
    /// the tasks on EC2 capacity are left out.
    fn tasks(&self, tasks: f64) -> (f64, f64) {
        let mut left = tasks;
        let mut placed = [0.0; 3];
        for (p, base) in placed.iter_mut().zip(self.base) {
            *p = base.min(left);
            left -= *p;
        }
        let total: f64 = self.weight.iter().sum();
        if total > 0.0 {
            for (p, weight) in placed.iter_mut().zip(self.weight) {
                *p += left * weight / total;
            }
        } else {
            placed[0] += left;
        }
        (placed[0], placed[1])
    }
}

/// The Fargate split of `r`'s capacity provider strategy, or `None` if none of its tasks
/// run on Fargate.
fn fargate_split(r: &ResourceRef<'_>) -> Option<FargateSplit> {
    let strategy = r.blocks("capacity_provider_strategy");
    if strategy.is_empty() {
        return (r.text("launch_type").literal() == Some("FARGATE")).then_some(FargateSplit {
            base: [0.0; 3],
            weight: [1.0, 0.0, 0.0],
        });
    }
    let mut split = FargateSplit {
        base: [0.0; 3],
        weight: [0.0; 3],
    };
    for s in &strategy {
        let i = match s.get("capacity_provider").and_then(Value::as_str) {
            Some("FARGATE") => 0,
            Some("FARGATE_SPOT") => 1,
            _ => 2,
        };
        split.base[i] += num(s.get("base")).unwrap_or(0.0);
        split.weight[i] += num(s.get("weight")).unwrap_or(0.0);
    }
    let on_fargate = |i: usize| split.base[i] > 0.0 || split.weight[i] > 0.0;
    if on_fargate(0) || on_fargate(1) {
        return Some(split);
    }
    // A Fargate provider with neither base nor weight still runs the tasks when it is the
    // only provider of the strategy.
    match strategy
        .iter()
        .map(|s| s.get("capacity_provider").and_then(Value::as_str))
        .collect::<Vec<_>>()
        .as_slice()
    {
        [Some("FARGATE")] => Some(FargateSplit {
            base: [0.0; 3],
            weight: [1.0, 0.0, 0.0],
        }),
        [Some("FARGATE_SPOT")] => Some(FargateSplit {
            base: [0.0; 3],
            weight: [0.0, 1.0, 0.0],
        }),
        _ => None,
    }
}

fn ecs_service(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let Some(split) = fargate_split(r) else {
        return Outcome::NoCharge(
            "runs on EC2 capacity: its instances are priced where they are declared".to_owned(),
        );
    };
    let Some(task) = referenced(
        ctx,
        r.get("task_definition"),
        "aws_ecs_task_definition",
        "family",
    ) else {
        return Outcome::Unpriced(
            "the task definition is not in this document: its CPU and memory are unknown"
                .to_owned(),
        );
    };
    let (Some(cpu), Some(memory)) = (num(task.get("cpu")), num(task.get("memory"))) else {
        return Outcome::Unpriced(format!(
            "{}: cpu or memory is not a literal",
            task.address()
        ));
    };
    let (vcpu, gb) = (cpu / 1024.0, memory / 1024.0);
    let arm = task
        .blocks("runtime_platform")
        .first()
        .and_then(|p| p.get("cpu_architecture"))
        .and_then(Value::as_str)
        == Some("ARM64");
    let platform = if arm { "linux-arm" } else { "linux-x86" };
    let mut notes = Vec::new();
    let desired = match number(r.get("desired_count")) {
        Known::Value(n) => n,
        Known::Absent => {
            notes.push("desired_count is not set: Terraform's default 0 tasks".to_owned());
            0.0
        }
        other => return Outcome::Unpriced(format!("desired_count is {other:?}, not a literal")),
    };
    let (floor_tasks, ceiling_tasks) = match scalable_target(ctx, r) {
        Some((min, max, target)) => {
            notes.push(format!("scaled by {target} between {min} and {max} tasks: the floor keeps the minimum all month, the ceiling the maximum"));
            (min, max)
        }
        None => (desired, desired),
    };
    let mut parts = Parts::default();
    // The monthly price of one task on `service` (fargate or fargate-spot).
    let mut per_task = |service: &str| -> Result<f64, String> {
        let (cpu_usd, pc) = ctx.price(service, &format!("{platform}/vcpu"), "vCPU-hour")?;
        let (gb_usd, pg) = ctx.price(service, &format!("{platform}/gb"), "GB-hour")?;
        for p in [pc, pg] {
            if !parts.prices.contains(&p) {
                parts.prices.push(p);
            }
        }
        Ok((vcpu * cpu_usd + gb * gb_usd) * HOURS_PER_MONTH)
    };
    let (floor_od, floor_spot) = split.tasks(floor_tasks);
    let (ceiling_od, ceiling_spot) = split.tasks(ceiling_tasks);
    let on_demand = if floor_od > 0.0 || ceiling_od > 0.0 || split.weight[1] == 0.0 {
        match per_task("fargate") {
            Ok(p) => p,
            Err(e) => return Outcome::Unpriced(e),
        }
    } else {
        0.0
    };
    let spot = if floor_spot > 0.0 || ceiling_spot > 0.0 {
        match per_task("fargate-spot") {
            Ok(p) => p,
            Err(e) => return Outcome::Unpriced(e),
        }
    } else {
        0.0
    };
    parts.floor = on_demand * floor_od + spot * floor_spot;
    parts.ceiling = on_demand * ceiling_od + spot * ceiling_spot;
    let count = |od: f64, sp: f64| -> String {
        match (od > 0.0, sp > 0.0) {
            (_, false) => format!("{od}"),
            (false, true) => format!("Spot {sp}"),
            (true, true) => format!("{od} + Spot {sp}"),
        }
    };
    let (lo, hi) = (count(floor_od, floor_spot), count(ceiling_od, ceiling_spot));
    parts.whats.push(format!(
        "Fargate {} × {vcpu} vCPU, {gb} GB",
        if lo == hi { lo } else { format!("{lo}–{hi}") }
    ));
    if floor_spot > 0.0 || ceiling_spot > 0.0 {
        notes.push("tasks split between FARGATE and FARGATE_SPOT as the capacity provider strategy says (bases first, the rest by weight); Fargate Spot prices move with spare capacity".to_owned());
    }
    if split.base[2] > 0.0 || split.weight[2] > 0.0 {
        notes.push("the tasks the strategy places on EC2 capacity providers are priced with their instances, not here".to_owned());
    }
    notes.push(format!(
        "{}: cpu {cpu} ({vcpu} vCPU), memory {memory} MiB ({gb} GB), {platform}",
        task.address()
    ));
    parts.notes = notes;
    parts.outcome(r)
}

/// The Application Auto Scaling target scaling ECS service `r`: (min, max, its address).
fn scalable_target(ctx: &Ctx<'_>, r: &ResourceRef<'_>) -> Option<(f64, f64, String)> {
    ctx.doc
        .of_type("aws_appautoscaling_target")
        .into_iter()
        .find_map(|t| {
            let id = t.get("resource_id")?.as_str()?;
            if !references(id, "aws_ecs_service").contains(&r.name) {
                return None;
            }
            Some((
                num(t.get("min_capacity"))?,
                num(t.get("max_capacity"))?,
                t.address(),
            ))
        })
}

fn msk(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let Some(group) = r.blocks("broker_node_group_info").first().copied() else {
        return Outcome::Unpriced("broker_node_group_info is not set".to_owned());
    };
    let Some(ty) = text(group.get("instance_type"))
        .literal()
        .map(str::to_owned)
    else {
        return Outcome::Unpriced(
            "broker_node_group_info instance_type is not a literal".to_owned(),
        );
    };
    let brokers = match ctx.count(
        r.get("number_of_broker_nodes"),
        "number_of_broker_nodes",
        None,
    ) {
        Ok(b) => b,
        Err(e) => return Outcome::Unpriced(e),
    };
    let mut parts = Parts::default();
    match ctx.price_of("msk", &ty, "broker-hour", Some("broker instance type")) {
        Ok((usd, p)) => parts.fixed(
            usd * brokers * HOURS_PER_MONTH,
            p,
            format!("{ty} × {brokers}"),
        ),
        Err(e) => return Outcome::Unpriced(e),
    }
    let size = blocks(group.get("storage_info"))
        .first()
        .and_then(|s| blocks(s.get("ebs_storage_info")).first().copied())
        .and_then(|e| num(e.get("volume_size")))
        .or_else(|| num(group.get("ebs_volume_size")));
    let size = match size {
        Some(s) => s,
        None => {
            parts
                .notes
                .push("EBS volume_size is not set: MSK's default 1,000 GB per broker".to_owned());
            1000.0
        }
    };
    match ctx.price("msk", "storage", "GB-month") {
        Ok((usd, p)) => parts.fixed(usd * size * brokers, p, format!("{size} GB × {brokers}")),
        Err(e) => return Outcome::Unpriced(e),
    }
    parts.outcome(r)
}

fn kinesis(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let on_demand = r
        .blocks("stream_mode_details")
        .first()
        .and_then(|m| m.get("stream_mode"))
        .and_then(Value::as_str)
        == Some("ON_DEMAND");
    if on_demand {
        return fixed(
            ctx,
            r,
            ("kinesis", "on-demand-stream", "stream-hour"),
            HOURS_PER_MONTH,
            "1 on-demand stream",
            &["data in and out is billed by use"],
        );
    }
    let shards = match ctx.count(r.get("shard_count"), "shard_count", None) {
        Ok(s) => s,
        Err(e) => return Outcome::Unpriced(e),
    };
    fixed(
        ctx,
        r,
        ("kinesis", "shard", "shard-hour"),
        shards * HOURS_PER_MONTH,
        &format!("{shards} shards"),
        &["PUT payload units are billed by use"],
    )
}

fn redshift(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let (ty, note) = match ctx.literal(r.get("node_type"), "node_type") {
        Ok(x) => x,
        Err(e) => return Outcome::Unpriced(e),
    };
    let nodes = match ctx.count(r.get("number_of_nodes"), "number_of_nodes", Some(1.0)) {
        Ok(n) => n,
        Err(e) => return Outcome::Unpriced(e),
    };
    match ctx.price_of("redshift", &ty, "node-hour", Some("node type")) {
        Ok((usd, p)) => line(
            r,
            format!("{ty} × {nodes}"),
            Range::fixed(usd * nodes * HOURS_PER_MONTH),
            vec![p],
            note.into_iter().collect(),
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

fn kms_key(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let mut notes = vec!["API requests beyond the free tier are billed by use".to_owned()];
    if r.boolean("enable_key_rotation").value() == Some(&true) {
        notes.push("each rotation adds a key version billed like a key (the second and later rotations of AWS's pricing page): not in this figure".to_owned());
    }
    match ctx.price("kms", "key", "key-month") {
        Ok((usd, p)) => line(
            r,
            "1 customer managed key".to_owned(),
            Range::fixed(usd),
            vec![p],
            notes,
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

fn secret(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let replicas = r.blocks("replica").len() as f64;
    fixed(
        ctx,
        r,
        ("secretsmanager", "secret", "secret-month"),
        1.0 + replicas,
        &if replicas > 0.0 {
            format!("1 secret + {replicas} replicas")
        } else {
            "1 secret".to_owned()
        },
        &["API calls are billed by use"],
    )
}

fn web_acl(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let rules = r.blocks("rule").len() as f64;
    let mut parts = Parts::default();
    match ctx.price("waf", "web-acl", "ACL-month") {
        Ok((usd, p)) => parts.fixed(usd, p, "1 web ACL".to_owned()),
        Err(e) => return Outcome::Unpriced(e),
    }
    if rules > 0.0 {
        match ctx.price("waf", "rule", "rule-month") {
            Ok((usd, p)) => parts.fixed(usd * rules, p, format!("{rules} rules")),
            Err(e) => return Outcome::Unpriced(e),
        }
    }
    parts.notes.push("each rule block counts once (a managed rule group is one rule); requests inspected are billed by use (requests); paid managed rule groups (Bot Control, …) are not priced".to_owned());
    parts.outcome(r)
}

fn provisioned_concurrency(ctx: &mut Ctx<'_>, r: &ResourceRef<'_>) -> Outcome {
    let n = match ctx.count(
        r.get("provisioned_concurrent_executions"),
        "provisioned_concurrent_executions",
        None,
    ) {
        Ok(n) => n,
        Err(e) => return Outcome::Unpriced(e),
    };
    let Some(function) = referenced(
        ctx,
        r.get("function_name"),
        "aws_lambda_function",
        "function_name",
    ) else {
        return Outcome::Unpriced(
            "the function (function_name) is not in this document: its memory is unknown"
                .to_owned(),
        );
    };
    let memory = num(function.get("memory_size")).unwrap_or(128.0);
    let arm = function
        .get("architectures")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v == "arm64"));
    let arch = if arm { "arm64" } else { "x86_64" };
    let gb = memory / 1024.0;
    match ctx.price("lambda", &format!("provisioned-concurrency-{arch}"), "GB-second") {
        Ok((usd, p)) => line(
            r,
            format!("{n} × {memory} MB, {arch}"),
            Range::fixed(usd * n * gb * HOURS_PER_MONTH * 3600.0),
            vec![p],
            vec![format!("{} with {memory} MB: {n} environments × {gb} GB × 730 h × 3,600 s, at {}/GB-second; invocations on it are billed by use", function.address(), rate(usd))],
        ),
        Err(e) => Outcome::Unpriced(e),
    }
}

/// A quantity a usage file may give for a resource, and the price it is billed at.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageKey {
    /// The key in the usage file, e.g. `requests`.
    pub key: &'static str,
    /// What the quantity is, e.g. `requests a month`.
    pub means: &'static str,
    /// The price table's service.
    pub service: &'static str,
    /// The price table's item.
    pub item: String,
    /// The unit the price is per.
    pub unit: &'static str,
    /// USD a month = quantity × factor × price.
    pub factor: f64,
}

fn key(
    key: &'static str,
    means: &'static str,
    service: &'static str,
    item: &str,
    unit: &'static str,
    factor: f64,
) -> UsageKey {
    UsageKey {
        key,
        means,
        service,
        item: item.to_owned(),
        unit,
        factor,
    }
}

/// The usage keys of `r` (empty for a type without any).
pub(super) fn usage_keys(r: &ResourceRef<'_>) -> Vec<UsageKey> {
    let per_million = 1e-6;
    match r.type_name {
        "aws_lambda_function" => {
            let arm = r
                .get("architectures")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|v| v == "arm64"));
            vec![
                key(
                    "requests",
                    "invocations a month",
                    "lambda",
                    "requests",
                    "1M requests",
                    per_million,
                ),
                key(
                    "gb_seconds",
                    "GB-seconds of run time a month (memory in GB × seconds)",
                    "lambda",
                    if arm {
                        "gb-second-arm64"
                    } else {
                        "gb-second-x86_64"
                    },
                    "GB-second",
                    1.0,
                ),
            ]
        }
        "aws_s3_bucket" => vec![key(
            "storage_gb",
            "GB stored (S3 Standard) on average",
            "s3",
            "standard-storage",
            "GB-month",
            1.0,
        )],
        "aws_nat_gateway" => vec![key(
            "data_gb",
            "GB processed a month",
            "vpc",
            "nat-gateway-data",
            "GB",
            1.0,
        )],
        "aws_vpc_endpoint" => vec![key(
            "data_gb",
            "GB processed a month",
            "vpc",
            "interface-endpoint-data",
            "GB",
            1.0,
        )],
        "aws_ec2_transit_gateway_vpc_attachment" => vec![key(
            "data_gb",
            "GB processed a month",
            "transit-gateway",
            "data",
            "GB",
            1.0,
        )],
        "aws_lb" | "aws_alb" => {
            let kind = r
                .text("load_balancer_type")
                .literal()
                .unwrap_or("application")
                .to_owned();
            vec![key(
                "lcus",
                "capacity units used on average each hour",
                "elb",
                &format!("{kind}-lcu"),
                "LCU-hour",
                HOURS_PER_MONTH,
            )]
        }
        "aws_cloudwatch_log_group" => vec![
            key(
                "ingested_gb",
                "GB ingested a month",
                "cloudwatch",
                "logs-ingestion",
                "GB",
                1.0,
            ),
            key(
                "stored_gb",
                "GB stored on average",
                "cloudwatch",
                "logs-storage",
                "GB-month",
                1.0,
            ),
        ],
        "aws_sqs_queue" => {
            let fifo = r.boolean("fifo_queue").value() == Some(&true);
            vec![key(
                "requests",
                "requests a month (each 64 KB chunk is one)",
                "sqs",
                if fifo {
                    "fifo-requests"
                } else {
                    "standard-requests"
                },
                "1M requests",
                per_million,
            )]
        }
        "aws_api_gateway_rest_api" => vec![key(
            "requests",
            "API calls a month",
            "apigateway",
            "rest-requests",
            "1M requests",
            per_million,
        )],
        "aws_apigatewayv2_api" => {
            if r.text("protocol_type").literal() == Some("WEBSOCKET") {
                vec![
                    key(
                        "messages",
                        "messages a month",
                        "apigateway",
                        "websocket-messages",
                        "1M messages",
                        per_million,
                    ),
                    key(
                        "connection_minutes",
                        "connection minutes a month",
                        "apigateway",
                        "websocket-connection-minutes",
                        "1M connection minutes",
                        per_million,
                    ),
                ]
            } else {
                vec![key(
                    "requests",
                    "API calls a month",
                    "apigateway",
                    "http-requests",
                    "1M requests",
                    per_million,
                )]
            }
        }
        "aws_cloudfront_distribution" => vec![
            key(
                "data_out_gb",
                "GB delivered to viewers a month",
                "cloudfront",
                "data-out",
                "GB",
                1.0,
            ),
            key(
                "requests",
                "HTTPS requests a month",
                "cloudfront",
                "https-requests",
                "10K requests",
                1e-4,
            ),
        ],
        "aws_dynamodb_table" => {
            let mut keys = vec![key(
                "storage_gb",
                "GB stored on average",
                "dynamodb",
                "storage",
                "GB-month",
                1.0,
            )];
            if r.text("billing_mode").literal() == Some("PAY_PER_REQUEST") {
                keys.push(key(
                    "read_request_units",
                    "read request units a month",
                    "dynamodb",
                    "read-request-units",
                    "1M read request units",
                    per_million,
                ));
                keys.push(key(
                    "write_request_units",
                    "write request units a month",
                    "dynamodb",
                    "write-request-units",
                    "1M write request units",
                    per_million,
                ));
            }
            keys
        }
        "aws_rds_cluster" => vec![
            key(
                "storage_gb",
                "GB stored on average",
                "rds-storage",
                "aurora",
                "GB-month",
                1.0,
            ),
            key(
                "io_requests",
                "I/O requests a month (Aurora Standard)",
                "rds-storage",
                "aurora-io",
                "1M requests",
                per_million,
            ),
        ],
        "aws_efs_file_system" => vec![key(
            "storage_gb",
            "GB stored (Standard) on average",
            "efs",
            "standard-storage",
            "GB-month",
            1.0,
        )],
        "aws_kinesis_stream" => vec![key(
            "data_in_gb",
            "GB written a month (on-demand streams)",
            "kinesis",
            "on-demand-data-in",
            "GB",
            1.0,
        )],
        "aws_wafv2_web_acl" => vec![key(
            "requests",
            "web requests inspected a month",
            "waf",
            "requests",
            "1M requests",
            per_million,
        )],
        "aws_ec2_client_vpn_endpoint" => vec![key(
            "connection_hours",
            "client connection-hours a month",
            "client-vpn",
            "connection",
            "connection-hour",
            1.0,
        )],
        "aws_elasticache_serverless_cache" => {
            let engine = r.text("engine").literal().unwrap_or("redis").to_owned();
            vec![
                key(
                    "data_gb",
                    "GB stored on average (above the minimum)",
                    "elasticache-serverless",
                    &format!("{engine}/data-storage"),
                    "GB-hour",
                    HOURS_PER_MONTH,
                ),
                key(
                    "ecpus",
                    "ElastiCache Processing Units a month (above the minimum)",
                    "elasticache-serverless",
                    &format!("{engine}/ecpu"),
                    "1M ECPUs",
                    per_million,
                ),
            ]
        }
        "aws_sns_topic" => vec![key(
            "requests",
            "publishes a month",
            "sns",
            "requests",
            "1M requests",
            per_million,
        )],
        _ => Vec::new(),
    }
}

/// The types billed by use that a usage file can price, in the order of the table.
pub const USAGE_TYPES: &[&str] = &[
    "aws_lambda_function",
    "aws_s3_bucket",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
    "aws_cloudfront_distribution",
    "aws_dynamodb_table",
    "aws_rds_cluster",
    "aws_efs_file_system",
    "aws_kinesis_stream",
    "aws_elasticache_serverless_cache",
    "aws_cloudwatch_log_group",
    "aws_nat_gateway",
    "aws_vpc_endpoint",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_lb",
    "aws_alb",
    "aws_ec2_client_vpn_endpoint",
    "aws_wafv2_web_acl",
];

/// The usage keys of every type of [`USAGE_TYPES`] as a markdown table (for a type whose keys
/// depend on its arguments, the keys of its defaults: an x86 function, an HTTP API, a standard
/// queue, provisioned capacity).
pub fn usage_table() -> String {
    let mut out = String::from("| type | key | what it is | priced per |\n|---|---|---|---|\n");
    let empty = Value::Object(Default::default());
    for t in USAGE_TYPES {
        let r = ResourceRef {
            kind: oxiform_core::ResourceKind::Managed,
            type_name: t,
            name: "x",
            body: &empty,
        };
        for k in usage_keys(&r) {
            let _ = writeln!(out, "| `{t}` | `{}` | {} | {} |", k.key, k.means, k.unit);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `analysis/PRICED.md` holds the tables these functions write, word for word: run with
    /// `OXIFORM_UPDATE_PRICED=1` to rewrite them after changing a rule or a price.
    #[test]
    fn priced_md_is_the_table_of_the_rules_and_prices() {
        let table = PriceTable::builtin().unwrap_or_else(|e| panic!("{e}"));
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/PRICED.md");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut expected = text.clone();
        for (marker, body) in [("priced", priced_table(&table)), ("usage", usage_table())] {
            let start = format!("<!-- {marker}:start -->\n");
            let end = format!("<!-- {marker}:end -->");
            let (Some(a), Some(b)) = (expected.find(&start), expected.find(&end)) else {
                panic!("{path} has no {start:?} … {end:?} markers");
            };
            expected.replace_range(a + start.len()..b, &body);
        }
        if std::env::var_os("OXIFORM_UPDATE_PRICED").is_some() {
            std::fs::write(path, &expected).unwrap_or_else(|e| panic!("{e}"));
            return;
        }
        assert!(
            text == expected,
            "{path} is not the table of the rules and prices: run `OXIFORM_UPDATE_PRICED=1 cargo test -p oxiform-analysis priced_md` and review the diff"
        );
    }

    /// Tasks go to each capacity provider's base first, then by weight; those on EC2
    /// capacity are not Fargate's.
    #[test]
    fn a_capacity_provider_strategy_splits_tasks_by_base_then_weight() {
        let split = FargateSplit {
            base: [1.0, 0.0, 0.0],
            weight: [1.0, 3.0, 0.0],
        };
        assert_eq!(split.tasks(5.0), (2.0, 3.0));
        assert_eq!(split.tasks(1.0), (1.0, 0.0));
        let with_ec2 = FargateSplit {
            base: [0.0, 0.0, 2.0],
            weight: [1.0, 1.0, 2.0],
        };
        assert_eq!(with_ec2.tasks(6.0), (1.0, 1.0));
        let spot_only = FargateSplit {
            base: [0.0; 3],
            weight: [0.0, 1.0, 0.0],
        };
        assert_eq!(spot_only.tasks(4.0), (0.0, 4.0));
    }

    /// Every priced type has prices read on a page in each of the six regions teams use
    /// (issue 23), but for the cells listed here, which no page read states: a price that
    /// goes missing, or a new rule without its six regions, fails here before it reaches a
    /// report as "unpriced".
    #[test]
    fn every_priced_type_is_verified_in_the_six_regions() {
        const NO_PAGE_READ: &[(&str, &str)] = &[("aws_sagemaker_endpoint", "ap-southeast-1")];
        let table = PriceTable::builtin().unwrap_or_else(|e| panic!("{e}"));
        let mut missing = Vec::new();
        for t in PRICED_TYPES {
            let verified = regions_verified(t, &table);
            for region in REGIONS {
                let covered = verified.contains(region) || verified.contains(ALL_REGIONS);
                let excused = NO_PAGE_READ.contains(&(t.resource_type, region));
                if covered == excused {
                    missing.push(format!(
                        "{} in {region}: {}",
                        t.resource_type,
                        if covered {
                            "now verified: remove it from NO_PAGE_READ"
                        } else {
                            "no verified price"
                        }
                    ));
                }
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    /// Every need of every priced type names a service the price table knows, and the
    /// regions column counts a `*` price as every region.
    #[test]
    fn needs_name_services_of_the_table() {
        let table = PriceTable::builtin().unwrap_or_else(|e| panic!("{e}"));
        let kms = PRICED_TYPES
            .iter()
            .find(|t| t.resource_type == "aws_kms_key")
            .map(|t| regions_priced(t, &table))
            .unwrap_or_default();
        assert!(kms.contains(ALL_REGIONS), "{kms:?}");
        let nat = PRICED_TYPES
            .iter()
            .find(|t| t.resource_type == "aws_nat_gateway")
            .map(|t| regions_priced(t, &table))
            .unwrap_or_default();
        assert!(
            nat.contains("us-east-1") && nat.contains("ap-southeast-1"),
            "{nat:?}"
        );
    }
}
