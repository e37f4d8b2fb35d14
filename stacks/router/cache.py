"""The response cache: redis-py (bundled into the Lambda's zip from requirements.lock) and the
cache policy around it.

`CACHE_URL` is `rediss://host:6379` for ElastiCache with in-transit encryption (TLS, the
certificate verified against the system CA bundle and the host name) or `redis://host:6379`
without TLS. `rediss://:token@host:6379/0` carries an AUTH token and a database number.

The cache never fails a request: a connect or read that errors or exceeds its short timeout
(200 ms to connect including the TLS handshake, 100 ms per read by default) closes the
connection, the request goes to a model as a miss, and the cache is skipped for
`retry_after` seconds (2 by default) so a dead Redis does not add a timeout to every request.
A connection that turns out to be closed (the server restarted, or the Lambda sandbox was
frozen) is reopened once; a timeout is never retried.
"""

import hashlib
import json
import time
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

KEY_PREFIX = "router:v1:"
UNREADABLE = "unreadable cached value"


def cache_key(tier, normalised_input, params):
    """The key of a response: a SHA-256 of the tier, the whitespace-normalised input and the
    generation parameters."""
    material = json.dumps(
        {"tier": tier, "input": normalised_input, "params": params},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return KEY_PREFIX + hashlib.sha256(material.encode("utf-8")).hexdigest()


def check_url(url):
    """Raises ValueError when `url` is not a `rediss://` or `redis://` URL of a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"cache url {url!r} must start with rediss:// or redis://")
    if not parts.hostname:
        raise ValueError(f"cache url {url!r} has no host")
    database = parts.path.strip("/")
    if database and not database.isdigit():
        raise ValueError(f"cache url {url!r}: the database {database!r} is not a number")
    redis.connection.parse_url(url)  # the database number, the query arguments


def connect(url, connect_timeout=0.2, timeout=0.1, ssl_ca_certs=None):
    """A redis-py client for `url` with the router's settings; it connects on first use.

    * `connect_timeout` bounds the TCP connect and the TLS handshake, `timeout` every read.
    * One retry, without back-off, of a command whose connection turned out to be closed;
      none after a timeout (that would double it).
    * No `CLIENT SETINFO` on connect: a connection costs the TLS handshake and nothing more.
    * `rediss://` verifies the certificate and the host name, against the system's CA bundle
      or `ssl_ca_certs` (a PEM file; the tests' self-signed certificate).
    """
    check_url(url)
    options = {
        "socket_connect_timeout": connect_timeout,
        "socket_timeout": timeout,
        "retry": Retry(NoBackoff(), 1, supported_errors=(redis.exceptions.ConnectionError,)),
        "driver_info": None,
    }
    if urlsplit(url).scheme == "rediss":
        options.update(ssl_cert_reqs="required", ssl_check_hostname=True)
        if ssl_ca_certs is not None:
            options["ssl_ca_certs"] = ssl_ca_certs
    return redis.Redis.from_url(url, **options)


def describe(exc):
    """A short description of a cache failure, for logs: `timeout`, or the error's type and
    message, with the operating system's error under a connection error
    (`ConnectionError (ConnectionRefusedError): Error 111 connecting to …`)."""
    if isinstance(exc, (redis.exceptions.TimeoutError, TimeoutError)):
        return "timeout"
    name = type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, redis.exceptions.ConnectionError) and isinstance(cause, OSError):
        name = f"{name} ({type(cause).__name__})"
    text = str(exc)
    return f"{name}: {text}" if text else name


class ResponseCache:
    """Cached responses (JSON objects) with a TTL; failures become misses, never errors."""

    def __init__(self, client, ttl_seconds, retry_after=2.0, clock=time.monotonic):
        self.client = client
        self.ttl = ttl_seconds
        self.retry_after = retry_after
        self.clock = clock
        self._down_until = 0.0
        self.last_error = None

    def available(self):
        """False for `retry_after` seconds after a failure."""
        return self._down_until == 0.0 or self.clock() >= self._down_until

    def _failed(self, exc):
        self.client.close()
        self._down_until = self.clock() + self.retry_after
        self.last_error = describe(exc)
        return self.last_error

    def get(self, key):
        """`(value, error)`: the cached object or None, and a failure description or None."""
        if not self.available():
            return None, "skipped after a recent failure"
        try:
            raw = self.client.get(key)
        except Exception as e:  # noqa: BLE001 - any cache failure is a miss
            return None, self._failed(e)
        self._down_until = 0.0
        if raw is None:
            return None, None
        try:
            value = json.loads(raw)
        except ValueError:
            return None, UNREADABLE
        return (value, None) if isinstance(value, dict) else (None, UNREADABLE)

    def set(self, key, value):
        """Stores an object with the TTL; returns a failure description or None."""
        if not self.available():
            return "skipped after a recent failure"
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.client.set(key, data, ex=self.ttl)
        except Exception as e:  # noqa: BLE001 - a failed write only loses the cache entry
            return self._failed(e)
        return None
