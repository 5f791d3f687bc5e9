"""A paged list's page number parameter, and what its links keep: the query string it was asked with, less its
page number."""

PAGE = "trang"  # the page number's parameter in every paged list


def query_without_page(request, name: str = PAGE) -> str:
    """The request's query string without its page number, for the links to the other pages (the filters kept)."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()
