"""Response headers that no view should have to remember (docs/decisions/0005-security-settings.md).

- `Permissions-Policy`: no page uses the camera, microphone, location, payment or USB devices, so none may, even
  if a script were injected;
- `Cache-Control: private, no-store` on what an authenticated user is shown (shared computers in government
  offices: the back button or a proxy cache must not show the next person the last one's records) and on every
  download but the portal's, unless the view chose its own caching. Static files are answered by WhiteNoise
  before this middleware runs.
- `Cache-Control: public, max-age=0, s-maxage=…` on what the public portal and the public API answer an anonymous
  visitor (`TINHGON_PUBLIC_PATHS`), its downloads included (the Word and PDF of a published procedure are the page
  in another form; the load test's visitors asked for 6 a second, each built anew): the same for everyone. A
  browser asks again each time, with the page's ETag
  (Django's ConditionalGetMiddleware answers 304 and no body when nothing changed), so a procedure published a
  moment ago is found at once; a shared cache in front of the app (nginx) may keep the answer for
  `TINHGON_PUBLIC_MAX_AGE` seconds, which is what takes the load of a busy portal off the application. Never on an
  answer that sets a cookie (it would hand one visitor's cookie to the next).

Referrer-Policy, Cross-Origin-Opener-Policy and X-Frame-Options are Django settings (SecurityMiddleware,
XFrameOptionsMiddleware); Content-Security-Policy is django-csp's.
"""

from django.conf import settings
from django.http import FileResponse
from django.utils.cache import patch_cache_control

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
        if "Cache-Control" in response:
            return response
        if is_private(request):
            response["Cache-Control"] = PRIVATE
        elif is_shareable(request, response):
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.TINHGON_PUBLIC_MAX_AGE)
        elif is_download(response):
            response["Cache-Control"] = PRIVATE
        return response


def is_private(request) -> bool:
    """Signed in by session, or by an API token (DRF authenticates inside the view and sets request.user then)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META


def is_shareable(request, response) -> bool:
    """A successful read of a public address that sets no cookie: the same answer for any anonymous visitor."""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.cookies
        and request.path.startswith(tuple(settings.TINHGON_PUBLIC_PATHS))
    )


def is_download(response) -> bool:
    return isinstance(response, FileResponse) or "Content-Disposition" in response
