"""CloudWatch embedded metric format (EMF): one JSON log line per request on stdout.

Dimension `Tier` (the tier that answered; `none` when no tier could). Metrics:

    CacheHit      Count         1 when the answer came from the cache, else 0
    CacheMiss     Count         1 when it did not (also when the cache was down, skipped by
                                `"cache": false`, or not configured), else 0
    CacheError    Count         1 when the cache could not be used (error, timeout, or
                                skipped for a few seconds after one), else 0
    InputTokens   Count         tokens sent to a model (0 on a cache hit)
    OutputTokens  Count         tokens generated (0 on a cache hit)
    Latency       Milliseconds  handler time, from the event to the response
    Fallback      Count         1 when a tier other than the chosen one answered (not
                                counted again when that answer is served from the cache)
    Error         Count         1 when no tier could answer, else 0

Other fields of the line (requested_tier, score, cached, fallback_reason, request_id) are
properties, searchable in CloudWatch Logs Insights but not metrics.
"""

import json
import sys
import time

DEFAULT_NAMESPACE = "AIRouter"

UNITS = (
    ("CacheHit", "Count"),
    ("CacheMiss", "Count"),
    ("CacheError", "Count"),
    ("InputTokens", "Count"),
    ("OutputTokens", "Count"),
    ("Latency", "Milliseconds"),
    ("Fallback", "Count"),
    ("Error", "Count"),
)
_DEFINITIONS = [{"Name": name, "Unit": unit} for name, unit in UNITS]


def record(namespace, tier, values, properties=None, timestamp_ms=None):
    """An EMF object: `values` maps every metric name of `UNITS` to a number."""
    out = {
        "_aws": {
            "Timestamp": int(time.time() * 1000) if timestamp_ms is None else timestamp_ms,
            "CloudWatchMetrics": [
                {"Namespace": namespace, "Dimensions": [["Tier"]], "Metrics": _DEFINITIONS}
            ],
        },
        "Tier": tier,
    }
    if properties:
        out.update(properties)
    for name, _ in UNITS:
        out[name] = values.get(name, 0)
    return out


def print_line(obj):
    """Writes one EMF object as a JSON line on stdout (the Lambda log)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()
