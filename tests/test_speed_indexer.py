"""The informer cache's index bookkeeping remembers each stored object's index values (``Indexer._values``) so an
update does not call the index functions on the old object again. These tests hold it equal to client-go's
``updateIndices`` as written (both functions called on both objects), over seeded random sequences of adds, updates,
deletes, replaces and added indexers: the same index buckets, in the same key order, and the same change log."""

from __future__ import annotations

import random
from typing import Any

import pytest

from k8smodel.client import Indexer


class _Plain(Indexer):
    """``updateIndices`` calling the index functions on the old and the new object, as upstream does."""

    __slots__ = ()

    def _update_indices(self, old: Any, new: Any, key: str) -> None:
        for name, fn in self._indexers.items():
            old_values = fn(old) if old is not None else ()
            new_values = fn(new) if new is not None else ()
            if old_values == new_values:
                continue
            index = self._indices[name]
            log = self._log
            for value in old_values:
                if value not in new_values:
                    bucket = index.get(value)
                    if bucket is not None and key in bucket:
                        del bucket[key]
                        log.append((name, value, key, False))
                        if not bucket:
                            del index[value]
            for value in new_values:
                if value not in old_values:
                    bucket = index.setdefault(value, {})
                    if key not in bucket:
                        log.append((name, value, key, True))
                    bucket[key] = None


def _by_node(obj: Any) -> list[str]:
    return [obj["spec"].get("nodeName") or ""]


def _by_labels(obj: Any) -> list[str]:
    return [f"{k}={v}" for k, v in (obj["metadata"].get("labels") or {}).items()]


def _namespace(obj: Any) -> list[str]:
    return [obj["metadata"].get("namespace") or ""]


def _pod(rng: random.Random) -> dict[str, Any]:
    labels = {k: rng.choice(["a", "b"]) for k in rng.sample(["app", "tier", "env"], rng.randrange(3))}
    return {
        "metadata": {
            "name": f"p{rng.randrange(12)}",
            "namespace": rng.choice(["default", "kube-system"]),
            "labels": labels,
        },
        "spec": {"nodeName": rng.choice(["", "node-1", "node-2"])},
    }


@pytest.mark.parametrize("seed", range(8))
def test_remembered_index_values_give_upstreams_indices(seed: int) -> None:
    rng = random.Random(seed)
    fast, plain = Indexer(indexers={"node": _by_node}), _Plain(indexers={"node": _by_node})
    for step in range(400):
        action = rng.randrange(9)
        pod = _pod(rng)
        for indexer in (fast, plain):
            if step in (50, 120):  # an index added while objects are stored
                indexer.add_indexers({"labels": _by_labels} if step == 50 else {"namespace": _namespace})
            if action < 6:
                indexer.update(pod)
            elif action < 8:
                indexer.delete(pod)
            elif step % 7 == 0:
                indexer.replace([_pod(random.Random(seed * 1000 + step + i)) for i in range(5)])
        assert fast._indices == plain._indices
        for name in fast._indices:  # the same key order in every bucket (by_index's order)
            for value, bucket in fast._indices[name].items():
                assert list(bucket) == list(plain._indices[name][value])
        assert fast._log == plain._log and fast._log_base == plain._log_base
    assert sorted(fast.get_indexers()) == ["labels", "namespace", "node"]
