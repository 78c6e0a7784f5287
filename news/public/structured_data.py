"""schema.org NewsArticle for a clip, built with a JSON encoder, never by string concatenation."""

from core.structured_data import absolute, author, city, script_json
from news.public.writing_limits import HEADLINE_MAX


def news_article_json_ld(clip, photos):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": clip.title[:HEADLINE_MAX],
        "alternativeHeadline": clip.subtitle,
        "datePublished": clip.publish_at.isoformat(),
        "dateModified": clip.updated.isoformat(),
        "author": author(clip),
        "publisher": city(),
        "mainEntityOfPage": absolute(clip.get_absolute_url()),
        "description": clip.excerpt,
    }
    if photos:
        data["image"] = [absolute(photo.large_url) for photo in photos]
    return script_json(data)
