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

What the model leaves out:

* kubectl's three-way strategic merge (with the ``last-applied-configuration`` annotation) and server-side apply:
  an apply here replaces the object's ``metadata.labels``, ``metadata.annotations`` and ``spec`` (or, for kinds
  without a spec, its top-level content) with the manifest's, keeping what the server set (uid,
  resourceVersion, generation, creationTimestamp, status). Fields a controller added to ``spec`` are therefore
  overwritten, as ``kubectl replace`` would.
* Atomicity: kubectl applies documents one by one and leaves the earlier ones applied when a later one fails. The
  model first checks every document (parsing, then a server-side dry run of each, in order) and changes nothing
  unless all of them would succeed, so a bad manifest never leaves the cluster half-applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from k8smodel.api import errors
from k8smodel.api.errors import StatusError
from k8smodel.api.kinds import Kind, UnknownKind, for_resource, kind_of
from k8smodel.api.manifest import ManifestError, dump_json, dump_yaml, load_manifests
from k8smodel.apiserver import ADMIN, APIServer, UserInfo, admission
from k8smodel.etcd import Store
from k8smodel.sim import Simulation
from k8smodel.views import tables

AUTHENTICATED = "system:authenticated"
NAMESPACE_NOT_FOUND = "NotFound"


class Text(str):
    """A string that a notebook shows as plain text (no quotes), like kubectl's output."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


class ApplyError(Exception):
    """``kubectl apply`` refused: one line per failing document, in kubectl's words. Nothing was changed."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


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
    outputs every run.
    """

    def __init__(self, seed: int = 0) -> None:
        self.sim = Simulation(seed)
        self.etcd = Store()
        self.api = APIServer(self.sim, self.etcd)
        self.user: UserInfo = ADMIN

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
        """Advance the simulated clock (``"5m"``, seconds, or until nothing is scheduled)."""
        self.sim.run(until)

    def run_for(self, duration: float | str) -> None:
        """Advance the simulated clock by ``duration`` (``"30s"`` or seconds)."""
        self.sim.run_for(duration)

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
        planned = {d.get("metadata", {}).get("name") for d in docs if d.get("kind") == "Namespace"}
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
            if live is None:
                stored = self.api.create(doc, namespace=ns, user=self.user, dry_run=dry_run, from_manifest=True)
                change = "created"
            else:
                verb = "applying patch"
                desired = _merge_for_apply(live, doc)
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
        )

    def describe(self, resource: str, name: str, *, namespace: str | None = None) -> Text:
        """``kubectl describe``: the object's fields and the Events that concern it."""
        kind, (obj,) = self._list(resource, name, namespace, False, None)
        ns = obj["metadata"].get("namespace")
        events, _ = self.api.list("events", ns, user=self.user) if kind.namespaced else self.api.list("events")
        return Text(tables.describe(obj, events=events, now=self.sim.now))

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


def _is_missing_planned_namespace(err: StatusError, planned: set) -> bool:
    details = err.details or {}
    return details.get("kind") == "namespaces" and details.get("name") in planned


_SERVER_META = ("uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                "deletionGracePeriodSeconds", "ownerReferences", "finalizers", "managedFields")  # fmt: skip


def _merge_for_apply(live: dict, manifest: dict) -> dict:
    """The object an apply writes: the manifest's content over the live object's server-set fields."""
    desired = {k: v for k, v in manifest.items() if k != "status"}
    meta = dict(manifest.get("metadata") or {})
    live_meta = live.get("metadata") or {}
    for key in _SERVER_META:
        if key in live_meta and key not in meta:
            meta[key] = live_meta[key]
    meta.setdefault("namespace", live_meta.get("namespace"))
    if meta.get("namespace") is None:
        meta.pop("namespace")
    desired["metadata"] = meta
    if "status" in live:
        desired["status"] = live["status"]
    return desired


def _same_content(before: dict, after: dict) -> bool:
    """Whether an update changed nothing but the resourceVersion."""

    def strip(obj: dict) -> dict:
        meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k != "resourceVersion"}
        return {**obj, "metadata": meta}

    return strip(before) == strip(after)
