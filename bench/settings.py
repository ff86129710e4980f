"""Settings of the benchmark server: the project's own, plus the bare view it is compared with and a
middleware that returns each request's number of SQL statements (bench/middleware.py)."""

from citedesmetiers.settings import *  # noqa: F403
from citedesmetiers.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.query_count", *MIDDLEWARE]
