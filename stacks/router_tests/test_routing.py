"""The routing table: the corpus' prompts get their tiers; thresholds and explicit tiers."""

import json
import os
import unittest

import support
from support import body_of, make_router

import routing

CORPUS = os.path.join(support.HERE, "corpus.json")


def load_corpus():
    with open(CORPUS, encoding="utf-8") as f:
        entries = json.load(f)["prompts"]
    requests = []
    for e in entries:
        req = {}
        if "prompt" in e:
            req["prompt"] = e["prompt"]
            if "attachment" in e:
                a = e["attachment"]
                req["prompt"] += "\n\n" + a["text"] * a["times"]
        else:
            req["messages"] = e["messages"]
        if "max_tokens" in e:
            req["max_tokens"] = e["max_tokens"]
        requests.append((e, req))
    return requests


class CorpusTest(unittest.TestCase):
    def test_corpus_covers_every_tier(self):
        corpus = load_corpus()
        self.assertGreaterEqual(len(corpus), 30)
        counts = {t: sum(1 for e, _ in corpus if e["tier"] == t) for t in routing.TIERS}
        for tier, n in counts.items():
            self.assertGreaterEqual(n, 5, f"only {n} corpus prompts for {tier}")

    def test_every_prompt_gets_its_tier(self):
        r, aws, _ = make_router()
        endpoints = r.config.endpoints
        wrong = []
        for entry, req in load_corpus():
            aws.calls.clear()
            resp = r.handle(support.url_event(req))
            self.assertEqual(resp["statusCode"], 200, resp["body"])
            body = body_of(resp)
            called = aws.targets()
            if (body["requested_tier"], body["tier"], called) != (
                entry["tier"], entry["tier"], [endpoints[entry["tier"]]]
            ):
                wrong.append(f"{entry['why']!r}: expected {entry['tier']}, routed to "
                             f"{body['requested_tier']} (score {body['score']}), called {called}")
        self.assertEqual(wrong, [], "\n".join(wrong))

    def test_scores_are_deterministic(self):
        for _, req in load_corpus():
            text = req.get("prompt") or "\n".join(m["content"] for m in req["messages"])
            mt = req.get("max_tokens", 256)
            self.assertEqual(routing.score(text, mt), routing.score(text, mt))


class ScoreTest(unittest.TestCase):
    def test_parts(self):
        self.assertEqual(
            routing.score_parts("What is 2 + 2?", 256),
            {"length": 0, "code": 0, "reasoning": 0, "steps": 0, "output": 2},
        )

    def test_length_counts_estimated_tokens(self):
        self.assertEqual(routing.estimate_tokens("abcd"), 1)
        self.assertEqual(routing.estimate_tokens("abcde"), 2)
        self.assertEqual(routing.score_parts("x" * 160 * 10, 1)["length"], 10)
        self.assertEqual(routing.score_parts("x" * 100_000, 1)["length"], 40)

    def test_code_blocks_and_an_unclosed_fence(self):
        self.assertEqual(routing.score_parts("```a```", 1)["code"], 20)
        self.assertEqual(routing.score_parts("```a", 1)["code"], 20)
        self.assertEqual(routing.score_parts("```a``` ```b``` ```c```", 1)["code"], 40)
        self.assertEqual(routing.score_parts("please debug it", 1)["code"], 20)

    def test_a_reasoning_kind_counts_once(self):
        self.assertEqual(routing.score_parts("compare, compare, compare", 1)["reasoning"], 15)
        self.assertEqual(routing.score_parts("prove it step by step", 1)["reasoning"], 30)

    def test_steps(self):
        self.assertEqual(routing.score_parts("1. a\n2. b\n3. c", 1)["steps"], 10)
        self.assertEqual(routing.score_parts("- a", 1)["steps"], 0)

    def test_output_length(self):
        self.assertEqual(routing.score_parts("x", 99)["output"], 0)
        self.assertEqual(routing.score_parts("x", 4096)["output"], 20)

    def test_thresholds(self):
        self.assertEqual(routing.choose_tier(39, 40, 75), "small")
        self.assertEqual(routing.choose_tier(40, 40, 75), "large")
        self.assertEqual(routing.choose_tier(74, 40, 75), "large")
        self.assertEqual(routing.choose_tier(75, 40, 75), "bedrock")

    def test_fallback_chain(self):
        self.assertEqual(routing.fallback_chain("small"), ("small", "large", "bedrock"))
        self.assertEqual(routing.fallback_chain("large"), ("large", "bedrock"))
        self.assertEqual(routing.fallback_chain("bedrock"), ("bedrock",))


class HandlerRoutingTest(unittest.TestCase):
    def test_thresholds_come_from_the_environment(self):
        prompt = {"prompt": "Explain why the sky is blue."}  # score 17
        r, _, _ = make_router()
        self.assertEqual(body_of(r.handle(prompt))["tier"], "small")
        r, _, _ = make_router(LARGE_THRESHOLD=10, BEDROCK_THRESHOLD=20)
        self.assertEqual(body_of(r.handle(prompt))["tier"], "large")
        r, _, _ = make_router(LARGE_THRESHOLD=5, BEDROCK_THRESHOLD=10)
        self.assertEqual(body_of(r.handle(prompt))["tier"], "bedrock")

    def test_an_explicit_tier_wins(self):
        r, aws, _ = make_router()
        body = body_of(r.handle({"prompt": "What is 2 + 2?", "tier": "bedrock"}))
        self.assertEqual((body["tier"], body["requested_tier"]), ("bedrock", "bedrock"))
        hard = "Prove it step by step, analyse and compare the trade-offs. " * 100
        body = body_of(r.handle({"prompt": hard, "tier": "small", "max_tokens": 4096}))
        self.assertGreaterEqual(body["score"], 75)
        self.assertEqual((body["tier"], body["requested_tier"]), ("small", "small"))
        self.assertEqual(aws.targets(), [r.config.endpoints["bedrock"], "llama-8b-simple"])

    def test_bad_thresholds_are_a_deployment_error(self):
        import router

        with self.assertRaises(router.ConfigError) as cm:
            make_router(LARGE_THRESHOLD="forty")
        self.assertIn("LARGE_THRESHOLD='forty' is not an integer", str(cm.exception))
        with self.assertRaises(router.ConfigError) as cm:
            make_router(LARGE_THRESHOLD=80, BEDROCK_THRESHOLD=75)
        self.assertIn("LARGE_THRESHOLD 80 is above BEDROCK_THRESHOLD 75", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
