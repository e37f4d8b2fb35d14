"""Tests of the model router Lambda (`stacks/router`); run from the repository root:

    OXIFORM_ROUTER_ZIP=out/ai-inference-local-inference/router.zip \
    OXIFORM_REDIS_SERVER=target/redis/bin/redis-server python3 -m unittest discover -s stacks/router_tests

(`-t .` works too). The router and redis-py are imported from its zip, unpacked as Lambda
unpacks it (see `support`); `cargo run -p stacks -- synth ai-inference-local-inference` writes
that zip. `cargo test -p oxiform-tests --test suite router` runs them with the zip the stack
ships and the Redis it installs under `target/redis` on first use (Debian's package, unpacked
there; see `oxiform_emulator::redis`); they also need `openssl` for a self-signed certificate.
`bench.py` measures the handler's overhead.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)  # the test modules import `support` as a top-level module
