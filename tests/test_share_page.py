"""The share block in built pages: plain links with the right hrefs, no script needed,
site and front-matter options honoured, bad config refused with a clear message."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from broadsheet.networks import NETWORK_IDS
from sitekit import make_site, meta, parse_html

SEED = "2014/07/russia-finds-an-unexpected-economic-and-military-ally/"
SEED_TITLE = "Russia finds an unexpected economic and military ally"

pytestmark = pytest.mark.slow


def share_section(html: str):
    sections = parse_html(html).find_all("section", cls="bs-share")
    assert len(sections) == 1, "expected one share block"
    return sections[0]


def network_links(section) -> dict[str, object]:
    links = {}
    for a in section.find_all("a", cls="bs-share__link"):
        network = [c for c in a.attrs["class"].split() if c.startswith("bs-share__link--")]
        links[network[0].removeprefix("bs-share__link--")] = a
    return links


def query(href: str) -> dict[str, str]:
    pairs = parse_qs(urlsplit(href).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(v) == 1 for v in pairs.values()), href
    return {k: v[0] for k, v in pairs.items()}


def control(section, attribute: str):
    """The one element carrying the valueless attribute `attribute` (e.g. data-bs-copy)."""
    found = [node for node in section.iter() if attribute in node.attrs]
    assert len(found) == 1, attribute
    return found[0]


def canonical(html: str) -> str:
    return parse_html(html).find("link", rel="canonical").attrs["href"]


# -- the sample site's seed article ------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_html(sample_site) -> str:
    return (sample_site / SEED / "index.html").read_text(encoding="utf-8")


def test_seed_article_has_every_network_in_order_with_correct_hrefs(seed_html):
    url = canonical(seed_html)
    assert url == "https://broadsheet.example.org/" + SEED
    section = share_section(seed_html)
    assert section.find("h2").text() == "Share this article"
    links = network_links(section)
    assert list(links) == list(NETWORK_IDS)
    expected = {
        "x": ("x.com", {"text": SEED_TITLE, "url": url}),
        "facebook": ("www.facebook.com", {"u": url}),
        "linkedin": ("www.linkedin.com", {"url": url}),
        "reddit": ("www.reddit.com", {"url": url, "title": SEED_TITLE}),
        "bluesky": ("bsky.app", {"text": f"{SEED_TITLE} {url}"}),
        "whatsapp": ("wa.me", {"text": f"{SEED_TITLE} {url}"}),
        "telegram": ("t.me", {"url": url, "text": SEED_TITLE}),
        "hackernews": ("news.ycombinator.com", {"u": url, "t": SEED_TITLE}),
        "email": ("", {"subject": SEED_TITLE, "body": f"{SEED_TITLE}\r\n\r\n{url}"}),
    }
    for network, (host, params) in expected.items():
        href = links[network].attrs["href"]
        assert urlsplit(href).netloc == host, href
        assert query(href) == params, network


def test_seed_links_have_names_and_rel_noopener(seed_html):
    links = network_links(share_section(seed_html))
    for network, a in links.items():
        name = a.find("span", cls="bs-share__sr").text()
        assert name.startswith("Share "), name
        assert a.find("svg").attrs.get("aria-hidden") == "true"
        if a.attrs["href"].startswith("https://"):
            assert "noopener" in a.attrs["rel"].split(), network
            assert a.attrs.get("target") == "_blank"
    assert links["mastodon"].find("span", cls="bs-share__sr").text() == "Share on Mastodon"


def test_seed_mastodon_link_opens_the_page_panel_without_a_configured_server(seed_html):
    section = share_section(seed_html)
    link = network_links(section)["mastodon"]
    assert link.attrs["href"] == "#bs-share-mastodon"
    assert "target" not in link.attrs
    panel = section.find(id="bs-share-mastodon")
    url = canonical(seed_html)
    assert panel.attrs["data-text"] == f"{SEED_TITLE} {url}"
    # Without JavaScript the panel offers the post to copy; the server form waits for JS.
    assert panel.find("textarea").text() == f"{SEED_TITLE} {url}"
    assert "hidden" in panel.find("form").attrs


def test_seed_copy_and_share_buttons_wait_for_javascript_and_the_url_is_shown(seed_html):
    section = share_section(seed_html)
    assert "hidden" in control(section, "data-bs-share-via").attrs
    assert "hidden" in control(section, "data-bs-copy").attrs
    field = section.find("input", id="bs-share-url")
    assert field.attrs["value"] == canonical(seed_html)
    assert "readonly" in field.attrs
    assert section.find("p", role="status").attrs["aria-live"] == "polite"
    assert section.attrs["data-url"] == canonical(seed_html)


def test_share_block_comes_after_continue_reading(seed_html):
    assert seed_html.index("bs-continue") < seed_html.index('class="bs-share"')


def test_no_third_party_script_or_tracking(seed_html):
    for script in parse_html(seed_html).find_all("script"):
        src = script.attrs.get("src") or ""
        assert "://" not in src, src
    for a in network_links(share_section(seed_html)).values():
        assert "utm_" not in a.attrs["href"]


# -- sites of our own --------------------------------------------------------------------------

HOSTILE = 'Tom & Jerry: "quotes" <script>alert(1)</script> ?a=1&url=https://evil.example/#x'


def test_site_options_and_front_matter_overrides(tmp_path):
    site = make_site(tmp_path, plugin_options={"share": {
        "networks": ["mastodon", "x", "email"], "hashtags": ["broadsheet"],
        "mastodon_instance": "social.example"}}, articles={
        "plain.md": meta(title="Plain", date="2024-06-25"),
        "custom.md": meta(title=HOSTILE, date="2024-06-26", slug="custom", share={
            "text": "Why & how?", "hashtags": ["#mine"], "networks": ["reddit", "mastodon"]}),
    })
    result = site.build()
    assert result.returncode == 0, result.stderr

    plain = site.page("2024/06/plain/")
    url = canonical(plain)
    links = network_links(share_section(plain))
    assert list(links) == ["mastodon", "x", "email"]
    mastodon = links["mastodon"].attrs["href"]
    assert urlsplit(mastodon)[:3] == ("https", "social.example", "/share")
    assert query(mastodon) == {"text": f"Plain {url} #broadsheet"}
    assert query(links["x"].attrs["href"])["hashtags"] == "broadsheet"

    custom = site.page("2024/06/custom/")
    url = canonical(custom)
    section = share_section(custom)
    links = network_links(section)
    assert list(links) == ["reddit", "mastodon"]
    assert query(links["reddit"].attrs["href"]) == {"url": url, "title": HOSTILE}
    assert query(links["mastodon"].attrs["href"]) == {"text": f"Why & how? {url} #mine"}
    assert section.attrs["data-title"] == HOSTILE
    assert section.attrs["data-text"] == "Why & how?"
    assert "<script>alert(1)" not in custom.split('class="bs-share"')[1]


def test_without_site_url_only_copy_and_share_remain(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta(title="A")})
    config = site.config.read_text(encoding="utf-8").replace(
        "site_url: https://news.example.org/\n", "")
    site.config.write_text(config, encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.stderr
    section = share_section(site.page("2024/06/a/"))
    assert network_links(section) == {}
    assert control(section, "data-bs-copy").tag == "button"


@pytest.mark.parametrize("share, message", [
    ({"networks": ["x", "mastodn"]},
     "share.networks: unknown network 'mastodn' — did you mean 'mastodon'?"),
    ({"mastodon_instance": "https://mastodon.social/@me"},
     "share.mastodon_instance: 'https://mastodon.social/@me' is not a server name"),
    ({"hashtag": ["news"]}, "share.hashtag: unknown option — did you mean 'hashtags'?"),
])
def test_bad_share_config_stops_the_build_with_a_clear_message(tmp_path, share, message):
    site = make_site(tmp_path, plugin_options={"share": share},
                     articles={"a.md": meta(title="A")})
    result = site.build()
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
