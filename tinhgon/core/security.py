"""Response headers that no view should have to remember (docs/decisions/0005-security-settings.md).

- `Permissions-Policy`: no page uses the camera, microphone, location, payment or USB devices, so none may, even
  if a script were injected;
- `Cache-Control: private, no-store` on what an authenticated user is shown (shared computers in government
  offices: the back button or a proxy cache must not show the next person the last one's records) and on every
  download, unless the view chose its own caching. Pages of the public portal for anonymous visitors stay
  cacheable; static files are answered by WhiteNoise before this middleware runs.

Referrer-Policy, Cross-Origin-Opener-Policy and X-Frame-Options are Django settings (SecurityMiddleware,
XFrameOptionsMiddleware); Content-Security-Policy is django-csp's.
"""

from django.http import FileResponse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
PRIVATE = "private, no-store"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response and (is_private(request) or is_download(response)):
            response["Cache-Control"] = PRIVATE
        return response


def is_private(request) -> bool:
    """Signed in by session, or by an API token (DRF authenticates inside the view and sets request.user then)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META


def is_download(response) -> bool:
    return isinstance(response, FileResponse) or "Content-Disposition" in response
