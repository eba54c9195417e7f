"""Put every script the rendered book needs into book/_static/vendor/, so no page asks the internet for it.

Reads book/vendor.toml. npm packages are fetched with the ordinary npm client (`npm pack`) at pinned versions and
verified against their sha512 integrity before they are unpacked; plotly.js is copied from the installed plotly
package. Already-fetched tarballs are reused from .cache/npm/. Run by `make book`; safe to run again.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import importlib.util
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "book" / "vendor.toml"
OUT = ROOT / "book" / "_static" / "vendor"
CACHE = ROOT / ".cache" / "npm"


def sri(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def tarball_name(package: str, version: str) -> str:
    return f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"


def fetch_npm(package: str, version: str, integrity: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    tgz = CACHE / tarball_name(package, version)
    if not tgz.exists() or sri(tgz) != integrity:
        if shutil.which("npm") is None:
            sys.exit("fetch_static: npm is needed to fetch the book's widget scripts: apt-get install -y npm")
        subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--pack-destination", str(CACHE), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    got = sri(tgz)
    if got != integrity:
        tgz.unlink()
        sys.exit(f"fetch_static: {package}@{version}: integrity {got} does not match the pinned {integrity}")
    return tgz


def destination(name: str, source: str, target: str) -> Path | None:
    """Where tarball member ``name`` goes for the rule ``source -> target``, or None if the rule does not take it.

    ``source`` is a file (copied to the file ``target``), a folder ending in ``/`` (its tree copied under the folder
    ``target``) or a glob (each match copied into the folder ``target`` under its own name).
    """
    if source.endswith("/"):
        return OUT / (target + name[len(source) :]) if name.startswith(source) else None
    if any(c in source for c in "*?["):
        return OUT / target / Path(name).name if fnmatch.fnmatch(name, source) else None
    return OUT / target if name == source else None


def unpack(tgz: Path, files: dict[str, str]) -> None:
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.endswith(".map"):  # source maps: devtools only
                continue
            for source, target in files.items():
                dest = destination(member.name, source, target)
                if dest is not None:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as src:
                        dest.write_bytes(src.read())


def main() -> None:
    spec = tomllib.loads(SPEC.read_text())
    OUT.mkdir(parents=True, exist_ok=True)
    for pkg in spec["npm"]:
        unpack(fetch_npm(pkg["package"], pkg["version"], pkg["integrity"]), pkg["files"])
    for package, relative in spec["python"].items():
        origin = Path(importlib.util.find_spec(package).origin).parent.parent
        shutil.copyfile(origin / relative, OUT / Path(relative).name)
    print(f"fetch_static: {sum(1 for p in OUT.rglob('*') if p.is_file())} files in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
