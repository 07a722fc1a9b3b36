"""Subscribing in a real browser, against a local server standing in for the provider."""

from __future__ import annotations

import contextlib
import http.server
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from broadsheet.quality.serve import running
from sitekit import make_site, meta, mkdocs_yml

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ARTICLE = "2024/06/a-valid-article/"
HONEYPOT = "bs_website"


class Provider:
    """A signup endpoint on 127.0.0.1 that records each POST and sends the reader back to the
    return address the form gave (as EmailOctopus does with successRedirectUrl)."""

    def __init__(self):
        self.posts: list[dict[str, list[str]]] = []
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                provider.posts.append(form)
                back = form.get("next", [""])[0]
                if back:
                    self.send_response(303)
                    self.send_header("Location", back)
                    self.end_headers()
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.end_headers()
                    self.wfile.write(b"<!doctype html><title>Subscribed</title><p>Subscribed")

            def log_message(self, *args):
                pass

        self.server = contextlib.ExitStack()
        self.url = self.server.enter_context(running(Handler)) + "subscribe"

    def close(self):
        self.server.close()


@pytest.fixture
def provider():
    stub = Provider()
    yield stub
    stub.close()


def site_for(tmp_path: Path, serve_site, provider: Provider, *, with_site_url: bool) -> str:
    """Build a site whose generic form posts to the stub; return the served article's URL."""
    site = make_site(tmp_path / "project", articles={"2024/a.md": meta()})
    site.site_dir.mkdir()
    base = serve_site(site.site_dir)
    options = {"newsletter": {"provider": "form", "action": provider.url,
                              "redirect_field": "next", "hidden": {"list": "weekly"}}}
    # With site_url the return address is in the page; without, newsletter.js supplies it.
    site.config.write_text(mkdocs_yml(options, site_url=base if with_site_url else ""),
                           encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.stderr
    return base + ARTICLE


@pytest.mark.parametrize("with_site_url", [True, False], ids=["site_url", "no_site_url"])
def test_subscribing_posts_the_email_and_an_empty_honeypot_then_thanks(
        page, serve_site, provider, tmp_path, with_site_url):
    url = site_for(tmp_path, serve_site, provider, with_site_url=with_site_url)
    page.goto(url)
    thanks = page.locator("#bs-newsletter-thanks")
    assert not thanks.is_visible()
    page.get_by_label("Email address").fill("reader@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Subscribe").click()

    assert len(provider.posts) == 1
    post = provider.posts[0]
    assert post["email"] == ["reader@example.org"]
    assert post.get(HONEYPOT, [""]) == [""]
    assert post["list"] == ["weekly"]
    assert post["next"] == [url + "?subscribed=1#bs-newsletter-thanks"]
    # Back on the article, which says thank you.
    assert page.url == url + "?subscribed=1#bs-newsletter-thanks"
    assert thanks.is_visible()


def test_the_form_works_and_thanks_shows_without_javascript(
        browser, serve_site, provider, tmp_path):
    url = site_for(tmp_path, serve_site, provider, with_site_url=True)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        page.get_by_label("Email address").fill("plain@example.org")
        with page.expect_navigation():
            page.get_by_role("button", name="Subscribe").click()
        assert provider.posts[0]["email"] == ["plain@example.org"]
        assert provider.posts[0][HONEYPOT] == [""]
        # Only CSS :target shows it here.
        assert page.locator("#bs-newsletter-thanks").is_visible()
    finally:
        context.close()


def test_thanks_shows_when_the_provider_keeps_only_the_query(page, serve_site, provider,
                                                               tmp_path):
    url = site_for(tmp_path, serve_site, provider, with_site_url=True)
    page.goto(url + "?subscribed=1")
    assert page.locator("#bs-newsletter-thanks").is_visible()


def test_a_filled_in_honeypot_stops_the_post(page, serve_site, provider, tmp_path):
    url = site_for(tmp_path, serve_site, provider, with_site_url=True)
    page.goto(url)
    page.get_by_label("Email address").fill("bot@example.org")
    page.locator("#bs-newsletter-hp").fill("http://spam.example")
    prevented = page.evaluate("""() => {
        const form = document.querySelector('form[data-bs-newsletter]');
        let prevented = null;
        form.addEventListener('submit', (event) => { prevented = event.defaultPrevented; });
        form.requestSubmit();
        return prevented;
    }""")
    assert prevented is True
    assert provider.posts == []


def test_the_block_has_no_accessibility_violations(page, serve_site, provider, tmp_path,
                                                   run_axe):
    url = site_for(tmp_path, serve_site, provider, with_site_url=True)
    page.goto(url + "?subscribed=1#bs-newsletter-thanks")
    violations = run_axe(page)
    assert [v for v in violations if any("newsletter" in n for n in v["nodes"])] == []
