"""Scores, totals and the comparison with the last audit: read-only, from the instrument's
scale (Beyond Referrals: GREEN 2, AMBER 1, RED 0; NSPCC: 0 to 4)."""

from dataclasses import dataclass, field

from self_assessments.models import Answer, Item


def score_of(instrument, choice):
    """The score of a level of the instrument's scale, or None for no answer."""
    if not choice:
        return None
    level = instrument.level(choice)
    if level is None:
        raise ValueError(f"{choice!r} is not a level of {instrument.short_name}")
    return level["value"]


def percent(score, maximum):
    return round(100 * score / maximum) if maximum else 0


@dataclass
class ItemResult:
    item: object
    answer: object = None
    level: dict | None = None
    score: int | None = None
    maximum: int = 0
    is_gap: bool = False
    previous_score: int | None = None
    previous_level: dict | None = None

    @property
    def answered(self):
        return self.score is not None

    @property
    def change(self):
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass
class SectionResult:
    section: object
    items: list = field(default_factory=list)
    previous_score: int | None = None

    @property
    def score(self):
        return sum(r.score for r in self.items if r.score is not None)

    @property
    def maximum(self):
        return sum(r.maximum for r in self.items)

    @property
    def percent(self):
        return percent(self.score, self.maximum)

    @property
    def answered(self):
        return sum(1 for r in self.items if r.answered)

    @property
    def total(self):
        return len(self.items)

    @property
    def previous_percent(self):
        return None if self.previous_score is None else percent(self.previous_score, self.maximum)

    @property
    def change(self):
        return None if self.previous_score is None else self.score - self.previous_score

    @property
    def counts(self):
        """How many items sit at each level, highest first: [(level, count)]."""
        levels = self.items[0].item.instrument.scale if self.items else []
        return [(lv, sum(1 for r in self.items if r.level is lv)) for lv in levels]


@dataclass
class Results:
    assessment: object
    sections: list
    previous: object = None

    @property
    def instrument(self):
        return self.assessment.instrument

    @property
    def items(self):
        return [r for s in self.sections for r in s.items]

    @property
    def score(self):
        return sum(s.score for s in self.sections)

    @property
    def maximum(self):
        return sum(s.maximum for s in self.sections)

    @property
    def percent(self):
        return percent(self.score, self.maximum)

    @property
    def answered(self):
        return sum(s.answered for s in self.sections)

    @property
    def total(self):
        return sum(s.total for s in self.sections)

    @property
    def missing(self):
        return [r.item for r in self.items if not r.answered]

    @property
    def is_complete(self):
        return not self.missing

    @property
    def gaps(self):
        return [r for r in self.items if r.is_gap]

    @property
    def previous_score(self):
        if self.previous is None:
            return None
        return sum(s.previous_score or 0 for s in self.sections)

    @property
    def previous_percent(self):
        score = self.previous_score
        return None if score is None else percent(score, self.maximum)

    @property
    def change(self):
        score = self.previous_score
        return None if score is None else self.score - score

    @property
    def moved_up(self):
        return [r for r in self.items if r.change is not None and r.change > 0]

    @property
    def moved_down(self):
        return [r for r in self.items if r.change is not None and r.change < 0]


def results(assessment, *, previous=None):
    """Every item with its answer and score, per section, with totals; compared with
    `previous` (an earlier audit of the same instrument family) item by item number."""
    instrument = assessment.instrument
    items = list(Item.objects.filter(instrument=instrument).select_related("section", "instrument"))
    answers = {
        a.item_id: a
        for a in Answer.objects.filter(assessment=assessment).select_related("answered_by")
    }
    before = {}
    if previous is not None:
        before = {
            number: choice
            for number, choice in Answer.objects.filter(assessment=previous)
            .exclude(choice="")
            .values_list("item__number", "choice")
        }
    top = instrument.max_value
    sections = {}
    for item in items:
        item.instrument = instrument  # one instance, so levels compare by identity
        answer = answers.get(item.pk)
        choice = answer.choice if answer else ""
        level = instrument.level(choice) if choice else None
        score = level["value"] if level else None
        old = before.get(item.number)
        old_level = (previous.instrument.level(old) if old else None) if previous else None
        section = sections.setdefault(item.section_id, SectionResult(item.section))
        section.items.append(
            ItemResult(
                item=item,
                answer=answer,
                level=level,
                score=score,
                maximum=top,
                is_gap=score is not None and score <= instrument.gap_at_or_below,
                previous_score=old_level["value"] if old_level else None,
                previous_level=old_level,
            )
        )
    ordered = sorted(sections.values(), key=lambda s: s.section.position)
    if previous is not None:
        for section in ordered:
            scores = [r.previous_score for r in section.items if r.previous_score is not None]
            section.previous_score = sum(scores) if scores else None
    return Results(assessment=assessment, sections=ordered, previous=previous)
