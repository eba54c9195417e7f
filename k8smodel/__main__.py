"""``python -m k8smodel serve``: a simulated cluster that the real ``kubectl`` talks to.

::

    python -m k8smodel serve --port 6443 --speed 10 --nodes 3 -f manifests/
    export KUBECONFIG=/tmp/k8smodel-serve-.../kubeconfig     # printed by the command
    kubectl get nodes

``--speed`` is simulated seconds per wall second (``0`` stops the clock), ``--nodes`` adds that many nodes
(``node-1`` ... with ``--cpu`` and ``--memory`` each), ``-f`` applies manifests (a file or a folder, as
``kubectl apply -f``) before serving, ``--seed`` fixes the model's random choices, ``--kubeconfig`` says where to
write the kubeconfig, ``--host`` what to listen on (127.0.0.1 unless told otherwise).

``--start`` is the simulated clock's origin: ``now`` (the default: the wall clock's time, to the second), ``epoch``
(:data:`k8smodel.sim.EPOCH`, 2026-01-01, as in the notebooks) or an RFC 3339 time. kubectl computes some ages
itself from the wall clock (``describe``, ``get -w`` events): they read right only if the simulated timestamps are
near the wall clock's (at ``--speed 1`` exactly; faster, the cluster's clock runs ahead of the wall's).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m k8smodel", description="The Executable Kubernetes model.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a simulated cluster to kubectl over HTTP")
    serve.add_argument("--port", type=int, default=6443, help="port to listen on (0: any free port; default 6443)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--speed", type=float, default=1.0, help="simulated seconds per wall second (0: no clock)")
    serve.add_argument("--nodes", type=int, default=0, help="number of nodes to add (default 0)")
    serve.add_argument("--cpu", default="4", help="CPU of each node (default 4)")
    serve.add_argument("--memory", default="16Gi", help="memory of each node (default 16Gi)")
    serve.add_argument("-f", "--filename", action="append", default=[], help="manifests to apply before serving")
    serve.add_argument("--seed", type=int, default=0, help="seed of the model's random choices (default 0)")
    serve.add_argument("--kubeconfig", default=None, help="where to write the kubeconfig (default: a temp dir)")
    serve.add_argument("--token", default=None, help="the admin's bearer token (default: a random one)")
    serve.add_argument(
        "--start",
        default="now",
        help="the simulated clock's origin: now (the wall clock, default), epoch (2026-01-01) or an RFC 3339 time",
    )
    serve.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def start_time(text: str) -> datetime:
    """``--start``: ``now`` (the wall clock's time, to the second), ``epoch`` or an RFC 3339 time (UTC if it
    names no zone). Raises ``ValueError`` for anything else."""
    from k8smodel.sim import EPOCH

    if text == "now":
        return wall_clock_start()
    if text == "epoch":
        return EPOCH
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise ValueError(f'--start must be "now", "epoch" or an RFC 3339 time, got {text!r}') from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def wall_clock_start() -> datetime:
    """The wall clock's time now, to the second: where a served cluster's simulated clock starts, so that the
    ages kubectl computes from the wall clock agree with the ones the server prints."""
    return datetime.now(UTC).replace(microsecond=0)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command != "serve":  # pragma: no cover (argparse refuses others)
        return 2
    if args.speed < 0:
        print(f"error: --speed must not be negative, got {args.speed}", file=sys.stderr)
        return 2
    if args.nodes < 0:
        print(f"error: --nodes must not be negative, got {args.nodes}", file=sys.stderr)
        return 2
    try:
        start = start_time(args.start)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from k8smodel.cluster import ApplyError, Cluster
    from k8smodel.serve import serve

    cluster = Cluster(seed=args.seed, start=start)
    if args.nodes:
        cluster.add_nodes(args.nodes, cpu=args.cpu, memory=args.memory)
    for name in args.filename:
        path = Path(name)
        if not path.exists():
            print(f'error: the path "{name}" does not exist', file=sys.stderr)
            return 1
        try:
            print(cluster.apply(path))
        except ApplyError as err:
            print(err, file=sys.stderr)
            return 1
    try:
        server = serve(
            cluster,
            port=args.port,
            speed=args.speed,
            host=args.host,
            kubeconfig_path=args.kubeconfig,
            token=args.token,
            verbose=args.verbose,
        )
    except OSError as err:
        print(f"error: cannot listen on {args.host}:{args.port}: {err.strerror or err}", file=sys.stderr)
        return 1
    print(f"Serving the model at {server.url} (speed {args.speed:g}x, {args.nodes} nodes).", flush=True)
    print(f"export KUBECONFIG={server.kubeconfig_path}", flush=True)
    done = threading.Event()

    def stop(signum: int, frame: object) -> None:
        done.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
