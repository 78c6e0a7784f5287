"""The public site's one date format, as the city's own pages show it: `2019-07-09 10:45`
(lists may show the date only), always inside `<time datetime>` so machines read it too.

    {% load dates %}
    {{ clip.publish_at|public_datetime }}  →  <time datetime="2019-07-09T10:45:00+09:00">2019-07-09 10:45</time>
    {{ clip.publish_at|public_date }}      →  <time datetime="2019-07-09">2019-07-09</time>
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

DATETIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def public_datetime(value):
    if not isinstance(value, datetime.datetime):
        return public_date(value)
    value = _local(value)
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.strftime(DATETIME_FORMAT))


@register.filter
def public_date(value):
    if not isinstance(value, datetime.date):
        return ""
    day = _local(value)
    if isinstance(day, datetime.datetime):
        day = day.date()
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), day.strftime(DATE_FORMAT))
