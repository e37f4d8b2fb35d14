"""Test fixtures: the router's zip unpacked as the Lambda runtime unpacks it, a real
redis-server on 127.0.0.1, fake SageMaker/Bedrock clients that fail on demand, and a Lambda
context.

The router and its dependencies (redis-py) are imported from the zip the stack ships
(`OXIFORM_ROUTER_ZIP`), unpacked into a temporary folder that is put first on `sys.path`,
as Lambda unpacks it into `/var/task`: never from `stacks/router` or the machine's Python.
"""

import atexit
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))

ZIP_HINT = (
    "OXIFORM_ROUTER_ZIP is not set: run these tests with `cargo test -p oxiform-tests --test "
    "suite router`, which synthesises the router's zip (stacks/router with its locked "
    "requirements, built under target/bundles) and sets it, or set it to the router.zip of "
    "`cargo run -p stacks -- synth ai-inference-local-inference`"
)


def _unpack_task_root():
    """Unpacks the router's zip into a temporary task root and puts it first on sys.path."""
    path = os.environ.get("OXIFORM_ROUTER_ZIP")
    if not path:
        raise RuntimeError(ZIP_HINT)
    root = tempfile.mkdtemp(prefix="router-task-")
    atexit.register(shutil.rmtree, root, True)
    with zipfile.ZipFile(path) as z:
        z.extractall(root)
    sys.path.insert(0, root)
    return root


TASK_ROOT = _unpack_task_root()

import redis  # noqa: E402  (after the sys.path change)
import router  # noqa: E402

for _module in (router, redis):
    if not os.path.abspath(_module.__file__).startswith(TASK_ROOT + os.sep):
        raise RuntimeError(f"{_module.__name__} was imported from {_module.__file__}, not from "
                           f"the router's zip unpacked in {TASK_ROOT}")

INSTALL_HINT = (
    "OXIFORM_REDIS_SERVER is not set: run these tests with `cargo test -p oxiform-tests --test "
    "suite router`, which installs Redis under target/redis on first use and sets it, or set it "
    "to target/redis/bin/redis-server"
)


def env(**overrides):
    """The environment the stack sets, with overrides (None removes a variable)."""
    base = {
        "SMALL_ENDPOINT": "llama-8b-simple",
        "LARGE_ENDPOINT": "llama-70b-complex",
        "BEDROCK_MODEL": "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "LARGE_THRESHOLD": "40",
        "BEDROCK_THRESHOLD": "75",
        "CACHE_URL": "",
        "CACHE_TTL_SECONDS": "3600",
        "METRICS_NAMESPACE": "AIRouter",
    }
    for k, v in overrides.items():
        if v is None:
            base.pop(k, None)
        else:
            base[k] = str(v)
    return base


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on 127.0.0.1 (no persistence), stopped by `stop()`."""

    def __init__(self, tls=None):
        # The Redis the Rust suite installed under target/, never one found on the PATH.
        self.binary = os.environ.get("OXIFORM_REDIS_SERVER")
        if not self.binary:
            raise RuntimeError(INSTALL_HINT)
        self.dir = tempfile.mkdtemp(prefix="router-redis-")
        self.port = None
        self.tls = tls  # (cert, key) for a TLS-only server
        self.proc = None

    @property
    def url(self):
        return f"{'rediss' if self.tls else 'redis'}://127.0.0.1:{self.port}"

    def start(self, port=None):
        for _ in range(5):
            self.port = port or free_port()
            args = [self.binary, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", self.dir, "--loglevel", "warning", "--daemonize", "no"]
            if self.tls:
                cert, key = self.tls
                args += ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", cert,
                         "--tls-key-file", key, "--tls-auth-clients", "no"]
            else:
                args += ["--port", str(self.port)]
            log = open(os.path.join(self.dir, "redis.log"), "ab")
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
            log.close()
            if self._wait_ready():
                return self
            self.stop()
            if port is not None:
                break
        raise RuntimeError(f"redis-server did not start; its log:\n{self.log()}")

    def _wait_ready(self, seconds=10):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return True
            except OSError:
                time.sleep(0.02)
        return False

    def log(self):
        try:
            with open(os.path.join(self.dir, "redis.log"), encoding="utf-8",
                      errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class ClientError(Exception):
    """The shape of botocore's ClientError (`response["Error"]["Code"|"Message"]`)."""

    def __init__(self, code, message, operation):
        super().__init__(f"An error occurred ({code}) when calling the {operation} "
                         f"operation: {message}")
        self.response = {"Error": {"Code": code, "Message": message}}


class ReadTimeoutError(Exception):
    """The shape of botocore's ReadTimeoutError."""


FAILURES = {
    "throttle": lambda op: ClientError("ThrottlingException", "Rate exceeded", op),
    "error": lambda op: ClientError("ModelError", "Received server error (500) from primary",
                                    op),
    "timeout": lambda op: ReadTimeoutError(
        'Read timeout on endpoint URL: "https://runtime.sagemaker.us-east-1.amazonaws.com"'),
    "garbage": None,  # a 200 whose body is not the expected JSON
}


class FakeAws:
    """Fake sagemaker-runtime and bedrock-runtime clients. `fail[target] = mode` makes calls
    to an endpoint (or the Bedrock model id) fail with `throttle`, `error`, `timeout` or
    `garbage`; `calls` records every call."""

    def __init__(self):
        self.fail = {}
        self.calls = []
        self.services = []

    def factory(self, service):
        self.services.append(service)
        if service == "sagemaker-runtime":
            return _FakeSageMaker(self)
        if service == "bedrock-runtime":
            return _FakeBedrock(self)
        raise AssertionError(f"unexpected service {service}")

    def _maybe_fail(self, target, operation):
        mode = self.fail.get(target)
        if mode is None or mode == "garbage":
            return mode
        raise FAILURES[mode](operation)

    def targets(self):
        return [c["target"] for c in self.calls]


class _FakeSageMaker:
    def __init__(self, aws):
        self.aws = aws

    def invoke_endpoint(self, **kw):
        payload = json.loads(kw["Body"])
        self.aws.calls.append({"service": "sagemaker", "target": kw["EndpointName"],
                               "kwargs": kw, "payload": payload})
        if self.aws._maybe_fail(kw["EndpointName"], "InvokeEndpoint") == "garbage":
            return {"Body": io.BytesIO(b"<html>oops</html>")}
        text = f"[{kw['EndpointName']}] answer to: {payload['inputs'][:40]}"
        return {"Body": io.BytesIO(json.dumps([{"generated_text": text}]).encode())}


class _FakeBedrock:
    def __init__(self, aws):
        self.aws = aws

    def invoke_model(self, **kw):
        body = json.loads(kw["body"])
        self.aws.calls.append({"service": "bedrock", "target": kw["modelId"], "kwargs": kw,
                               "payload": body})
        if self.aws._maybe_fail(kw["modelId"], "InvokeModel") == "garbage":
            return {"body": io.BytesIO(b"{}")}
        text = f"[bedrock] answer to: {body['messages'][-1]['content'][:40]}"
        data = {"content": [{"type": "text", "text": text}],
                "usage": {"input_tokens": 11, "output_tokens": 7}}
        return {"body": io.BytesIO(json.dumps(data).encode())}


class Context:
    """A Lambda context with a request id and a remaining-time clock."""

    def __init__(self, remaining_ms=30_000, request_id="req-1"):
        self.aws_request_id = request_id
        self._remaining = remaining_ms

    def get_remaining_time_in_millis(self):
        return self._remaining


class Emitted(list):
    """Collects EMF records instead of printing them."""

    def __call__(self, record):
        self.append(record)


def make_router(aws=None, emitted=None, **env_overrides):
    """A router with fake AWS clients and collected metrics; returns (router, aws, emitted)."""
    aws = aws or FakeAws()
    emitted = Emitted() if emitted is None else emitted
    r = router.Router.from_env(env(**env_overrides), aws.factory, emitted)
    return r, aws, emitted


def url_event(payload, base64_body=False):
    """A function URL (payload format 2.0) event carrying `payload` as its JSON body."""
    import base64

    body = payload if isinstance(payload, str) else json.dumps(payload)
    if base64_body:
        body = base64.b64encode(body.encode()).decode()
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/",
        "headers": {"content-type": "application/json"},
        "requestContext": {"http": {"method": "POST", "path": "/"},
                           "authorizer": {"iam": {"accountId": "123456789012"}}},
        "body": body,
        "isBase64Encoded": base64_body,
    }


def body_of(response):
    """The decoded JSON body of a handler response."""
    return json.loads(response["body"])
