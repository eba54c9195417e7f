"""The API server's etcd compactor: every five minutes, forget the history older than five minutes ago.

etcd keeps every version of every key until it is compacted (``k8smodel.etcd``, "History and compaction"). Nothing
in Kubernetes reads old versions except watches that resume from a past resourceVersion, so kube-apiserver compacts
etcd itself: ``startCompactorOnce`` (``staging/src/k8s.io/apiserver/pkg/storage/storagebackend/factory/etcd3.go``)
starts one compactor per etcd cluster, with ``--etcd-compaction-interval`` (``storagebackend.DefaultCompactInterval``,
5 minutes), and the compactor (``staging/src/k8s.io/apiserver/pkg/storage/etcd3/compact.go``, ``runCompactLoop``
and ``compact``) does, after each interval:

1. a transaction on the key ``compact_rev_key``: if its ``version`` is the one this compactor last saw, put into it
   the revision remembered at the previous round (which raises the store's revision by one); otherwise another
   API server compacted meanwhile, so only read the key and adopt its version;
2. if that succeeded and this is not the first round ("We don't compact on bootstrap"), compact etcd at the
   remembered revision;
3. remember the store's revision after the transaction for the next round.

So each compaction keeps at least one interval of history: the revision compacted at 10:00 is the one seen at 09:55.
A watch that asks to resume from before it gets ``410 Expired`` and its informer lists again.

What the model leaves out: several API servers sharing one etcd (the version check of ``compact_rev_key`` is
modelled, but only one compactor runs per :class:`~k8smodel.apiserver.APIServer`); etcd's own compaction modes
(``--auto-compaction-*``); logging (upstream logs at verbosity 4).
"""

from __future__ import annotations

import contextlib

from k8smodel.etcd import Compare, EtcdError, Op, Store
from k8smodel.sim import Simulation, Timer, parse_duration

COMPACT_REV_KEY = "compact_rev_key"  # compact.go compactRevKey
DEFAULT_COMPACTION_INTERVAL = 300.0  # storagebackend.DefaultCompactInterval (--etcd-compaction-interval), seconds


class Compactor:
    """``compactor`` of ``compact.go`` for ``store``, on the simulated clock.

    :meth:`start` schedules the first round one ``interval`` from now (``runCompactLoop`` waits before compacting);
    :meth:`stop` ends the loop. ``interval`` is seconds or a Go duration (``"5m"``); 0 turns compaction off, as
    ``--etcd-compaction-interval=0`` does (etcd then keeps every revision). ``compact_revision`` is the revision of
    the last compaction this compactor made or learned of (0 until then); ``rounds`` counts the rounds run,
    ``errors`` the compactions etcd refused (for example at or below a revision compacted by hand), which upstream
    logs and goes on.
    """

    def __init__(self, sim: Simulation, store: Store, interval: float | str = DEFAULT_COMPACTION_INTERVAL) -> None:
        seconds = parse_duration(interval)
        if seconds < 0:
            raise ValueError(f"the compaction interval must not be negative, got {interval!r}")
        self.sim = sim
        self.store = store
        self.interval = seconds  # 0: never compact (newCompactor starts no loop for a zero interval)
        self.compact_revision = 0
        self.rounds = 0
        self.errors = 0
        self._compact_time = 0  # the version of compact_rev_key this compactor expects (compactTime)
        self._rev = 0  # the revision to compact at next round (rev)
        self._timer: Timer | None = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    def start(self) -> None:
        """Start the loop (starting twice does nothing; with an interval of 0 there is no loop)."""
        if self._timer is None and self.interval > 0:
            self._timer = self.sim.every(self.interval, self.compact_once, start=self.sim.now + self.interval)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def compact_once(self) -> None:
        """One round: ``compact(ctx, client, compactTime, rev)`` and its bookkeeping in ``runCompactLoop``."""
        self.rounds += 1
        result = self.store.txn(
            [Compare.version(COMPACT_REV_KEY, "=", self._compact_time)],
            [Op.put(COMPACT_REV_KEY, str(self._rev).encode())],
            [Op.get(COMPACT_REV_KEY)],
        )
        current_rev = result.revision
        if not result.succeeded:  # another compactor won: adopt its compact time and compacted revision
            kv = result.responses[0].kvs[0]  # type: ignore[union-attr]
            self._compact_time, self._rev = kv.version, current_rev
            with contextlib.suppress(ValueError):  # compact(): a value that does not parse is ignored
                self.compact_revision = int(kv.value)
            return
        rev, self._compact_time, self._rev = self._rev, self._compact_time + 1, current_rev
        if rev == 0:
            return  # "We don't compact on bootstrap."
        try:
            self.store.compact(rev)
        except EtcdError:
            self.errors += 1  # klog.Errorf and continue, as runCompactLoop does
            return
        self.compact_revision = rev

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Compactor(interval={self.interval:g}s, {state}, compact_revision={self.compact_revision})"


__all__ = ["COMPACT_REV_KEY", "DEFAULT_COMPACTION_INTERVAL", "Compactor"]
