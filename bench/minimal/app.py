"""A minimal Django site for scale: one view rendering a 20 KB template, no database, no
middleware. `gunicorn --chdir bench/minimal app` serves it."""

from pathlib import Path

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.template.response import TemplateResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [str(Path(__file__).parent)]}],
)
django.setup()


def page(request):
    return TemplateResponse(request, "page.html", {"items": range(200), "title": "Minimal"})


urlpatterns = [path("", page)]
application = get_wsgi_application()
