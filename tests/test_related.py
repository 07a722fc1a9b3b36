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


def _random_tags(rng, pool):
    return rng.sample(pool, min(len(pool), rng.choice([0, 1, 1, 2, 2, 3, 4])))


def test_the_memo_answers_exactly_as_ranking_from_scratch_through_any_edits():
    # Small tag pools make big tags (beyond the window) and many ties; each step is one
    # save in a preview: an article added, deleted, retagged, moved in time or renamed.
    for seed in range(12):
        rng = random.Random(seed)
        pool = [f"t{n}" for n in range(rng.choice([3, 6, 12]))]
        articles = [(f"a{n}", _random_tags(rng, pool)) for n in range(rng.randrange(20, 90))]
        memo = related.RelatedMemo()
        fresh = 1000
        for _ in range(40):
            action = rng.choice(["add", "add", "delete", "retag", "move", "rename", "same"])
            if action == "add":
                articles.insert(rng.randrange(len(articles) + 1),
                                (f"a{fresh}", _random_tags(rng, pool)))
                fresh += 1
            elif action == "delete" and articles:
                articles.pop(rng.randrange(len(articles)))
            elif action == "retag" and articles:
                at = rng.randrange(len(articles))
                articles[at] = (articles[at][0], _random_tags(rng, pool))
            elif action == "move" and articles:
                moved = articles.pop(rng.randrange(len(articles)))
                articles.insert(rng.randrange(len(articles) + 1), moved)
            elif action == "rename" and articles:
                at = rng.randrange(len(articles))
                articles[at] = (f"a{fresh}", articles[at][1])
                fresh += 1
            ids = [article_id for article_id, _ in articles]
            tags = [tag_list for _, tag_list in articles]
            limit = 3 if seed % 3 else 5
            assert memo.indices(ids, tags, limit=limit) == related_indices(tags, limit=limit), (
                seed, action)


def test_adding_an_article_ranks_again_only_the_articles_of_its_tags(monkeypatch):
    pool = [f"t{n}" for n in range(20)]
    rng = random.Random(7)
    articles = [(f"a{n}", [pool[n % 20], pool[(n * 7 + 3) % 20]]) for n in range(400)]
    memo = related.RelatedMemo()
    memo.indices([i for i, _ in articles], [t for _, t in articles])
    ranked = []
    original = related._rank
    monkeypatch.setattr(related, "_rank", lambda index, *rest: (ranked.append(index),
                                                                original(index, *rest))[1])
    articles.insert(rng.randrange(400), ("new", ["t5"]))
    ids, tags = [i for i, _ in articles], [t for _, t in articles]
    answer = memo.indices(ids, tags)
    monkeypatch.setattr(related, "_rank", original)
    assert answer == related_indices(tags)
    in_t5 = sum("t5" in t for t in tags)
    assert 0 < len(ranked) <= in_t5 < len(articles) / 4


def test_the_memo_ranks_again_when_the_weights_now_compare_otherwise():
    # I shares x (rare) with P and y, z (common) with Q. Articles of an unrelated tag
    # make the site bigger, which changes every weight: at some size y + z outweighs x.
    # No list of I's tags changed, yet its answer must follow.
    base = ([("I", ["x", "y", "z"]), ("P", ["x"]), ("Q", ["y", "z"])]
            + [(f"Y{k}", ["y"]) for k in range(7)] + [(f"Z{k}", ["z"]) for k in range(7)])
    memo = related.RelatedMemo()
    answers = []
    for extra in range(25):
        articles = base + [(f"W{k}", ["w"]) for k in range(extra)]
        tags = [t for _, t in articles]
        answer = memo.indices([i for i, _ in articles], tags, limit=1)
        assert answer == related_indices(tags, limit=1)
        answers.append(answer[0])
    assert answers[0] == [1] and answers[-1] == [2]  # P first, then Q


def test_the_memo_follows_an_article_moved_in_time_past_another():
    # A (tag x) and B (tag y) tie for I (x and y, equal weights): the newer wins. B moves
    # before A; the lists of x and y keep their order, the tie now goes the other way.
    memo = related.RelatedMemo()
    tags = [["x"], ["y"], ["x", "y"]]
    assert memo.indices(["A", "B", "I"], tags, limit=1)[2] == [0]  # A
    assert memo.indices(["B", "A", "I"], [["y"], ["x"], ["x", "y"]], limit=1)[2] == [0]  # B
