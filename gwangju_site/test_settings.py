"""Settings for the test suite: production-like (DEBUG off), fast hashing, temp media."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SITE_URL", "https://news.example.org")
# Each test gets folders of its own (tests/conftest.py); these are the fallback
# for code that runs outside a test, removed when the run ends.
_tmp = tempfile.mkdtemp(prefix="gwangju-test-")
atexit.register(shutil.rmtree, _tmp, ignore_errors=True)
os.environ.setdefault("PROTECTED_MEDIA_ROOT", os.path.join(_tmp, "protected"))
os.environ.setdefault("PDF_CACHE_ROOT", os.path.join(_tmp, "pdf-cache"))
os.environ.setdefault("CONVERSION_WORK_DIR", os.path.join(_tmp, "conversions"))
# A page PDF on a busy test machine (two test processes beside other work) must not run into the
# production time limit and answer 503; tests/news/files/test_pdf_limits.py sets its own limits.
os.environ.setdefault("PDF_RENDER_SECONDS", "300")
os.environ.setdefault("PDF_LOCK_WAIT_SECONDS", "300")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Serve static files straight from the finders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
