"""Starts the AWS API emulator (moto, with this folder's patches) on 127.0.0.1.

Usage: python start.py PORT

Everything moto and the patches need is set here; no environment variable is required.

Applies the patches in `patches/`, serves every AWS service moto knows on
http://127.0.0.1:PORT (never on another address), prints
`emulator ready on http://127.0.0.1:PORT` on stdout once it accepts connections, and stops
on SIGTERM or SIGINT. Every request is logged on stderr as one line:
`HH:MM:SS <METHOD> <service> <action or path> -> <status>`. If the port cannot be bound it prints
the reason on stderr and exits with status 1.
"""

import io
import os
import re
import signal
import sys
import threading
import time
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# What the patches and the AWS provider need of moto, set here (before moto is imported) so
# that running this file by hand behaves exactly like `stacks emulator` and the test fixture:
# attaching AWS-managed policies (AWSLambdaVPCAccessExecutionRole, …) needs them loaded.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts

from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.server import ThreadedMotoServer  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import patches  # noqa: E402

HOST = "127.0.0.1"
LOG_LOCK = threading.Lock()
SCOPE = re.compile(r"Credential=[^/]*/[^/]*/[^/]*/([^/]*)/")


def _describe(environ):
    """`<service> <action>` of a request, read from its signature, target and body."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    match = SCOPE.search(auth)
    service = match.group(1) if match else "-"
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return f"{service} {target.split('.')[-1]}"
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" in query:
        return f"{service} {query['Action'][0]}"
    content_type = environ.get("CONTENT_TYPE", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        action = parse_qs(body.decode("utf-8", "replace")).get("Action")
        if action:
            return f"{service} {action[0]}"
    path = environ.get("PATH_INFO", "/")
    if environ.get("QUERY_STRING"):
        path += "?" + environ["QUERY_STRING"]
    return f"{service} {path}"


def _logged(app):
    def logging_app(environ, start_response):
        what = _describe(environ)

        def start(status, headers, exc_info=None):
            stamp = time.strftime("%H:%M:%S")
            line = f"{stamp} {environ.get('REQUEST_METHOD')} {what} -> {status.split()[0]}\n"
            with LOG_LOCK:
                sys.stderr.write(line)
                sys.stderr.flush()
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logging_app


class QuietHandler(MotoRequestHandler):
    """moto's request handler without werkzeug's own access log (ours is terser)."""

    def log_request(self, *args, **kwargs):
        pass


class Server(ThreadedMotoServer):
    """moto's threaded server with a request log, and a failed bind reported instead of
    leaving `start()` waiting forever."""

    error = None

    def _server_entry(self):
        try:
            app = _logged(DomainDispatcherApplication(create_backend_app))
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=QuietHandler
            )
        except BaseException as err:  # reported by main()
            self.error = err
            self._server_ready_event.set()
            return
        self._server_ready_event.set()
        self._server.serve_forever()


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        print("usage: start.py PORT", file=sys.stderr)
        return 2
    port = int(sys.argv[1])
    patches.apply_all()
    server = Server(ip_address=HOST, port=port, verbose=False)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server.start()
    if server.error is not None:
        print(f"emulator failed to listen on {HOST}:{port}: {server.error}", file=sys.stderr)
        return 1
    print(f"emulator ready on http://{HOST}:{port}", flush=True)
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
