"""Tests of the model router Lambda (`stacks/router`); run from the repository root:

    python3 -m unittest discover -s stacks/router_tests

(`-t .` works too). They need `redis-server` (Debian: apt-get install redis-server) and
`openssl`; `bench.py` measures the handler's overhead.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)  # the test modules import `support` as a top-level module
