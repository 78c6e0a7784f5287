from django.db import models


class Feedback(models.Model):
    """One reader's answer to "Was this page helpful?" — about a page, never about a person:
    no address, no account, no cookie is stored with it."""

    page_path = models.CharField("page", max_length=300, help_text="The page's address on this site.")
    page_title = models.CharField(max_length=300, blank=True, help_text="The page's title when the answer came.")
    helpful = models.BooleanField(null=True, help_text="Empty for a comment sent without a yes or no.")
    comment = models.TextField(blank=True, max_length=500)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "page feedback"
        verbose_name_plural = "page feedback"
        indexes = [
            models.Index(fields=["page_path", "-created"], name="feedback_page_idx"),
            models.Index(fields=["-created"], name="feedback_created_idx"),
        ]

    def __str__(self):
        answer = {True: "Yes", False: "No", None: "Comment"}[self.helpful]
        return f"{answer} on {self.page_path}"
