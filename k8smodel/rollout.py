"""rollout: kubectl's client side of Deployments — ``rollout status/history/undo/pause/resume/restart``,
``set image``, ``scale``.

None of these verbs is a feature of the API server or of the Deployment controller: each is a little program in
kubectl that reads and writes the Deployment (and its ReplicaSets) through the API like any other client. ``rollout
undo`` in particular is not a server-side operation (the ``rollbackTo`` field of ``extensions/v1beta1`` is long gone):
kubectl finds the ReplicaSet of the revision, copies its Pod template back into the Deployment, and the Deployment
controller sees an ordinary template change.

Each function takes the API server (:class:`k8smodel.apiserver.APIServer`) and the requesting ``user`` (as the API
server's ``user=`` arguments take it), returns what kubectl prints on standard output, and raises
:class:`RolloutError` with what kubectl prints on standard error (``error: ...`` or ``Error from server (NotFound):
...``), plus whatever it had printed before (``.output``). A failed command changes nothing that kubectl would not
have changed.

Upstream (``staging/src/k8s.io/kubectl/pkg/``), ported function by function:

``polymorphichelpers/rollout_status.go`` — :func:`deployment_status`, used by :func:`rollout_status`
    ``DeploymentStatusViewer.Status``: ``Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have
    been updated...``, ``... 1 old replicas are pending termination...``, ``... 2 of 3 updated replicas are
    available...``, ``deployment "web" successfully rolled out``, ``Waiting for deployment spec update to be
    observed...``; the error ``deployment "web" exceeded its progress deadline``. ``cmd/rollout/rollout_status.go``
    watches the Deployment (``watchtools.UntilWithSync``) and prints the status on every change, until it is done.
    On the simulated clock :func:`rollout_status` runs the simulation event by event until then, so the clock stops at
    the moment the rollout finished (``timeout`` is ``--timeout``).
``polymorphichelpers/history.go`` and ``cmd/rollout/rollout_history.go`` — :func:`rollout_history`
    ``REVISION  CHANGE-CAUSE`` from the ReplicaSets' revision and ``kubernetes.io/change-cause`` annotations; with
    ``revision`` the Pod template of that revision, as ``kubectl describe`` prints it (``DescribePodTemplate``,
    :func:`describe_pod_template`).
``polymorphichelpers/rollback.go`` and ``cmd/rollout/rollout_undo.go`` — :func:`rollout_undo`
    ``DeploymentRollbacker``: the previous revision (the second highest) or ``to_revision``; refuses a paused
    Deployment; ``skipped rollback (current template already matches revision 2)``; otherwise replaces
    ``spec.template`` (without the hash label) and the annotations (the ReplicaSet's, keeping the Deployment's own
    revision and last-applied ones): ``deployment.apps/web rolled back``.
``polymorphichelpers/objectpauser.go``, ``objectresumer.go``, ``objectrestarter.go`` and ``cmd/rollout/`` —
:func:`rollout_pause`, :func:`rollout_resume`, :func:`rollout_restart`
    ``spec.paused`` true or false (``error: deployments.apps "web" is already paused`` / ``is not paused``); restart
    sets the template annotation ``kubectl.kubernetes.io/restartedAt``, which makes a new ReplicaSet.
``cmd/set/set_image.go`` — :func:`set_image`
    ``kubectl set image deployment/web nginx=nginx:1.26`` (``*`` for every container, init containers included):
    ``deployment.apps/web image updated``; an unknown container is ``error: unable to find container named "x"``.
``cmd/scale/scale.go`` and ``scale/scale.go`` — :func:`scale`
    ``deployment.apps/web scaled``; ``--current-replicas`` and ``--resource-version`` preconditions
    (``Expected replicas to be 3, was 2``).

What the model leaves out
    * Only Deployments roll out (the DaemonSet and StatefulSet viewers and rollbackers are not modelled), and
      ``scale`` knows Deployments and ReplicaSets; other kinds get kubectl's "not implemented" errors.
    * Patches: kubectl sends strategic merge patches (and a JSON patch for undo); the model's API server speaks JSON
      merge patch, so ``pause``/``resume``/``restart``/``scale`` send merge patches of the same fields, and
      ``undo``/``set image`` read the Deployment and update it (nothing can run in between on the simulated clock).
      ``scale`` writes ``spec.replicas`` (the model has no ``scale`` subresource).
    * No ``--dry-run``, ``-o``/``--output``, label selectors, ``-f`` files, ``--record``, ``--all``; one object per
      call. Newer kubectl may append a warning about unschedulable or crash-looping Pods to the status lines; this
      model prints the status lines as the long-standing viewer does.
    * ``rollout status`` without ``timeout`` would wait for ever in kubectl; the model gives up after an hour of
      simulated time (:data:`DEFAULT_STATUS_WAIT`) with an error saying so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from k8smodel.api import errors
from k8smodel.api.defaults import _deepcopy
from k8smodel.api.errors import StatusError
from k8smodel.api.field import go_quote
from k8smodel.api.kinds import Kind, UnknownKind, for_kind, for_resource
from k8smodel.api.quantity import QuantityError, parse_quantity
from k8smodel.apiserver.authn import ADMIN
from k8smodel.controllers import deployment_util as du
from k8smodel.sim import format_duration, parse_duration
from k8smodel.views.tables import format_label_selector, tabwrite

Obj = dict[str, Any]

ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"
RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt"
DEFAULT_STATUS_WAIT = 3600.0
"""How long :func:`rollout_status` waits without a ``timeout`` (kubectl would wait for ever)."""
MAX_ANNOTATION_LEN = 140  # describe.go maxAnnotationLen

_SCALABLE = ("Deployment", "ReplicaSet")


class RolloutError(Exception):
    """A kubectl command that failed: ``str(err)`` is what kubectl prints on standard error; ``output`` is what it
    had printed on standard output before failing."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


# ---------------------------------------------------------------------------------------------------------------
# resource arguments and errors


def _parse_target(target: str) -> tuple[Kind, str]:
    """``"web"``, ``"deployment/web"``, ``"deployments.apps/web"``, ``"deploy/web"``, ``"rs/web-x"`` -> ``(kind,
    name)``; a bare name is a Deployment."""
    if not target:
        raise RolloutError("error: required resource not specified")
    if "/" not in target:
        return for_kind("Deployment"), target
    resource, _, name = target.partition("/")
    try:
        kind = for_resource(resource)
    except UnknownKind as err:
        # "deployment.apps": a singular or short name with its group
        short, _, group = resource.partition(".")
        try:
            kind = for_resource(short)
        except UnknownKind:
            raise RolloutError(f"error: {err}") from None
        if kind.group != group:
            raise RolloutError(f"error: {err}") from None
    if not name:
        raise RolloutError("error: arguments in resource/name form must have a single resource and name")
    return kind, name


def _object_name(kind: Kind, name: str) -> str:
    """The name printer's ``deployment.apps/web`` (``pod/web`` for the core group)."""
    return f"{kind.kind.lower()}.{kind.group}/{name}" if kind.group else f"{kind.kind.lower()}/{name}"


def _server_error(err: StatusError, output: str = "") -> RolloutError:
    return RolloutError(f"Error from server ({err.reason or err.code}): {err.message}", output)


def _get(api: Any, kind: Kind, name: str, namespace: str, user: Any) -> Obj:
    try:
        return api.get(kind.resource, name, namespace, user=user)
    except StatusError as err:
        raise _server_error(err) from None


def _owned_replica_sets(api: Any, deployment: Obj, user: Any) -> tuple[list[Obj], list[Obj], Obj | None]:
    """kubectl's ``deploymentutil.GetAllReplicaSets`` over the API (``RsListFromClient``)."""

    def lister(namespace: str, selector: Any) -> list[Obj]:
        items, _ = api.list("replicasets", namespace, label_selector=selector, user=user)
        return items

    try:
        return du.get_all_replica_sets(deployment, lister)
    except StatusError as err:
        raise RolloutError(
            f"error: failed to retrieve replica sets from deployment {deployment['metadata']['name']}: {err}"
        ) from None


def _not_implemented(what: str, kind: Kind) -> RolloutError:
    return RolloutError(f'error: no {what} has been implemented for "{kind.qualified_kind}"')


# ---------------------------------------------------------------------------------------------------------------
# rollout status


def deployment_status(deployment: Mapping[str, Any], revision: int = 0) -> tuple[str, bool]:
    """``DeploymentStatusViewer.Status``: ``(message, done)``; raises :class:`RolloutError` when the pinned
    ``revision`` is not the running one or the rollout exceeded its progress deadline."""
    name = deployment["metadata"]["name"]
    if revision > 0:
        try:
            current = du.revision(deployment)
        except du.RevisionError as err:
            raise RolloutError(f'error: cannot get the revision of deployment "{name}": {err}') from None
        if revision != current:
            raise RolloutError(
                f"error: desired revision ({revision}) is different from the running revision ({current})"
            )
    meta = deployment["metadata"]
    status = deployment.get("status") or {}
    spec = deployment.get("spec") or {}
    if (meta.get("generation") or 0) <= (status.get("observedGeneration") or 0):
        cond = du.get_deployment_condition(status, du.DEPLOYMENT_PROGRESSING)
        if cond is not None and cond.get("reason") == du.TIMED_OUT_REASON:
            raise RolloutError(f'error: deployment "{name}" exceeded its progress deadline')
        updated = status.get("updatedReplicas") or 0
        replicas = status.get("replicas") or 0
        available = status.get("availableReplicas") or 0
        if spec.get("replicas") is not None and updated < spec["replicas"]:
            return (
                f'Waiting for deployment "{name}" rollout to finish: {updated} out of {spec["replicas"]} new replicas '
                "have been updated...\n",
                False,
            )
        if replicas > updated:
            return (
                f'Waiting for deployment "{name}" rollout to finish: {replicas - updated} old replicas are pending '
                "termination...\n",
                False,
            )
        if available < updated:
            return (
                f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated replicas are '
                "available...\n",
                False,
            )
        return f'deployment "{name}" successfully rolled out\n', True
    return "Waiting for deployment spec update to be observed...\n", False


def rollout_status(
    api: Any,
    name: str,
    namespace: str = "default",
    *,
    revision: int = 0,
    watch: bool = True,
    timeout: float | str | None = None,
    user: Any = ADMIN,
) -> str:
    """``kubectl rollout status deployment/<name>``: print the status, and with ``watch`` (the default) every new
    status as the Deployment changes, until the rollout is done; returns everything printed.

    The simulation (``api.sim``) runs, event by event, until the rollout is done, fails (progress deadline exceeded,
    the Deployment deleted, a pinned ``revision`` rolled over) or ``timeout`` (``--timeout``, a Go duration or
    seconds; ``error: timed out waiting for the condition``) passes; the clock is then at that moment.
    """
    if revision < 0:
        raise RolloutError(f"error: revision must be a positive integer: {revision}")
    kind, name = _parse_target(name)
    if kind.kind != "Deployment":
        raise RolloutError(f"error: no status viewer has been implemented for {kind.qualified_kind}")
    deployment = _get(api, kind, name, namespace, user)
    sim = api.sim
    out: list[str] = []
    state: dict[str, Any] = {"done": False, "error": None}

    def condition(obj: Mapping[str, Any]) -> None:
        try:
            message, done = deployment_status(obj, revision)
        except RolloutError as err:
            state["error"] = str(err)
            return
        out.append(message)
        if done or not watch:
            state["done"] = True

    # UntilWithSync: list (the current object counts as "Added"), then watch from the list's version
    items, rv = api.list(
        "deployments", namespace, field_selector=f"metadata.name={name}", user=user
    )  # the informer's list
    for obj in items:
        condition(obj)
    if state["error"]:
        raise RolloutError(state["error"], "".join(out))
    if state["done"]:
        return "".join(out)
    del deployment

    def on_event(event_type: str, obj: Any) -> None:
        if state["done"] or state["error"]:
            return
        if event_type in ("ADDED", "MODIFIED"):
            condition(obj)
        elif event_type == "DELETED":
            state["error"] = "error: object has been deleted"

    handle = api.watch("deployments", namespace, rv, None, on_event, field_selector=f"metadata.name={name}", user=user)
    limit = DEFAULT_STATUS_WAIT if timeout is None else parse_duration(timeout)
    timer = sim.call_later(limit, state.__setitem__, "timed_out", True)
    try:
        # event by event until the rollout is done, fails or times out (the timer above is always due, so the
        # queue cannot run dry first; if it did, the wait would be waited out)
        if not sim.run(stop=lambda: state["done"] or state["error"] or state.get("timed_out")):
            sim.run(sim.now + limit)
            state["timed_out"] = True
    finally:
        handle.stop()
        timer.cancel()
    if state.get("timed_out") and not (state["done"] or state["error"]):
        if timeout is None:
            raise RolloutError(
                f"error: the model stopped waiting after {format_duration(limit)} of simulated time (kubectl without "
                "--timeout would keep waiting)",
                "".join(out),
            )
        raise RolloutError("error: timed out waiting for the condition", "".join(out))
    if state["error"]:
        raise RolloutError(str(state["error"]), "".join(out))
    return "".join(out)


# ---------------------------------------------------------------------------------------------------------------
# rollout history


def rollout_history(api: Any, name: str, namespace: str = "default", *, revision: int = 0, user: Any = ADMIN) -> str:
    """``kubectl rollout history deployment/<name> [--revision=N]``: the revisions and their change causes, or the
    Pod template of one revision."""
    if revision < 0:
        raise RolloutError(f"error: revision must be a positive integer: {revision}")
    kind, name = _parse_target(name)
    if kind.kind != "Deployment":
        raise _not_implemented("history viewer", kind)
    deployment = _get(api, kind, name, namespace, user)
    _, all_old, new_rs = _owned_replica_sets(api, deployment, user)
    history: dict[int, Obj] = {}
    for rs in [*all_old, *([new_rs] if new_rs is not None else [])]:
        try:
            v = du.revision(rs)
        except du.RevisionError:
            continue
        template = _deepcopy((rs.get("spec") or {}).get("template") or {})
        tmeta = template.setdefault("metadata", {})
        annotations = tmeta.get("annotations")
        if annotations is None:
            annotations = tmeta["annotations"] = {}
        cause = ((rs.get("metadata") or {}).get("annotations") or {}).get(du.CHANGE_CAUSE_ANNOTATION)
        if cause:
            annotations[du.CHANGE_CAUSE_ANNOTATION] = cause
        history[v] = template
    header = _object_name(kind, name)
    if not history:
        text = "No rollout history found."
    elif revision > 0:
        template = history.get(revision)
        if template is None:
            raise RolloutError("error: unable to find the specified revision")
        return f"{header} with revision #{revision}\n{describe_pod_template(template)}\n"
    else:
        rows = ["REVISION\tCHANGE-CAUSE"]
        for r in sorted(history):
            cause = (history[r].get("metadata") or {}).get("annotations", {}).get(
                du.CHANGE_CAUSE_ANNOTATION
            ) or "<none>"
            rows.append(f"{r}\t{cause}")
        text = tabwrite("\n".join(rows) + "\n")
    return f"{header} \n{text}\n"


# ---------------------------------------------------------------------------------------------------------------
# rollout undo


def rollout_undo(api: Any, name: str, namespace: str = "default", *, to_revision: int = 0, user: Any = ADMIN) -> str:
    """``kubectl rollout undo deployment/<name> [--to-revision=N]``: copy the template of the previous revision
    (or of ``to_revision``) back into the Deployment."""
    kind, name = _parse_target(name)
    if kind.kind != "Deployment":
        raise _not_implemented("rollbacker", kind)
    _get(api, kind, name, namespace, user)  # the builder's lookup: NotFound before anything else
    if to_revision < 0:
        raise RolloutError(f"error: unable to find specified revision {to_revision} in history")
    try:
        deployment = api.get("deployments", name, namespace, user=user)
    except StatusError as err:
        raise RolloutError(f"error: failed to retrieve Deployment {name}: {err}") from None
    rs = _deployment_revision(api, deployment, to_revision, user)
    if (deployment.get("spec") or {}).get("paused"):
        raise RolloutError(
            f"error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume "
            f"deployment/{name}' and try again"
        )
    template = _deepcopy((rs.get("spec") or {}).get("template") or {})
    if du.equal_ignore_hash(template, (deployment.get("spec") or {}).get("template")):
        return (
            f"{_object_name(kind, name)} {ROLLBACK_SKIPPED} (current template already matches revision {to_revision})\n"
        )
    labels = (template.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(du.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, None)
    current = (deployment.get("metadata") or {}).get("annotations") or {}
    annotations = {k: current[k] for k in sorted(du.ANNOTATIONS_TO_SKIP) if k in current}
    for k, v in ((rs.get("metadata") or {}).get("annotations") or {}).items():
        if k not in du.ANNOTATIONS_TO_SKIP:
            annotations[k] = v
    deployment["spec"]["template"] = template
    deployment["metadata"]["annotations"] = annotations
    try:
        api.update(deployment, user=user)
    except StatusError as err:
        raise RolloutError(f"error: failed restoring revision {to_revision}: {err}") from None
    return f"{_object_name(kind, name)} {ROLLBACK_SUCCESS}\n"


def _deployment_revision(api: Any, deployment: Obj, to_revision: int, user: Any) -> Obj:
    """``deploymentRevision``: the ReplicaSet of ``to_revision``, or for 0 the one before the latest."""
    _, all_old, new_rs = _owned_replica_sets(api, deployment, user)
    all_rss = [*all_old, *([new_rs] if new_rs is not None else [])]
    latest: Obj | None = None
    latest_rev = -1
    previous: Obj | None = None
    previous_rev = -1
    for rs in all_rss:
        try:
            v = du.revision(rs)
        except du.RevisionError:
            continue
        if to_revision == 0:
            if latest_rev < v:
                previous, previous_rev = latest, latest_rev
                latest, latest_rev = rs, v
            elif previous_rev < v:
                previous, previous_rev = rs, v
        elif to_revision == v:
            return rs
    if to_revision > 0:
        raise RolloutError(f"error: unable to find specified revision {to_revision} in history")
    if previous is None:
        raise RolloutError(f'error: no rollout history found for deployment "{deployment["metadata"]["name"]}"')
    return previous


# ---------------------------------------------------------------------------------------------------------------
# rollout pause / resume / restart


def _patch_deployment(api: Any, kind: Kind, name: str, namespace: str, patch: Obj, user: Any) -> None:
    try:
        api.patch(kind.resource, name, namespace, patch, user=user)
    except StatusError as err:
        raise RolloutError(f"error: failed to patch: {err}") from None


def rollout_pause(api: Any, name: str, namespace: str = "default", *, user: Any = ADMIN) -> str:
    """``kubectl rollout pause deployment/<name>``: ``spec.paused: true``. The controller then only scales (in
    proportion) and reports; template changes wait for the resume."""
    kind, name = _parse_target(name)
    obj = _get(api, kind, name, namespace, user)
    if kind.kind != "Deployment":
        raise RolloutError(f'error: {kind.group_resource} "{name}" pausing is not supported')
    if (obj.get("spec") or {}).get("paused"):
        raise RolloutError(f'error: deployments.apps "{name}" is already paused')
    _patch_deployment(api, kind, name, namespace, {"spec": {"paused": True}}, user)
    return f"{_object_name(kind, name)} paused\n"


def rollout_resume(api: Any, name: str, namespace: str = "default", *, user: Any = ADMIN) -> str:
    """``kubectl rollout resume deployment/<name>``: ``spec.paused: false``."""
    kind, name = _parse_target(name)
    obj = _get(api, kind, name, namespace, user)
    if kind.kind != "Deployment":
        raise RolloutError(f'error: {kind.group_resource} "{name}" resuming is not supported')
    if not (obj.get("spec") or {}).get("paused"):
        raise RolloutError(f'error: deployments.apps "{name}" is not paused')
    _patch_deployment(api, kind, name, namespace, {"spec": {"paused": None}}, user)
    return f"{_object_name(kind, name)} resumed\n"


def rollout_restart(api: Any, name: str, namespace: str = "default", *, user: Any = ADMIN) -> str:
    """``kubectl rollout restart deployment/<name>``: stamp the template with ``kubectl.kubernetes.io/restartedAt``
    (now), so a new ReplicaSet replaces every Pod. A paused Deployment is refused, as ``defaultObjectRestarter``
    refuses it."""
    kind, name = _parse_target(name)
    obj = _get(api, kind, name, namespace, user)
    if kind.kind != "Deployment":
        raise RolloutError(f'error: {kind.group_resource} "{name}" restarting is not supported')
    if (obj.get("spec") or {}).get("paused"):
        raise RolloutError(
            f'error: deployments.apps "{name}" can\'t restart paused deployment (run rollout resume first)'
        )
    stamp = api.sim.rfc3339()
    patch = {"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT_ANNOTATION: stamp}}}}}
    _patch_deployment(api, kind, name, namespace, patch, user)
    return f"{_object_name(kind, name)} restarted\n"


# ---------------------------------------------------------------------------------------------------------------
# set image


def set_image(
    api: Any, name: str, container_images: Mapping[str, str], namespace: str = "default", *, user: Any = ADMIN
) -> str:
    """``kubectl set image deployment/<name> <container>=<image> ...`` (``*`` for every container).

    Containers and init containers of that name get the image; a name that matches none is ``error: unable to find
    container named "x"`` (the other images are still set). Nothing changed, nothing printed.
    """
    kind, name = _parse_target(name)
    if not container_images:
        raise RolloutError("error: at least one image update is required")
    if len(container_images) > 1 and "*" in container_images:
        raise RolloutError(
            "error: all containers are already specified by *, but saw more than one container_name=container_image "
            "pairs"
        )
    obj = _get(api, kind, name, namespace, user)
    if kind.kind == "Pod":
        spec = obj.get("spec") or {}
    elif isinstance((obj.get("spec") or {}).get("template"), dict):
        spec = obj["spec"]["template"].get("spec") or {}
    else:  # UpdatePodSpecForObject
        raise RolloutError(f"error: {_object_name(kind, name)} the object is not a pod or does not have a pod template")
    errs: list[str] = []
    before = _deepcopy(spec)
    for container, image in container_images.items():
        found = _set_image(spec.get("initContainers") or [], container, image)
        found = _set_image(spec.get("containers") or [], container, image) or found
        if not found:
            errs.append(f"error: unable to find container named {go_quote(container)}")
    out = ""
    if spec != before:
        try:
            api.update(obj, user=user)
        except StatusError as err:
            errs.append(f"failed to patch image update to pod template: {err}")
        else:
            out = f"{_object_name(kind, name)} image updated\n"
    if errs:
        raise RolloutError(errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]", out)
    return out


def _set_image(containers: list[Obj], name: str, image: str) -> bool:
    found = False
    for c in containers:
        if c.get("name") == name or name == "*":
            found = True
            c["image"] = image
    return found


# ---------------------------------------------------------------------------------------------------------------
# scale


def scale(
    api: Any,
    name: str,
    replicas: int,
    namespace: str = "default",
    *,
    current_replicas: int | None = None,
    resource_version: str | None = None,
    user: Any = ADMIN,
) -> str:
    """``kubectl scale deployment/<name> --replicas=N`` (or ``rs/<name>``), with kubectl's preconditions
    ``--current-replicas`` and ``--resource-version``."""
    kind, name = _parse_target(name)
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
        raise RolloutError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    obj = _get(api, kind, name, namespace, user)
    if kind.kind not in _SCALABLE:
        # the scale subresource: the model's Deployments and ReplicaSets have it, other kinds a 404
        raise RolloutError("Error from server (NotFound): the server could not find the requested resource")
    actual = (obj.get("spec") or {}).get("replicas") or 0
    if current_replicas is not None and current_replicas != -1 and current_replicas != actual:
        raise RolloutError(f"error: Expected replicas to be {current_replicas}, was {actual}")
    if resource_version and resource_version != obj["metadata"].get("resourceVersion"):
        raise RolloutError(
            f"error: Expected resource version to be {resource_version}, was {obj['metadata'].get('resourceVersion')}"
        )
    patch: Obj = {"spec": {"replicas": replicas}}
    if resource_version:
        patch["metadata"] = {"resourceVersion": resource_version}
    try:
        api.patch(kind.resource, name, namespace, patch, user=user)
    except StatusError as err:
        if errors.is_conflict(err):
            raise RolloutError(f"error: {err}") from None
        raise _server_error(err) from None
    return f"{_object_name(kind, name)} scaled\n"


# ---------------------------------------------------------------------------------------------------------------
# DescribePodTemplate (describe.go), as kubectl's printTemplate writes it: through a PrefixWriter, tabs unaligned


class _PrefixWriter:
    """describe.go's ``prefixWriter`` / ``nestedPrefixWriter``: every ``Write`` call is prefixed with two spaces
    per level (plus the nesting), ``WriteLine`` with the nesting only; the text is escaped as
    ``printers.WriteEscaped`` does (``\\x1b`` is ``^[``, ``\\r`` is ``\\\\r``)."""

    def __init__(self, out: list[str] | None = None, indent: int = 0) -> None:
        self.out: list[str] = [] if out is None else out
        self.indent = indent

    def write(self, level: int, text: str) -> None:
        self.out.append("  " * (level + self.indent) + text)

    def write_line(self, text: str) -> None:
        self.write(0, text + "\n")

    def nested(self, indent: int) -> _PrefixWriter:
        """``NewNestedPrefixWriter(w, indent)``."""
        return _PrefixWriter(self.out, self.indent + indent)

    def text(self) -> str:
        return "".join(self.out).replace("\x1b", "^[").replace("\r", "\\r")


def describe_pod_template(template: Mapping[str, Any] | None) -> str:
    """``describe.DescribePodTemplate`` written by kubectl's ``printTemplate``: a ``PrefixWriter`` without a
    tabwriter, so the text keeps its tabs (``Labels:\\tapp=web``), exactly as ``rollout history --revision``
    prints it; ``kubectl describe`` (:mod:`k8smodel.views.tables`) lays the same text out with its tabwriter.

    Upstream: ``staging/src/k8s.io/kubectl/pkg/describe/describe.go`` — ``DescribePodTemplate``,
    ``describeContainers`` (``describeContainerBasicInfo``, ``describeContainerPorts``/``HostPorts``,
    ``describeContainerCommand``, ``describeResources``, ``describeContainerProbe``, ``describeContainerEnvFrom``,
    ``describeContainerEnvVars``, ``describeContainerVolumes``), ``describeVolumes``,
    ``describeTopologySpreadConstraints``, ``printLabelsMultiline``, ``printAnnotationsMultiline``,
    ``printTolerationsMultilineWithIndent``, ``describeSchedulingGroup``; ``ExtractContainerResourceValue`` from
    ``staging/src/k8s.io/kubectl/pkg/util/resource/resource.go`` for ``resourceFieldRef`` variables.

    What the model leaves out: ``describeVolumes`` prints hostPath, emptyDir, gcePersistentDisk,
    awsElasticBlockStore, gitRepo, secret, configMap, nfs, persistentVolumeClaim, ephemeral, downwardAPI,
    projected, csi and image volumes; the other (mostly deprecated) in-tree types print ``<unknown>`` here. Go's
    ``sort.Slice`` (tolerations, topology spread constraints) is stable only up to 12 elements; the model sorts
    stably, so equal keys beyond that may come in another order than kubectl's. Lengths of annotations are counted
    in characters, not UTF-8 bytes."""
    w = _PrefixWriter()
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return w.text()
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    _labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        _annotations_multiline(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        _containers(w, "Init Containers", spec["initContainers"], "  ")
    _containers(w, "Containers", spec.get("containers") or [], "  ")
    _volumes(w, spec.get("volumes") or [], "  ")
    _topology_spread_constraints(w, spec.get("topologySpreadConstraints") or [], "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    _labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    _tolerations_multiline(w, "  Tolerations", spec.get("tolerations") or [])
    if spec.get("schedulingGroup") is not None:
        w.write(0, "  SchedulingGroup:\n")
        w.write(1, f"PodGroupName:\t{spec['schedulingGroup'].get('podGroupName', '')}\n")
    return w.text()


def _go_bool(value: Any) -> str:
    """Go's ``%v``/``%t`` of a bool (a nil ``*bool`` read as false, as describe.go's ``x != nil && *x``)."""
    return "true" if value else "false"


def _quantity(value: Any) -> str:
    """``Quantity.String()``: the canonical form (``0.5`` is ``500m``, ``1024Mi`` is ``1Gi``); text that does not
    parse (the API server would have refused it) is printed as given."""
    try:
        return parse_quantity(str(value)).string()
    except (QuantityError, ValueError):
        return str(value)


def _labels_multiline(w: _PrefixWriter, title: str, labels: Mapping[str, str] | None) -> None:
    """``printLabelsMultiline`` (``printLabelsMultilineWithIndent`` with no initial indent and a ``\\t`` inner
    indent); every piece is its own ``Write``, so a nested writer prefixes each of them."""
    w.write(0, f"{title}:\t")
    if not labels:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(0, "")
            w.write(0, "\t")
        w.write(0, f"{key}={labels[key]}\n")


def _annotations_multiline(w: _PrefixWriter, title: str, annotations: Mapping[str, str] | None) -> None:
    """``printAnnotationsMultiline``: kubectl's last-applied-configuration is skipped; a value whose length plus
    its key's plus 2 exceeds ``maxAnnotationLen`` (140), or that spans lines, goes on lines of its own
    (``"%s  %s\\n"`` after the ``\\t`` indent), each shortened to 138 characters and ``...``."""
    keys = sorted(k for k in annotations or {} if k != du.LAST_APPLIED_CONFIG_ANNOTATION)
    w.write(0, f"{title}:\t")
    if not keys:
        w.write_line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = str(annotations[key]).removesuffix("\n")  # type: ignore[index]
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                short = line if len(line) <= MAX_ANNOTATION_LEN - 2 else line[: MAX_ANNOTATION_LEN - 2] + "..."
                w.write(0, f"\t  {short}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def _containers(w: _PrefixWriter, label: str, containers: list[Mapping[str, Any]], space: str) -> None:
    """``describeContainers`` with no statuses and no resolver, as for a template (``space`` is two spaces)."""
    w.write(0, f"{space}{label}:{' <none>' if not containers else ''}\n")
    for c in containers:
        _container_basic_info(w, c, space)
        _container_command(w, c)
        _resources(w, c.get("resources") or {}, 2)
        for field, title in (
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ):
            if c.get(field) is not None:
                w.write(2, f"{title}:\t{describe_probe(c[field])}\n")
        if c.get("envFrom"):
            _container_env_from(w, c["envFrom"])
        _container_env_vars(w, c)
        _container_volumes(w, c)


def _ports(ports: list[Mapping[str, Any]], field: str) -> str:
    """``describeContainerPorts`` / ``describeContainerHostPorts``: ``%d/%s``, then `` (name)`` for a named
    port, joined by ``, ``."""
    out = []
    for p in ports:
        text = f"{p.get(field, 0)}/{p.get('protocol', 'TCP')}"
        if p.get("name"):
            text = f"{text} ({p['name']})"
        out.append(text)
    return ", ".join(out)


def _container_basic_info(w: _PrefixWriter, c: Mapping[str, Any], space: str) -> None:
    """``describeContainerBasicInfo`` without a status: name, image, ``Port``/``Ports`` (plural when the text has
    a comma), ``Host Port``/``Host Ports``, the seccomp profile."""
    w.write(1, f"{' ' if space else ''}{c.get('name', '')}:\n")
    w.write(2, f"Image:\t{c.get('image', '')}\n")
    ports = c.get("ports") or []
    for field, singular, plural in (("containerPort", "Port", "Ports"), ("hostPort", "Host Port", "Host Ports")):
        text = _ports(ports, field)
        if "," in text:
            w.write(2, f"{plural}:\t{text}\n")
        else:
            w.write(2, f"{singular}:\t{text or '<none>'}\n")
    seccomp = (c.get("securityContext") or {}).get("seccompProfile")
    if seccomp is not None:
        w.write(2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")


def _container_command(w: _PrefixWriter, c: Mapping[str, Any]) -> None:
    """``describeContainerCommand``: one line per element of ``command`` and ``args``, each split on newlines."""
    for field, title in (("command", "Command"), ("args", "Args")):
        if c.get(field):
            w.write(2, f"{title}:\n")
            for arg in c[field]:
                for line in str(arg).split("\n"):
                    w.write(3, f"{line}\n")


def _resources(w: _PrefixWriter, resources: Mapping[str, Any], level: int) -> None:
    """``describeResources``: ``Limits`` then ``Requests``, names sorted (``SortedResourceNames``), quantities in
    canonical form (``Quantity.String()``)."""
    for section, title in (("limits", "Limits"), ("requests", "Requests")):
        values = resources.get(section) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{_quantity(values[name])}\n")


def _container_env_from(w: _PrefixWriter, env_from: list[Mapping[str, Any]]) -> None:
    """``describeContainerEnvFrom``: ``name\\tConfigMap\\tOptional: false`` (``with prefix 'X_'``)."""
    w.write(2, "Environment Variables from:\n")
    for e in env_from:
        source, name, optional = "", "", False
        if e.get("configMapRef") is not None:
            source, name, optional = "ConfigMap", e["configMapRef"].get("name", ""), e["configMapRef"].get("optional")
        elif e.get("secretRef") is not None:
            source, name, optional = "Secret", e["secretRef"].get("name", ""), e["secretRef"].get("optional")
        if e.get("prefix"):
            w.write(3, f"{name}\t{source} with prefix '{e['prefix']}'\tOptional: {_go_bool(optional)}\n")
        else:
            w.write(3, f"{name}\t{source}\tOptional: {_go_bool(optional)}\n")


def _container_env_vars(w: _PrefixWriter, c: Mapping[str, Any]) -> None:
    """``describeContainerEnvVars`` with no resolver (a template has no Pod to resolve ``fieldRef`` from); a
    ``resourceFieldRef`` is resolved from the container itself (``ExtractContainerResourceValue``)."""
    env = c.get("env") or []
    none = "" if env else "\t<none>"
    w.write(2, f"Environment:{none}\n")
    for e in env:
        name = e.get("name", "")
        source = e.get("valueFrom")
        if source is None:
            for i, line in enumerate(str(e.get("value", "")).split("\n")):
                w.write(3, f"{name}:\t{line}\n" if i == 0 else f"\t{line}\n")
            continue
        if source.get("fieldRef") is not None:
            ref = source["fieldRef"]
            w.write(3, f"{name}:\t ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n")
        elif source.get("resourceFieldRef") is not None:
            ref = source["resourceFieldRef"]
            resource = ref.get("resource", "")
            value = _container_resource_value(ref, c)
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(3, f"{name}:\t{value} ({resource})\n")
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"]
            w.write(
                3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>\t"
                f"Optional: {_go_bool(ref.get('optional'))}\n",
            )
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"]
            w.write(
                3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>\t"
                f"Optional: {_go_bool(ref.get('optional'))}\n",
            )
        # any other source (describe.go's switch has no default) prints nothing


def _container_resource_value(ref: Mapping[str, Any], c: Mapping[str, Any]) -> str:
    """``resource.ExtractContainerResourceValue`` (kubectl/pkg/util/resource): the container's limit or request
    divided by the divisor (zero or unset: 1), rounded up — CPU in millis, memory and ephemeral storage in whole
    units, through float64 as upstream; an unsupported resource (an error upstream) is empty."""
    try:
        divisor = parse_quantity(str(ref.get("divisor", "0")))
    except (QuantityError, ValueError):
        return ""
    if divisor.is_zero():
        divisor = parse_quantity("1")
    section, _, name = str(ref.get("resource", "")).partition(".")
    if section not in ("limits", "requests") or name not in ("cpu", "memory", "ephemeral-storage"):
        return ""
    raw = ((c.get("resources") or {}).get(section) or {}).get(name, "0")
    try:
        quantity = parse_quantity(str(raw))
    except (QuantityError, ValueError):
        return ""
    if name == "cpu":
        return str(math.ceil(float(quantity.milli_value()) / float(divisor.milli_value())))
    return str(math.ceil(float(quantity.value()) / float(divisor.value())))


def _container_volumes(w: _PrefixWriter, c: Mapping[str, Any]) -> None:
    """``describeContainerVolumes``: mounts sorted by mount path (``SortableVolumeMounts``), flags joined by
    ``,`` (``ro`` or ``rw``, then ``path=%q`` for a subPath); then ``volumeDevices`` sorted by device path (its
    ``Devices:`` header carries the mounts' ``<none>``, as upstream's does)."""
    mounts = c.get("volumeMounts") or []
    none = "" if mounts else "\t<none>"
    w.write(2, f"Mounts:{none}\n")
    for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append(f"path={go_quote(m['subPath'])}")
        w.write(3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")
    devices = c.get("volumeDevices") or []
    if devices:
        w.write(2, f"Devices:{none}\n")
        for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(3, f"{d.get('devicePath', '')} from {d.get('name', '')}\n")


def describe_probe(probe: Mapping[str, Any]) -> str:
    """``DescribeProbe``: ``http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3``."""
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
        f"#failure={probe.get('failureThreshold', 3)}"
    )
    if probe.get("exec") is not None:
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        scheme = str(get.get("scheme", "HTTP")).lower()
        port = str(get.get("port", ""))
        host = get.get("host", "")
        netloc = (f"[{host}]:{port}" if ":" in host else f"{host}:{port}") if port else host
        return f"http-get {scheme}://{netloc}{get.get('path', '')} {attrs}"
    if probe.get("tcpSocket") is not None:
        sock = probe["tcpSocket"]
        return f"tcp-socket {sock.get('host', '')}:{sock.get('port', '')} {attrs}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"]
        return f"grpc <pod>:{grpc.get('port')} {grpc.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _pvc_class(pvc: Mapping[str, Any]) -> str:
    """``storageutil.GetPersistentVolumeClaimClass``: the beta annotation first, then ``storageClassName``."""
    annotations = (pvc.get("metadata") or {}).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in annotations:
        return str(annotations["volume.beta.kubernetes.io/storage-class"])
    return str((pvc.get("spec") or {}).get("storageClassName") or "")


def _ephemeral(w: _PrefixWriter, v: Mapping[str, Any]) -> None:
    """``printEphemeralVolumeSource``: the claim template through ``printPersistentVolumeClaim`` (not a full PVC)
    on a writer nested two levels in."""
    w.write(
        2,
        "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n",
    )
    claim = v.get("volumeClaimTemplate")
    if claim is None:
        return
    n = w.nested(2)
    meta, spec = claim.get("metadata") or {}, claim.get("spec") or {}
    n.write(0, f"StorageClass:\t{_pvc_class(claim)}\n")
    n.write(0, f"Volume:\t{spec.get('volumeName', '')}\n")
    _labels_multiline(n, "Labels", meta.get("labels"))
    _annotations_multiline(n, "Annotations", meta.get("annotations"))
    bound = bool(spec.get("volumeName"))
    n.write(0, f"Capacity:\t{'0' if bound else ''}\n")  # a template has no status: an empty capacity
    n.write(0, "Access Modes:\t\n")
    if spec.get("volumeMode") is not None:
        n.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    source = spec.get("dataSource")
    if source is not None:
        n.write(0, "DataSource:\n")
        if source.get("apiGroup") is not None:
            n.write(1, f"APIGroup:\t{source['apiGroup']}\n")
        n.write(1, f"Kind:\t{source.get('kind', '')}\n")
        n.write(1, f"Name:\t{source.get('name', '')}\n")


def _projected(w: _PrefixWriter, v: Mapping[str, Any]) -> None:
    """``printProjectedVolumeSource``: each secret, downward API, config map and service account token source."""
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for source in v.get("sources") or []:
        if source.get("secret") is not None:
            s = source["secret"]
            w.write(2, f"SecretName:\t{s.get('name', '')}\n    Optional:\t{_go_bool(s.get('optional'))}\n")
        elif source.get("downwardAPI") is not None:
            w.write(2, "DownwardAPI:\ttrue\n")
        elif source.get("configMap") is not None:
            s = source["configMap"]
            w.write(2, f"ConfigMapName:\t{s.get('name', '')}\n    Optional:\t{_go_bool(s.get('optional'))}\n")
        elif source.get("serviceAccountToken") is not None:
            seconds = source["serviceAccountToken"].get("expirationSeconds", 3600)  # the API's default
            w.write(2, f"TokenExpirationSeconds:\t{seconds}\n")


def _downward_api(w: _PrefixWriter, v: Mapping[str, Any]) -> None:
    """``printDownwardAPIVolumeSource``: ``fieldPath -> path`` per item."""
    w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
    for item in v.get("items") or []:
        if item.get("fieldRef") is not None:
            w.write(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
        if item.get("resourceFieldRef") is not None:
            w.write(3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n")


def _csi(w: _PrefixWriter, v: Mapping[str, Any]) -> None:
    """``printCSIVolumeSource`` with ``printCSIPersistentVolumeAttributesMultiline`` (``key=value``, shortened
    past 140 characters)."""
    w.write(
        2,
        "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
        f"    Driver:\t{v.get('driver', '')}\n"
        f"    FSType:\t{v.get('fsType') or ''}\n"
        f"    ReadOnly:\t{_go_bool(v.get('readOnly'))}\n",
    )
    attributes = v.get("volumeAttributes") or {}
    w.write(2, "VolumeAttributes:\t")
    if not attributes:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i:
            w.write(2, "")
            w.write(2, "\t")
        line = f"{key}={attributes[key]}"
        w.write(2, f"{line[:MAX_ANNOTATION_LEN]}...\n" if len(line) > MAX_ANNOTATION_LEN else f"{line}\n")


_SIMPLE_VOLUMES: dict[str, Any] = {
    "hostPath": lambda v: (
        "Type:\tHostPath (bare host directory volume)\n"
        f"    Path:\t{v.get('path', '')}\n"
        f"    HostPathType:\t{v['type'] if v.get('type') is not None else '<none>'}\n"
    ),
    "emptyDir": lambda v: (
        "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
        f"    Medium:\t{v.get('medium', '')}\n"
        f"    SizeLimit:\t{_size_limit(v.get('sizeLimit'))}\n"
    ),
    "gcePersistentDisk": lambda v: (
        "Type:\tGCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)\n"
        f"    PDName:\t{v.get('pdName', '')}\n    FSType:\t{v.get('fsType', '')}\n"
        f"    Partition:\t{v.get('partition', 0)}\n    ReadOnly:\t{_go_bool(v.get('readOnly'))}\n"
    ),
    "awsElasticBlockStore": lambda v: (
        "Type:\tAWSElasticBlockStore (a Persistent Disk resource in AWS)\n"
        f"    VolumeID:\t{v.get('volumeID', '')}\n    FSType:\t{v.get('fsType', '')}\n"
        f"    Partition:\t{v.get('partition', 0)}\n    ReadOnly:\t{_go_bool(v.get('readOnly'))}\n"
    ),
    "gitRepo": lambda v: (
        "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n"
        f"    Repository:\t{v.get('repository', '')}\n    Revision:\t{v.get('revision', '')}\n"
    ),
    "secret": lambda v: (
        "Type:\tSecret (a volume populated by a Secret)\n"
        f"    SecretName:\t{v.get('secretName', '')}\n"
        f"    Optional:\t{_go_bool(v.get('optional'))}\n"
    ),
    "configMap": lambda v: (
        "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
        f"    Name:\t{v.get('name', '')}\n"
        f"    Optional:\t{_go_bool(v.get('optional'))}\n"
    ),
    "nfs": lambda v: (
        "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
        f"    Server:\t{v.get('server', '')}\n    Path:\t{v.get('path', '')}\n"
        f"    ReadOnly:\t{_go_bool(v.get('readOnly'))}\n"
    ),
    "persistentVolumeClaim": lambda v: (
        "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
        f"    ClaimName:\t{v.get('claimName', '')}\n"
        f"    ReadOnly:\t{_go_bool(v.get('readOnly'))}\n"
    ),
    "image": lambda v: (
        "Type:\tImage (a container image or OCI artifact)\n"
        f"    Reference:\t{v.get('reference', '')}\n    PullPolicy:\t{v.get('pullPolicy', '')}\n"
    ),
}


def _size_limit(value: Any) -> str:
    """``printEmptyDirVolumeSource``: the size limit when set and positive, else ``<unset>``."""
    if value is None:
        return "<unset>"
    try:
        quantity = parse_quantity(str(value))
    except (QuantityError, ValueError):
        return str(value)
    return quantity.string() if quantity.sign() > 0 else "<unset>"


# describeVolumes' switch, in its order (the first source set wins)
_VOLUME_ORDER = (
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "configMap",
    "nfs",
    "persistentVolumeClaim",
    "ephemeral",
    "downwardAPI",
    "projected",
    "csi",
    "image",
)
_VOLUME_PRINTERS: dict[str, Any] = {
    "ephemeral": _ephemeral,
    "downwardAPI": _downward_api,
    "projected": _projected,
    "csi": _csi,
}


def _volumes(w: _PrefixWriter, volumes: list[Mapping[str, Any]], space: str) -> None:
    """``describeVolumes``: each volume's name, then its source's lines (see :func:`describe_pod_template` for the
    types the model prints)."""
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for v in volumes:
        w.write(1, f"{' ' if space else ''}{v.get('name', '')}:\n")
        for source in _VOLUME_ORDER:
            if v.get(source) is None:
                continue
            if source in _SIMPLE_VOLUMES:
                w.write(2, _SIMPLE_VOLUMES[source](v[source]))
            else:
                _VOLUME_PRINTERS[source](w, v[source])
            break
        else:
            w.write(1, "<unknown>\n")


def _topology_spread_constraints(w: _PrefixWriter, constraints: list[Mapping[str, Any]], space: str) -> None:
    """``describeTopologySpreadConstraints``: sorted by topology key, ``key:WhenUnsatisfiable when max skew N is
    exceeded`` and `` for selector ...`` (``metav1.FormatLabelSelector``); nothing when there are none."""
    if not constraints:
        return
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for i, tsc in enumerate(sorted(constraints, key=lambda t: t.get("topologyKey", ""))):
        if i:
            w.write(0, space)
            w.write(0, "\t")
        w.write(0, f"{tsc.get('topologyKey', '')}:")
        w.write(0, f"{tsc.get('whenUnsatisfiable', '')}")
        w.write(0, f" when max skew {tsc.get('maxSkew', 0)} is exceeded")
        if tsc.get("labelSelector") is not None:
            w.write(0, f" for selector {format_label_selector(tsc['labelSelector'])}")
        w.write(0, "\n")


def _tolerations_multiline(w: _PrefixWriter, title: str, tolerations: list[Mapping[str, Any]]) -> None:
    """``printPodTolerationsMultiline`` (``printTolerationsMultilineWithIndent``): sorted by key,
    ``key=value:Effect``, `` op=Exists`` (``op=Exists`` alone for the toleration of everything), `` for 300s``."""
    w.write(0, f"{title}:\t")
    if not tolerations:
        w.write_line("<none>")
        return
    for i, t in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(0, "")
            w.write(0, "\t")
        w.write(0, t.get("key", ""))
        if t.get("value"):
            w.write(0, f"={t['value']}")
        if t.get("effect"):
            w.write(0, f":{t['effect']}")
        if t.get("operator") == "Exists" and not t.get("value"):
            w.write(0, " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists")
        if t.get("tolerationSeconds") is not None:
            w.write(0, f" for {t['tolerationSeconds']}s")
        w.write(0, "\n")


__all__ = [
    "DEFAULT_STATUS_WAIT",
    "RESTARTED_AT_ANNOTATION",
    "RolloutError",
    "deployment_status",
    "describe_pod_template",
    "describe_probe",
    "rollout_history",
    "rollout_pause",
    "rollout_restart",
    "rollout_resume",
    "rollout_status",
    "rollout_undo",
    "scale",
    "set_image",
]
