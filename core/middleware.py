"""Request checks that hold for the whole site, whatever app answers."""

from django.core.exceptions import BadRequest
from django.urls import reverse


class RejectNulInAdminQueryMiddleware:
    """A NUL character in an admin query parameter is a 400.

    PostgreSQL cannot hold NUL in a text value, so a list filter, search or
    autocomplete term carrying one would fail inside the database (a 500 there,
    while SQLite answers). No editor types NUL; one check here covers every
    admin page and parameter, present and future. The public pages read NUL
    themselves, as a filter that matches nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request):
        if request.path_info.startswith(self.admin_prefix) and any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("A query parameter contains a NUL character.")
        return self.get_response(request)
