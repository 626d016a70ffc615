"""The shape every decision page shares: a posted, valid form calls one service; a refusal
goes on the form (and nothing changed); success says so and moves on."""

from django.contrib import messages
from django.shortcuts import redirect

from casework.errors import CaseError, show_on_form


def on_valid_post(request, form, call, *, done, then):
    """If `form` was posted and is valid, run `call(cleaned_data)`. On success, flash `done`
    (a string, or a function of the result) and redirect to `then` (a URL or model, or a
    function of the result). On a refusal, or for a GET, return None: render the page."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except CaseError as exc:
        show_on_form(form, exc)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return redirect(then(result) if callable(then) else then)


def posted_version(request) -> int:
    """The record version a button's form posted; anything that is not a number is -1, a
    version no record has, so the runner refuses it as changed (never a 500)."""
    try:
        return int(request.POST.get("version"))
    except (TypeError, ValueError):
        return -1
