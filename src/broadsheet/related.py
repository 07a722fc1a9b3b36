"""Related articles: those sharing the most (weighted) tags, newer first among equals.

Comparing every pair of articles is O(n²): 25 million pairs for 5,000 articles. Instead each
tag keeps its articles in date order, and an article's candidates are the WINDOW articles on
either side of it in each of its tags. The cost is O(articles × tags × WINDOW); while no tag
has more than WINDOW + 1 articles the result is the same as comparing every pair, and in a
big tag the articles nearest in time are the ones worth suggesting anyway.

A shared tag counts for more the rarer it is (inverse document frequency): sharing "arctic"
says more than sharing "news".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

WINDOW = 12
DEFAULT_LIMIT = 3


def tag_weights(tag_lists: dict[str, list[int]], total: int) -> dict[str, int]:
    """log(1 + articles / articles with the tag), in thousandths: whole numbers add up
    exactly, so equal tag sets always tie and the tie goes to recency."""
    return {tag: round(1000 * math.log(1 + total / len(members)))
            for tag, members in tag_lists.items() if members}


def related_indices(article_tags: Sequence[Sequence[str]], limit: int = DEFAULT_LIMIT,
                    window: int = WINDOW) -> list[list[int]]:
    """For articles given newest first (as lists of tag slugs, without repeats), the indices
    of each one's related articles, best first: higher weighted score, then newer."""
    tag_lists: dict[str, list[int]] = {}
    positions: list[dict[str, int]] = []
    for index, tags in enumerate(article_tags):
        where = {}
        for tag in tags:
            members = tag_lists.setdefault(tag, [])
            where[tag] = len(members)
            members.append(index)
        positions.append(where)
    weights = tag_weights(tag_lists, len(article_tags))

    result: list[list[int]] = []
    for index, where in enumerate(positions):
        scores: dict[int, int] = {}
        for tag, position in where.items():
            weight = weights[tag]
            for other in tag_lists[tag][max(0, position - window):position + window + 1]:
                scores[other] = scores.get(other, 0) + weight
        scores.pop(index, None)
        # Smaller index = newer: sorting (-score, index) breaks ties by recency.
        ranked = sorted([(-score, other) for other, score in scores.items()])
        result.append([other for _, other in ranked[:limit]])
    return result
