"""Admin bases every content app shares (`base`), related-item widgets that never 500 (`widgets`),
and each staff member's language (`language`, registered here so the admin finds it)."""

from core.admin import language  # noqa: F401
