from django import template

from news.models import Notice

register = template.Library()


@register.inclusion_tag("admin/news/notice/_header_link.html", takes_context=True)
def notices_link(context):
    """The link to the user's notices with the number still unread, for the admin's header."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return {"unread": 0}
    return {"unread": Notice.objects.filter(recipient=user).unread().count()}
