"""Model router Lambda (`router.handler`): answers a prompt with the cheapest model tier that
suits it.

1. The request (function URL event or direct invoke, see `protocol`) is validated; a bad one
   gets a 400 saying what is wrong and how to fix it.
2. The tier is the request's explicit `tier`, or else the complexity score's (see `routing`):
   small SageMaker endpoint, large SageMaker endpoint, or the Bedrock model.
3. The response cache (Redis through redis-py, see `cache`) is looked up by a hash of tier, whitespace-
   normalised input and generation parameters; a hit answers without calling a model. A
   cache that is down or slow is skipped: the request is answered and counted as a miss.
4. On a miss the tier's model is called; if it throttles, errors or times out, the next tier
   up answers (small -> large -> bedrock), and the response says which tier answered and why.
5. One CloudWatch EMF line per request records cache hits and misses, tokens, latency and
   fallbacks (see `metrics`).

Environment (set by the stack): SMALL_ENDPOINT, LARGE_ENDPOINT (SageMaker endpoint names),
BEDROCK_MODEL (model id), LARGE_THRESHOLD, BEDROCK_THRESHOLD (integer scores), CACHE_URL
(`rediss://host:6379`; empty disables the cache), CACHE_TTL_SECONDS, METRICS_NAMESPACE.
Optional: CACHE_CONNECT_TIMEOUT_MS (200), CACHE_TIMEOUT_MS (100), CACHE_RETRY_SECONDS (2),
CHAT_TEMPLATE (`llama3` or `plain`, how `messages` are rendered for the SageMaker endpoints).

A successful response body:

    {"tier": "large", "requested_tier": "small", "model": "llama-70b-complex", "score": 12,
     "fallback_reason": "small: ThrottlingException: Rate exceeded", "cached": false,
     "output": "...", "usage": {"input_tokens": 9, "output_tokens": 40, "estimated": true}}

On a cache hit `tier`, `model`, `fallback_reason` and `usage` describe the cached answer's
generation. When no tier can answer: 503 if every tier was throttled, else 502.
"""

import json
import os
import sys
import time
import traceback

import cache as cache_mod
import clients
import metrics
import protocol
import routing

MIN_ATTEMPT_MS = 1000


class ConfigError(Exception):
    """The Lambda's environment is wrong (a deployment problem, not the caller's)."""


def _int_env(env, name, default, problems, minimum=0):
    raw = env.get(name, "")
    if raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name}={raw!r} is not an integer")
        return default
    if value < minimum:
        problems.append(f"{name}={raw!r} is below {minimum}")
        return default
    return value


class Config:
    """The router's settings, read once per Lambda sandbox from the environment."""

    def __init__(self, env):
        problems = []
        self.endpoints = {
            "small": env.get("SMALL_ENDPOINT", "").strip(),
            "large": env.get("LARGE_ENDPOINT", "").strip(),
            "bedrock": env.get("BEDROCK_MODEL", "").strip(),
        }
        self.large_threshold = _int_env(
            env, "LARGE_THRESHOLD", routing.DEFAULT_LARGE_THRESHOLD, problems
        )
        self.bedrock_threshold = _int_env(
            env, "BEDROCK_THRESHOLD", routing.DEFAULT_BEDROCK_THRESHOLD, problems
        )
        if self.large_threshold > self.bedrock_threshold:
            problems.append(
                f"LARGE_THRESHOLD {self.large_threshold} is above BEDROCK_THRESHOLD "
                f"{self.bedrock_threshold}"
            )
        self.cache_url = env.get("CACHE_URL", "").strip()
        self.cache_ttl = _int_env(env, "CACHE_TTL_SECONDS", 3600, problems, minimum=1)
        self.cache_connect_timeout = (
            _int_env(env, "CACHE_CONNECT_TIMEOUT_MS", 200, problems, minimum=1) / 1000
        )
        self.cache_timeout = _int_env(env, "CACHE_TIMEOUT_MS", 100, problems, minimum=1) / 1000
        self.cache_retry = _int_env(env, "CACHE_RETRY_SECONDS", 2, problems)
        self.namespace = env.get("METRICS_NAMESPACE", "").strip() or metrics.DEFAULT_NAMESPACE
        self.chat_template = env.get("CHAT_TEMPLATE", "").strip() or "llama3"
        if self.chat_template not in ("llama3", "plain"):
            problems.append(f"CHAT_TEMPLATE={self.chat_template!r} is not llama3 or plain")
        if self.cache_url:
            try:
                cache_mod.check_url(self.cache_url)
            except ValueError as e:
                problems.append(f"CACHE_URL: {e}")
        if problems:
            raise ConfigError("; ".join(problems))


class Router:
    """The request pipeline; `handle(event, context)` is the Lambda handler's body."""

    def __init__(self, config, models, cache=None, emit=metrics.print_line):
        self.config = config
        self.models = models
        self.cache = cache
        self.emit = emit

    @classmethod
    def from_env(cls, env, client_factory=None, emit=metrics.print_line, ssl_ca_certs=None):
        """A router from environment variables, with an optional AWS client factory and CA
        bundle for the cache's TLS (a PEM file; the system's by default)."""
        config = Config(env)
        models = clients.Models(config.endpoints, client_factory, config.chat_template)
        cache = None
        if config.cache_url:
            client = cache_mod.connect(
                config.cache_url,
                connect_timeout=config.cache_connect_timeout,
                timeout=config.cache_timeout,
                ssl_ca_certs=ssl_ca_certs,
            )
            cache = cache_mod.ResponseCache(client, config.cache_ttl, config.cache_retry)
        return cls(config, models, cache, emit)

    def handle(self, event, context=None):
        """Validates, routes, answers from the cache or a model, and records metrics."""
        started = time.perf_counter()
        try:
            request = protocol.parse_event(event)
        except protocol.BadRequest as e:
            return protocol.bad_request(e)
        cfg = self.config
        points = routing.score(request.text, request.max_tokens)
        if request.tier is not None:
            requested = request.tier
        else:
            requested = routing.choose_tier(points, cfg.large_threshold, cfg.bedrock_threshold)

        cache_error = None
        key = None
        if request.use_cache and self.cache is not None:
            key = cache_mod.cache_key(
                requested, request.normalised(), {"max_tokens": request.max_tokens}
            )
            hit, cache_error = self.cache.get(key)
            if hit is not None and "output" in hit:
                body = {
                    "tier": hit.get("tier", requested),
                    "requested_tier": requested,
                    "model": hit.get("model"),
                    "score": points,
                    "fallback_reason": hit.get("fallback_reason"),
                    "cached": True,
                    "output": hit["output"],
                    "usage": hit.get("usage"),
                }
                self._record(context, started, body, True, None)
                return protocol.response(200, body)

        failures = []
        throttled = True
        for tier in routing.fallback_chain(requested):
            target = cfg.endpoints[tier]
            if not target:
                name = "BEDROCK_MODEL" if tier == "bedrock" else f"{tier.upper()}_ENDPOINT"
                failures.append(f"{tier}: not configured ({name} is empty)")
                throttled = False
                continue
            left = _remaining_ms(context)
            if failures and left is not None and left < MIN_ATTEMPT_MS:
                failures.append(f"{tier}: skipped, {left} ms left before the Lambda timeout")
                continue
            try:
                answer = self.models.invoke(tier, request)
            except Exception as e:  # noqa: BLE001 - every model failure moves to the next tier
                failures.append(f"{tier}: {clients.describe_error(e)}")
                throttled = throttled and _is_throttle(e)
                continue
            body = {
                "tier": tier,
                "requested_tier": requested,
                "model": target,
                "score": points,
                "fallback_reason": "; ".join(failures) if failures else None,
                "cached": False,
                "output": answer.output,
                "usage": answer.usage(),
            }
            if key is not None and cache_error in (None, cache_mod.UNREADABLE):
                stored = {k: body[k] for k in ("tier", "model", "fallback_reason", "output")}
                stored["usage"] = body["usage"]
                cache_error = self.cache.set(key, stored) or cache_error
            tokens = (answer.input_tokens, answer.output_tokens)
            self._record(context, started, body, False, cache_error, tokens)
            return protocol.response(200, body)

        reason = "; ".join(failures)
        if throttled and failures:
            status, hint = 503, "retry in a few seconds"
        else:
            status, hint = 502, "retry later; if it persists, check the endpoints and the logs"
        summary = {
            "tier": "none",
            "requested_tier": requested,
            "score": points,
            "fallback_reason": reason,
            "cached": False,
        }
        self._record(context, started, summary, False, cache_error, failed=True)
        body = {
            "error": f"no model tier could answer: {reason}",
            "hint": hint,
            "requested_tier": requested,
            "score": points,
        }
        headers = {"retry-after": "2"} if status == 503 else None
        return protocol.response(status, body, headers)

    def _record(self, context, started, body, cache_hit, cache_error, tokens=(0, 0),
                failed=False):
        """Emits the request's EMF line."""
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        live = not (cache_hit or failed)  # a model answered this request
        values = {
            "CacheHit": 1 if cache_hit else 0,
            "CacheMiss": 0 if cache_hit else 1,
            "CacheError": 1 if cache_error else 0,
            "InputTokens": tokens[0],
            "OutputTokens": tokens[1],
            "Latency": latency_ms,
            "Fallback": 1 if live and body["tier"] != body["requested_tier"] else 0,
            "Error": 1 if failed else 0,
        }
        properties = {
            "requested_tier": body["requested_tier"],
            "score": body["score"],
            "cached": body["cached"],
            "fallback_reason": body.get("fallback_reason"),
        }
        if cache_error:
            properties["cache_error"] = cache_error
        request_id = getattr(context, "aws_request_id", None)
        if request_id:
            properties["request_id"] = request_id
        self.emit(metrics.record(self.config.namespace, body["tier"], values, properties))


def _remaining_ms(context):
    get = getattr(context, "get_remaining_time_in_millis", None)
    return get() if callable(get) else None


THROTTLE_CODES = (
    "ThrottlingException",
    "TooManyRequestsException",
    "Throttling",
    "ServiceQuotaExceededException",
    "ProvisionedThroughputExceededException",
)


def _is_throttle(exc):
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return (response.get("Error") or {}).get("Code") in THROTTLE_CODES
    return False


_router = None


def configure(env=None, client_factory=None, emit=metrics.print_line, ssl_ca_certs=None):
    """Builds the router the handler uses (tests pass an environment and fake AWS clients)."""
    global _router
    env = os.environ if env is None else env
    _router = Router.from_env(env, client_factory, emit, ssl_ca_certs)
    return _router


def reset():
    """Forgets the router (and closes its cache connection); the next request rebuilds it."""
    global _router
    if _router is not None and _router.cache is not None:
        _router.cache.client.close()
    _router = None


def handler(event, context):
    """The Lambda entry point."""
    try:
        router = _router or configure()
        return router.handle(event, context)
    except ConfigError as e:
        log = {"level": "error", "message": f"router misconfigured: {e}"}
        print(json.dumps(log), file=sys.stderr)
        body = {
            "error": f"the router is misconfigured: {e}",
            "hint": "fix the Lambda's environment variables in the stack and redeploy",
        }
        return protocol.response(500, body)
    except Exception:  # noqa: BLE001 - the caller gets a 500, the log gets the traceback
        traceback.print_exc()
        body = {
            "error": "internal error in the router",
            "hint": "retry; if it persists, look for the traceback in the router's logs",
        }
        return protocol.response(500, body)
