"""Who is acting, for which organisation and from where: carried to the audit trail without passing it around.

The web middleware stores the current request; commands and services that run outside a request use `acting()`.
Values are resolved when an entry is written, because DRF authenticates a token only inside the view.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from tinhgon.core.proxies import client_ip


@dataclass(frozen=True)
class Actor:
    user: Any = None
    organisation: Any = None
    ip: str | None = None


_request: ContextVar[Any] = ContextVar("audit_request", default=None)
_explicit: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)
_action: ContextVar[str | None] = ContextVar("audit_action", default=None)


def current_actor() -> Actor:
    explicit = _explicit.get()
    if explicit is not None:
        return explicit
    request = _request.get()
    if request is None:
        return Actor()
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    membership = getattr(request, "acting_membership", None)
    return Actor(user=user, organisation=membership.organisation if membership else None, ip=client_ip(request))


def current_action() -> str | None:
    return _action.get()


@contextmanager
def bound_request(request) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def acting(user=None, organisation=None, ip: str | None = None) -> Iterator[None]:
    """Attribute the changes made inside the block to this user and organisation (commands, jobs, tests)."""
    token = _explicit.set(Actor(user=user, organisation=organisation, ip=ip))
    try:
        yield
    finally:
        _explicit.reset(token)


@contextmanager
def action(code: str) -> Iterator[None]:
    """Record the changes made inside the block under a domain action code, e.g. `organisations.unit.merged`,
    instead of the generic created/updated/deleted, so a transition writes one entry per object, not two."""
    token = _action.set(code)
    try:
        yield
    finally:
        _action.reset(token)
