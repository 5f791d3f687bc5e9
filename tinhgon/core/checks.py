"""Checks of our settings (`manage.py check`; the deployment ones with `--deploy`, docs/deploy.md): errors, not
warnings, so that the command fails. Django's own security.W009 only warns about a weak SECRET_KEY."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register

from tinhgon.core.object_storage import BACKEND

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_CHARACTERS = 5
# Values that have been published (in .env.example, Django's startproject, documentation): never secret.
KNOWN_PREFIXES = ("django-insecure", "change-me", "dev-only")


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    key = str(getattr(settings, "SECRET_KEY", "") or "")
    if is_weak_secret_key(key):
        return [
            Error(
                f"SECRET_KEY is weak: use at least {MIN_SECRET_KEY_LENGTH} random characters.",
                hint='Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"',
                id="tinhgon.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs):
    if getattr(settings, "TINHGON_TRUSTED_PROXIES", 0) > 0:
        return []
    return [
        Error(
            "TINHGON_TRUSTED_PROXIES is 0: behind the reverse proxy of docs/deploy.md every request would seem to "
            "come from the proxy, so a throttled username would be locked out for everyone, the audit trail would "
            "record the proxy's address, and HTTPS would not be detected.",
            hint="Set TINHGON_TRUSTED_PROXIES=1 with nginx setting X-Forwarded-For (docs/deploy.md). If clients "
            "really reach the application directly, silence this check: SILENCED_SYSTEM_CHECKS=tinhgon.E002.",
            id="tinhgon.E002",
        )
    ]


@register(Tags.security)
def check_required_2fa_roles(app_configs, **kwargs):
    """A misspelt role would silently require two-factor authentication of no one."""
    roles = {value for value, _ in apps.get_model("accounts", "Membership")._meta.get_field("role").choices}
    unknown = sorted(set(getattr(settings, "TINHGON_REQUIRE_2FA_ROLES", [])) - roles)
    if not unknown:
        return []
    return [
        Error(
            f"TINHGON_REQUIRE_2FA_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use values of accounts.models.Role: {', '.join(sorted(roles))}.",
            id="tinhgon.E003",
        )
    ]


def is_weak_secret_key(key: str) -> bool:
    return (
        len(key) < MIN_SECRET_KEY_LENGTH
        or len(set(key)) < MIN_SECRET_KEY_CHARACTERS
        or key.lower().startswith(KNOWN_PREFIXES)
    )


@register()
def check_share_rounding(app_configs, **kwargs):
    from tinhgon.core.formatting import SHARE_ROUNDINGS

    name = getattr(settings, "TINHGON_SHARE_ROUNDING", "half_up")
    if name not in SHARE_ROUNDINGS:
        return [
            Error(
                f"TINHGON_SHARE_ROUNDING is {name!r}: it must be one of {', '.join(SHARE_ROUNDINGS)}.",
                id="tinhgon.E010",
            )
        ]
    return []


@register()
def check_file_sender(app_configs, **kwargs):
    """nginx sends files from the MEDIA_ROOT it mounts; files in an object store are sent by the app."""
    if settings.TINHGON_FILE_SENDER == "nginx" and settings.STORAGES["default"]["BACKEND"] == BACKEND:
        return [
            Error(
                "TINHGON_FILE_SENDER is nginx, which sends files from MEDIA_ROOT, but the files are in an object "
                "store (S3_ENDPOINT).",
                hint="Leave TINHGON_FILE_SENDER at django: the app then reads each file from the store and sends it.",
                id="tinhgon.E011",
            )
        ]
    return []
