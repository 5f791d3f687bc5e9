"""Page-number pagination whose count and page come from one query (`core.queries`), for large searched lists."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from tinhgon.core.queries import summarised_page

LAST = 2**31


class OnePassPagination(PageNumberPagination):
    """DRF's PageNumberPagination (same response: count, next, previous, results; same 404 for a page that does not
    exist), but the count and the page's keys are read in one pass over the queryset instead of a COUNT and then
    the slice: a public search matching 13,000 procedures was scanned twice. The queryset must be ordered by
    field or annotation names (`core.queries.summarise`). A view whose queryset is a narrow copy of the objects it
    serialises (the public search's entries) names the queryset to read the page's objects from, by primary key,
    in `page_rows`."""

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        requested = request.query_params.get(self.page_query_param) or 1
        last = requested in self.last_page_strings
        try:
            number = int(requested)
        except (TypeError, ValueError):
            number = 0
        # "last": past any end, which summarised_page answers with the last page (one more query).
        page, _ = summarised_page(queryset, LAST if last else number, page_size, fetch=getattr(view, "page_rows", None))
        if not last and number != page.number:  # not a number, below 1, or past the end: DRF answers 404
            raise NotFound(f"Trang không hợp lệ: {requested}.")
        self.page, self.request = page, request
        return list(page)
