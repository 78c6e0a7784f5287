"""Every clip and project names its department and contact, and when it last changed."""

import pytest
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from news.models import NewsClip
from projects.models import Department

pytestmark = pytest.mark.django_db


def test_seed_clip_names_the_press_office_and_its_last_update(client, seeded):
    html = client.get(seeded.get_absolute_url()).content.decode()
    assert "Department" in html and "Press Office" in html
    assert "Press officer" in html
    assert "admin" not in html.split("Contact")[1][:80]  # the contact is a role, not a login
    assert 'Last updated</dt><dd><time datetime="2019-07-09T10:45:00+09:00">2019-07-09 10:45</time>' in html
    # No invented phone number: the only one is the city's call centre.
    assert "+82-62-120" in html


def test_seed_projects_name_their_department(client, seeded):
    html = client.get(reverse("projects:detail", args=["second-subway-line"])).content.decode()
    assert "Press Office" in html and "Last updated" in html


def test_a_view_does_not_change_last_updated(client, make_clip):
    clip = make_clip()
    before = NewsClip.objects.get(pk=clip.pk).last_updated
    for _ in range(3):
        client.get(clip.get_absolute_url())
    clip.refresh_from_db()
    assert clip.view_count == 3
    assert clip.last_updated == before


def test_an_edit_changes_last_updated(make_clip):
    clip = make_clip()
    before = clip.last_updated
    clip.title = "New title"
    clip.save()
    assert clip.last_updated > before


def test_department_contact_details_are_shown_and_linked(client, make_clip):
    department = Department.objects.create(
        name="Investment Promotion Division", phone="+82-62-613-0000", email="invest@example.org"
    )
    clip = make_clip(department=department, contact_title="Investment officer")
    html = client.get(clip.get_absolute_url()).content.decode()
    assert "Investment Promotion Division" in html
    assert 'href="tel:+82-62-613-0000"' in html
    assert 'href="mailto:invest@example.org"' in html


def test_renaming_a_department_shows_on_cached_pages(client, make_clip):
    department = Department.objects.create(name="Old name")
    clip = make_clip(department=department)
    assert "Old name" in client.get(clip.get_absolute_url()).content.decode()
    department.name = "New name"
    department.save()
    assert "New name" in client.get(clip.get_absolute_url()).content.decode()


def test_a_department_in_use_cannot_be_deleted(make_clip):
    department = Department.objects.create(name="Busy office")
    make_clip(department=department)
    with pytest.raises(ProtectedError):
        department.delete()


def test_departments_are_edited_in_the_admin_and_picked_by_autocomplete(admin_client):
    response = admin_client.post(
        reverse("admin:projects_department_add"),
        {"name": "Tourism Division", "phone": "", "email": "tour@example.org", "page_url": ""},
    )
    assert response.status_code == 302
    department = Department.objects.get(name="Tourism Division")
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "touri", "app_label": "news", "model_name": "newsclip", "field_name": "department"},
    ).json()
    assert [r["id"] for r in found["results"]] == [str(department.pk)]
