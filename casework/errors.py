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


def show_on_form(form, exc):
    """Put a service's refusal on the form, so the error summary shows and links it."""
    for name, problem in exc.problems.items():
        target = name if name in form.fields else None
        for message in problem if isinstance(problem, list) else [problem]:
            form.add_error(target, message)
    if not exc.problems:
        form.add_error(None, exc.message)
