"""What "Was this page helpful?" accepts: which pages exist for readers, the form, the rate limit.

The feedback POST is exempt from Django's CSRF token (public pages are cached for every
anonymous reader and carry no session or CSRF cookie, so a token in them would be shared
by all or would need a cookie per reader). What it guards against instead:
- a cross-site form posting through a reader's browser: the request's Origin (or, failing
  that, its Referer) must be this site;
- flooding: a few posts per minute per address, counted in the shared cache under a
  hashed key (the address itself is never stored).
Feedback changes nothing but an anonymous tally, so no reader's rights are at stake.
"""

import hashlib
from urllib.parse import urlsplit

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.urls import Resolver404, resolve

from core.text import strip_control_characters
from news.models import NewsClip
from policies.models import Objective
from projects.models import Project

COMMENT_MAX = 500


def _title(model, field, **lookup):
    return model.objects.filter(**lookup).values_list(field, flat=True).first()


# The pages that ask "Was this page helpful?", by URL name, and how to find their title
# (None when the page does not exist for readers).
PAGE_TITLES = {
    "home": lambda kwargs: "Home",
    "news:list": lambda kwargs: "News clips",
    "policies:index": lambda kwargs: "Mayor's policies",
    "policies:achievements": lambda kwargs: "Major achievements",
    "projects:list": lambda kwargs: "City projects",
    "accessibility": lambda kwargs: "Accessibility statement",
    "news:detail": lambda kwargs: (
        NewsClip.objects.published().filter(slug=kwargs["slug"]).values_list("title", flat=True).first()
    ),
    "projects:detail": lambda kwargs: _title(Project, "name", slug=kwargs["slug"]),
    "policies:objective": lambda kwargs: _title(Objective, "title", number=kwargs["number"]),
}


def published_page_title(path):
    """The title of the public page at `path`, or None when there is no such page for
    readers (unknown address, a draft or scheduled clip, a page that takes no feedback)."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//") or len(path) > 300:
        return None
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    title_of = PAGE_TITLES.get(match.view_name)
    return title_of(match.kwargs) if title_of else None


class FeedbackForm(forms.Form):
    page = forms.CharField(max_length=300, widget=forms.HiddenInput)
    helpful = forms.TypedChoiceField(
        choices=[("", "No answer"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label="What were you looking for?",
        required=False,
        max_length=COMMENT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
        help_text="Do not include personal details such as your name, phone number or e-mail address.",
        error_messages={"max_length": f"Please keep it to {COMMENT_MAX} characters or fewer."},
    )

    def clean_comment(self):
        # Browsers send a textarea's line breaks as CRLF; stored as "\n", like every other text.
        comment = self.cleaned_data["comment"].replace("\r\n", "\n").replace("\r", "\n")
        return strip_control_characters(comment).strip()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("helpful") is None and not cleaned.get("comment"):
            raise forms.ValidationError("Choose Yes or No, or tell us what you were looking for.")
        return cleaned


def comes_from_this_site(request):
    """True when the browser says the form was sent from one of our own pages."""
    origin = request.headers.get("Origin")
    if origin is None:
        referer = request.headers.get("Referer")
        if not referer:
            return False
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin == "null":
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def over_rate_limit(request):
    """Count this post against the sender's address; True once it is over the limit."""
    address = get_client_ip_address(request) or "unknown"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    key = f"feedback-rate:{digest}"
    cache.add(key, 0, 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60)
        count = 1
    return count > settings.FEEDBACK_MAX_PER_MINUTE
