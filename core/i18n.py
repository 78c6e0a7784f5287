"""The admin's language for a staff member: the one they chose (core.models.StaffPreference),
else the browser's; the public site is always in the site's language (English).

`staff_language(user)` is what code outside a request (e-mails to an author) asks; the
middleware (core.middleware.AdminLanguageMiddleware) asks `admin_language(request)`.
"""

from django.conf import settings
from django.utils import translation

from core.models import StaffPreference


def chosen_language(user) -> str:
    """The language a staff member chose, or "" when they left it to the browser."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.pk:
        return ""
    try:
        return user.staff_preference.language
    except StaffPreference.DoesNotExist:
        return ""


def staff_language(user) -> str:
    """The language to write to a staff member in: their choice, else the site's (English)."""
    return chosen_language(user) or settings.LANGUAGE_CODE


def admin_language(request) -> str:
    """The admin's language for this request: the staff member's choice, else what the browser
    asks for (Accept-Language, among settings.LANGUAGES), else English."""
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:  # AnonymousUser says False
        chosen = chosen_language(user)
        if chosen:
            return chosen
    return translation.get_language_from_request(request)
