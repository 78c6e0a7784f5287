"""Whatever an editor's browser (or a scanner) sends the admin gets a page, a form error or a 400: never a 500."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/?app_label=news&model_name=newsclip&field_name=projects"

# Each parameter the admin reads from the query string, on the list pages of all three apps.
ADMIN_QUERIES = [
    pytest.param("/admin/news/newsclip/?q={}", id="clip-search"),
    pytest.param("/admin/news/newsclip/?status__exact={}", id="clip-status-filter"),
    pytest.param("/admin/news/newsclip/?projects__id__exact={}", id="clip-project-filter"),
    pytest.param("/admin/news/newsclip/?publish_at__gte={}", id="clip-date-filter"),
    pytest.param("/admin/news/newsclip/?publish_at__year={}", id="clip-date-hierarchy"),
    pytest.param("/admin/news/newsclip/?o={}", id="clip-ordering"),
    pytest.param("/admin/news/newsclip/?p={}", id="clip-page"),
    pytest.param("/admin/news/newsclip/?_changelist_filters=q%3D{}", id="clip-preserved-filters"),
    pytest.param("/admin/projects/project/?q={}&status__exact={}", id="project-search-and-filter"),
    pytest.param("/admin/projects/project/?objectives__id__exact={}", id="project-objective-filter"),
    pytest.param("/admin/policies/achievement/?field__id__exact={}", id="achievement-field-filter"),
    pytest.param("/admin/policies/achievement/?major_rank__isempty={}", id="achievement-empty-filter"),
    pytest.param("/admin/policies/objective/?q={}", id="objective-search"),
    pytest.param(AUTOCOMPLETE + "&term={}", id="autocomplete-term"),
    pytest.param(AUTOCOMPLETE.replace("projects", "{}"), id="autocomplete-field-name"),
    pytest.param("/admin/news/newsclip/?{}=1", id="parameter-name"),
]


@pytest.mark.parametrize("url", ADMIN_QUERIES)
def test_nul_in_an_admin_query_parameter_is_a_400(admin_client, make_clip, url):
    make_clip(title="Subway line two")
    response = admin_client.get(url.format("a%00b", "a%00b"))
    assert response.status_code == 400


@pytest.mark.parametrize("url", ADMIN_QUERIES)
def test_the_same_parameters_without_nul_are_answered(admin_client, make_clip, url):
    """The control: the 400s above come from the NUL, not from the parameter."""
    make_clip(title="Subway line two")
    response = admin_client.get(url.format("ab", "ab"))
    assert response.status_code in {200, 302, 403}  # 302: the admin's own "?e=1" for a filter it cannot read


def test_nul_in_a_public_page_parameter_is_still_an_empty_result(client, make_clip):
    """Public filters already read NUL as "no match" (tests/security/test_query_params.py); that stays."""
    make_clip(title="Subway line two")
    assert client.get(reverse("news:list") + "?q=%00").status_code == 200


# --- invalid values in admin forms ---------------------------------------------------

AUTOCOMPLETE_FIELDS = [
    pytest.param(model, field, id=f"{model._meta.label_lower}.{field}")
    for model, model_admin in admin.site._registry.items()
    for field in model_admin.autocomplete_fields
]
NOT_IDS = [
    pytest.param("abc", "“abc” is not a valid value.", id="text"),
    pytest.param("1.5", "“1.5” is not a valid value.", id="decimal"),
    pytest.param("9" * 30, "Select a valid choice.", id="huge-number"),
    pytest.param("-1", "Select a valid choice.", id="unknown-id"),
]


def test_the_admins_with_autocomplete_are_all_tested():
    """A new autocomplete field is picked up by the test below; this keeps the list from going empty."""
    labels = {param.id for param in AUTOCOMPLETE_FIELDS}
    assert {"news.newsclip.projects", "policies.objective.projects", "policies.achievement.projects"} <= labels


@pytest.mark.parametrize(("model", "field"), AUTOCOMPLETE_FIELDS)
@pytest.mark.parametrize(("value", "message"), NOT_IDS)
def test_an_invalid_related_id_is_a_form_error(admin_client, make_project, model, field, value, message):
    make_project(name="Subway line 2")  # a real choice the widget could show
    before = model.objects.count()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    data = {}
    for inline in admin_client.get(url).context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    data[field] = value
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    if not model._meta.get_field(field).many_to_many:
        message = "Select a valid choice."  # a single foreign key says so for any id it cannot find
    assert message in " ".join(errors[field])
    assert model.objects.count() == before
