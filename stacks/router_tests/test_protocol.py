"""Events in (function URL, base64, direct invoke) and 400s for bad requests."""

import contextlib
import io
import json
import unittest

import support
from support import body_of, make_router, url_event

import router


class EventsTest(unittest.TestCase):
    def setUp(self):
        self.router, self.aws, self.emitted = make_router()

    def ok(self, event):
        resp = self.router.handle(event, support.Context())
        self.assertEqual(resp["statusCode"], 200, resp["body"])
        self.assertEqual(resp["headers"]["content-type"], "application/json")
        return body_of(resp)

    def test_function_url_event(self):
        body = self.ok(url_event({"prompt": "What is the capital of France?"}))
        self.assertEqual(body["tier"], "small")
        self.assertEqual(body["cached"], False)
        self.assertIsNone(body["fallback_reason"])
        self.assertIn("answer to: What is the capital of France?", body["output"])
        self.assertEqual(self.aws.calls[0]["payload"],
                         {"inputs": "What is the capital of France?",
                          "parameters": {"max_new_tokens": 256}})

    def test_base64_body(self):
        body = self.ok(url_event({"prompt": "Grüße aus Köln?", "max_tokens": 50},
                                 base64_body=True))
        self.assertEqual(self.aws.calls[0]["payload"]["inputs"], "Grüße aus Köln?")
        self.assertEqual(body["tier"], "small")

    def test_direct_invoke_dict_and_string(self):
        self.ok({"prompt": "hi"})
        self.ok(json.dumps({"prompt": "hi"}))
        self.ok({"body": {"prompt": "hi"}})
        self.assertEqual(len(self.aws.calls), 3)

    def test_messages(self):
        body = self.ok(url_event({"messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Name a prime."},
        ]}))
        self.assertEqual(body["tier"], "small")
        inputs = self.aws.calls[0]["payload"]["inputs"]
        self.assertIn("<|start_header_id|>user<|end_header_id|>\n\nName a prime.<|eot_id|>",
                      inputs)

    def test_the_module_handler(self):
        aws = support.FakeAws()
        router.configure(support.env(), aws.factory, support.Emitted())
        try:
            resp = router.handler(url_event({"prompt": "hi"}), support.Context())
        finally:
            router.reset()
        self.assertEqual(resp["statusCode"], 200)
        self.assertEqual(aws.targets(), ["llama-8b-simple"])

    def test_a_misconfigured_lambda_answers_500(self):
        router.reset()
        orig = router.os.environ
        router.os.environ = support.env(CACHE_TTL_SECONDS="soon")
        log = io.StringIO()
        try:
            with contextlib.redirect_stderr(log):
                resp = router.handler({"prompt": "hi"}, None)
        finally:
            router.os.environ = orig
            router.reset()
        self.assertEqual(resp["statusCode"], 500)
        self.assertIn("CACHE_TTL_SECONDS='soon' is not an integer", body_of(resp)["error"])
        self.assertIn("router misconfigured", log.getvalue())


class BadRequestTest(unittest.TestCase):
    def setUp(self):
        self.router, self.aws, self.emitted = make_router()

    def bad(self, event, *fragments):
        resp = self.router.handle(event, support.Context())
        self.assertEqual(resp["statusCode"], 400, resp["body"])
        body = body_of(resp)
        self.assertEqual(set(body), {"error", "hint"})
        text = body["error"] + " | " + body["hint"]
        for f in fragments:
            self.assertIn(f, text)
        self.assertEqual(self.aws.calls, [], "a bad request must not reach a model")
        return body

    def test_not_json(self):
        self.bad(url_event("prompt=hello"), "not valid JSON", 'send a JSON object such as')

    def test_not_an_object(self):
        self.bad(url_event("[1, 2]"), "the request is a JSON array, not an object")
        self.bad(url_event("42"), "the request is a JSON number, not an object")
        self.bad(["prompt"], "the event is a JSON array, not an object")

    def test_empty_body(self):
        ev = url_event("x")
        ev["body"] = ""
        self.bad(ev, "the request body is empty", "POST a JSON object")
        ev["body"] = None
        self.bad(ev, "the request body is empty")
        del ev["body"]  # a GET through the function URL has no body at all
        ev["requestContext"]["http"]["method"] = "GET"
        self.bad(ev, "the request body is empty")

    def test_bad_base64(self):
        ev = url_event("{}")
        ev["isBase64Encoded"] = True
        ev["body"] = "%%%"
        self.bad(ev, "not valid base64")

    def test_no_prompt(self):
        self.bad(url_event({"max_tokens": 10}), "no `prompt`", '"messages"')
        self.bad(url_event({"prompt": "   "}), "`prompt` is empty")
        self.bad(url_event({"prompt": 42}), "`prompt` must be a string, not 42")

    def test_prompt_and_messages(self):
        self.bad(url_event({"prompt": "a", "messages": [{"role": "user", "content": "b"}]}),
                 "both `prompt` and `messages`")

    def test_bad_messages(self):
        self.bad(url_event({"messages": []}), "non-empty list")
        self.bad(url_event({"messages": ["hi"]}), 'messages[0] is "hi", not an object')
        self.bad(url_event({"messages": [{"role": "bot", "content": "x"}]}),
                 'messages[0].role is "bot"', "system, user, assistant")
        self.bad(url_event({"messages": [{"role": "user", "content": 1}]}),
                 "messages[0].content must be a string")
        self.bad(url_event({"messages": [{"role": "user", "content": "q"},
                                         {"role": "assistant", "content": "a"}]}),
                 'the last message has role "assistant"')
        self.bad(url_event({"messages": [{"role": "user", "content": "q", "name": "x"}]}),
                 'unknown field "name"')

    def test_unknown_tier(self):
        self.bad(url_event({"prompt": "hi", "tier": "medium"}), 'unknown tier "medium"',
                 "small, large, bedrock")

    def test_unknown_field(self):
        self.bad(url_event({"prompt": "hi", "max_token": 5}), 'unknown field "max_token"',
                 "prompt, messages, max_tokens, tier, cache")
        self.bad(url_event({"prompt": "hi", "temperature": 1, "model": "x"}),
                 'unknown fields "model", "temperature"')

    def test_bad_max_tokens(self):
        for v in (0, 5000, "100", 1.5, True):
            self.bad(url_event({"prompt": "hi", "max_tokens": v}), "`max_tokens` is",
                     "from 1 to 4096")

    def test_bad_cache_flag(self):
        self.bad(url_event({"prompt": "hi", "cache": "no"}), '`cache` is "no"')

    def test_oversize_prompt(self):
        self.router.handle(url_event({"prompt": "x" * 100_000}))  # the limit itself is fine
        self.assertEqual(len(self.aws.calls), 1)
        self.aws.calls.clear()
        self.bad(url_event({"prompt": "x" * 100_001}),
                 "the prompt is 100001 characters; the limit is 100000", "shorten the prompt")
        self.bad(url_event({"messages": [{"role": "user", "content": "x" * 60_000},
                                         {"role": "assistant", "content": "ok"},
                                         {"role": "user", "content": "y" * 60_000}]}),
                 "the prompt is 120002 characters")

    def test_oversize_body(self):
        self.bad(url_event("[" + "1," * 600_000 + "1]"), "the limit is 1000000")

    def test_bad_requests_emit_no_metrics(self):
        self.bad(url_event("nope"))
        self.assertEqual(self.emitted, [])


if __name__ == "__main__":
    unittest.main()
