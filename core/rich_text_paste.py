"""The editor's paste from Word and Hancom Office: the browser sends the clipboard's HTML, the server
answers with what would be stored (lists made real by `core.office_lists`, then sanitised), so the
rule lives once, in Python, and the editor shows exactly what a save keeps."""

from django import forms
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from core.rich_text import check_bounds, sanitise


@require_POST
def office_paste(request):
    """Refusals answer 400: the editor then pastes the clipboard as it would without this help."""
    html = request.POST.get("html")
    if html is None:
        return HttpResponseBadRequest("Send the clipboard's HTML as “html”.")
    try:
        check_bounds(html)  # the limits a save applies, before anything parses it
    except forms.ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return JsonResponse({"html": sanitise(html)})
