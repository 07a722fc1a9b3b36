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
    tag_lists, positions = _tag_lists(article_tags)
    weights = tag_weights(tag_lists, len(article_tags))

    return [_rank(index, where, tag_lists, weights, limit, window)
            for index, where in enumerate(positions)]


MAX_TAGS_TO_REUSE = 6
"""An article with more tags is always ranked again (its 2^tags subset sums are compared)."""


class RelatedMemo:
    """related_indices for a preview, which ranks again after every save: an article keeps
    its previous answer while nothing the answer depends on changed.

    An article's candidates are the neighbours in its tags' lists, so while each of its
    tags has the same articles in the same order (and no article moved relative to the
    others), it has the same candidates, each sharing the same subset of its tags. Their
    ranking compares the sums of those subsets' weights, then recency. Weights follow the
    number of articles, so an added article changes them all, slightly: the answer is kept
    only if every comparison between subset sums of the article's tags comes out as before.
    Adding an article thus ranks again the articles of its tags, not the whole site; an
    edit that leaves every article's tags as they were (the usual save) reuses the whole
    answer. The answers are exactly related_indices' (tests/test_related.py compares them).
    """

    def __init__(self) -> None:
        self._ids: list = []
        self._members: dict[str, tuple] = {}
        self._orders: dict[tuple[str, ...], tuple | None] = {}
        self._answers: dict = {}  # id -> (tags, related ids)
        self._shape: tuple[int, int] | None = None
        self._last: tuple | None = None  # (tags, limit, window) of the last answer
        self._last_result: list[list[int]] = []

    def indices(self, ids: Sequence, article_tags: Sequence[Sequence[str]],
                limit: int = DEFAULT_LIMIT, window: int = WINDOW) -> list[list[int]]:
        """related_indices(article_tags, limit, window); `ids` names each article (unique)."""
        # The same tags in the same order give the same indices, whatever the articles say.
        last = (tuple(map(tuple, article_tags)), limit, window)
        if last == self._last:
            return self._last_result
        tag_lists, positions = _tag_lists(article_tags)
        weights = tag_weights(tag_lists, len(article_tags))
        members_by_id = {tag: tuple(ids[i] for i in members) for tag, members in tag_lists.items()}
        reusable = (self._shape == (limit, window) and self._kept_order(ids))
        unchanged_tags = {tag for tag, members in members_by_id.items()
                          if reusable and self._members.get(tag) == members}
        orders: dict[tuple[str, ...], tuple | None] = {}
        keep: dict[tuple[str, ...], bool] = {}  # by tag list: may its articles keep answers?
        index_of = {article_id: index for index, article_id in enumerate(ids)}
        answers: dict = {}
        result: list[list[int]] = []
        for index, where in enumerate(positions):
            article_id, tags = ids[index], tuple(where)
            previous = self._answers.get(article_id)
            if previous is not None and previous[0] == tags:
                if tags not in keep:
                    order = orders[tags] = _subset_order(tags, weights)
                    keep[tags] = (order is not None and self._orders.get(tags) == order
                                  and all(tag in unchanged_tags for tag in tags))
                if keep[tags]:
                    answers[article_id] = previous
                    result.append([index_of[other] for other in previous[1]])
                    continue
            elif tags not in orders:
                orders[tags] = _subset_order(tags, weights)
            found = _rank(index, where, tag_lists, weights, limit, window)
            answers[article_id] = (tags, tuple(ids[other] for other in found))
            result.append(found)
        self._ids, self._members, self._orders = list(ids), members_by_id, orders
        self._answers, self._shape = answers, (limit, window)
        self._last, self._last_result = last, result
        return result

    def _kept_order(self, ids: Sequence) -> bool:
        """Whether the articles that were there before are still in the same order (new
        ones inserted and old ones removed anywhere): then recency ties break as before."""
        now, before = set(ids), set(self._ids)
        return [i for i in ids if i in before] == [i for i in self._ids if i in now]


def _tag_lists(article_tags: Sequence[Sequence[str]]) -> tuple[dict[str, list[int]],
                                                                list[dict[str, int]]]:
    """Each tag's articles (indices, in the given order), and each article's position in
    the list of each of its tags."""
    tag_lists: dict[str, list[int]] = {}
    positions: list[dict[str, int]] = []
    for index, tags in enumerate(article_tags):
        where = {}
        for tag in tags:
            members = tag_lists.setdefault(tag, [])
            where[tag] = len(members)
            members.append(index)
        positions.append(where)
    return tag_lists, positions


def _subset_order(tags: tuple[str, ...], weights: dict[str, int]) -> tuple | None:
    """How the weight sums of every non-empty subset of `tags` compare: the subsets (bit
    masks) from the heaviest sum down, and which neighbours in that order are equal. None:
    too many tags to check."""
    count = len(tags)
    if count > MAX_TAGS_TO_REUSE:
        return None
    if count <= 1:
        return ()  # one subset (or none): nothing to compare
    tag_weights_ = [weights[tag] for tag in tags]
    sums = [0] * (1 << count)
    for mask in range(1, 1 << count):
        lowest = mask & -mask
        sums[mask] = sums[mask ^ lowest] + tag_weights_[lowest.bit_length() - 1]
    order = sorted(range(1, 1 << count), key=sums.__getitem__, reverse=True)
    return tuple(order), tuple(sums[a] == sums[b] for a, b in zip(order, order[1:]))


def _rank(index: int, where: dict[str, int], tag_lists: dict[str, list[int]],
          weights: dict[str, int], limit: int, window: int) -> list[int]:
    scores: dict[int, int] = {}
    for tag, position in where.items():
        weight = weights[tag]
        for other in tag_lists[tag][max(0, position - window):position + window + 1]:
            scores[other] = scores.get(other, 0) + weight
    scores.pop(index, None)
    # Smaller index = newer: sorting (-score, index) breaks ties by recency.
    ranked = sorted([(-score, other) for other, score in scores.items()])
    return [other for _, other in ranked[:limit]]
