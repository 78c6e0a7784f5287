"""How much of a title and a subtitle lists, search results and share cards show: one table for the
clip form's character counts (news/admin/desk.py) and for the code that cuts them.

Our own pages never cut a title or subtitle. Others do: the article headline of our structured data
is cut at `HEADLINE_MAX` (news/public/structured_data.py, the limit search engines set for it); search results
show about 60 characters of a title and about 155 of the description (our subtitle, `<meta
name="description">`); share cards in messaging apps (KakaoTalk, Facebook, X) show about 70
characters of the title (`og:title`) and about 110 of the description (`og:description`).
"""

from django.utils.translation import gettext_lazy as _

HEADLINE_MAX = 110

LIMITS = {
    "title": [
        (60, _("Search results")),
        (70, _("Share cards")),
        (HEADLINE_MAX, _("Search engines' article headlines")),
    ],
    "subtitle": [
        (110, _("Share cards")),
        (155, _("Search results")),
    ],
}


def field_limits():
    return {name: [{"limit": limit, "where": str(where)} for limit, where in pairs] for name, pairs in LIMITS.items()}
