"""The response cache: a tiny Redis (RESP2) client and the cache policy around it.

`CACHE_URL` is `rediss://host:6379` for ElastiCache with in-transit encryption (TLS, the
certificate verified against the system CA bundle and the host name) or `redis://host:6379`
without TLS; both go through the same client, the TLS one only wraps the socket in
`ssl.SSLContext.wrap_socket`. `rediss://:token@host:6379/0` carries an AUTH token and a
database number.

The cache never fails a request: a connect or read that errors or exceeds its short timeout
(200 ms to connect including the TLS handshake, 100 ms per read by default) closes the
connection, the request goes to a model as a miss, and the cache is skipped for
`retry_after` seconds (2 by default) so a dead Redis does not add a timeout to every request.
"""

import hashlib
import json
import socket
import ssl
import time
from urllib.parse import unquote, urlsplit

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


class RedisError(Exception):
    """An error reply from the server (`-ERR ...`)."""


class ConnectionClosed(ConnectionError):
    """The server closed the connection."""


class ProtocolError(Exception):
    """A reply the client cannot parse."""


# Failures of a reused connection that a fresh connection may not have.
STALE = (ConnectionError, ssl.SSLEOFError, ssl.SSLZeroReturnError)


class RedisClient:
    """A minimal Redis client over one persistent connection: PING, GET, SET with EX."""

    def __init__(self, url, connect_timeout=0.2, timeout=0.1, ssl_context=None):
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError(f"cache url {url!r} must start with rediss:// or redis://")
        if not parts.hostname:
            raise ValueError(f"cache url {url!r} has no host")
        self.host = parts.hostname
        self.port = parts.port or 6379
        self.tls = parts.scheme == "rediss"
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        path = parts.path.strip("/")
        self.db = int(path) if path else 0
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self.ssl_context = ssl_context
        self._sock = None
        self._buf = bytearray()

    # -- connection ---------------------------------------------------------------------------

    def _connect(self):
        sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.tls:
                if self.ssl_context is None:
                    self.ssl_context = ssl.create_default_context()
                sock = self.ssl_context.wrap_socket(sock, server_hostname=self.host)
            sock.settimeout(self.timeout)
        except BaseException:
            sock.close()
            raise
        self._sock = sock
        self._buf.clear()
        try:
            if self.password is not None:
                auth = [self.username, self.password] if self.username else [self.password]
                self._call("AUTH", *auth)
            if self.db:
                self._call("SELECT", self.db)
        except BaseException:
            self.close()
            raise

    def close(self):
        """Closes the connection; the next command opens a new one."""
        sock, self._sock = self._sock, None
        self._buf.clear()
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    def execute(self, *args):
        """Sends one command and returns its reply. A reused connection that turns out to be
        closed (e.g. after the Lambda sandbox was frozen) is reopened once; timeouts are not
        retried. Any socket error closes the connection and is raised."""
        reused = self._sock is not None
        if not reused:
            self._connect()
        try:
            return self._call(*args)
        except RedisError:
            raise
        except STALE:
            self.close()
            if not reused:
                raise
        except BaseException:
            self.close()
            raise
        self._connect()
        try:
            return self._call(*args)
        except RedisError:
            raise
        except BaseException:
            self.close()
            raise

    # -- commands -----------------------------------------------------------------------------

    def ping(self):
        """True when the server answers PONG."""
        return self.execute("PING") == "PONG"

    def get(self, key):
        """The value of `key` as bytes, or None."""
        return self.execute("GET", key)

    def set(self, key, value, ex=None):
        """Sets `key`, expiring after `ex` seconds when given."""
        if ex is None:
            return self.execute("SET", key, value) == "OK"
        return self.execute("SET", key, value, "EX", ex) == "OK"

    # -- RESP ---------------------------------------------------------------------------------

    def _call(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if isinstance(a, str):
                a = a.encode("utf-8")
            elif isinstance(a, int):
                a = b"%d" % a
            out.append(b"$%d\r\n" % len(a))
            out.append(a)
            out.append(b"\r\n")
        self._sock.sendall(b"".join(out))
        return self._reply()

    def _fill(self):
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionClosed("the cache server closed the connection")
        self._buf += chunk

    def _line(self):
        while True:
            end = self._buf.find(b"\r\n")
            if end >= 0:
                line = bytes(self._buf[:end])
                del self._buf[: end + 2]
                return line
            self._fill()

    def _exact(self, n):
        while len(self._buf) < n + 2:
            self._fill()
        data = bytes(self._buf[:n])
        del self._buf[: n + 2]
        return data

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode("utf-8", errors="replace")
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if kind == b":":
            return int(rest)
        if kind == b"-":
            raise RedisError(rest.decode("utf-8", errors="replace"))
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._reply() for _ in range(n)]
        raise ProtocolError(f"unexpected reply from the cache server: {line[:40]!r}")


def describe(exc):
    """A short description of a cache failure, for logs."""
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timeout"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
