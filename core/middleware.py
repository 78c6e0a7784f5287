"""Request checks and response headers that hold for the whole site, whatever app answers."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


class CompressTextMiddleware(GZipMiddleware):
    """gzip for the site's own text: pages, the feed, sitemaps, JSON.

    Django's GZipMiddleware pads each response with random bytes ("Heal the
    Breach"), which blurs the size differences a BREACH attack measures. Beyond
    that, these are never compressed:

    * responses that carry a CSRF token: the one secret a page body holds, so
      no compression-size oracle exists for it at all (public pages have none;
      forms in the admin and any public POST form are sent as they are);
    * files and the ZIP (streamed, or `Content-Disposition: attachment`):
      already compressed for the most part, and compressing would drop their
      Content-Length and byte ranges;
    * anything but the text types below (images, PDF, ZIP).

    nginx does not compress proxied responses (deploy/nginx), so this is the one place deciding.
    """

    compressible = {
        "text/html",
        "text/plain",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/json",
        "application/ld+json",
    }

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
        if (
            response.streaming
            or content_type not in self.compressible
            or response.get("Content-Disposition", "").lower().startswith("attachment")
            # CsrfViewMiddleware (re)sets the cookie exactly when the view used the token.
            or settings.CSRF_COOKIE_NAME in response.cookies
        ):
            return response
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: the site uses none of these browser features,
    so no page (nor anything injected into one) may ask for them. Only features browsers
    recognise are listed: an unknown name is a console error, which audits count."""

    header = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class AdminLanguageMiddleware:
    """The admin speaks the staff member's language; every other page speaks English.

    Only paths under the admin's prefix (its own pages, the autocomplete, the editor's
    paste endpoint, the language page) are translated: the staff member's choice
    (core.i18n), else the browser's Accept-Language, else English. Public pages are
    rendered in settings.LANGUAGE_CODE whatever the reader's browser asks, so the page
    cache (which knows nothing of languages) never stores a Korean copy of a page. The
    language is reset after each response: a thread that served the admin in Korean
    must not render the next public page in Korean.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request):
        from core.i18n import admin_language  # core.i18n reads the models: not at import time

        in_admin = request.path_info.startswith(self.admin_prefix)
        language = admin_language(request) if in_admin else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        if in_admin:
            response.headers.setdefault("Content-Language", language)
            patch_vary_headers(response, ("Accept-Language",))
        return response
