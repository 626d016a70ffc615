"""Appending to and verifying a hash-chained log (audit.models.Chained).

Each row's hash is an HMAC (key: settings.AUDIT_LOG_KEY, kept out of the database) of the
previous row's hash and the row's chained values, so someone who can write to the database
but does not hold the key cannot edit, insert or remove a row and make the chain verify
again. The head row is locked while rows are appended, so concurrent writers queue in one
order."""

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.db import models, transaction

from audit.models import Chained, ChainHead


def _value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def digest(prev_hash: str, row: models.Model, fields: Sequence[str]) -> str:
    values = {name: _value(getattr(row, name)) for name in fields}
    message = prev_hash + json.dumps(values, sort_keys=True, default=str)
    key = settings.AUDIT_LOG_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def append(rows: Sequence[Chained]) -> list[Chained]:
    """Write `rows` (new, unsaved, of one model) at the end of their log's chain."""
    if not rows:
        return []
    model = type(rows[0])
    # No savepoint of its own: inside a caller's transaction a failure here fails it whole.
    with transaction.atomic(savepoint=False):
        head, _ = ChainHead.objects.select_for_update().get_or_create(chain=model._meta.label)
        prev = head.last_hash
        for row in rows:
            row.prev_hash = prev
            row.row_hash = prev = digest(prev, row, model.chained)
        written = model.objects.bulk_create(rows)
        head.last_hash, head.length = prev, head.length + len(rows)
        head.save(update_fields=["last_hash", "length"])
    return written


@dataclass
class Verdict:
    chain: str
    rows: int
    broken_at: int | None = None  # the pk of the first row that does not verify
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def verify(model: type[Chained], batch: int = 2000) -> Verdict:
    """Walk the chain in the order it was written and say where, if anywhere, it breaks."""
    label = model._meta.label
    head = ChainHead.objects.filter(chain=label).first()
    prev, count = "", 0
    rows: Iterable = model.objects.order_by("pk").iterator(chunk_size=batch)
    for row in rows:
        count += 1
        if row.prev_hash != prev:
            return Verdict(label, count, row.pk, "a row before it was removed or changed")
        if row.row_hash != digest(prev, row, model.chained):
            return Verdict(label, count, row.pk, "the row was changed")
        prev = row.row_hash
    expected = head.length if head else 0
    if (head.last_hash if head else "") != prev or expected != count:
        return Verdict(label, count, None, f"the newest rows were removed ({expected} written)")
    return Verdict(label, count)


def chained_models() -> list[type[Chained]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, Chained)]


def relink(model, head_model, chained_fields: Sequence[str], label: str) -> None:
    """For a migration (historical models): chain the rows written before the chain began,
    in pk order."""
    prev, count = "", 0
    rows = model.objects.order_by("pk").iterator(chunk_size=2000)
    while batch := list(islice(rows, 2000)):
        for row in batch:
            row.prev_hash = prev
            row.row_hash = prev = digest(prev, row, chained_fields)
        model.objects.bulk_update(batch, ["prev_hash", "row_hash"])
        count += len(batch)
    head_model.objects.update_or_create(chain=label, defaults={"last_hash": prev, "length": count})
