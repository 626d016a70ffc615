"""Pathways as plug-ins. A context panel's decision sends a case down one pathway (the school
manages internally, a School Assessment, a supported self-assessment, ...). Each pathway app
registers itself here from its AppConfig.ready(): its key and label, the threshold levels it
fits, how its work starts from a decision and stops when the pathway changes or the case
ends, its card on the case page and its entry in the navigation. Panels, referrals and the
templates read this registry and name no pathway app, so adding a pathway is a new app, a
line in INSTALLED_APPS and its catalogue rows; a pathway whose app is not installed is not
offered to the panel.

The two hooks, `decided` and `case_ended`, are the one place that says what a decision and
an end do to the work of a case: every transition into an end state and every decision runs
them, inside its transaction, so a closed case has no open record anywhere."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.template.loader import render_to_string

Start = Callable[..., None]  # start(referral=, decision=, by=)
Stop = Callable[..., None]  # stop(referral=, by=, reason=)
Card = Callable[[Any, Any], dict | None]  # card(referral, user) -> the card's context, or None
# chronicle(referral) -> [(model, object id, entry)]: what the case's chronology shows of the
# pathway's records beyond their transitions, each entry shown only to those who may read
# the record (model, object id) it belongs to (referrals.chronology).
Chronicle = Callable[[Any], list[tuple[Any, int, Any]]]


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    shown: Callable[[Any], bool]  # shown(roles): whether this person's navigation has it


@dataclass(frozen=True)
class Pathway:
    app: str  # the app that registers it: listed only while that app is installed
    key: str  # stored on the decision (ThresholdDecision.pathway); never renamed
    label: str
    levels: tuple[str, ...]  # the threshold levels it fits (panels.choices.Level values)
    start: Start | None = None  # opens its work item (and so its clock) for a decision
    stop: Stop | None = None  # stops its open work, with the reason
    card_template: str = ""
    card: Card | None = None
    chronicle: Chronicle | None = None
    nav: NavEntry | None = None
    urls: str = ""  # the app's URLconf module, included by config.urls while installed
    order: int = 100  # where it is listed to the panel, and in the navigation


_pathways: dict[str, Pathway] = {}
# Records of a case that belong to no pathway (risk assessments, the plan): stopped when
# the case ends, after the pathways.
_case_records: dict[str, Stop] = {}


def register(pathway: Pathway) -> None:
    """Called from an AppConfig.ready(). Registering a key twice replaces it (tests do)."""
    _pathways[pathway.key] = pathway


def unregister(key: str) -> None:
    _pathways.pop(key, None)


def register_case_records(name: str, stop: Stop) -> None:
    _case_records[name] = stop


def installed() -> list[Pathway]:
    live = [p for p in _pathways.values() if apps.is_installed(p.app)]
    return sorted(live, key=lambda p: (p.order, p.key))


def get(key: str) -> Pathway | None:
    return next((p for p in installed() if p.key == key), None)


def label(key: str) -> str:
    """A decision's pathway in words; a decision recorded for a pathway whose app has since
    been removed still reads sensibly."""
    pathway = _pathways.get(key)
    return pathway.label if pathway else key.replace("_", " ").capitalize()


def for_level(level: str) -> list[Pathway]:
    return [p for p in installed() if level in p.levels]


def choices() -> list[tuple[str, str]]:
    return [(p.key, p.label) for p in installed()]


def decided(*, referral, decision, by) -> None:
    """A decision is saved and the case decided: the chosen pathway starts its work; every
    other pathway stops work it had under way (a step up or down that changes the pathway)."""
    for pathway in installed():
        if pathway.key == decision.pathway:
            if pathway.start:
                pathway.start(referral=referral, decision=decision, by=by)
        elif pathway.stop:
            pathway.stop(referral=referral, by=by, reason=change_reason(decision))


def case_ended(*, referral, by, reason: str) -> None:
    """The case reached an end state: every pathway, then every other record of the case,
    stops what is open, each with its own transition record and the reason."""
    why = f"The case ended: {reason}"
    for pathway in installed():
        if pathway.stop:
            pathway.stop(referral=referral, by=by, reason=why)
    for stop in _case_records.values():
        stop(referral=referral, by=by, reason=why)


def change_reason(decision) -> str:
    """Why work under way stops when a new decision takes the case to another pathway."""
    return (
        f"The panel's new decision changes the pathway to {label(decision.pathway)}: "
        f"{decision.change_reason or decision.rationale}"
    )


def cards(referral, user) -> list[str]:
    """The case page's pathway cards, as HTML, for what this person may see of each pathway
    (a card function reads through its records' visible_to and returns None to show none)."""
    shown = []
    for pathway in installed():
        context = pathway.card(referral, user) if pathway.card else None
        if context is not None:
            shown.append(render_to_string(pathway.card_template, {**context, "referral": referral}))
    return shown


def chronicles(referral) -> list[tuple[Any, int, Any]]:
    """The entries every pathway adds to the case's chronology, each with its record."""
    return [item for p in installed() if p.chronicle for item in p.chronicle(referral)]


def navigation(roles) -> list[NavEntry]:
    return [p.nav for p in installed() if p.nav and p.nav.shown(roles)]


def url_modules() -> list[str]:
    return [p.urls for p in installed() if p.urls]
