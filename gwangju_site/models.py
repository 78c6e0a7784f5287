from django.db import models
from django.utils.translation import gettext_lazy as _


class Feedback(models.Model):
    """One reader's answer to "Was this page helpful?" — about a page, never about a person:
    no address, no account, no cookie is stored with it."""

    page_path = models.CharField(_("page"), max_length=300, help_text=_("The page's address on this site."))
    page_title = models.CharField(
        max_length=300, blank=True, help_text=_("The page's title when the answer came."), verbose_name=_("page title")
    )
    helpful = models.BooleanField(
        null=True, help_text=_("Empty for a comment sent without a yes or no."), verbose_name=_("helpful")
    )
    comment = models.TextField(blank=True, max_length=500, verbose_name=_("comment"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        indexes = [
            models.Index(fields=["page_path", "-created"], name="feedback_page_idx"),
            models.Index(fields=["-created"], name="feedback_created_idx"),
        ]

    def __str__(self):
        answer = {True: "Yes", False: "No", None: "Comment"}[self.helpful]
        return f"{answer} on {self.page_path}"
