"""A minimal pathway for tests, registered the way a pathway app registers itself
(casework.pathways.register from its AppConfig.ready()). Until the Early Help app exists,
tests that need an early-help decision use it."""

import contextlib
from dataclasses import dataclass, field

from casework import pathways


@dataclass
class Calls:
    started: list = field(default_factory=list)  # (referral pk, decision pk, by pk)
    stopped: list = field(default_factory=list)  # (referral pk, reason)


@contextlib.contextmanager
def registered(*, key="partnership_meeting", label="School Partnership Meeting", **extra):
    """Register a pathway that records what the hooks asked of it; unregistered after."""
    calls = Calls()

    def start(*, referral, decision, by):
        calls.started.append((referral.pk, decision.pk, by.pk))

    def stop(*, referral, by, reason):
        calls.stopped.append((referral.pk, reason))

    pathway = pathways.Pathway(
        **{
            "app": "panels",  # installed in every test run
            "key": key,
            "label": label,
            "levels": ("early_help",),
            "start": start,
            "stop": stop,
            **extra,
        }
    )
    previous = pathways.get(key)
    pathways.register(pathway)
    try:
        yield calls
    finally:
        pathways.unregister(key)
        if previous is not None:  # registered inside another registration: put it back
            pathways.register(previous)
