"""One publication rule for every public view of a clip and its files; admin login hardening."""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from news.models import NewsClip

pytestmark = pytest.mark.django_db

UNPUBLISHED = {
    "draft": {"status": NewsClip.Status.DRAFT},
    "scheduled": {"status": NewsClip.Status.PUBLISHED, "publish_at": timezone.now() + timedelta(days=3)},
}

ENDPOINTS = {
    "detail": lambda clip, photo, attachment: reverse("news:detail", args=[clip.slug]),
    "attachment": lambda clip, photo, attachment: reverse("news:attachment", args=[clip.slug, attachment.pk]),
    "bundle": lambda clip, photo, attachment: reverse("news:bundle", args=[clip.slug]),
    "pdf": lambda clip, photo, attachment: reverse("news:pdf", args=[clip.slug]),
    "photo-thumb": lambda clip, photo, attachment: reverse("news:photo", args=[clip.slug, photo.pk, "thumb"]),
    "photo-large": lambda clip, photo, attachment: reverse("news:photo", args=[clip.slug, photo.pk, "large"]),
    "photo-original": lambda clip, photo, attachment: reverse("news:photo", args=[clip.slug, photo.pk, "original"]),
}

# Headers that would make a careless view answer 304 or 206 before checking publication.
SHORTCUT_HEADERS = {
    "plain": {},
    "if-none-match-star": {"HTTP_IF_NONE_MATCH": "*"},
    "if-modified-since": {"HTTP_IF_MODIFIED_SINCE": http_date((timezone.now() + timedelta(days=1)).timestamp())},
    "range": {"HTTP_RANGE": "bytes=0-10"},
    "if-range-and-range": {"HTTP_IF_RANGE": '"x"', "HTTP_RANGE": "bytes=5-"},
}


@pytest.fixture
def clip_with_files(make_clip, make_photo, make_attachment):
    def make(**overrides):
        clip = make_clip(**overrides)
        return clip, make_photo(clip), make_attachment(clip)

    return make


@pytest.fixture(params=["anonymous", "logged-in-non-staff", "inactive-staff", "staff-without-view-permission"])
def outsider(request, client, django_user_model):
    if request.param == "logged-in-non-staff":
        client.force_login(django_user_model.objects.create_user("reader", password="pw-reader-123"))
    elif request.param == "staff-without-view-permission":
        # Admin access alone (say, an account that only edits projects) is not leave to read drafts.
        user = django_user_model.objects.create_user("projects-only", password="pw-projects-123", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="change_project"))
        client.force_login(user)
    elif request.param == "inactive-staff":
        user = django_user_model.objects.create_user("former", password="pw-former-123", is_staff=True)
        client.force_login(user)
        user.is_active = False
        user.save()
    return client


@pytest.mark.parametrize("state", list(UNPUBLISHED))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("headers", list(SHORTCUT_HEADERS))
def test_unpublished_clip_and_its_files_are_404_for_outsiders(outsider, clip_with_files, state, endpoint, headers):
    clip, photo, attachment = clip_with_files(**UNPUBLISHED[state])
    response = outsider.get(ENDPOINTS[endpoint](clip, photo, attachment), **SHORTCUT_HEADERS[headers])
    assert response.status_code == 404
    attachment.refresh_from_db()
    assert attachment.download_count == 0


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_published_clip_and_its_files_are_served(client, clip_with_files, endpoint):
    """The control: the 404s above are the rule at work, not a broken view."""
    clip, photo, attachment = clip_with_files()
    response = client.get(ENDPOINTS[endpoint](clip, photo, attachment))
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("state", list(UNPUBLISHED))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_staff_preview_is_served_privately(staff_client, clip_with_files, state, endpoint):
    clip, photo, attachment = clip_with_files(**UNPUBLISHED[state])
    response = staff_client.get(ENDPOINTS[endpoint](clip, photo, attachment))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "private" in cache_control and "public" not in cache_control


@pytest.mark.parametrize("who", ["group-member", "superuser"])
def test_preview_permission_may_come_from_a_group_or_superuser_status(client, django_user_model, make_clip, who):
    clip = make_clip(status=NewsClip.Status.DRAFT)
    if who == "superuser":
        user = django_user_model.objects.create_superuser("chief", password="pw-chief-123")
    else:
        user = django_user_model.objects.create_user("desk", password="pw-desk-123", is_staff=True)
        editors = Group.objects.create(name="News desk")
        editors.permissions.add(Permission.objects.get(codename="view_newsclip"))
        user.groups.add(editors)
    client.force_login(user)
    response = client.get(clip.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("state", list(UNPUBLISHED))
def test_unpublished_clip_is_in_no_list_feed_sitemap_or_search(client, make_clip, state):
    make_clip(title="Visible clip", slug="visible-clip")
    hidden = make_clip(title="Hiddenword clip", slug="hidden-clip", **UNPUBLISHED[state])
    pages = {
        "home": reverse("home"),
        "list": reverse("news:list"),
        "list-search": reverse("news:list") + "?q=Hiddenword",
        "search": reverse("search") + "?q=Hiddenword",
        "feed": reverse("news:feed"),
        "sitemap": reverse("sitemap-section", args=["news", 1]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        content = response.content.decode()
        assert hidden.slug not in content, name
        if name not in {"list-search", "search"}:
            assert "visible-clip" in content, name  # the page lists published clips at all
        assert "Hiddenword clip" not in content, name  # the query itself may be echoed, the title may not


@pytest.mark.parametrize("state", list(UNPUBLISHED))
def test_prev_next_skip_unpublished_clips(client, make_clip, state):
    now = timezone.now()
    older = make_clip(slug="older", publish_at=now - timedelta(days=3))
    newer = make_clip(slug="newer", publish_at=now - timedelta(days=1))
    # A draft dated between the two, or a clip scheduled after the newest.
    hidden = {"publish_at": now - timedelta(days=2), **UNPUBLISHED[state]}
    make_clip(slug="hidden", **hidden)
    older_html = client.get(older.get_absolute_url()).content.decode()
    newer_html = client.get(newer.get_absolute_url()).content.decode()
    assert f'href="{newer.get_absolute_url()}" rel="next"' in older_html
    assert f'href="{older.get_absolute_url()}" rel="prev"' in newer_html
    assert "No later clip" in newer_html
    assert "/news/hidden/" not in older_html + newer_html


def test_photo_of_another_clip_or_unknown_size_is_404(client, clip_with_files):
    clip, photo, attachment = clip_with_files()
    other, other_photo, other_attachment = clip_with_files()
    assert client.get(reverse("news:photo", args=[clip.slug, other_photo.pk, "large"])).status_code == 404
    assert client.get(reverse("news:attachment", args=[clip.slug, other_attachment.pk])).status_code == 404
    assert client.get(reverse("news:photo", args=[clip.slug, photo.pk, "huge"])).status_code == 404
    assert client.get(reverse("news:photo", args=[clip.slug, photo.pk, "..%2F..%2Fsettings"])).status_code == 404


# --- admin login ------------------------------------------------------------------

LOGIN = "/admin/login/"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="correct-horse-battery", is_staff=True)


def fail_login(client, username="editor", times=1):
    responses = [client.post(LOGIN, {"username": username, "password": "wrong-password"}) for _ in range(times)]
    return responses[-1]


def test_failures_below_the_limit_get_the_usual_form_error(client, editor, settings):
    response = fail_login(client, times=settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account." in response.content.decode()


@pytest.mark.parametrize("username", ["editor", "nobody-by-this-name"])
def test_repeated_failures_lock_out_with_a_generic_message_and_are_logged(client, editor, settings, caplog, username):
    caplog.set_level(logging.INFO, logger="axes")
    response = fail_login(client, username=username, times=settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed logins" in html
    assert username not in html  # nothing says which account, or whether it exists
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    # Even the right password is refused while locked.
    locked = client.post(LOGIN, {"username": username, "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_is_the_same_for_real_and_unknown_accounts(client, editor, settings):
    real = fail_login(client, username="editor", times=settings.AXES_FAILURE_LIMIT).content
    unknown = fail_login(client, username="ghost", times=settings.AXES_FAILURE_LIMIT).content
    assert real == unknown


NEXT_TARGETS = [
    pytest.param("https://evil.example/", id="absolute"),
    pytest.param("//evil.example/", id="scheme-relative"),
    pytest.param("/\\evil.example/", id="slash-backslash"),
    pytest.param("\\\\evil.example/", id="double-backslash"),
    pytest.param("https:evil.example", id="scheme-no-slashes"),
    pytest.param("/\t/evil.example/", id="tab-in-slashes"),
    pytest.param("javascript:alert(1)", id="javascript"),
]


def assert_on_site(location):
    parts = urlsplit(location)
    assert parts.scheme in {"", "http"} and parts.netloc in {"", "testserver"}, location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil.example" not in location and "javascript" not in location


@pytest.mark.parametrize("target", NEXT_TARGETS)
def test_login_next_never_leaves_the_site(client, editor, target):
    response = client.post(
        f"{LOGIN}?next={target}", {"username": "editor", "password": "correct-horse-battery", "next": target}
    )
    assert response.status_code == 302
    assert_on_site(response["Location"])


def test_login_with_a_refused_next_lands_on_the_admin_index(client, editor):
    response = client.post(
        LOGIN, {"username": "editor", "password": "correct-horse-battery", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("target", NEXT_TARGETS)
def test_logout_next_never_leaves_the_site(admin_client, target):
    response = admin_client.post(reverse("admin:logout") + f"?next={target}")
    if response.status_code == 302:
        assert_on_site(response["Location"])
    else:
        assert response.status_code == 200
