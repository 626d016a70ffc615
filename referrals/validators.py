import re

from django.core.exceptions import ValidationError

# A tag-like run: "<script>", "</b>", "<img src=x>", "<!-- -->". "x < y" and "<3" pass.
_TAG = re.compile(r"</?[a-zA-Z!][^>]*>")


def plain_text(value):
    """Free text is plain text: it is always shown escaped, and markup is refused outright
    so nobody pastes a web page or a script into a child protection record."""
    match = _TAG.search(value or "")
    if match:
        raise ValidationError(
            "Remove the markup %(tag)s: write in plain text without < > tags.",
            code="markup",
            params={"tag": match.group(0)[:40]},
        )
