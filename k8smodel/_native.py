"""The model's hottest modules, compiled by mypyc, and loaded only while they match the sources exactly.

The model is plain Python, and stays so: every module is read, run and debugged as the ``.py`` file it is. For
speed, ``make`` also compiles the modules on the path of every API request, and the kubelet (:data:`MODULES`), with
mypyc (https://mypyc.readthedocs.io, the compiler that builds mypy itself) into ``.venv/k8smodel-native/``, outside
the package. ``k8smodel/__init__.py`` imports this module before anything else, and :func:`install` then loads the
compiled modules instead of their sources only if the SHA-256 of every ``.py`` file of the package (all of them:
the compiled code relies on the types of the modules it imports) equals the one recorded at the build, for this
same interpreter. After any edit the sources run, as if nothing had been compiled, until ``make`` compiles them
again (:func:`build`): a stale build is never used. ``K8SMODEL_PURE_PYTHON=1`` turns the compiled modules off;
:func:`status` says which way the model runs.

Compiled and pure Python give the same results, byte for byte: ``tests/test_native.py`` runs one scenario both ways
and compares every etcd key, value and revision and the whole event log. What differs: the compiled modules run
about 15 % faster on the kubelet benchmark (``benchmarks/bench_kubelet.py``); cProfile and py-spy see each of their
functions as one native call (profile with ``K8SMODEL_PURE_PYTHON=1``); and a function of a compiled module calls
the other functions of the compiled modules directly, so replacing one of those at run time (a test's monkeypatch)
reaches only callers outside them. Classes that are replaced or weakly referenced stay Python classes
(``@mypyc_attr(native_class=False)``).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

#: The compiled modules: the clock, the API server's request path and the validation it runs, and the kubelet. Not
#: etcd.py: its Store is also a public API that checks its arguments itself, with etcd's messages, where compiled code
#: would first raise its own TypeError.
MODULES = (
    "k8smodel.sim",
    "k8smodel.record",
    "k8smodel.apiserver.server",
    "k8smodel.apiserver.watch",
    "k8smodel.apiserver.registry",
    "k8smodel.api.validation",
    "k8smodel.kubelet.kubelet",
    "k8smodel.kubelet.node_status",
    "k8smodel.kubelet.probes",
    "k8smodel.kubelet.runtime",
)
GROUP = "k8smodel_native"  # mypyc's shared library for them all is the top-level module GROUP + "__mypyc"
PACKAGE_DIR = Path(__file__).resolve().parent
MANIFEST = "manifest.json"

_status: dict[str, Any] = {"compiled": False, "reason": "not checked yet", "directory": ""}


def native_dir() -> Path:
    """Where the compiled modules are: ``$K8SMODEL_NATIVE_DIR``, else ``k8smodel-native`` in the environment
    (``sys.prefix``: ``.venv`` for ``make``'s environment)."""
    return Path(os.environ.get("K8SMODEL_NATIVE_DIR") or Path(sys.prefix) / "k8smodel-native")


def sources_digest() -> str:
    """SHA-256 over every ``.py`` file of the package, by path relative to it, in sorted order."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _interpreter() -> str:
    return f"{sys.implementation.cache_tag} {sysconfig.get_config_var('EXT_SUFFIX')}"


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the compiled modules (and mypyc's shared library) in the native directory, and nothing else."""

    def __init__(self, paths: dict[str, str]) -> None:
        self.paths = paths

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        so = self.paths.get(name)
        if so is None:
            return None
        return importlib.util.spec_from_file_location(
            name, so, loader=importlib.machinery.ExtensionFileLoader(name, so)
        )


def install() -> dict[str, Any]:
    """Load the compiled modules from now on, if there is a build that matches the sources and this interpreter;
    else leave the sources to load. Call before any of :data:`MODULES` is imported. Returns :func:`status`."""
    directory = native_dir()
    _status.update(compiled=False, directory=str(directory))
    if os.environ.get("K8SMODEL_PURE_PYTHON"):
        _status["reason"] = "K8SMODEL_PURE_PYTHON is set"
        return status()
    if any(name in sys.modules for name in MODULES):
        _status["reason"] = "a module was imported before the check"
        return status()
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        _status["reason"] = f"no compiled modules in {directory}"
        return status()
    if manifest.get("interpreter") != _interpreter():
        _status["reason"] = "compiled for another interpreter"
        return status()
    if manifest.get("sources") != sources_digest():
        _status["reason"] = "the sources changed since the build"
        return status()
    paths = {name: str(directory / rel) for name, rel in manifest["files"].items()}
    if sorted(paths) != sorted([*MODULES, GROUP + "__mypyc"]) or not all(map(os.path.exists, paths.values())):
        _status["reason"] = "the build is incomplete"
        return status()
    sys.meta_path.insert(0, _Finder(paths))
    _status.update(compiled=True, reason="the build matches the sources")
    return status()


def status() -> dict[str, Any]:
    """Whether the model runs compiled (``compiled``), why (``reason``), and from where (``directory``)."""
    return {**_status, "modules": list(MODULES)}


def build(directory: Path | None = None) -> Path:
    """Compile :data:`MODULES` with mypyc into ``directory`` (:func:`native_dir` by default), replacing what was
    there, and record the sources' digest and the interpreter in its manifest."""
    from mypyc.build import mypycify  # build-time only: mypy is in the native extra, not a dependency
    from setuptools import Distribution

    directory = directory or native_dir()
    digest = sources_digest()
    root = PACKAGE_DIR.parent
    paths = [str(Path(*name.split(".")).with_suffix(".py")) for name in MODULES]
    with tempfile.TemporaryDirectory(prefix="k8smodel-native-") as tmp:
        cwd = os.getcwd()
        os.chdir(root)  # mypyc names each module by its path from here
        try:
            options = ["--ignore-missing-imports", "--follow-imports=silent", "--cache-dir", f"{tmp}/mypy-cache"]
            extensions = mypycify([*options, *paths], multi_file=True, target_dir=f"{tmp}/c", group_name=GROUP)
            dist = Distribution({"name": "k8smodel-native", "ext_modules": extensions})
            command: Any = dist.get_command_obj("build_ext")
            command.build_lib, command.build_temp = f"{tmp}/lib", f"{tmp}/temp"
            command.parallel = os.cpu_count() or 1
            command.ensure_finalized()
            command.run()
        finally:
            os.chdir(cwd)
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        files = {name: str(Path(*name.split(".")).with_suffix("")) + suffix for name in [*MODULES, GROUP + "__mypyc"]}
        staging = Path(tmp) / "out"
        for rel in files.values():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(tmp) / "lib" / rel, staging / rel)
        (staging / MANIFEST).write_text(json.dumps({"interpreter": _interpreter(), "sources": digest, "files": files}))
        shutil.rmtree(directory, ignore_errors=True)
        directory.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging, directory)
    return directory


if __name__ == "k8smodel._native":  # imported (first) by k8smodel/__init__.py
    install()
