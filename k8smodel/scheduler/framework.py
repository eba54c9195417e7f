"""The scheduling framework: one profile's plugins run at their extension points, over the snapshot's Nodes.

Upstream (kubernetes/kubernetes, read 2025-26):

* ``pkg/scheduler/schedule_one.go`` (commit ``003b4460``): ``schedulePod``, ``findNodesThatFitPod``,
  ``evaluateNominatedNode``, ``findNodesThatPassFilters``, ``numFeasibleNodesToFind``, ``prioritizeNodes`` and the
  selection of the host (``selectHost``; newer releases pop a heap, ties broken at random);
* ``pkg/scheduler/framework/runtime/framework.go`` (commit ``002774c3``): ``NewFramework`` (score weights),
  ``RunPreFilterPlugins`` (``PreFilterResult`` merging, ``Skip``), ``RunFilterPlugins`` (the first failing plugin
  decides), ``RunFilterPluginsWithNominatedPods`` / ``addGENominatedPods``, ``RunPostFilterPlugins``,
  ``RunPreScorePlugins``, ``RunScorePlugins`` (normalize, check ``[0, 100]``, multiply by the weight);
* ``pkg/scheduler/framework/types.go`` (``Diagnosis``, ``FitError.Error``) and ``k8s.io/kube-scheduler/framework``
  (``Status`` and its ``Code``\\ s, ``PreFilterResult.Merge``, ``NodeToStatus``).

How the model runs plugins
    Upstream calls each Filter plugin once per Node, in parallel goroutines, and stops once it has found
    ``numFeasibleNodesToFind`` feasible Nodes. The model asks each plugin for its verdict on a *window* of Nodes at
    once (numpy arrays over the snapshot's slots, see :mod:`k8smodel.scheduler.cache`), starting at the round-robin
    index and growing the window until enough Nodes passed. The first plugin (in profile order) that rejects a Node
    is the one its status names, as upstream. Score plugins score the feasible Nodes as one vector; NormalizeScore
    and the weights follow. Plugins also keep a per-Node form (``filter_node``) over a :class:`~.cache.NodeInfo`,
    used where a Node must be tried with Pods added or removed: nominated Pods and preemption.

    Ties between the best Nodes are broken by reservoir sampling with the ``rng`` given to the Framework (upstream:
    ``rand.Intn(cntOfMaxScore) == 0`` for each further node with the top score). The model draws the same
    distribution with O(log n) draws: after the ``c``-th tie the next replacement is at ``floor(c / U) + 1``.

What the model leaves out
    Extenders, Reserve/Permit/PreBind plugins (none in the default profile; Binding is the loop's business),
    opportunistic batching, the ``Pending`` code, metrics and parallelism. Upstream's parallel filter can check a
    few more Nodes than it needs; the model checks Nodes strictly in round-robin order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import numpy as np

from k8smodel.scheduler.cache import NodeInfo, PodInfo, Snapshot, pod_key, pod_priority

if TYPE_CHECKING:
    from k8smodel.scheduler.config import Profile
    from k8smodel.scheduler.explain import Explanation

__all__ = [
    "MAX_NODE_SCORE",
    "Code",
    "Cycle",
    "Diagnosis",
    "Framework",
    "Listers",
    "Plugin",
    "PreFilterResult",
    "PreemptionResult",
    "ScheduleResult",
    "Status",
    "fit_error_message",
    "num_feasible_nodes_to_find",
]

MAX_NODE_SCORE = 100
MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
NO_NODE_AVAILABLE_MSG = "0/{} nodes are available"
ERR_NO_NODES_AVAILABLE = "no nodes available to schedule pods"


class Code(IntEnum):
    """``fwk.Code``."""

    Success = 0
    Error = 1
    Unschedulable = 2
    UnschedulableAndUnresolvable = 3
    Wait = 4
    Skip = 5
    Pending = 6

    def __str__(self) -> str:
        return self.name


class Status(NamedTuple):
    """``fwk.Status``: a code, its reasons and the plugin that returned it. Unpacks as ``(code, reasons, plugin)``."""

    code: Code
    reasons: tuple[str, ...] = ()
    plugin: str = ""

    @property
    def message(self) -> str:
        """``Status.Message``: the reasons joined by ``", "``."""
        return ", ".join(self.reasons)

    @property
    def is_success(self) -> bool:
        return self.code == Code.Success

    @property
    def is_rejected(self) -> bool:
        """``IsRejected``: Unschedulable, UnschedulableAndUnresolvable or Pending."""
        return self.code in (Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Pending)

    @property
    def is_skip(self) -> bool:
        return self.code == Code.Skip

    def with_plugin(self, plugin: str) -> Status:
        return self._replace(plugin=plugin)


def unschedulable(*reasons: str) -> Status:
    return Status(Code.Unschedulable, reasons)


def unresolvable(*reasons: str) -> Status:
    return Status(Code.UnschedulableAndUnresolvable, reasons)


SKIP = Status(Code.Skip)


def error(msg: str) -> Status:
    return Status(Code.Error, (msg,))


@dataclass(frozen=True)
class PreFilterResult:
    """``fwk.PreFilterResult``: ``node_names`` None means "all Nodes"."""

    node_names: frozenset[str] | None = None

    def all_nodes(self) -> bool:
        return self.node_names is None

    def merge(self, other: PreFilterResult | None) -> PreFilterResult:
        """``Merge``: the intersection of the two sets."""
        if other is None or other.all_nodes():
            return self
        if self.all_nodes():
            return other
        return PreFilterResult(self.node_names & other.node_names)  # type: ignore[operator]


class Listers(Protocol):
    """What plugins read besides the snapshot (upstream: informer listers). Any method may be missing."""

    def services(self, namespace: str) -> Iterable[Mapping[str, Any]]: ...
    def replication_controller(self, namespace: str, name: str) -> Mapping[str, Any] | None: ...
    def replica_set(self, namespace: str, name: str) -> Mapping[str, Any] | None: ...
    def stateful_set(self, namespace: str, name: str) -> Mapping[str, Any] | None: ...
    def namespace(self, name: str) -> Mapping[str, Any] | None: ...
    def pod_disruption_budgets(self) -> Iterable[Mapping[str, Any]]: ...


# --- diagnosis and the FitError message ---------------------------------------------------------------------------


class Diagnosis:
    """``framework.Diagnosis``: why Nodes were rejected.

    ``node_to_status`` maps each Node a Filter (or PreFilterResult) rejected to its :class:`Status` (built lazily:
    at 5,000 Nodes it is large); Nodes not in it share ``absent_status`` (``NodeToStatus.AbsentNodesStatus``).
    """

    def __init__(self) -> None:
        self._infos: list[Any] = []
        self._pos = np.zeros(0, dtype=np.int64)  # snapshot slots of rejected nodes, in evaluation order
        self._idx = np.zeros(0, dtype=np.int64)  # index into _statuses
        self._statuses: list[Status] = []
        self._extra: dict[str, Status] = {}
        self._map: dict[str, Status] | None = None
        self.absent_status: Status = Status(Code.UnschedulableAndUnresolvable)
        self.unschedulable_plugins: set[str] = set()
        self.pending_plugins: set[str] = set()
        self.pre_filter_msg = ""
        self.post_filter_msg = ""

    def _set_vector(self, infos: list[Any], slots: np.ndarray, idx: np.ndarray, statuses: list[Status]) -> None:
        self._infos, self._pos, self._idx, self._statuses = infos, slots, idx, statuses
        self._map = None

    def set(self, name: str, status: Status) -> None:
        """``NodeToStatus.Set``."""
        self._extra[name] = status
        self._map = None

    def add_plugin_status(self, status: Status) -> None:
        """``AddPluginStatus``."""
        if not status.plugin:
            return
        if status.is_rejected:
            self.unschedulable_plugins.add(status.plugin)
        if status.code == Code.Pending:
            self.pending_plugins.add(status.plugin)

    @property
    def node_to_status(self) -> dict[str, Status]:
        if self._map is None:
            m: dict[str, Status] = {}
            infos, statuses = self._infos, self._statuses
            for s, i in zip(self._pos.tolist(), self._idx.tolist(), strict=True):
                m[infos[s].name] = statuses[i]
            for n, st in self._extra.items():
                m[n] = st
            self._map = m
        return self._map

    def __len__(self) -> int:
        if not self._extra:
            return len(self._pos)
        return len(self.node_to_status)

    def get(self, name: str) -> Status:
        """``NodeToStatus.Get``: the Node's status, or the absent-nodes status."""
        st = self._extra.get(name)
        if st is not None:
            return st
        return self.node_to_status.get(name, self.absent_status)

    def reason_counts(self, num_all_nodes: int) -> dict[str, int]:
        """How many Nodes gave each reason (the histogram of ``FitError.Error``)."""
        counts: dict[str, int] = {}
        if self._extra:
            for st in self.node_to_status.values():
                for r in st.reasons:
                    counts[r] = counts.get(r, 0) + 1
        elif len(self._idx):
            per = np.bincount(self._idx, minlength=len(self._statuses)).tolist()
            for i, c in enumerate(per):
                if c:
                    for r in self._statuses[i].reasons:
                        counts[r] = counts.get(r, 0) + c
        n = len(self)
        if n < num_all_nodes:
            for r in self.absent_status.reasons:
                counts[r] = counts.get(r, 0) + num_all_nodes - n
        return counts

    def nodes_with_code(self, snapshot: Snapshot, code: Code) -> list[str]:
        """``NodesForStatusCode``, in snapshot order (upstream: map order)."""
        m = self.node_to_status
        if self.absent_status.code == code:
            return [n for n in snapshot.names if n not in m or m[n].code == code]
        return [n for n in snapshot.names if n in m and m[n].code == code]


def fit_error_message(num_all_nodes: int, diagnosis: Diagnosis) -> str:
    """``FitError.Error``: ``"0/X nodes are available: <PreFilterMsg>. <FilterMsg>. <PostFilterMsg>"``.

    The filter part counts each reason over the Nodes (the absent Nodes count with the absent status's reasons)
    and sorts the ``"<count> <reason>"`` strings as Go's ``sort.Strings`` does (byte order, so ``"10 ..."`` comes
    before ``"2 ..."``).
    """
    msg = NO_NODE_AVAILABLE_MSG.format(num_all_nodes) + ":"
    if diagnosis.pre_filter_msg:
        msg += f" {diagnosis.pre_filter_msg}."
    else:
        counts = diagnosis.reason_counts(num_all_nodes)
        parts = sorted(f"{v} {k}" for k, v in counts.items())
        if parts:
            msg += " " + ", ".join(parts) + "."
    if diagnosis.post_filter_msg:
        msg += f" {diagnosis.post_filter_msg}"
    return msg


# --- results -----------------------------------------------------------------------------------------------------


@dataclass
class ScheduleResult:
    """The outcome of :meth:`Framework.schedule` (upstream ``ScheduleResult`` or its error).

    ``node`` is the suggested host or None. When None: ``fit_error`` tells a ``FitError`` (the Pod fits nowhere;
    ``message`` is ``FitError.Error()``, the PodScheduled condition's message), else ``message`` is the error
    (``"no nodes available to schedule pods"`` or a plugin error; reason ``SchedulerError`` when ``error``).
    """

    node: str | None
    evaluated_nodes: int
    feasible_nodes: int
    diagnosis: Diagnosis
    message: str = ""
    explanation: Explanation | None = None
    fit_error: bool = False
    error: bool = False
    num_all_nodes: int = 0
    cycle: Cycle | None = field(default=None, repr=False)

    @property
    def status(self) -> Status:
        """The status the scheduling cycle ends with."""
        if self.node is not None:
            return Status(Code.Success)
        if self.error:
            return Status(Code.Error, (self.message,))
        if self.fit_error:
            return Status(Code.Unschedulable, (self.message,))
        return Status(Code.UnschedulableAndUnresolvable, (self.message,))

    @property
    def reason(self) -> str:
        """The PodScheduled condition reason upstream sets: ``Unschedulable`` or ``SchedulerError``."""
        return "SchedulerError" if self.error else "Unschedulable"


@dataclass
class PreemptionResult:
    """What PostFilter (DefaultPreemption) decided; the loop makes the API calls.

    ``node`` is the nominated Node (None: none found). ``victims`` are the Pods to evict (highest priority first).
    ``message`` is the PostFilter status message (``"preemption: ..."``), already folded into the
    ``ScheduleResult``'s message. ``nominating_mode`` is ``"Override"`` (set ``status.nominatedNodeName`` to
    ``node`` or clear it when ``node`` is None) or ``"Noop"`` (leave it). ``clear_nominations`` are lower-priority
    Pods nominated to ``node`` whose nomination must be cleared (``prepareCandidate``).
    """

    node: str | None
    victims: list[dict]
    message: str
    nominating_mode: str = "Override"
    clear_nominations: list[dict] = field(default_factory=list)
    status: Status = field(default_factory=lambda: Status(Code.Unschedulable))


# --- the cycle state -----------------------------------------------------------------------------------------------


class Cycle:
    """``CycleState`` for one Pod: the Pod, the snapshot, each plugin's state and the skipped plugins."""

    __slots__ = (
        "_cols",
        "_cols_key",
        "_ns_labels",
        "framework",
        "nominated",
        "pod",
        "pod_info",
        "skip_filter",
        "skip_score",
        "snapshot",
        "state",
        "tables",
    )

    def __init__(
        self,
        framework: Framework,
        pod: Mapping[str, Any],
        snapshot: Snapshot,
        nominated: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    ) -> None:
        self.framework = framework
        self.pod = pod
        self.pod_info = PodInfo(pod)
        self.snapshot = snapshot
        self.state: dict[str, Any] = {}
        self.skip_filter: set[str] = set()
        self.skip_score: set[str] = set()
        self.nominated = nominated
        self.tables: dict[str, list[Status]] = {}
        self._ns_labels: dict[str, dict[str, str]] = {}
        self._cols: np.ndarray | None = None
        self._cols_key: np.ndarray | None = None

    def cols(self, slots: np.ndarray) -> np.ndarray:
        """``snapshot.num[:, slots]``, gathered once per slot array (plugins share it: one gather, not one per
        row; the framework hands the Filter windows in as slices of ``snapshot.numpos``)."""
        if self._cols_key is not slots:
            self._cols = self.snapshot.num.take(slots, axis=1)
            self._cols_key = slots
        return self._cols  # type: ignore[return-value]

    def set_cols(self, slots: np.ndarray, cols: np.ndarray) -> None:
        self._cols_key = slots
        self._cols = cols

    def code(self, plugin: str, status: Status) -> int:
        """The vector code (1-based) of ``status`` in ``plugin``'s status table."""
        table = self.tables.setdefault(plugin, [])
        try:
            return table.index(status) + 1
        except ValueError:
            table.append(status)
            return len(table)

    def ns_labels(self, namespace: str) -> dict[str, str]:
        """``GetNamespaceLabelsSnapshot``: the namespace's labels via the listers (``{}`` when unknown)."""
        found = self._ns_labels.get(namespace)
        if found is None:
            listers = self.framework.listers
            ns = None
            getter = getattr(listers, "namespace", None) if listers is not None else None
            if getter is not None:
                ns = getter(namespace)
            found = self._ns_labels[namespace] = dict(((ns or {}).get("metadata") or {}).get("labels") or {})
        return found

    def clone(self) -> Cycle:
        """``CycleState.Clone``: plugin states with a ``clone`` method are copied."""
        c = Cycle.__new__(Cycle)
        c.framework = self.framework
        c.pod = self.pod
        c.pod_info = self.pod_info
        c.snapshot = self.snapshot
        c.state = {k: (v.clone() if hasattr(v, "clone") else v) for k, v in self.state.items()}
        c.skip_filter = set(self.skip_filter)
        c.skip_score = set(self.skip_score)
        c.nominated = self.nominated
        c.tables = self.tables
        c._ns_labels = self._ns_labels
        c._cols = None
        c._cols_key = None
        return c


# --- plugins -----------------------------------------------------------------------------------------------------


class Plugin:
    """Base of the model's plugins. ``EXTENSION_POINTS`` names the points the plugin implements (as upstream's
    interfaces do); the framework calls only those. Vector methods take ``slots`` (numpy int64 slot indexes of
    the snapshot); ``filter_vec`` returns per-slot codes (0 = pass, ``k`` = the ``k``-th status of the plugin's
    table in the cycle, see :meth:`Cycle.code`) or None for "all pass"."""

    NAME = ""
    EXTENSION_POINTS: tuple[str, ...] = ()
    EVENTS: tuple[tuple[str, str], ...] = ()
    TRUSTED_SCORES = False
    """True when NormalizeScore is known to return scores in [0, 100] (the framework then skips the check)."""

    def __init__(self, args: Mapping[str, Any], framework: Framework) -> None:
        self.args = args
        self.framework = framework

    @property
    def name(self) -> str:
        return self.NAME

    def events_to_register(self) -> list[tuple[str, str]]:
        """``EventsToRegister``: ``(resource, action)`` pairs of cluster events that may make a rejected Pod fit."""
        return list(self.EVENTS)

    # PreFilter / Filter
    def pre_filter(self, cycle: Cycle) -> tuple[PreFilterResult | None, Status | None]:
        return None, None

    has_pre_filter_extensions = False

    def add_pod(self, cycle: Cycle, pod_info: PodInfo, node_info: NodeInfo) -> None:
        """``PreFilterExtensions.AddPod``."""

    def remove_pod(self, cycle: Cycle, pod_info: PodInfo, node_info: NodeInfo) -> None:
        """``PreFilterExtensions.RemovePod``."""

    def filter_vec(self, cycle: Cycle, slots: np.ndarray, alive: np.ndarray) -> np.ndarray | None:
        """Vectorized Filter. The default runs :meth:`filter_node` on each live slot."""
        snapshot = cycle.snapshot
        codes = np.zeros(len(slots), dtype=np.int32)
        for i in np.flatnonzero(alive).tolist():
            st = self.filter_node(cycle, snapshot.infos[int(slots[i])])  # type: ignore[arg-type]
            if st is not None and not st.is_success:
                codes[i] = cycle.code(self.NAME, st)
        return codes

    def filter_node(self, cycle: Cycle, node_info: NodeInfo) -> Status | None:
        return None

    # PreScore / Score
    def pre_score(self, cycle: Cycle, slots: np.ndarray) -> Status | None:
        return None

    def score_vec(self, cycle: Cycle, slots: np.ndarray) -> np.ndarray:
        return np.zeros(len(slots), dtype=np.int64)

    def normalize(self, cycle: Cycle, scores: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """NormalizeScore: returns new scores (must not modify ``scores``, which explanations keep as raw)."""
        return scores


def default_normalize(scores: np.ndarray, reverse: bool, max_priority: int = MAX_NODE_SCORE) -> np.ndarray:
    """``helper.DefaultNormalizeScore``: scale to ``[0, max_priority]`` by the highest score (``reverse``: flip)."""
    scores = np.asarray(scores, dtype=np.int64)
    max_count = int(scores.max()) if len(scores) else 0
    if max_count <= 0:
        if reverse:
            return np.full(len(scores), max_priority, dtype=np.int64)
        return scores
    out = max_priority * scores // max_count
    if reverse:
        out = max_priority - out
    return out


# --- numFeasibleNodesToFind ----------------------------------------------------------------------------------------


def num_feasible_nodes_to_find(percentage: int | None, num_all_nodes: int) -> int:
    """``numFeasibleNodesToFind``: all Nodes below 100; else ``percentage`` of them (adaptive when 0:
    ``50 - nodes/125``, at least 5%), never fewer than 100."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    p = percentage or 0
    if p == 0:
        p = 50 - num_all_nodes // 125
        if p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND:
            p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND
    n = num_all_nodes * p // 100
    return max(n, MIN_FEASIBLE_NODES_TO_FIND)


# --- the framework ----------------------------------------------------------------------------------------------


class Framework:
    """``frameworkImpl`` for one profile, plus ``schedulePod`` and PostFilter as the scheduler runs them.

    ``rng`` breaks ties between equally scored Nodes and picks preemption's random offset. ``listers`` lets the
    plugins read Services, ReplicaSets... (PodTopologySpread's system default constraints), Namespaces and
    PodDisruptionBudgets; without it those are empty.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        rng: random.Random,
        percentage_of_nodes_to_score: int | None = None,
        listers: Listers | None = None,
    ) -> None:
        from k8smodel.scheduler.plugins import REGISTRY

        self.profile = profile
        self.profile_name: str = profile.scheduler_name
        self.rng = rng
        self.listers = listers
        if profile.percentage_of_nodes_to_score is not None:
            self.percentage_of_nodes_to_score = profile.percentage_of_nodes_to_score
        else:
            self.percentage_of_nodes_to_score = percentage_of_nodes_to_score or 0
        self.next_start_node_index = 0
        needed: list[str] = []
        for names in profile.plugins.values():
            for n in names:
                if n not in needed:
                    needed.append(n)
        self.plugins: dict[str, Plugin] = {}
        for n in needed:
            self.plugins[n] = REGISTRY[n](profile.plugin_args.get(n, {}), self)

        def point(p: str) -> list[Plugin]:
            return [self.plugins[n] for n in profile.plugins.get(p, [])]

        self.queue_sort_plugins = point("queueSort")
        self.pre_enqueue_plugins = point("preEnqueue")
        self.pre_filter_plugins = point("preFilter")
        self.filter_plugins = point("filter")
        self.post_filter_plugins = point("postFilter")
        self.pre_score_plugins = point("preScore")
        self.score_plugins = point("score")
        self.reserve_plugins = point("reserve")
        self.permit_plugins = point("permit")
        self.pre_bind_plugins = point("preBind")
        self.bind_plugins = point("bind")
        self.post_bind_plugins = point("postBind")
        self.score_weights = {p.NAME: profile.weights.get(p.NAME, 1) for p in self.score_plugins}

    # -- queue -------------------------------------------------------------------------------------------------------

    def less(self, a: Any, b: Any) -> bool:
        """``QueueSortFunc``: the profile's QueueSort plugin (PrioritySort: higher priority first, then the earlier
        queue timestamp). ``a``/``b`` are Pods or queued infos with ``.pod`` and ``.timestamp``."""
        return self.queue_sort_plugins[0].less(a, b)  # type: ignore[attr-defined]

    def pre_enqueue(self, pod: Mapping[str, Any]) -> Status | None:
        """``RunPreEnqueuePlugins``: the first plugin that does not admit the Pod (e.g. SchedulingGates)."""
        for pl in self.pre_enqueue_plugins:
            st = pl.pre_enqueue(pod)  # type: ignore[attr-defined]
            if st is not None and not st.is_success:
                return st.with_plugin(pl.NAME)
        return None

    def events_to_register(self) -> dict[str, list[tuple[str, str]]]:
        """Plugin name -> ``(resource, action)`` cluster events it registers (PreEnqueue, PreFilter, Filter,
        Reserve and Permit plugins only, as ``fillEnqueueExtensions``); the queueing-hint era registrations of
        upstream, without the hint functions.

        Resources: ``"Node"``, ``"AssignedPod"`` (a Pod bound to a Node) and ``"Pod"`` (the unscheduled Pod itself).
        Actions: ``"Add"``, ``"Delete"``, ``"UpdateNodeLabel"``, ``"UpdateNodeTaint"``, ``"UpdateNodeAllocatable"``,
        ``"UpdatePodLabel"``, ``"UpdatePodScaleDown"``, ``"UpdatePodToleration"``,
        ``"UpdatePodSchedulingGatesEliminated"`` (``fwk.ActionType`` names)."""
        out: dict[str, list[tuple[str, str]]] = {}
        points = ("preEnqueue", "preFilter", "filter", "reserve", "permit")
        for name, pl in self.plugins.items():
            if any(name in self.profile.plugins.get(p, []) for p in points):
                out[name] = pl.events_to_register()
        return out

    @property
    def has_post_filter_plugins(self) -> bool:
        return bool(self.post_filter_plugins)

    @property
    def has_score_plugins(self) -> bool:
        return bool(self.score_plugins)

    # -- schedulePod ------------------------------------------------------------------------------------------------

    def schedule(
        self,
        pod: Mapping[str, Any],
        snapshot: Snapshot,
        *,
        explain: bool = False,
        nominated: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    ) -> ScheduleResult:
        """``schedulePod``: PreFilter, Filter (round-robin, stopping at ``numFeasibleNodesToFind``), PreScore,
        Score, NormalizeScore, weights, then the best Node.

        ``nominated`` maps Node names to the Pods nominated to them (``status.nominatedNodeName``; the queue's
        nominator): Pods of equal or higher priority count on their Node during Filter, as upstream's
        ``RunFilterPluginsWithNominatedPods``.
        """
        rec = _Recorder(self, pod) if explain else None
        result = self._schedule(pod, snapshot, nominated, rec)
        if rec is not None:
            result.explanation = rec.exp.finish(result, result.cycle)
        return result

    def _schedule(
        self,
        pod: Mapping[str, Any],
        snapshot: Snapshot,
        nominated: Mapping[str, Sequence[Mapping[str, Any]]] | None,
        rec: _Recorder | None,
    ) -> ScheduleResult:
        num_all = snapshot.num_nodes
        diagnosis = Diagnosis()
        if num_all == 0:
            return ScheduleResult(None, 0, 0, diagnosis, ERR_NO_NODES_AVAILABLE)
        try:
            cycle = Cycle(self, pod, snapshot, nominated)
        except (ValueError, TypeError) as err:  # a Pod the API server would not have admitted (bad quantity...)
            return ScheduleResult(None, 0, 0, diagnosis, f"invalid pod: {err}", error=True, num_all_nodes=num_all)

        # PreFilter
        pre_res, st, plugins_with_nodes = self._run_pre_filter(cycle, rec)
        if st is not None and st.code == Code.Error:
            return self._error_result(cycle, st, diagnosis, rec)
        diagnosis.unschedulable_plugins = set(plugins_with_nodes)
        if st is not None and st.is_rejected:
            diagnosis.absent_status = st
            diagnosis.pre_filter_msg = st.message
            diagnosis.add_plugin_status(st)
            return self._fit_error(cycle, num_all, diagnosis, rec)

        # The nominated node first (evaluateNominatedNode).
        nnn = ((pod.get("status") or {}).get("nominatedNodeName")) or ""
        if nnn and nnn in snapshot.slot_of:
            slot = snapshot.slot_of[nnn]
            st = self.run_filter_with_nominated(cycle, snapshot.infos[slot])  # type: ignore[arg-type]
            if st is not None and st.code == Code.Error:
                return self._error_result(cycle, st, diagnosis, rec)
            if st is None or st.is_success:
                if rec:
                    rec.filter_single(nnn, st)
                return ScheduleResult(nnn, 1 + len(diagnosis), 1, diagnosis, "", num_all_nodes=num_all, cycle=cycle)
            diagnosis.set(nnn, st)
            diagnosis.add_plugin_status(st)

        # Filter
        if pre_res is not None and not pre_res.all_nodes():
            positions = np.array(
                sorted(snapshot.pos_of[n] for n in pre_res.node_names if n in snapshot.pos_of),  # type: ignore[union-attr]
                dtype=np.int64,
            )
            diagnosis.absent_status = unresolvable(
                f"node(s) didn't satisfy plugin(s) [{' '.join(sorted(plugins_with_nodes))}]"
            )
        else:
            positions = None
        slots, cols, err = self._find_nodes_that_pass_filters(cycle, diagnosis, positions, rec)
        processed = len(slots) + len(diagnosis)
        self.next_start_node_index = (self.next_start_node_index + processed) % num_all
        if err is not None:
            return self._error_result(cycle, err, diagnosis, rec)
        if len(slots) == 0:
            return self._fit_error(cycle, num_all, diagnosis, rec)
        infos = snapshot.infos
        if len(slots) == 1:
            host = infos[int(slots[0])].name  # type: ignore[union-attr]
            return ScheduleResult(host, 1 + len(diagnosis), 1, diagnosis, "", num_all_nodes=num_all, cycle=cycle)

        # Score
        if cols is not None:
            cycle.set_cols(slots, cols)
        totals, err = self._prioritize(cycle, slots, rec)
        if err is not None:
            return self._error_result(cycle, err, diagnosis, rec)
        best = self._select_host(totals)
        host = infos[int(slots[best])].name  # type: ignore[union-attr]
        return ScheduleResult(
            host,
            len(slots) + len(diagnosis),
            len(slots),
            diagnosis,
            "",
            num_all_nodes=num_all,
            cycle=cycle,
        )

    def _error_result(self, cycle: Cycle, st: Status, diagnosis: Diagnosis, rec: _Recorder | None) -> ScheduleResult:
        return ScheduleResult(
            None,
            0,
            0,
            diagnosis,
            st.message,
            error=True,
            num_all_nodes=cycle.snapshot.num_nodes,
            cycle=cycle,
        )

    def _fit_error(self, cycle: Cycle, num_all: int, diagnosis: Diagnosis, rec: _Recorder | None) -> ScheduleResult:
        return ScheduleResult(
            None,
            len(diagnosis),
            0,
            diagnosis,
            fit_error_message(num_all, diagnosis),
            fit_error=True,
            num_all_nodes=num_all,
            cycle=cycle,
        )

    def _run_pre_filter(
        self, cycle: Cycle, rec: _Recorder | None
    ) -> tuple[PreFilterResult | None, Status | None, list[str]]:
        """``RunPreFilterPlugins``."""
        result: PreFilterResult | None = None
        plugins_with_nodes: list[str] = []
        return_status: Status | None = None
        for pl in self.pre_filter_plugins:
            r, s = pl.pre_filter(cycle)
            if rec:
                rec.pre_filter(pl.NAME, r, s)
            if s is not None and s.is_skip:
                cycle.skip_filter.add(pl.NAME)
                continue
            if s is not None and not s.is_success:
                s = s.with_plugin(pl.NAME)
                if s.code == Code.UnschedulableAndUnresolvable:
                    return None, s, []
                if s.code == Code.Unschedulable:
                    return_status = s
                    continue
                return None, error(f'running PreFilter plugin "{pl.NAME}": {s.message}').with_plugin(pl.NAME), []
            if r is not None and not r.all_nodes():
                plugins_with_nodes.append(pl.NAME)
            result = r if result is None else result.merge(r)
            if result is not None and not result.all_nodes() and not result.node_names:
                pw = sorted(plugins_with_nodes)
                if len(pw) == 1:
                    msg = f"node(s) didn't satisfy plugin {pw[0]}"
                else:
                    msg = f"node(s) didn't satisfy plugin(s) [{' '.join(pw)}] simultaneously"
                return result, unresolvable(msg), pw
        return result, return_status, plugins_with_nodes

    # -- Filter -----------------------------------------------------------------------------------------------------

    def _filter_window(
        self, cycle: Cycle, slots: np.ndarray, rec: _Recorder | None
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Run the Filter plugins on ``slots``: (passed, index of the rejecting plugin or -1, its code); the last
        two are None when every Node passed."""
        k = len(slots)
        alive = np.ones(k, dtype=bool)
        fail_plugin: np.ndarray | None = None
        fail_code: np.ndarray | None = None
        skip = cycle.skip_filter
        if rec:
            rec.exp.record_window(slots)
        for pi, pl in enumerate(self.filter_plugins):
            if pl.NAME in skip:
                continue
            codes = pl.filter_vec(cycle, slots, alive)
            if rec:
                rec.filter_codes(pl.NAME, slots, alive, codes)
            if codes is None:
                continue
            newly = alive & (codes != 0)
            if np.count_nonzero(newly):
                if fail_plugin is None:
                    fail_plugin = np.full(k, -1, dtype=np.int64)
                    fail_code = np.zeros(k, dtype=np.int64)
                fail_plugin[newly] = pi
                fail_code[newly] = codes[newly]  # type: ignore[index]
                alive &= ~newly
        if cycle.nominated:
            if fail_plugin is None:
                fail_plugin = np.full(k, -1, dtype=np.int64)
                fail_code = np.zeros(k, dtype=np.int64)
            self._apply_nominated(cycle, slots, alive, fail_plugin, fail_code, rec)  # type: ignore[arg-type]
        return alive, fail_plugin, fail_code  # type: ignore[return-value]

    def _apply_nominated(
        self,
        cycle: Cycle,
        slots: np.ndarray,
        alive: np.ndarray,
        fail_plugin: np.ndarray,
        fail_code: np.ndarray,
        rec: _Recorder | None,
    ) -> None:
        """The first pass of ``RunFilterPluginsWithNominatedPods`` for Nodes with nominated Pods of equal or higher
        priority: with those Pods added. Its rejection is the Node's status; if it passes, the second pass (the
        plain result) decides."""
        snapshot = cycle.snapshot
        index = {p.NAME: i for i, p in enumerate(self.filter_plugins)}
        nominated = cycle.nominated or {}
        wanted = [snapshot.slot_of[n] for n, pods in nominated.items() if pods and n in snapshot.slot_of]
        if not wanted:
            return
        hits = np.flatnonzero(np.isin(slots, np.array(wanted, dtype=np.int64)))
        for i in hits.tolist():
            info = snapshot.infos[int(slots[i])]
            assert info is not None
            st = self._filter_with_nominated_pods(cycle, info)
            if st is not None and not st.is_success:
                alive[i] = False
                fail_plugin[i] = index.get(st.plugin, 0)
                fail_code[i] = cycle.code(self.filter_plugins[fail_plugin[i]].NAME, st._replace(plugin=""))
                if rec:
                    rec.nominated_failure(info.name, st)

    def _filter_with_nominated_pods(self, cycle: Cycle, info: NodeInfo) -> Status | None:
        """``addGENominatedPods`` then ``RunFilterPlugins`` (None if no Pod was added)."""
        pods = (cycle.nominated or {}).get(info.name) or ()
        prio = cycle.pod_info.priority
        uid = cycle.pod_info.key
        added = [p for p in pods if pod_priority(p) >= prio and pod_key(p) != uid]
        if not added:
            return None
        info_out = info.clone()
        state_out = cycle.clone()
        for p in added:
            pi = PodInfo(p)
            info_out.add_pod_info(pi)
            self.run_pre_filter_extension_add_pod(state_out, pi, info_out)
        return self.run_filter_plugins(state_out, info_out)

    def run_filter_plugins(self, cycle: Cycle, info: NodeInfo) -> Status | None:
        """``RunFilterPlugins`` on one (possibly modified) NodeInfo: the first rejection, with its plugin."""
        for pl in self.filter_plugins:
            if pl.NAME in cycle.skip_filter:
                continue
            st = pl.filter_node(cycle, info)
            if st is not None and not st.is_success:
                if not st.is_rejected:
                    st = error(f'running "{pl.NAME}" filter plugin: {st.message}')
                return st.with_plugin(pl.NAME)
        return None

    def run_filter_with_nominated(self, cycle: Cycle, info: NodeInfo) -> Status | None:
        """``RunFilterPluginsWithNominatedPods`` on one NodeInfo."""
        if cycle.nominated:
            st = self._filter_with_nominated_pods(cycle, info)
            if st is not None and not st.is_success:
                return st
        return self.run_filter_plugins(cycle, info)

    def run_pre_filter_extension_add_pod(self, cycle: Cycle, pi: PodInfo, info: NodeInfo) -> None:
        for pl in self.pre_filter_plugins:
            if pl.has_pre_filter_extensions and pl.NAME not in cycle.skip_filter:
                pl.add_pod(cycle, pi, info)

    def run_pre_filter_extension_remove_pod(self, cycle: Cycle, pi: PodInfo, info: NodeInfo) -> None:
        for pl in self.pre_filter_plugins:
            if pl.has_pre_filter_extensions and pl.NAME not in cycle.skip_filter:
                pl.remove_pod(cycle, pi, info)

    def _find_nodes_that_pass_filters(
        self, cycle: Cycle, diagnosis: Diagnosis, positions: np.ndarray | None, rec: _Recorder | None
    ) -> tuple[np.ndarray, np.ndarray | None, Status | None]:
        """``findNodesThatPassFilters``: from the round-robin start, until ``numFeasibleNodesToFind`` Nodes pass.
        Returns the feasible slots (in evaluation order), their ``num`` columns (or None) and an error status."""
        snapshot = cycle.snapshot
        n = snapshot.num_nodes if positions is None else len(positions)
        to_find = num_feasible_nodes_to_find(self.percentage_of_nodes_to_score, n)
        if not self.score_plugins:
            to_find = 1
        empty = np.zeros(0, dtype=np.int64)
        if n == 0:
            return empty, None, None
        start = self.next_start_node_index % n
        if positions is None:
            order2, numpos = snapshot.order2, snapshot.numpos
        else:
            order2, numpos = snapshot.order[np.concatenate([positions, positions])], None
        if not self.filter_plugins:
            return order2[start : start + to_find], None, None
        done = 0
        found = 0
        chunk = min(n, max(to_find + to_find // 4 + 8, 32))
        feas_slots: list[np.ndarray] = []
        feas_cols: list[np.ndarray] = []
        fail_slot_parts: list[np.ndarray] = []
        fail_key_parts: list[np.ndarray] = []
        while done < n and found < to_find:
            k = min(chunk, n - done)
            a = start + done
            slots = order2[a : a + k]
            cols = numpos[:, a : a + k] if numpos is not None else snapshot.num.take(slots, axis=1)
            cycle.set_cols(slots, cols)
            ok, fpl, fcode = self._filter_window(cycle, slots, rec)
            cnt = k if fpl is None else int(ok.sum())
            if found + cnt >= to_find:
                need = to_find - found
                cut = need if fpl is None else int(np.flatnonzero(ok)[need - 1]) + 1
                slots, cols, ok = slots[:cut], cols[:, :cut], ok[:cut]
                if fpl is not None:
                    fpl, fcode = fpl[:cut], fcode[:cut]  # type: ignore[index]
                k, cnt = cut, need
            if fpl is None:
                feas_slots.append(slots)
                feas_cols.append(cols)
            else:
                feas_slots.append(slots[ok])
                feas_cols.append(cols[:, ok])
                bad = ~ok
                if np.count_nonzero(bad):
                    fail_slot_parts.append(slots[bad])
                    fail_key_parts.append(fpl[bad] * (1 << 32) + fcode[bad])  # type: ignore[index]
            done += k
            found += cnt
            if found < to_find:
                ratio = max(found / done, 0.05)
                chunk = int((to_find - found) / ratio * 1.25) + 16
        if rec:
            rec.evaluated(done)
        if len(feas_slots) == 1:
            feasible, fcols = feas_slots[0], feas_cols[0]
        else:
            feasible, fcols = np.concatenate(feas_slots), np.concatenate(feas_cols, axis=1)
        if fail_slot_parts:
            fslots = np.concatenate(fail_slot_parts)
            fkey = np.concatenate(fail_key_parts)
            uniq, inv = np.unique(fkey, return_inverse=True)
            statuses: list[Status] = []
            for key in uniq.tolist():
                pl = self.filter_plugins[key >> 32]
                st = cycle.tables[pl.NAME][(key & 0xFFFFFFFF) - 1].with_plugin(pl.NAME)
                if st.code == Code.Error:
                    return feasible, fcols, error(f'running "{pl.NAME}" filter plugin: {st.message}')
                statuses.append(st)
                diagnosis.add_plugin_status(st)
            if diagnosis._extra:
                # the nominated node was tried first; its status is overwritten by this pass
                for s in fslots.tolist():
                    diagnosis._extra.pop(snapshot.infos[s].name, None)  # type: ignore[union-attr]
            diagnosis._set_vector(snapshot.infos, fslots, inv.reshape(-1).astype(np.int64), statuses)
        return feasible, fcols, None

    # -- Score ------------------------------------------------------------------------------------------------------

    def _prioritize(self, cycle: Cycle, slots: np.ndarray, rec: _Recorder | None) -> tuple[np.ndarray, Status | None]:
        """``prioritizeNodes`` / ``RunPreScorePlugins`` / ``RunScorePlugins``."""
        if not self.score_plugins:
            return np.ones(len(slots), dtype=np.int64), None
        for pl in self.pre_score_plugins:
            st = pl.pre_score(cycle, slots)
            if rec:
                rec.pre_score(pl.NAME, st)
            if st is not None and st.is_skip:
                cycle.skip_score.add(pl.NAME)
                continue
            if st is not None and not st.is_success:
                return np.zeros(0, dtype=np.int64), error(f'running PreScore plugin "{pl.NAME}": {st.message}')
        total = np.zeros(len(slots), dtype=np.int64)
        for pl in self.score_plugins:
            if pl.NAME in cycle.skip_score:
                continue
            raw = np.asarray(pl.score_vec(cycle, slots), dtype=np.int64)
            norm = np.asarray(pl.normalize(cycle, raw, slots), dtype=np.int64)
            if not pl.TRUSTED_SCORES and len(norm) and (int(norm.max()) > MAX_NODE_SCORE or int(norm.min()) < 0):
                bad = int(norm.max()) if int(norm.max()) > MAX_NODE_SCORE else int(norm.min())
                return total, error(
                    f'applying score defaultWeights on Score plugins: plugin "{pl.NAME}" returns an invalid score '
                    f"{bad}, it should in the range of [0, {MAX_NODE_SCORE}] after normalizing"
                )
            weight = self.score_weights[pl.NAME]
            weighted = norm * weight
            total += weighted
            if rec:
                rec.score(pl.NAME, slots, raw, norm, weight)
        return total, None

    def _select_host(self, totals: np.ndarray) -> int:
        """The best Node, ties broken by reservoir sampling with the framework's ``rng`` (see module docstring)."""
        top = int(totals.max())
        ties = np.flatnonzero(totals == top)
        n = len(ties)
        if n == 1:
            return int(ties[0])
        selected = 0
        c = 1
        rng = self.rng
        while True:
            u = 1.0 - rng.random()  # (0, 1]
            nxt = math.floor(c / u) + 1  # the count at which the next replacement happens
            if nxt > n:
                break
            selected = nxt - 1
            c = nxt
        return int(ties[selected])

    # -- PostFilter -------------------------------------------------------------------------------------------------

    def post_filter(
        self,
        pod: Mapping[str, Any],
        snapshot: Snapshot,
        result: ScheduleResult,
        *,
        nominated: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    ) -> PreemptionResult | None:
        """``RunPostFilterPlugins`` after a ``FitError``: DefaultPreemption's decision (no API calls).

        Returns None when the profile has no PostFilter plugin or ``result`` is not a FitError. Otherwise the
        PostFilter message is appended to ``result.diagnosis.post_filter_msg`` and ``result.message`` (the
        PodScheduled condition's message) is recomputed, as upstream's ``schedulingCycle`` does.
        """
        if not self.post_filter_plugins or not result.fit_error:
            return None
        cycle = result.cycle
        if cycle is None or cycle.snapshot is not snapshot or cycle.pod is not pod:
            cycle = Cycle(self, pod, snapshot, nominated)
            self._run_pre_filter(cycle, None)
        if nominated is not None:
            cycle.nominated = nominated
        reasons: list[str] = []
        rejector = ""
        final: PreemptionResult | None = None
        out: PreemptionResult | None = None
        for pl in self.post_filter_plugins:
            r: PreemptionResult = pl.post_filter(cycle, result.diagnosis)  # type: ignore[attr-defined]
            st = r.status
            if st.is_success or st.code in (Code.UnschedulableAndUnresolvable, Code.Error):
                out = r
                out.status = st.with_plugin(pl.NAME)
                break
            if r.nominating_mode != "Noop":
                final = r
            reasons.extend(st.reasons)
            rejector = rejector or pl.NAME
        if out is None:
            base = final or PreemptionResult(None, [], "", nominating_mode="Noop")
            out = PreemptionResult(
                base.node,
                base.victims,
                ", ".join(reasons),
                base.nominating_mode,
                base.clear_nominations,
                Status(Code.Unschedulable, tuple(reasons), rejector),
            )
        out.message = out.status.message
        result.diagnosis.post_filter_msg = out.message
        result.message = fit_error_message(result.num_all_nodes, result.diagnosis)
        if result.explanation is not None:
            result.explanation.post_filter = {"message": out.message, "node": out.node}
            result.explanation.message = result.message
        return out


class _Recorder:
    """Collects what an :class:`~k8smodel.scheduler.explain.Explanation` shows (only when ``explain=True``)."""

    def __init__(self, framework: Framework, pod: Mapping[str, Any]) -> None:
        from k8smodel.scheduler.explain import Explanation

        self.framework = framework
        self.exp = Explanation.start(framework, pod)
        self._snapshot: Snapshot | None = None

    def pre_filter(self, plugin: str, r: PreFilterResult | None, s: Status | None) -> None:
        self.exp.record_pre_filter(plugin, r, s)

    def filter_codes(self, plugin: str, slots: np.ndarray, alive: np.ndarray, codes: np.ndarray | None) -> None:
        self.exp.record_filter(plugin, slots, alive.copy(), None if codes is None else np.array(codes))

    def filter_single(self, node: str, st: Status | None) -> None:
        self.exp.record_single(node, st)

    def nominated_failure(self, node: str, st: Status) -> None:
        self.exp.record_nominated_failure(node, st)

    def evaluated(self, n: int) -> None:
        self.exp.evaluated = n

    def pre_score(self, plugin: str, st: Status | None) -> None:
        self.exp.record_pre_score(plugin, st)

    def score(self, plugin: str, slots: np.ndarray, raw: np.ndarray, norm: np.ndarray, weight: int) -> None:
        self.exp.record_score(plugin, slots, raw.copy(), norm.copy(), weight)
