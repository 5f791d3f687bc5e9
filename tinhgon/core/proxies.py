"""The client's address behind the reverse proxies we trust (docs/deploy.md, Reverse proxy).

Each proxy appends the address it received the request from to X-Forwarded-For, so only the last
TINHGON_TRUSTED_PROXIES addresses of the header were written by us; anything to their left was sent by the client and
may be forged. With nginx setting (not appending) the header and TINHGON_TRUSTED_PROXIES=1, the header holds exactly
the address nginx saw."""

from ipaddress import ip_address

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR when no proxy is trusted (the default); otherwise the N-th address from the right of
    X-Forwarded-For, N being TINHGON_TRUSTED_PROXIES, or REMOTE_ADDR when the header has fewer addresses than that
    or the one at that place is not an address."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = getattr(settings, "TINHGON_TRUSTED_PROXIES", 0)
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted or not is_address(hops[-trusted]):
        return remote
    return hops[-trusted]


def is_address(value: str) -> bool:
    try:
        ip_address(value)
    except ValueError:
        return False
    return True
