//! `cost`: every priced resource type recomputed by hand, the schedule simulation on the
//! article's crons, traffic profiles, the corrected article table, and the command line.

use std::collections::BTreeMap;

use oxiform::aws::lambda::LambdaFunction;
use oxiform::cost::prices::PriceTable;
use oxiform::cost::report::CostReport;
use oxiform::cost::traffic::Traffic;
use oxiform::cost::{estimate_json, ARTICLE_TRAFFIC};
use oxiform::testing::{AssertionError, Template};
use oxiform_tests::{snapshot, workspace_root};
use serde_json::json;

const HOURS: f64 = 730.0;

fn fixture(name: &str) -> String {
    let path = workspace_root().join("tests/fixtures/cost").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn prices() -> PriceTable {
    PriceTable::builtin().unwrap_or_else(|e| panic!("{e}"))
}

/// The table's USD per unit for `service` `item` in us-east-1.
fn usd(service: &str, item: &str) -> f64 {
    prices()
        .get(service, item, "us-east-1")
        .and_then(|p| p.usd)
        .unwrap_or_else(|| panic!("no price for {service} {item}"))
}

fn spot_discount() -> f64 {
    prices()
        .get("ec2-spot", "g5", "us-east-1")
        .and_then(|p| p.discount)
        .unwrap_or_else(|| panic!("no g5 spot discount"))
}

/// The whole architecture of an environment in one stack (`ai_inference::prod()` builds
/// exactly the resources of the app's three stacks), or another stack of the binary.
fn stack_json(name: &str) -> String {
    let stack = match name {
        "ai-inference-prod" => stacks::ai_inference::prod(),
        "ai-inference-dev" => stacks::ai_inference::dev(),
        _ => {
            let app = stacks::app();
            let def = app
                .stacks
                .iter()
                .find(|d| d.name == name)
                .unwrap_or_else(|| panic!("no stack {name}"));
            (def.build)()
        }
    }
    .unwrap_or_else(|e| panic!("{e:#}"));
    let doc = stack.synth().unwrap_or_else(|e| panic!("{e}"));
    doc.to_json().unwrap_or_else(|e| panic!("{e}"))
}

fn estimate(json: &str, source: &str, traffic: Option<&Traffic>) -> CostReport {
    estimate_json(
        json,
        source,
        &prices(),
        traffic.map(|t| (t, "traffic.json")),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Why each resource without a charge of its own has none, by address.
fn no_charge_by_address(report: &CostReport) -> BTreeMap<&str, &str> {
    report
        .no_charge
        .iter()
        .map(|n| (n.address.as_str(), n.why.as_str()))
        .collect()
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-6,
        "{what}: got {actual}, computed by hand {expected}"
    );
}

/// Runs the stacks binary's command line in-process: exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    oxiform_tests::run_cli(&stacks::app(), args)
}

#[test]
fn every_priced_resource_type_matches_a_hand_computation() {
    let report = estimate(&fixture("priced.tf.json"), "priced.tf.json", None);
    let d = spot_discount();
    // (floor, ceiling) per address, each computed here from the table's unit prices.
    let g5_per_vcpu_spot = [
        ("g5.xlarge", 4.0),
        ("g5.2xlarge", 8.0),
        ("g5.4xlarge", 16.0),
        ("g5.8xlarge", 32.0),
        ("g5.12xlarge", 48.0),
        ("g5.16xlarge", 64.0),
        ("g5.24xlarge", 96.0),
        ("g5.48xlarge", 192.0),
    ]
    .map(|(t, vcpus)| usd("ec2", t) * (1.0 - d) / vcpus);
    let cheapest = g5_per_vcpu_spot.iter().copied().fold(f64::MAX, f64::min);
    let dearest = g5_per_vcpu_spot.iter().copied().fold(0.0, f64::max);
    let llm = usd("sagemaker-realtime", "ml.g5.12xlarge");
    let expected: BTreeMap<&str, (f64, f64)> = [
        ("aws_sagemaker_endpoint.fixed", {
            let m = (2.0 * usd("sagemaker-realtime", "ml.g5.xlarge")
                + usd("sagemaker-realtime", "ml.m5.large"))
                * HOURS;
            (m, m)
        }),
        (
            "aws_sagemaker_endpoint.managed",
            (
                usd("sagemaker-realtime", "ml.g5.2xlarge") * HOURS,
                3.0 * usd("sagemaker-realtime", "ml.g5.2xlarge") * HOURS,
            ),
        ),
        (
            // 07:00–22:00 UTC at up to 4 instances, 22:00–07:00 at 1.
            "aws_sagemaker_endpoint.scheduled",
            (llm * HOURS, llm * (15.0 * 4.0 + 9.0 * 1.0) / 24.0 * HOURS),
        ),
        ("aws_elasticache_replication_group.sharded", {
            let m = 4.0 * usd("elasticache", "cache.r6g.large") * HOURS;
            (m, m)
        }),
        ("aws_elasticache_cluster.single", {
            let m = usd("elasticache", "cache.t4g.micro") * HOURS;
            (m, m)
        }),
        (
            "aws_cloudwatch_dashboard.costs",
            (
                usd("cloudwatch", "dashboard"),
                usd("cloudwatch", "dashboard"),
            ),
        ),
        (
            "aws_cloudwatch_metric_alarm.standard",
            (
                usd("cloudwatch", "alarm-standard"),
                usd("cloudwatch", "alarm-standard"),
            ),
        ),
        (
            "aws_cloudwatch_metric_alarm.high_resolution",
            (
                usd("cloudwatch", "alarm-high-resolution"),
                usd("cloudwatch", "alarm-high-resolution"),
            ),
        ),
        (
            // Two metrics, one expression.
            "aws_cloudwatch_metric_alarm.math",
            (
                2.0 * usd("cloudwatch", "alarm-standard"),
                2.0 * usd("cloudwatch", "alarm-standard"),
            ),
        ),
        (
            "aws_cloudwatch_composite_alarm.any",
            (
                usd("cloudwatch", "alarm-composite"),
                usd("cloudwatch", "alarm-composite"),
            ),
        ),
        (
            // rate(1 hour): 730 invocations a month.
            "aws_scheduler_schedule.hourly",
            {
                let m = 730.0 / 1e6 * usd("scheduler", "invocation");
                (m, m)
            },
        ),
        (
            // 730 executions × 5 states (A, the Parallel B, its branches C and D, E).
            "aws_sfn_state_machine.pipeline",
            {
                let m = 730.0 * 5.0 * usd("stepfunctions", "standard-transition");
                (m, m)
            },
        ),
        (
            // Started by an EventBridge rule it names literally: cron(0 2 * * ? *) is 7 a
            // week, 7 × 730 / 168 a month, × 1 state.
            "aws_sfn_state_machine.nightly",
            {
                let m = 7.0 * 730.0 / 168.0 * usd("stepfunctions", "standard-transition");
                (m, m)
            },
        ),
        (
            "aws_batch_compute_environment.spot_family",
            (4.0 * cheapest * HOURS, 96.0 * dearest * HOURS),
        ),
        (
            // bid_percentage 30 caps spot below the 60%-off estimate.
            "aws_batch_compute_environment.spot_capped",
            (
                0.0,
                8.0 * (usd("ec2", "g5.xlarge") * (1.0 - d)).min(usd("ec2", "g5.xlarge") * 0.30)
                    / 4.0
                    * HOURS,
            ),
        ),
        (
            "aws_batch_compute_environment.on_demand",
            (0.0, 16.0 * usd("ec2", "g5.2xlarge") / 8.0 * HOURS),
        ),
        ("aws_vpc_endpoint.interface", {
            let m = 3.0 * usd("vpc", "interface-endpoint") * HOURS;
            (m, m)
        }),
        ("aws_nat_gateway.nat", {
            let m = usd("vpc", "nat-gateway") * HOURS;
            (m, m)
        }),
        ("aws_instance.box", {
            let m = usd("ec2", "g5.xlarge") * HOURS;
            (m, m)
        }),
        ("aws_instance.spot_box", {
            let m = usd("ec2", "g5.xlarge") * (1.0 - d) * HOURS;
            (m, m)
        }),
    ]
    .into_iter()
    .collect();
    let got: BTreeMap<&str, (f64, f64)> = report
        .lines
        .iter()
        .map(|l| (l.address.as_str(), (l.monthly.floor, l.monthly.ceiling)))
        .collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "priced resources"
    );
    for (address, (floor, ceiling)) in &expected {
        let (f, c) = got[address];
        close(f, *floor, &format!("{address} floor"));
        close(c, *ceiling, &format!("{address} ceiling"));
    }
    let total_floor: f64 = expected.values().map(|(f, _)| f).sum();
    close(report.monthly.floor, total_floor, "total floor");

    // Billed by use, with the table's rates.
    let usage: Vec<(&str, &str)> = report
        .usage_based
        .iter()
        .map(|u| (u.address.as_str(), u.what.as_str()))
        .collect();
    assert_eq!(
        usage,
        vec![
            ("aws_cloudwatch_log_group.logs", "log group"),
            ("aws_lambda_function.router", "512 MB, arm64"),
            ("aws_s3_bucket.data", "S3 Standard"),
        ]
    );
    let lambda = &report.usage_based[1];
    assert_eq!(lambda.rates[1].item, "gb-second-arm64");
    // No charge of their own, with where their cost is counted.
    let no_charge = no_charge_by_address(&report);
    assert_eq!(
        no_charge["aws_sagemaker_endpoint_configuration.unused"],
        "not used by any endpoint in this document: no charge until an endpoint runs it"
    );
    assert_eq!(
        no_charge["aws_elasticache_cluster.member"],
        "a member of a replication group: priced with the group"
    );
    assert!(no_charge.contains_key("aws_vpc_endpoint.gateway"));
    assert!(report.unpriced.is_empty(), "{:?}", report.unpriced);
}

/// Literal names are matched as Terraform reads them (`$${` is a literal `${`), a name two
/// configurations share belongs to the first (the one an endpoint naming it gets), and a
/// rule that is not in the document is said, not skipped.
#[test]
fn literal_names_resolve_as_terraform_reads_them() {
    let variant = r#"{"variant_name": "v", "model_name": "m", "instance_type": "ml.m5.large", "initial_instance_count": 1}"#;
    let doc = format!(
        r#"{{"provider": {{"aws": [{{"region": "us-east-1"}}]}}, "resource": {{
        "aws_sagemaker_endpoint_configuration": {{
            "escaped": {{"name": "a$${{b}}", "production_variants": [{variant}]}},
            "first": {{"name": "cfg-one", "production_variants": [{variant}]}},
            "second": {{"name": "cfg-one", "production_variants": [{variant}]}}
        }},
        "aws_sagemaker_endpoint": {{
            "e_escaped": {{"endpoint_config_name": "a$${{b}}"}},
            "e_one": {{"endpoint_config_name": "cfg-one"}}
        }},
        "aws_sfn_state_machine": {{"m": {{"name": "m", "role_arn": "r",
            "definition": "{{\"StartAt\":\"A\",\"States\":{{\"A\":{{\"Type\":\"Pass\",\"End\":true}}}}}}"}}}},
        "aws_cloudwatch_event_target": {{"t": {{"rule": "elsewhere", "arn": "${{aws_sfn_state_machine.m.arn}}"}}}}
    }}}}"#
    );
    let report = estimate(&doc, "names.tf.json", None);
    let line = |address: &str| {
        report
            .lines
            .iter()
            .find(|l| l.address == address)
            .unwrap_or_else(|| panic!("{address} is not priced: {:?}", report.unpriced))
    };
    let m5 = usd("sagemaker-realtime", "ml.m5.large") * HOURS;
    close(
        line("aws_sagemaker_endpoint.e_escaped").monthly.floor,
        m5,
        "escaped name",
    );
    close(
        line("aws_sagemaker_endpoint.e_one").monthly.floor,
        m5,
        "shared name",
    );
    let no_charge = no_charge_by_address(&report);
    assert_eq!(
        no_charge["aws_sagemaker_endpoint_configuration.escaped"],
        "priced with aws_sagemaker_endpoint.e_escaped"
    );
    assert_eq!(
        no_charge["aws_sagemaker_endpoint_configuration.first"],
        "priced with aws_sagemaker_endpoint.e_one"
    );
    assert_eq!(
        no_charge["aws_sagemaker_endpoint_configuration.second"],
        "not used by any endpoint in this document: no charge until an endpoint runs it"
    );
    let machine = report
        .usage_based
        .iter()
        .find(|u| u.address == "aws_sfn_state_machine.m")
        .unwrap_or_else(|| panic!("{:?}", report.usage_based));
    assert!(
        machine.why.contains(
            "aws_cloudwatch_event_target.t: rule \"elsewhere\" is not in this document: executions unknown"
        ),
        "{}",
        machine.why
    );
}

#[test]
fn article_crons_give_15_hours_a_day_at_daytime_capacity() {
    let report = estimate(&stack_json("ai-inference-prod"), "ai-inference-prod", None);
    assert_eq!(report.schedules.len(), 1);
    let s = &report.schedules[0];
    assert!(s.exact, "{:?}", s.notes);
    let day = s
        .segments
        .iter()
        .find(|seg| seg.max_capacity == 4)
        .unwrap_or_else(|| panic!("{:?}", s.segments));
    assert_eq!((day.min_capacity, day.hours_per_day), (1, 15.0));
    let night = s
        .segments
        .iter()
        .find(|seg| seg.max_capacity == 1)
        .unwrap_or_else(|| panic!("{:?}", s.segments));
    assert_eq!(night.hours_per_day, 9.0);
    let hourly = usd("sagemaker-realtime", "ml.g5.12xlarge");
    close(
        s.floor.monthly,
        hourly * HOURS,
        "floor: 1 instance all month",
    );
    close(
        s.ceiling.monthly,
        hourly * (15.0 * 4.0 + 9.0) / 24.0 * HOURS,
        "ceiling: 4 by day, 1 by night",
    );
    close(s.always_on.monthly, 4.0 * hourly * HOURS, "always on at 4");
    close(
        s.saving_monthly,
        4.0 * hourly * HOURS - hourly * 69.0 / 24.0 * HOURS,
        "saving",
    );
    assert!((s.saving_percent - 27.0 / 96.0 * 100.0).abs() < 1e-4);
}

#[test]
fn dev_schedule_is_read_in_berlin_time_on_weekdays() {
    let report = estimate(&stack_json("ai-inference-dev"), "ai-inference-dev", None);
    let s = &report.schedules[0];
    assert!(s.exact, "{:?}", s.notes);
    // 08:00–19:00 Europe/Berlin, Monday to Friday: 5 × 11 h at up to 2 instances.
    let up = s
        .segments
        .iter()
        .find(|seg| seg.max_capacity == 2)
        .unwrap_or_else(|| panic!("{:?}", s.segments));
    assert_eq!(up.hours_per_week, 55.0);
    let hourly = usd("sagemaker-realtime", "ml.g5.2xlarge");
    close(
        s.ceiling.monthly,
        hourly * (168.0 + 55.0) / 168.0 * HOURS,
        "ceiling",
    );
}

#[test]
fn stacks_price_their_endpoints_cache_and_vpc_endpoints_by_hand() {
    let report = estimate(&stack_json("ai-inference-prod"), "ai-inference-prod", None);
    let line = |a: &str| {
        report
            .lines
            .iter()
            .find(|l| l.address == a)
            .unwrap_or_else(|| panic!("no line {a}"))
    };
    close(
        line("aws_sagemaker_endpoint.small").monthly.floor,
        usd("sagemaker-realtime", "ml.g5.xlarge") * HOURS,
        "small endpoint",
    );
    close(
        line("aws_elasticache_replication_group.ai").monthly.floor,
        2.0 * usd("elasticache", "cache.r6g.large") * HOURS,
        "cache",
    );
    let interface_endpoints = report
        .lines
        .iter()
        .filter(|l| l.resource_type == "aws_vpc_endpoint")
        .count();
    assert_eq!(interface_endpoints, 8);
    close(
        line("aws_vpc_endpoint.logs").monthly.floor,
        2.0 * usd("vpc", "interface-endpoint") * HOURS,
        "an interface endpoint in two AZs",
    );
    // Spot batch: the ceiling is what the weekly schedule submits, not 64 vCPUs busy all
    // month: cron(0 2 ? * SUN *) fires once a week, 730 / 168 times a month; each job may
    // run 3 attempts of at most 4 h (the job definition's timeout); a job of 4 vCPUs and 1
    // GPU fits alone on any of the three types, the dearest being g5.4xlarge.
    let batch = line("aws_batch_compute_environment.spot_gpu");
    let jobs = HOURS / 168.0;
    close(
        batch.monthly.ceiling,
        jobs * 3.0 * 4.0 * usd("ec2", "g5.4xlarge") * (1.0 - spot_discount()),
        "spot batch ceiling from the schedule",
    );
    close(batch.monthly.floor, 0.0, "spot batch floor: min_vcpus 0");
    assert!(
        batch.notes.iter().any(|n| n.contains(
            "with max_vcpus (64) busy all month on the dearest type per vCPU it would be $4,700.03"
        )),
        "{:?}",
        batch.notes
    );
    // The router's EMF metrics: 8 names × 3 answering tiers, and the `none` tier at the
    // ceiling.
    let metrics = line("aws_lambda_function.model_router (custom metrics)");
    let per_metric = usd("cloudwatch", "custom-metric");
    close(
        metrics.monthly.floor,
        24.0 * per_metric,
        "24 custom metrics",
    );
    close(
        metrics.monthly.ceiling,
        32.0 * per_metric,
        "32 with Tier=none",
    );
    // The batch transform runs cannot be priced, so the total says it is partial.
    assert!(!report.complete);
    assert_eq!(report.unpriced.len(), 1, "{:?}", report.unpriced);
    let transform = report
        .unpriced
        .iter()
        .find(|u| u.address == "aws_sfn_state_machine.weekly_transform (batch transform runs)")
        .unwrap_or_else(|| panic!("{:?}", report.unpriced));
    assert!(transform.reason.contains("ml.g5.12xlarge × 1"));
}

#[test]
fn unpriceable_values_say_why() {
    let report = estimate(&fixture("unpriced.tf.json"), "unpriced.tf.json", None);
    let text: Vec<String> = report
        .unpriced
        .iter()
        .map(|u| format!("{}: {}", u.address, u.reason))
        .collect();
    snapshot!("cost_unpriceable", text.join("\n"));
    let priced = report
        .lines
        .iter()
        .find(|l| l.address == "aws_sagemaker_endpoint.with_default")
        .unwrap_or_else(|| panic!("a variable's default is used"));
    close(
        priced.monthly.floor,
        usd("sagemaker-realtime", "ml.t3.medium") * HOURS,
        "ml.t3.medium from the variable's default",
    );
    assert!(priced.notes[0].contains("variable small_type's default"));
}

#[test]
fn article_table_corrected() {
    let traffic = Traffic::from_json(ARTICLE_TRAFFIC, "article").unwrap_or_else(|e| panic!("{e}"));
    let report = estimate("{}", "the article", Some(&traffic));
    let t = report
        .traffic
        .unwrap_or_else(|| panic!("no traffic report"));
    let row = |label: &str| {
        t.comparison
            .iter()
            .find(|r| r.label == label)
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    // 1M requests × (500 × $3 + 500 × $15) / 1M tokens = $1,500 + $7,500.
    let sonnet = row("Claude 3.5 Sonnet (Bedrock)");
    close(
        sonnet.monthly.unwrap_or_default(),
        1e6 * (500.0 * 3.0 + 500.0 * 15.0) / 1e6,
        "Sonnet",
    );
    assert_eq!(sonnet.monthly, Some(9000.0));
    let verdict = sonnet.verdict.clone().unwrap_or_else(|| panic!("verdict"));
    assert!(!verdict.right);
    assert_eq!(verdict.factor, 2.0);
    let haiku = row("Claude 3 Haiku (Bedrock)");
    assert_eq!(haiku.monthly, Some(750.0));
    assert_eq!(haiku.verdict.as_ref().map(|v| v.factor), Some(2.0));
    close(
        row("Llama 3 70B (SageMaker)").monthly.unwrap_or_default(),
        usd("sagemaker-realtime", "ml.g5.12xlarge") * HOURS,
        "70B always on",
    );
    assert_eq!(
        row("Llama 3 8B (SageMaker)")
            .verdict
            .as_ref()
            .map(|v| v.right),
        Some(true)
    );
    snapshot!("cost_article_table", t.comparison_table());
}

/// The price notes and sources name the prices the traffic report used, no others: the
/// x86_64 router's GB-second price (not arm64's), and the model a cross-region inference
/// profile names.
#[test]
fn the_traffic_report_lists_exactly_the_prices_it_used() {
    let mut traffic = Traffic::from_json(&fixture("traffic-prod.json"), "traffic-prod.json")
        .unwrap_or_else(|e| panic!("{e}"));
    traffic.tiers[2].bedrock_model = Some("us.meta.llama3-70b-instruct-v1:0".to_owned());
    traffic.largest_model = None;
    let report = estimate(
        &stack_json("ai-inference-prod"),
        "ai-inference-prod",
        Some(&traffic),
    );
    let notes = report.prices.price_notes.join("\n");
    assert!(notes.contains("lambda gb-second-x86_64: "), "{notes}");
    assert!(!notes.contains("gb-second-arm64"), "{notes}");
    for dir in ["input", "output"] {
        assert!(
            notes.contains(&format!(
                "bedrock meta.llama3-70b-instruct-v1:0/{dir}: Llama 3 70B Instruct, on-demand"
            )),
            "{notes}"
        );
    }
    assert!(
        report
            .prices
            .sources
            .contains(&"https://aws.amazon.com/bedrock/pricing/".to_owned()),
        "{:?}",
        report.prices.sources
    );
}

#[test]
fn routing_and_caching_against_everything_to_the_largest_model() {
    let traffic = Traffic::from_json(&fixture("traffic-prod.json"), "traffic-prod.json")
        .unwrap_or_else(|e| panic!("{e}"));
    let report = estimate(
        &stack_json("ai-inference-prod"),
        "ai-inference-prod",
        Some(&traffic),
    );
    let t = report
        .traffic
        .unwrap_or_else(|| panic!("no traffic report"));
    let (r, hit) = (3e6, 0.3);
    let misses = r * (1.0 - hit);
    let sonnet_request = (500.0 * 3.0 + 500.0 * 15.0) / 1e6;
    let bedrock = &t.tiers[2];
    close(bedrock.requests, misses * 0.1, "bedrock requests");
    close(
        bedrock.monthly.map(|m| m.floor).unwrap_or_default(),
        misses * 0.1 * sonnet_request,
        "bedrock tier",
    );
    close(
        bedrock.per_request.map(|m| m.floor).unwrap_or_default(),
        sonnet_request,
        "bedrock per request",
    );
    let router = t.router.clone().unwrap_or_else(|| panic!("router"));
    let gb_seconds = r * 1.5 * 256.0 / 1024.0;
    close(
        router.monthly,
        r / 1e6 * usd("lambda", "requests") + gb_seconds * usd("lambda", "gb-second-x86_64"),
        "router",
    );
    let small = usd("sagemaker-realtime", "ml.g5.xlarge") * HOURS;
    let large = usd("sagemaker-realtime", "ml.g5.12xlarge") * HOURS;
    let cache = 2.0 * usd("elasticache", "cache.r6g.large") * HOURS;
    let blended = t.blended.clone().unwrap_or_else(|| panic!("blended"));
    let floor = small + large + cache + misses * 0.1 * sonnet_request + router.monthly;
    close(blended.monthly.floor, floor, "blended floor");
    close(blended.per_request.floor, floor / r, "per request");
    close(
        blended.per_million_tokens.floor,
        floor / (r * 1000.0 / 1e6),
        "per 1M tokens",
    );
    let baseline = t.baseline.clone().unwrap_or_else(|| panic!("baseline"));
    close(baseline.monthly, r * sonnet_request, "everything to Sonnet");
    close(
        baseline.saving_at_floor,
        r * sonnet_request - floor,
        "saving",
    );
}

#[test]
fn a_user_price_file_replaces_and_adds_prices() {
    let mut table = prices();
    let extra = PriceTable::from_json(&fixture("prices-override.json"), "prices-override.json")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(table.merge(extra, "prices-override.json"), (1, 1));
    let report = estimate_json(
        &stack_json("ai-inference-prod"),
        "ai-inference-prod",
        &table,
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    close(
        report.schedules[0].floor.monthly,
        6.0 * HOURS,
        "overridden price",
    );
    assert!(report
        .prices
        .sources
        .contains(&"https://example.com/our-private-pricing".to_owned()));
    assert_eq!(
        report.prices.overrides,
        vec!["prices-override.json: 1 price(s) replaced, 1 added"]
    );
}

#[test]
fn cost_of_each_stack() {
    for stack in ["ai-inference-prod", "ai-inference-dev"] {
        let (code, out, err) = run(&["cost", stack]);
        assert_eq!(code, 0, "{err}");
        snapshot!(format!("cost_{stack}"), out);
    }
}

#[test]
fn json_output_has_a_schema_and_parses_back() {
    let (code, schema, _) = run(&["cost", "--schema"]);
    assert_eq!(code, 0);
    snapshot!("cost_report_schema", schema);
    let (code, out, err) = run(&["cost", "ai-inference-prod", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report: CostReport = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.schema_version, 1);
    assert_eq!(report.currency, "USD");
    assert!(report.monthly.floor > 0.0 && report.monthly.ceiling >= report.monthly.floor);
}

#[test]
fn cost_reads_hand_written_terraform_json() {
    let path = workspace_root().join("tests/fixtures/cost/priced.tf.json");
    let path = path.to_string_lossy().into_owned();
    let (code, out, err) = run(&["cost", "--file", &path]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("aws_nat_gateway.nat"), "{out}");
}

#[test]
fn errors_name_the_file_and_a_fix() {
    let (code, _, err) = run(&["cost"]);
    assert_eq!(code, 2, "nothing to price is a usage error");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bad = dir.path().join("traffic.json");
    std::fs::write(
        &bad,
        r#"{"requests_per_month": 1000, "input_tokens_per_request": 500, "output_tokens_per_request": 500,
            "cache_hit_rate": 1.5}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let bad = bad.to_string_lossy().into_owned();
    let (code2, _, err2) = run(&["cost", "ai-inference-prod", "--traffic", &bad]);
    assert_eq!(code2, 1);
    let err2 = err2.replace(&bad, "traffic.json");
    let missing_tier = Traffic::from_json(&fixture("traffic-prod.json"), "traffic-prod.json")
        .map(|t| {
            estimate_json("{}", "empty", &prices(), Some((&t, "traffic-prod.json")))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let missing = dir.path().join("missing.tf.json");
    let missing = missing.to_string_lossy().into_owned();
    let (code3, _, err3) = run(&["cost", "--file", &missing]);
    assert_eq!(code3, 1);
    let err3 = err3.replace(&missing, "missing.tf.json");
    let (code4, _, err4) = run(&["cost", "ai-inference-prod", "--prices", &missing]);
    assert_eq!(code4, 1);
    let err4 = err4.replace(&missing, "missing.tf.json");
    snapshot!(
        "cost_errors",
        format!("$ cost\n{err}\n$ cost ai-inference-prod --traffic traffic.json\n{err2}\n$ (traffic-prod.json on an empty document)\n{missing_tier}\n$ cost --file missing.tf.json\n{err3}$ cost ai-inference-prod --prices missing.tf.json\n{err4}")
    );
}

/// The custom metrics the router declares are the ones its code publishes: the metric names
/// of `metrics.py`'s `UNITS`, and the tiers of `routing.py` plus `none`.
#[test]
fn the_router_declares_the_metrics_its_code_publishes() -> Result<(), AssertionError> {
    use oxiform::patterns::router::{ANSWERING_TIERS, METRIC_NAMES, NO_TIER};
    let read = |file: &str| {
        let path = workspace_root().join("stacks/router").join(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let metrics = read("metrics.py");
    let units = &metrics[metrics
        .find("UNITS = (")
        .unwrap_or_else(|| panic!("no UNITS"))..];
    let units = &units[..units.find("\n)").unwrap_or(units.len())];
    let published: Vec<&str> = units
        .lines()
        .filter_map(|l| l.trim().strip_prefix("(\""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert_eq!(published, METRIC_NAMES);
    let routing = read("routing.py");
    let tiers = routing
        .lines()
        .find_map(|l| l.strip_prefix("TIERS = ("))
        .unwrap_or_else(|| panic!("no TIERS in routing.py"));
    let tiers: Vec<&str> = tiers.split('"').skip(1).step_by(2).collect();
    assert_eq!(tiers, ANSWERING_TIERS);
    assert!(read("router.py").contains(&format!("\"tier\": \"{NO_TIER}\"")));
    // And the stack's Terraform JSON carries the declaration cost reads.
    let t = Template::from_json(&stack_json("ai-inference-prod"))?;
    let variable = oxiform::cost::EMF_METRICS_VARIABLE;
    t.resource::<LambdaFunction>("model_router")?
        .has_properties(json!({ "environment": { "variables": {
            variable: oxiform::patterns::router::emf_declaration()
        }}}))
}

/// Each bad input has its message and exit code: a known type priced only in another
/// region, a price with the wrong unit, JSON that is not Terraform, a partial total under
/// --fail-on-unpriced, and the usage errors of every command that takes a stack.
#[test]
fn bad_inputs_have_a_message_and_an_exit_code() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path.to_string_lossy().into_owned()
    };
    let endpoint = |region: &str| {
        format!(
            r#"{{"provider": {{"aws": [{{"region": "{region}"}}]}}, "resource": {{
            "aws_sagemaker_endpoint_configuration": {{"c": {{"name": "c", "production_variants": [
                {{"variant_name": "v", "model_name": "m", "instance_type": "ml.g5.xlarge", "initial_instance_count": 1}}]}}}},
            "aws_sagemaker_endpoint": {{"e": {{"endpoint_config_name": "c"}}}}}}}}"#
        )
    };
    let ireland = write("ireland.tf.json", &endpoint("eu-west-1"));
    let virginia = write("virginia.tf.json", &endpoint("us-east-1"));
    let per_hour = write(
        "per-hour.json",
        r#"{"prices": [{"service": "sagemaker-realtime", "item": "ml.g5.xlarge", "region": "us-east-1",
            "unit": "hour", "usd": 1.5, "source": "https://example.com/ours", "as_of": "2026-01-01"}]}"#,
    );
    let not_terraform = write("package.json", r#"{"name": "my-app", "version": "1.0.0"}"#);
    // (command line, exit code): 1 for a failure, 2 for a usage error.
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["cost", "--file", &ireland], 0),
        (vec!["cost", "--file", &ireland, "--fail-on-unpriced"], 1),
        (
            vec![
                "cost",
                "--file",
                &virginia,
                "--prices",
                &per_hour,
                "--fail-on-unpriced",
            ],
            1,
        ),
        (vec!["cost", "--file", &not_terraform], 1),
        (vec!["cost"], 2),
        (vec!["cost", "ai-inference-prd"], 2),
        (vec!["check", "nope"], 2),
        (vec!["synth", "nope"], 2),
        (vec!["graph", "nope"], 2),
        (vec!["diff", "nope"], 2),
        (vec!["plan", "nope"], 2),
    ];
    let mut transcript = String::new();
    for (args, expected) in &cases {
        let (code, out, err) = run(args);
        // The tables are pinned elsewhere: here the verdict, the partial-total line and
        // the error.
        let out: Vec<&str> = out
            .lines()
            .filter(|l| {
                l.starts_with("  total")
                    || l.contains("the total is partial")
                    || l.starts_with("  aws_sagemaker_endpoint.e:")
                    || l.starts_with("  note: no resources found")
            })
            .collect();
        let shown = args
            .iter()
            .map(|a| {
                a.strip_prefix(&*dir.path().to_string_lossy())
                    .map(|rest| rest.trim_start_matches('/').to_owned())
                    .unwrap_or_else(|| (*a).to_owned())
            })
            .collect::<Vec<_>>()
            .join(" ");
        let err = err.replace(&*dir.path().to_string_lossy(), "DIR");
        transcript.push_str(&format!(
            "$ stacks {shown}\nexit code: {code}\n{}{}",
            out.iter().map(|l| format!("{l}\n")).collect::<String>(),
            err
        ));
        assert_eq!(code, *expected, "{args:?}: {err}");
    }
    assert!(
        transcript.contains("has it only for us-east-1"),
        "{transcript}"
    );
    assert!(transcript.contains("is per \"hour\""), "{transcript}");
    assert!(
        !transcript.contains("unknown instance type"),
        "{transcript}"
    );
    snapshot!("cost_bad_inputs", transcript);
}

/// A document without resources says so instead of pricing to 0 without a word.
#[test]
fn an_empty_document_says_no_resources_were_found() {
    let report = estimate(
        r#"{"terraform": {"required_version": ">= 1.5"}}"#,
        "empty.tf.json",
        None,
    );
    assert_eq!(report.monthly.floor, 0.0);
    assert!(
        report.notes[0].starts_with("no resources found in empty.tf.json"),
        "{:?}",
        report.notes
    );
}

#[test]
fn every_iana_zone_is_read_exactly_and_a_zone_aws_would_refuse_is_unpriced() {
    // America/Santiago was outside the hand-kept daylight-saving tables (read as UTC then);
    // Europe/Atlantis is no zone at all.
    let schedule = |zone: &str| {
        serde_json::json!({
            "name": "s",
            "schedule_expression": "cron(0 8 ? * MON-FRI *)",
            "schedule_expression_timezone": zone,
            "flexible_time_window": { "mode": "OFF" },
            "target": { "arn": "arn:aws:lambda:us-east-1:111122223333:function:f", "role_arn": "arn:aws:iam::111122223333:role/s" }
        })
    };
    let doc = serde_json::json!({
        "provider": { "aws": [{ "region": "us-east-1" }] },
        "resource": { "aws_scheduler_schedule": {
            "santiago": schedule("America/Santiago"),
            "atlantis": schedule("Europe/Atlantis"),
        } }
    });
    let report = estimate(&doc.to_string(), "zones.tf.json", None);
    let santiago = report
        .lines
        .iter()
        .find(|l| l.address == "aws_scheduler_schedule.santiago")
        .unwrap_or_else(|| panic!("{:?}", report.unpriced));
    assert!(santiago.notes.is_empty(), "{:?}", santiago.notes);
    let atlantis = report
        .unpriced
        .iter()
        .find(|u| u.address == "aws_scheduler_schedule.atlantis")
        .unwrap_or_else(|| panic!("{:?}", report.lines));
    assert!(
        atlantis
            .reason
            .contains("invalid time zone \"Europe/Atlantis\": no such zone"),
        "{}",
        atlantis.reason
    );
}
