from django.db import models
from django.utils.translation import gettext_lazy as _


class EdgeLogPosition(models.Model):
    """How far the edge cache's count log has been read into the database (core.edge_log,
    news.public.edge_counts): saved in the same transaction as the counts read, so every
    line is counted exactly once."""

    name = models.CharField(max_length=500, unique=True, verbose_name=_("name"))
    inode = models.BigIntegerField(default=0, verbose_name=_("inode"))
    offset = models.BigIntegerField(default=0, verbose_name=_("offset"))
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("edge log position")
        verbose_name_plural = _("edge log positions")

    def __str__(self):
        return f"{self.name} @ {self.offset}"
