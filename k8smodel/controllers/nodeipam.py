"""nodeipam: the node IPAM controller's range allocator — one Pod CIDR per Node, carved from the cluster CIDR.

Every Pod needs an IP address that no other Pod in the cluster has. Kubernetes splits the work: the
kube-controller-manager (with ``--allocate-node-cidrs``) gives each Node a block of addresses, ``spec.podCIDR``
(and the dual-stack list ``spec.podCIDRs``), and the Node's network plugin hands Pods addresses from that block. With
the cluster CIDR ``10.244.0.0/16`` and a node mask of ``/24`` (kubeadm's ``--pod-network-cidr`` as flannel
documents it, and ``--node-cidr-mask-size``'s IPv4 default), there are 256 blocks of 256 addresses: the first Node
gets ``10.244.0.0/24``, the next ``10.244.1.0/24``, and so on. The 257th Node gets none: the controller records a
``CIDRNotAvailable`` Event on it and tries again with back-off.

Upstream sources, ported function by function:

``pkg/controller/nodeipam/ipam/cidrset/cidr_set.go`` — :class:`CIDRSet`
    A bitmap over the ``2**(node mask - cluster mask)`` blocks. ``AllocateNext`` takes the first free block at or
    after ``nextCandidate`` (wrapping around) and moves ``nextCandidate`` past it, so blocks are handed out in
    address order and a released block is reused only after the ones after it; ``Occupy`` and ``Release`` mark
    every block a CIDR overlaps (``getBeginningAndEndIndices``), counting only bits that change; IPv6 node masks
    more than 16 bits longer than the cluster mask are refused (``ErrCIDRSetSubNetTooBig``).
``pkg/controller/nodeipam/ipam/range_allocator.go`` — :class:`NodeIPAMController`
    At start the blocks of every Node that already has ``podCIDRs`` are occupied (``NewCIDRRangeAllocator``), and
    the Service range, if it overlaps, too (``filterOutServiceRange``). Then every added or updated Node is queued
    (a work queue with ``DefaultControllerRateLimiter``) and synced: a Node with ``podCIDRs`` has them occupied, one
    without gets the next free block, written with a patch of ``spec.podCIDR`` and ``spec.podCIDRs``
    (``updateCIDRsAllocation``, ``PatchNodeCIDRs``); a deleted Node's blocks are released. When no block is left
    the Node gets a ``Warning`` Event ``CIDRNotAvailable`` (``Node node-257 status is now: CIDRNotAvailable``, from
    the component ``cidrAllocator``, as ``RecordNodeStatusChange`` in ``pkg/controller/util/node/
    controller_utils.go`` words it) and the sync is retried with the queue's back-off.

What the model leaves out
    * Dual stack: one cluster CIDR (IPv4 or IPv6) rather than a list of them; ``podCIDRs`` has one entry.
    * The other allocators (``CloudAllocator``, the multi-CIDR ``ClusterCIDR`` API) and the IPAM modes of cloud
      providers; Prometheus metrics of the CIDR set.
    * ``cidrUpdateWorkers`` (30 goroutines): one worker drains the queue; the patch's three retries
      (``cidrUpdateRetries``) are immediate.
    * A Node whose ``podCIDRs`` lie outside the cluster CIDR keeps failing its sync (upstream logs the error and
      retries, as here); at start-up upstream refuses to start the controller instead.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Generator, Mapping
from typing import Any

from k8smodel.api.errors import StatusError
from k8smodel.apiserver.authn import AUTHENTICATED_GROUP, MASTERS_GROUP, UserInfo
from k8smodel.client import DeletedFinalStateUnknown, Informer, WorkQueue
from k8smodel.record import WARNING, EventRecorder
from k8smodel.sim import Simulation

Obj = dict[str, Any]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_CLUSTER_CIDR = "10.244.0.0/16"
"""kubeadm's ``--pod-network-cidr`` in flannel's instructions (kube-controller-manager's ``--cluster-cidr``)."""
DEFAULT_NODE_CIDR_MASK_SIZE = 24
"""``--node-cidr-mask-size`` for IPv4 (``DefaultNodeMaskCIDRIPv4``); IPv6 uses 64."""
DEFAULT_NODE_CIDR_MASK_SIZE_IPV6 = 64
CLUSTER_SUBNET_MAX_DIFF = 16  # clusterSubnetMaxDiff (IPv6 only)
CIDR_UPDATE_RETRIES = 3  # cidrUpdateRetries

ERR_NO_CIDRS_REMAINING = "CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range"
ERR_SUBNET_TOO_BIG = "New CIDR set failed; the node CIDR size is too big"

NODE_CONTROLLER_USER = UserInfo(
    "system:serviceaccount:kube-system:node-controller",
    ("system:serviceaccounts", "system:serviceaccounts:kube-system", AUTHENTICATED_GROUP, MASTERS_GROUP),
)
"""Who the node controllers (IPAM and lifecycle) act as: their upstream service account. The model's RBAC has no
``system:controller:node-controller`` ClusterRole, so the account is also put in ``system:masters``."""


class CIDRSetError(ValueError):
    """An error of the CIDR set; the message is upstream's."""


def parse_cidr(text: str | Network) -> Network:
    """``net.ParseCIDR``'s network: host bits are cleared (``10.244.3.7/16`` is ``10.244.0.0/16``)."""
    if isinstance(text, ipaddress.IPv4Network | ipaddress.IPv6Network):
        return text
    if not isinstance(text, str) or "/" not in text:
        raise CIDRSetError(f"invalid CIDR address: {text}")
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise CIDRSetError(f"invalid CIDR address: {text}") from None


class CIDRSet:
    """``cidrset.CidrSet``: the blocks of size ``node_mask_size`` inside ``cluster_cidr``, as a bitmap.

    ``allocate_next()`` returns the next free block (an ``ipaddress`` network; ``str()`` prints it as Go's
    ``IPNet.String`` does), or raises :class:`CIDRSetError` with ``ERR_NO_CIDRS_REMAINING``.
    """

    def __init__(self, cluster_cidr: str | Network, node_mask_size: int) -> None:
        cluster = parse_cidr(cluster_cidr)
        bits = cluster.max_prefixlen
        cluster_mask = cluster.prefixlen
        if cluster.version == 6 and node_mask_size - cluster_mask > CLUSTER_SUBNET_MAX_DIFF:
            raise CIDRSetError(ERR_SUBNET_TOO_BIG)
        if not cluster_mask <= node_mask_size <= bits:
            # Upstream leaves this to its callers ("must ensure subNetMaskSize is not less than cluster CIDR mask").
            raise CIDRSetError(
                f"node CIDR mask size {node_mask_size} must be between the cluster CIDR's mask ({cluster_mask}) "
                f"and {bits}"
            )
        self.cluster_cidr = cluster
        self.cluster_mask_size = cluster_mask
        self.node_mask_size = node_mask_size
        self.bits = bits
        self.max_cidrs = 1 << (node_mask_size - cluster_mask)
        self.allocated_cidrs = 0
        self.next_candidate = 0
        self.used = 0  # the bitmap: bit i set <=> block i in use
        self._base = int(cluster.network_address)
        self._shift = bits - node_mask_size
        self._network = type(cluster)

    def __repr__(self) -> str:
        return (
            f"CIDRSet({str(self.cluster_cidr)!r}, node_mask_size={self.node_mask_size}, "
            f"allocated={self.allocated_cidrs}/{self.max_cidrs})"
        )

    def index_to_cidr_block(self, index: int) -> Network:
        """``indexToCIDRBlock``: block number ``index`` (0 is the cluster CIDR's first address)."""
        return self._network((self._base | (index << self._shift), self.node_mask_size))

    def allocate_next(self) -> Network:
        """``AllocateNext``: the first free block at or after ``next_candidate``, marked used."""
        if self.allocated_cidrs == self.max_cidrs:
            raise CIDRSetError(ERR_NO_CIDRS_REMAINING)
        candidate = self.next_candidate
        used = self.used
        for _ in range(self.max_cidrs):
            if not (used >> candidate) & 1:
                break
            candidate = (candidate + 1) % self.max_cidrs
        self.next_candidate = (candidate + 1) % self.max_cidrs
        self.used |= 1 << candidate
        self.allocated_cidrs += 1
        return self.index_to_cidr_block(candidate)

    def index_for_ip(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> int:
        """``getIndexForIP``: the block an address falls in; an error if it is outside the set."""
        index = (self._base ^ int(ip)) >> self._shift
        if index >= self.max_cidrs:
            raise CIDRSetError(f"CIDR: {ip}/{self.node_mask_size} is out of the range of CIDR allocator")
        return index

    def _indices(self, cidr: str | Network) -> tuple[int, int]:
        """``getBeginningAndEndIndices``: the first and last block that ``cidr`` overlaps."""
        net = parse_cidr(cidr)
        cluster = self.cluster_cidr
        if net.version != cluster.version or not (net.network_address in cluster or cluster.network_address in net):
            raise CIDRSetError(f"cidr {net} is out the range of cluster cidr {cluster}")
        begin, end = 0, self.max_cidrs - 1
        if self.cluster_mask_size < net.prefixlen:
            node_mask = ((1 << self.bits) - 1) ^ ((1 << self._shift) - 1)
            first = int(net.network_address)
            last = first | ((1 << (self.bits - net.prefixlen)) - 1)
            address = type(net.network_address)
            begin = self.index_for_ip(address(first & node_mask))
            end = self.index_for_ip(address(last & node_mask))
        return begin, end

    def occupy(self, cidr: str | Network) -> None:
        """``Occupy``: mark every block ``cidr`` overlaps as used (already used blocks are not counted twice)."""
        begin, end = self._indices(cidr)
        for i in range(begin, end + 1):
            if not (self.used >> i) & 1:
                self.used |= 1 << i
                self.allocated_cidrs += 1

    def release(self, cidr: str | Network) -> None:
        """``Release``: mark every block ``cidr`` overlaps as free (free blocks are not counted twice)."""
        begin, end = self._indices(cidr)
        for i in range(begin, end + 1):
            if (self.used >> i) & 1:
                self.used &= ~(1 << i)
                self.allocated_cidrs -= 1

    def is_used(self, index: int) -> bool:
        return bool((self.used >> index) & 1)


def _node_of(obj: Any) -> Obj | None:
    return obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj


class NodeIPAMController:
    """The node IPAM controller with the range allocator (see the module docstring).

    ``node_informer`` may be shared with other controllers (an informer on ``nodes``); one is made if not given.
    ``start()`` occupies the blocks Nodes already hold, then allocates for the others; ``stop()`` stops it.
    """

    name = "node-ipam-controller"

    def __init__(
        self,
        sim: Simulation,
        api: Any,
        *,
        cluster_cidr: str = DEFAULT_CLUSTER_CIDR,
        node_cidr_mask_size: int | None = None,
        service_cidr: str | None = None,
        node_informer: Informer | None = None,
        user: UserInfo = NODE_CONTROLLER_USER,
    ) -> None:
        self.sim = sim
        self.api = api
        self.user = user
        cluster = parse_cidr(cluster_cidr)
        if node_cidr_mask_size is None:
            v4 = cluster.version == 4
            node_cidr_mask_size = DEFAULT_NODE_CIDR_MASK_SIZE if v4 else DEFAULT_NODE_CIDR_MASK_SIZE_IPV6
        self.cidr_set = CIDRSet(cluster, node_cidr_mask_size)
        self.service_cidr = parse_cidr(service_cidr) if service_cidr else None
        self.nodes = node_informer or Informer(sim, api.lister_watcher("nodes", user=user), name="node-ipam/nodes")
        self.recorder = EventRecorder(sim, api, "cidrAllocator", user=user)
        self.queue = WorkQueue(sim, "cidrallocator_node")
        self._occupied: dict[str, tuple[str, ...]] = {}  # node name -> the podCIDRs occupied for it
        self._handler: Any = None
        self.running = False

    # ---- running -----------------------------------------------------------------------------------------

    def start(self) -> None:
        """``NewCIDRRangeAllocator`` + ``Run``: occupy what Nodes hold, then watch and allocate."""
        if self.running:
            return
        self.running = True
        self.nodes.start()
        if self.service_cidr is not None:
            self._filter_out_service_range(self.service_cidr)
        for node in self.nodes.list():  # the initial node list: occupy before allocating anything
            cidrs = tuple((node.get("spec") or {}).get("podCIDRs") or ())
            if cidrs:
                with contextlib.suppress(CIDRSetError):  # retried by the node's sync
                    self._occupy(node)
        self._handler = self.nodes.add_event_handler(self._on_add, self._on_update, self._on_delete)
        self.sim.process(self._worker())

    def stop(self) -> None:
        self.running = False
        if self._handler is not None:
            self.nodes.remove_event_handler(self._handler)
            self._handler = None
        self.queue.shutdown()

    def _filter_out_service_range(self, service: Network) -> None:
        """``filterOutServiceRange``: blocks that overlap the Service range are never handed out."""
        cluster = self.cidr_set.cluster_cidr
        if service.version != cluster.version:
            return
        if not (service.network_address in cluster or cluster.network_address in service):
            return
        self.cidr_set.occupy(service)

    # ---- handlers and the worker -------------------------------------------------------------------------

    def _enqueue(self, name: str) -> None:
        self.queue.add(name)

    def _on_add(self, node: Obj) -> None:
        self._enqueue(node["metadata"]["name"])

    def _on_update(self, old: Obj, node: Obj) -> None:
        name = node["metadata"]["name"]
        cidrs = (node.get("spec") or {}).get("podCIDRs")
        if cidrs and self._occupied.get(name) == tuple(cidrs):
            return  # already occupied for this node: the sync would change nothing
        self._enqueue(name)

    def _on_delete(self, obj: Any) -> None:
        node = _node_of(obj)
        if node is None:
            return
        with contextlib.suppress(CIDRSetError):
            self.release_cidr(node)
        self._enqueue(node["metadata"]["name"])

    def _worker(self) -> Generator[Any, Any, None]:
        """``runWorker``: take a node name, sync it, requeue it with back-off on failure."""
        while True:
            key = yield self.queue.get_event()
            if key is None:  # the queue was shut down
                return
            try:
                ok = self.sync_node(key)
            finally:
                self.queue.done(key)
            if ok:
                self.queue.forget(key)
            else:
                self.queue.add_rate_limited(key)

    def sync_node(self, name: str) -> bool:
        """``syncNode``: True on success, False to retry with back-off."""
        node = self.nodes.get(name)
        if node is None:
            self._occupied.pop(name, None)
            return True
        if node["metadata"].get("deletionTimestamp"):
            try:
                self.release_cidr(node)
            except CIDRSetError:
                return False
            return True
        return self.allocate_or_occupy_cidr(node)

    # ---- allocation --------------------------------------------------------------------------------------

    def _occupy(self, node: Obj) -> None:
        """``occupyCIDRs``."""
        name = node["metadata"]["name"]
        cidrs = (node.get("spec") or {}).get("podCIDRs") or []
        for idx, cidr in enumerate(cidrs):
            try:
                net = parse_cidr(cidr)
            except CIDRSetError:
                raise CIDRSetError(f"failed to parse node {name}, CIDR {node['spec'].get('podCIDR')}") from None
            if idx >= 1:
                raise CIDRSetError(
                    f"node:{name} has an allocated cidr: {cidr} at index:{idx} that does not exist in cluster "
                    "cidrs configuration"
                )
            try:
                self.cidr_set.occupy(net)
            except CIDRSetError as err:
                raise CIDRSetError(
                    f"failed to mark cidr[{net}] at idx [{idx}] as occupied for node: {name}: {err}"
                ) from None
        self._occupied[name] = tuple(cidrs)

    def allocate_or_occupy_cidr(self, node: Obj) -> bool:
        """``AllocateOrOccupyCIDR``: occupy the Node's blocks, or allocate one and write it to the Node."""
        if (node.get("spec") or {}).get("podCIDRs"):
            try:
                self._occupy(node)
            except CIDRSetError:
                return False
            return True
        try:
            cidr = self.cidr_set.allocate_next()
        except CIDRSetError:
            self._record_status_change(node, WARNING, "CIDRNotAvailable")
            return False
        return self._update_cidrs_allocation(node["metadata"]["name"], cidr)

    def _update_cidrs_allocation(self, name: str, cidr: Network) -> bool:
        """``updateCIDRsAllocation``: patch ``spec.podCIDR`` and ``spec.podCIDRs`` (or give the block back)."""
        text = str(cidr)
        node = self.nodes.get(name)
        if node is None:
            self.cidr_set.release(cidr)
            return False
        current = (node.get("spec") or {}).get("podCIDRs") or []
        if current == [text]:
            self._occupied[name] = (text,)
            return True
        if current:  # the node has CIDRs already: release the reserved one
            self.cidr_set.release(cidr)
            return True
        error: StatusError | None = None
        for _ in range(CIDR_UPDATE_RETRIES):
            try:
                self.api.patch("nodes", name, None, {"spec": {"podCIDR": text, "podCIDRs": [text]}}, user=self.user)
            except StatusError as err:
                error = err
                continue
            self._occupied[name] = (text,)
            return True
        self._record_status_change(node, WARNING, "CIDRAssignmentFailed")
        if error is None or error.code != 504:  # not a server timeout: the write did not happen
            self.cidr_set.release(cidr)
        return False

    def release_cidr(self, node: Obj) -> None:
        """``ReleaseCIDR``: give the Node's blocks back."""
        name = node["metadata"]["name"]
        self._occupied.pop(name, None)
        for idx, cidr in enumerate((node.get("spec") or {}).get("podCIDRs") or []):
            try:
                net = parse_cidr(cidr)
            except CIDRSetError:
                raise CIDRSetError(f"failed to parse CIDR {cidr} on Node {name}") from None
            if idx >= 1:
                raise CIDRSetError(
                    f"node:{name} has an allocated cidr: {cidr} at index:{idx} that does not exist in cluster "
                    "cidrs configuration"
                )
            self.cidr_set.release(net)

    def _record_status_change(self, node: Mapping[str, Any], type_: str, status: str) -> None:
        """``RecordNodeStatusChange``: ``Node <name> status is now: <status>``."""
        name = node["metadata"]["name"]
        ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": node["metadata"].get("uid")}}
        self.recorder.event(ref, type_, status, f"Node {name} status is now: {status}")

    def __repr__(self) -> str:
        return f"NodeIPAMController({self.cidr_set!r})"


__all__ = [
    "DEFAULT_CLUSTER_CIDR",
    "DEFAULT_NODE_CIDR_MASK_SIZE",
    "ERR_NO_CIDRS_REMAINING",
    "ERR_SUBNET_TOO_BIG",
    "NODE_CONTROLLER_USER",
    "CIDRSet",
    "CIDRSetError",
    "NodeIPAMController",
    "parse_cidr",
]
