"""List pages: one page of rows at a time (GOV.UK pagination include,
templates/includes/pagination.html), with the list's filters kept in its links. A page
number that is not one (?page=abc) shows the first page, one past the end the last."""

from django.core.paginator import Page, Paginator
from django.db.models import Case, Q, When
from django.utils.functional import cached_property

PAGE_SIZE = 50

# Counting every match costs in proportion to the matches (a whole-table read at 100,000);
# counting at most this many stops at the cap however the database reads them.
COUNT_CAP = 1000


def page_of(rows, number, size: int | None = None) -> Page:
    return Paginator(rows, size or PAGE_SIZE).get_page(number)


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP matches: `more` says there are others beyond, and the pages
    go as far as the cap (the first in the list's order come first; a filter, a search or
    the reverse sort reaches the rest, and a list's download holds them all)."""

    @cached_property
    def counted(self) -> int:
        # In no order: which rows make up the cap does not change how many there are, and the
        # database may stop at the cap however it reads them.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, COUNT_CAP)

    @property
    def more(self) -> bool:
        return self.counted > COUNT_CAP

    @property
    def how_many(self) -> str:
        """The count as a list's heading says it: "More than 1,000" past the cap."""
        return f"More than {COUNT_CAP:,}" if self.more else f"{self.count:,}"


def capped_page_of(rows, number, size: int | None = None) -> Page:
    return CappedPaginator(rows, size or PAGE_SIZE).get_page(number)


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


# The pathway lists' views (School Assessments, summits, partnership meetings): the work
# still open (the default), the work that has ended, or everything, open first.
WORK_SHOW = {"open": "Open", "ended": "Ended", "all": "All"}


def open_work_first(rows, show: str, open_states):
    """`rows` in one of WORK_SHOW's views. Open work oldest opened first: each pathway's clock
    runs a fixed time from its opening, so the oldest is the soonest due (and an index on the
    open rows' (created_at, id) serves it). Ended work, the latest changed first."""
    still_open = Q(state__in=open_states)
    if show == "open":
        return rows.filter(still_open).order_by("created_at", "pk")
    if show == "ended":
        return rows.exclude(still_open).order_by("-updated_at", "-pk")
    first = Case(When(still_open, then=0), default=1)
    return rows.order_by(first, "created_at", "pk")
