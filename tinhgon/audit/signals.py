"""Write the audit trail for every AuditedModel. Kept in signals so that every path (views, API, admin, shell,
commands) is covered, including the Django admin, which calls save()/delete() directly."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tinhgon.audit.models import AuditedModel
from tinhgon.audit.services import log_action, log_event
from tinhgon.core import imports


@receiver(post_save)
def audit_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    changes = instance.audit_changes(created)
    if changes or created:
        log_action(instance, verb="created" if created else "updated", changes=changes)
    instance._audit_snapshot = instance.audit_values()


@receiver(post_delete)
def audit_deleted(sender, instance, **kwargs):
    if isinstance(instance, AuditedModel):
        before = getattr(instance, "_audit_snapshot", None) or instance.audit_values()
        log_action(instance, verb="deleted", changes={name: [value, None] for name, value in before.items()})


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    log_action(user, verb="logged_in", changes={})


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        log_action(user, verb="logged_out", changes={})


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    """Only the username tried (and which step failed: the password or the one-time code), never the secret:
    `credentials` holds the password too, masked by Django, and it stays out of the trail."""
    username = str(credentials.get("username") or "")[:150]
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None
    changes = {"username": [None, username]}
    if credentials.get("step"):
        changes["step"] = [None, str(credentials["step"])]
    log_event("accounts.user.login_failed", about=user, changes=changes)


@receiver(imports.confirmed)
def audit_import_confirmed(sender, purpose, about, counts, **kwargs):
    log_event(f"{purpose}.confirmed", about=about, changes={name: [None, n] for name, n in counts.items()})
