"""The admin's language: each staff member's choice, else the browser's, else English; the public
site stays English whatever the reader's browser asks (core/i18n.py, core/middleware.py,
core/admin/language.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.i18n import staff_language
from core.models import StaffPreference

pytestmark = pytest.mark.django_db

KOREAN = "ko,en-US;q=0.8,en;q=0.6"
ENGLISH = "en-GB,en;q=0.9"


def staff(django_user_model, name, *, language=None, superuser=False):
    user = django_user_model.objects.create_user(name, password=f"pw-{name}-123", is_staff=True)
    user.is_superuser = superuser
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_newsclip"))
    if language is not None:
        StaffPreference.objects.create(user=user, language=language)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def admin_index(client, accept_language=None):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    return client.get(reverse("admin:index"), headers=headers)


def test_staff_language_is_the_choice_else_english(django_user_model):
    chosen = staff(django_user_model, "kim", language="ko").user
    undecided = staff(django_user_model, "lee", language="").user
    never_asked = staff(django_user_model, "park").user
    assert staff_language(chosen) == "ko"
    assert staff_language(undecided) == "en"
    assert staff_language(never_asked) == "en"
    assert staff_language(None) == "en"


def test_a_korean_preference_gives_the_admin_in_korean_whatever_the_browser(django_user_model):
    client = staff(django_user_model, "kim", language="ko")
    response = admin_index(client, ENGLISH)
    page = response.content.decode()
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko"' in page
    assert "광주 뉴스룸" in page and "콘텐츠" in page and "언어 / Language" in page
    assert "Gwangju Newsroom" not in page


def test_an_english_preference_wins_over_a_korean_browser(django_user_model):
    client = staff(django_user_model, "lee", language="en")
    response = admin_index(client, KOREAN)
    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in page and "Gwangju Newsroom" in page and "광주 뉴스룸" not in page


@pytest.mark.parametrize(
    ("accept_language", "expected", "title"),
    [
        pytest.param(KOREAN, "ko", "광주 뉴스룸", id="korean-browser"),
        pytest.param(ENGLISH, "en", "Gwangju Newsroom", id="english-browser"),
        pytest.param("fr-FR,fr;q=0.9", "en", "Gwangju Newsroom", id="other-language-english"),
        pytest.param(None, "en", "Gwangju Newsroom", id="no-header-english"),
    ],
)
def test_without_a_preference_the_admin_follows_the_browser(django_user_model, accept_language, expected, title):
    client = staff(django_user_model, "park", language="")
    response = admin_index(client, accept_language)
    assert response["Content-Language"] == expected
    assert title in response.content.decode()
    assert "Accept-Language" in response["Vary"]


def test_the_login_page_follows_the_browser(client):
    response = client.get(reverse("admin:login"), headers={"Accept-Language": KOREAN})
    assert response["Content-Language"] == "ko"
    assert "광주 뉴스룸" in response.content.decode()


def test_a_staff_member_chooses_their_language_on_the_language_page(django_user_model):
    client = staff(django_user_model, "kim")
    page = client.get(reverse("admin_language"), headers={"Accept-Language": ENGLISH}).content.decode()
    assert 'id="admin-language-link"' in page and reverse("admin_language") in page  # in the user tools
    assert 'value="ko"' in page and "한국어" in page
    response = client.post(reverse("admin_language"), {"language": "ko"}, follow=True)
    assert StaffPreference.objects.get(user=client.user).language == "ko"
    assert "언어 설정을 저장했습니다." in response.content.decode()  # said in the language just chosen
    assert response["Content-Language"] == "ko"
    client.post(reverse("admin_language"), {"language": ""})
    assert staff_language(StaffPreference.objects.get(user=client.user).user) == "en"


def test_the_language_page_refuses_a_language_the_admin_does_not_speak(django_user_model):
    client = staff(django_user_model, "kim", language="ko")
    response = client.post(reverse("admin_language"), {"language": "fr"})
    assert response.status_code == 200  # the form again, with its error
    assert StaffPreference.objects.get(user=client.user).language == "ko"


def test_nobody_changes_another_staff_members_language_on_the_language_page(django_user_model):
    kim = staff(django_user_model, "kim", language="ko")
    lee = staff(django_user_model, "lee", language="en")
    # The page takes no user: a crafted field changes only the sender's own choice.
    kim.post(reverse("admin_language"), {"language": "ko", "user": lee.user.pk})
    assert StaffPreference.objects.get(user=lee.user).language == "en"
    assert StaffPreference.objects.filter(user=kim.user).count() == 1


def test_staff_cannot_reach_the_preferences_of_others_in_the_admin(django_user_model):
    kim = staff(django_user_model, "kim", language="ko")
    lee = staff(django_user_model, "lee", language="en")
    other = StaffPreference.objects.get(user=lee.user)
    change = reverse("admin:core_staffpreference_change", args=[other.pk])
    assert kim.get(reverse("admin:core_staffpreference_changelist")).status_code == 403
    assert kim.get(change).status_code == 403
    assert kim.post(change, {"user": lee.user.pk, "language": "ko"}).status_code == 403
    assert StaffPreference.objects.get(user=lee.user).language == "en"


def test_a_superuser_may_change_anyones_language(django_user_model):
    boss = staff(django_user_model, "boss", superuser=True)
    lee = staff(django_user_model, "lee", language="en")
    other = StaffPreference.objects.get(user=lee.user)
    response = boss.post(
        reverse("admin:core_staffpreference_change", args=[other.pk]), {"user": lee.user.pk, "language": "ko"}
    )
    assert response.status_code == 302
    assert StaffPreference.objects.get(user=lee.user).language == "ko"


def test_korean_dates_in_the_admin_read_naturally():
    from django.utils import formats

    with translation.override("ko"):
        assert formats.get_format("DATETIME_FORMAT") == "Y년 n월 j일 H:i"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"  # the date picker's format
    with translation.override("en"):
        assert formats.get_format("DATETIME_FORMAT") == "Y-m-d H:i"


@pytest.mark.parametrize("path", ["/", "/news/", "/policies/"])
def test_the_public_site_stays_english_for_a_korean_browser(client, seeded, path):
    response = client.get(path, headers={"Accept-Language": KOREAN})
    assert response.status_code == 200
    assert response.get("Content-Language") in (None, "en")
    assert "Accept-Language" not in response.get("Vary", "")
    assert '<html lang="en"' in response.content.decode()


def test_the_page_cache_is_one_english_copy_whatever_the_browser_asks(client, seeded):
    korean = client.get("/news/", headers={"Accept-Language": KOREAN})
    english = client.get("/news/", headers={"Accept-Language": ENGLISH})
    none = client.get("/news/")
    assert korean.content == english.content == none.content
    assert korean.get("Content-Language") != "ko"


def test_a_korean_admin_request_leaves_no_korean_behind_for_the_next_public_page(client, seeded, django_user_model):
    """One thread serves both: the admin's language must not outlive its response."""
    kim = staff(django_user_model, "kim", language="ko")
    assert admin_index(kim)["Content-Language"] == "ko"
    assert translation.get_language() == "en"
    page = client.get("/news/", headers={"Accept-Language": KOREAN}).content.decode()
    assert '<html lang="en"' in page and "광주 뉴스룸" not in page
