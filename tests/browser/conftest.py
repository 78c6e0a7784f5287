"""Real-browser fixtures: Playwright's sync API driving Debian's Chromium against `live_server`.

One browser per session, a fresh context (cookies, storage, downloads) per test.
No browser is ever downloaded: CI installs the `chromium` package.
"""

import os

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# every ORM call made from the test ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import io  # noqa: E402

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from .helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PASSWORD, login_to_admin  # noqa: E402


# One browser for the whole browser suite. Package scope, not session: while Playwright runs, the
# main thread has a running event loop, and the tests outside tests/browser should not live with it.
@pytest.fixture(scope="package")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium (apt-get install chromium). "
            "They never download a browser.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's base URL, with the seed content loaded (transactional tests flush the database)."""
    # The flush made the content types anew, with other ids than the ones the process remembers
    # from an earlier test: the admin's log would point at a missing one (FOREIGN KEY failed).
    ContentType.objects.clear_cache()
    call_command("load_seed", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def new_context(chromium):
    """Make browser contexts (each one a separate visitor); all are closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("accept_downloads", True)
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """An anonymous visitor's page at desktop size."""
    return new_context().new_page()


@pytest.fixture
def editor_page(site, new_context, django_user_model):
    """A page logged in to the admin as a superuser, on the live site with the seed content."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page = new_context().new_page()
    login_to_admin(page, site, "editor", PASSWORD)
    return page
