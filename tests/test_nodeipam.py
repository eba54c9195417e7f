"""Node IPAM: the CIDR set (``cidrset/cidr_set_test.go``) and the range allocator (``range_allocator_test.go``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8smodel.cluster import Cluster
from k8smodel.controllers.nodeipam import (
    ERR_NO_CIDRS_REMAINING,
    ERR_SUBNET_TOO_BIG,
    CIDRSet,
    CIDRSetError,
    NodeIPAMController,
)

# --- the CIDR set ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cluster", "mask", "expected"),
    [("127.123.234.0/30", 30, "127.123.234.0/30"), ("beef:1234::/30", 30, "beef:1234::/30")],
)
def test_cidr_set_fully_allocated(cluster, mask, expected):
    """TestCIDRSetFullyAllocated."""
    s = CIDRSet(cluster, mask)
    p = s.allocate_next()
    assert str(p) == expected
    with pytest.raises(CIDRSetError, match="no remaining CIDRs"):
        s.allocate_next()
    s.release(p)
    assert str(s.allocate_next()) == expected
    with pytest.raises(CIDRSetError) as err:
        s.allocate_next()
    assert str(err.value) == ERR_NO_CIDRS_REMAINING


@pytest.mark.parametrize(
    ("cluster", "mask", "index", "block"),
    [
        ("127.123.3.0/16", 24, 0, "127.123.0.0/24"),
        ("127.123.0.0/16", 24, 15, "127.123.15.0/24"),
        ("192.168.5.219/28", 32, 5, "192.168.5.213/32"),
        ("2001:0db8:1234:3::/48", 64, 0, "2001:db8:1234::/64"),
        ("2001:0db8:1234::/48", 64, 15, "2001:db8:1234:f::/64"),
        ("2001:0db8:85a3::8a2e:0370:7334/50", 63, 6425, "2001:db8:85a3:3232::/63"),
        ("2001:0db8::/32", 48, 0, "2001:db8::/48"),
        ("2001:0db8::/32", 48, 15, "2001:db8:f::/48"),
        ("2001:0db8:85a3::8a2e:0370:7334/32", 48, 6425, "2001:db8:1919::/48"),
        ("2001:0db8:1234:ff00::/56", 72, 0, "2001:db8:1234:ff00::/72"),
        ("2001:0db8:1234:ff00::/56", 72, 15, "2001:db8:1234:ff00:f00::/72"),
        ("2001:0db8:1234:ff00::0370:7334/56", 72, 6425, "2001:db8:1234:ff19:1900::/72"),
        ("2001:0db8:1234:0:1234::/80", 96, 0, "2001:db8:1234:0:1234::/96"),
        ("2001:0db8:1234:0:1234::/80", 96, 15, "2001:db8:1234:0:1234:f::/96"),
        ("2001:0db8:1234:ff00::0370:7334/80", 96, 6425, "2001:db8:1234:ff00:0:1919::/96"),
    ],
)
def test_index_to_cidr_block(cluster, mask, index, block):
    """TestIndexToCIDRBlock."""
    assert str(CIDRSet(cluster, mask).index_to_cidr_block(index)) == block


@pytest.mark.parametrize("cluster", ["127.123.234.0/16", "beef:1234::/16"])
def test_randomish_allocation_and_occupied(cluster):
    """TestCIDRSet_RandomishAllocation and TestCIDRSet_AllocationOccupied."""
    s = CIDRSet(cluster, 24)
    cidrs = [s.allocate_next() for _ in range(256)]
    with pytest.raises(CIDRSetError):
        s.allocate_next()
    for c in cidrs:
        s.release(c)
    again = [s.allocate_next() for _ in range(256)]
    assert again == cidrs
    for c in cidrs:
        s.release(c)
    for c in cidrs[128:]:
        s.occupy(c)
    s.occupy(cidrs[128])
    first_half = [s.allocate_next() for _ in range(128)]
    with pytest.raises(CIDRSetError):
        s.allocate_next()
    assert first_half + cidrs[128:] == cidrs


def test_double_occupy_release():
    """TestDoubleOccupyRelease: counters change only with the bits."""
    s = CIDRSet("10.42.0.0/16", 24)
    for cidr, op, occupied in [
        ("10.42.5.0/24", "occupy", 1),
        ("10.42.9.0/24", "occupy", 2),
        ("10.42.8.0/22", "occupy", 5),
        ("10.42.9.0/24", "occupy", 5),
        ("10.42.9.0/24", "release", 4),
        ("10.42.9.0/24", "release", 4),
        ("10.42.4.0/22", "release", 3),
    ]:
        getattr(s, op)(cidr)
        assert s.allocated_cidrs == occupied
    for _ in range(256 - 3):
        s.allocate_next()
    with pytest.raises(CIDRSetError):
        s.allocate_next()


@pytest.mark.parametrize(
    ("cluster", "mask", "subnet", "bit"),
    [
        ("127.0.0.0/8", 16, "127.0.0.0/16", 0),
        ("be00::/8", 16, "be00::/16", 0),
        ("127.0.0.0/8", 16, "127.123.0.0/16", 123),
        ("be00::/8", 16, "beef::/16", 0xEF),
        ("127.0.0.0/8", 16, "127.168.0.0/16", 168),
        ("be00::/8", 16, "be68::/16", 0x68),
        ("127.0.0.0/8", 16, "127.224.0.0/16", 224),
        ("be00::/8", 16, "be24::/16", 0x24),
        ("192.168.0.0/16", 24, "192.168.12.0/24", 12),
        ("beef::/16", 24, "beef:1200::/24", 0x12),
        ("192.168.0.0/16", 24, "192.168.151.0/24", 151),
        ("beef::/16", 24, "beef:9700::/24", 0x97),
        ("192.168.0.0/16", 24, "127.168.224.0/24", None),
        ("beef::/16", 24, "2001:db00::/24", None),
    ],
)
def test_get_bit_for_cidr(cluster, mask, subnet, bit):
    """TestGetBitforCIDR."""
    import ipaddress

    s = CIDRSet(cluster, mask)
    address = ipaddress.ip_network(subnet).network_address
    if bit is None:
        with pytest.raises(CIDRSetError, match="out of the range of CIDR allocator"):
            s.index_for_ip(address)
    else:
        assert s.index_for_ip(address) == bit


@pytest.mark.parametrize(
    ("cluster", "mask", "subnet", "begin", "end"),
    [
        ("127.0.0.0/8", 16, "127.0.0.0/8", 0, 255),
        ("2001:beef:1200::/40", 48, "2001:beef:1200::/40", 0, 255),
        ("127.0.0.0/8", 16, "127.0.0.0/2", 0, 255),
        ("2001:beef:1200::/40", 48, "2001:beef:1234::/34", 0, 255),
        ("127.0.0.0/8", 16, "127.0.0.0/16", 0, 0),
        ("2001:beef:1200::/40", 48, "2001:beef:1200::/48", 0, 0),
        ("127.0.0.0/8", 32, "127.0.0.0/16", 0, 65535),
        ("2001:beef:1200::/48", 64, "2001:beef:1200::/48", 0, 65535),
        ("127.0.0.0/7", 16, "127.0.0.0/15", 256, 257),
        ("2001:beef:7f00::/39", 48, "2001:beef:7f00::/47", 256, 257),
        ("127.0.0.0/7", 15, "127.0.0.0/15", 128, 128),
        ("2001:beef:7f00::/39", 47, "2001:beef:7f00::/47", 128, 128),
        ("127.0.0.0/7", 18, "127.0.0.0/15", 1024, 1031),
        ("2001:beef:7f00::/39", 50, "2001:beef:7f00::/47", 1024, 1031),
    ],
)
def test_occupy(cluster, mask, subnet, begin, end):
    """TestOccupy: exactly the bits begin..end are set."""
    s = CIDRSet(cluster, mask)
    s.occupy(subnet)
    assert s.used == sum(1 << i for i in range(begin, end + 1))


def test_cidr_set_v6_limits():
    """TestCIDRSetv6."""
    s = CIDRSet("127.0.0.0/8", 32)
    assert [str(s.allocate_next()) for _ in range(2)] == ["127.0.0.0/32", "127.0.0.1/32"]
    with pytest.raises(CIDRSetError) as err:
        CIDRSet("beef:1234::/32", 49)
    assert str(err.value) == ERR_SUBNET_TOO_BIG
    s = CIDRSet("2001:beef:1234:369b::/60", 64)
    assert [str(s.allocate_next()) for _ in range(2)] == ["2001:beef:1234:3690::/64", "2001:beef:1234:3691::/64"]


def test_occupy_outside_the_cluster_cidr_fails():
    with pytest.raises(CIDRSetError, match=r"cidr 10\.0\.0\.0/24 is out the range of cluster cidr 10\.244\.0\.0/16"):
        CIDRSet("10.244.0.0/16", 24).occupy("10.0.0.0/24")


# --- the range allocator ----------------------------------------------------------------------------------------


def _cluster():
    c = Cluster(seed=0)
    return c, c.sim, c.api


def _node(api, name, pod_cidr=None):
    spec = {"podCIDR": pod_cidr, "podCIDRs": [pod_cidr]} if pod_cidr else {}
    api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": spec})


def _cidrs(api):
    items, _ = api.list("nodes")
    return {n["metadata"]["name"]: n["spec"].get("podCIDR") for n in items}


def test_nodes_get_consecutive_blocks():
    """TestAllocateOrOccupyCIDRSuccess: the first node gets 10.244.0.0/24, the next 10.244.1.0/24."""
    _, sim, api = _cluster()
    NodeIPAMController(sim, api).start()
    for name in ("node-1", "node-2", "node-3"):
        _node(api, name)
    sim.run(1)
    assert _cidrs(api) == {"node-1": "10.244.0.0/24", "node-2": "10.244.1.0/24", "node-3": "10.244.2.0/24"}
    assert api.get("nodes", "node-2")["spec"]["podCIDRs"] == ["10.244.1.0/24"]


def test_existing_blocks_are_occupied_before_allocating():
    """NewCIDRRangeAllocator with a node list: a node that already holds a block keeps it and nobody gets it."""
    _, sim, api = _cluster()
    _node(api, "new")
    _node(api, "old", "10.244.0.0/24")
    NodeIPAMController(sim, api).start()
    sim.run(1)
    assert _cidrs(api) == {"new": "10.244.1.0/24", "old": "10.244.0.0/24"}


def test_deleted_node_releases_its_block():
    """ReleaseCIDR on delete; AllocateNext then continues after the last block (nextCandidate) and wraps."""
    _, sim, api = _cluster()
    ipam = NodeIPAMController(sim, api, cluster_cidr="10.244.0.0/23", node_cidr_mask_size=24)
    ipam.start()
    _node(api, "a")
    _node(api, "b")
    sim.run(1)
    api.delete("nodes", "a")
    sim.run(2)
    assert ipam.cidr_set.allocated_cidrs == 1
    _node(api, "c")
    sim.run(3)
    assert _cidrs(api) == {"b": "10.244.1.0/24", "c": "10.244.0.0/24"}


def test_exhausted_range_records_cidr_not_available():
    """TestAllocateOrOccupyCIDRFailure: no block left gives the Warning event CIDRNotAvailable, then retries."""
    _, sim, api = _cluster()
    NodeIPAMController(sim, api, cluster_cidr="10.244.0.0/24", node_cidr_mask_size=24).start()
    _node(api, "a")
    _node(api, "b")
    sim.run(60)
    assert _cidrs(api) == {"a": "10.244.0.0/24", "b": None}
    items, _ = api.list("events", "default")
    (event,) = items
    assert event["reason"] == "CIDRNotAvailable" and event["type"] == "Warning"
    assert event["message"] == "Node b status is now: CIDRNotAvailable"
    assert event["source"] == {"component": "cidrAllocator"}
    assert event["count"] > 1  # the sync is retried with the work queue's back-off
    api.delete("nodes", "a")
    sim.run(2000)  # the back-off (5 ms doubling) brings the retry within 1000 s
    assert _cidrs(api) == {"b": "10.244.0.0/24"}


def test_service_range_is_filtered_out():
    """filterOutServiceRange: blocks overlapping the Service range are never given to nodes."""
    _, sim, api = _cluster()
    NodeIPAMController(sim, api, cluster_cidr="10.0.0.0/16", service_cidr="10.0.0.0/24").start()
    _node(api, "a")
    sim.run(1)
    assert _cidrs(api) == {"a": "10.0.1.0/24"}


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 9)), min_size=1, max_size=30))
def test_no_two_nodes_share_a_block(ops):
    """Whatever the adds and deletes, live nodes' blocks are distinct, inside the cluster CIDR, and counted."""
    import ipaddress

    _, sim, api = _cluster()
    ipam = NodeIPAMController(sim, api, cluster_cidr="10.244.0.0/21", node_cidr_mask_size=24)
    ipam.start()
    live: set[int] = set()
    for add, i in ops:
        if add and i not in live:
            _node(api, f"n{i}")
            live.add(i)
        elif not add and i in live:
            api.delete("nodes", f"n{i}")
            live.discard(i)
        sim.run(sim.now + 1)
    sim.run(sim.now + 3000)
    blocks = [b for b in _cidrs(api).values() if b]
    assert len(blocks) == len(set(blocks)) == min(len(live), 8)
    assert all(ipaddress.ip_network(b).subnet_of(ipaddress.ip_network("10.244.0.0/21")) for b in blocks)
    assert ipam.cidr_set.allocated_cidrs == len(blocks)
