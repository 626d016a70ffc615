"""Finding a school by name or URN among the schools a form lets this person pick: the JSON
behind the accessible autocomplete, and the text field that works without JavaScript (the
server resolves what was typed). Never a select of every school (ADR 0011).

Each form decides its own scope (a queryset of School); this module only searches it, so
a school outside the scope is never suggested nor accepted."""

import re

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import JsonResponse

from accounts.models import School

MATCHES = 20  # suggestions at most, per keystroke
LISTED = 10  # matches named in an "ambiguous" error
MAX_QUERY = 200
# "Name (URN 123456)" is how a school is offered and shown, so a picked one resolves exactly.
_URN_IN_LABEL = re.compile(r"\(URN (\d{6})\)\s*$")
_URN = re.compile(r"^\d{6}$")


def label(school: School) -> str:
    return f"{school.name} (URN {school.urn})"


def search(schools: QuerySet[School], query: str, limit: int = MATCHES) -> list[School]:
    """Schools of `schools` whose URN starts with, or whose name contains, `query`: exact
    URN first, then names that start with it, then the rest, by name."""
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return []
    match = Q(name__icontains=query)
    if query.isdigit():
        match |= Q(urn__startswith=query)
    ranked = (
        schools.filter(match)
        .annotate(
            first=Case(
                When(urn=query, then=Value(0)),
                When(name__istartswith=query, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .only("pk", "name", "urn", "town")
        .order_by("first", "name", "pk")
    )
    return list(ranked[:limit])


def suggestions(schools: QuerySet[School], query: str) -> JsonResponse:
    """The autocomplete's answer: id, name, URN and town of at most MATCHES schools, and
    nothing about any case."""
    found = search(schools, query)
    return JsonResponse(
        {
            "results": [
                {"id": s.pk, "name": s.name, "urn": s.urn, "town": s.town, "label": label(s)}
                for s in found
            ]
        }
    )


class SchoolSearchField(forms.CharField):
    """A text input for a school's name or URN, resolved on the server to one school of
    `schools`: none or several matching is an error at the field naming up to LISTED of
    them, so the person can type the URN of the one they mean."""

    def __init__(self, *, schools: QuerySet[School] | None = None, **kwargs):
        kwargs.setdefault("max_length", MAX_QUERY + 20)
        kwargs.setdefault("help_text", "Start typing its name, or enter its 6-digit URN.")
        super().__init__(**kwargs)
        self.schools = schools
        self.widget.attrs.update({"class": "app-school-search", "autocomplete": "off"})

    def clean(self, value):
        text = super().clean(value)
        if text in self.empty_values:
            return None
        text = " ".join(text.split())
        in_label = _URN_IN_LABEL.search(text)
        urn = in_label.group(1) if in_label else text if _URN.match(text) else None
        if urn:
            found = self.schools.filter(urn=urn).first()
            if found is None:
                raise forms.ValidationError(
                    "No school you can choose here has URN %(urn)s", params={"urn": urn}
                )
            return found
        exact = list(self.schools.filter(name__iexact=text).order_by("name", "pk")[: LISTED + 1])
        if len(exact) == 1:
            return exact[0]
        found = exact or search(self.schools, text, limit=LISTED + 1)
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                "No school you can choose here matches “%(text)s”: check the name, or enter "
                "its URN",
                params={"text": text[:80]},
            )
        more = " and others" if len(found) > LISTED else ""
        raise forms.ValidationError(
            "More than one school matches “%(text)s”: %(names)s%(more)s. Enter the URN of "
            "the one you mean",
            params={
                "text": text[:80],
                "names": "; ".join(label(s) for s in found[:LISTED]),
                "more": more,
            },
        )
