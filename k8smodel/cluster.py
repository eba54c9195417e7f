"""Cluster: the model wired up, and kubectl's verbs to drive it.

A :class:`Cluster` owns the simulated clock (``sim``), the etcd store (``etcd``) and the API server (``api``), and
offers the verbs a reader would type at ``kubectl``: :meth:`~Cluster.apply`, :meth:`~Cluster.get`,
:meth:`~Cluster.describe`, :meth:`~Cluster.delete`, and :meth:`~Cluster.as_user` to act as someone else. Like
kubectl, every verb is only a client of the API server: it sends requests through authentication, RBAC, admission
and validation, and reads back what etcd holds. Components (controllers, the scheduler, kubelets) join the cluster
in later chapters and talk to the same API server.

``apply`` follows ``kubectl apply`` (``staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go``): each object is created
if absent, updated if present, and reported ``created``, ``configured`` or ``unchanged``; errors are printed in
kubectl's words (``Error from server (Invalid): error when creating "web.yaml": ...``).

Nodes and the control plane
    :meth:`~Cluster.add_node` starts a kubelet (:class:`k8smodel.kubelet.Kubelet`) for a machine described by a
    :class:`~k8smodel.kubelet.config.NodeConfig`; the kubelet registers its Node and renews its Lease. All kubelets
    pull from one :class:`~k8smodel.kubelet.images.ImageRegistry`, ``cluster.registry``. The first node also starts
    the control plane's node-side controllers, in ``cluster.control_plane``: the node IPAM controller (each Node's
    ``spec.podCIDR`` from ``10.244.0.0/16``), the node lifecycle controller (heartbeats, ``Unknown``, taints) and the
    taint eviction controller; they share one informer per resource, as a kube-controller-manager's shared informer
    factory does; the API server's etcd compactor starts with them (``k8smodel.apiserver.compact``, every five
    minutes). A cluster without nodes runs no controller, so it writes (and logs) nothing by itself; the
    scheduler and other components register in the same place (:meth:`~Cluster.add_control_plane_component`).
    :meth:`~Cluster.fail_node` stops a kubelet (``"crash"``: the machine is gone; ``"partition"``: it runs on but
    cannot reach the API server) and :meth:`~Cluster.recover_node` brings it back.

``cordon``, ``uncordon`` and ``drain`` follow ``kubectl cordon``/``drain`` (``staging/src/k8s.io/kubectl/pkg/cmd/
drain/drain.go``, and the library in ``staging/src/k8s.io/kubectl/pkg/drain/``: ``drain.go``, ``filters.go``,
``cordon.go``): drain cordons the node, sorts its Pods through kubectl's filters (DaemonSet-managed Pods refused
without ``ignore_daemonsets`` and never evicted, mirror Pods skipped, ``emptyDir`` Pods refused without
``delete_emptydir_data``, Pods without a controller refused without ``force``), evicts the rest through the API
server's eviction subresource and waits, on the simulated clock, until they are gone, printing what kubectl prints.

Time
    :meth:`~Cluster.run` with ``until`` (or :meth:`~Cluster.run_for`) advances the clock. Without ``until`` it runs
    until nothing is scheduled; once nodes have joined that moment never comes (kubelets renew Leases every 10 s,
    the node lifecycle controller checks them every 5 s), so ``run()`` then raises a ``RuntimeError`` that says so.

What the model leaves out:

* kubectl's *strategic* merge and server-side apply. Like kubectl's client-side apply, the model stores the
  manifest in the ``kubectl.kubernetes.io/last-applied-configuration`` annotation and computes a three-way patch
  (``CreateThreeWayMergePatch`` in ``staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go``): what the
  manifest changes against the live object, plus the deletion of what the last applied manifest had and this one
  has not; fields nobody applied (``spec.nodeName`` set by the scheduler, defaults, a controller's additions) are
  kept. Lists are replaced as a whole, as in a JSON merge patch, where the strategic patch merges lists with a
  merge key (containers by name, ...); the server's defaulting then fills the replaced list again, so the result
  differs only when another client edited a list entry that the manifest also lists.
* Atomicity: kubectl applies documents one by one and leaves the earlier ones applied when a later one fails. The
  model first checks every document (parsing, then a server-side dry run of each, in order) and changes nothing
  unless all of them would succeed, so a bad manifest never leaves the cluster half-applied.
* kubectl drain evicts every Pod in its own goroutine and prints as each finishes; here the ``evicting pod`` lines
  come in the Pods' list order, then the ``evicted`` lines in the order the Pods disappear (ties in list order).
  Without PodDisruptionBudgets no eviction is refused, so the 5 s retry after ``429`` never happens. Warnings and
  errors that kubectl gathers in a Go map (random order) are listed in first-seen order. A drain whose Pods never
  go (their kubelet is down) waits, as kubectl would, but gives up after an hour of simulated time with a
  :class:`DrainError` saying so, unless ``timeout`` is given (kubectl's ``--timeout``).
* The control plane starts with the first node rather than with the cluster (see above). Removing a node stops its
  kubelet and deletes the Node; the garbage collector then deletes its Lease (the Node owns it), but its Pods stay:
  upstream's PodGC controller (``pkg/controller/podgc``), which force-deletes Pods bound to a node that no longer
  exists, is not modelled.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from k8smodel import rollout
from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.api.kinds import Kind, UnknownKind, for_kind, for_resource, kind_of
from k8smodel.api.manifest import ManifestError, dump_json, dump_yaml, load_manifests
from k8smodel.apiserver import ADMIN, APIServer, UserInfo, admission
from k8smodel.apiserver.authn import KUBE_SCHEDULER, node_user
from k8smodel.apiserver.server import merge_patch
from k8smodel.client import Informer
from k8smodel.controllers.deployment import DeploymentController
from k8smodel.controllers.garbagecollector import GarbageCollector
from k8smodel.controllers.namespace import NamespaceController
from k8smodel.controllers.nodeipam import DEFAULT_CLUSTER_CIDR, NodeIPAMController
from k8smodel.controllers.nodelifecycle import NODE_LEASE_NAMESPACE, NodeLifecycleController
from k8smodel.controllers.podgc import PodGCController
from k8smodel.controllers.replicaset import ReplicaSetController
from k8smodel.controllers.tainteviction import TaintEvictionController
from k8smodel.etcd import Store
from k8smodel.kubelet.config import NodeConfig
from k8smodel.kubelet.images import ImageRegistry
from k8smodel.scheduler.scheduler import Scheduler
from k8smodel.sim import Simulation, format_duration, parse_duration
from k8smodel.views import tables

AUTHENTICATED = "system:authenticated"
NAMESPACE_NOT_FOUND = "NotFound"


class Text(str):
    """A string that a notebook shows as plain text (no quotes), like kubectl's output."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    @property
    def lines(self) -> list[str]:
        """The output line by line (as ``ApplyResult.lines`` and ``DrainError.lines``)."""
        return self.splitlines()


class ApplyError(Exception):
    """``kubectl apply`` refused: one line per failing document, in kubectl's words. Nothing was changed."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class DrainError(Exception):
    """``kubectl drain`` failed: ``lines`` is everything it printed (the node stays cordoned, as with kubectl)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class NodeError(ValueError):
    """A node verb was given something it cannot use (an unknown node, a bad field, an unknown failure mode)."""


@dataclass
class ApplyResult:
    """What ``apply`` did: the stored objects and kubectl's line for each (``deployment.apps/web created``)."""

    objects: list[dict] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _resource_ref(kind: Kind, name: str) -> str:
    """``deployment.apps/web``, ``pod/web-1``: how kubectl names an object in its output."""
    group = f".{kind.group}" if kind.group else ""
    return f"{kind.kind.lower()}{group}/{name}"


def _user(user: str | UserInfo) -> UserInfo:
    if isinstance(user, UserInfo):
        return user
    if not isinstance(user, str) or not user:
        raise ValueError(f"as_user: a user name or a UserInfo, not {user!r}")
    return UserInfo(user, (AUTHENTICATED,))


class Cluster:
    """A simulated cluster: clock, etcd and API server, and kubectl's verbs.

    ``seed`` fixes every random choice (uids, generated names, jitter), so the same notebook gives the same
    outputs every run. ``etcd_compaction_interval`` is the API server's ``--etcd-compaction-interval`` (default
    ``"5m"``; ``0`` keeps every revision, for reading an object as it was long ago).
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        cluster_cidr: str = DEFAULT_CLUSTER_CIDR,
        scheduler_config: Any = None,
        record_explanations: bool = False,
        etcd_compaction_interval: float | str = "5m",
        start: datetime | None = None,
    ) -> None:
        # ``start``: the simulated clock's origin (default k8smodel.sim.EPOCH, which keeps notebooks deterministic);
        # ``python -m k8smodel serve`` starts at the wall clock's time, so kubectl's client-side ages read right.
        self.sim = Simulation(seed) if start is None else Simulation(seed, start)
        self.etcd = Store()
        self.api = APIServer(self.sim, self.etcd, etcd_compaction_interval=etcd_compaction_interval)
        self.user: UserInfo = ADMIN
        self.registry = ImageRegistry()
        self.cluster_cidr = cluster_cidr
        self._plane = _ControlPlane()
        self._kubelets: dict[str, Any] = {}
        # kube-scheduler: built now, so that a bad KubeSchedulerConfiguration is refused at once (ConfigError);
        # it starts with the rest of the control plane.
        self.scheduler = Scheduler(
            self.sim, self.api, scheduler_config, record_explanations=record_explanations, user=KUBE_SCHEDULER
        )
        self._plane.components["kube-scheduler"] = self.scheduler

    # ---- the control plane ---------------------------------------------------------------------------------

    @property
    def control_plane(self) -> Mapping[str, Any]:
        """The control-plane components by name, in start order: ``kube-scheduler`` from the start, the node
        controllers (before it) once the control plane is built."""
        return MappingProxyType(self._plane.components)

    def shared_informer(self, resource: str, namespace: str | None = None) -> Informer:
        """The one informer on ``resource`` (in ``namespace``) that control-plane components share, as a
        kube-controller-manager's ``SharedInformerFactory`` gives every controller the same one."""
        key = f"{namespace}/{resource}" if namespace else resource
        informer = self._plane.informers.get(key)
        if informer is None:
            informer = Informer(self.sim, self.api.lister_watcher(resource, namespace), name=f"shared/{key}")
            self._plane.informers[key] = informer
        return informer

    def _build_control_plane(self) -> None:
        if self._plane.built:
            return
        self._plane.built = True
        nodes, pods = self.shared_informer("nodes"), self.shared_informer("pods")
        leases = self.shared_informer("leases", NODE_LEASE_NAMESPACE)
        defaults = {
            "node-ipam-controller": NodeIPAMController(
                self.sim, self.api, cluster_cidr=self.cluster_cidr, node_informer=nodes
            ),
            "node-lifecycle-controller": NodeLifecycleController(
                self.sim, self.api, node_informer=nodes, pod_informer=pods, lease_informer=leases
            ),
            "taint-eviction-controller": TaintEvictionController(
                self.sim, self.api, pod_informer=pods, node_informer=nodes
            ),
            "replicaset-controller": ReplicaSetController(
                self.sim, self.api, rs_informer=self.shared_informer("replicasets"), pod_informer=pods
            ),
            "deployment-controller": DeploymentController(
                self.sim,
                self.api,
                deployment_informer=self.shared_informer("deployments"),
                replicaset_informer=self.shared_informer("replicasets"),
                pod_informer=pods,
            ),
            "garbage-collector-controller": GarbageCollector(self.sim, self.api, informer_factory=self.shared_informer),
            "pod-garbage-collector-controller": PodGCController(
                self.sim, self.api, pod_informer=pods, node_informer=nodes
            ),
            "namespace-controller": NamespaceController(
                self.sim, self.api, namespace_informer=self.shared_informer("namespaces")
            ),
        }
        # components registered before the build (the scheduler, ...) come after the node controllers
        self._plane.components = {**defaults, **self._plane.components}

    def add_control_plane_component(self, name: str, component: Any) -> None:
        """Register a control-plane component (an object with ``start()`` and ``stop()``): the scheduler, another
        controller. It starts with the control plane, or at once if the control plane is already running."""
        if name in self._plane.components:
            raise ValueError(f"a control-plane component named {name!r} is already registered")
        self._plane.components[name] = component
        if self._plane.started:
            component.start()

    def start_control_plane(self) -> None:
        """Start the control plane now (``add_node`` does it for the first node). Starting twice does nothing."""
        self._build_control_plane()
        if self._plane.started:
            return
        self._plane.started = True
        # kube-apiserver's etcd compactor (every 5 minutes, k8smodel.apiserver.compact): it runs with the control
        # plane, so a cluster without nodes schedules nothing and run() still returns
        self.api.compactor.start()
        for component in self._plane.components.values():
            component.start()

    # ---- identity ------------------------------------------------------------------------------------------

    def as_user(self, user: str | UserInfo) -> Cluster:
        """The same cluster, with requests made as ``user`` (a name, in ``system:authenticated``, or a
        ``UserInfo``) — what ``kubectl --as=alice`` does. The returned view shares the clock and the store."""
        view = object.__new__(Cluster)
        view.__dict__.update(self.__dict__)
        view.user = _user(user)
        return view

    # ---- time ----------------------------------------------------------------------------------------------

    def run(self, until: float | str | None = None) -> None:
        """Advance the simulated clock to ``until`` (``"5m"`` or seconds from the start).

        Without ``until``, run until nothing is scheduled. That is only possible while no node has joined: kubelets
        and the control plane have periodic loops, so then ``run()`` raises ``RuntimeError`` (use ``until`` or
        :meth:`run_for`)."""
        if until is None and (self._plane.started or self._kubelets):
            raise RuntimeError(
                "run() without until= would never return: kubelets renew their Leases every 10 s and the node "
                "lifecycle controller checks every node every 5 s, so there is always something scheduled; "
                'use run(until="10m") or run_for("5m")'
            )
        self.sim.run(until)

    def run_for(self, duration: float | str) -> None:
        """Advance the simulated clock by ``duration`` (``"30s"`` or seconds)."""
        self.sim.run_for(duration)

    def serve(self, port: int = 0, speed: float = 1.0, host: str = "127.0.0.1", **options: Any) -> Any:
        """Serve this cluster's API over HTTPS on ``host:port`` (0: a free port) for the real ``kubectl`` and the
        Python ``kubernetes`` client, with the simulated clock running at ``speed`` times wall time (0: only when
        told). Returns the :class:`k8smodel.serve.Server` (``.kubeconfig_path``, ``.stop()``; a context manager).
        See :func:`k8smodel.serve.serve` for the options."""
        from k8smodel.serve import serve

        return serve(self, port=port, speed=speed, host=host, **options)

    @property
    def now(self) -> float:
        """Simulated seconds since the cluster started."""
        return self.sim.now

    def events(self, kind: str | None = None) -> pd.DataFrame:
        """The event log: every API request the cluster served, with its simulated time."""
        return self.sim.events(kind)

    # ---- apply ---------------------------------------------------------------------------------------------

    def apply(
        self,
        manifest: str | bytes | Path | Mapping | Iterable[Mapping],
        *,
        namespace: str | None = None,
        dry_run: bool = False,
        source: str | None = None,
    ) -> ApplyResult:
        """``kubectl apply -f``: create or update every object of ``manifest`` (YAML or JSON text, a file or
        folder path, a dict or a list of dicts). ``dry_run=True`` is ``--dry-run=server``: every check runs,
        nothing is stored. Raises :class:`ApplyError` (and changes nothing) if any document would fail."""
        name = source or (str(manifest) if isinstance(manifest, Path) else "STDIN")
        try:
            docs = load_manifests(manifest if not isinstance(manifest, Mapping) else dict(manifest), name=name)
        except ManifestError as err:
            raise ApplyError([f"error: {err}"]) from None
        # Check every document first (a server-side dry run, in order), so that nothing is half-applied.
        planned = {
            d["metadata"].get("name")
            for d in docs
            if d.get("kind") == "Namespace" and isinstance(d.get("metadata"), Mapping)
        }
        failures = [line for doc in docs if (line := self._apply_one(doc, name, namespace, True, planned))]
        if failures:
            raise ApplyError(failures)
        result = ApplyResult()
        for doc in docs:
            outcome = self._apply_one(doc, name, namespace, dry_run, set(), result)
            # Only if the cluster changed between the check and the write, or in a dry run whose later documents
            # need what earlier ones would create (a server-side dry run creates nothing, as in kubectl).
            if outcome:
                raise ApplyError([*result.lines, outcome])
        return result

    def _apply_one(
        self,
        doc: dict,
        source: str,
        namespace: str | None,
        dry_run: bool,
        planned_namespaces: set,
        result: ApplyResult | None = None,
    ) -> str | None:
        """Apply one document; return kubectl's error line, or ``None`` on success."""
        verb = "creating"
        try:
            kind = kind_of(doc)
            meta = doc.get("metadata") if isinstance(doc.get("metadata"), Mapping) else {}
            ns = (meta.get("namespace") or namespace or "default") if kind.namespaced else None
            live = None
            if meta.get("name"):
                try:
                    live = self.api.get(kind, meta["name"], ns, user=self.user)
                except StatusError as err:
                    if err.code != 404:
                        raise
            doc = _with_last_applied(doc)
            if live is None:
                stored = self.api.create(doc, namespace=ns, user=self.user, dry_run=dry_run, from_manifest=True)
                change = "created"
            else:
                verb = "applying patch"
                desired = _apply_patch(live, doc)
                stored = self.api.update(desired, namespace=ns, user=self.user, dry_run=dry_run, from_manifest=True)
                change = "unchanged" if _same_content(live, stored) else "configured"
        except UnknownKind as err:
            return f'error: resource mapping not found for "{source}": {err}'
        except StatusError as err:
            if dry_run and err.code == 404 and _is_missing_planned_namespace(err, planned_namespaces):
                # The namespace is created by an earlier document: check this one's content without it.
                return self._check_content(doc, kind, source)
            return f'Error from server ({err.reason or err.code}): error when {verb} "{source}": {err}'
        if result is not None:
            result.objects.append(stored)
            suffix = " (server dry run)" if dry_run else ""
            result.lines.append(f"{_resource_ref(kind, stored['metadata']['name'])} {change}{suffix}")
        return None

    def _check_content(self, doc: dict, kind: Kind, source: str) -> str | None:
        """Schema, defaulting and validation of ``doc`` alone, for a document whose namespace does not exist yet
        (RBAC and admission that need the namespace are checked when it is written)."""
        try:
            admission.decode(admission.Request("create", kind, obj=doc, from_manifest=True))
            obj = admission.default(doc)
            if not isinstance(obj.get("metadata"), dict):
                obj["metadata"] = {}
            admission.validate(obj)
        except StatusError as err:
            return f'Error from server ({err.reason or err.code}): error when creating "{source}": {err}'
        return None

    # ---- read ----------------------------------------------------------------------------------------------

    def _list(
        self, resource: str, name: str | None, namespace: str | None, all_namespaces: bool, selector: Any
    ) -> tuple[Kind, list[dict]]:
        try:
            kind = for_resource(resource)
        except UnknownKind as err:
            raise errors.bad_request(str(err)) from None
        ns = None if all_namespaces or not kind.namespaced else (namespace or "default")
        if name is not None:
            return kind, [self.api.get(kind, name, ns, user=self.user)]
        items, _ = self.api.list(kind, ns, label_selector=selector, user=self.user)
        return kind, items

    def get(
        self,
        resource: str,
        name: str | None = None,
        *,
        namespace: str | None = None,
        all_namespaces: bool = False,
        selector: str | Mapping[str, str] | None = None,
        output: str | None = None,
        show_labels: bool = False,
    ) -> pd.DataFrame | Text:
        """``kubectl get``: a table with kubectl's columns (``output="wide"`` adds the wide ones), or the
        objects as ``output="yaml"`` / ``"json"`` text. AGE is simulated time."""
        kind, items = self._list(resource, name, namespace, all_namespaces, selector)
        if output in ("yaml", "json"):
            payload: Any = items[0] if name is not None else {"apiVersion": "v1", "kind": "List", "items": items}
            return Text(dump_yaml(payload) if output == "yaml" else dump_json(payload))
        if output not in (None, "wide"):
            raise ValueError(f'unable to match a printer suitable for the output format "{output}"')
        return tables.get_table(
            items,
            kind.kind,
            self.sim.now,
            wide=output == "wide",
            show_labels=show_labels,
            namespace_column=all_namespaces and kind.namespaced,
            start=self.sim.start,
        )

    def describe(self, resource: str, name: str, *, namespace: str | None = None) -> Text:
        """``kubectl describe``: the object's fields and the Events that concern it."""
        kind, (obj,) = self._list(resource, name, namespace, False, None)
        ns = obj["metadata"].get("namespace")
        events, _ = self.api.list("events", ns, user=self.user) if kind.namespaced else self.api.list("events")
        # kubectl's describers read the related objects: a ReplicaSet's Pods, a Deployment's ReplicaSets
        related: dict[str, Any] = {}
        if kind.kind == "ReplicaSet":
            try:
                related["pods"], _ = self.api.list("pods", ns, user=self.user)
            except StatusError as err:
                related["pods_error"] = err.message
        elif kind.kind == "Deployment":
            with contextlib.suppress(StatusError):  # kubectl leaves OldReplicaSets/NewReplicaSet out
                related["replica_sets"], _ = self.api.list("replicasets", ns, user=self.user)
        return Text(tables.describe(obj, events=events, now=self.sim.now, start=self.sim.start, **related))

    # ---- delete --------------------------------------------------------------------------------------------

    def delete(
        self,
        resource: str,
        name: str,
        *,
        namespace: str | None = None,
        grace_period: int | None = None,
        cascade: str = "background",
    ) -> Text:
        """``kubectl delete``: ``cascade`` is ``background`` (the default), ``foreground`` or ``orphan``."""
        policies = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}
        if cascade not in policies:
            raise ValueError(f'invalid cascade value ({cascade}). Must be "background", "foreground", or "orphan".')
        try:
            kind = for_resource(resource)
        except UnknownKind as err:
            raise errors.bad_request(str(err)) from None
        ns = (namespace or "default") if kind.namespaced else None
        self.api.delete(kind, name, ns, grace_period, policies[cascade], user=self.user)
        group = f".{kind.group}" if kind.group else ""
        return Text(f'{kind.kind.lower()}{group} "{name}" deleted')

    # ---- scale, set image and rollout (kubectl's client side: k8smodel.rollout) ------------------------------

    def scale(
        self,
        target: str,
        replicas: int,
        *,
        namespace: str | None = None,
        current_replicas: int | None = None,
        resource_version: str | None = None,
    ) -> Text:
        """``kubectl scale deployment/web --replicas=5`` (``target`` is ``deployment/web`` or ``rs/web``)."""
        return self._kubectl(
            rollout.scale,
            target,
            replicas,
            namespace,
            current_replicas=current_replicas,
            resource_version=resource_version,
        )

    def set_image(self, target: str, *, namespace: str | None = None, **container_images: str) -> Text:
        """``kubectl set image deployment/web nginx=nginx:1.26``: ``cluster.set_image("deployment/web",
        nginx="nginx:1.26")`` (``**{"*": image}`` for every container)."""
        return self._kubectl(rollout.set_image, target, container_images, namespace)

    def rollout_status(
        self,
        target: str,
        *,
        namespace: str | None = None,
        revision: int = 0,
        watch: bool = True,
        timeout: float | str | None = None,
    ) -> Text:
        """``kubectl rollout status deployment/web``: with ``watch`` (the default) the simulated clock runs until the
        rollout is done, fails or ``timeout`` passes, and every status line kubectl would print is returned."""
        return self._kubectl(rollout.rollout_status, target, namespace, revision=revision, watch=watch, timeout=timeout)

    def rollout_history(self, target: str, *, namespace: str | None = None, revision: int = 0) -> Text:
        """``kubectl rollout history deployment/web [--revision=N]``."""
        return self._kubectl(rollout.rollout_history, target, namespace, revision=revision)

    def rollout_undo(self, target: str, *, namespace: str | None = None, to_revision: int = 0) -> Text:
        """``kubectl rollout undo deployment/web [--to-revision=N]``."""
        return self._kubectl(rollout.rollout_undo, target, namespace, to_revision=to_revision)

    def rollout_pause(self, target: str, *, namespace: str | None = None) -> Text:
        """``kubectl rollout pause deployment/web``."""
        return self._kubectl(rollout.rollout_pause, target, namespace)

    def rollout_resume(self, target: str, *, namespace: str | None = None) -> Text:
        """``kubectl rollout resume deployment/web``."""
        return self._kubectl(rollout.rollout_resume, target, namespace)

    def rollout_restart(self, target: str, *, namespace: str | None = None) -> Text:
        """``kubectl rollout restart deployment/web``."""
        return self._kubectl(rollout.rollout_restart, target, namespace)

    def _kubectl(self, command: Any, target: str, *args: Any, **options: Any) -> Text:
        """Run one of :mod:`k8smodel.rollout`'s commands as this cluster's user; the namespace (the last positional
        argument) defaults to ``default``. Failures raise :class:`~k8smodel.rollout.RolloutError`."""
        *rest, namespace = args
        return Text(command(self.api, target, *rest, namespace or "default", user=self.user, **options).rstrip("\n"))

    # ---- nodes ---------------------------------------------------------------------------------------------

    @property
    def nodes(self) -> Mapping[str, Any]:
        """The kubelets by node name (read-only): ``cluster.nodes["node-1"].running``."""
        return MappingProxyType(self._kubelets)

    def _kubelet(self, name: str) -> Any:
        kubelet = self._kubelets.get(name)
        if kubelet is None:
            known = ", ".join(self._kubelets) or "none"
            raise NodeError(f'node "{name}" has no kubelet in this cluster (nodes with kubelets: {known})')
        return kubelet

    def add_node(self, node: str | NodeConfig, **fields: Any) -> Any:
        """Add a machine and start its kubelet, which registers the Node (``node`` is a name or a
        :class:`NodeConfig`; ``fields`` set or override NodeConfig fields: ``cpu="8"``, ``zone="zone-a"``, ...).
        The first node starts the control plane. Returns the :class:`~k8smodel.kubelet.Kubelet`."""
        config = _node_config(node, fields)
        if config.name in self._kubelets:
            raise NodeError(f'node "{config.name}" already has a kubelet in this cluster')
        from k8smodel.kubelet import Kubelet  # imported when a node joins: a cluster without nodes does without

        self.start_control_plane()
        kubelet = Kubelet(self.sim, self.api, config, self.registry, user=node_user(config.name))
        self._kubelets[config.name] = kubelet
        kubelet.start()
        return kubelet

    def add_nodes(
        self, count: int, prefix: str = "node-", zones: Iterable[str] | None = None, **fields: Any
    ) -> list[Any]:
        """Add ``count`` nodes named ``<prefix>1``, ``<prefix>2``, ... (numbering continues after the highest one
        already there), spread round-robin over ``zones``; ``fields`` as for :meth:`add_node`."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise NodeError(f"add_nodes: count must be a whole number >= 0, got {count!r}")
        zone_list = list(zones or ())
        if "zone" in fields and zone_list:
            raise NodeError("add_nodes: give zone= or zones=, not both")
        taken = [int(n[len(prefix) :]) for n in self._kubelets if n.startswith(prefix) and n[len(prefix) :].isdigit()]
        first = max(taken, default=0) + 1
        added = []
        for i in range(count):
            extra = {"zone": zone_list[i % len(zone_list)]} if zone_list else {}
            added.append(self.add_node(f"{prefix}{first + i}", **fields, **extra))
        return added

    def remove_node(self, name: str) -> Text:
        """Take a machine out of the cluster: stop its kubelet and delete its Node (``kubectl delete node``)."""
        kubelet = self._kubelets.pop(name, None)
        if kubelet is not None:
            kubelet.stop()
        self.api.delete("nodes", name, user=self.user)
        return Text(f'node "{name}" deleted')

    def fail_node(self, name: str, mode: str = "crash") -> None:
        """Make a node fail: ``"crash"`` stops its kubelet and its containers (the machine is down);
        ``"partition"`` cuts it off the API server while its containers keep running."""
        kubelet = self._kubelet(name)
        if mode == "crash":
            kubelet.crash()
        elif mode == "partition":
            kubelet.partition()
        else:
            raise NodeError(f'fail_node: mode must be "crash" or "partition", got {mode!r}')

    def recover_node(self, name: str) -> None:
        """Bring a failed node back: restart a crashed kubelet, heal a partition."""
        kubelet = self._kubelet(name)
        if not kubelet.running:
            kubelet.recover()
        if not kubelet.reachable:
            kubelet.heal()

    def kill_container(self, pod: str, container: str, namespace: str | None = None, exit_code: int = 137) -> None:
        """Kill one container of a running Pod (as the kernel's OOM killer or a ``kill -9`` would); the kubelet
        then restarts it or not, per the Pod's ``restartPolicy``."""
        ns = namespace or "default"
        obj = self.api.get("pods", pod, ns, user=self.user)
        spec = obj.get("spec") or {}
        names = [c.get("name") for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])]
        if container not in names:
            raise NodeError(f"container {container} is not valid for pod {pod}")
        node = spec.get("nodeName")
        if not node:
            raise NodeError(f'pod "{pod}" is not bound to a node: it has no running containers')
        try:
            self._kubelet(node).kill_container(ns, pod, container, exit_code=exit_code)
        except KeyError as err:
            raise NodeError(err.args[0]) from None

    # ---- cordon, uncordon, drain (kubectl/pkg/cmd/drain, kubectl/pkg/drain) ---------------------------------

    def _cordon(self, name: str, desired: bool) -> str:
        """``RunCordonOrUncordon`` for one node: its output line."""
        node = self.api.get("nodes", name, user=self.user)
        if bool((node.get("spec") or {}).get("unschedulable")) == desired:  # CordonHelper.UpdateIfRequired
            return f"node/{name} already {'cordoned' if desired else 'uncordoned'}"
        self.api.patch("nodes", name, None, {"spec": {"unschedulable": True if desired else None}}, user=self.user)
        return f"node/{name} {'cordoned' if desired else 'uncordoned'}"

    def cordon(self, name: str) -> Text:
        """``kubectl cordon``: mark the node unschedulable (``node/node-1 cordoned``)."""
        return Text(self._cordon(name, True))

    def uncordon(self, name: str) -> Text:
        """``kubectl uncordon``: mark the node schedulable again (``node/node-1 uncordoned``)."""
        return Text(self._cordon(name, False))

    def drain(
        self,
        name: str,
        *,
        ignore_daemonsets: bool = False,
        delete_emptydir_data: bool = False,
        force: bool = False,
        grace_period: int = -1,
        timeout: float | str | None = None,
        disable_eviction: bool = False,
    ) -> Text:
        """``kubectl drain``: cordon the node, evict its Pods and wait (on the simulated clock) until they are gone.

        The flags are kubectl's (``--ignore-daemonsets``, ``--delete-emptydir-data``, ``--force``,
        ``--grace-period`` where -1 keeps each Pod's own, ``--timeout`` where ``None`` waits, ``--disable-eviction``
        to delete instead of evict). Returns kubectl's output; raises :class:`DrainError` with it when kubectl
        would fail (the node stays cordoned, as with kubectl).
        """
        lines = [self._cordon(name, True)]
        drainer = _Drainer(self, ignore_daemonsets, delete_emptydir_data, force)
        pods, errs = drainer.pods_for_deletion(name)
        if errs:
            self._drain_failed(lines, name, _aggregate(errs))
        if drainer.warnings:
            lines.append(f"Warning: {drainer.warnings}")
        limit = parse_duration(timeout) if timeout is not None else 0.0
        if limit < 0:
            raise NodeError(f"drain: timeout must not be negative, got {timeout!r}")
        error = drainer.delete_or_evict(pods, grace_period, limit, disable_eviction, lines)
        if error is not None:
            pending, _ = drainer.pods_for_deletion(name)
            if pending:
                lines.append(f'There are pending pods in node "{name}" when an error occurred: {error}')
                lines.extend(f"pod/{p['metadata']['name']}" for p in pending)
            self._drain_failed(lines, name, error)
        lines.append(f"node/{name} drained")
        return Text("\n".join(lines))

    @staticmethod
    def _drain_failed(lines: list[str], name: str, error: str) -> None:
        """``RunDrain``'s failure output, then the error ``cmdutil.CheckErr`` prints."""
        lines.append(f'error: unable to drain node "{name}" due to error:{error}, continuing command...')
        lines.append("There are pending nodes to be drained:")
        lines.append(f" {name}")
        lines.append(f"error: {error}")
        raise DrainError(lines)


def _is_missing_planned_namespace(err: StatusError, planned: set) -> bool:
    details = err.details or {}
    return details.get("kind") == "namespaces" and details.get("name") in planned


LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def _go_json(obj: Any) -> str:
    """``json.Marshal`` of an unstructured object: keys sorted, no spaces, ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _with_last_applied(doc: dict) -> dict:
    """The manifest with the ``last-applied-configuration`` annotation kubectl adds (``GetModifiedConfiguration``
    in ``staging/src/k8s.io/kubectl/pkg/util/apply.go``): the manifest itself, without that annotation, as JSON
    with a final newline."""
    meta = doc.get("metadata")
    if not isinstance(meta, Mapping):
        return doc
    annotations = meta.get("annotations")
    annotations = dict(annotations) if isinstance(annotations, Mapping) else {}
    annotations.pop(LAST_APPLIED, None)
    clean_meta = {k: v for k, v in meta.items() if k != "annotations"}
    if annotations:
        clean_meta["annotations"] = annotations
    try:
        applied = _go_json({**doc, "metadata": clean_meta}) + "\n"
    except (TypeError, ValueError):
        return doc  # not JSON (a value YAML typed oddly): the API server's decoding will refuse the document
    return {**doc, "metadata": {**clean_meta, "annotations": {**annotations, LAST_APPLIED: applied}}}


def _three_way_patch(original: Mapping, modified: Mapping, current: Mapping) -> dict:
    """``CreateThreeWayMergePatch`` with JSON-merge-patch semantics: set what ``modified`` has and ``current`` has
    not (or has otherwise), recursing into objects; delete (``None``) what ``original`` had and ``modified`` has not."""
    patch: dict = {}
    for key, value in modified.items():
        cur = current.get(key)
        if isinstance(value, Mapping) and isinstance(cur, Mapping):
            before = original.get(key)
            sub = _three_way_patch(before if isinstance(before, Mapping) else {}, value, cur)
            if sub:
                patch[key] = sub
        elif key not in current or cur != value:
            patch[key] = value
    for key in original:
        if key not in modified and key in current:
            patch[key] = None
    return patch


def _apply_patch(live: dict, manifest: dict) -> dict:
    """The object ``kubectl apply`` makes of ``live``: the three-way patch between the last applied manifest (from
    ``live``'s annotation), ``manifest`` and ``live``, applied to ``live``."""
    try:
        original = json.loads(((live.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED) or "{}")
    except ValueError:
        original = {}
    modified = {k: v for k, v in manifest.items() if k != "status"}
    current = {k: v for k, v in live.items() if k != "status"}
    patch = _three_way_patch(original if isinstance(original, Mapping) else {}, modified, current)
    patch.pop("status", None)
    return merge_patch(live, patch)


def _same_content(before: dict, after: dict) -> bool:
    """Whether an update changed nothing but the resourceVersion."""

    def strip(obj: dict) -> dict:
        meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k != "resourceVersion"}
        return {**obj, "metadata": meta}

    return strip(before) == strip(after)


# --- nodes: helpers ----------------------------------------------------------------------------------------------


@dataclass
class _ControlPlane:
    """The control plane's components and shared informers; one object shared by ``as_user`` views."""

    components: dict[str, Any] = field(default_factory=dict)
    informers: dict[str, Informer] = field(default_factory=dict)
    built: bool = False
    started: bool = False


def _node_config(node: str | NodeConfig, fields: Mapping[str, Any]) -> NodeConfig:
    names = {f.name for f in dataclasses.fields(NodeConfig)}
    unknown = sorted(set(fields) - names)
    if unknown:
        raise NodeError(f"unknown node field(s) {', '.join(unknown)}; NodeConfig has: {', '.join(sorted(names))}")
    if isinstance(node, NodeConfig):
        if "name" in fields:
            raise NodeError("add_node: give the name in the NodeConfig or as the first argument, not both")
        return dataclasses.replace(node, **fields) if fields else node
    if isinstance(node, str) and node:
        if "name" in fields:
            raise NodeError("add_node: the name is the first argument")
        return NodeConfig(name=node, **fields)
    raise NodeError(f"add_node: a node name or a NodeConfig, not {node!r}")


def _aggregate(messages: list[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``: one message as is, several de-duplicated in ``[a, b]``."""
    if len(messages) == 1:
        return messages[0]
    unique = list(dict.fromkeys(messages))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


# kubectl/pkg/drain/filters.go
_DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
_DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
_LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
_LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
_UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
_UNMANAGED_WARNING = "deleting Pods that declare no controller"
_MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
_DRAIN_POLL = 1.0  # waitForDelete's interval
_DRAIN_WAIT_CAP = 3600.0  # the model's limit on a drain without timeout (kubectl would wait for ever)


def _controller_of(pod: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """``metav1.GetControllerOf``."""
    for ref in pod["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


class _Drainer:
    """kubectl's ``drain.Helper``: the filters, the evictions and the wait."""

    def __init__(self, cluster: Cluster, ignore_daemonsets: bool, delete_emptydir_data: bool, force: bool) -> None:
        self.cluster = cluster
        self.ignore_daemonsets = ignore_daemonsets
        self.delete_emptydir_data = delete_emptydir_data
        self.force = force
        self.warnings = ""

    # ---- filters.go --------------------------------------------------------------------------------------

    def _daemonset_filter(self, pod: Mapping[str, Any]) -> tuple[bool, str, str]:
        ref = _controller_of(pod)
        if ref is None or ref.get("kind") != "DaemonSet":
            return True, "Okay", ""
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return True, "Okay", ""
        try:
            kind = for_kind("DaemonSet")
        except UnknownKind:
            kind = None  # no DaemonSet kind in the model yet: the owner is taken to exist
        if kind is not None:
            try:
                self.cluster.api.get(kind, ref.get("name", ""), pod["metadata"].get("namespace"))
            except StatusError as err:
                if err.code == 404 and self.force:
                    return True, "Warning", str(err)
                return False, "Error", str(err)
        if not self.ignore_daemonsets:
            return False, "Error", _DAEMONSET_FATAL
        return False, "Warning", _DAEMONSET_WARNING

    @staticmethod
    def _mirror_pod_filter(pod: Mapping[str, Any]) -> tuple[bool, str, str]:
        if _MIRROR_POD_ANNOTATION in (pod["metadata"].get("annotations") or {}):
            return False, "Skip", ""
        return True, "Okay", ""

    def _local_storage_filter(self, pod: Mapping[str, Any]) -> tuple[bool, str, str]:
        if not any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or ()):
            return True, "Okay", ""
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return True, "Okay", ""
        if not self.delete_emptydir_data:
            return False, "Error", _LOCAL_STORAGE_FATAL
        return True, "Warning", _LOCAL_STORAGE_WARNING

    def _unreplicated_filter(self, pod: Mapping[str, Any]) -> tuple[bool, str, str]:
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return True, "Okay", ""
        if _controller_of(pod) is not None:
            return True, "Okay", ""
        if self.force:
            return True, "Warning", _UNMANAGED_WARNING
        return False, "Error", _UNMANAGED_FATAL

    def pods_for_deletion(self, node: str) -> tuple[list[dict], list[str]]:
        """``GetPodsForDeletion``: the Pods to evict, and the errors (``cannot delete ...: ns/name, ...``)."""
        items, _ = self.cluster.api.list("pods", None, field_selector=f"spec.nodeName={node}", user=self.cluster.user)
        filters = (self._daemonset_filter, self._mirror_pod_filter, self._local_storage_filter,
                   self._unreplicated_filter)  # fmt: skip
        delete: list[dict] = []
        warnings: dict[str, list[str]] = {}
        errors: dict[str, list[str]] = {}
        for pod in items:
            status: tuple[bool, str, str] = (True, "Okay", "")
            for f in filters:  # only the last filter's status counts (upstream notes the dropped warnings)
                status = f(pod)
                if not status[0]:
                    break
            ok, reason, message = status
            ref = f"{pod['metadata'].get('namespace')}/{pod['metadata']['name']}"
            if ok:
                delete.append(pod)
            if reason == "Warning":
                warnings.setdefault(message, []).append(ref)
            elif reason == "Error":
                errors.setdefault(message or "unexpected error", []).append(ref)
        self.warnings = "; ".join(f"{m}: {', '.join(p)}" for m, p in warnings.items())
        errs = [
            f"{m}: {', '.join(p)}" if m.lower().startswith("cannot delete") else f"cannot delete {m}: {', '.join(p)}"
            for m, p in errors.items()
        ]
        return delete, errs

    # ---- drain.go ----------------------------------------------------------------------------------------

    def delete_or_evict(
        self, pods: list[dict], grace: int, timeout: float, disable_eviction: bool, lines: list[str]
    ) -> str | None:
        """``DeleteOrEvictPods``: evict (or delete) each Pod, then wait until it is gone; the error, if any."""
        if not pods:
            return None
        api, user = self.cluster.api, self.cluster.user
        grace_seconds = grace if grace >= 0 else None
        verb = "deleted" if disable_eviction else "evicted"
        errors: list[str] = []
        waiting: list[dict] = []
        for pod in pods:
            name, ns = pod["metadata"]["name"], pod["metadata"].get("namespace") or "default"
            if disable_eviction:
                try:
                    api.delete("pods", name, ns, grace_seconds, user=user)
                except StatusError as err:
                    if err.code != 404:
                        return str(err)
                waiting.append(pod)
                continue
            lines.append(f"evicting pod {ns}/{name}")
            try:
                api.evict(name, ns, grace_period_seconds=grace_seconds, user=user)
            except StatusError as err:
                if err.code != 404:
                    errors.append(f'error when evicting pods/"{name}" -n "{ns}": {err}')
                continue
            waiting.append(pod)
        # waitForDelete: poll at once, then every second, until every Pod is gone (or has a new uid)
        sim = self.cluster.sim
        start = sim.now
        deadline = start + timeout if timeout > 0 else math.inf
        while True:
            pending = []
            for pod in waiting:
                meta = pod["metadata"]
                try:
                    live = api.get("pods", meta["name"], meta.get("namespace"), user=user)
                except StatusError as err:
                    if err.code != 404:
                        raise
                    live = None
                if live is None or live["metadata"].get("uid") != meta.get("uid"):
                    lines.append(f"pod/{meta['name']} {verb}")
                else:
                    pending.append(pod)
            waiting = pending
            if not waiting:
                break
            if sim.now >= deadline:
                if disable_eviction:  # PollImmediate's own timeout (the delete path has no deadline context)
                    return "timed out waiting for the condition"
                limit = format_duration(timeout)
                errors.extend(
                    f'error when waiting for pod "{p["metadata"]["name"]}" in namespace '
                    f'"{p["metadata"].get("namespace")}" to terminate: global timeout reached: {limit}'
                    for p in waiting
                )
                break
            if timeout <= 0 and sim.now - start >= _DRAIN_WAIT_CAP:
                names = ", ".join(f"{p['metadata'].get('namespace')}/{p['metadata']['name']}" for p in waiting)
                lines.append(
                    f"error: the model stopped waiting after {format_duration(_DRAIN_WAIT_CAP)} of simulated time "
                    f"for pods that are not going away (is their kubelet down?): {names}; kubectl would wait for "
                    "ever (pass timeout= to give up like kubectl --timeout)"
                )
                raise DrainError(lines)
            sim.run(sim.now + _DRAIN_POLL)
        return _aggregate(errors) if errors else None
