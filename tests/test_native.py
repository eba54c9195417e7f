"""The compiled modules (k8smodel/_native.py): the same results as the sources, and never a stale build.

Each check runs in a fresh interpreter, since which modules load is decided once, when ``k8smodel`` is imported.
``make`` builds the compiled modules before it runs the tests and sets ``K8SMODEL_EXPECT_NATIVE=1``: there the
equality below compares the compiled model with the pure Python one; run by hand after an edit, without ``make``,
both sides run the sources.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One rollout (controllers, scheduler) and one kubelet run (probes, crashes, heartbeats), digested: the event log and
# every etcd key, value and revision.
SCENARIO = r"""
import hashlib, json, sys
sys.path.insert(0, "benchmarks")
import bench_deployment, bench_kubelet
from k8smodel import _native
from k8smodel.apiserver.server import APIServer
from k8smodel.rollout import rollout_status, set_image
from k8smodel.sim import Simulation

def digest(sim, store):
    h = hashlib.sha256()
    for t, k, f in zip(sim._times, sim._kinds, sim._fields):
        h.update(repr((t, k, sorted(f.items()))).encode())
    for key in sorted(store._versions):
        h.update(repr((key, store._versions[key])).encode())
    h.update(repr(store.revision).encode())
    return h.hexdigest()

cluster, _, _ = bench_deployment.build(5)
cluster.sim.log_enabled = True
cluster.apply(bench_deployment.MANIFEST.format(replicas=30))
rollout_status(cluster.api, "web", timeout="30m")
set_image(cluster.api, "deployment/web", {"nginx": "nginx:1.27"})
rollout_status(cluster.api, "web", timeout="30m")
cluster.run_for("60s")
made = []
for cls in (Simulation, APIServer):
    init = cls.__init__
    cls.__init__ = lambda self, *a, _init=init, **k: (_init(self, *a, **k), made.append(self))[0]
bench_kubelet.busy_cluster(5, 100, 0.5)
sim, api = made  # (the benchmark keeps no event log: its etcd is what is compared)
print(json.dumps({"status": _native.status(), "rollout": digest(cluster.sim, cluster.etcd),
                  "kubelet": digest(sim, api.store)}))
"""


def _run(code: str, **env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if k not in ("K8SMODEL_PURE_PYTHON", "K8SMODEL_NATIVE_DIR")}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**environ, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.splitlines()[-1])


STATUS = "import json; from k8smodel import _native; print(json.dumps(_native.status()))"


def test_the_compiled_model_gives_the_same_results_as_the_sources():
    pure = _run(SCENARIO, K8SMODEL_PURE_PYTHON="1")
    default = _run(SCENARIO)
    assert pure["status"]["compiled"] is False
    if os.environ.get("K8SMODEL_EXPECT_NATIVE"):  # make built them: this run must have used them
        assert default["status"]["compiled"] is True, default["status"]["reason"]
    assert default["rollout"] == pure["rollout"]
    assert default["kubelet"] == pure["kubelet"]


def _fake_build(tmp_path: Path, **changes: object) -> Path:
    """A native directory whose manifest is right but for ``changes`` (its files are empty: never loaded here)."""
    from k8smodel import _native

    files = {}
    for name in [*_native.MODULES, _native.GROUP + "__mypyc"]:
        rel = name.replace(".", "/") + ".so"
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"")
        files[name] = rel
    manifest = {"interpreter": _native._interpreter(), "sources": _native.sources_digest(), "files": files}
    manifest.update(changes)
    (tmp_path / _native.MANIFEST).write_text(json.dumps(manifest))
    return tmp_path


def test_a_build_of_other_sources_is_not_loaded(tmp_path):
    status = _run(STATUS, K8SMODEL_NATIVE_DIR=str(_fake_build(tmp_path, sources="0" * 64)))
    assert status["compiled"] is False
    assert status["reason"] == "the sources changed since the build"


def test_a_build_for_another_interpreter_is_not_loaded(tmp_path):
    status = _run(STATUS, K8SMODEL_NATIVE_DIR=str(_fake_build(tmp_path, interpreter="cpython-399 .so")))
    assert status["reason"] == "compiled for another interpreter"


def test_an_incomplete_build_is_not_loaded(tmp_path):
    directory = _fake_build(tmp_path)
    from k8smodel import _native

    (directory / (_native.MODULES[0].replace(".", "/") + ".so")).unlink()
    status = _run(STATUS, K8SMODEL_NATIVE_DIR=str(directory))
    assert status["reason"] == "the build is incomplete"


def test_without_a_build_the_sources_run(tmp_path):
    status = _run(STATUS, K8SMODEL_NATIVE_DIR=str(tmp_path / "nothing"))
    assert status["compiled"] is False
    assert status["reason"].startswith("no compiled modules in ")


def test_a_matching_build_is_loaded_in_place_of_the_sources(tmp_path):
    # A matching manifest whose files are empty: the loader takes them, so importing fails on the first one.
    code = "import k8smodel"
    environ = {k: v for k, v in os.environ.items() if k != "K8SMODEL_PURE_PYTHON"}
    environ["K8SMODEL_NATIVE_DIR"] = str(_fake_build(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert out.returncode != 0
    assert str(tmp_path) in out.stderr  # the empty extension module it tried to load
