"""Tests for the API server's request pipeline (k8smodel.apiserver)."""

from __future__ import annotations

import copy

import pytest

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.apiserver import ADMIN, APIServer, UserInfo, merge_patch
from k8smodel.apiserver.registry import NAME_ALPHABET
from k8smodel.client import Expired, Informer
from k8smodel.sim import Simulation

RBAC = "rbac.authorization.k8s.io"


@pytest.fixture
def sim():
    return Simulation(seed=7)


@pytest.fixture
def api(sim):
    return APIServer(sim, tokens={"alice-token": UserInfo("alice")})


def pod(name="web", labels=None, **spec):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec},
    }


def deployment(name="web", replicas=2):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }


def namespace(name):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def grant(api, user, verbs, resources, namespace="default", groups=("",)):
    api.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "Role",
            "metadata": {"name": f"{user}-role", "namespace": namespace},
            "rules": [{"apiGroups": list(groups), "resources": list(resources), "verbs": list(verbs)}],
        }
    )
    api.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "RoleBinding",
            "metadata": {"name": f"{user}-binding", "namespace": namespace},
            "roleRef": {"apiGroup": RBAC, "kind": "Role", "name": f"{user}-role"},
            "subjects": [{"apiGroup": RBAC, "kind": "User", "name": user}],
        }
    )


def rejected(api, fn, *args, **kwargs) -> StatusError:
    """Run a request that must fail; check it changed nothing in etcd."""
    before = api.store.revision
    with pytest.raises(StatusError) as info:
        fn(*args, **kwargs)
    assert api.store.revision == before
    return info.value


# --- bootstrap, create, get, list -------------------------------------------------------------------------------


def test_bootstrap_objects(api):
    assert api.get("clusterroles", "cluster-admin")["rules"][0]["verbs"] == ["*"]
    binding = api.get("clusterrolebindings", "cluster-admin")
    assert binding["subjects"][0]["name"] == "system:masters"
    names = [ns["metadata"]["name"] for ns in api.list("namespaces")[0]]
    assert names == ["default", "kube-node-lease", "kube-public", "kube-system"]


def test_create_sets_server_fields(api, sim):
    sim.run(5)
    created = api.create(deployment())
    meta = created["metadata"]
    assert meta["namespace"] == "default"
    assert meta["generation"] == 1
    assert meta["creationTimestamp"] == "2026-01-01T00:00:05Z"
    assert meta["resourceVersion"] == str(api.store.revision)
    assert len(meta["uid"]) == 36 and meta["uid"][14] == "4"
    assert created["status"] == {}
    assert api.get("deployments", "web") == created


def test_uids_are_deterministic():
    uids = []
    for _ in range(2):
        api = APIServer(Simulation(seed=3))
        uids.append([api.create(pod(f"p{i}"))["metadata"]["uid"] for i in range(3)])
    assert uids[0] == uids[1]
    assert len(set(uids[0])) == 3


def test_create_does_not_change_the_callers_dict(api):
    obj = pod()
    original = copy.deepcopy(obj)
    api.create(obj)
    assert obj == original


def test_pod_create_status_and_default_tolerations(api):
    p = api.create(pod())
    assert p["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    assert p["spec"]["tolerations"] == [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        {
            "key": "node.kubernetes.io/unreachable",
            "operator": "Exists",
            "effect": "NoExecute",
            "tolerationSeconds": 300,
        },
    ]


def test_default_toleration_seconds_respects_existing_tolerations(api):
    mine = {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5}
    p = api.create(pod(tolerations=[mine]))
    assert [t["key"] for t in p["spec"]["tolerations"]] == [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ]
    assert p["spec"]["tolerations"][0]["tolerationSeconds"] == 5
    everything = {"operator": "Exists"}  # empty key and effect tolerate every taint
    assert api.create(pod("p2", tolerations=[everything]))["spec"]["tolerations"] == [everything]


def test_already_exists(api):
    api.create(pod())
    err = rejected(api, api.create, pod())
    assert str(err) == 'pods "web" already exists'
    assert errors.is_already_exists(err)


def test_namespace_mismatch_is_bad_request(api):
    obj = pod()
    obj["metadata"]["namespace"] = "kube-system"
    err = rejected(api, api.create, obj, namespace="default")
    assert err.code == 400
    assert str(err) == "the namespace of the provided object does not match the namespace sent on the request"


def test_get_not_found(api):
    err = rejected(api, api.get, "deployments", "nope")
    assert str(err) == 'deployments.apps "nope" not found'
    assert err.status()["details"] == {"name": "nope", "group": "apps", "kind": "deployments"}


def test_unknown_resource(api):
    err = rejected(api, api.get, "widgets", "x")
    assert str(err) == 'the server doesn\'t have a resource type "widgets"'


def test_list_with_label_and_field_selectors(api):
    api.create(pod("a", {"app": "web"}))
    api.create(pod("b", {"app": "db"}))
    api.create(pod("c", {"app": "web", "tier": "fe"}))
    api.bind("c", "default", "node-1")
    items, rv = api.list("pods", "default", label_selector="app=web")
    assert [p["metadata"]["name"] for p in items] == ["a", "c"]
    assert rv == str(api.store.revision)
    assert [p["metadata"]["name"] for p in api.list("pods", field_selector="spec.nodeName=node-1")[0]] == ["c"]
    assert [p["metadata"]["name"] for p in api.list("pods", field_selector="spec.nodeName=")[0]] == ["a", "b"]
    names = [
        p["metadata"]["name"]
        for p in api.list("po", label_selector={"app": "web"}, field_selector="status.phase=Pending")[0]
    ]
    assert names == ["a", "c"]
    assert [p["metadata"]["name"] for p in api.list("pods", field_selector="metadata.name!=a")[0]] == ["b", "c"]
    err = rejected(api, api.list, "pods", field_selector="spec.foo=bar")
    assert err.code == 400 and str(err) == "field label not supported: spec.foo"
    assert rejected(api, api.list, "pods", label_selector="app in (").code == 400


def test_list_across_namespaces(api):
    api.create(namespace("dev"))
    api.create(pod("a"), namespace="dev")
    api.create(pod("b"))
    assert [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in api.list("pods")[0]] == [
        ("default", "b"),
        ("dev", "a"),
    ]


# --- update, generation, conflicts ------------------------------------------------------------------------------


def test_update_conflict_then_retry(api):
    d = api.create(deployment())
    stale = copy.deepcopy(d)
    d["spec"]["replicas"] = 3
    api.update(d)
    stale["spec"]["replicas"] = 5
    err = rejected(api, api.update, stale)
    assert str(err) == (
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert err.code == 409 and errors.is_conflict(err)
    fresh = api.get("deployments", "web")  # read again and retry: optimistic concurrency
    fresh["spec"]["replicas"] = 5
    assert api.update(fresh)["spec"]["replicas"] == 5


def test_update_without_resource_version_is_unconditional(api):
    api.create(deployment())
    d = deployment()
    d["spec"]["replicas"] = 4
    assert api.update(d)["spec"]["replicas"] == 4


def test_generation_bumps_on_spec_change_only(api):
    d = api.create(deployment())
    d["metadata"]["labels"] = {"team": "a"}
    d = api.update(d)
    assert d["metadata"]["generation"] == 1
    d["spec"]["replicas"] = 9
    d = api.update(d)
    assert d["metadata"]["generation"] == 2
    d["metadata"]["annotations"] = {"note": "x"}  # a Deployment counts annotation changes too
    assert api.update(d)["metadata"]["generation"] == 3


def test_noop_update_writes_nothing(api):
    d = api.create(deployment())
    before = api.store.revision
    assert api.update(d)["metadata"]["resourceVersion"] == d["metadata"]["resourceVersion"]
    assert api.store.revision == before


def test_status_subresource(api):
    d = api.create(deployment())
    d["status"] = {"replicas": 2}
    d = api.update(d)  # status through the main resource is ignored
    assert d["status"] == {}
    d["status"] = {"replicas": 2, "observedGeneration": 1}
    d["spec"]["replicas"] = 7  # spec through /status is ignored
    d = api.update_status(d)
    assert d["status"] == {"replicas": 2, "observedGeneration": 1}
    assert d["spec"]["replicas"] == 2
    assert d["metadata"]["generation"] == 1
    assert api.get("deployments", "web")["status"]["replicas"] == 2


def test_immutable_metadata_is_preserved(api):
    d = api.create(deployment())
    changed = copy.deepcopy(d)
    changed["metadata"]["creationTimestamp"] = "2030-01-01T00:00:00Z"
    changed["metadata"]["generation"] = 42
    changed["spec"]["replicas"] = 3
    out = api.update(changed)
    assert out["metadata"]["creationTimestamp"] == d["metadata"]["creationTimestamp"]
    assert out["metadata"]["generation"] == 2


def test_patch(api):
    api.create(deployment())
    out = api.patch("deployments", "web", "default", {"spec": {"replicas": 5}, "metadata": {"labels": {"a": "b"}}})
    assert out["spec"]["replicas"] == 5 and out["metadata"]["labels"] == {"a": "b"}
    out = api.patch("deploy", "web", None, {"metadata": {"labels": {"a": None}}})
    assert out["metadata"].get("labels", {}) == {}
    stale = {"metadata": {"resourceVersion": "2"}, "spec": {"replicas": 1}}
    assert errors.is_conflict(rejected(api, api.patch, "deployments", "web", "default", stale))
    assert errors.is_not_found(rejected(api, api.patch, "deployments", "nope", "default", {"spec": {}}))


def test_merge_patch_rfc7386():
    # RFC 7386 appendix A, a few of its cases
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch([1, 2], {"a": "b", "c": None}) == {"a": "b"}
    assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}


# --- binding ----------------------------------------------------------------------------------------------------


def test_bind_and_already_bound(api, sim):
    api.create(pod())
    sim.run(3)
    answer = api.bind("web", "default", "node-1")
    assert answer == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}
    bound = api.get("pods", "web")
    assert bound["spec"]["nodeName"] == "node-1"
    assert bound["status"]["conditions"] == [
        {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": "2026-01-01T00:00:03Z"}
    ]
    err = rejected(api, api.bind, "web", "default", "node-2")
    assert (
        str(err) == 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"'
    )
    assert err.status()["details"] == {"name": "web", "kind": "pods/binding"}
    assert errors.is_not_found(rejected(api, api.bind, "ghost", "default", "node-1"))


# --- delete -----------------------------------------------------------------------------------------------------


def test_unscheduled_pod_is_deleted_at_once(api):
    api.create(pod())
    api.delete("pods", "web")
    assert errors.is_not_found(rejected(api, api.get, "pods", "web"))


def test_graceful_pod_deletion(api, sim):
    api.create(pod())
    api.bind("web", "default", "node-1")
    sim.run(10)
    out = api.delete("pods", "web")
    assert out["metadata"]["deletionTimestamp"] == "2026-01-01T00:00:40Z"  # now + terminationGracePeriodSeconds 30
    assert out["metadata"]["deletionGracePeriodSeconds"] == 30
    assert api.get("pods", "web")["metadata"]["deletionTimestamp"] == "2026-01-01T00:00:40Z"
    # deleting again with the same grace period changes nothing; a shorter one moves the deadline earlier
    before = api.store.revision
    api.delete("pods", "web")
    assert api.store.revision == before
    out = api.delete("pods", "web", grace_period_seconds=10)
    assert out["metadata"]["deletionTimestamp"] == "2026-01-01T00:00:20Z"
    # the kubelet finishes with grace period 0
    api.delete("pods", "web", grace_period_seconds=0)
    assert errors.is_not_found(rejected(api, api.get, "pods", "web"))


def test_finalizers_hold_deletion_until_removed(api):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "finalizers": ["example.com/hold"]}}
    api.create(cm)
    out = api.delete("configmaps", "cfg")
    assert out["metadata"]["deletionTimestamp"] and out["metadata"]["deletionGracePeriodSeconds"] == 0
    held = api.get("configmaps", "cfg")
    held["metadata"]["finalizers"] = []
    api.update(held)
    assert errors.is_not_found(rejected(api, api.get, "configmaps", "cfg"))


@pytest.mark.parametrize(("policy", "finalizer"), [("Orphan", "orphan"), ("Foreground", "foregroundDeletion")])
def test_propagation_policy_adds_gc_finalizers(api, policy, finalizer):
    api.create(deployment())
    out = api.delete("deployments", "web", propagation_policy=policy)
    assert out["metadata"]["finalizers"] == [finalizer]
    assert api.get("deployments", "web")["metadata"]["deletionTimestamp"]


def test_background_deletion_is_immediate(api):
    api.create(deployment())
    api.delete("deployments", "web", propagation_policy="Background")
    assert errors.is_not_found(rejected(api, api.get, "deployments", "web"))
    assert rejected(api, api.delete, "deployments", "web").code == 404
    api.create(deployment())
    assert rejected(api, api.delete, "deployments", "web", propagation_policy="Sideways").code == 422


def test_delete_preconditions(api):
    d = api.create(deployment())
    err = rejected(api, api.delete, "deployments", "web", preconditions={"uid": "other"})
    assert str(err) == (
        f'Operation cannot be fulfilled on Deployment.apps "web": the UID in the precondition (other) does not '
        f"match the UID in record ({d['metadata']['uid']}). The object might have been deleted and then recreated"
    )
    api.delete("deployments", "web", preconditions={"uid": d["metadata"]["uid"]})


def test_namespace_deletion_and_lifecycle(api):
    api.create(namespace("dev"))
    out = api.delete("namespaces", "dev")
    assert out["status"]["phase"] == "Terminating"
    err = rejected(api, api.create, pod(), namespace="dev")
    assert str(err) == (
        'pods "web" is forbidden: unable to create new content in namespace dev because it is being terminated'
    )
    assert err.status()["details"]["causes"] == [
        {
            "reason": "NamespaceTerminating",
            "message": "namespace dev is being terminated",
            "field": "metadata.namespace",
        }
    ]
    ns = api.get("namespaces", "dev")
    ns["spec"]["finalizers"] = []
    api.finalize_namespace(ns)  # ShouldDeleteNamespaceDuringUpdate: the last finalizer gone, the namespace goes
    assert errors.is_not_found(rejected(api, api.get, "namespaces", "dev"))


def test_namespace_lifecycle_missing_and_immortal(api):
    err = rejected(api, api.create, pod(), namespace="nowhere")
    assert str(err) == 'namespaces "nowhere" not found'
    err = rejected(api, api.delete, "namespaces", "kube-system")
    assert str(err) == 'namespaces "kube-system" is forbidden: this namespace may not be deleted'


# --- generateName -----------------------------------------------------------------------------------------------


def test_generate_name_is_deterministic():
    names = []
    for _ in range(2):
        api = APIServer(Simulation(seed=11))
        obj = pod()
        del obj["metadata"]["name"]
        obj["metadata"]["generateName"] = "web-"
        names.append([api.create(obj)["metadata"]["name"] for _ in range(3)])
    assert names[0] == names[1]
    for name in names[0]:
        assert name.startswith("web-") and len(name) == 9
        assert set(name[4:]) <= set(NAME_ALPHABET)


# --- authentication and authorization ---------------------------------------------------------------------------


def test_unknown_token_is_401(api):
    err = rejected(api, api.list, "pods", user="bogus")
    assert err.code == 401 and str(err) == "Unauthorized"


def test_anonymous_and_unbound_users_are_forbidden(api):
    err = rejected(api, api.list, "pods", "default", user=None)
    assert str(err) == (
        'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace '
        '"default"'
    )
    err = rejected(api, api.get, "pods", "web", user="alice-token")
    assert err.code == 403
    assert str(err) == (
        'pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "default"'
    )
    err = rejected(api, api.create, pod(), user="alice-token")
    assert str(err) == (
        'pods is forbidden: User "alice" cannot create resource "pods" in API group "" in the namespace "default"'
    )


def test_rbac_objects_in_the_api_server_take_effect(api):
    grant(api, "alice", ["get", "list", "create"], ["pods"])
    api.create(pod(), user="alice-token")
    assert api.get("pods", "web", user="alice-token")["metadata"]["name"] == "web"
    assert rejected(api, api.delete, "pods", "web", user="alice-token").code == 403
    assert rejected(api, api.list, "pods", "kube-system", user="alice-token").code == 403
    api.delete("rolebindings", "alice-binding")
    assert rejected(api, api.get, "pods", "web", user="alice-token").code == 403


def test_subresource_needs_its_own_permission(api):
    grant(api, "alice", ["update", "get"], ["pods"])
    api.create(pod())
    p = api.get("pods", "web", user="alice-token")
    err = rejected(api, api.update_status, p, user="alice-token")
    assert 'cannot update resource "pods/status"' in str(err)
    assert rejected(api, api.bind, "web", "default", "n1", user="alice-token").code == 403


def test_service_account_tokens(api):
    api.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot"}})
    token = api.issue_token("default", "robot")
    assert api.authenticate(token).name == "system:serviceaccount:default:robot"
    err = rejected(api, api.list, "pods", "default", user=token)
    assert 'User "system:serviceaccount:default:robot" cannot list' in str(err)
    api.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "robot-view"},
            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "cluster-admin"},
            "subjects": [{"kind": "ServiceAccount", "name": "robot", "namespace": "default"}],
        }
    )
    assert api.list("pods", "default", user=token)[0] == []
    api.delete("serviceaccounts", "robot")
    assert rejected(api, api.list, "pods", "default", user=token).code == 401


# --- admission: validation, dry run, schema; nothing changes on rejection ---------------------------------------


def test_invalid_object_is_422_and_changes_nothing(api):
    d = deployment()
    d["spec"]["replicas"] = -1
    err = rejected(api, api.create, d)
    assert err.code == 422
    assert str(err).startswith('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1')


def test_schema_check_for_manifests(api):
    d = deployment()
    d["spec"]["replicaz"] = 3
    err = rejected(api, api.create, d, from_manifest=True)
    assert err.code == 400
    assert str(err) == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.replicaz"'
    )
    err = rejected(api, api.create, {"apiVersion": "apps/v1", "kind": "Deploymnt", "metadata": {"name": "x"}})
    assert err.code == 404 and str(err) == 'no matches for kind "Deploymnt" in version "apps/v1"'


def test_dry_run_changes_nothing(api):
    before = api.store.revision
    out = api.create(deployment(), dry_run=True)
    assert out["metadata"]["uid"] and "resourceVersion" not in out["metadata"]
    assert api.store.revision == before
    assert errors.is_not_found(rejected(api, api.get, "deployments", "web"))
    api.create(pod())
    api.delete("pods", "web", dry_run=True)
    assert api.store.revision == before + 1


def test_every_request_is_logged(api, sim):
    api.create(pod())
    with pytest.raises(StatusError):
        api.create(pod())
    log = sim.events("api")
    last = log.iloc[-2:][["verb", "resource", "name", "code"]].values.tolist()
    assert last == [["create", "pods", "web", 201], ["create", "pods", "web", 409]]


# --- watch ------------------------------------------------------------------------------------------------------


def test_watch_events_in_order(api):
    w = api.watch("pods", "default", resource_version=str(api.store.revision))
    p = api.create(pod())
    p["metadata"]["labels"] = {"app": "x"}
    api.update(p)
    api.delete("pods", "web")
    events = w.drain()
    # a Pod's deletion first records deletionTimestamp (grace period 0 for an unscheduled Pod), then removes it
    assert [t for t, _ in events] == ["ADDED", "MODIFIED", "MODIFIED", "DELETED"]
    rvs = [int(o["metadata"]["resourceVersion"]) for _, o in events]
    assert rvs == sorted(rvs) and rvs[-1] == api.store.revision


def test_watch_replays_history_and_selector_transitions(api):
    start = str(api.store.revision)
    p = api.create(pod())
    p["metadata"]["labels"] = {"app": "db"}
    api.update(p)
    w = api.watch("pods", None, resource_version=start, label_selector="app=web")
    assert [t for t, _ in w.drain()] == ["ADDED", "DELETED"]  # stopped matching: DELETED


def test_watch_without_resource_version_starts_with_current_state(api):
    api.create(pod("a"))
    w = api.watch("pods")
    assert [(t, o["metadata"]["name"]) for t, o in w.drain()] == [("ADDED", "a")]
    w.stop()
    api.create(pod("b"))
    assert w.drain() == []


def test_watchers_share_one_decoded_object(api):
    seen = []
    for _ in range(3):
        api.watch("pods", resource_version=str(api.store.revision), callback=lambda t, o: seen.append(o))
    api.create(pod())
    assert len(seen) == 3 and seen[0] is seen[1] is seen[2]


def test_watch_from_compacted_revision_expires(api):
    old = str(api.store.revision)
    for i in range(3):
        api.create(pod(f"p{i}"))
    api.store.compact(api.store.revision)
    with pytest.raises(Expired):
        api.watch("pods", resource_version=old)


def test_informer_stays_in_sync(api, sim):
    informer = Informer(sim, api.lister_watcher("pods", "default"), name="pods")
    api.create(pod("a"))
    informer.start()
    assert [o["metadata"]["name"] for o in informer.list()] == ["a"]
    api.create(pod("b"))
    api.bind("b", "default", "n1")
    api.delete("pods", "a")
    assert [o["metadata"]["name"] for o in informer.list()] == ["b"]
    assert informer.get("default/b")["spec"]["nodeName"] == "n1"
    # the informer's watch expires after compaction: it relists and is in sync again
    informer.stop()
    api.create(pod("c"))
    api.store.compact(api.store.revision)
    informer2 = Informer(sim, api.lister_watcher("pods", "default"), name="pods2")
    informer2.start()
    api.create(pod("d"))
    listed = sorted(o["metadata"]["name"] for o in api.list("pods", "default")[0])
    assert sorted(o["metadata"]["name"] for o in informer2.list()) == listed == ["b", "c", "d"]


def test_admin_constant_is_a_master():
    assert "system:masters" in ADMIN.groups


def test_taint_nodes_by_condition_admission(api):
    """plugin/pkg/admission/nodetaint: a created Node gets the not-ready NoSchedule taint once, after the taints it
    has; an update is left alone."""
    not_ready = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}
    other = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
    plain = api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "a"}})
    assert plain["spec"]["taints"] == [not_ready]
    tainted = api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "b"}, "spec": {"taints": [other]}})
    assert tainted["spec"]["taints"] == [other, not_ready]
    already = api.create(
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "c"}, "spec": {"taints": [dict(not_ready)]}}
    )
    assert already["spec"]["taints"] == [not_ready]
    del plain["spec"]["taints"]
    assert "taints" not in api.update(plain)["spec"]  # only a create is tainted
