"""Cluster: kubectl's verbs over the API server, and the promise that bad input changes nothing."""

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8smodel.api.errors import StatusError
from k8smodel.cluster import ApplyError, Cluster

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""
NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
MANIFEST = NAMESPACE + "---" + DEPLOYMENT


@pytest.fixture
def cluster():
    return Cluster(seed=1)


def test_apply_creates_then_reports_unchanged_then_configured(cluster):
    assert str(cluster.apply(MANIFEST)) == "namespace/shop created\ndeployment.apps/web created"
    assert str(cluster.apply(MANIFEST)) == "namespace/shop unchanged\ndeployment.apps/web unchanged"
    result = cluster.apply(MANIFEST.replace("replicas: 3", "replicas: 5"))
    assert result.lines == ["namespace/shop unchanged", "deployment.apps/web configured"]
    stored = cluster.api.get("deployments", "web", "shop")
    assert stored["spec"]["replicas"] == 5
    assert stored["metadata"]["generation"] == 2  # a spec change bumps generation
    assert stored["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": "25%", "maxUnavailable": "25%"}


def test_unchanged_apply_writes_nothing(cluster):
    """GuaranteedUpdate skips a write that changes nothing: no new revision, no watch event."""
    cluster.apply(MANIFEST)
    before = cluster.etcd.revision
    assert cluster.apply(MANIFEST).lines[-1] == "deployment.apps/web unchanged"
    assert cluster.etcd.revision == before


def test_metadata_null_is_an_error_not_a_crash(cluster):
    with pytest.raises(ApplyError, match="name or generateName is required"):
        cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: null\n")


def test_dry_run_checks_everything_and_stores_nothing(cluster):
    before = cluster.etcd.revision
    result = cluster.apply(DEPLOYMENT.replace("namespace: shop", "namespace: default"), dry_run=True)
    assert result.lines == ["deployment.apps/web created (server dry run)"]
    assert cluster.etcd.revision == before


def test_dry_run_creates_nothing_that_later_documents_could_use(cluster):
    """As with kubectl --dry-run=server: the Namespace is not created, so the Deployment in it is refused."""
    with pytest.raises(ApplyError) as err:
        cluster.apply(MANIFEST, dry_run=True)
    assert err.value.lines == [
        "namespace/shop created (server dry run)",
        'Error from server (NotFound): error when creating "STDIN": namespaces "shop" not found',
    ]
    assert cluster.get("deploy", namespace="shop").empty


def test_get_table_yaml_and_describe(cluster):
    cluster.apply(MANIFEST)
    table = cluster.get("deploy", namespace="shop")
    assert list(table.columns) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert table.iloc[0].to_dict() == {"NAME": "web", "READY": "0/3", "UP-TO-DATE": 0, "AVAILABLE": 0, "AGE": "0s"}
    cluster.run_for("90s")
    assert cluster.get("deploy", namespace="shop").iloc[0]["AGE"] == "90s"
    text = cluster.get("deployment", "web", namespace="shop", output="yaml")
    assert yaml.safe_load(text)["spec"]["replicas"] == 3
    assert "Name:" in cluster.describe("deploy", "web", namespace="shop")
    assert "shop" in set(cluster.get("namespaces")["NAME"])


def test_bad_manifest_is_refused_whole_and_changes_nothing(cluster):
    bad = MANIFEST.replace("replicas: 3", "replicas: -1").replace("image: nginx:1.27", "image: ''")
    before = cluster.etcd.revision
    with pytest.raises(ApplyError) as err:
        cluster.apply(bad)
    assert str(err.value) == (
        'Error from server (Invalid): error when creating "STDIN": Deployment.apps "web" is invalid: '
        "[spec.replicas: Invalid value: -1: must be greater than or equal to 0, "
        "spec.template.spec.containers[0].image: Required value]"
    )
    assert cluster.etcd.revision == before  # not even the Namespace of the first document was created


def test_yaml_syntax_error_is_kubectl_shaped(cluster):
    with pytest.raises(ApplyError, match=r"^error: error parsing STDIN .*mapping values are not allowed"):
        cluster.apply("apiVersion: v1\nkind: Pod\nmetadata: name: x: y\n")


def test_unknown_kind(cluster):
    with pytest.raises(ApplyError, match='no matches for kind "Deploymnt" in version "apps/v1"'):
        cluster.apply(DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnt"))


def test_as_user_is_checked_by_rbac(cluster):
    alice = cluster.as_user("alice")
    with pytest.raises(StatusError) as err:
        alice.get("pods")
    assert err.value.code == 403
    assert str(err.value) == (
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"'
    )
    cluster.apply(
        """
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-reads-pods, namespace: default}
subjects:
- kind: User
  name: alice
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
"""
    )
    assert alice.get("pods").empty
    assert alice.user.name == "alice" and cluster.user.name == "kubernetes-admin"


def test_delete(cluster):
    cluster.apply(MANIFEST)
    assert cluster.delete("deploy", "web", namespace="shop") == 'deployment.apps "web" deleted'
    assert cluster.get("deploy", namespace="shop").empty
    with pytest.raises(StatusError, match=r'deployments\.apps "web" not found'):
        cluster.delete("deploy", "web", namespace="shop")


def test_same_seed_same_cluster():
    a, b = Cluster(seed=7), Cluster(seed=7)
    for c in (a, b):
        c.apply(MANIFEST)
    assert a.get("deploy", "web", namespace="shop", output="yaml") == b.get(
        "deploy", "web", namespace="shop", output="yaml"
    )


# Arbitrary YAML documents under real headers: apply either succeeds or raises ApplyError, and a refused apply
# leaves the store exactly as it was.
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.text(max_size=8), st.floats())
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
)
headers = st.sampled_from(
    [("v1", "Pod"), ("apps/v1", "Deployment"), ("v1", "Service"), ("v1", "ConfigMap"), ("v1", "Namespace"),
     ("rbac.authorization.k8s.io/v1", "Role"), ("apps/v1", "ReplicaSet"), ("v1", "Node"), ("x/v1", "Y")]
)  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(headers, st.dictionaries(st.sampled_from(["metadata", "spec", "data", "rules", "x"]), values, max_size=3))
def test_arbitrary_documents_never_escape_as_tracebacks(header, body):
    cluster = Cluster()
    doc = {"apiVersion": header[0], "kind": header[1], **body}
    text = yaml.safe_dump(doc, allow_unicode=True)
    before = cluster.etcd.revision
    try:
        cluster.apply(text)
    except ApplyError:
        assert cluster.etcd.revision == before


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text(max_size=60))
def test_arbitrary_text_never_escapes_as_tracebacks(text):
    cluster = Cluster()
    before = cluster.etcd.revision
    try:
        cluster.apply(text)
    except ApplyError:
        assert cluster.etcd.revision == before


# --- kubectl apply's three-way merge (strategicpatch.CreateThreeWayMergePatch, with JSON-merge-patch lists) -------

POD_APPLY = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  containers:
  - name: web
    image: nginx:1.26
"""


def test_apply_records_the_manifest_in_last_applied_configuration():
    c = Cluster(seed=0)
    c.apply(POD_APPLY)
    pod = c.api.get("pods", "web", "default")
    recorded = pod["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert recorded.endswith("\n")
    assert json.loads(recorded) == yaml.safe_load(POD_APPLY)
    assert recorded.startswith('{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"web","tier":"front"}')


def test_reapplying_a_bound_pod_keeps_what_others_set():
    """The scheduler's spec.nodeName and a label another client added survive an apply that does not mention them;
    the same manifest again is "unchanged" (upstream: kubectl apply on a running Pod)."""
    c = Cluster(seed=0)
    c.apply(POD_APPLY)
    c.api.bind("web", "default", "node-1")
    c.api.patch("pods", "web", "default", {"metadata": {"labels": {"owner": "ops"}}})
    assert str(c.apply(POD_APPLY)) == "pod/web unchanged"
    result = c.apply(POD_APPLY.replace("nginx:1.26", "nginx:1.27"))
    assert str(result) == "pod/web configured"
    pod = c.api.get("pods", "web", "default")
    assert pod["spec"]["nodeName"] == "node-1"
    assert pod["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert pod["metadata"]["labels"] == {"app": "web", "tier": "front", "owner": "ops"}


def test_apply_deletes_what_the_last_manifest_had_and_this_one_has_not():
    c = Cluster(seed=0)
    c.apply(POD_APPLY)
    c.api.patch("pods", "web", "default", {"metadata": {"labels": {"owner": "ops"}}})
    c.apply(POD_APPLY.replace(", tier: front", ""))
    assert c.api.get("pods", "web", "default")["metadata"]["labels"] == {"app": "web", "owner": "ops"}


def test_apply_of_a_forbidden_pod_change_is_refused_and_changes_nothing():
    c = Cluster(seed=0)
    c.apply(POD_APPLY)
    before = c.etcd.revision
    with pytest.raises(ApplyError, match="Forbidden: pod updates may not change fields other than"):
        c.apply(POD_APPLY.replace("    image: nginx:1.26\n", "    image: nginx:1.26\n    workingDir: /srv\n"))
    assert c.etcd.revision == before


def test_describe_skips_the_last_applied_annotation():
    """kubectl describe's ``skipAnnotations``: the applied manifest is not printed back."""
    c = Cluster(seed=0)
    c.apply(POD_APPLY.replace("  name: web\n", "  name: web\n  annotations: {team: shop}\n"))
    text = str(c.describe("pods", "web"))
    assert "last-applied-configuration" not in text
    assert "Annotations:      team: shop" in text
