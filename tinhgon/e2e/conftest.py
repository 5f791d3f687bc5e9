"""Browser tests in headless Chromium (Debian's package; Playwright's own browser download does not work here).

Without Chromium they are skipped with a loud message on a developer's machine; CI sets TINHGON_REQUIRE_BROWSER=1,
and then a missing browser is a failure, not a skip."""

import os
import shutil
import warnings

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM}: browser tests SKIPPED (apt-get install chromium)."
    if os.environ.get("TINHGON_REQUIRE_BROWSER"):
        raise pytest.UsageError(message.replace("SKIPPED", "REQUIRED in CI"))
    warnings.warn(message, stacklevel=1)
    print(f"\n!!! {message}\n")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def offline_page(page, live_server):
    """A page that fails the test on any request leaving the live server: proves no CDN is needed."""
    outside = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) or r.url.startswith("data:") else outside.append(r.url),
    )
    yield page
    assert not outside, f"requests left the server: {outside}"
