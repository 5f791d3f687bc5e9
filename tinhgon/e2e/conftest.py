"""Browser tests in headless Chromium (Debian's package; Playwright's own browser download does not work here).

Without Chromium they are skipped with a loud message on a developer's machine; CI sets TINHGON_REQUIRE_BROWSER=1,
and then a missing browser is a failure, not a skip. Pages are 1366 × 768, the screen of an ordinary office
machine; the `screenshot` fixture keeps a picture of a page under var/screenshots/ (TINHGON_SCREENSHOTS), which CI
keeps as an artefact and nobody commits."""

import os
import shutil
import threading
import warnings
from pathlib import Path

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

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


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server runs one request through Django at a time. On SQLite the test and every request thread of
    the live server share one in-memory connection (Django's LiveServerTestCase documentation warns of it), so a
    page's own background request (the to-do count htmx fetches) running beside the next click interleaves two
    transactions on that connection and tests fail at random. Connections stay threaded, so a browser's idle
    preconnected socket blocks nobody. In production every thread has its own connection."""

    lock = threading.Lock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self.lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(autouse=True)
def quiet_server():
    """After a test, once its browser is closed, let the request still running end (a page's to-do count) before
    the database is emptied for the next test (pytest-django's database fixture is set up before this one, so it
    is torn down after it)."""
    yield
    with OneRequestAtATime.lock:
        pass


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
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1366, "height": 768},
    }


@pytest.fixture
def screenshot():
    """`screenshot(page, "name")`: the whole page as var/screenshots/name.png, to look at before saying done."""
    folder = Path(os.environ.get("TINHGON_SCREENSHOTS", "var/screenshots"))

    def take(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


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
