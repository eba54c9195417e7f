"""The API server's and etcd's speed paths (issue 4's budgets) answer exactly as the general ones do.

Each test runs the same requests twice, on two API servers built alike: once the quick way and once with the quick
way turned off (so the general pipeline answers), and compares everything a reader could see — the returned object
or the error (code, reason, message), etcd's every stored version, the event log and the random streams the server
draws from. Cases cover the answers that are not the quick way's (conflicts, 401/403/404/409/422, missing and
terminating namespaces, objects being deleted), where the quick way must hand over to the general one untouched.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from typing import Any

import pytest

from k8smodel.api.errors import StatusError
from k8smodel.apiserver import APIServer
from k8smodel.apiserver import server as server_module
from k8smodel.apiserver.authn import ADMIN, AUTHENTICATED_GROUP, UserInfo
from k8smodel.etcd import Compare, Op, Store
from k8smodel.sim import Simulation

NODE = UserInfo("system:node:node-1", ("system:nodes", AUTHENTICATED_GROUP))  # no RBAC binding: 403 everywhere
TOKEN_USER = UserInfo("alice", ("system:masters", AUTHENTICATED_GROUP))


def _server(seed: int, general: bool) -> APIServer:
    sim = Simulation(seed)
    api = APIServer(sim, tokens={"secret-token": TOKEN_USER})
    if general:  # the quick ways say "not mine": the general pipeline answers every request
        api._create_lean = lambda *a, **k: None  # type: ignore[method-assign]
        api._update_lean = lambda *a, **k: None  # type: ignore[method-assign]
        api._get_lean = lambda *a, **k: server_module._HAND_OVER  # type: ignore[method-assign]
    return api


def _answer(fn: Callable[[], Any]) -> Any:
    try:
        return ("ok", copy.deepcopy(fn()))
    except StatusError as err:
        return ("error", err.code, err.reason, str(err))


def _state(api: APIServer) -> Any:
    events = api.sim.events()
    return (
        {key: list(versions) for key, versions in api.store._versions.items()},
        api.store.revision,
        events.to_dict("list"),
        api._uid_rng.getstate(),
        api._name_rng.getstate(),
    )


def _lease(name: str, namespace: str = "kube-node-lease", **spec: Any) -> dict:
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, **spec},
    }


def _event(name: str, namespace: str = "default", involved_ns: str | None = None, **extra: Any) -> dict:
    ns = namespace if involved_ns is None else involved_ns
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": namespace},
        "involvedObject": {"kind": "Pod", "apiVersion": "v1", "namespace": ns, "name": "web", "uid": "u-1"},
        "reason": "Started",
        "message": "Started container web",
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": "2026-01-01T00:00:00Z",
        "lastTimestamp": "2026-01-01T00:00:00Z",
        "count": 1,
        "type": "Normal",
        "eventTime": None,
        "reportingComponent": "kubelet",
        "reportingInstance": "node-1",
        **extra,
    }


def _random_requests(api: APIServer, seed: int, steps: int = 150) -> list[Any]:
    """Owned creates of Events and Leases, owned Lease updates and reads-if-changed, good and bad, seeded."""
    rng = random.Random(seed)
    answers: list[Any] = []
    latest: dict[str, dict] = {}
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "doomed"}})
    api.create(
        _lease("held", "doomed", leaseDurationSeconds=10)
        | {"metadata": {"name": "held", "namespace": "doomed", "finalizers": ["example.com/keep"]}}
    )
    for step in range(steps):
        api.sim.env._now += rng.choice([0.0, 0.25, 1.0])
        action = rng.randrange(10)
        name = f"n{rng.randrange(5)}"
        user: Any = rng.choice([ADMIN, ADMIN, ADMIN, NODE, "secret-token", "bad-token"])
        if action == 0 and step == steps // 2:
            answers.append(_answer(lambda: api.delete("namespaces", "doomed")))
        if action <= 2:  # an owned Event create, sometimes clashing, sometimes invalid
            ev = _event(f"web.{rng.randrange(8)}", rng.choice(["default", "default", "nowhere", "doomed"]))
            if rng.random() < 0.15:
                ev["involvedObject"]["namespace"] = "elsewhere"  # 422: does not match event.namespace
            if rng.random() < 0.1:
                ev["metadata"]["resourceVersion"] = "7"  # 500
            ns_arg = rng.choice([None, None, ev["metadata"]["namespace"], "kube-system"])
            answers.append(_answer(lambda ev=ev, u=user, ns=ns_arg: api._create_owned(ev, namespace=ns, user=u)))
        elif action <= 4:  # an owned Lease create
            answers.append(_answer(lambda u=user, n=name: api._create_owned(_lease(n), user=u)))
        elif action <= 8:  # an owned Lease update: renewals, stale or absent resourceVersions, bad specs, no-ops
            base = latest.get(name) or _lease(name)
            lease = {**base, "metadata": dict(base["metadata"]), "spec": dict(base["spec"])}
            lease["spec"]["renewTime"] = api.sim.rfc3339_micro()
            roll = rng.random()
            if roll < 0.1:
                lease["metadata"]["resourceVersion"] = "1"
            elif roll < 0.2:
                lease["metadata"].pop("resourceVersion", None)
            elif roll < 0.3:
                lease["spec"]["leaseDurationSeconds"] = 0  # 422
            elif roll < 0.35:
                lease["metadata"]["uid"] = "another"  # 422: immutable
            elif roll < 0.4:
                lease = {**latest.get("held", _lease("held", "doomed"))}  # the Lease being deleted
                lease["metadata"] = {**lease["metadata"], "finalizers": []}
            answer = _answer(lambda lease=lease, u=user: api._update_owned(lease, user=u))
            if answer[0] == "ok":
                latest[answer[1]["metadata"]["name"]] = answer[1]
            answers.append(answer)
        else:  # a read that may be unchanged
            known = latest.get(name)
            rv = known["metadata"]["resourceVersion"] if known and rng.random() < 0.7 else rng.choice([None, "3"])
            answers.append(
                _answer(lambda n=name, rv=rv, u=user: api._get_if_changed("leases", n, "kube-node-lease", rv, user=u))
            )
        if step == steps // 3:
            answers.append(_answer(lambda: api.delete("leases", "held", "doomed")))
    return answers


@pytest.mark.parametrize("seed", range(8))
def test_owned_creates_updates_and_reads_answer_as_the_general_pipeline(seed: int) -> None:
    quick, general = _server(seed, False), _server(seed, True)
    assert _random_requests(quick, seed) == _random_requests(general, seed)
    assert _state(quick) == _state(general)


def test_the_quick_ways_are_taken_and_hand_over_untouched() -> None:
    # the shorter ways really answer the usual requests (else the test above would compare the general path with
    # itself), and a request they hand over has drawn nothing and written nothing
    api = _server(0, False)
    event = api._create_owned(_event("web.1"))
    assert api._create_lean(_event("web.2"), None, ADMIN) is not None
    lease = api._create_owned(_lease("node-1"))
    renewed = {**lease, "metadata": dict(lease["metadata"]), "spec": {**lease["spec"], "renewTime": "x"}}
    assert api._update_lean(renewed, ADMIN) is not None
    rv = renewed["metadata"]["resourceVersion"]
    assert api._get_if_changed("leases", "node-1", "kube-node-lease", rv) is None
    assert event["metadata"]["uid"]
    before = (api.store.revision, api._uid_rng.getstate())
    assert api._create_lean(_event("web.3", "nowhere"), None, ADMIN) is None
    assert api._create_lean(_event("web.4", involved_ns="other"), None, ADMIN) is None  # invalid: the general 422
    assert api._update_lean({**renewed, "metadata": {**renewed["metadata"], "resourceVersion": "2"}}, ADMIN) is None
    assert (api.store.revision, api._uid_rng.getstate()) == before


@pytest.mark.parametrize("seed", range(6))
def test_an_owned_status_patch_gives_what_a_copied_one_gives(seed: int) -> None:
    # APIServer._patch_owned takes a Pod's status the short way (_patch_status_lean) and merges the body as it is
    # (server.merge_patch) instead of a deep copy of it (_merge_patch_owned): the answers, the stored objects and
    # the log are those of the general path and of a plain patch
    def run(variant: str) -> Any:
        rng = random.Random(seed)
        api = APIServer(Simulation(seed))
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "doomed"}})
        uids = {}
        pods = [("default", "web", {}), ("default", "kept", {"finalizers": ["example.com/keep"]}), ("doomed", "db", {})]
        for ns, name, extra in pods:
            pod = {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": name, "namespace": ns, **extra},
                "spec": {"nodeName": "node-1", "containers": [{"name": "web", "image": "nginx:1.27"}]},
            }
            uids[name] = api.create(pod)["metadata"]["uid"]
        if variant == "general":
            api._patch_status_lean = lambda *a, **k: None  # type: ignore[method-assign]
        patch = api.patch if variant == "copied" else api._patch_owned
        answers = []
        for step in range(60):
            api.sim.env._now += 1.0
            name = rng.choice(["web", "web", "kept", "db", "gone"])
            ns = "doomed" if name == "db" else rng.choice(["default", "default", None])
            ready = rng.random() < 0.5
            status: dict[str, Any] = {
                "phase": rng.choice(["Running", "Running", "Pending"]),
                "conditions": [{"type": "Ready", "status": "True" if ready else "False", "lastProbeTime": None}],
                "containerStatuses": [{"name": "web", "ready": ready, "restartCount": 0, "state": {"running": {}}}],
                "podIP": rng.choice(["10.244.0.5", None, "not-an-ip"]),
            }
            body: dict[str, Any] = {"metadata": {"uid": uids.get(name, "x")}, "status": status}
            roll = rng.random()
            if roll < 0.08:
                body["status"]["qosClass"] = "Guaranteed"  # 422: immutable
            elif roll < 0.16:
                body["metadata"]["resourceVersion"] = rng.choice(["1", "2"])  # 409, or the right one by chance
            elif roll < 0.2:
                body["metadata"]["uid"] = "another"  # 422
            elif roll < 0.24:
                body = {"metadata": {"name": "other"}, "status": status}  # 400: name mismatch
            elif roll < 0.28:
                body["metadata"] = None  # 400: metadata removed
            user = rng.choice([ADMIN, ADMIN, NODE, "secret-token"])

            def request(b: Any = body, n: str = name, ns: Any = ns, u: Any = user) -> Any:
                return patch("pods", n, ns, b, subresource="status", user=u)

            answers.append(_answer(request))
            if step == 20:
                answers.append(_answer(lambda: api.delete("pods", "kept", "default", grace_period_seconds=0)))
            if step == 30:
                answers.append(_answer(lambda: api.delete("namespaces", "doomed")))
        return answers, _state(api)

    quick = run("lean")
    assert quick == run("general") == run("copied")
    assert any(a[0] == "ok" for a in quick[0]) and len({a[1] for a in quick[0] if a[0] == "error"}) >= 4


@pytest.mark.parametrize("seed", range(5))
def test_conditional_put_and_delete_are_the_transaction(seed: int) -> None:
    # etcd.Store._put_if / _delete_if against txn([Compare.mod_revision(key, "=", rev)], [Op.put / Op.delete])
    rng = random.Random(seed)
    quick, general = Store(), Store()
    seen: list[list[Any]] = [[], []]
    for i, store in enumerate((quick, general)):
        store.watch("/", callback=lambda events, i=i: seen[i].extend(events))
        store.watch("/a", prefix=False)
    for _ in range(300):
        key = rng.choice(["/a", "/b", "/c"])
        current = general.get(key)
        rev = rng.choice([0, current.mod_revision if current else 0, 1])
        if rng.random() < 0.7:
            value = rng.choice([b"x", b"y", b"z"])
            got = quick._put_if(key, rev, value)
            result = general.txn([Compare.mod_revision(key, "=", rev)], [Op.put(key, value)])
        else:
            got = quick._delete_if(key, rev)
            result = general.txn([Compare.mod_revision(key, "=", rev)], [Op.delete(key)])
        assert got == (result.revision if result.succeeded else 0)
        assert quick._history == general._history and quick.revision == general.revision
    assert seen[0] == seen[1]


def test_the_fan_out_is_not_called_for_kinds_nobody_watches() -> None:
    # watch.py WatchFanout._ignores: etcd skips its one watch for a change to an unwatched kind; watched kinds still
    # arrive, and a kind watched later arrives from then on
    api = APIServer(Simulation(0))
    calls: list[str] = []
    original = api.fanout._on_events

    def spy(events: list[Any]) -> None:
        calls.extend(e.kv.key for e in events)
        original(events)

    api.fanout._on_events = spy  # type: ignore[method-assign]
    pods = api.watch("pods", "default")
    api.fanout._etcd_watch._callback = spy  # type: ignore[union-attr]
    api.create(_event("web.1"))
    api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "web", "image": "nginx"}]},
        }
    )
    assert calls == ["/registry/pods/default/web"]
    events = api.watch("events", "default")
    api.create(_event("web.2"))
    assert calls[-1] == "/registry/events/default/web.2"
    assert [o["metadata"]["name"] for _, o in pods.drain()] == ["web"]
    assert [o["metadata"]["name"] for _, o in events.drain()] == ["web.1", "web.2"]  # web.1 from the initial list


@pytest.mark.parametrize("seed", range(6))
def test_a_replay_carries_the_versions_a_live_watch_saw_replaced(seed: int, tmp_path: Any) -> None:
    # etcd.Store keeps only the new version of each change and finds the replaced one in the key's history
    # (_prev_of): a replay from any revision must give what a live watch got, except that a change at exactly the
    # compaction point has lost its prev_kv; the same after a snapshot and restore
    rng = random.Random(seed)
    store = Store()
    live: list[Any] = []
    store.watch("", callback=live.extend)
    compacted = -1
    for step in range(400):
        key = rng.choice(["/a", "/b", "/b/c", "/d"])
        roll = rng.random()
        if roll < 0.55:
            store.put(key, rng.choice([b"1", b"2", b"3"]))
        elif roll < 0.75:
            store.delete(key)
        elif roll < 0.85:
            store.delete_prefix(rng.choice(["/b", "/"]))
        elif roll < 0.95:
            store.txn([], [Op.put("/a", b"t"), Op.delete("/d"), Op.put("/b/c", b"u")])
        elif store.revision > compacted + 5 and step % 3 == 0:
            compacted = rng.randrange(max(compacted + 1, 2), store.revision + 1)
            store.compact(compacted)
    store.snapshot(tmp_path / "snap")
    restored = Store.restore(tmp_path / "snap")
    for candidate in (store, restored):
        for start in [max(compacted, 1), compacted + 1, store.revision - 10, store.revision]:
            if start < 1:
                continue
            expected = [
                e._replace(prev_kv=None) if e.kv.mod_revision == compacted else e
                for e in live
                if e.kv.mod_revision >= start
            ]
            replay = candidate.watch("", start)
            assert replay.drain() == expected
            replay.cancel()
