"""The kinds registry: names, scopes and etcd keys as upstream has them."""

import pytest

from k8smodel.api.kinds import KINDS, UnknownKind, for_kind, for_resource, kind_of, lookup


def test_keys_follow_upstream_layout():
    assert for_kind("Pod").key("web-1", "default") == "/registry/pods/default/web-1"
    assert for_kind("Deployment").key("web", "prod") == "/registry/deployments/prod/web"
    # pkg/kubeapiserver/default_storage_factory_builder.go: SpecialDefaultResourcePrefixes
    assert for_kind("Node").key("node-1") == "/registry/minions/node-1"
    assert for_kind("Service").key("web", "default") == "/registry/services/specs/default/web"
    assert for_kind("Namespace").key("default") == "/registry/namespaces/default"
    assert for_kind("Pod").prefix() == "/registry/pods/"
    assert for_kind("Pod").prefix("kube-system") == "/registry/pods/kube-system/"
    assert for_kind("ClusterRole").prefix("ignored") == "/registry/clusterroles/"


def test_names():
    d = lookup("apps/v1", "Deployment")
    assert (d.api_version, d.group_resource, d.qualified_kind) == ("apps/v1", "deployments.apps", "Deployment.apps")
    assert lookup("v1", "Pod").qualified_kind == "Pod"
    assert kind_of({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler"}).resource == (
        "horizontalpodautoscalers"
    )


@pytest.mark.parametrize(("typed", "kind"), [("po", "Pod"), ("pods", "Pod"), ("Pod", "Pod"), ("deploy", "Deployment"),
                                             ("deployments.apps", "Deployment"), ("no", "Node"), ("svc", "Service"),
                                             ("hpa", "HorizontalPodAutoscaler"), ("rs", "ReplicaSet")])  # fmt: skip
def test_for_resource(typed, kind):
    assert for_resource(typed).kind == kind


def test_unknown_in_upstream_words():
    with pytest.raises(UnknownKind, match='no matches for kind "Deploymnt" in version "apps/v1"'):
        lookup("apps/v1", "Deploymnt")
    with pytest.raises(UnknownKind, match='no matches for kind "Deployment" in version "apps/v1beta1"'):
        lookup("apps/v1beta1", "Deployment")
    with pytest.raises(UnknownKind, match='the server doesn\'t have a resource type "pdos"'):
        for_resource("pdos")


def test_registry_is_consistent():
    assert len({k.kind for k in KINDS}) == len(KINDS)
    assert len({k.resource for k in KINDS}) == len(KINDS)
    assert all(k.resource == k.resource.lower() and k.resource.endswith("s") for k in KINDS)
