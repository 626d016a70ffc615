"""Forms parse and check what people type; the services do the rest."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from accounts.models import ContextPanel
from casework.forms import DateInputField, ReasonForm, ShowFilterForm, VersionForm
from casework.validators import plain_text
from referrals.choices import (
    YEAR_GROUPS,
    ActionTaken,
    ConcernType,
    IndicatorLevel,
    InformationSharingBasis,
    Place,
    ReferralState,
    year_groups_for,
)
from referrals.models import MAX_PUPILS, LinkedChild, ThresholdIndicator
from referrals.pupil_counts import GENDER_FIELDS
from referrals.selectors import FRONT_DOOR_SHOW, RAGS, SORTS, ListFilters


def _text(label, max_length, *, textarea=True, help_text="", rows=5):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        validators=[plain_text],
        widget=forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput(),
        error_messages={
            "max_length": f"{label} must be {max_length} characters or fewer "
            "(you have %(show_value)d)"
        },
    )


def _count(label):
    return forms.IntegerField(
        label=label,
        required=False,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PUPILS)],
        error_messages={"invalid": f"{label}: enter a whole number, like 3"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "min": 0}),
    )


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.text


class ReferralForm(VersionForm):
    """The DSL's answers. Saving a draft checks the format of what is there; submitting
    also checks that every required answer is given (referrals.completeness)."""

    concern_types = forms.MultipleChoiceField(
        label="What kinds of harm are you concerned about?",
        choices=ConcernType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    concern_other = _text("Other kind of harm", 200, textarea=False)
    incident_description = _text(
        "Describe the incidents",
        5000,
        help_text="What happened, when and where. Do not name children.",
        rows=8,
    )
    patterns = _text(
        "Patterns you have noticed",
        5000,
        help_text="Repeated behaviour, times, groups or places.",
    )
    places = forms.MultipleChoiceField(
        label="Where does the harm happen?",
        choices=Place.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all places and contexts involved.",
    )
    places_other = _text("Other place or context", 200, textarea=False)
    indicators = IndicatorChoiceField(
        label="Which school threshold indicators have you observed?",
        queryset=ThresholdIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pupils_female = _count("Girls")
    pupils_male = _count("Boys")
    pupils_other_gender = _count("Another gender")
    pupils_gender_not_known = _count("Gender not known")
    pupils_send = _count("Pupils with special educational needs or disabilities (SEND)")
    actions_taken = forms.MultipleChoiceField(
        label="What has the school already done?",
        choices=ActionTaken.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions_detail = _text("Details of what the school has done", 3000)
    young_people_views = _text(
        "What have young people said?",
        5000,
        help_text="Their views about safety in and around school, in their words where you can.",
    )
    information_sharing_basis = forms.ChoiceField(
        label="On what basis are you sharing this information?",
        choices=InformationSharingBasis.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    information_sharing_detail = _text("Anything more about information sharing", 2000, rows=3)
    linked_children = forms.CharField(
        label="Individual children linked to this referral (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="One child per line: case-system identifier, then initials. "
        "For example: MOS-10482, JB. Never write a child's name.",
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.fields["indicators"].queryset = ThresholdIndicator.objects.filter(
            authority_id=referral.school.authority_id, is_active=True
        )
        # Year groups the school teaches, plus any already counted (phase may have changed).
        counted = set((referral.pupils_by_year or {}).keys())
        offered = {key for key, _ in year_groups_for(referral.school.phase)} | counted
        self.year_groups = [(key, label) for key, label in YEAR_GROUPS if key in offered]
        for key, label in self.year_groups:
            self.fields[f"year_{key}"] = _count(label)

    @classmethod
    def initial_for(cls, referral):
        initial = {
            name: getattr(referral, name)
            for name in cls.base_fields
            if name not in ("indicators", "linked_children", "version")
        }
        initial["version"] = referral.version
        initial["indicators"] = [i.pk for i in referral.indicators.all()]
        initial["linked_children"] = "\n".join(
            f"{c.case_system_id}, {c.initials}" for c in referral.linked_children.all()
        )
        for key, _label in YEAR_GROUPS:
            initial[f"year_{key}"] = (referral.pupils_by_year or {}).get(key)
        return initial

    def year_fields(self):
        return [self[f"year_{key}"] for key, _label in self.year_groups]

    def gender_fields(self):
        return [self[name] for name in GENDER_FIELDS]

    def indicator_groups(self):
        """Indicator checkboxes grouped under their level, for the template."""
        by_level = {value: [] for value in IndicatorLevel.values}
        chosen = {str(v) for v in (self["indicators"].value() or [])}
        indicators = sorted(
            self.fields["indicators"].queryset,
            key=lambda i: (IndicatorLevel.values.index(i.level), i.position, i.pk),
        )
        for index, indicator in enumerate(indicators):
            by_level[indicator.level].append(
                {
                    "index": index,
                    "value": indicator.pk,
                    "text": indicator.text,
                    "checked": str(indicator.pk) in chosen,
                }
            )
        return [(IndicatorLevel(level).label, items) for level, items in by_level.items() if items]

    def clean_linked_children(self):
        children, seen = [], set()
        lines = (self.cleaned_data.get("linked_children") or "").splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 2:
                raise forms.ValidationError(
                    f"Line {number}: write the case-system identifier, a comma, then initials"
                )
            case_system_id, initials = parts[0], parts[1].upper()
            child = LinkedChild(case_system_id=case_system_id, initials=initials)
            try:
                child.clean_fields(exclude=["referral"])
            except forms.ValidationError as exc:
                message = "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
                raise forms.ValidationError(f"Line {number}: {message}") from exc
            if case_system_id in seen:
                raise forms.ValidationError(f"Line {number}: {case_system_id} is listed twice")
            seen.add(case_system_id)
            children.append((case_system_id, initials))
        return children

    def clean(self):
        data = super().clean()
        by_year = {
            key: data[f"year_{key}"] for key, _ in self.year_groups if data.get(f"year_{key}")
        }
        data["pupils_by_year"] = by_year  # the totals' rule is the service's (pupil_counts)
        return data


class AcceptToPanelForm(ReasonForm):
    panel = forms.ModelChoiceField(
        label="Context panel",
        queryset=ContextPanel.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a context panel"},
    )
    field_order = ["panel", "reason", "version"]

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        panels = ContextPanel.objects.filter(authority_id=referral.school.authority_id)
        self.fields["panel"].queryset = panels
        self.fields["panel"].label_from_instance = lambda p: f"{p.name} ({p.region})"
        default = next((p for p in panels if p.covers(referral.school)), None)
        if default and not self.is_bound:
            self.initial.setdefault("panel", default.pk)


class StartForm(forms.Form):
    school = forms.ModelChoiceField(
        label="Which school is this referral about?",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the school"},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].label_from_instance = lambda s: f"{s.name} (URN {s.urn})"


class ReferralFilterForm(forms.Form):
    """The referral list's filters and sort, from the query string. A value the list does not
    know is an error on its field (shown in the error summary), never a failure of the page;
    the list then applies only the filters that were valid. An unknown sort is the default
    order (the sentence above the table says which order it is)."""

    SHOW = [("open", "Open work"), ("closed", "Closed"), ("all", "All")]

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Reference, school name or URN",
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )
    show = forms.ChoiceField(
        label="Cases",
        choices=SHOW,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose open work, closed or all"},
    )
    school = forms.TypedChoiceField(
        label="School",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a school from the list"},
    )

    state = forms.MultipleChoiceField(
        label="Status",
        choices=ReferralState.choices,
        required=False,
        help_text="A closed status shows when Cases is Closed or All",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "There is no status called “%(value)s”"},
    )
    concern = forms.MultipleChoiceField(
        label="Kind of harm",
        choices=ConcernType.choices,
        required=False,
        help_text="Referrals reporting any of those you select",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "There is no kind of harm called “%(value)s”"},
    )
    rag = forms.MultipleChoiceField(
        label="Deadlines",
        choices=list(RAGS.items()),
        required=False,
        help_text="The most urgent of the case's running deadlines",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose red, amber, green or no deadline running"},
    )
    panel = forms.TypedChoiceField(
        label="Context panel",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a panel from the list"},
    )
    team = forms.TypedChoiceField(
        label="Allocated team",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    submitted_from = DateInputField(
        label="Submitted from", help_text="The first day, for example, 1 11 2026"
    )
    submitted_to = DateInputField(label="Submitted to", help_text="The last day, included")

    def __init__(self, query, *, schools, chosen_school=None, panels=(), teams=()):
        data = query.copy()
        data.setdefault("show", "open")  # the default view: open work
        super().__init__(data)
        offered = list(schools or [])
        if chosen_school is not None and chosen_school not in offered:
            offered.append(chosen_school)
        self.fields["school"].choices = [("", "Any school")] + [(s.pk, s.name) for s in offered]
        self.schools_offered = schools is not None
        self.panels, self.teams = list(panels), list(teams)
        self.fields["panel"].choices = [("", "Any panel")] + [(p.pk, p.name) for p in panels]
        self.fields["team"].choices = [("", "Any team")] + [(t.pk, t.name) for t in teams]

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and end < start:
            self.add_error(
                "submitted_to", "Submitted to must be the same as or after submitted from"
            )
        return data

    def filters(self) -> ListFilters:
        """The valid part of what was asked for."""
        self.is_valid()
        data = self.cleaned_data
        # The sort comes from a column header's link, not a field: an unknown one is ignored.
        sort = self.data.get("sort", "")
        return ListFilters(
            show=data.get("show") or "open",
            states=tuple(data.get("state") or ()),
            school_id=data.get("school"),
            search=(data.get("q") or "").strip(),
            concerns=tuple(data.get("concern") or ()),
            rags=tuple(data.get("rag") or ()),
            panel_id=data.get("panel"),
            team_id=data.get("team"),
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            sort=sort if sort in SORTS else "",
            descending=sort in SORTS and self.data.get("order") == "desc",
        )


class FrontDoorFilterForm(ShowFilterForm):
    """The front-door queue's one filter: what waits for a decision by default."""

    views = FRONT_DOOR_SHOW
    default = "waiting"
    message = "Choose which referrals to show from the list"
