"""List pages: one page of rows at a time (GOV.UK pagination include,
templates/includes/pagination.html), with the list's filters kept in its links. A page
number that is not one (?page=abc) shows the first page, one past the end the last."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(rows, number, size: int | None = None) -> Page:
    return Paginator(rows, size or PAGE_SIZE).get_page(number)


def keep_filters(page: Page, query, param: str = "page") -> Page:
    """Give `page` what its pagination links need: the request's other parameters (a
    QueryDict, the filters) and the name of its own page parameter."""
    others = query.copy()
    others.pop(param, None)
    page.param = param
    page.query = others.urlencode()
    return page


def without(query, name: str, value: str | None = None) -> str:
    """The query string (a QueryDict) without one filter, or one value of it, and without
    the page number: the link of a selected filter's tag, which removes it."""
    others = query.copy()
    others.pop("page", None)
    if value is None:
        others.pop(name, None)
    else:
        others.setlist(name, [v for v in others.getlist(name) if v != value])
    return others.urlencode()
