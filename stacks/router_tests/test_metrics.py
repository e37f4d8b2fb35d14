"""CloudWatch EMF lines: structure, namespace, dimension and values."""

import contextlib
import io
import json
import unittest

import support
from support import make_router

import metrics

NAMES = ["CacheHit", "CacheMiss", "CacheError", "InputTokens", "OutputTokens", "Latency",
         "Fallback", "Error"]


def check_emf(test, obj, namespace="AIRouter"):
    """Validates an EMF object the way CloudWatch reads it."""
    directive = obj["_aws"]["CloudWatchMetrics"]
    test.assertIsInstance(obj["_aws"]["Timestamp"], int)
    test.assertEqual(len(directive), 1)
    test.assertEqual(directive[0]["Namespace"], namespace)
    test.assertEqual(directive[0]["Dimensions"], [["Tier"]])
    defined = {m["Name"]: m["Unit"] for m in directive[0]["Metrics"]}
    test.assertEqual(sorted(defined), sorted(NAMES))
    test.assertEqual(defined["Latency"], "Milliseconds")
    test.assertTrue(all(u == "Count" for n, u in defined.items() if n != "Latency"))
    for name in NAMES:
        test.assertIsInstance(obj[name], (int, float), name)
    test.assertIn(obj["Tier"], ("small", "large", "bedrock", "none"))


class MetricsTest(unittest.TestCase):
    def test_one_line_per_request_on_stdout(self):
        r, _, _ = make_router(METRICS_NAMESPACE="AIRouterTest")
        r.emit = metrics.print_line
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            r.handle({"prompt": "hi"}, support.Context(request_id="abc-123"))
            r.handle({"prompt": "Prove it step by step and compare the trade-offs."})
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 2)
        first = json.loads(lines[0])
        check_emf(self, first, "AIRouterTest")
        self.assertEqual(first["Tier"], "small")
        self.assertEqual(first["request_id"], "abc-123")
        self.assertEqual((first["CacheHit"], first["CacheMiss"]), (0, 1))
        self.assertEqual(first["InputTokens"], 1)  # "hi": one estimated token
        self.assertGreater(first["OutputTokens"], 0)
        self.assertGreaterEqual(first["Latency"], 0)
        self.assertEqual(json.loads(lines[1])["Tier"], "large")

    def test_namespace_defaults_to_airouter(self):
        r, _, emitted = make_router(METRICS_NAMESPACE=None)
        r.handle({"prompt": "hi"})
        check_emf(self, emitted[0], "AIRouter")

    def test_the_prompt_is_not_logged(self):
        r, _, _ = make_router()
        r.emit = metrics.print_line
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            r.handle({"prompt": "my secret question"})
        self.assertNotIn("secret", out.getvalue())


if __name__ == "__main__":
    unittest.main()
