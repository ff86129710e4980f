"""Settings of the benchmark server: the project's own, plus the bare view it is compared with."""

from citedesmetiers.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
