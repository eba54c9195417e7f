"""apiserver: the request pipeline — authentication, authorization (RBAC), admission, validation, etcd — and
list/watch for clients.

The public surface is :class:`APIServer` (``server.py``); the stages live in their own modules so that a chapter
can show each one: ``authn.py``, ``rbac.py``, ``admission.py``, ``registry.py`` (per-kind strategies and storage
encoding) and ``watch.py`` (the fan-out of changes to watchers). Errors are
:class:`k8smodel.api.errors.StatusError`.
"""

from k8smodel.apiserver.admission import Request
from k8smodel.apiserver.authn import ADMIN, ANONYMOUS, Authenticator, UserInfo, service_account_user
from k8smodel.apiserver.rbac import Attributes, RBACAuthorizer
from k8smodel.apiserver.server import APIServer, ListerWatcher, merge_patch
from k8smodel.apiserver.watch import APIWatch

__all__ = [
    "ADMIN",
    "ANONYMOUS",
    "APIServer",
    "APIWatch",
    "Attributes",
    "Authenticator",
    "ListerWatcher",
    "RBACAuthorizer",
    "Request",
    "UserInfo",
    "merge_patch",
    "service_account_user",
]
