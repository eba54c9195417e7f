"""kubectl's client side of Deployments (k8smodel.rollout), with cases from
staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status_test.go (TestDeploymentStatusViewerStatus),
history_test.go (TestViewDeploymentHistory), rollback.go and cmd/rollout/*, cmd/set/set_image.go, cmd/scale."""

from __future__ import annotations

import pytest

from k8smodel.cluster import Cluster
from k8smodel.controllers import deployment_util as du
from k8smodel.controllers.deployment import DeploymentController
from k8smodel.controllers.replicaset import ReplicaSetController
from k8smodel.rollout import (
    RolloutError,
    deployment_status,
    describe_pod_template,
    describe_probe,
    rollout_history,
    rollout_pause,
    rollout_restart,
    rollout_resume,
    rollout_status,
    rollout_undo,
    scale,
    set_image,
)


def _deployment(generation, spec_replicas, observed, replicas, updated, available, conditions=()):
    return {
        "metadata": {"name": "foo", "namespace": "bar", "generation": generation},
        "spec": {"replicas": spec_replicas},
        "status": {
            "observedGeneration": observed,
            "replicas": replicas,
            "updatedReplicas": updated,
            "availableReplicas": available,
            "unavailableReplicas": replicas - available,
            "conditions": list(conditions),
        },
    }


# TestDeploymentStatusViewerStatus
@pytest.mark.parametrize(
    ("d", "msg", "done"),
    [
        (
            _deployment(0, 1, 1, 1, 0, 1),
            'Waiting for deployment "foo" rollout to finish: 0 out of 1 new replicas have been updated...\n',
            False,
        ),
        (
            _deployment(1, 1, 1, 2, 1, 2),
            'Waiting for deployment "foo" rollout to finish: 1 old replicas are pending termination...\n',
            False,
        ),
        (
            _deployment(1, 2, 1, 2, 2, 1),
            'Waiting for deployment "foo" rollout to finish: 1 of 2 updated replicas are available...\n',
            False,
        ),
        (_deployment(1, 2, 1, 2, 2, 2), 'deployment "foo" successfully rolled out\n', True),
        (_deployment(2, 2, 1, 2, 2, 2), "Waiting for deployment spec update to be observed...\n", False),
    ],
)
def test_deployment_status_viewer(d, msg, done):
    assert deployment_status(d) == (msg, done)


def test_deployment_status_viewer_errors():
    timed_out = {"type": "Progressing", "status": "False", "reason": du.TIMED_OUT_REASON}
    with pytest.raises(RolloutError, match=r'^error: deployment "foo" exceeded its progress deadline$'):
        deployment_status(_deployment(1, 2, 1, 2, 1, 1, [timed_out]))
    d = _deployment(1, 2, 1, 2, 2, 2)
    d["metadata"]["annotations"] = {du.REVISION_ANNOTATION: "3"}
    assert deployment_status(d, revision=3)[1]
    with pytest.raises(RolloutError, match=r"desired revision \(2\) is different from the running revision \(3\)"):
        deployment_status(d, revision=2)


# --- against an API server with the controllers (no nodes: Pods stay Pending, which history and undo do not need) --


@pytest.fixture
def cluster():
    c = Cluster(seed=0)
    pods, replicasets = c.shared_informer("pods"), c.shared_informer("replicasets")
    c.add_control_plane_component(
        "replicaset-controller", ReplicaSetController(c.sim, c.api, rs_informer=replicasets, pod_informer=pods)
    )
    c.add_control_plane_component(
        "deployment-controller",
        DeploymentController(
            c.sim,
            c.api,
            deployment_informer=c.shared_informer("deployments"),
            replicaset_informer=replicasets,
            pod_informer=pods,
        ),
    )
    c.start_control_plane()
    c.apply(
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.25", ports: [{containerPort: 80}]}
      - {name: sidecar, image: "busybox:1.36"}
"""
    )
    c.run_for("1s")
    return c


def _revisions(c):
    return sorted(
        int(rs["metadata"]["annotations"][du.REVISION_ANNOTATION]) for rs in c.api.list("replicasets", "default")[0]
    )


def test_history_lists_revisions_and_change_causes(cluster):
    assert rollout_history(cluster.api, "web") == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    d = cluster.api.get("deployments", "web", "default")
    d["metadata"]["annotations"][du.CHANGE_CAUSE_ANNOTATION] = "kubectl set image deployment/web nginx=nginx:1.26"
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.26"
    cluster.api.update(d)
    cluster.run_for("1s")
    assert rollout_history(cluster.api, "deployment/web") == (
        "deployment.apps/web \n"
        "REVISION  CHANGE-CAUSE\n"
        "1         <none>\n"
        "2         kubectl set image deployment/web nginx=nginx:1.26\n\n"
    )


def test_history_of_one_revision_prints_its_pod_template(cluster):
    """TestViewDeploymentHistory's detail case: the template as DescribePodTemplate writes it, tabs unaligned."""
    rs = cluster.api.list("replicasets", "default")[0][0]
    pod_template_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert rollout_history(cluster.api, "web", revision=1) == (
        "deployment.apps/web with revision #1\n"
        "Pod Template:\n"
        "  Labels:\tapp=web\n"
        f"\tpod-template-hash={pod_template_hash}\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.25\n"
        "    Port:\t80/TCP\n"
        "    Host Port:\t0/TCP\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "   sidecar:\n"
        "    Image:\tbusybox:1.36\n"
        "    Port:\t<none>\n"
        "    Host Port:\t<none>\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n\n"
    )
    with pytest.raises(RolloutError, match=r"^error: unable to find the specified revision$"):
        rollout_history(cluster.api, "web", revision=7)
    with pytest.raises(RolloutError, match=r"revision must be a positive integer: -1"):
        rollout_history(cluster.api, "web", revision=-1)


def test_describe_pod_template_details():
    template = {
        "metadata": {
            "labels": {"app": "web"},
            "annotations": {du.CHANGE_CAUSE_ANNOTATION: "test-change-cause", "long": "x" * 150},
        },
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "nginx:1.0",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 53, "protocol": "UDP"}],
                    "command": ["nginx", "-g", "daemon off;"],
                    "resources": {"requests": {"memory": "64Mi", "cpu": "100m"}},
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"}},
                    "env": [
                        {"name": "MODE", "value": "prod"},
                        {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                    ],
                    "volumeMounts": [{"name": "cache", "mountPath": "/cache", "readOnly": True}],
                }
            ],
            "volumes": [{"name": "cache", "emptyDir": {}}],
            "nodeSelector": {"disktype": "ssd"},
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}, {"operator": "Exists"}],
        },
    }
    text = describe_pod_template(template)
    assert "  Annotations:\tkubernetes.io/change-cause: test-change-cause\n" in text
    assert "\tlong:\n\t  " + "x" * 138 + "...\n" in text  # past maxAnnotationLen: on its own line, shortened
    assert "    Ports:\t80/TCP, 53/UDP\n    Host Ports:\t0/TCP, 0/UDP\n" in text
    assert "    Command:\n      nginx\n      -g\n      daemon off;\n" in text
    assert "    Requests:\n      cpu:\t100m\n      memory:\t64Mi\n" in text
    assert "    Readiness:\thttp-get http://:8080/ready delay=0s timeout=1s period=10s #success=1 #failure=3\n" in text
    assert "      PASSWORD:\t<set to the key 'password' in secret 'db'>\tOptional: false\n" in text
    assert "    Mounts:\n      /cache from cache (ro)\n" in text
    assert "  Volumes:\n   cache:\n    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n" in text
    assert "  Node-Selectors:\tdisktype=ssd\n" in text
    # printTolerationsMultilineWithIndent sorts by key: the empty key of "tolerate everything" comes first
    assert "  Tolerations:\top=Exists\n\tk:NoSchedule op=Exists\n" in text


def test_describe_probe():
    assert describe_probe({"exec": {"command": ["cat", "/tmp/healthy"]}, "periodSeconds": 5}) == (
        "exec [cat /tmp/healthy] delay=0s timeout=1s period=5s #success=1 #failure=3"
    )
    assert describe_probe({"tcpSocket": {"port": 5432}}).startswith("tcp-socket :5432 delay=0s")


def test_undo_rolls_back_to_the_previous_revision(cluster):
    first_template = cluster.api.get("deployments", "web", "default")["spec"]["template"]
    set_image(cluster.api, "web", {"nginx": "nginx:1.26"})
    cluster.run_for("1s")
    assert _revisions(cluster) == [1, 2]
    assert rollout_undo(cluster.api, "web") == "deployment.apps/web rolled back\n"
    cluster.run_for("1s")
    d = cluster.api.get("deployments", "web", "default")
    assert d["spec"]["template"] == first_template  # without the pod-template-hash label
    assert _revisions(cluster) == [2, 3]  # revision 1 became 3
    assert d["metadata"]["annotations"][du.REVISION_ANNOTATION] == "3"
    assert rollout_undo(cluster.api, "web", to_revision=3) == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n"
    )
    with pytest.raises(RolloutError, match=r"^error: unable to find specified revision 9 in history$"):
        rollout_undo(cluster.api, "web", to_revision=9)
    assert rollout_undo(cluster.api, "web", to_revision=2) == "deployment.apps/web rolled back\n"
    cluster.run_for("1s")
    assert cluster.api.get("deployments", "web", "default")["spec"]["template"]["spec"]["containers"][0]["image"] == (
        "nginx:1.26"
    )


def test_undo_copies_the_replica_set_annotations_back(cluster):
    d = cluster.api.get("deployments", "web", "default")
    d["metadata"]["annotations"][du.CHANGE_CAUSE_ANNOTATION] = "first"
    cluster.api.update(d)
    cluster.run_for("1s")
    d = cluster.api.get("deployments", "web", "default")
    d["metadata"]["annotations"][du.CHANGE_CAUSE_ANNOTATION] = "second"
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.26"
    cluster.api.update(d)
    cluster.run_for("1s")
    rollout_undo(cluster.api, "web")
    d = cluster.api.get("deployments", "web", "default")
    assert d["metadata"]["annotations"][du.CHANGE_CAUSE_ANNOTATION] == "first"
    assert d["metadata"]["annotations"][du.REVISION_ANNOTATION] == "2"  # kept: the controller owns it


def test_undo_errors(cluster):
    with pytest.raises(RolloutError, match=r'^error: no rollout history found for deployment "web"$'):
        rollout_undo(cluster.api, "web")
    with pytest.raises(RolloutError, match=r'^Error from server \(NotFound\): deployments.apps "nope" not found$'):
        rollout_undo(cluster.api, "nope")
    with pytest.raises(RolloutError, match=r'no rollbacker has been implemented for "ReplicaSet.apps"'):
        rollout_undo(cluster.api, "rs/web-x")
    set_image(cluster.api, "web", {"nginx": "nginx:1.26"})
    cluster.run_for("1s")
    rollout_pause(cluster.api, "web")
    with pytest.raises(RolloutError, match=r"you cannot rollback a paused deployment; resume it first with 'kubectl"):
        rollout_undo(cluster.api, "web")


def test_pause_resume_restart(cluster):
    assert rollout_pause(cluster.api, "deployment.apps/web") == "deployment.apps/web paused\n"
    assert cluster.api.get("deployments", "web", "default")["spec"]["paused"] is True
    with pytest.raises(RolloutError, match=r'^error: deployments.apps "web" is already paused$'):
        rollout_pause(cluster.api, "web")
    with pytest.raises(RolloutError, match=r"can't restart paused deployment"):
        rollout_restart(cluster.api, "web")
    assert rollout_resume(cluster.api, "web") == "deployment.apps/web resumed\n"
    assert not cluster.api.get("deployments", "web", "default")["spec"].get("paused")
    with pytest.raises(RolloutError, match=r'^error: deployments.apps "web" is not paused$'):
        rollout_resume(cluster.api, "web")
    cluster.run_for("5s")
    assert rollout_restart(cluster.api, "web") == "deployment.apps/web restarted\n"
    cluster.run_for("1s")
    d = cluster.api.get("deployments", "web", "default")
    assert d["spec"]["template"]["metadata"]["annotations"] == {
        "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:06Z"
    }
    assert _revisions(cluster) == [1, 2]  # a restart is a new template: a new ReplicaSet


def test_set_image(cluster):
    assert set_image(cluster.api, "deployment/web", {"nginx": "nginx:1.26"}) == "deployment.apps/web image updated\n"
    assert set_image(cluster.api, "web", {"nginx": "nginx:1.26"}) == ""  # nothing changed, nothing printed
    with pytest.raises(RolloutError, match=r'^error: unable to find container named "nginy"$') as info:
        set_image(cluster.api, "web", {"nginy": "nginx:1.27"})
    assert info.value.output == ""
    with pytest.raises(RolloutError, match=r'unable to find container named "x"') as info:
        set_image(cluster.api, "web", {"x": "a:1", "sidecar": "busybox:1.37"})
    assert info.value.output == "deployment.apps/web image updated\n"  # the other image was still set
    set_image(cluster.api, "web", {"*": "nginx:1.28"})
    containers = cluster.api.get("deployments", "web", "default")["spec"]["template"]["spec"]["containers"]
    assert [c["image"] for c in containers] == ["nginx:1.28", "nginx:1.28"]
    with pytest.raises(RolloutError, match=r"all containers are already specified by"):
        set_image(cluster.api, "web", {"*": "a:1", "nginx": "b:2"})


def test_resource_arguments(cluster):
    for target in ("web", "deployment/web", "deployments/web", "deploy/web", "deployments.apps/web"):
        assert rollout_history(cluster.api, target).startswith("deployment.apps/web \n")
    with pytest.raises(RolloutError, match=r'^error: no history viewer has been implemented for "Pod"$'):
        rollout_history(cluster.api, "pods/web")
    with pytest.raises(RolloutError, match=r'^error: the server doesn\'t have a resource type "foos"$'):
        rollout_history(cluster.api, "foos/web")
    rs = cluster.api.list("replicasets", "default")[0][0]["metadata"]["name"]
    assert scale(cluster.api, f"rs/{rs}", 1) == f"replicaset.apps/{rs} scaled\n"


def test_scale(cluster):
    assert scale(cluster.api, "deployment/web", 5) == "deployment.apps/web scaled\n"
    assert cluster.api.get("deployments", "web", "default")["spec"]["replicas"] == 5
    with pytest.raises(RolloutError, match=r"^error: Expected replicas to be 3, was 5$"):
        scale(cluster.api, "web", 1, current_replicas=3)
    with pytest.raises(RolloutError, match=r"COUNT must be greater than or equal to 0"):
        scale(cluster.api, "web", -1)
    cluster.run_for("1s")
    rs = cluster.api.list("replicasets", "default")[0][0]["metadata"]["name"]
    assert rs.startswith("web-")
    assert cluster.api.get("replicasets", rs, "default")["spec"]["replicas"] == 5
    with pytest.raises(RolloutError, match=r'^Error from server \(NotFound\): deployments.apps "nope" not found$'):
        scale(cluster.api, "nope", 1)


def test_status_without_watch_and_with_timeout(cluster):
    # no nodes: the Pods never run
    assert rollout_status(cluster.api, "web", watch=False) == (
        'Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available...\n'
    )
    start = cluster.now
    with pytest.raises(RolloutError, match=r"^error: timed out waiting for the condition$") as info:
        rollout_status(cluster.api, "web", timeout="30s")
    assert info.value.output.startswith('Waiting for deployment "web" rollout to finish: 0 of 2')
    assert cluster.now == start + 30
    with pytest.raises(RolloutError, match=r"no status viewer has been implemented for ReplicaSet.apps"):
        rollout_status(cluster.api, "rs/x")


def test_status_reports_a_deleted_deployment(cluster):
    cluster.sim.call_later(5, cluster.api.delete, "deployments", "web", "default")
    with pytest.raises(RolloutError, match=r"^error: object has been deleted$"):
        rollout_status(cluster.api, "web", timeout="1m")


def _one_container_template(container: dict, **pod_spec) -> dict:
    return {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container], **pod_spec}}


@pytest.mark.parametrize(
    "container, expected",
    [
        pytest.param(  # "Env" (envFrom with a ConfigMap)
            {"env": [{"name": "envname", "value": "xyz"}], "envFrom": [{"configMapRef": {"name": "a123"}}]},
            ["envname:\txyz", "a123\tConfigMap\tOptional: false"],
            id="envfrom-configmap",
        ),
        pytest.param(
            {"envFrom": [{"prefix": "p_", "configMapRef": {"name": "a123"}}]},
            ["a123\tConfigMap with prefix 'p_'\tOptional: false"],
            id="envfrom-prefix",
        ),
        pytest.param(
            {"envFrom": [{"configMapRef": {"name": "a123", "optional": True}}]},
            ["a123\tConfigMap\tOptional: true"],
            id="envfrom-optional",
        ),
        pytest.param(
            {"envFrom": [{"secretRef": {"name": "a123", "optional": True}}]},
            ["a123\tSecret\tOptional: true"],
            id="envfrom-secret",
        ),
        pytest.param(
            {"envFrom": [{"prefix": "p_", "secretRef": {"name": "a123"}}]},
            ["a123\tSecret with prefix 'p_'\tOptional: false"],
            id="envfrom-secret-prefix",
        ),
        pytest.param({"command": ["sleep", "1000"]}, ["sleep", "1000"], id="command"),
        pytest.param({"command": ["sleep", "1000\n2000"]}, ["1000\n      2000"], id="command-newline"),
        pytest.param({"args": ["time", "1000"]}, ["time", "1000"], id="args"),
        pytest.param({"args": ["time", "1000\n2000"]}, ["1000\n      2000"], id="args-newline"),
        pytest.param(  # "Using limits": Quantity.String() is canonical, 1000 is 1k
            {"resources": {"limits": {"cpu": "1000", "memory": "4G", "storage": "20G"}}},
            ["cpu", "1k", "memory", "4G", "storage", "20G"],
            id="limits",
        ),
        pytest.param(
            {"resources": {"requests": {"cpu": "1000", "memory": "4G", "storage": "20G"}}},
            ["cpu", "1k", "memory", "4G", "storage", "20G"],
            id="requests",
        ),
        pytest.param(
            {"volumeMounts": [{"name": "mounted-volume", "mountPath": "/opt/"}]},
            ["mounted-volume", "/opt/", "(rw)"],
            id="mount-rw",
        ),
        pytest.param(
            {"volumeMounts": [{"name": "mounted-volume", "mountPath": "/opt/", "readOnly": True}]},
            ["Mounts", "mounted-volume", "/opt/", "(ro)"],
            id="mount-ro",
        ),
        pytest.param(
            {"volumeMounts": [{"name": "mounted-volume", "mountPath": "/opt/", "subPath": "foo"}]},
            ["Mounts", "mounted-volume", "/opt/", '(rw,path="foo")'],
            id="mount-subpath",
        ),
        pytest.param(
            {"volumeDevices": [{"name": "volume-device", "devicePath": "/dev/xvda"}]},
            ["Devices", "volume-device", "/dev/xvda"],
            id="devices",
        ),
    ],
)
def test_upstream_describe_containers(container, expected):
    """TestDescribeContainers (describe_test.go), the cases without a container status (a template has none)."""
    text = describe_pod_template(_one_container_template({"name": "test", "image": "image", **container}))
    for element in expected:
        assert element in text


def test_describe_pod_template_container_details():
    """describeContainerBasicInfo, describeResources and describeContainerEnvVars on a template: named container
    and host ports, the seccomp profile, canonical quantities, resourceFieldRef resolved from the container
    (ExtractContainerResourceValue: rounded up; a zero CPU/memory limit is "node allocatable"), a fieldRef without
    a value, an unknown valueFrom source printing nothing, and the Devices header carrying the Mounts' <none>."""
    container = {
        "name": "app",
        "image": "app:1",
        "ports": [
            {"name": "http", "containerPort": 80, "hostPort": 8080, "protocol": "TCP"},
            {"name": "dns", "containerPort": 53, "protocol": "UDP"},
        ],
        "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/audit.json"}},
        "resources": {"requests": {"cpu": "0.5", "memory": "1024Mi"}, "limits": {"memory": "1.5Gi"}},
        "env": [
            {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1"}}},
            {"name": "CPU_M", "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1m"}}},
            {"name": "MEM_MI", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
            {"name": "CPU_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
            {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
            {"name": "FILE", "valueFrom": {"fileKeyRef": {"path": "a", "key": "b", "volumeName": "v"}}},
            {"name": "MULTI", "value": "one\ntwo"},
        ],
        "volumeDevices": [{"name": "raw", "devicePath": "/dev/xvdb"}, {"name": "raw0", "devicePath": "/dev/xvda"}],
    }
    text = describe_pod_template(_one_container_template(container))
    assert (
        "   app:\n"
        "    Image:\tapp:1\n"
        "    Ports:\t80/TCP (http), 53/UDP (dns)\n"
        "    Host Ports:\t8080/TCP (http), 0/UDP (dns)\n"
        "    SeccompProfile:\tLocalhost\n"
        "      LocalhostProfile:\tprofiles/audit.json\n"
        "    Limits:\n"
        "      memory:\t1536Mi\n"
        "    Requests:\n"
        "      cpu:\t500m\n"
        "      memory:\t1Gi\n"
        "    Environment:\n"
        "      CPU:\t1 (requests.cpu)\n"
        "      CPU_M:\t500 (requests.cpu)\n"
        "      MEM_MI:\t1536 (limits.memory)\n"
        "      CPU_LIMIT:\tnode allocatable (limits.cpu)\n"
        "      POD:\t (v1:metadata.name)\n"
        "      MULTI:\tone\n"
        "      \ttwo\n"  # the continuation line at LEVEL_3 too
        "    Mounts:\t<none>\n"
        "    Devices:\t<none>\n"
        "      /dev/xvda from raw0\n"
        "      /dev/xvdb from raw\n"
    ) in text
    assert "FILE" not in text


def test_describe_pod_template_volumes_and_spread():
    """describeVolumes (hostPath's <none> type, emptyDir's canonical size limit, projected, downwardAPI, CSI
    attributes, an ephemeral claim template through a writer nested two levels in, <unknown>), then
    describeTopologySpreadConstraints (sorted by topology key, with FormatLabelSelector), the PrefixWriter's
    escaping of ESC and CR, and the scheduling group."""
    template = _one_container_template(
        {"name": "app", "image": "app:1"},
        volumes=[
            {"name": "host", "hostPath": {"path": "/var/log"}},
            {"name": "scratch", "emptyDir": {"medium": "Memory", "sizeLimit": "1024Mi"}},
            {
                "name": "token",
                "projected": {
                    "sources": [
                        {"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}},
                        {"configMap": {"name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": []}},
                    ]
                },
            },
            {
                "name": "info",
                "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]},
            },
            {"name": "csi", "csi": {"driver": "x.csi.io", "volumeAttributes": {"b": "2", "a": "1"}}},
            {
                "name": "eph",
                "ephemeral": {
                    "volumeClaimTemplate": {
                        "metadata": {"labels": {"x": "1", "y": "2"}},
                        "spec": {"storageClassName": "fast", "volumeMode": "Filesystem"},
                    }
                },
            },
            {"name": "odd", "rbd": {"image": "i"}},
        ],
        topologySpreadConstraints=[
            {"maxSkew": 2, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway"},
            {
                "maxSkew": 1,
                "topologyKey": "kubernetes.io/hostname",
                "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": {"app": "web"}},
            },
        ],
        priorityClassName="gold\x1b[31m\r",
        schedulingGroup={"podGroupName": "group-a"},
    )
    text = describe_pod_template(template)
    assert (
        "  Volumes:\n"
        "   host:\n"
        "    Type:\tHostPath (bare host directory volume)\n"
        "    Path:\t/var/log\n"
        "    HostPathType:\t<none>\n"
        "   scratch:\n"
        "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:\tMemory\n"
        "    SizeLimit:\t1Gi\n"
        "   token:\n"
        "    Type:\tProjected (a volume that contains injected data from multiple sources)\n"
        "    TokenExpirationSeconds:\t3607\n"
        "    ConfigMapName:\tkube-root-ca.crt\n"
        "    Optional:\tfalse\n"
        "    DownwardAPI:\ttrue\n"
        "   info:\n"
        "    Type:\tDownwardAPI (a volume populated by information about the pod)\n"
        "    Items:\n"
        "      metadata.labels -> labels\n"
        "   csi:\n"
        "    Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
        "    Driver:\tx.csi.io\n"
        "    FSType:\t\n"
        "    ReadOnly:\tfalse\n"
        "    VolumeAttributes:\t    a=1\n"  # every Write(LEVEL_2, ...) of the attributes is indented
        "        \t    b=2\n"
        "   eph:\n"
        "    Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n"
        "    StorageClass:\tfast\n"
        "    Volume:\t\n"
        "    Labels:\t    x=1\n"
        "        \t    y=2\n"
        "    Annotations:\t    <none>\n"
        "    Capacity:\t\n"
        "    Access Modes:\t\n"
        "    VolumeMode:\tFilesystem\n"
        "   odd:\n"
        "  <unknown>\n"
        "  Topology Spread Constraints:\tkubernetes.io/hostname:DoNotSchedule when max skew 1 is exceeded for "
        "selector app=web\n"
        "  \tzone:ScheduleAnyway when max skew 2 is exceeded\n"
        "  Priority Class Name:\tgold^[[31m\\r\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
        "  SchedulingGroup:\n"
        "  PodGroupName:\tgroup-a\n"
    ) in text
    assert describe_pod_template(None) == "Pod Template:\n  <unset>"
