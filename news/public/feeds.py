from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator

from core.structured_data import author
from core.text import strip_control_characters
from news.models import NewsClip
from news.publishing.state import published_state


class LatestClipsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "Gwangju Metropolitan City — News clips"
    description = "News from Gwangju Metropolitan City, Korea."

    # Absolute URLs are left alone by the syndication framework, which would
    # otherwise build them from the request's Host.
    def link(self):
        return settings.SITE_URL + reverse("news:list")

    def feed_url(self):
        return settings.SITE_URL + reverse("news:feed")

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def items(self):
        return NewsClip.objects.published().only("slug", "title", "subtitle", "excerpt", "publish_at")[:30]

    # Saving removes control characters (core.text); rows older than that rule, or
    # changed by a bulk update, must still not make the feed unwritable for everyone.
    def item_title(self, item):
        return strip_control_characters(item.title, multiline=False)

    def item_description(self, item):
        # Readers render <description> as HTML: send plain text, HTML-escaped, so
        # nothing an editor typed becomes markup there.
        text = f"{item.subtitle}. {item.excerpt}" if item.subtitle else item.excerpt
        return escape(Truncator(strip_control_characters(text)).words(80))

    def item_pubdate(self, item):
        return item.publish_at

    def item_author_name(self, item):
        return author(item)["name"]


def clips_state():
    """For `core.http.conditional`: the newest change to a clip (an edit, or a scheduled clip
    coming out) and the number of published clips (which drops when one is withdrawn)."""
    count, newest = published_state()
    edited = NewsClip.objects.aggregate(newest=Max("updated"))["newest"]
    moments = [moment for moment in (newest, edited) if moment]
    return (max(moments) if moments else None), count
