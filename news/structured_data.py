"""schema.org NewsArticle for a clip, built with a JSON encoder, never by string concatenation."""

from core.structured_data import absolute, city, script_json


def author(clip):
    """Who speaks in a clip, as a schema.org organisation: the city (its department, once
    clips name one), never an editor's login. The feed and the PDF use its "name"."""
    return city()


def news_article_json_ld(clip, photos):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": clip.title[:110],
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
