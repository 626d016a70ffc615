"""Each authority's editable copy of the school threshold indicators, from the seed data."""

import json
from pathlib import Path

from referrals.models import ThresholdIndicator

DATA_FILE = Path(__file__).resolve().parent / "data" / "school_threshold_indicators.json"


def seed_indicators(authority):
    """Give an authority the seed's indicators it does not have yet. Safe to run again."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    source = f"{data['source']}. {data['publisher']}."
    created = 0
    for level, texts in data["levels"].items():
        for position, text in enumerate(texts, start=1):
            _, was_created = ThresholdIndicator.objects.get_or_create(
                authority=authority,
                level=level,
                text=text,
                defaults={"position": position, "source": source},
            )
            created += was_created
    return created
