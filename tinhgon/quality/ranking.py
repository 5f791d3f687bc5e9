"""Ranks as results tables print them: the highest total first, equal totals sharing a rank, the next rank counting
the units above it (1, 2, 2, 4)."""

from collections.abc import Callable, Iterable


def ranked(items: Iterable, key: Callable) -> list[tuple[int, object]]:
    ordered = sorted(items, key=lambda item: -key(item))
    result, rank, previous = [], 0, None
    for position, item in enumerate(ordered, start=1):
        value = key(item)
        if value != previous:
            rank, previous = position, value
        result.append((rank, item))
    return result
