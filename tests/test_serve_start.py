"""Where a served cluster's clock starts (``python -m k8smodel serve --start``, ``Cluster(seed, start=...)``).

kubectl computes some ages itself, from the wall clock (``describe``, the events of ``get -w``), so a cluster served
to kubectl starts its simulated clock at the wall clock's time; the ages the server prints (Table cells) must then
count from that start too, not from :data:`k8smodel.sim.EPOCH`. Notebooks keep ``EPOCH``.
"""

from __future__ import annotations

import http.client
import json
from datetime import UTC, datetime, timedelta

import pytest

from k8smodel import Cluster
from k8smodel.__main__ import main, start_time, wall_clock_start
from k8smodel.serve import serve
from k8smodel.sim import EPOCH
from k8smodel.views import tables

START = datetime(2027, 3, 14, 15, 9, 26, tzinfo=UTC)
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n"


def test_start_option_values():
    assert start_time("epoch") == EPOCH
    assert start_time("2027-03-14T15:09:26Z") == START
    assert start_time("2027-03-14T15:09:26") == START  # no zone: UTC
    assert start_time("2027-03-14T16:09:26+01:00") == START
    now = start_time("now")
    assert now.tzinfo is not None and now.microsecond == 0
    assert wall_clock_start().microsecond == 0
    with pytest.raises(ValueError, match='--start must be "now", "epoch" or an RFC 3339 time'):
        start_time("yesterday")


def test_main_refuses_a_bad_start(capsys):
    assert main(["serve", "--start", "yesterday", "--port", "0"]) == 2
    assert "--start must be" in capsys.readouterr().err


def test_cluster_start_stamps_objects_from_it():
    cluster = Cluster(seed=0, start=START)
    cluster.run_for("10s")
    cluster.apply(CONFIGMAP)
    obj = cluster.api.get("configmaps", "settings", "default")
    assert obj["metadata"]["creationTimestamp"] == "2027-03-14T15:09:36Z"
    assert Cluster(seed=0).sim.start == EPOCH  # the default, for notebooks


def test_tables_count_ages_from_the_simulations_start():
    cluster = Cluster(seed=0, start=START)
    cluster.apply(CONFIGMAP)
    cluster.run_for("90s")
    items, _ = cluster.api.list("configmaps", "default")
    frame = tables.get_table(items, "configmaps", cluster.sim.now, start=cluster.sim.start)
    assert frame["AGE"].tolist() == ["90s"]
    assert tables.epoch_seconds(cluster.sim.now, START) == (START - EPOCH).total_seconds() + 90
    assert tables.epoch_seconds(90.0) == 90.0  # EPOCH: the float itself, unchanged
    assert tables.epoch_seconds(START + timedelta(seconds=5)) == (START - EPOCH).total_seconds() + 5
    cluster.apply("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n")
    svc = cluster.api.get("services", "web", "default")
    event = {
        "involvedObject": {"kind": "Service", "name": "web", "namespace": "default", "uid": svc["metadata"]["uid"]},
        "reason": "Tested",
        "message": "an event a minute after the start",
        "type": "Normal",
        "source": {"component": "test"},
        "firstTimestamp": "2027-03-14T15:10:26Z",
        "lastTimestamp": "2027-03-14T15:10:26Z",
        "count": 1,
    }
    text = tables.describe(svc, events=[event], now=cluster.sim.now, start=cluster.sim.start)
    assert "Normal  Tested  30s   test  an event a minute after the start" in text


def test_served_table_ages_count_from_the_start():
    cluster = Cluster(seed=0, start=START)
    cluster.apply(CONFIGMAP)
    with serve(cluster, speed=0) as server:
        server.run_for("2m")
        conn = http.client.HTTPSConnection(server.host, server.port, timeout=10, context=server.ssl_context())
        conn.request(
            "GET",
            "/api/v1/namespaces/default/configmaps",
            headers={
                "Authorization": f"Bearer {server.token}",
                "Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
            },
        )
        table = json.loads(conn.getresponse().read())
        conn.close()
    names = [c["name"] for c in table["columnDefinitions"]]
    assert table["rows"][0]["cells"][names.index("Age")] == "2m"
