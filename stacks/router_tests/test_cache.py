"""The response cache against a real redis-server on 127.0.0.1, through the redis-py of the
router's zip (see `support`).

The Lambda talks to ElastiCache over TLS (`rediss://`); most tests here use plain `redis://`,
the same client without TLS. `TlsTest` covers TLS with a self-signed certificate made by
`openssl` and a TLS-only redis-server.
"""

import importlib.metadata
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import unittest

import support  # first: puts the router's unpacked zip on sys.path
from support import body_of, make_router

import cache
import redis

SERVER = None


def setUpModule():
    global SERVER
    SERVER = support.RedisServer().start()


def tearDownModule():
    if SERVER is not None:
        SERVER.cleanup()


def admin():
    return redis.Redis.from_url(SERVER.url, socket_connect_timeout=2, socket_timeout=2)


def miss_and_hit_counts(emitted):
    return [(r["CacheHit"], r["CacheMiss"]) for r in emitted]


class BundleTest(unittest.TestCase):
    """redis-py comes from the zip, at the version the lock pins; the router's own sources
    hold no Redis wire protocol."""

    def test_redis_py_is_the_locked_one_from_the_zip(self):
        self.assertTrue(redis.__file__.startswith(support.TASK_ROOT + os.sep), redis.__file__)
        with open(os.path.join(os.path.dirname(support.HERE), "router", "requirements.lock"),
                  encoding="utf-8") as f:
            pinned = re.search(r"^redis==(\S+)", f.read(), re.M).group(1)
        self.assertEqual(redis.__version__, pinned)
        self.assertEqual(importlib.metadata.version("redis"), pinned)

    def test_the_router_holds_no_wire_protocol(self):
        sources = [n for n in os.listdir(support.TASK_ROOT) if n.endswith(".py")]
        self.assertIn("cache.py", sources)
        for name in sources:
            with open(os.path.join(support.TASK_ROOT, name), encoding="utf-8") as f:
                text = f.read()
            for marker in ("import socket", "import ssl", "\\r\\n", "sendall", "recv("):
                self.assertNotIn(marker, text, f"{name} speaks to Redis itself")


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.admin = admin()
        self.admin.flushall()

    def tearDown(self):
        self.admin.close()

    def test_the_client_is_configured_for_the_lambda(self):
        c = cache.connect("rediss://:s%40cret@cache.example.com:6380/2")
        pool = c.connection_pool
        kw = pool.connection_kwargs
        self.assertIs(pool.connection_class, redis.SSLConnection)
        self.assertEqual((kw["host"], kw["port"], kw["password"], kw["db"]),
                         ("cache.example.com", 6380, "s@cret", 2))
        self.assertEqual((kw["socket_connect_timeout"], kw["socket_timeout"]), (0.2, 0.1))
        self.assertEqual((kw["ssl_cert_reqs"], kw["ssl_check_hostname"]), ("required", True))
        self.assertIsNone(kw["driver_info"], "no CLIENT SETINFO round trips on connect")
        retry = kw["retry"]
        self.assertEqual(retry.get_retries(), 1)
        self.assertEqual(retry._supported_errors, (redis.exceptions.ConnectionError,),
                         "a timeout is never retried")
        plain = cache.connect("redis://localhost", connect_timeout=1, timeout=0.5)
        self.assertIs(plain.connection_pool.connection_class, redis.Connection)
        self.assertEqual(plain.connection_pool.make_connection().port, 6379)
        for bad in ("http://localhost:6379", "rediss://", "redis://localhost/notadb"):
            with self.assertRaises(ValueError, msg=bad):
                cache.connect(bad)

    def test_values_round_trip(self):
        c = cache.connect(SERVER.url, connect_timeout=2, timeout=2)
        self.addCleanup(c.close)
        self.assertTrue(c.ping())
        self.assertIsNone(c.get("nope"))
        self.assertTrue(c.set("k", "välue\r\nwith CRLF"))
        self.assertEqual(c.get("k"), "välue\r\nwith CRLF".encode())
        self.assertTrue(c.set("big", b"x" * 300_000, ex=100))
        self.assertEqual(len(c.get("big")), 300_000)
        self.assertTrue(95 <= self.admin.ttl("big") <= 100)

    def test_a_connection_closed_by_the_server_is_reopened(self):
        c = cache.connect(SERVER.url, connect_timeout=2, timeout=2)
        self.addCleanup(c.close)
        c.set("k", "v")
        self.assertGreaterEqual(self.admin.client_kill_filter(_type="normal", skipme=True), 1)
        self.assertEqual(c.get("k"), b"v")


class KeyTest(unittest.TestCase):
    def test_keys(self):
        norm = {"prompt": "What is the capital of France?"}
        base = cache.cache_key("small", norm, {"max_tokens": 256})
        self.assertTrue(base.startswith("router:v1:"))
        self.assertEqual(len(base), len("router:v1:") + 64)
        self.assertEqual(base, cache.cache_key("small", norm, {"max_tokens": 256}))
        others = {
            cache.cache_key("large", norm, {"max_tokens": 256}),
            cache.cache_key("small", norm, {"max_tokens": 257}),
            cache.cache_key("small", {"prompt": "what is the capital of France?"},
                            {"max_tokens": 256}),
            cache.cache_key("small", {"messages": [["user", norm["prompt"]]]},
                            {"max_tokens": 256}),
        }
        self.assertEqual(len(others), 4)
        self.assertNotIn(base, others)


class CacheHandlerTest(unittest.TestCase):
    def setUp(self):
        self.admin = admin()
        self.admin.flushall()
        self.router, self.aws, self.emitted = make_router(CACHE_URL=SERVER.url)

    def tearDown(self):
        self.router.cache.client.close()
        self.admin.close()

    def ask(self, payload):
        resp = self.router.handle(support.url_event(payload), support.Context())
        self.assertEqual(resp["statusCode"], 200, resp["body"])
        return body_of(resp)

    def keys(self):
        return sorted(self.admin.keys("router:v1:*"))

    def test_miss_then_hit(self):
        first = self.ask({"prompt": "What is the capital of France?"})
        second = self.ask({"prompt": "What is the capital of France?"})
        self.assertEqual(first["cached"], False)
        self.assertEqual(second["cached"], True)
        self.assertEqual(second["output"], first["output"])
        self.assertEqual(second["tier"], "small")
        self.assertEqual(second["usage"], first["usage"])
        self.assertEqual(len(self.aws.calls), 1, "a hit must not call a model")
        self.assertEqual(miss_and_hit_counts(self.emitted), [(0, 1), (1, 0)])
        hit = self.emitted[1]
        self.assertEqual((hit["InputTokens"], hit["OutputTokens"], hit["CacheError"]), (0, 0, 0))
        [key] = self.keys()
        self.assertTrue(3590 <= self.admin.ttl(key) <= 3600)

    def test_whitespace_is_collapsed_and_case_kept(self):
        self.ask({"prompt": "What is the capital of France?"})
        again = self.ask({"prompt": "  What is\n\tthe   capital of France?\n"})
        self.assertTrue(again["cached"])
        other = self.ask({"prompt": "what is the capital of france?"})
        self.assertFalse(other["cached"])
        self.assertEqual(len(self.aws.calls), 2)

    def test_keys_differ_when_parameters_differ(self):
        prompt = "Name three rivers."
        for payload in ({"prompt": prompt, "max_tokens": 100},
                        {"prompt": prompt, "max_tokens": 200},
                        {"prompt": prompt, "max_tokens": 100, "tier": "large"},
                        {"messages": [{"role": "user", "content": prompt}], "max_tokens": 100}):
            self.assertFalse(self.ask(payload)["cached"], payload)
            self.assertTrue(self.ask(payload)["cached"], payload)
        self.assertEqual(len(self.keys()), 4)
        self.assertEqual(len(self.aws.calls), 4)

    def test_cache_false_skips_the_cache(self):
        for _ in range(2):
            self.assertFalse(self.ask({"prompt": "hi", "cache": False})["cached"])
        self.assertEqual(len(self.aws.calls), 2)
        self.assertEqual(self.keys(), [])
        self.assertEqual(miss_and_hit_counts(self.emitted), [(0, 1), (0, 1)])

    def test_ttl_expiry(self):
        self.router, self.aws, self.emitted = make_router(CACHE_URL=SERVER.url,
                                                          CACHE_TTL_SECONDS=1)
        self.assertFalse(self.ask({"prompt": "ttl"})["cached"])
        self.assertTrue(self.ask({"prompt": "ttl"})["cached"])
        time.sleep(1.1)
        self.assertFalse(self.ask({"prompt": "ttl"})["cached"])
        self.assertEqual(len(self.aws.calls), 2)
        self.assertEqual(miss_and_hit_counts(self.emitted), [(0, 1), (1, 0), (0, 1)])

    def test_a_fallback_answer_is_cached_under_the_requested_tier(self):
        self.aws.fail["llama-8b-simple"] = "throttle"
        first = self.ask({"prompt": "hello"})
        second = self.ask({"prompt": "hello"})
        self.assertEqual((first["tier"], first["requested_tier"], first["cached"]),
                         ("large", "small", False))
        self.assertEqual((second["tier"], second["requested_tier"], second["cached"]),
                         ("large", "small", True))
        self.assertEqual(second["fallback_reason"], first["fallback_reason"])
        self.assertEqual([(e["Tier"], e["Fallback"]) for e in self.emitted],
                         [("large", 1), ("large", 0)])
        self.assertEqual(self.aws.targets(), ["llama-8b-simple", "llama-70b-complex"])

    def test_a_failed_request_is_not_cached(self):
        for t in ("llama-8b-simple", "llama-70b-complex", self.router.config.endpoints["bedrock"]):
            self.aws.fail[t] = "error"
        resp = self.router.handle({"prompt": "doomed"})
        self.assertEqual(resp["statusCode"], 502)
        self.assertEqual(self.keys(), [])

    def test_a_corrupt_entry_is_a_miss(self):
        key = cache.cache_key("small", {"prompt": "hi"}, {"max_tokens": 256})
        self.admin.set(key, "not json")
        self.assertFalse(self.ask({"prompt": "hi"})["cached"])
        self.assertTrue(self.ask({"prompt": "hi"})["cached"])


class SilentServer:
    """Accepts connections and never answers: a Redis that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


class CacheDownTest(unittest.TestCase):
    def test_the_server_stopped_mid_test_still_answers(self):
        server = support.RedisServer().start()
        self.addCleanup(server.cleanup)
        r, aws, emitted = make_router(CACHE_URL=server.url, CACHE_RETRY_SECONDS=0)
        self.addCleanup(r.cache.client.close)

        def ask():
            resp = r.handle(support.url_event({"prompt": "still there?"}), support.Context())
            self.assertEqual(resp["statusCode"], 200, resp["body"])
            return body_of(resp)

        self.assertFalse(ask()["cached"])
        self.assertTrue(ask()["cached"])
        server.stop()
        for _ in range(3):
            started = time.perf_counter()
            body = ask()
            self.assertFalse(body["cached"])
            self.assertLess(time.perf_counter() - started, 0.5)
        self.assertEqual(len(aws.calls), 4)
        down = emitted[2:]
        self.assertEqual([(e["CacheHit"], e["CacheMiss"], e["CacheError"]) for e in down],
                         [(0, 1, 1)] * 3)
        self.assertIn("ConnectionRefusedError", down[0]["cache_error"])

        # the cache comes back with the server (empty: it keeps no data)
        server.start(port=server.port)
        self.assertFalse(ask()["cached"])
        self.assertTrue(ask()["cached"])
        self.assertEqual(emitted[-1]["CacheError"], 0)

    def test_after_a_failure_the_cache_is_skipped_for_a_while(self):
        port = support.free_port()
        r, aws, emitted = make_router(CACHE_URL=f"redis://127.0.0.1:{port}")
        self.assertEqual(r.config.cache_retry, 2)
        r.handle({"prompt": "a"})
        r.handle({"prompt": "a"})
        self.assertIn("ConnectionRefusedError", emitted[0]["cache_error"])
        self.assertEqual(emitted[1]["cache_error"], "skipped after a recent failure")
        self.assertEqual(len(aws.calls), 2)

    def test_a_hanging_server_times_out(self):
        silent = SilentServer()
        self.addCleanup(silent.close)
        r, aws, emitted = make_router(CACHE_URL=f"redis://127.0.0.1:{silent.port}",
                                      CACHE_TIMEOUT_MS=100, CACHE_RETRY_SECONDS=0)
        for _ in range(2):
            started = time.perf_counter()
            resp = r.handle({"prompt": "slow cache"})
            elapsed = time.perf_counter() - started
            self.assertEqual(resp["statusCode"], 200)
            self.assertFalse(body_of(resp)["cached"])
            self.assertGreaterEqual(elapsed, 0.09)
            self.assertLess(elapsed, 0.3, "one GET timeout, and no SET after it")
        self.assertEqual([e["cache_error"] for e in emitted], ["timeout", "timeout"])
        self.assertEqual(len(aws.calls), 2)


class TlsTest(unittest.TestCase):
    """rediss:// against a TLS-only redis-server with a self-signed certificate."""

    @classmethod
    def setUpClass(cls):
        openssl = shutil.which("openssl")
        if openssl is None:
            raise RuntimeError("openssl is not installed: apt-get install openssl")
        cls.dir = SERVER.dir
        cls.cert = os.path.join(cls.dir, "cert.pem")
        key = os.path.join(cls.dir, "key.pem")
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", key, "-out", cls.cert],
            check=True, capture_output=True,
        )
        cls.server = support.RedisServer(tls=(cls.cert, key)).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_miss_then_hit_over_tls(self):
        self.assertTrue(self.server.url.startswith("rediss://"))
        r = support.router.Router.from_env(
            support.env(CACHE_URL=self.server.url, CACHE_CONNECT_TIMEOUT_MS=2000),
            support.FakeAws().factory, support.Emitted(), ssl_ca_certs=self.cert)
        self.addCleanup(r.cache.client.close)
        self.assertIs(r.cache.client.connection_pool.connection_class, redis.SSLConnection)
        self.assertFalse(body_of(r.handle({"prompt": "secure?"}))["cached"])
        self.assertTrue(body_of(r.handle({"prompt": "secure?"}))["cached"])
        self.assertIsNone(r.cache.last_error)

    def test_an_untrusted_certificate_is_a_cache_error_not_a_failure(self):
        r, aws, emitted = make_router(CACHE_URL=self.server.url, CACHE_CONNECT_TIMEOUT_MS=2000)
        resp = r.handle({"prompt": "secure?"})
        self.assertEqual(resp["statusCode"], 200)
        self.assertIn("CERTIFICATE_VERIFY_FAILED", emitted[0]["cache_error"])


if __name__ == "__main__":
    unittest.main()
