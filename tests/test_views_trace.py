"""k8smodel.views.trace: a request's path through the cluster, read off the event log."""

from __future__ import annotations

import pytest

from k8smodel import Cluster
from k8smodel.views.trace import (
    API_SERVER,
    CONTROLLER_MANAGER,
    ETCD,
    KUBECTL,
    SCHEDULER,
    clock,
    lane_of_informer,
    lane_of_user,
    trace,
)

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27}]
"""


@pytest.fixture(scope="module")
def traced():
    cluster = Cluster(seed=0)
    cluster.add_nodes(2)
    cluster.run_for("20s")
    with trace(cluster) as t:
        cluster.apply(DEPLOYMENT)
        cluster.run_for("5s")
    return cluster, t


def test_lanes_are_named_from_the_requesting_user_and_the_informer():
    assert lane_of_user("kubernetes-admin") == KUBECTL
    assert lane_of_user("system:serviceaccount:kube-system:replicaset-controller") == CONTROLLER_MANAGER
    assert lane_of_user("system:kube-scheduler") == SCHEDULER
    assert lane_of_user("system:node:node-7") == "kubelet node-7"
    assert lane_of_informer("shared/pods") == CONTROLLER_MANAGER
    assert lane_of_informer("kubelet/node-2/pods") == "kubelet node-2"
    assert lane_of_informer("kube-scheduler/pods") == SCHEDULER


def test_the_chain_of_an_apply_runs_through_every_component_in_order(traced):
    cluster, t = traced
    steps = t.steps

    def first(lane, target, text):
        rows = steps[(steps.lane == lane) & (steps.target == target) & steps.step.str.contains(text, regex=False)]
        assert len(rows), (lane, target, text)
        return rows.index[0]

    chain = [
        first(KUBECTL, API_SERVER, "create deployments.apps default/web"),
        first(API_SERVER, CONTROLLER_MANAGER, "watch: ADDED Deployment default/web"),
        first(CONTROLLER_MANAGER, API_SERVER, "create replicasets.apps"),
        first(CONTROLLER_MANAGER, API_SERVER, "create pods"),
        first(API_SERVER, SCHEDULER, "watch: ADDED Pod"),
        first(SCHEDULER, API_SERVER, "create pods/binding"),
        first(API_SERVER, "kubelet node-1", "watch: ADDED Pod"),
        first("kubelet node-1", API_SERVER, "patch pods/status"),
    ]
    assert chain == sorted(chain)
    # every successful write is stored in etcd right after it is asked for, before any watcher hears of it
    for i in steps.index[(steps.target == API_SERVER) & steps.revision.notna()]:
        assert steps.loc[i + 1, "target"] == ETCD and steps.loc[i + 1, "revision"] == steps.loc[i, "revision"]
        heard = steps.index[
            (steps.lane == API_SERVER) & (steps.target != ETCD) & (steps.revision == steps.loc[i, "revision"])
        ]
        assert all(j > i + 1 for j in heard)
    # the revisions are etcd's: the Deployment's stored resourceVersion is among them
    rv = int(cluster.api.get("deployments", "web")["metadata"]["resourceVersion"])
    assert rv in set(steps.revision.dropna())


def test_heartbeats_and_events_are_hidden_unless_asked_for(traced):
    _, t = traced
    assert not t.steps.step.str.contains("leases|events").any()
    t.hide = ()
    assert t.steps.step.str.contains("events").any()
    t.hide = ("leases", "events", "nodes")


def test_tracing_is_off_outside_the_block_and_adds_nothing_to_the_model(traced):
    cluster, t = traced
    assert cluster.sim.trace_informers is False
    before = len(t.steps)
    cluster.run_for("1s")
    assert len(t.steps) == before  # the stretch ended with the block
    # the same run without a trace writes the same objects at the same revisions
    other = Cluster(seed=0)
    other.add_nodes(2)
    other.run_for("20s")
    other.apply(DEPLOYMENT)
    other.run_for("6s")
    assert other.etcd.revision == cluster.etcd.revision
    names = lambda c: sorted(p["metadata"]["name"] for p in c.api.list("pods")[0])  # noqa: E731
    assert names(other) == names(cluster)


def test_the_figure_draws_one_arrow_per_request_and_watch_event(traced):
    _, t = traced
    steps = t.steps
    fig = t.figure(max_steps=40)
    shown = steps.head(40)
    assert len(fig.layout.annotations) == int((shown.target != "").sum())
    assert list(fig.layout.xaxis.ticktext[:5]) == [KUBECTL, API_SERVER, ETCD, CONTROLLER_MANAGER, SCHEDULER]
    assert "first 40 of" in fig.layout.title.text
    assert fig.layout.yaxis.ticktext[0].startswith(clock(steps.time.iloc[0]))
    assert len(fig.to_json()) < 300_000


def test_clock_formats_simulated_seconds():
    assert clock(0) == "0:00.000"
    assert clock(81.8771) == "1:21.877"
