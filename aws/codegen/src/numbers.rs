//! Integer, float or either: how a `number` attribute is typed when no override says.
//!
//! The provider schema says only `number`; the provider's Go code knows `TypeInt` from
//! `TypeFloat`, but that is not in the schema. The rules below read the attribute's name
//! (and its description, when it has one) and decide only when the name leaves no doubt:
//! counts, ports, durations, sizes and limits are integers; ratios, prices, thresholds and
//! scores are floats. Anything else gets [`NumberKind::Either`] — `Value<Number>`, which
//! takes integer and float literals alike — so a name the rules cannot read never blocks a
//! user, and a wrong guess can only be too lenient, never refuse a valid value.
//! `overrides.json` (`integers`, `floats`) corrects the rules where the provider is known to
//! differ.

/// How a `number` attribute is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumberKind {
    /// `Value<i64>`
    Int,
    /// `Value<f64>`
    Float,
    /// `Value<Number>`: integer or float literals.
    Either,
}

/// Whole names that are integers.
const INT_NAMES: &[&str] = &[
    "port",
    "count",
    "priority",
    "iops",
    "throughput",
    "capacity",
    "period",
    "timeout",
    "retries",
    "size",
    "duration",
    "interval",
    "ttl",
    "limit",
    "quantity",
    "concurrency",
    "index",
    "version",
    "revision",
    "position",
    "order",
    "rank",
    "depth",
    "length",
    "memory",
    "cpu",
    "cpus",
    "vcpus",
    "gpus",
    "days",
    "hours",
    "minutes",
    "seconds",
    "weeks",
    "months",
    "years",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "bytes",
    "step",
    "step_size",
    "batch_size",
    "rule_number",
    "number",
    "asn",
    "vlan",
    "mtu",
    "shards",
    "replicas",
    "partitions",
    "workers",
    "nodes",
    "instances",
    "units",
    "attempts",
    "generation",
    "max",
    "min",
    "maximum",
    "minimum",
];

/// Name endings that are integers (`*_count`, `*_seconds`, …).
const INT_SUFFIXES: &[&str] = &[
    "_port",
    "_count",
    "_counts",
    "_seconds",
    "_minutes",
    "_hours",
    "_days",
    "_weeks",
    "_months",
    "_years",
    "_in_seconds",
    "_in_minutes",
    "_in_hours",
    "_in_days",
    "_secs",
    "_mins",
    "_ms",
    "_millis",
    "_milliseconds",
    "_mb",
    "_gb",
    "_tb",
    "_gib",
    "_mib",
    "_kb",
    "_kib",
    "_mbps",
    "_gbps",
    "_bytes",
    "_size",
    "_sizes",
    "_iops",
    "_throughput",
    "_capacity",
    "_timeout",
    "_period",
    "_periods",
    "_retries",
    "_attempts",
    "_number",
    "_length",
    "_ttl",
    "_limit",
    "_version",
    "_priority",
    "_index",
    "_interval",
    "_duration",
    "_concurrency",
    "_retention",
    "_quantity",
    "_depth",
    "_partitions",
    "_shards",
    "_replicas",
    "_nodes",
    "_workers",
    "_units",
    "_vcpus",
    "_vcpu",
    "_cpus",
    "_cpu",
    "_memory",
    "_gpus",
    "_level_count",
    "_position",
    "_offset",
    "_year",
    "_month",
    "_day",
    "_hour",
    "_minute",
    "_second",
    "_revision",
    "_generation",
    "_asn",
    "_mtu",
    "_window",
    "_delay",
    "_age",
    "_lifetime",
    "_expiration",
    "_frequency_in_minutes",
];

/// Name beginnings that are integers: counts of things.
const INT_PREFIXES: &[&str] = &["number_of_", "num_", "max_", "min_", "desired_"];

/// Whole names that are fractional.
const FLOAT_NAMES: &[&str] = &[
    "threshold",
    "target_value",
    "ratio",
    "rate",
    "price",
    "score",
    "latitude",
    "longitude",
    "factor",
    "multiplier",
    "probability",
    "percentile",
    "alpha",
    "epsilon",
];

/// Name endings that are fractional.
const FLOAT_SUFFIXES: &[&str] = &[
    "_ratio",
    "_price",
    "_cost",
    "_amount",
    "_factor",
    "_score",
    "_fraction",
    "_latitude",
    "_longitude",
    "_percentile",
    "_probability",
    "_multiplier",
    "_weight",
    "_scale",
    "_budget",
    "_spend",
];

/// The kind of a `number` attribute from its name and description; also names the rule
/// that decided (for the generator's report and tests).
pub fn classify(name: &str, description: Option<&str>) -> (NumberKind, &'static str) {
    // Names that look like counts but are fractional first (`max_price`).
    if FLOAT_NAMES.contains(&name) {
        return (NumberKind::Float, "float name");
    }
    if FLOAT_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return (NumberKind::Float, "float suffix");
    }
    // A health check's `healthy_threshold` counts consecutive checks.
    if name.ends_with("healthy_threshold") {
        return (NumberKind::Int, "health check count");
    }
    if INT_NAMES.contains(&name) {
        return (NumberKind::Int, "integer name");
    }
    if INT_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return (NumberKind::Int, "integer suffix");
    }
    if INT_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return (NumberKind::Int, "integer prefix");
    }
    if let Some(d) = description {
        let d = d.to_ascii_lowercase();
        if d.contains("number of ") || d.contains("integer") || d.contains("in seconds") {
            return (NumberKind::Int, "description");
        }
        if d.contains("decimal") || d.contains("floating") || d.contains("fraction") {
            return (NumberKind::Float, "description");
        }
    }
    (NumberKind::Either, "undecided")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> NumberKind {
        classify(name, None).0
    }

    #[test]
    fn counts_ports_durations_and_sizes_are_integers() {
        for name in [
            "port",
            "from_port",
            "desired_count",
            "visibility_timeout_seconds",
            "retention_in_days",
            "allocated_storage_gb",
            "max_capacity",
            "min_size",
            "number_of_nodes",
            "healthy_threshold",
            "unhealthy_threshold",
            "read_capacity",
        ] {
            assert_eq!(kind(name), NumberKind::Int, "{name}");
        }
    }

    #[test]
    fn ratios_prices_and_thresholds_are_floats() {
        for name in [
            "threshold",
            "target_value",
            "max_price",
            "sampling_ratio",
            "initial_variant_weight",
        ] {
            assert_eq!(kind(name), NumberKind::Float, "{name}");
        }
    }

    #[test]
    fn undecided_names_take_either() {
        assert_eq!(kind("value"), NumberKind::Either);
        assert_eq!(kind("sample_rate_x"), NumberKind::Either);
        assert_eq!(
            classify("value", Some("The number of widgets.")).0,
            NumberKind::Int
        );
    }
}
