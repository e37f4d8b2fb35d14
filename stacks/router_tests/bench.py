"""Handler overhead per request: the router's own time around the model call, with instant
fake model clients and a real redis-server on 127.0.0.1 (plain TCP; ElastiCache adds TLS and
a network round trip).

    cargo run -p stacks -- synth ai-inference-local-inference   # the router's zip, with redis-py
    OXIFORM_ROUTER_ZIP=out/ai-inference-local-inference/router.zip \
    OXIFORM_REDIS_SERVER=target/redis/bin/redis-server \
    python3 stacks/router_tests/bench.py [--requests 2000]

Prints the median and p95 in microseconds for a cache miss (GET, model call, SET), a cache
hit (GET only) and `"cache": false` (no Redis at all). Each request goes through
`router.handler` with a function URL event and writes its EMF line to /dev/null.
"""

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import support  # noqa: E402  (unpacks the router's zip and puts it on sys.path)

import router  # noqa: E402

SAGEMAKER_ANSWER = json.dumps([{"generated_text": "Paris is the capital of France."}]).encode()


class InstantSageMaker:
    def invoke_endpoint(self, **_):
        return {"Body": io.BytesIO(SAGEMAKER_ANSWER)}


def factory(service):
    assert service == "sagemaker-runtime", service
    return InstantSageMaker()


def measure(events, context):
    times = []
    for event in events:
        start = time.perf_counter_ns()
        response = router.handler(event, context)
        times.append(time.perf_counter_ns() - start)
        if response["statusCode"] != 200:
            raise SystemExit(f"unexpected response {response}")
    return times


def describe(name, times):
    times = sorted(times)
    median = statistics.median(times) / 1000
    p95 = times[int(len(times) * 0.95)] / 1000
    return f"{name:<12} median {median:8.1f} us   p95 {p95:8.1f} us   ({len(times)} requests)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    n = parser.parse_args().requests

    server = support.RedisServer().start()
    try:
        router.configure(support.env(CACHE_URL=server.url), factory)
        context = support.Context()
        prompt = "What is the capital of France? Answer in one word, please."
        misses = [support.url_event({"prompt": f"{prompt} #{i}"}) for i in range(n)]
        hits = [support.url_event({"prompt": prompt})] * n
        bypass = [support.url_event({"prompt": prompt, "cache": False})] * n
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
            measure(misses[:200], context)  # warm-up: connection, clients, code paths
            miss = measure(misses, context)
            measure(hits[:1], context)
            hit = measure(hits, context)
            none = measure(bypass, context)
    finally:
        router.reset()
        server.cleanup()
    print(f"router handler overhead, python {sys.version.split()[0]}, redis on 127.0.0.1")
    print(describe("cache miss", miss))
    print(describe("cache hit", hit))
    print(describe("no cache", none))


if __name__ == "__main__":
    main()
