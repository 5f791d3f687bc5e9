"""The one way a domain record changes state (docs/decisions/0004-transitions.md).

    class Review(Transitions, Versioned, AuditedModel):
        @transition(source={DRAFT, RETURNED}, target=SUBMITTED, permission="reviews.submit", label="trình")
        def submit(self):
            self.submitted_on = today()

`review.submit()` then runs, in one transaction:
1. lock the row and reload it, so that the move is decided on what is stored, not on what the caller loaded;
2. refuse (`TransitionRefused`, 409 in the API) when the stored state is not a source: of two simultaneous clicks,
   the second waits for the first's lock, finds the new state and does nothing;
3. refuse a stale copy when `started_from` (the row_version the user saw) is given;
4. run the method, which sets fields and may refuse with a ValidationError (everything is rolled back);
5. set the target state and save: the save bumps row_version and writes exactly one audit entry, coded
   `<app>.<object>.<verb>`;
6. send `transitioned` (after the save, inside the transaction).
The method never saves its own record. `permission` names the rule of accounts/permissions.py that lets a user
start the move (None: only the system does, e.g. a decision taking effect); templates ask
`available_transitions(policy)` instead of matching states.
"""

from collections.abc import Callable, Iterable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal

from tinhgon.audit import context as audit
from tinhgon.core.locking import refuse_stale

# sender: the model class; instance, transition (Transition), source (the state before).
transitioned = Signal()


class TransitionRefused(ValidationError):
    """The record is not (or no longer) in a state the move starts from."""

    def __init__(self, message: str):
        super().__init__(message, code="conflict")


class Transition:
    def __init__(self, method: Callable, *, source, target, permission, label, verb, field):
        self.method, self.target, self.permission = method, target, permission
        self.source = frozenset(source)
        self.label, self.verb, self.field = label, verb, field
        self.name = method.__name__
        self.__doc__ = method.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        return self if instance is None else partial(self.run, instance)

    def __repr__(self):
        return f"<Transition {self.name}: {sorted(self.source)} → {self.target}>"

    def starts_from(self, state) -> bool:
        return state in self.source

    def run(self, instance, *args, started_from: int | None = None, **kwargs):
        model = type(instance)
        with transaction.atomic(using=instance._state.db):
            _reload_locked(instance)
            refuse_stale(instance, started_from)
            state = getattr(instance, self.field)
            if not self.starts_from(state):
                raise TransitionRefused(self.refusal(instance, state))
            with audit.action(model.audit_code(self.verb)):
                result = self.method(instance, *args, **kwargs)
                setattr(instance, self.field, self.target)
                instance.save()
            transitioned.send(sender=model, instance=instance, transition=self, source=state)
        return instance if result is None else result

    def refusal(self, instance, state) -> str:
        noun = type(instance)._meta.verbose_name
        shown = instance._meta.get_field(self.field).flatchoices
        label = dict(shown).get(state, state)
        if state == self.target:
            return (
                f"{noun.capitalize()} đã ở trạng thái “{label}”: việc {self.label} đã được thực hiện (có thể do bấm "
                "hai lần hoặc người khác vừa làm). Không có gì thay đổi."
            )
        return f"Không thể {self.label} {noun} đang ở trạng thái “{label}”."


def transition(
    *,
    source: Iterable,
    target,
    permission: str | None,
    label: str,
    verb: str | None = None,
    field: str = "status",
):
    """Declare a model method as a state transition (see the module docstring). `label` is the Vietnamese verb
    used in messages ("trình", "kiểm soát"); `verb` the last part of the audit code (default: the target)."""

    def decorate(method):
        return Transition(
            method, source=source, target=target, permission=permission, label=label, verb=verb or target, field=field
        )

    return decorate


class Transitions:
    """Mixin for models with @transition methods: what can happen next, asked by templates and the API."""

    @classmethod
    def transitions(cls) -> dict[str, Transition]:
        found = {}
        for klass in reversed(cls.__mro__):
            found.update({name: t for name, t in vars(klass).items() if isinstance(t, Transition)})
        return found

    def available_transitions(self, policy) -> set[str]:
        """The transitions this user may start on this record now (state and permission both allow)."""
        return {
            name
            for name, t in self.transitions().items()
            if t.permission and t.starts_from(getattr(self, t.field)) and self.permits(policy, t.permission)
        }

    def perform(self, name: str, policy, *args, **kwargs):
        """Run transition `name` for a user: 403 (PermissionDenied) unless their role allows it on this record, then
        the transition itself (which may refuse with a ValidationError). Views and the API call this."""
        move = self.transitions()[name]
        if move.permission is None or not self.permits(policy, move.permission):
            raise PermissionDenied
        return getattr(self, name)(*args, **kwargs)

    def permits(self, policy, action: str) -> bool:  # pragma: no cover - every model with transitions overrides it
        raise NotImplementedError


def _reload_locked(instance) -> None:
    """Lock the row and load its stored values into `instance` (fields and audit snapshot), so that checks and the
    audit diff start from what is stored."""
    model = type(instance)
    fresh = model._base_manager.using(instance._state.db).select_for_update().get(pk=instance.pk)
    for field in model._meta.concrete_fields:
        setattr(instance, field.attname, getattr(fresh, field.attname))
    state = instance.__dict__
    state.pop("_audit_snapshot_value", None)
    if "_audit_loaded" in fresh.__dict__:
        state["_audit_loaded"] = fresh.__dict__["_audit_loaded"]
