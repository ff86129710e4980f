"""Runs the benchmarks: `make bench` for all, `make bench ARGS=platform` for some."""

import importlib
import sys

BENCHMARKS = [
    "platform",
    "desk",
    "phone",
    "agenda",
    "catalogue",
    "report",
    "dashboard",
    "export",
    "restart",
    "load",
]


def main(names: list[str]) -> int:
    for name in names or BENCHMARKS:
        if name not in BENCHMARKS:
            print(f"unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
