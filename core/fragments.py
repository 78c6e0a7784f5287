"""Parts of public pages rendered once and kept until content changes.

A page the page cache misses (a reader with a session cookie, a new query, the first request
after an edit) still repeats work whose result is the same for every reader: the clip page's
photos, attachments and related items, a list page's rows. Those parts are kept in the shared
cache under a key made with `core.page_cache.page_key`, so they follow the page cache's one
rule: the key holds the generation that every public change moves (now, and again after
commit), an entry never outlives `PAGE_CACHE_SECONDS`, nor the `until` moment its caller
gives (the next time the clock publishes or expires something). While Redis is unavailable
there is no generation and no key: the part is rendered every time.

Only parts of what the public sees go here: a staff preview renders everything itself.
`FRAGMENT_CACHE = False` (environment `FRAGMENT_CACHE=0`) renders every part every time, as the
benchmark's "cold" runs do.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.template.context import make_context
from django.template.loader_tags import BlockNode
from django.utils.safestring import mark_safe


def cached_fragment(key, render, until=None, *, request=None):
    """`render()`'s answer (a str, or a dict of str), kept under `key` (from `page_key`; None
    means uncached) until content changes, `PAGE_CACHE_SECONDS` pass, or the timestamp `until()`
    returns (asked only when storing). Staff (`request.user.is_staff`) bypass it, as they bypass
    the page cache: what they see is the database's truth at once."""
    if key is None or not settings.FRAGMENT_CACHE:
        return render()
    if _is_staff(request):
        return render()
    value = cache.get(key)
    if value is None:
        value = render()
        timeout = settings.PAGE_CACHE_SECONDS
        if until is not None:
            timeout = min(timeout, until() - time.time())
        if timeout > 0:
            cache.set(key, value, timeout)
    return value


def _is_staff(request):
    # Only a request with a session cookie can be staff; asking any other for its user would
    # touch the session and make the anonymous page vary on Cookie.
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_staff


def render_blocks(template, context, request, names):
    """The named `{% block %}`s of `template` (a backend template from `get_template`), each
    rendered alone with `context` as the whole page would render it: {name: safe html}.
    Blocks rendered this way must not use `{{ block.super }}`."""
    compiled = template.template
    blocks = {node.name: node for node in compiled.nodelist.get_nodes_by_type(BlockNode)}
    context = make_context(context, request)
    with context.bind_template(compiled):
        return {name: mark_safe(blocks[name].render(context)) for name in names}
