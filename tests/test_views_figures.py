"""The book's figures (k8smodel/views/figures.py, style.py, frames.py): what they draw, their size, their style."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from k8smodel import Cluster
from k8smodel.api.resources import pod_requests
from k8smodel.views import figures as F
from k8smodel.views import frames as FR
from k8smodel.views import graph as G
from k8smodel.views import style

MAX_FIGURE_BYTES = 300 * 1024

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
      - name: {name}
        image: nginx:1.25
        resources: {{requests: {{cpu: {cpu}, memory: {memory}}}}}
"""


def deployment(name: str, replicas: int, cpu: str = "100m", memory: str = "128Mi") -> str:
    return WEB.format(name=name, replicas=replicas, cpu=cpu, memory=memory)


@pytest.fixture(scope="module")
def big() -> Cluster:
    """20 Nodes in three zones, 200 Pods of two Deployments: the size the issue's budgets are given for."""
    cluster = Cluster(seed=0)
    cluster.add_nodes(20, zones=["zone-a", "zone-b", "zone-c"])
    cluster.apply(deployment("web", 150) + "---\n" + deployment("api", 50, "250m", "512Mi"))
    cluster.run_for("2m")
    assert len(cluster.api.list("pods")[0]) == 200
    return cluster


@pytest.fixture(scope="module")
def small() -> Cluster:
    cluster = Cluster(seed=2)
    cluster.add_nodes(3, zones=["zone-a", "zone-b"])
    cluster.run_for("15s")
    cluster.apply(deployment("web", 5))
    cluster.run_for("1m")
    return cluster


def size(fig: go.Figure) -> int:
    return len(fig.to_json().encode())


# --- style --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "decimals", "text"),
    [
        (0, 0, "0:00"),
        (5, 0, "0:05"),
        (125, 0, "2:05"),
        (59.96, 0, "1:00"),  # rounded first: never 0:60
        (3725, 0, "1:02:05"),
        (-30, 0, "-0:30"),
        (62.25, 1, "1:02.2"),  # round half to even, as Python rounds
        (62.26, 1, "1:02.3"),
    ],
)
def test_format_mss(seconds: float, decimals: int, text: str) -> None:
    assert style.format_mss(seconds, decimals) == text


def test_format_mss_refuses_infinity() -> None:
    with pytest.raises(ValueError, match="a finite number of seconds"):
        style.format_mss(float("inf"))


def test_time_ticks_use_clock_steps() -> None:
    values, text = style.time_ticks(0, 300)
    assert values == [0, 60, 120, 180, 240, 300] and text == ["0:00", "1:00", "2:00", "3:00", "4:00", "5:00"]
    values, text = style.time_ticks(10, 40)
    assert values == [10, 15, 20, 25, 30, 35, 40] and text[0] == "0:10"
    values, _ = style.time_ticks(0, 7200)
    assert values[1] - values[0] == 1800


def test_owner_colours_are_kept_and_colour_blind_safe() -> None:
    colours = style.OwnerColours()
    first = colours("Deployment/default/web")
    colours("Deployment/default/api")
    assert colours("Deployment/default/web") == first == style.OKABE_ITO["blue"]
    assert colours(None) == style.NO_OWNER_COLOUR
    assert set(style.QUALITATIVE) == set(style.OKABE_ITO.values())


def test_component_labels() -> None:
    assert style.component_label("replicaset-controller") == "ReplicaSet controller"
    assert style.component_label("kubelet/node-3") == "kubelet on node-3"
    assert style.plural("Pod", 1) == "1 Pod" and style.plural("Pod", 3) == "3 Pods"


# --- topology -----------------------------------------------------------------------------------------------------


def pod_points(fig: go.Figure) -> int:
    return sum(
        len([x for x in t.x if x is not None])
        for t in fig.data
        if t.mode == "markers" and t.hovertext is not None and len(t.hovertext)
    )


def test_topology_draws_every_node_and_pod(big: Cluster) -> None:
    fig = F.topology(big)
    assert len(fig.layout.shapes) == 20  # one box per Node
    assert pod_points(fig) == 200
    assert fig.layout.title.text.startswith("Cluster at 2:00: 20 Nodes (20 Ready), 200 Pods")
    names = {t.name for t in fig.data if t.showlegend is not False}
    assert {"Deployment web", "Deployment api", "Running, Ready", "Pending", "Ready"} <= names
    zones = [a.text for a in fig.layout.annotations if a.textangle == -90]
    assert zones == ["<b>zone-a</b>", "<b>zone-b</b>", "<b>zone-c</b>"]
    assert size(fig) < MAX_FIGURE_BYTES


def test_topology_hover_names_the_pod_its_node_and_owner(small: Cluster) -> None:
    fig = F.topology(small)
    (web,) = [t for t in fig.data if t.name == "Deployment web" and t.hovertext is not None]
    text = web.hovertext[0]
    assert "<b>Pod web-" in text and "Running, Ready" in text and "owner: Deployment web" in text and "node-" in text


def test_topology_shows_a_failed_node_and_its_pods() -> None:
    cluster = Cluster(seed=2)
    cluster.add_nodes(3, zones=["zone-a", "zone-b"])
    cluster.run_for("15s")
    cluster.apply(deployment("web", 6))
    cluster.run_for("1m")
    before = F.topology(cluster)
    node = "node-2"
    cluster.fail_node(node)
    cluster.run_for("70s")  # past the 50 s grace period: NotReady, its Pods not Ready
    after = F.topology(cluster)
    nodes = next(t for t in after.data if t.name == "Nodes")
    index = list(nodes.text).index(node)
    assert before.layout.shapes[index].line.dash == "solid"
    assert after.layout.shapes[index].line.dash == "dash"
    assert after.layout.shapes[index].fillcolor == style.LIGHT_GREY
    assert "NotReady" in nodes.hovertext[index]
    symbols = [s for t in after.data if t.name == "Deployment web" and t.hovertext is not None for s in t.marker.symbol]
    assert "square-open" in symbols  # Running, not Ready


def test_topology_by_phase_and_bad_input(small: Cluster) -> None:
    fig = F.topology(small, colour_by="phase")
    (running,) = [t for t in fig.data if t.name == "Running, Ready"]
    assert running.marker.color == style.POD_STATES["Running"][2] and len(running.x) == 5
    with pytest.raises(F.FigureError, match='colour_by must be "owner" or "phase", got \'owners\''):
        F.topology(small, colour_by="owners")


def test_topology_puts_unscheduled_pods_in_a_box_of_their_own() -> None:
    cluster = Cluster(seed=1)
    cluster.add_node("node-1", cpu="1")
    cluster.run_for("15s")
    cluster.apply(deployment("big", 3, cpu="600m"))  # one fits, two stay Pending
    cluster.run_for("30s")
    fig = F.topology(cluster)
    nodes = next(t for t in fig.data if t.name == "Nodes")
    assert list(nodes.text) == ["node-1", "no Node · 2 Pods"]


def test_topology_spec_is_valid_plotly(small: Cluster) -> None:
    spec = F.topology_spec(small)
    go.Figure(spec)  # validation raises on any property plotly does not know
    json.dumps(spec)  # and it is plain JSON


# --- sampler and timeline -----------------------------------------------------------------------------------------


def sampled_run(with_sampler: bool) -> tuple[Cluster, F.Sampler | None]:
    cluster = Cluster(seed=4)
    cluster.add_nodes(2)
    cluster.run_for("10s")
    sampler = F.Sampler(cluster, "deployment/web", every="2s") if with_sampler else None
    cluster.apply(deployment("web", 3))
    cluster.run_for("30s")
    cluster.scale("deployment/web", 5)
    cluster.run_for("30s")
    return cluster, sampler


def test_sampler_records_the_replica_counts_and_events() -> None:
    _, sampler = sampled_run(True)
    assert sampler is not None
    frame = sampler.frame()
    assert list(frame.columns) == list(F.SAMPLE_COLUMNS)
    assert frame.time.iloc[0] == 10 and frame.time.diff().iloc[1:].eq(2).all()
    assert tuple(frame.iloc[0, 1:]) == (0, 0, 0, 0, 0)  # not applied yet
    assert tuple(frame.iloc[-1, 1:]) == (5, 5, 5, 5, 5)
    assert 3 in set(frame.desired) and frame.desired.is_monotonic_increasing
    events = sampler.events_frame()
    scaling = events[events.reason == "ScalingReplicaSet"]
    assert len(scaling) == 2 and scaling.object.str.startswith("deployment/web").all()
    assert "Scaled up replica set web-" in scaling.message.iloc[0]
    assert (events.time >= 10).all()


def test_sampling_changes_nothing_in_the_run() -> None:
    plain, _ = sampled_run(False)
    watched, sampler = sampled_run(True)
    assert sampler is not None
    assert plain.events().equals(watched.events())  # the same event log, record for record


def test_sampler_stops() -> None:
    cluster, sampler = sampled_run(True)
    assert sampler is not None
    samples = sampler.stop()
    count = len(samples.rows)
    cluster.run_for("1m")
    assert len(samples.rows) == count


def test_sampler_refuses_bad_targets() -> None:
    cluster = Cluster(seed=0)
    with pytest.raises(F.FigureError, match='target must be "deployment/<name>" or "replicaset/<name>"'):
        F.Sampler(cluster, "pod/web")
    with pytest.raises(F.FigureError, match="every must be a positive duration"):
        F.Sampler(cluster, "deployment/web", every="0s")


def test_timeline_figure() -> None:
    _, sampler = sampled_run(True)
    fig = F.timeline(sampler, origin=10, origin_label="the apply")
    names = [t.name for t in fig.data]
    assert "desired (spec.replicas)" in names and "Normal Event" in names
    assert fig.layout.xaxis2.title.text == "time after the apply (m:ss)"
    assert list(fig.layout.xaxis2.ticktext)[:3] == ["0:00", "0:10", "0:20"]
    assert fig.layout.yaxis2.title.text == "Pods"
    desired = next(t for t in fig.data if t.name.startswith("desired"))
    assert list(desired.y) == [0, 3, 5, 5]  # repeated values left out: a step line needs only the changes
    plain = F.timeline(sampler.frame())  # no Events: one plot
    assert "xaxis2" not in plain.layout and plain.layout.xaxis.title.text == "simulated time (m:ss)"
    with pytest.raises(F.FigureError, match="unknown series"):
        F.timeline(sampler, series=["wanted"])


def test_timeline_groups_a_burst_of_events() -> None:
    samples = pd.DataFrame({"time": [0.0, 10.0], "desired": [3, 3], "current": [3, 3], "ready": [3, 2]})
    samples["available"] = samples["ready"]
    events = [(5.2, "Warning", "NodeNotReady", f"pod/web-{i}", "Node is not ready") for i in range(3)]
    events.append((5.4, "Normal", "Killing", "pod/web-0", "Stopping container web"))
    fig = F.timeline(samples, events)
    (warning,) = [t for t in fig.data if t.name == "Warning Event"]
    assert list(warning.x) == [5.2] and list(warning.customdata[0]) == [
        "0:05",
        "pod/web-0 and 2 more",
        "×3: Node is not ready",
    ]
    (normal,) = [t for t in fig.data if t.name == "Normal Event"]
    assert list(normal.y) == ["Killing"]


def test_timeline_size(big: Cluster) -> None:
    sampler = F.Sampler(big, "deployment/web", every="1s", pod_events="all")
    big.scale("deployment/web", 140)
    big.run_for("1m")
    sampler.stop()
    assert size(F.timeline(sampler)) < MAX_FIGURE_BYTES


# --- node resources -----------------------------------------------------------------------------------------------


def test_node_resources_sum_the_requests_per_node(big: Cluster) -> None:
    fig = F.node_resources(big)
    pods, _ = big.api.list("pods")
    node = "node-1"
    cpu = sum(pod_requests(p).get("cpu", 0) for p in pods if p["spec"].get("nodeName") == node) / 1000
    bars = [t for t in fig.data if t.type == "bar" and t.xaxis == "x"]
    index = list(bars[0].x[1]).index(node)
    assert sum(t.y[index] for t in bars) == pytest.approx(cpu)
    (alloc,) = [t for t in fig.data if t.name.startswith("allocatable") and t.xaxis == "x"]
    assert alloc.y[index] == 4.0  # the default node's 4 CPUs
    assert fig.layout.yaxis.title.text == "CPU (cores)" and fig.layout.yaxis2.title.text == "memory (GiB)"
    assert list(bars[0].x[0][:1]) == ["zone-a"]  # grouped by zone
    assert size(fig) < MAX_FIGURE_BYTES


# --- architecture -------------------------------------------------------------------------------------------------


def all_text(fig: go.Figure) -> str:
    return " ".join(str(t) for trace in fig.data for t in (trace.text or ()) + tuple(trace.hovertext or ()))


def test_architecture_draws_the_live_components(big: Cluster) -> None:
    fig = F.architecture(big)
    text = all_text(fig)
    for label in ("kube-apiserver", "etcd", "kube-scheduler", "cloud-controller-manager", "ReplicaSet controller"):
        assert label in text
    assert "Deployments, ReplicaSets, Pods" in text  # what the Deployment controller watches
    assert "… and 16 Nodes more (16 Ready)" in text
    assert size(fig) < MAX_FIGURE_BYTES


def test_architecture_shows_a_kubelet_down() -> None:
    cluster = Cluster(seed=0)
    cluster.add_nodes(2)
    cluster.run_for("10s")
    cluster.fail_node("node-2")
    text = all_text(F.architecture(cluster))
    assert "kubelet (down)" in text
    assert "no Nodes yet" in all_text(F.architecture(Cluster(seed=0)))


# --- frames -------------------------------------------------------------------------------------------------------


def test_pack_frames_pads_traces_and_names_frames() -> None:
    one = go.Figure([go.Scatter(x=[1], y=[1])], layout={"title": {"text": "one"}})
    two = go.Figure([go.Scatter(x=[1], y=[2]), go.Scatter(x=[2], y=[2])], layout={"title": {"text": "two"}})
    fig = FR.pack_frames([one, two], ["a", "b"], prefix="k = ")
    assert [len(f.data) for f in fig.frames] == [2, 2]
    assert [f.name for f in fig.frames] == ["a", "b"] and fig.frames[1].layout.title.text == "two"
    assert [s.label for s in fig.layout.sliders[0].steps] == ["a", "b"]
    with pytest.raises(FR.FramesError, match="2 figures but 1 labels"):
        FR.pack_frames([one, two], ["a"])
    with pytest.raises(FR.FramesError, match="labels must be distinct"):
        FR.pack_frames([one, two], ["a", "a"])


def test_over_parameter_runs_the_model_per_value() -> None:
    def replicas(n: int) -> go.Figure:
        cluster = Cluster(seed=1)
        cluster.add_nodes(2)
        cluster.run_for("15s")
        cluster.apply(deployment("web", n))
        cluster.run_for("30s")
        return F.topology(cluster)

    fig = FR.over_parameter(replicas, [1, 3], prefix="replicas: ")
    assert [f.name for f in fig.frames] == ["1", "3"]
    assert "2 Nodes (2 Ready), 3 Pods" in fig.frames[1].layout.title.text
    with pytest.raises(FR.FramesError, match="returned a str, not a plotly Figure"):
        FR.over_parameter(lambda v: "oops", [1])


def test_over_time_is_deterministic_and_applies_actions() -> None:
    def story() -> go.Figure:
        cluster = Cluster(seed=3)
        cluster.add_nodes(2)
        cluster.run_for("15s")
        cluster.apply(deployment("web", 4))
        return FR.over_time(
            cluster, F.topology, duration="2m", step="30s", actions=[("30s", lambda c: c.fail_node("node-1"))]
        )

    fig = story()
    assert [f.name for f in fig.frames] == ["0:00", "0:30", "1:00", "1:30", "2:00"]
    assert fig.layout.updatemenus[0].buttons[0].label == "▶ play"
    assert "1 Ready" in fig.frames[-1].layout.title.text  # node-1 crashed at 0:30, NotReady 50 s later
    assert fig.to_json() == story().to_json()
    with pytest.raises(FR.FramesError, match="step must be positive"):
        FR.over_time(Cluster(seed=0), F.topology, duration="1m", step=0)


def test_graph_reuse_gives_the_same_figure(small: Cluster) -> None:
    g = G.cluster_graph(small)
    assert F.topology(small, graph=g).to_json() == F.topology(small).to_json()


def test_every_figure_carries_the_books_template_exactly() -> None:
    """Not plotly's default merged with it: update_layout(template=<dict>) merges, so style.apply assigns."""
    fig = style.apply(go.Figure(go.Scatter(x=[0, 1], y=[1, 2])), "t", xaxis={"title": {"text": "x"}})
    assert fig.layout.template.to_plotly_json() == style.TEMPLATE_JSON
    assert fig.layout.title.text == "t" and fig.layout.xaxis.title.text == "x"
