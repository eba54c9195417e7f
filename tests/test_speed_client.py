"""The Indexer's change log (a model addition for speed, issue 6) lets a reader follow index values exactly.

A reader (:class:`~k8smodel.controllers.replicaset._Remembered`, what the ReplicaSet controller's claims are built
on) follows some index values of an :class:`~k8smodel.client.Indexer` through random adds, updates that move keys
between values (and back: a key that leaves and joins again goes to the end), deletes, re-adds of deleted keys,
whole replaces and new indexers, with the log trimmed short; after each look its mirrors equal the index values'
objects in ``by_index`` order, and what it remembers equals a fresh read of every object.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8smodel import client
from k8smodel.client import Indexer
from k8smodel.controllers.replicaset import _Remembered

BUCKETS = (("by_val", "a"), ("by_val", "b"))


class _Reader(_Remembered):
    """Remembers each followed object's ``seen`` number (and counts its reads)."""

    __slots__ = ("reads", "seen")

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, int] = {}
        self.reads = 0

    def _forget(self, key: str) -> None:
        del self.seen[key]

    def _set(self, key: str, obj: Any) -> None:
        self.reads += 1
        self.seen[key] = obj["n"]


def _obj(key: str, val: str, n: int) -> dict[str, Any]:
    return {"id": key, "val": val, "n": n}


@pytest.mark.parametrize("log_min", [2, 4096])
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_reader_follows_index_values_through_the_log(monkeypatch, log_min, data):
    monkeypatch.setattr(client, "CHANGE_LOG_MIN", log_min)
    indexer = Indexer(lambda o: o["id"], {"by_val": lambda o: [o["val"]]})
    reader = _Reader()
    n = 0
    for _ in range(data.draw(st.integers(1, 50))):
        op = data.draw(st.sampled_from(["set", "set", "bounce", "delete", "replace", "indexers", "look", "look"]))
        if op == "bounce":  # a key leaves its value and joins it again (moved away and back, or deleted and re-added)
            keys = indexer.list_keys()
            if keys:
                old = indexer.get_by_key(data.draw(st.sampled_from(keys)))
                if data.draw(st.booleans()):
                    indexer.update(_obj(old["id"], "c" if old["val"] != "c" else "a", n))
                else:
                    indexer.delete(old)
                indexer.update(_obj(old["id"], old["val"], n + 1))
                n += 2
        elif op == "set":  # an add, an update in place, a move to another value, a re-add
            n += 1
            key = data.draw(st.sampled_from(["k0", "k1", "k2", "k3", "k4"]))
            indexer.update(_obj(key, data.draw(st.sampled_from(["a", "b", "c"])), n))
        elif op == "delete":
            keys = indexer.list_keys()
            if keys:
                indexer.delete(indexer.get_by_key(data.draw(st.sampled_from(keys))))
        elif op == "replace":
            objs = [_obj(f"k{i}", data.draw(st.sampled_from(["a", "b"])), n + i) for i in range(3)]
            n += 3
            indexer.replace(objs)
        elif op == "indexers":
            indexer.add_indexers({f"extra{n}": lambda o: [o["id"]]})
            n += 1
        else:
            reader.refresh(indexer, BUCKETS)
            assert reader.mirrors == [indexer.index_bucket(name, value) for name, value in BUCKETS]
            assert [list(m.values()) for m in reader.mirrors] == [indexer.by_index(*b) for b in BUCKETS]
            expected = {o["id"]: o["n"] for b in BUCKETS for o in indexer.by_index(*b)}
            assert reader.seen == expected
            reads = reader.reads
            reader.refresh(indexer, BUCKETS)  # nothing changed since: nothing is read again
            assert reader.reads == reads
