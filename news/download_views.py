"""Attachment, photo, ZIP and PDF downloads (being built: see issue 4)."""

from django.http import Http404


def attachment(request, slug, pk):
    raise Http404


def bundle(request, slug):
    raise Http404


def page_pdf(request, slug):
    raise Http404


def photo(request, slug, pk, size):
    raise Http404
