from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator

from core.text import strip_control_characters

from .models import NewsClip


class LatestClipsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "Gwangju Metropolitan City — News clips"
    description = "News from Gwangju Metropolitan City, Korea."

    def link(self):
        return reverse("news:list")

    def items(self):
        return NewsClip.objects.published().only("slug", "title", "subtitle", "excerpt", "publish_at", "author_name")[
            :30
        ]

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
        return strip_control_characters(item.author_name, multiline=False)
