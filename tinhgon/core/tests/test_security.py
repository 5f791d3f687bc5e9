import io
import os
import stat
import subprocess
import sys
from html.parser import HTMLParser

from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

import pytest

from tinhgon import settings as project_settings
from tinhgon.core.checks import check_required_2fa_roles, check_secret_key, check_trusted_proxies
from tinhgon.core.proxies import client_ip
from tinhgon.core.security import SecurityHeadersMiddleware

# client_ip ------------------------------------------------------------------------------------------------------


def forwarded(header: str | None, remote="10.0.0.2"):
    extra = {"HTTP_X_FORWARDED_FOR": header} if header is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_client_is_the_connection(settings):
    settings.TINHGON_TRUSTED_PROXIES = 0
    assert client_ip(forwarded("203.0.113.9")) == "10.0.0.2"


def test_behind_nginx_the_client_is_the_address_nginx_set(settings):
    settings.TINHGON_TRUSTED_PROXIES = 1
    assert client_ip(forwarded("203.0.113.9")) == "203.0.113.9"


def test_an_address_forged_by_the_client_is_ignored(settings):
    # A proxy that appends: the client wrote the first address, nginx the last.
    settings.TINHGON_TRUSTED_PROXIES = 1
    assert client_ip(forwarded("198.51.100.1, 203.0.113.9")) == "203.0.113.9"


def test_with_two_proxies_the_client_is_the_second_address_from_the_right(settings):
    settings.TINHGON_TRUSTED_PROXIES = 2
    assert client_ip(forwarded("198.51.100.1, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"


def test_a_header_shorter_than_the_proxies_falls_back_to_the_connection(settings):
    settings.TINHGON_TRUSTED_PROXIES = 2
    assert client_ip(forwarded("203.0.113.9")) == "10.0.0.2"
    assert client_ip(forwarded(None)) == "10.0.0.2"


def test_something_that_is_not_an_address_falls_back_to_the_connection(settings):
    settings.TINHGON_TRUSTED_PROXIES = 1
    assert client_ip(forwarded("unknown")) == "10.0.0.2"
    assert client_ip(forwarded("2001:db8::7")) == "2001:db8::7"


def test_django_axes_uses_the_same_address():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "tinhgon.core.proxies.client_ip"


# SECRET_KEY and the deployment checks -----------------------------------------------------------------------------


def test_without_debug_the_app_refuses_to_start_without_a_secret_key(tmp_path):
    environment = {**os.environ, "DEBUG": "false", "SECRET_KEY": "", "DJANGO_SETTINGS_MODULE": "tinhgon.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        cwd=project_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_development_key_is_made_once_private_and_kept(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = project_settings.development_secret_key(path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert project_settings.development_secret_key(path) == first
    assert list(path.parent.iterdir()) == [path]  # no draft left behind


def test_tests_run_with_a_random_strong_key():
    assert check_secret_key(None) == []


@pytest.mark.parametrize(
    "key", ["short", "x" * 60, "django-insecure-" + "a1b2c3d4e5" * 6, "change-me-to-a-long-random-string" * 2]
)
def test_check_deploy_fails_on_a_weak_secret_key(settings, key):
    settings.SECRET_KEY = key
    assert [error.id for error in check_secret_key(None)] == ["tinhgon.E001"]


def test_check_deploy_fails_without_trusted_proxies(settings):
    settings.TINHGON_TRUSTED_PROXIES = 0
    assert [error.id for error in check_trusted_proxies(None)] == ["tinhgon.E002"]
    settings.TINHGON_TRUSTED_PROXIES = 1
    assert check_trusted_proxies(None) == []


def test_check_fails_on_an_unknown_role_requiring_two_factor_authentication(settings):
    settings.TINHGON_REQUIRE_2FA_ROLES = ["admin", "admn"]
    [error] = check_required_2fa_roles(None)
    assert error.id == "tinhgon.E003" and "admn" in error.msg
    settings.TINHGON_REQUIRE_2FA_ROLES = ["admin", "agency_leader"]
    assert check_required_2fa_roles(None) == []


def test_the_checks_are_registered_for_check_deploy():
    from django.core.checks import registry

    deploy_checks = registry.registry.get_checks(include_deployment_checks=True)
    assert {check_secret_key, check_trusted_proxies, check_required_2fa_roles} <= set(deploy_checks)


# Response headers -----------------------------------------------------------------------------------------------


def through_middleware(response, user=None, path="/", **meta):
    request = RequestFactory().get(path, **meta)
    request.user = user or AnonymousUser()
    return SecurityHeadersMiddleware(lambda request: response)(request)


def test_every_response_forbids_camera_microphone_and_location():
    policy = through_middleware(HttpResponse())["Permissions-Policy"]
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"} <= set(policy.split(", "))


def test_an_anonymous_page_outside_the_portal_gets_no_caching_header():
    assert "Cache-Control" not in through_middleware(HttpResponse())


def test_a_public_page_is_revalidated_by_browsers_and_may_be_kept_by_a_shared_cache(settings):
    settings.TINHGON_PUBLIC_MAX_AGE = 60
    response = through_middleware(HttpResponse(), path="/cong-khai/thu-tuc/X/")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"


def test_a_public_answer_that_sets_a_cookie_is_not_shared():
    response = HttpResponse()
    response.set_cookie("csrftoken", "abc")
    assert "Cache-Control" not in through_middleware(response, path="/cong-khai/")


def test_a_public_page_answered_to_a_signed_in_user_is_not_stored(world):
    response = through_middleware(HttpResponse(), user=world.officer_a1, path="/cong-khai/")
    assert response["Cache-Control"] == "private, no-store"


def test_a_refusal_on_a_public_address_is_not_cached():
    response = through_middleware(HttpResponse(status=404), path="/cong-khai/thu-tuc/KHONG-CO/")
    assert "Cache-Control" not in response


def test_a_page_for_a_signed_in_user_is_not_stored(world):
    assert through_middleware(HttpResponse(), user=world.officer_a1)["Cache-Control"] == "private, no-store"


def test_an_api_answer_to_a_token_is_not_stored():
    response = through_middleware(HttpResponse(), HTTP_AUTHORIZATION="Token abc")
    assert response["Cache-Control"] == "private, no-store"


def test_a_download_outside_the_portal_is_not_stored_even_for_anonymous_visitors():
    attachment = HttpResponse(headers={"Content-Disposition": 'attachment; filename="a.xlsx"'})
    assert through_middleware(attachment)["Cache-Control"] == "private, no-store"
    streamed = FileResponse(io.BytesIO(b"%PDF"))
    assert through_middleware(streamed)["Cache-Control"] == "private, no-store"


def test_a_portal_download_for_an_anonymous_visitor_may_be_kept_by_a_shared_cache(settings):
    settings.TINHGON_PUBLIC_MAX_AGE = 60
    document = HttpResponse(headers={"Content-Disposition": 'attachment; filename="X.docx"'})
    response = through_middleware(document, path="/cong-khai/thu-tuc/X/tai-ve.docx")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"


def test_a_portal_download_for_a_signed_in_user_is_not_stored(world):
    document = FileResponse(io.BytesIO(b"%PDF"))
    response = through_middleware(document, user=world.officer_a1, path="/cong-khai/thu-tuc/X/tai-ve.pdf")
    assert response["Cache-Control"] == "private, no-store"


def test_caching_chosen_by_the_view_is_kept(world):
    response = HttpResponse(headers={"Cache-Control": "private, max-age=900"})
    assert through_middleware(response, user=world.officer_a1)["Cache-Control"] == "private, max-age=900"


@pytest.mark.django_db
def test_pages_carry_referrer_and_opener_policies(client):
    response = client.get(reverse("accounts:login"))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_public_portal_is_cacheable_for_anonymous_visitors_and_revalidated_with_its_etag(client):
    response = client.get(reverse("portal:search"))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    again = client.get(reverse("portal:search"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


@pytest.mark.django_db
def test_the_public_api_is_cacheable_for_anonymous_visitors(client):
    response = client.get("/api/v1/public/procedures/")
    assert response.status_code == 200 and "public" in response["Cache-Control"] and response.has_header("ETag")


def test_uploads_are_bounded():
    assert django_settings.TINHGON_MAX_UPLOAD_MB == 20
    assert django_settings.TINHGON_FILE_SENDER in ("django", "nginx")
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024


# Content-Security-Policy ----------------------------------------------------------------------------------------


class ScriptFinder(HTMLParser):
    """What the policy would refuse: inline scripts (a JSON data block is not run), on...= handlers and
    javascript: addresses."""

    def __init__(self):
        super().__init__()
        self.refused = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/json":
            self.refused.append(f"<script> at line {self.getpos()[0]}")
        self.refused += [f"{tag} {name}=" for name, _ in attrs if name.startswith("on")]
        self.refused += [f"{tag} {name}=javascript:" for name, value in attrs if is_javascript_url(value)]


def is_javascript_url(value) -> bool:
    return bool(value) and value.strip().lower().startswith("javascript:")


def refused_by_the_policy(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    return finder.refused


def policy_of(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {directive[0]: directive[1:] for directive in directives}


def test_the_site_policy_allows_only_our_own_scripts(client, db):
    policy = policy_of(client.get(reverse("accounts:login")))
    assert policy["default-src"] == policy["script-src"] == ["'self'"]
    assert policy["object-src"] == policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["base-uri"] == policy["form-action"] == ["'self'"]


ANONYMOUS_PAGES = ["accounts:login", "accounts:password-reset", "portal:search", "portal:decisions"]
SIGNED_IN_PAGES = [
    "home",
    "accounts:profile",
    "accounts:password-change",
    "accounts:two-factor",
    "organisations:tree",
    "procedures:list",
    "procedures:decisions",
    "reviews:rounds",
    "plans:plans",
    "reports:dashboard",
    "audit:entries",
    "accounts:users",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_public_pages_have_no_inline_script(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert policy_of(response)["script-src"] == ["'self'"]  # django-csp keeps no order of directives
    assert refused_by_the_policy(response.content.decode()) == []


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_pages_of_signed_in_users_have_no_inline_script(login, world, name):
    response = login(world.admin).get(reverse(name))
    assert response.status_code == 200
    assert policy_of(response)["script-src"] == ["'self'"]  # django-csp keeps no order of directives
    assert refused_by_the_policy(response.content.decode()) == []


def test_the_finder_sees_what_the_policy_refuses():
    html = '<script>x()</script><a href="JavaScript:x()" onclick="x()">a</a><script type="application/json">{}</script>'
    assert refused_by_the_policy(html) == ["<script> at line 1", "a onclick=", "a href=javascript:"]


def test_the_api_documentation_runs_no_inline_script_and_nothing_from_elsewhere(login, world):
    response = login(world.officer_a1).get(reverse("api-docs"))
    assert response.status_code == 200
    assert policy_of(response)["script-src"] == ["'self'"]
    assert refused_by_the_policy(response.content.decode()) == []
    sources = [value for value in response.content.decode().split('src="')[1:]]
    assert sources and all(source.startswith(("/static/", "/api/docs/")) for source in sources)
