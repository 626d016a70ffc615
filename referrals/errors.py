class CaseError(Exception):
    """A refusal the person should read: the message says what and why."""

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.message = message
        self.problems = problems or {}


class NotAllowed(CaseError):
    pass


class ChangedUnderYou(CaseError):
    """Someone else changed the record since this person loaded it."""


class Incomplete(CaseError):
    """Required answers are missing; `problems` maps field names to messages."""
