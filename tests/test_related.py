"""related: articles sharing the most (rarer-weighted) tags, then newer; never the article
itself; found through each tag's neighbours rather than by comparing every pair."""

from __future__ import annotations

import itertools
import random

import yaml

from broadsheet import related
from broadsheet.catalog import build_catalog
from broadsheet.listings import build_listings
from broadsheet.related import related_indices
from broadsheet.settings import settings_from_options
from sitekit import AUTHORS, NOW, article_text, meta


def test_more_shared_tags_rank_first_then_newer():
    # Index = age rank: 0 is the newest.
    tags = [
        ["x"],             # 0: shares one tag with 3
        ["x", "y"],        # 1: shares two
        ["z"],             # 2: shares nothing
        ["x", "y"],        # 3: the article
        ["x"],             # 4: shares one, older than 0
    ]
    assert related_indices(tags, limit=3)[3] == [1, 0, 4]


def test_ties_go_to_the_newer_article():
    tags = [["a"], ["a"], ["a"], ["a"]]
    assert related_indices(tags, limit=2) == [[1, 2], [0, 2], [0, 1], [0, 1]]


def test_a_rare_shared_tag_outweighs_a_common_one():
    # 'common' is on every article, 'rare' on two: sharing 'rare' says more.
    tags = [["common"]] * 10 + [["common", "rare"], ["common", "rare"]]
    assert related_indices(tags, limit=1)[10] == [11]
    weights = related.tag_weights({"common": list(range(12)), "rare": [10, 11]}, 12)
    assert weights["rare"] > weights["common"] > 0


def test_never_itself_nor_an_article_sharing_nothing_and_at_most_limit():
    tags = [["a"], ["b"], ["a"], ["a"], ["a"], []]
    result = related_indices(tags, limit=2)
    for index, found in enumerate(result):
        assert index not in found and len(found) <= 2
        assert all(set(tags[index]) & set(tags[other]) for other in found)
    assert result[1] == [] and result[5] == []


def _brute_force(tags, limit):
    lists = {}
    for i, ts in enumerate(tags):
        for t in ts:
            lists.setdefault(t, []).append(i)
    weights = related.tag_weights(lists, len(tags))
    out = []
    for i, ts in enumerate(tags):
        scored = [(-sum(weights[t] for t in set(ts) & set(other)), j)
                  for j, other in enumerate(tags) if j != i and set(ts) & set(other)]
        out.append([j for _, j in sorted(scored)[:limit]])
    return out


def test_matches_comparing_every_pair_when_no_tag_is_bigger_than_the_window():
    pool = [f"t{n}" for n in range(20)]
    for seed in range(5):
        rng = random.Random(seed)
        tags = [rng.sample(pool, rng.randrange(0, 4)) for _ in range(60)]
        biggest = max(sum(t in ts for ts in tags) for t in pool)
        assert biggest <= related.WINDOW + 1  # the precondition for exactness
        assert related_indices(tags, limit=4) == _brute_force(tags, 4)


def test_in_a_big_tag_only_nearby_articles_are_candidates():
    # 500 articles in one tag: the work per article stays bounded by the window.
    tags = [["big"]] * 500
    result = related_indices(tags, limit=3)
    assert result[250] == [250 - related.WINDOW, 250 - related.WINDOW + 1,
                           250 - related.WINDOW + 2]
    assert result[0] == [1, 2, 3]


def test_article_view_neighbours_from_the_listings():
    files = {f"articles/{i}.md": article_text(meta(
        title=f"Story {i}", date=f"2024-01-{10 + i}", tags=tag_set))
        for i, tag_set in enumerate([["a", "b"], ["a"], ["c"], ["a", "b"]])}
    files["articles/draft.md"] = article_text(meta(title="Draft", date="2024-01-30",
                                                   tags=["a", "b"], draft=True))
    settings = settings_from_options({}, "Test", "", NOW)
    catalog = build_catalog([(p, t.encode()) for p, t in files.items()],
                            yaml.safe_dump({"authors": AUTHORS}).encode(), settings)
    neighbours = build_listings(catalog).neighbours
    story3 = neighbours["articles/3.md"]
    assert story3["newer"] is None and story3["older"]["title"] == "Story 2"
    assert [c["title"] for c in story3["related"]] == ["Story 0", "Story 1"]
    assert neighbours["articles/2.md"]["related"] == []
    assert all(c["title"] != "Draft" for n in neighbours.values()
               for c in itertools.chain(n["related"], filter(None, [n["newer"], n["older"]])))

    from broadsheet.views import article_view
    view = article_view(catalog.by_path["articles/3.md"], catalog, neighbours=story3)
    assert view["older"]["url"] == "2024/01/story-2/"
    assert [r["url"] for r in view["related"]] == ["2024/01/story-0/", "2024/01/story-1/"]
    assert view["tags"][0] == {"name": "a", "slug": "a", "page": "tags/a/"}
    bare = article_view(catalog.by_path["articles/3.md"], catalog)
    assert bare["related"] == [] and bare["newer"] is None and bare["older"] is None
