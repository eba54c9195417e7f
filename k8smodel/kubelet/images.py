"""images: the model's image registry, the image references the kubelet resolves, and how long a pull takes.

A container runs an *image*: a stack of compressed filesystem layers that the container runtime downloads from a
registry and unpacks before the container can be created. The kubelet does not pull itself; it asks the runtime
(``pkg/kubelet/images/image_manager.go``: ``EnsureImageExists``), after deciding from the ``imagePullPolicy`` and the
node's image cache whether to pull at all. This module is the far side of that call: a registry that knows which
images exist and how big they are.

The registry
    :class:`ImageRegistry` starts with a catalogue of common images (:data:`DEFAULT_CATALOGUE`), several tags each,
    with their compressed ``linux/amd64`` sizes as Docker Hub and ``registry.k8s.io`` list them, rounded to 0.1 MB
    (the figures are realistic, not byte-exact: a real registry's sizes move with every rebuild of a tag). A reader
    adds their own with :meth:`ImageRegistry.push` (``registry.push("example.com/shop/web:1.0", 120_000_000)``).
    An image that is not in the registry cannot be pulled: the runtime answers with containerd's ``NotFound``
    error, and the kubelet reports ``ErrImagePull`` and then ``ImagePullBackOff``.

References
    Images are named as users write them (``nginx:1.27``) and normalized as the runtime resolves them
    (``docker.io/library/nginx:1.27``: ``reference.ParseNormalizedNamed`` in ``github.com/distribution/reference``,
    which :func:`k8smodel.api.defaults.parse_image_name` ports); a name without a tag means ``:latest``
    (``applyDefaultImageTag`` in ``image_manager.go``). Every image gets a content digest, a SHA-256 computed from
    its normalized name and size, so the same image pushed again with another size is another image, as a re-pushed
    tag is. A container status's ``imageID`` is ``<repository>@sha256:<digest>``.

Pull time
    ``PULL_LATENCY + size / bandwidth``, with the node's bandwidth from
    :attr:`k8smodel.kubelet.config.NodeConfig.image_pull_bandwidth`. :data:`PULL_LATENCY` (0.5 s) stands for what a
    pull does before the first layer byte arrives: a token request to the registry's auth service, the manifest list,
    the platform manifest and the image config, four HTTPS round trips of about 100 ms each to a public registry,
    plus containerd's snapshot preparation. Unpacking is folded into the bandwidth. A pull of an unknown image fails
    after the same latency (the manifest request is the one that answers 404). The kubelet pulls one image at a time
    per node (``serializeImagePulls: true``, the default; ``serialized_image_puller.go``); the queue is the
    runtime's (:mod:`k8smodel.kubelet.runtime`).

What the model leaves out
    * Layers: an image is one blob, so two images sharing a base layer are both pulled in full (containerd would
      download the shared layer once).
    * Multi-architecture manifests (one size per tag), registry authentication and ``imagePullSecrets``, mirrors,
      rate limits (Docker Hub's ``429 Too Many Requests``), and image garbage collection on the node.
    * ``latest`` is its own image here, not an alias of the newest numbered tag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from k8smodel.api.defaults import ImageReferenceError, parse_image_name
from k8smodel.api.quantity import Quantity

PULL_LATENCY = 0.5
"""Seconds a pull spends before its first layer byte: auth token, manifest list, manifest, config (see above)."""

PAUSE_IMAGE = "registry.k8s.io/pause:3.10"
"""The sandbox ("pause") image containerd 2.0 uses by default; every node has it before any Pod arrives."""


def _mb(megabytes: float) -> int:
    return round(megabytes * 1_000_000)


DEFAULT_CATALOGUE: Mapping[str, int] = {
    # web servers
    "nginx:1.25": _mb(70.5),
    "nginx:1.26": _mb(71.1),
    "nginx:1.27": _mb(72.2),
    "nginx:1.28": _mb(72.7),
    "nginx:1.29": _mb(72.9),
    "nginx:latest": _mb(72.9),
    "nginx:1.27-alpine": _mb(20.3),
    "nginx:alpine": _mb(21.0),
    "httpd:2.4": _mb(58.1),
    "httpd:2.4-alpine": _mb(22.3),
    "httpd:latest": _mb(58.1),
    # small base images and tools
    "busybox:1.36": _mb(2.2),
    "busybox:1.37": _mb(2.2),
    "busybox:latest": _mb(2.2),
    "alpine:3.20": _mb(3.6),
    "alpine:3.21": _mb(3.6),
    "alpine:latest": _mb(3.6),
    "ubuntu:22.04": _mb(29.5),
    "ubuntu:24.04": _mb(29.7),
    "ubuntu:latest": _mb(29.7),
    "debian:bookworm-slim": _mb(28.2),
    "curlimages/curl:8.11.1": _mb(10.2),
    # data stores
    "redis:7.2": _mb(40.0),
    "redis:7.4": _mb(45.2),
    "redis:8.0": _mb(50.1),
    "redis:7-alpine": _mb(17.2),
    "redis:latest": _mb(50.1),
    "postgres:15": _mb(148.7),
    "postgres:16": _mb(151.4),
    "postgres:17": _mb(155.6),
    "postgres:16-alpine": _mb(95.3),
    "postgres:latest": _mb(155.6),
    "mysql:8.0": _mb(168.5),
    "mysql:8.4": _mb(170.9),
    "memcached:1.6": _mb(30.4),
    # language runtimes
    "python:3.12": _mb(380.3),
    "python:3.12-slim": _mb(45.6),
    "python:3.13": _mb(388.1),
    "python:3.13-slim": _mb(44.8),
    "node:20": _mb(390.2),
    "node:20-slim": _mb(71.5),
    "node:22": _mb(396.8),
    "node:22-alpine": _mb(56.2),
    "golang:1.23": _mb(294.6),
    "eclipse-temurin:21-jre": _mb(96.4),
    # Kubernetes' own images
    "registry.k8s.io/pause:3.9": 321_520,
    "registry.k8s.io/pause:3.10": 320_368,
    "registry.k8s.io/e2e-test-images/agnhost:2.53": _mb(51.6),
    "registry.k8s.io/hpa-example:latest": _mb(141.8),
    "registry.k8s.io/metrics-server/metrics-server:v0.7.2": _mb(19.5),
    "registry.k8s.io/kube-proxy:v1.33.1": _mb(30.7),
    "registry.k8s.io/coredns/coredns:v1.12.0": _mb(20.9),
    "registry.k8s.io/etcd:3.5.21-0": _mb(58.9),
}
"""Image -> compressed size in bytes (``linux/amd64``, as the registries list them, rounded to 0.1 MB)."""


class InvalidImageName(ValueError):
    """An image string the reference grammar rejects (upstream: ``InvalidImageName``)."""


@dataclass(frozen=True)
class Image:
    """One image in the registry: its normalized reference, repository, content digest and compressed size."""

    ref: str  # docker.io/library/nginx:1.27
    repository: str  # docker.io/library/nginx
    digest: str  # sha256:<64 hex>
    size: int  # bytes

    @property
    def image_id(self) -> str:
        """``docker.io/library/nginx@sha256:...``: what a container status shows as ``imageID``."""
        return f"{self.repository}@{self.digest}"


def normalize(image: str) -> str:
    """The runtime's name for ``image``: ``nginx`` -> ``docker.io/library/nginx:latest``; a digest reference keeps
    its digest (``repo@sha256:...``). Raises :class:`InvalidImageName` with the reference grammar's message."""
    try:
        repository, tag, digest = parse_image_name(image)
    except ImageReferenceError as err:
        raise InvalidImageName(f'couldn\'t parse image name "{image}": {err}') from None
    return f"{repository}@{digest}" if digest else f"{repository}:{tag}"


def pull_duration(size: int, bandwidth: float) -> float:
    """Seconds to pull an image of ``size`` bytes at ``bandwidth`` bytes per second: latency plus transfer."""
    return PULL_LATENCY + size / bandwidth


def bandwidth_bytes(quantity: str | float) -> float:
    """``NodeConfig.image_pull_bandwidth`` (a quantity such as ``"50Mi"``) as bytes per second."""
    value = float(quantity) if isinstance(quantity, (int, float)) else float(Quantity(quantity).as_fraction())
    if value <= 0:
        raise ValueError(f"image pull bandwidth must be positive, got {quantity!r}")
    return value


def not_found_error(ref: str) -> str:
    """containerd's error for a pull of an image the registry does not have (``remote.go`` resolve), as the CRI
    returns it through gRPC."""
    return (
        f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": '
        f'failed to resolve reference "{ref}": {ref}: not found'
    )


class ImageRegistry:
    """The registries the cluster pulls from (Docker Hub, registry.k8s.io, any other), as one catalogue.

    ``ImageRegistry()`` starts with :data:`DEFAULT_CATALOGUE`; ``ImageRegistry({})`` starts empty; a mapping of
    ``image -> size`` replaces the default catalogue. :meth:`push` adds or replaces an image.
    """

    def __init__(self, catalogue: Mapping[str, int] | None = None) -> None:
        self._images: dict[str, Image] = {}
        self._by_digest: dict[str, Image] = {}
        for image, size in (DEFAULT_CATALOGUE if catalogue is None else catalogue).items():
            self.push(image, size)

    def push(self, image: str, size: int) -> str:
        """Add ``image`` (any reference a Pod may use) with its compressed ``size`` in bytes; returns the
        normalized reference. Pushing an existing tag again replaces it (a new digest)."""
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise ValueError(f"push {image!r}: size must be a positive number of bytes, got {size!r}")
        ref = normalize(image)
        if "@" in ref:
            raise InvalidImageName(f"push {image!r}: push a tag, not a digest reference")
        repository = ref.rpartition(":")[0]
        digest = "sha256:" + hashlib.sha256(f"{ref}\x00{size}".encode()).hexdigest()
        old = self._images.get(ref)
        if old is not None:
            self._by_digest.pop(f"{old.repository}@{old.digest}", None)
        entry = Image(ref, repository, digest, size)
        self._images[ref] = entry
        self._by_digest[entry.image_id] = entry
        return ref

    def lookup(self, image: str) -> Image | None:
        """The image a reference resolves to, or ``None`` if the registry does not have it (raises
        :class:`InvalidImageName` for a malformed reference)."""
        ref = normalize(image)
        if "@" in ref:
            return self._by_digest.get(ref)
        return self._images.get(ref)

    def size_of(self, image: str) -> int | None:
        """The compressed size of ``image`` in bytes, or ``None`` if it is unknown (or malformed)."""
        try:
            found = self.lookup(image)
        except InvalidImageName:
            return None
        return None if found is None else found.size

    def __contains__(self, image: object) -> bool:
        return isinstance(image, str) and self.size_of(image) is not None

    def __iter__(self) -> Iterator[Image]:
        return iter(list(self._images.values()))

    def __len__(self) -> int:
        return len(self._images)

    def __repr__(self) -> str:
        return f"ImageRegistry({len(self._images)} images)"


__all__ = [
    "DEFAULT_CATALOGUE",
    "PAUSE_IMAGE",
    "PULL_LATENCY",
    "Image",
    "ImageRegistry",
    "InvalidImageName",
    "bandwidth_bytes",
    "normalize",
    "not_found_error",
    "pull_duration",
]
