"""The controller pattern (``k8smodel.controllers.base``): informers -> work queue -> reconcile(key).

The behaviours are those of ``staging/src/k8s.io/sample-controller/controller.go`` (``processNextWorkItem``:
``Forget`` on success, ``AddRateLimited`` on error, ``Done`` always; ``enqueueFoo`` with
``cache.MetaNamespaceKeyFunc``; ``handleObject`` unwrapping ``DeletedFinalStateUnknown``).
"""

from __future__ import annotations

from typing import Any

import pytest

from k8smodel.api import errors
from k8smodel.apiserver import APIServer
from k8smodel.client import DeletedFinalStateUnknown, Informer
from k8smodel.controllers.base import Controller, ReconcileError, controller_user, object_of
from k8smodel.sim import Simulation


def configmap(name: str, data: dict[str, str] | None = None, namespace: str = "default") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": data or {},
    }


class Mirror(Controller):
    """A toy controller: for every ConfigMap ``x`` it keeps a ConfigMap ``x-mirror`` with the same data."""

    name = "mirror-controller"

    def __init__(self, sim: Simulation, api: APIServer, *, fail: int = 0, workers: int = 1) -> None:
        super().__init__(sim, api, user=controller_user("mirror-controller"), queue_name="mirror", workers=workers)
        self.configmaps = Informer(sim, api.lister_watcher("configmaps", user=self.user), name="mirror/configmaps")
        self.watch(
            self.configmaps,
            on_add=self.enqueue,
            on_update=lambda old, new: self.enqueue(new),
            on_delete=self.enqueue,
        )
        self.fail = fail  # fail this many reconciles with a 500 first
        self.seen: list[tuple[float, str]] = []

    def reconcile(self, key: str) -> None:
        self.seen.append((self.sim.now, key))
        if self.fail > 0:
            self.fail -= 1
            raise errors.internal_error("etcd is having a bad day")
        if key.endswith("-mirror"):
            return
        source = self.configmaps.get(key)
        namespace, name = key.split("/")
        mirror = self.configmaps.get(f"{key}-mirror")
        if source is None:
            if mirror is not None:
                self.api.delete("configmaps", f"{name}-mirror", namespace, user=self.user)
            return
        desired = configmap(f"{name}-mirror", source.get("data"), namespace)
        if mirror is None:
            self.api.create(desired, user=self.user)
        elif mirror.get("data") != source.get("data"):
            self.api.update({**desired, "metadata": {**desired["metadata"], **mirror["metadata"]}}, user=self.user)


@pytest.fixture
def world() -> tuple[Simulation, APIServer]:
    sim = Simulation(0)
    return sim, APIServer(sim)


def test_controller_user_is_the_service_account_in_system_masters():
    user = controller_user("replicaset-controller")
    assert user.name == "system:serviceaccount:kube-system:replicaset-controller"
    assert user.groups == (
        "system:serviceaccounts",
        "system:serviceaccounts:kube-system",
        "system:authenticated",
        "system:masters",
    )


def test_reconcile_is_level_triggered_and_idempotent(world):
    sim, api = world
    api.create(configmap("a", {"k": "1"}))  # exists before the controller starts: seen through the list
    ctl = Mirror(sim, api)
    ctl.start()
    sim.run(1)
    assert api.get("configmaps", "a-mirror", "default")["data"] == {"k": "1"}
    rv = api.get("configmaps", "a-mirror", "default")["metadata"]["resourceVersion"]
    # a resync-like re-enqueue of the same key changes nothing: idempotent
    ctl.enqueue("default/a")
    sim.run(2)
    assert api.get("configmaps", "a-mirror", "default")["metadata"]["resourceVersion"] == rv
    # a change is healed, a deletion is followed
    live = api.get("configmaps", "a", "default")
    api.update({**live, "data": {"k": "2"}})
    sim.run(3)
    assert api.get("configmaps", "a-mirror", "default")["data"] == {"k": "2"}
    api.delete("configmaps", "a", "default")
    sim.run(4)
    with pytest.raises(errors.StatusError):
        api.get("configmaps", "a-mirror", "default")
    kinds = sim.events("controller.reconcile")
    assert set(kinds["controller"]) == {"mirror-controller"}


def test_failed_reconcile_is_retried_with_rate_limited_backoff(world):
    """processNextWorkItem: AddRateLimited on error (5 ms doubling), Forget on success."""
    sim, api = world
    ctl = Mirror(sim, api, fail=3)
    ctl.start()
    api.create(configmap("b", {"x": "y"}))
    sim.run(10)
    times = [t for t, key in ctl.seen if key == "default/b"]
    assert times[:4] == pytest.approx([0.0, 0.005, 0.015, 0.035])  # 5 ms, 10 ms, 20 ms apart
    assert ctl.failures == 3
    assert ctl.queue.num_requeues("default/b") == 0  # forgotten after the success
    failed = sim.events("controller.reconcile_failed")
    assert list(failed["requeues"]) == [1, 2, 3]
    assert "etcd is having a bad day" in failed["error"].iloc[0]
    assert api.get("configmaps", "b-mirror", "default")["data"] == {"x": "y"}


def test_a_burst_of_changes_to_one_key_costs_one_reconcile(world):
    sim, api = world
    ctl = Mirror(sim, api)
    ctl.start()
    sim.run(1)
    before = ctl.reconciles
    # Ten adds of one key in one instant. The idle worker was handed the first at once (it is now "processing");
    # the other nine only mark the key dirty, once: it is queued again when the worker calls done. Two reconciles.
    for _ in range(5):
        ctl.enqueue("default/zzz")
        ctl.enqueue(configmap("zzz"))
    sim.run(2)
    assert ctl.reconciles == before + 2


def test_enqueue_accepts_objects_keys_and_tombstones(world):
    sim, api = world
    ctl = Mirror(sim, api)
    ctl.enqueue(configmap("one"))
    ctl.enqueue("default/two")
    ctl.enqueue(DeletedFinalStateUnknown("default/three", configmap("three")))
    ctl.enqueue({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "cluster-scoped"}})
    assert [ctl.queue.get() for _ in range(4)] == ["default/one", "default/two", "default/three", "cluster-scoped"]
    assert object_of(DeletedFinalStateUnknown("k", {"x": 1})) == {"x": 1}
    assert object_of({"x": 2}) == {"x": 2}


def test_enqueue_after_waits(world):
    sim, api = world
    ctl = Mirror(sim, api)
    ctl.start()
    sim.run(1)
    ctl.enqueue_after("default/later", 30)
    sim.run(30.5)
    assert ("default/later") not in [k for _, k in ctl.seen if _ < 31]
    sim.run(31.5)
    assert (31.0, "default/later") in ctl.seen


def test_a_bug_propagates_out_of_the_simulation(world):
    sim, api = world

    class Broken(Mirror):
        def reconcile(self, key: str) -> None:
            raise KeyError("a bug")

    ctl = Broken(sim, api)
    ctl.start()
    api.create(configmap("c"))
    with pytest.raises(KeyError):
        sim.run(1)


def test_reconcile_error_is_retried(world):
    sim, api = world
    calls: list[float] = []

    class Flaky(Mirror):
        def reconcile(self, key: str) -> None:
            calls.append(sim.now)
            if len(calls) < 2:
                raise ReconcileError("not yet")

    ctl = Flaky(sim, api)
    ctl.start()
    ctl.enqueue("default/x")
    sim.run(1)
    assert calls == pytest.approx([0.0, 0.005])


def test_stop_removes_handlers_and_start_again_resumes(world):
    sim, api = world
    ctl = Mirror(sim, api)
    ctl.start()
    ctl.start()  # twice: nothing more
    assert len(ctl.configmaps._handlers) == 1
    sim.run(1)
    ctl.stop()
    assert ctl.configmaps._handlers == ()
    api.create(configmap("d"))
    sim.run(2)
    with pytest.raises(errors.StatusError):
        api.get("configmaps", "d-mirror", "default")
    ctl.start()  # the cache replays its objects to the new handlers: the missed change is healed
    sim.run(3)
    assert api.get("configmaps", "d-mirror", "default")
    assert ctl.has_synced()


def test_workers_must_be_positive(world):
    sim, api = world
    with pytest.raises(ValueError, match="workers must be a whole number >= 1"):
        Mirror(sim, api, workers=0)


def test_two_workers_never_process_one_key_at_once(world):
    sim, api = world
    ctl = Mirror(sim, api, workers=2)
    inside: list[str] = []

    original = ctl.reconcile

    def reconcile(key: str) -> None:
        assert key not in inside
        inside.append(key)
        ctl.enqueue(key) if len(ctl.seen) < 2 else None  # re-added while processing: requeued after done
        original(key)
        inside.remove(key)

    ctl.reconcile = reconcile  # type: ignore[method-assign]
    ctl.start()
    ctl.enqueue("default/e")
    sim.run(1)
    assert [k for _, k in ctl.seen].count("default/e") == 3


def test_base_reconcile_must_be_implemented(world):
    sim, api = world
    bare = Controller(sim, api, user=controller_user("x"), queue_name="x")
    with pytest.raises(NotImplementedError):
        bare.reconcile("default/x")
