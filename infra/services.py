"""Command line for the local services (the logic is in infra/devservices/).

python infra/services.py up        # install (cached), start, wait, create topics + bucket
python infra/services.py down      # stop what `up` started (by pid file, nothing else)
python infra/services.py status    # which services answer
python infra/services.py install   # only fetch the Kafka jars and build weed
python infra/services.py init      # topics + bucket on the services named by the environment
python infra/services.py env       # print the environment of the local services
"""

from __future__ import annotations

import argparse
import sys
import time

from devservices import (
    Endpoints,
    Layout,
    ServiceError,
    create_resources,
    down,
    env_text,
    install_kafka,
    install_weed,
    kafka_answers,
    s3_answers,
    up,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "down", "status", "install", "env", "init"])
    args = parser.parse_args(argv)
    layout, endpoints = Layout(), Endpoints()
    try:
        if args.command == "install":
            t0 = time.monotonic()
            kafka = install_kafka(layout)
            weed = install_weed(layout)
            print(
                f"kafka jars: {'fetched' if kafka else 'cached'}; "
                f"weed: {'built' if weed else 'cached'} ({time.monotonic() - t0:.1f}s)"
            )
        elif args.command == "up":
            t0 = time.monotonic()
            started = up(layout, endpoints)
            # A developer asked for them: a test session that started them must not stop them.
            for marker in layout.state.glob("*.test-owned"):
                marker.unlink(missing_ok=True)
            print(
                f"# services up in {time.monotonic() - t0:.1f}s "
                f"(started: {', '.join(sorted(started)) or 'none, already running'}); "
                f"logs under {layout.state.relative_to(layout.root)}/"
            )
            print(env_text(endpoints), end="")
        elif args.command == "down":
            stopped = down(layout)
            print(f"stopped: {', '.join(sorted(stopped)) or 'nothing was running'}")
        elif args.command == "init":
            # Topics and bucket on the services the environment names (not necessarily ours).
            target = Endpoints.from_env()
            create_resources(target)
            print(f"topics {target.topic}, {target.dlq_topic} and bucket {target.bucket} ready")
        elif args.command == "status":
            print(f"kafka {endpoints.kafka_bootstrap}: {_word(kafka_answers(endpoints))}")
            print(f"s3 {endpoints.s3_endpoint}: {_word(s3_answers(endpoints))}")
        else:
            print(env_text(endpoints), end="")
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _word(ok: bool) -> str:
    return "answering" if ok else "down"


if __name__ == "__main__":
    sys.exit(main())
