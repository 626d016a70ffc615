"""A case document (an outcome letter, minutes, an assessment report) as a PDF: the same
HTML body as its page, rendered by WeasyPrint with static/css/print.css and a URL fetcher
that fetches nothing, so free text in a document can never make the server load a URL or
read a file. Shared by the apps above referrals (panels, school_assessments)."""

import weasyprint
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.utils.html import format_html

PRINT_CSS = "css/print.css"
PDF = "application/pdf"


def print_css():
    path = finders.find(PRINT_CSS)
    if not path:  # the file ships with the project: an unstyled PDF would be a silent fault
        raise FileNotFoundError(f"static/{PRINT_CSS} is missing")
    with open(path, encoding="utf-8") as css:
        return css.read()


def render_pdf(request, *, body, title, filename):
    """The document `body` (HTML of a template fragment) as a downloadable PDF."""
    document = format_html(
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{}</title>'
        "</head><body>{}</body></html>",
        title,
        body,
    )
    # Refuse every protocol: the document needs nothing from outside.
    no_fetch = weasyprint.URLFetcher(allowed_protocols=())
    pdf = weasyprint.HTML(
        string=document, base_url=request.build_absolute_uri("/"), url_fetcher=no_fetch
    ).write_pdf(stylesheets=[weasyprint.CSS(string=print_css(), url_fetcher=no_fetch)])
    response = HttpResponse(pdf, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
