"""Tests for the API server's etcd compactor (``k8smodel.apiserver.compact``).

Upstream: ``staging/src/k8s.io/apiserver/pkg/storage/etcd3/compact.go`` (``runCompactLoop``, ``compact``) and its
``compact_test.go`` (``TestCompact``: compacting with the right expected version succeeds and compacts at the given
revision; ``TestCompactConflict``: a second compactor with a stale version only learns the new one). The interval is
``storagebackend.DefaultCompactInterval`` (5 minutes).
"""

from __future__ import annotations

import pytest

from k8smodel import Cluster
from k8smodel.apiserver import APIServer
from k8smodel.apiserver.compact import COMPACT_REV_KEY, DEFAULT_COMPACTION_INTERVAL, Compactor
from k8smodel.client import Expired
from k8smodel.etcd import Store
from k8smodel.sim import Simulation


def _configmap(i: int) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}", "namespace": "default"}}


def test_default_interval_is_five_minutes() -> None:
    assert DEFAULT_COMPACTION_INTERVAL == 300.0
    assert APIServer(Simulation(0)).compactor.interval == 300.0


def test_first_round_only_records_then_each_round_compacts_to_the_revision_of_the_round_before() -> None:
    # runCompactLoop: the first compaction happens after one interval; compact(): "We don't compact on bootstrap"
    sim = Simulation(0)
    api = APIServer(sim)
    compactor = api.compactor
    compactor.start()
    revisions: dict[float, int] = {}

    def write(i: int) -> None:
        api.create(_configmap(i))

    for i in range(20):  # a write every minute
        sim.call_at(30 + 60 * i, write, i)
    sim.run(299)
    assert compactor.rounds == 0 and api.store.compact_revision == -1
    sim.run(300)
    assert compactor.rounds == 1 and api.store.compact_revision == -1  # bootstrap round: no compaction
    assert api.store.get(COMPACT_REV_KEY).value == b"0"
    revisions[300] = api.store.revision  # the revision after the round's own transaction
    sim.run(600)
    assert compactor.rounds == 2
    assert api.store.compact_revision == compactor.compact_revision == revisions[300]
    revisions[600] = api.store.revision
    sim.run(900)
    assert api.store.compact_revision == revisions[600]
    assert api.store.get(COMPACT_REV_KEY).version == 3  # one put per round (compact time)


def test_a_watch_from_before_the_compaction_expires() -> None:
    sim = Simulation(0)
    api = APIServer(sim)
    api.compactor.start()
    old = api.store.revision
    api.create(_configmap(0))
    sim.run(600)
    assert api.store.compact_revision > old
    with pytest.raises(Expired, match="too old resource version"):
        api.watch("configmaps", "default", str(old))


def test_a_stale_compactor_adopts_the_other_ones_round() -> None:
    # compact_test.go TestCompactConflict: the second client's transaction fails; it learns the version and revision
    sim = Simulation(0)
    store = Store()
    first, second = Compactor(sim, store), Compactor(sim, store)
    first.compact_once()
    first.compact_once()
    store.put("k", b"v")
    second.compact_once()  # expects version 0, finds 2
    assert second._compact_time == 2 and second._rev == store.revision
    assert second.compact_revision == first.compact_revision
    assert second.rounds == 1 and store.compact_revision == first.compact_revision


def test_a_refused_compaction_is_counted_and_the_loop_goes_on() -> None:
    sim = Simulation(0)
    store = Store()
    compactor = Compactor(sim, store)
    compactor.compact_once()  # remembers the revision after its put
    store.put("k", b"v")
    store.compact(store.revision)  # someone compacted past it by hand
    compactor.compact_once()
    assert compactor.errors == 1
    compactor.compact_once()  # the next round compacts again
    assert compactor.errors == 1 and store.compact_revision == compactor.compact_revision


def test_a_cluster_without_nodes_does_not_compact_and_run_returns() -> None:
    c = Cluster(seed=0)
    c.run_for("30m")
    c.run()  # nothing scheduled: returns
    assert not c.api.compactor.running and c.etcd.compact_revision == -1


def test_the_compactor_starts_with_the_control_plane() -> None:
    c = Cluster(seed=0)
    c.add_node("node-1")
    assert c.api.compactor.running
    c.run("11m")
    assert c.api.compactor.rounds == 2 and c.etcd.compact_revision > 0
    c.start_control_plane()  # starting again changes nothing
    assert c.api.compactor.running


def test_stop_and_bad_interval() -> None:
    sim = Simulation(0)
    compactor = Compactor(sim, Store(), interval="1m")
    assert compactor.interval == 60.0
    compactor.start()
    compactor.stop()
    sim.run()
    assert compactor.rounds == 0 and not compactor.running
    with pytest.raises(ValueError, match="negative"):
        Compactor(sim, Store(), interval=-1)


def test_an_interval_of_zero_never_compacts() -> None:
    # newCompactor: "if compactInterval != 0" starts the loop; --etcd-compaction-interval=0 turns compaction off
    c = Cluster(seed=0, etcd_compaction_interval=0)
    c.add_node("node-1")
    c.run("1m")
    early = c.etcd.revision
    c.run("30m")
    assert not c.api.compactor.running and c.etcd.compact_revision == -1
    assert c.etcd.get("/registry/minions/node-1", revision=early) is not None  # every revision is still there
