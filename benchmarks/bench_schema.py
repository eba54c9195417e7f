"""Benchmark of k8smodel.api.schema: prints figures, asserts nothing.

Run: ``.venv/bin/python benchmarks/bench_schema.py`` (about 15 seconds).

Figures: the cold compile of each kind's validator (no disk cache), the same kinds loaded from the disk cache, both
in this process and in a fresh interpreter (a new notebook kernel); validations per second of a valid Deployment
and Pod; the time to collect every error of an invalid Deployment; and, for the whole user path's budget
(>= 500 objects/s), what parsing the YAML text costs with PyYAML's pure-Python and libyaml loaders.

Times are wall-clock seconds (``time.perf_counter``): compiling and loading read files.
"""

from __future__ import annotations

import copy
import importlib.metadata
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import yaml

from k8smodel.api import schema
from k8smodel.api.schema import SCHEMA_KINDS, validate_schema

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from test_schema import DEPLOYMENT, POD  # noqa: E402  (the test suite's real-world manifests)


def per_second(fn, seconds: float = 1.5) -> tuple[float, int]:
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(100):
            fn()
        n += 100
    return n / elapsed, n


def compile_times(label: str) -> float:
    total = 0.0
    print(f"\n{label}")
    for api_version, kind in SCHEMA_KINDS:
        start = time.perf_counter()
        schema.warm_up([(api_version, kind)])
        elapsed = time.perf_counter() - start
        total += elapsed
        print(f"  {api_version + ' ' + kind:<56} {elapsed * 1000:8.1f} ms")
    print(f"  {'all ' + str(len(SCHEMA_KINDS)) + ' kinds':<56} {total * 1000:8.1f} ms")
    return total


FRESH_KERNEL = textwrap.dedent(
    """
    import sys, time
    from k8smodel.api import schema
    schema.set_cache_dir(sys.argv[1] if sys.argv[1] != "-" else None)
    start = time.perf_counter()
    schema.warm_up()
    print(f"{time.perf_counter() - start:.4f}")
    """
)


def fresh_kernel(cache: str) -> float:
    out = subprocess.run([sys.executable, "-c", FRESH_KERNEL, cache], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    versions = f"kubernetes-validate {importlib.metadata.version('kubernetes-validate')}"
    versions += f", fastjsonschema {importlib.metadata.version('fastjsonschema')}"
    print(f"Kubernetes {schema.KUBERNETES_VERSION} schemas ({versions})")

    schema.set_cache_dir(None)
    schema.clear_memory_cache()
    start = time.perf_counter()
    schema._definitions()
    elapsed = time.perf_counter() - start
    print(f"\nload _definitions.json (once per process, only when compiling): {elapsed * 1000:.1f} ms")
    compile_times("cold compile per kind, no disk cache")

    with tempfile.TemporaryDirectory() as tmp:
        schema.set_cache_dir(tmp)
        schema.clear_memory_cache()
        schema.warm_up()  # fills the disk cache
        size = sum(p.stat().st_size for p in Path(tmp).glob("*.marshal"))
        schema.clear_memory_cache()
        compile_times(f"load per kind from the disk cache ({size / 1e6:.1f} MB of bytecode)")
        print("\nfresh interpreter (a new notebook kernel), all kinds, not counting imports:")
        print(f"  no disk cache   {fresh_kernel('-') * 1000:8.1f} ms")
        print(f"  disk cache      {fresh_kernel(tmp) * 1000:8.1f} ms")

    deployment, pod = yaml.safe_load(DEPLOYMENT), yaml.safe_load(POD)
    assert validate_schema(deployment) == [] and validate_schema(pod) == []
    print("\nvalidations of valid manifests (after warm-up)")
    for name, obj in (("Deployment", deployment), ("Pod", pod)):
        rate, n = per_second(lambda obj=obj: validate_schema(obj))
        print(f"  {name:<12} {rate:10,.0f}/s  ({1e6 / rate:6.1f} us each, {n:,} runs)")

    bad = copy.deepcopy(deployment)
    bad["spec"]["replicas"] = "three"
    bad["spec"]["replicaz"] = 3
    del bad["spec"]["selector"]
    bad["spec"]["template"]["spec"]["containers"][0]["imagez"] = "nginx"
    bad["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = 2**40
    bad["spec"]["template"]["spec"]["containers"][1]["resources"]["requests"]["cpu"] = {"cores": 1}
    bad["metadata"]["labels"]["tier"] = 3
    errors = validate_schema(bad)
    rate, n = per_second(lambda: validate_schema(bad))
    print(f"\ncollect every error of an invalid Deployment ({len(errors)} errors): {1e6 / rate:6.1f} us each")
    for error in errors:
        print(f"    {error}")

    print("\nparsing the YAML text (not schema validation; for the user path's budget)")
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", None)):
        if loader is None:
            continue
        rate, _ = per_second(lambda loader=loader: yaml.load(DEPLOYMENT, Loader=loader), seconds=1.0)
        print(f"  Deployment with yaml.{loader.__name__:<12} {rate:10,.0f}/s  ({1e6 / rate:6.1f} us each)")


if __name__ == "__main__":
    main()
