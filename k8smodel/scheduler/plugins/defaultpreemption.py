"""DefaultPreemption: when a Pod fits nowhere, find a Node where evicting lower-priority Pods would make it fit.

Upstream: ``pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go`` (``PostFilter`` prefixes
the message with ``preemption: ``; ``SelectVictimsOnNode``; ``PodEligibleToPreemptOthers``;
``calculateNumCandidates``) and ``pkg/scheduler/framework/preemption/preemption.go`` (``Evaluator.Preempt``,
``findCandidates``, ``DryRunPreemption``, ``SelectCandidate``, ``pickOneNodeForPreemption``,
``filterPodsWithPDBViolation``); ``pkg/scheduler/util/utils.go`` (``MoreImportantPod``,
``GetEarliestPodStartTime``).

The decision, as upstream:

1. A Pod with ``preemptionPolicy: Never`` is not eligible; nor one whose nominated Node still has a lower-priority
   Pod terminating because of an earlier preemption (unless that Node is now UnschedulableAndUnresolvable).
2. Candidates are the Nodes the Filter rejected as ``Unschedulable`` (not ``...AndUnresolvable``), tried from a
   random offset until enough are found (``max(10% of them, 100)``, all of them if fewer).
3. On a candidate, all lower-priority Pods are removed; if the Pod still does not fit, the Node is no candidate.
   Otherwise the victims are reprieved one by one, highest priority first (PDB-violating ones first), keeping
   each whose return still lets the Pod fit.
4. The Node is chosen by, in turn: fewest PDB violations, lowest highest-victim priority, lowest sum of
   priorities, fewest victims, latest start of the highest-priority victims, then the first candidate.

The plugin returns the decision; the scheduling loop evicts the victims and sets ``nominatedNodeName``.

What the model leaves out: asynchronous preemption and its PreEnqueue gate, extenders, pod groups; a victim's
start time, when it has none, counts as "now", that is later than every recorded one (upstream reads the clock).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from k8smodel.api.labels import label_selector_as_selector
from k8smodel.scheduler.cache import PodInfo, pod_key, pod_priority
from k8smodel.scheduler.framework import (
    Code,
    Cycle,
    Diagnosis,
    Plugin,
    PreemptionResult,
    Status,
    fit_error_message,
    unresolvable,
)

_MAX_INT32 = 2**31 - 1


def _start_key(pi: PodInfo) -> tuple[int, str]:
    """``GetPodStartTime`` as a sort key: a recorded start time, or "now" (after every recorded one)."""
    return (0, pi.start_time) if pi.start_time else (1, "")


def more_important(a: PodInfo, b: PodInfo) -> bool:
    """``MoreImportantPod``: higher priority, then the earlier start."""
    if a.priority != b.priority:
        return a.priority > b.priority
    return _start_key(a) < _start_key(b)


def _importance(pi: PodInfo) -> tuple[int, tuple[int, str]]:
    return (-pi.priority, _start_key(pi))


def terminating_by_preemption(pod: Mapping[str, Any]) -> bool:
    """``podTerminatingByPreemption``."""
    if (pod.get("metadata") or {}).get("deletionTimestamp") is None:
        return False
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "DisruptionTarget":
            return cond.get("status") == "True" and cond.get("reason") == "PreemptionByScheduler"
    return False


def filter_pods_with_pdb_violation(
    pods: list[PodInfo], pdbs: Iterable[Mapping[str, Any]]
) -> tuple[list[PodInfo], list[PodInfo]]:
    """``filterPodsWithPDBViolation``: (violating, non-violating), each keeping the given order."""
    pdbs = list(pdbs)
    allowed = [int((p.get("status") or {}).get("disruptionsAllowed") or 0) for p in pdbs]
    violating, non_violating = [], []
    for pi in pods:
        violated = False
        if pi.labels:
            for i, pdb in enumerate(pdbs):
                meta = pdb.get("metadata") or {}
                if (meta.get("namespace") or "default") != pi.namespace:
                    continue
                try:
                    selector = label_selector_as_selector((pdb.get("spec") or {}).get("selector"))
                except ValueError:
                    continue
                if selector.empty() or not selector.matches(pi.labels):
                    continue
                if pi.name in ((pdb.get("status") or {}).get("disruptedPods") or {}):
                    continue
                allowed[i] -= 1
                if allowed[i] < 0:
                    violated = True
        (violating if violated else non_violating).append(pi)
    return violating, non_violating


class _Candidate:
    __slots__ = ("name", "num_pdb_violations", "victims")

    def __init__(self, name: str, victims: list[PodInfo], num_pdb_violations: int) -> None:
        self.name = name
        self.victims = victims
        self.num_pdb_violations = num_pdb_violations


def pick_one_node_for_preemption(candidates: list[_Candidate]) -> _Candidate | None:
    """``pickOneNodeForPreemption`` with the default score functions, applied in turn while several Nodes tie."""
    if not candidates:
        return None

    def earliest_start_of_top(c: _Candidate) -> tuple[int, str]:
        top = max(v.priority for v in c.victims)
        return min(_start_key(v) for v in c.victims if v.priority == top)

    funcs = (
        lambda c: -c.num_pdb_violations,
        lambda c: -c.victims[0].priority,
        lambda c: -sum(v.priority + _MAX_INT32 + 1 for v in c.victims),
        lambda c: -len(c.victims),
        earliest_start_of_top,  # the later, the better
    )
    remaining = list(candidates)
    for f in funcs:
        best = max(f(c) for c in remaining)
        remaining = [c for c in remaining if f(c) == best]
        if len(remaining) == 1:
            return remaining[0]
    return remaining[0]


class DefaultPreemption(Plugin):
    NAME = "DefaultPreemption"
    EXTENSION_POINTS = ("postFilter",)

    def __init__(self, args: Mapping[str, Any], framework: Any) -> None:
        super().__init__(args, framework)
        args = args or {}
        p = args.get("minCandidateNodesPercentage")
        a = args.get("minCandidateNodesAbsolute")
        self.min_candidate_nodes_percentage = 10 if p is None else int(p)
        self.min_candidate_nodes_absolute = 100 if a is None else int(a)

    def calculate_num_candidates(self, num_nodes: int) -> int:
        """``calculateNumCandidates``."""
        n = num_nodes * self.min_candidate_nodes_percentage // 100
        n = max(n, self.min_candidate_nodes_absolute)
        return min(n, num_nodes)

    def eligible(self, cycle: Cycle, diagnosis: Diagnosis) -> tuple[bool, str]:
        """``PodEligibleToPreemptOthers``."""
        pod = cycle.pod
        if (pod.get("spec") or {}).get("preemptionPolicy") == "Never":
            return False, "not eligible due to preemptionPolicy=Never."
        nnn = (pod.get("status") or {}).get("nominatedNodeName") or ""
        if nnn:
            if diagnosis.get(nnn).code == Code.UnschedulableAndUnresolvable:
                return True, ""
            info = cycle.snapshot.get(nnn)
            if info is not None:
                prio = cycle.pod_info.priority
                for p in info.pods:
                    if p.priority < prio and terminating_by_preemption(p.pod):
                        return False, "not eligible due to a terminating pod on the nominated node."
        return True, ""

    def select_victims_on_node(
        self, cycle: Cycle, node_info: Any, pdbs: list[Mapping[str, Any]]
    ) -> tuple[list[PodInfo], int, Status | None]:
        """``SelectVictimsOnNode`` on a copy of the NodeInfo and of the cycle state."""
        fw = self.framework
        prio = cycle.pod_info.priority
        potential = [p for p in node_info.pods if p.priority < prio]
        for p in potential:
            node_info.remove_pod(p.key)
            fw.run_pre_filter_extension_remove_pod(cycle, p, node_info)
        if not potential:
            return [], 0, unresolvable("No preemption victims found for incoming pod")
        st = fw.run_filter_with_nominated(cycle, node_info)
        if st is not None and not st.is_success:
            return [], 0, st
        potential.sort(key=_importance)
        violating, non_violating = filter_pods_with_pdb_violation(potential, pdbs)
        victims: list[PodInfo] = []
        num_violating = 0

        def reprieve(p: PodInfo) -> bool:
            node_info.add_pod_info(p)
            fw.run_pre_filter_extension_add_pod(cycle, p, node_info)
            st = fw.run_filter_with_nominated(cycle, node_info)
            fits = st is None or st.is_success
            if not fits:
                node_info.remove_pod(p.key)
                fw.run_pre_filter_extension_remove_pod(cycle, p, node_info)
                victims.append(p)
            return fits

        for p in violating:
            if not reprieve(p):
                num_violating += 1
        for p in non_violating:
            reprieve(p)
        if violating and non_violating:
            victims.sort(key=_importance)
        return victims, num_violating, None

    def post_filter(self, cycle: Cycle, diagnosis: Diagnosis) -> PreemptionResult:
        """``PostFilter`` → ``Evaluator.Preempt``."""
        ok, msg = self.eligible(cycle, diagnosis)
        if not ok:
            return PreemptionResult(
                None, [], "", nominating_mode="Noop", status=Status(Code.Unschedulable, ("preemption: " + msg,))
            )
        snapshot = cycle.snapshot
        fw = self.framework
        potential = diagnosis.nodes_with_code(snapshot, Code.Unschedulable)
        statuses = Diagnosis()
        statuses.absent_status = unresolvable("Preemption is not helpful for scheduling")
        candidates: list[_Candidate] = []
        if potential:
            listers = fw.listers
            get_pdbs = getattr(listers, "pod_disruption_budgets", None) if listers is not None else None
            pdbs = list(get_pdbs() or ()) if get_pdbs else []
            offset = fw.rng.randrange(len(potential))
            num = self.calculate_num_candidates(len(potential))
            non_violating: list[_Candidate] = []
            violating: list[_Candidate] = []
            for i in range(len(potential)):
                name = potential[(offset + i) % len(potential)]
                info = snapshot.get(name)
                assert info is not None
                victims, n_viol, st = self.select_victims_on_node(cycle.clone(), info.clone(), pdbs)
                if st is None and victims:
                    (non_violating if n_viol == 0 else violating).append(_Candidate(name, victims, n_viol))
                    if non_violating and len(non_violating) + len(violating) >= num:
                        break
                    continue
                if st is None:
                    st = Status(Code.Error, (f'expected at least one victim pod on node "{name}"',))
                statuses.set(name, st)
            candidates = non_violating + violating
        if not candidates:
            text = fit_error_message(snapshot.num_nodes, statuses)
            return PreemptionResult(None, [], "", status=Status(Code.Unschedulable, ("preemption: " + text,)))
        best = pick_one_node_for_preemption(candidates)
        assert best is not None
        clear = []
        prio = cycle.pod_info.priority
        for p in (cycle.nominated or {}).get(best.name) or ():
            if pod_priority(p) < prio and pod_key(p) != cycle.pod_info.key:
                clear.append(dict(p))
        return PreemptionResult(
            best.name, [dict(v.pod) for v in best.victims], "", "Override", clear, Status(Code.Success)
        )
