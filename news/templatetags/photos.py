"""`{% picture %}`: a photo at the size it is shown, as WebP where the browser accepts it.

The `sizes` strings follow static/css/site.css; change them together. Widths are CSS pixels
at a 16 px root font size (the browser scales rem with the reader's font setting too).
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from news.files.renditions import WEBP, srcset_widths

register = template.Library()

SIZES = {
    # .clip is 52rem wide with 1rem padding each side; the first photo spans the gallery.
    "lead": "(max-width: 52rem) calc(100vw - 2rem), 50rem",
    # .gallery: columns of at least 18rem with a 1rem gap, so two columns from 39rem of viewport.
    "gallery": "(max-width: 39rem) calc(100vw - 2rem), (max-width: 52rem) calc(50vw - 1.5rem), 24.5rem",
    # .clip-card: an 11rem thumbnail column; one column under 48rem (page and card padding 1rem each).
    "card": "(max-width: 48rem) calc(100vw - 4rem), 11rem",
}


def _srcset(base, pairs, suffix=""):
    return ", ".join(f"{base}{token}{suffix}/ {width}w" for token, width in pairs)


@register.simple_tag
def picture(photo, slug, layout, *, lazy=True, src_size="large", css_class="", alt=None):
    """`photo` a ClipImage, `slug` its clip's slug (passed in so no query looks up the clip),
    `layout` a key of SIZES, `lazy` false for the first photo a reader sees, `alt` to replace
    the photo's own text (cards pass "": the title beside it says it all)."""
    # One reverse() per photo, not one per size: the size is the URL's last segment.
    base = reverse("news:photo", kwargs={"slug": slug, "pk": photo.pk, "size": "original"})[: -len("original/")]
    pairs = srcset_widths(photo.width)
    sizes = SIZES[layout]
    source = ""
    if not photo.image.name.lower().endswith(WEBP):
        source = format_html('<source type="image/webp" srcset="{}" sizes="{}">', _srcset(base, pairs, WEBP), sizes)
    attributes = format_html_join(
        "",
        ' {}="{}"',
        [
            ("src", f"{base}{src_size}/"),
            ("srcset", _srcset(base, pairs)),
            ("sizes", sizes),
            ("alt", photo.alt_text if alt is None else alt),
            *([("width", photo.width), ("height", photo.height)] if photo.width and photo.height else []),
            *([("loading", "lazy"), ("decoding", "async")] if lazy else []),
            *([("class", css_class)] if css_class else []),
        ],
    )
    return format_html("<picture>{}<img{}></picture>", source, attributes)
