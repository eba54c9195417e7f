"""TLS for the served API: a self-signed serving certificate, made when the server starts.

kubectl sends a kubeconfig's credentials only over TLS (``staging/src/k8s.io/client-go/tools/clientcmd/
client_config.go``: the user's auth info is merged into the client config only when
``restclient.IsConfigTransportTLS``), so a server that wants bearer tokens must speak HTTPS. ``serve`` makes an
ECDSA P-256 key and a self-signed certificate for ``127.0.0.1``/``localhost`` (and the host it listens on) with the
system's ``openssl`` tool, serves with it (``ssl.SSLContext``), and puts the certificate in the kubeconfig as the
cluster's ``certificate-authority-data``, as kubeadm puts its CA there.

What the model leaves out: a separate cluster CA, client certificates, certificate rotation. The certificate
is self-signed (it is its own CA, ``basicConstraints CA:TRUE``) and lives as long as the server.
"""

from __future__ import annotations

import ipaddress
import shutil
import ssl
import subprocess
from pathlib import Path


class TLSError(RuntimeError):
    """The serving certificate could not be made (no ``openssl``, or it failed)."""


def _san(hosts: list[str]) -> str:
    names = []
    for host in hosts:
        try:
            ipaddress.ip_address(host)
            names.append(f"IP:{host}")
        except ValueError:
            names.append(f"DNS:{host}")
    return ",".join(dict.fromkeys(names))


def make_certificate(directory: str | Path, hosts: list[str]) -> tuple[Path, Path]:
    """Write ``tls.crt`` and ``tls.key`` (mode 0600) for ``hosts`` into ``directory``; return their paths."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise TLSError("serving over TLS needs the openssl tool (apt-get install openssl)")
    directory = Path(directory)
    cert, key = directory / "tls.crt", directory / "tls.key"
    command = [
        openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", str(key), "-out", str(cert), "-days", "3650", "-subj", "/CN=k8smodel-apiserver",
        "-addext", f"subjectAltName={_san(['127.0.0.1', 'localhost', *hosts])}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
        "-addext", "extendedKeyUsage=serverAuth",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise TLSError(f"openssl could not make the serving certificate: {result.stderr.strip()}")
    key.chmod(0o600)
    return cert, key


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    """The server side of TLS with that certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["http/1.1"])
    return context


def client_context(cert: Path) -> ssl.SSLContext:
    """A client context that trusts the server's certificate (for Python clients and tests)."""
    return ssl.create_default_context(cafile=str(cert))


__all__ = ["TLSError", "client_context", "make_certificate", "server_context"]
