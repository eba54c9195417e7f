"""The watch cache's shared objects (``k8smodel/apiserver/watch.py``, ``WatchFanout.latest``) change no result.

The API server's lean paths (a kubelet's Lease renewal and Pod status patch) read the stored version from the watch
cache instead of decoding it, and hand the object they wrote to the watchers instead of its decoding; so does the
create of an object its writer handed over (a controller's Pod built from its template). That is exact
only if (1) every registered object is exactly what decoding its stored bytes gives (same keys in the same order,
same values of the same types), and (2) nobody changes a shared object in place: no informer handler, no component
that reads an informer's cache, no writer after its write. These tests run whole scenarios (a rolling update with the
scheduler, the controllers and kubelets; kubelets with probes, restarts, crashes and Lease renewals) and check both,
and that the same scenario with the watch cache turned off stores the same versions and logs the same records.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from k8smodel.apiserver import watch as watch_module
from k8smodel.apiserver.registry import decode
from k8smodel.apiserver.watch import WatchFanout
from k8smodel.client import Informer
from k8smodel.cluster import Cluster
from k8smodel.kubelet import behavior_annotation
from k8smodel.rollout import rollout_status, set_image

MANIFEST = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 24
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.26
        resources: {requests: {cpu: 100m, memory: 64Mi}}
"""


def _exactly(a: Any, b: Any, path: str = "") -> None:
    """``a`` and ``b`` are the same JSON value: same types (a tuple is not a list, a bool not an int), same keys in
    the same order, same values."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if type(a) is dict:
        assert list(a) == list(b), f"{path}: keys {list(a)} != {list(b)}"
        for key in a:
            _exactly(a[key], b[key], f"{path}.{key}")
    elif type(a) is list:
        assert len(a) == len(b), f"{path}: lengths {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _exactly(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def _scenario(cluster: Cluster) -> None:
    """A rolling update of a Deployment on kubelets (the Cluster's own ReplicaSet and Deployment controllers), then
    Pods with probes, restarts and a node crash."""
    cluster.add_nodes(4, cpu="8", memory="32Gi")
    cluster.run_for("20s")
    cluster.apply(MANIFEST)
    rollout_status(cluster.api, "web", timeout="10m")
    set_image(cluster.api, "deployment/web", {"nginx": "nginx:1.27"})
    rollout_status(cluster.api, "web", timeout="10m")
    for i in range(8):
        script: dict[str, object] = {"readyAfter": "5s"}
        if i % 3 == 1:
            script["unready"] = [["1m", "2m"]]
        if i % 4 == 2:
            script.update({"exitAfter": "30s", "exitCode": 1})
        cluster.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"probed-{i}",
                    "namespace": "default",
                    "annotations": behavior_annotation({"app": script}),
                },
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": "redis:7.2",
                            "readinessProbe": {"httpGet": {"path": "/ready", "port": 80}, "periodSeconds": 5},
                            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 80}},
                        }
                    ]
                },
            }
        )
    cluster.run_for("2m")
    cluster.fail_node("node-1")
    cluster.run_for("1m")
    cluster.recover_node("node-1")
    cluster.run_for("3m")


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[int, bytes, dict]], list[tuple[Any, bytes]]]:
    """Every object a writer registered in the watch cache, and every object an informer received (with its JSON
    at delivery)."""
    registered: list[tuple[int, bytes, dict]] = []
    delivered: list[tuple[Any, bytes]] = []
    remember = WatchFanout.remember

    def recording_remember(self: WatchFanout, key: str, mod_revision: int, value: bytes, obj: dict) -> None:
        registered.append((mod_revision, value, obj))
        remember(self, key, mod_revision, value, obj)

    on_event = Informer._on_event

    def recording_on_event(self: Informer, gen: int, event_type: str, obj: Any) -> None:
        if type(obj) is dict:
            delivered.append((obj, orjson.dumps(obj)))
        on_event(self, gen, event_type, obj)

    monkeypatch.setattr(WatchFanout, "remember", recording_remember)
    monkeypatch.setattr(Informer, "_on_event", recording_on_event)
    return registered, delivered


def test_shared_objects_are_exact_decodings_and_never_changed(recorded: tuple[list, list]) -> None:
    registered, delivered = recorded
    cluster = Cluster(seed=3)
    _scenario(cluster)
    assert len(registered) > 200  # Lease renewals and Pod status patches went the lean way
    # and the ReplicaSet controller's Pods were handed over at creation (PodControl.create_pods -> _create_owned)
    created = [o for _, _, o in registered if o["metadata"].get("generateName") and not o["spec"].get("nodeName")]
    assert len(created) >= 48, len(created)
    for revision, value, obj in registered:
        # what decoding the stored bytes gives, and still so at the end of the run (nobody changed it since)
        _exactly(obj, decode(value, revision))
    assert len(delivered) > 500
    for obj, at_delivery in delivered:
        assert orjson.dumps(obj) == at_delivery, obj["metadata"].get("name")


def _run(seed: int) -> tuple[Any, ...]:
    cluster = Cluster(seed=seed)
    _scenario(cluster)
    store = cluster.api.store
    return (
        {key: list(versions) for key, versions in store._versions.items()},
        store.revision,
        cluster.sim.events().to_dict("list"),
    )


@pytest.mark.pure_python  # replaces watch.py's CACHED_GROUPS (tests/conftest.py)
def test_the_same_run_without_the_watch_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    with_cache = _run(5)
    monkeypatch.setattr(WatchFanout, "remember", lambda *a: None)
    monkeypatch.setattr(WatchFanout, "cached", lambda *a: None)
    monkeypatch.setattr(watch_module, "CACHED_GROUPS", ())
    without = _run(5)
    assert with_cache[1] == without[1]
    assert with_cache[0] == without[0]
    assert with_cache[2] == without[2]


@pytest.mark.pure_python  # replaces watch.py's _decoded (tests/conftest.py)
def test_relabelled_previous_versions_are_exact_decodings(monkeypatch: pytest.MonkeyPatch) -> None:
    # watch.py _decoded: the previous version of a change (a deleted Pod, the version a bind or a deletion replaced)
    # is the watch cache's object relabelled with the change's revision instead of a new decoding: exactly what
    # decoding the old bytes with that revision gives.
    relabelled: list[tuple[dict, bytes, int]] = []
    original = watch_module._decoded

    def recording(event: Any, which: str, cache: dict[str, Any]) -> dict:
        fresh = which == "prev" and which not in cache and "prev_src" in cache
        obj = original(event, which, cache)
        if fresh:
            relabelled.append((obj, event.prev_kv.value, event.kv.mod_revision))
        return obj

    monkeypatch.setattr(watch_module, "_decoded", recording)
    cluster = Cluster(seed=4)
    _scenario(cluster)
    assert len(relabelled) >= 20, len(relabelled)  # (24 in this scenario: deletions and replaced versions)
    for obj, value, revision in relabelled:
        _exactly(obj, decode(value, revision))
