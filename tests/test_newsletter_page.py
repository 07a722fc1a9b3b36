"""The newsletter block as built into pages: a plain, labelled form; feeds; escaping; errors."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from sitekit import REPO, make_site, meta, parse_html

from broadsheet.newsletter import newsletter_view
from broadsheet.settings import Settings
from broadsheet.strings import resolve_strings

ARTICLE = "2024/06/a-valid-article/"
SEED = "2014/07/russia-finds-an-unexpected-economic-and-military-ally/"
ACTION = "https://signup.example.org/join?src=site&x=1"
HOSTILE = "\"><script>alert('x')</script>&amp;"

pytestmark = pytest.mark.slow


def built(tmp_path: Path, newsletter: dict):
    site = make_site(tmp_path / "site", articles={"2024/a.md": meta()},
                     plugin_options={"newsletter": newsletter})
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


def block_of(html: str):
    return parse_html(html).find("section", cls="bs-newsletter")


def check_form(block, action: str, email_field: str):
    """The form every provider gets: POST, a labelled email field, a hidden empty honeypot."""
    form = block.find("form")
    assert form.attrs["action"] == action
    assert form.attrs["method"] == "post"
    email = form.find("input", type="email")
    assert email.attrs["name"] == email_field
    assert email.attrs["autocomplete"] == "email"
    assert "required" in email.attrs
    label = form.find("label", for_=email.attrs["id"])
    assert label is not None and label.text()
    [honeypot] = [i for i in form.find_all("input") if "data-bs-honeypot" in i.attrs]
    assert honeypot.attrs["tabindex"] == "-1"
    assert honeypot.attrs["autocomplete"] == "off"
    assert honeypot.attrs["aria-hidden"] == "true"
    assert honeypot.attrs["value"] == ""
    wrapper = honeypot.parent
    assert "bs-newsletter__hp" in wrapper.attrs["class"].split()
    assert wrapper.attrs["aria-hidden"] == "true"
    return form, honeypot


def test_generic_form_is_built_with_its_fields_and_escaped_values(tmp_path):
    site = built(tmp_path, {
        "provider": "form", "action": ACTION, "email_field": "member[email]",
        "honeypot_field": "website", "redirect_field": "next",
        "hidden": {"list": HOSTILE}, "heading": HOSTILE, "privacy_url": "privacy/"})
    html = site.page(ARTICLE)
    assert "<script>alert" not in html
    block = block_of(html)
    form, honeypot = check_form(block, ACTION, "member[email]")
    assert honeypot.attrs["name"] == "website"
    assert block.find("h2").text() == HOSTILE  # shown as text, not markup
    hidden = {i.attrs["name"]: i.attrs["value"] for i in form.find_all("input", type="hidden")}
    assert hidden["list"] == HOSTILE
    # The return address: this page, with the query and fragment the thanks listens for.
    assert hidden["next"] == f"https://news.example.org/{ARTICLE}?subscribed=1#bs-newsletter-thanks"
    thanks = block.find(id="bs-newsletter-thanks")
    assert thanks is not None and "Thanks" in thanks.text()
    privacy = block.find("p", cls="bs-newsletter__consent").find("a")
    assert privacy.attrs["href"] == "../../../privacy/"
    script = block.find("script")
    assert script.attrs["src"] == "../../../assets/broadsheet/newsletter.js"
    assert (site.site_dir / "assets/broadsheet/newsletter.js").is_file()


def test_sample_site_posts_to_buttondown(sample_site):
    html = (sample_site / SEED / "index.html").read_text(encoding="utf-8")
    form, honeypot = check_form(
        block_of(html), "https://buttondown.com/api/emails/embed-subscribe/broadsheet-demo",
        "email")
    # Buttondown checks no honeypot, so ours has no name and nothing unknown is sent to it.
    assert "name" not in honeypot.attrs


def test_mailchimp_honeypot_is_named_as_mailchimp_checks_it(tmp_path):
    site = built(tmp_path, {"provider": "mailchimp", "dc": "us21",
                            "u": "019b89996f54b9a71caae3986", "id": "f64fadfa72"})
    form, honeypot = check_form(
        block_of(site.page(ARTICLE)),
        "https://us21.list-manage.com/subscribe/post?u=019b89996f54b9a71caae3986&id=f64fadfa72",
        "EMAIL")
    assert honeypot.attrs["name"] == "b_019b89996f54b9a71caae3986_f64fadfa72"


def test_without_a_provider_the_block_links_the_feeds(tmp_path):
    site = built(tmp_path, {})
    block = block_of(site.page(ARTICLE))
    assert block.find("form") is None
    links = {a.text(): a.attrs["href"] for a in block.find_all("a")}
    assert links == {"RSS": "../../../feed.xml", "Atom": "../../../atom.xml",
                     "JSON Feed": "../../../feed.json"}
    for name in ("feed.xml", "atom.xml", "feed.json"):  # the links lead somewhere
        assert (site.site_dir / name).is_file()


def test_placement_without_article_keeps_articles_free_of_the_block(tmp_path):
    site = built(tmp_path, {"placement": ["home"]})
    assert block_of(site.page(ARTICLE)) is None


def test_enabled_false_removes_the_block(tmp_path):
    site = built(tmp_path, {"enabled": False, "provider": "kit", "form_id": 1})
    assert block_of(site.page(ARTICLE)) is None


def test_a_secret_in_the_config_fails_the_build_with_a_clear_message(tmp_path):
    site = make_site(tmp_path / "site", articles={"2024/a.md": meta()}, plugin_options={
        "newsletter": {"provider": "buttondown", "username": "broadsheet-demo",
                       "api_key": "0123456789abcdef0123456789abcdef-us21"}})
    result = site.build()
    assert result.returncode != 0
    assert "newsletter.api_key: looks like an API key, token or password" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site.site_dir / ARTICLE / "index.html").exists()


# -- the partial on its own, for the home page slot --------------------------------------------

def render_partial(newsletter: dict | None, *, article=None, is_homepage=False,
                   canonical_url=None) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO / "templates"))
    env.filters["url"] = lambda value: "/base/" + value
    page = {"is_homepage": is_homepage, "canonical_url": canonical_url}
    return env.get_template("partials/newsletter.html").render(
        newsletter=newsletter, article=article, page=page, strings=resolve_strings(None))


def nl_view(options: dict, site_url: str = "https://a.example.org/") -> dict:
    return newsletter_view(Settings(newsletter=options, strings=resolve_strings(None),
                                    site_url=site_url))


@pytest.mark.parametrize("placement, article, home, shown", [
    (["article"], {"title": "x"}, False, True),
    (["article"], None, True, False),
    (["home"], None, True, True),
    (["home"], {"title": "x"}, False, False),
    (["home"], None, False, False),  # another page that is not an article
    (["article", "home"], None, True, True),
])
def test_partial_shows_the_block_only_where_placement_asks(placement, article, home, shown):
    html = render_partial(nl_view({"placement": placement, "provider": "kit", "form_id": 7}),
                          article=article, is_homepage=home)
    assert (block_of(html) is not None) == shown


def test_partial_leaves_the_return_field_to_the_script_without_a_site_url():
    options = {"provider": "emailoctopus", "list_id": "c4b27b6e-eb38-11e9-be00-06b4694bee2a"}
    without = parse_html(render_partial(nl_view(options), article={"title": "x"}))
    field = without.find("input", name="successRedirectUrl")
    assert "disabled" in field.attrs and field.attrs["value"] == ""
    with_url = parse_html(render_partial(nl_view(options), article={"title": "x"},
                                         canonical_url="https://a.example.org/p/"))
    field = with_url.find("input", name="successRedirectUrl")
    assert "disabled" not in field.attrs
    assert field.attrs["value"] == "https://a.example.org/p/?subscribed=1#bs-newsletter-thanks"


def test_partial_renders_nothing_without_a_view():
    assert block_of(render_partial(None, article={"title": "x"})) is None


def test_partial_renders_nothing_with_neither_form_nor_feeds():
    assert block_of(render_partial(nl_view({}, site_url=""), article={"title": "x"})) is None
    assert block_of(render_partial(nl_view({}), article={"title": "x"})) is not None
