"""Fallback to the next tier up when a model throttles, errors or times out."""

import unittest

import support
from support import body_of, make_router

SMALL, LARGE = "llama-8b-simple", "llama-70b-complex"
BEDROCK = support.env()["BEDROCK_MODEL"]
SIMPLE = {"prompt": "What is the capital of France?"}


class FallbackTest(unittest.TestCase):
    def setUp(self):
        self.router, self.aws, self.emitted = make_router()

    def ask(self, payload=SIMPLE, status=200, context=None):
        resp = self.router.handle(support.url_event(payload), context or support.Context())
        self.assertEqual(resp["statusCode"], status, resp["body"])
        return body_of(resp)

    def test_no_fallback(self):
        body = self.ask()
        self.assertEqual((body["tier"], body["requested_tier"], body["fallback_reason"]),
                         ("small", "small", None))
        self.assertEqual(self.emitted[0]["Fallback"], 0)

    def test_each_failure_moves_small_to_large(self):
        for mode, reason in (
            ("throttle", "small: ThrottlingException: Rate exceeded"),
            ("error", "small: ModelError: Received server error (500) from primary"),
            ("timeout", "small: ReadTimeoutError: Read timeout on endpoint URL"),
            ("garbage", "small: ModelResponseError: endpoint llama-8b-simple answered without "
                        "generated_text"),
        ):
            with self.subTest(mode=mode):
                self.aws.fail = {SMALL: mode}
                self.aws.calls.clear()
                body = self.ask()
                self.assertEqual(body["tier"], "large")
                self.assertEqual(body["requested_tier"], "small")
                self.assertEqual(body["model"], LARGE)
                self.assertTrue(body["fallback_reason"].startswith(reason),
                                body["fallback_reason"])
                self.assertFalse(body["cached"])
                self.assertIn("[llama-70b-complex]", body["output"])
                self.assertEqual(self.aws.targets(), [SMALL, LARGE])

    def test_small_and_large_fail_bedrock_answers(self):
        self.aws.fail = {SMALL: "throttle", LARGE: "timeout"}
        body = self.ask()
        self.assertEqual(body["tier"], "bedrock")
        self.assertEqual(body["model"], BEDROCK)
        self.assertEqual(body["usage"], {"input_tokens": 11, "output_tokens": 7,
                                         "estimated": False})
        reasons = body["fallback_reason"].split("; ")
        self.assertEqual(len(reasons), 2)
        self.assertTrue(reasons[0].startswith("small: ThrottlingException"))
        self.assertTrue(reasons[1].startswith("large: ReadTimeoutError"))
        self.assertEqual(self.aws.targets(), [SMALL, LARGE, BEDROCK])
        record = self.emitted[0]
        self.assertEqual((record["Tier"], record["Fallback"], record["requested_tier"]),
                         ("bedrock", 1, "small"))

    def test_the_chain_starts_at_the_chosen_tier(self):
        self.aws.fail = {LARGE: "error"}
        body = self.ask({"prompt": "hi", "tier": "large"})
        self.assertEqual((body["tier"], body["requested_tier"]), ("bedrock", "large"))
        self.assertEqual(self.aws.targets(), [LARGE, BEDROCK])

    def test_all_throttled_is_503(self):
        self.aws.fail = {SMALL: "throttle", LARGE: "throttle", BEDROCK: "throttle"}
        resp = self.router.handle(SIMPLE, support.Context())
        self.assertEqual(resp["statusCode"], 503)
        self.assertEqual(resp["headers"]["retry-after"], "2")
        body = body_of(resp)
        self.assertTrue(body["error"].startswith("no model tier could answer: small: "
                                                 "ThrottlingException"), body["error"])
        self.assertIn("bedrock: ThrottlingException", body["error"])
        self.assertEqual(body["requested_tier"], "small")
        record = self.emitted[0]
        self.assertEqual((record["Tier"], record["Error"], record["Fallback"]), ("none", 1, 0))

    def test_bedrock_failing_alone_is_502(self):
        self.aws.fail = {BEDROCK: "error"}
        body = self.ask({"prompt": "hi", "tier": "bedrock"}, status=502)
        self.assertIn("bedrock: ModelError", body["error"])
        self.assertEqual(self.aws.targets(), [BEDROCK])

    def test_an_unconfigured_tier_is_skipped(self):
        self.router, self.aws, self.emitted = make_router(SMALL_ENDPOINT="")
        body = self.ask()
        self.assertEqual(body["tier"], "large")
        self.assertEqual(body["fallback_reason"], "small: not configured (SMALL_ENDPOINT is empty)")
        self.assertEqual(self.aws.targets(), [LARGE])

    def test_no_time_left_skips_the_next_tier(self):
        self.aws.fail = {SMALL: "timeout"}
        body = self.ask(status=502, context=support.Context(remaining_ms=400))
        self.assertIn("large: skipped, 400 ms left before the Lambda timeout", body["error"])
        self.assertEqual(self.aws.targets(), [SMALL])

    def test_long_error_messages_are_shortened(self):
        self.aws.fail = {SMALL: "error"}
        support.FAILURES["long"] = lambda op: support.ClientError("ModelError", "x" * 5000, op)
        self.addCleanup(support.FAILURES.pop, "long")
        self.aws.fail = {SMALL: "long"}
        body = self.ask()
        self.assertLess(len(body["fallback_reason"]), 220)
        self.assertTrue(body["fallback_reason"].endswith("..."))


if __name__ == "__main__":
    unittest.main()
