"""The logs an inspector relies on (case reads, exports, the security log) are append-only
and tamper-evident: each row carries a keyed hash of itself and of the row before it
(audit.chain), and a chain's head keeps the newest hash, so an edited, removed or inserted
row is found by `manage.py verify_audit_log` (docs/decisions/0015)."""

from django.db import models


class AppendOnly(Exception):
    """A logged row is never changed or saved again."""


class ChainHead(models.Model):
    """The newest hash of one log's chain, locked while a row is appended."""

    chain = models.CharField(max_length=60, primary_key=True)  # the log's model label
    last_hash = models.CharField(max_length=64, blank=True)
    length = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.chain}: {self.length} rows"


class Chained(models.Model):
    """A row of a hash-chained log. `chained` names the fields its hash covers: values that
    never change (ids and names kept as text, not links that a deletion may clear)."""

    chained: tuple[str, ...] = ()

    prev_hash = models.CharField(max_length=64, editable=False, default="")
    row_hash = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        raise AppendOnly(f"{self._meta.label} rows are written by audit.chain.append only")
