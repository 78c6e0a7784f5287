"""schema.org NewsArticle for a clip, built with a JSON encoder, never by string concatenation."""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

# As Django's json_script does: nothing in the JSON can close the <script> element.
_SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def news_article_json_ld(clip, photos):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": clip.title[:110],
        "alternativeHeadline": clip.subtitle,
        "datePublished": clip.publish_at.isoformat(),
        "dateModified": clip.updated.isoformat(),
        "author": {"@type": "Person", "name": clip.author_name},
        "publisher": {"@type": "GovernmentOrganization", "name": "Gwangju Metropolitan City"},
        "mainEntityOfPage": settings.SITE_URL + clip.get_absolute_url(),
        "description": clip.excerpt,
    }
    if photos:
        data["image"] = [settings.SITE_URL + photo.large_url for photo in photos]
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))
