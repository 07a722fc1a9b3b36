"""share: network share URLs that parse back to exactly what was shared, site config checks,
and the view partials/share.html renders."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.model import Article, ShareOptions
from broadsheet.networks import NETWORK_IDS
from broadsheet.settings import Settings, SettingsError
from broadsheet.share import icon, parse_share_config, share_url, share_view
from broadsheet.strings import resolve_strings

URL = "https://news.example.org/2024/06/a-title/"

HOSTILE = [
    "Plain title",
    "&x=1#",
    "Tom & Jerry?ref=evil&url=https://evil.example/#frag",
    'Say "hi", it\'s <script>alert(1)</script>',
    "first line\nsecond&line\r\nthird",
    "Ünïcödé — 日本語 «guillemets» 🚀",
    "100% + 50% = 150%; a+b c/d",
    "%20 already %2Fencoded%",
    "",
]

# Where each network's endpoint lives and which parameters carry what: the contract with
# the networks' documented share URLs.
ENDPOINTS = {
    "x": ("https", "x.com", "/intent/tweet"),
    "facebook": ("https", "www.facebook.com", "/sharer/sharer.php"),
    "linkedin": ("https", "www.linkedin.com", "/sharing/share-offsite/"),
    "reddit": ("https", "www.reddit.com", "/submit"),
    "bluesky": ("https", "bsky.app", "/intent/compose"),
    "mastodon": ("https", "social.example", "/share"),
    "whatsapp": ("https", "wa.me", "/"),
    "telegram": ("https", "t.me", "/share/url"),
    "hackernews": ("https", "news.ycombinator.com", "/submitlink"),
    "email": ("mailto", "", ""),
}


def expected_params(network: str, *, title: str, text: str, url: str,
                    hashtags: tuple[str, ...] = ()) -> dict[str, str]:
    post = " ".join(p for p in (text, url, " ".join("#" + t for t in hashtags)) if p)
    x = {"text": text, "url": url}
    if hashtags:
        x["hashtags"] = ",".join(hashtags)
    return {
        "x": x,
        "facebook": {"u": url},
        "linkedin": {"url": url},
        "reddit": {"url": url, "title": title},
        "bluesky": {"text": post},
        "mastodon": {"text": post},
        "whatsapp": {"text": post},
        "telegram": {"url": url, "text": text},
        "hackernews": {"u": url, "t": title},
        "email": {"subject": title, "body": f"{text}\r\n\r\n{url}"},
    }[network]


def parse_back(href: str) -> tuple[tuple[str, str, str], dict[str, str]]:
    """(scheme, host, path) and the query as a dict; fails on repeated parameters."""
    parts = urlsplit(href)
    assert parts.fragment == "", f"fragment injected: {href}"
    pairs = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    assert all(len(values) == 1 for values in pairs.values()), f"repeated parameter: {href}"
    return (parts.scheme, parts.netloc, parts.path), {k: v[0] for k, v in pairs.items()}


def assert_fully_encoded(href: str) -> None:
    # After the '?', only unreserved characters, '%XX' escapes, and the '=' and '&' we put
    # there: no raw space, '+', '#', '?', quote, '<' or newline can reach the browser.
    query = href.split("?", 1)[1]
    for pair in query.split("&"):
        name, value = pair.split("=")
        assert re.fullmatch(r"(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*", value), (pair, href)


def make_article(title="A title", share=ShareOptions(), url="2024/06/a-title/") -> Article:
    return Article(path="articles/a.md", title=title,
                   date=datetime(2024, 6, 25, tzinfo=timezone.utc), authors=("alex",),
                   slug="a-title", url=url, share=share)


def make_settings(share: dict | None = None, site_url="https://news.example.org/",
                  strings: dict | None = None) -> Settings:
    return Settings(site_url=site_url, share=share or {}, strings=resolve_strings(strings))


# -- share_url ---------------------------------------------------------------------------------

@pytest.mark.parametrize("network", NETWORK_IDS)
@pytest.mark.parametrize("title", HOSTILE)
def test_share_url_parses_back_to_exactly_title_text_and_url(network, title):
    text = f"Read: {title}" if title else "Read this"
    href = share_url(network, url=URL, title=title, text=text, hashtags=("news", "world_2"),
                     mastodon_instance="social.example")
    endpoint, params = parse_back(href)
    assert endpoint == ENDPOINTS[network]
    assert params == expected_params(network, title=title, text=text, url=URL,
                                     hashtags=("news", "world_2"))
    assert_fully_encoded(href)


@pytest.mark.parametrize("network", NETWORK_IDS)
def test_a_url_with_its_own_query_and_fragment_is_one_encoded_value(network):
    url = "https://news.example.org/a/?utm=1&b=2#part"
    href = share_url(network, url=url, title="T", text="T", mastodon_instance="social.example")
    _, params = parse_back(href)
    assert url in params.values() or any(url in v for v in params.values())
    assert "utm" not in params and "b" not in params


@pytest.mark.parametrize("network", NETWORK_IDS)
@given(title=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
       text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_title_and_text_round_trip(network, title, text):
    href = share_url(network, url=URL, title=title, text=text,
                     mastodon_instance="social.example")
    _, params = parse_back(href)
    assert params == expected_params(network, title=title, text=text, url=URL)


def test_spaces_are_percent_20_not_plus():
    href = share_url("reddit", url=URL, title="a b+c", text="a b+c")
    assert "title=a%20b%2Bc" in href


def test_x_hashtags_are_one_comma_separated_parameter():
    href = share_url("x", url=URL, title="T", text="T", hashtags=("a", "b"))
    assert parse_back(href)[1]["hashtags"] == "a,b"


def test_mastodon_without_a_server_points_to_the_page_panel():
    assert share_url("mastodon", url=URL, title="T", text="T") == "#bs-share-mastodon"


def test_unknown_network_is_a_programming_error():
    with pytest.raises(ValueError):
        share_url("myspace", url=URL, title="T", text="T")


# -- parse_share_config ------------------------------------------------------------------------

def test_config_defaults_to_every_network_in_the_default_order():
    assert parse_share_config({}) == {"networks": NETWORK_IDS, "mastodon_instance": None,
                                      "hashtags": ()}


def test_config_keeps_the_sites_order_and_cleans_hashtags():
    config = parse_share_config({"networks": ["mastodon", "email", "x"],
                                 "hashtags": ["#news", "world", "news"],
                                 "mastodon_instance": "https://Mastodon.Social/"})
    assert config == {"networks": ("mastodon", "email", "x"),
                      "mastodon_instance": "mastodon.social", "hashtags": ("news", "world")}


def test_config_accepts_an_empty_network_list():
    assert parse_share_config({"networks": []})["networks"] == ()


@pytest.mark.parametrize("instance, host", [
    ("mastodon.social", "mastodon.social"),
    ("  social.example.org ", "social.example.org"),
    ("https://fosstodon.org", "fosstodon.org"),
    ("social.example:8443", "social.example:8443"),
    ("bücher.example", "xn--bcher-kva.example"),
])
def test_config_mastodon_instance_is_normalised_to_a_host(instance, host):
    assert parse_share_config({"mastodon_instance": instance})["mastodon_instance"] == host


@pytest.mark.parametrize("options, message", [
    ({"netwroks": ["x"]}, "share.netwroks: unknown option — did you mean 'networks'?"),
    ({"colour": "red"}, "share.colour: unknown option — known keys: networks, "
                        "mastodon_instance, hashtags"),
    ({"networks": ["x", "mastodn"]}, "share.networks: unknown network 'mastodn' — did you "
                                     "mean 'mastodon'?"),
    ({"networks": ["myspace"]}, "share.networks: unknown network 'myspace' — known: x, "
                                "facebook, linkedin, reddit, bluesky, mastodon, whatsapp, "
                                "telegram, hackernews, email"),
    ({"networks": ["x", "x"]}, "share.networks: 'x' is listed twice — keep one"),
    ({"networks": "x"}, "share.networks: must be a list"),
    ({"hashtags": ["two words"]}, "share.hashtags: 'two words' is not a hashtag"),
    ({"hashtags": {"a": 1}}, "share.hashtags: must be a list"),
    ({"hashtags": [f"t{i}" for i in range(11)]}, "share.hashtags: 11 hashtags, over the limit"),
    ({"mastodon_instance": "mastodon"}, "share.mastodon_instance: 'mastodon' is not a server"),
    ({"mastodon_instance": "https://x.org/@me"}, "is not a server name"),
    ({"mastodon_instance": "me@x.org"}, "is not a server name"),
    ({"mastodon_instance": "http://x.org"}, "is not a server name"),
    ({"mastodon_instance": "x.org/share?text=hi"}, "is not a server name"),
    ({"mastodon_instance": "exa mple.org"}, "is not a server name"),
    ({"mastodon_instance": "-bad-.org"}, "is not a server name"),
    ({"mastodon_instance": "x.org:99999"}, "is not a server name"),
    ({"mastodon_instance": 42}, "share.mastodon_instance: must be text"),
])
def test_config_errors_name_the_option_and_the_fix(options, message):
    with pytest.raises(SettingsError) as err:
        parse_share_config(options)
    assert str(err.value).startswith(message) or message in str(err.value)
    assert "—" in str(err.value)


def test_config_that_is_not_a_mapping_is_an_error():
    with pytest.raises(SettingsError, match="share: must be a mapping"):
        parse_share_config(["x"])


# -- share_view --------------------------------------------------------------------------------

def hrefs(view) -> dict[str, str]:
    return {link["id"]: link["href"] for link in view["links"]}


def test_view_shares_the_canonical_url_with_title_as_text_by_default():
    view = share_view(make_article("Tom & Jerry"), make_settings(), URL)
    assert [link["id"] for link in view["links"]] == list(NETWORK_IDS)
    assert view["url"] == URL and view["title"] == "Tom & Jerry" and view["text"] == "Tom & Jerry"
    _, params = parse_back(hrefs(view)["reddit"])
    assert params == {"url": URL, "title": "Tom & Jerry"}


def test_view_uses_the_sites_networks_hashtags_and_mastodon_server():
    settings = make_settings({"networks": ["mastodon", "x"], "hashtags": ["news"],
                              "mastodon_instance": "social.example"})
    view = share_view(make_article("T"), settings, URL)
    assert list(hrefs(view)) == ["mastodon", "x"]
    endpoint, params = parse_back(hrefs(view)["mastodon"])
    assert endpoint == ("https", "social.example", "/share")
    assert params == {"text": f"T {URL} #news"}
    assert parse_back(hrefs(view)["x"])[1]["hashtags"] == "news"
    assert view["mastodon"]["instance"] == "social.example"


def test_article_share_options_override_the_site():
    settings = make_settings({"networks": ["x", "email"], "hashtags": ["site"]})
    article = make_article("T", ShareOptions(text="Why this matters", hashtags=("mine",),
                                             networks=("hackernews", "x")))
    view = share_view(article, settings, URL)
    assert list(hrefs(view)) == ["hackernews", "x"]
    assert parse_back(hrefs(view)["x"])[1] == {"text": "Why this matters", "url": URL,
                                               "hashtags": "mine"}
    # Hacker News and Reddit want the page's title, not the blurb.
    assert parse_back(hrefs(view)["hackernews"])[1] == {"u": URL, "t": "T"}
    assert view["text"] == "Why this matters"


def test_article_can_turn_networks_off_with_an_empty_list():
    view = share_view(make_article(share=ShareOptions(networks=())), make_settings(), URL)
    assert view["links"] == [] and view["mastodon"] is None
    assert view["url"] == URL  # "Share via…" and "Copy link" remain


def test_links_have_accessible_names_and_new_tab_only_for_networks():
    view = share_view(make_article(), make_settings(), URL)
    by_id = {link["id"]: link for link in view["links"]}
    assert by_id["mastodon"]["name"] == "Share on Mastodon"
    assert by_id["hackernews"]["name"] == "Share on Hacker News"
    assert by_id["email"]["name"] == "Share by email"
    assert by_id["x"]["external"] and not by_id["email"]["external"]
    assert not by_id["mastodon"]["external"]  # the page's own panel


def test_translated_names_come_from_strings_and_a_stray_placeholder_is_refused():
    settings = make_settings(strings={"share_on": "Partager sur {network}"})
    view = share_view(make_article(), settings, URL)
    assert view["links"][0]["name"] == "Partager sur X"
    with pytest.raises(SettingsError, match=r"strings.share_on: unknown placeholder \{oops\}"):
        make_settings(strings={"share_on": "Partager sur {network} {oops}"})


def test_without_a_public_address_there_are_no_network_links():
    settings = make_settings(site_url="")
    view = share_view(make_article(), settings, "/2024/06/a-title/")
    assert view["links"] == [] and view["mastodon"] is None
    assert view["url"] == "/2024/06/a-title/"


def test_mastodon_panel_text_is_the_whole_post():
    article = make_article("T", ShareOptions(hashtags=("a", "b")))
    view = share_view(article, make_settings(), URL)
    assert view["mastodon"]["text"] == f"T {URL} #a #b"
    assert view["mastodon"]["instance"] == ""


def test_icons_are_decorative_inline_svg():
    view = share_view(make_article(), make_settings(), URL)
    for svg in [link["icon"] for link in view["links"]] + [view["share_icon"], view["copy_icon"]]:
        assert svg.startswith('<svg aria-hidden="true" focusable="false"'), svg[:80]
        assert svg.rstrip().endswith("</svg>")
        assert "<script" not in svg and " on" not in svg.split(">", 1)[0]


def test_an_icon_that_does_not_exist_is_empty_so_the_link_shows_its_name():
    assert icon("myspace") == ""


@given(st.dictionaries(st.sampled_from(["text", "url", "title", "u", "t", "body"]),
                       st.text(), max_size=4))
def test_query_strings_are_encoded_exactly_as_urlencode_with_quote(params):
    from urllib.parse import quote, urlencode

    from broadsheet.share import _query
    assert _query(params) == urlencode(params, quote_via=quote)
