"""The share widget in a real browser: "Copy link", "Share via…", the Mastodon prompt, the
page without JavaScript, Material's instant navigation, small screens and accessibility."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import build_site, copy_sample_project

SEED = "2014/07/russia-finds-an-unexpected-economic-and-military-ally/"
SEED_TITLE = "Russia finds an unexpected economic and military ally"
CANONICAL = "https://broadsheet.example.org/" + SEED
CLIPBOARD = {"permissions": ["clipboard-read", "clipboard-write"]}

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RECORD_SHARE = """
  window.__shared = [];
  Object.defineProperty(Navigator.prototype, "share", {configurable: true, writable: true,
    value: function (data) { window.__shared.push(data); return Promise.resolve(); }});
"""
NO_SHARE = "delete Navigator.prototype.share;"
NO_CLIPBOARD = """
  Object.defineProperty(Navigator.prototype, "clipboard", {configurable: true,
    get: function () { return undefined; }});
"""
CLIPBOARD_REFUSES = """
  Object.defineProperty(Navigator.prototype, "clipboard", {configurable: true,
    get: function () { return {writeText: function () {
      return Promise.reject(new DOMException("denied", "NotAllowedError")); }}; }});
"""
RECORD_OPEN = """
  window.__opened = [];
  window.open = function (url, target, features) {
    window.__opened.push([String(url), target, features]); return null; };
"""


@pytest.fixture
def browser_context_args(request):
    """Clipboard permissions by default; a test may pass its own with indirect parametrize."""
    return getattr(request, "param", CLIPBOARD)


@pytest.fixture
def seed(page, sample_site, serve_site):
    """Open the seed article: seed(*init_scripts) -> page."""

    def open_(*scripts: str):
        for script in scripts:
            page.add_init_script(script)
        page.goto(serve_site(sample_site) + SEED)
        page.wait_for_selector("[data-bs-share][data-bs-ready]", state="attached")
        return page

    return open_


def status_text(page) -> str:
    page.wait_for_function(
        "document.querySelector('.bs-share [role=status]').textContent.trim() !== ''")
    return page.locator(".bs-share [role=status]").inner_text().strip()


# -- Copy link ---------------------------------------------------------------------------------

def test_copy_link_puts_the_canonical_url_on_the_clipboard_and_says_so(seed):
    page = seed()
    button = page.get_by_role("button", name="Copy link")
    assert button.is_visible()
    assert not page.locator("#bs-share-url").is_visible()  # the no-JS field steps aside
    button.click()
    assert status_text(page) == "Link copied"
    status = page.locator(".bs-share [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    assert page.evaluate("navigator.clipboard.readText()") == CANONICAL


def test_copy_link_works_from_the_keyboard(seed):
    page = seed()
    page.get_by_role("button", name="Copy link").focus()
    page.keyboard.press("Enter")
    assert status_text(page) == "Link copied"
    assert page.evaluate("navigator.clipboard.readText()") == CANONICAL


@pytest.mark.parametrize("script", [NO_CLIPBOARD, CLIPBOARD_REFUSES],
                         ids=["no-clipboard-api", "clipboard-refused"])
def test_without_a_clipboard_the_url_field_is_selected_with_a_hint(seed, script):
    page = seed(script)
    page.get_by_role("button", name="Copy link").click()
    assert status_text(page) == "Press Ctrl+C (⌘C on a Mac) to copy the link"
    field = page.get_by_role("textbox", name="Link to this article")
    assert field.is_visible()
    assert field.input_value() == CANONICAL
    selected = page.evaluate("""() => {
        const el = document.activeElement;
        return [el.id, el.value.slice(el.selectionStart, el.selectionEnd)]; }""")
    assert selected == ["bs-share-url", CANONICAL]


# -- Share via… --------------------------------------------------------------------------------

def test_share_via_calls_the_web_share_api_with_title_text_and_url(seed):
    page = seed(RECORD_SHARE)
    button = page.get_by_role("button", name="Share via…")
    assert button.is_visible()
    button.click()
    page.wait_for_function("window.__shared.length > 0")
    assert page.evaluate("window.__shared") == [
        {"title": SEED_TITLE, "text": SEED_TITLE, "url": CANONICAL}]


def test_share_via_is_hidden_where_the_browser_cannot_share(seed):
    page = seed(NO_SHARE)
    assert page.evaluate("typeof navigator.share") == "undefined"
    assert page.locator("[data-bs-share-via]").is_hidden()
    assert page.get_by_role("button", name="Copy link").is_visible()


def test_closing_the_share_sheet_is_not_an_error(seed):
    page = seed("""Object.defineProperty(Navigator.prototype, "share", {configurable: true,
        value: function () { window.__asked = true;
          return Promise.reject(new DOMException("cancelled", "AbortError")); }});""")
    page.get_by_role("button", name="Share via…").click()
    page.wait_for_function("window.__asked === true")
    assert page.locator(".bs-share [role=status]").inner_text().strip() == ""
    assert page.locator("#bs-share-url").is_hidden()


# -- Mastodon ----------------------------------------------------------------------------------

def test_mastodon_asks_for_the_readers_server_and_remembers_it(seed):
    page = seed(RECORD_OPEN)
    link = page.get_by_role("link", name="Share on Mastodon")
    link.click()
    assert link.get_attribute("aria-expanded") == "true"
    server = page.get_by_role("textbox", name="Your Mastodon server (for example mastodon.social)")
    assert server.is_visible()
    assert page.evaluate("document.activeElement.id") == "bs-share-mastodon-instance"
    assert page.locator("#bs-share-mastodon-text").is_hidden()

    server.fill("@reader@Social.Example")
    server.press("Enter")
    opened = page.evaluate("window.__opened")
    assert len(opened) == 1
    url, target, features = opened[0]
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "social.example", "/share")
    assert parse_qs(parts.query) == {"text": [f"{SEED_TITLE} {CANONICAL}"]}
    assert target == "_blank" and "noopener" in features

    page.reload()
    page.wait_for_selector("[data-bs-share][data-bs-ready]", state="attached")
    page.get_by_role("link", name="Share on Mastodon").click()
    assert page.locator("#bs-share-mastodon-instance").input_value() == "social.example"


def test_mastodon_refuses_something_that_is_not_a_server(seed):
    page = seed(RECORD_OPEN)
    page.get_by_role("link", name="Share on Mastodon").click()
    server = page.locator("#bs-share-mastodon-instance")
    server.fill("not a server")
    page.get_by_role("button", name="Share on Mastodon").click()
    assert page.locator("#bs-share-mastodon-error").inner_text().startswith(
        "Enter the name of a Mastodon server")
    assert server.get_attribute("aria-invalid") == "true"
    assert page.evaluate("window.__opened") == []


# -- Without JavaScript ------------------------------------------------------------------------

@pytest.mark.parametrize("browser_context_args", [{"java_script_enabled": False}], indirect=True)
def test_without_javascript_links_and_the_url_field_remain(page, sample_site, serve_site):
    page.goto(serve_site(sample_site) + SEED)
    assert page.locator("[data-bs-copy]").is_hidden()
    assert page.locator("[data-bs-share-via]").is_hidden()
    field = page.get_by_role("textbox", name="Link to this article")
    assert field.is_visible() and field.input_value() == CANONICAL
    assert page.locator("a.bs-share__link").count() == 10
    assert page.locator("#bs-share-mastodon").is_hidden()
    page.get_by_role("link", name="Share on Mastodon").click()
    # The link leads to the panel (:target), which offers the post to copy.
    assert page.url.endswith("#bs-share-mastodon")
    text = page.locator("#bs-share-mastodon-text")
    assert text.is_visible()
    assert text.input_value() == f"{SEED_TITLE} {CANONICAL}"


# -- Material's instant navigation -------------------------------------------------------------

def test_works_after_instant_navigation(page, tmp_path, serve_site):
    project = copy_sample_project(tmp_path / "project")
    site = tmp_path / "site"
    site.mkdir()
    # Material navigates instantly only to pages in the sitemap, matched by host *and port*,
    # so the site's address is the local server's.
    base = serve_site(site)
    config_path = project / "mkdocs.yml"
    text = config_path.read_text(encoding="utf-8")
    assert "  features:\n" in text and "site_url: " in text
    text = text.replace("  features:\n", "  features:\n    - navigation.instant\n", 1)
    text = "\n".join(f"site_url: {base}" if line.startswith("site_url:") else line
                     for line in text.splitlines())
    config_path.write_text(text, encoding="utf-8")
    build_site(project, site)

    page.add_init_script(RECORD_SHARE)
    page.goto(base)
    page.wait_for_load_state("networkidle")  # Material has read the sitemap it navigates by
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name=SEED_TITLE).first.click()
    page.wait_for_selector("[data-bs-share][data-bs-ready]", state="attached")
    # Material swapped the content in: the document (and share.js) stayed the same.
    assert page.evaluate("window.__sameDocument") is True
    assert page.url == base + SEED
    page.get_by_role("button", name="Copy link").click()
    assert status_text(page) == "Link copied"
    assert page.evaluate("navigator.clipboard.readText()") == base + SEED
    page.get_by_role("button", name="Share via…").click()
    page.wait_for_function("window.__shared.length > 0")
    assert page.evaluate("window.__shared.map(d => d.url)") == [base + SEED]
    # The Mastodon link opens its panel in place instead of being followed as an anchor.
    mastodon = page.get_by_role("link", name="Share on Mastodon")
    mastodon.click()
    assert page.locator("#bs-share-mastodon-instance").is_visible()
    assert page.url == base + SEED
    mastodon.click()
    assert mastodon.get_attribute("aria-expanded") == "false"
    assert page.locator("#bs-share-mastodon").is_hidden()
    # Back to the list and forward again: still one set of handlers, one copy per click.
    page.go_back()
    page.wait_for_selector("[data-bs-share]", state="detached")
    page.get_by_role("link", name=SEED_TITLE).first.click()
    page.wait_for_selector("[data-bs-share][data-bs-ready]", state="attached")
    page.get_by_role("button", name="Share via…").click()
    page.wait_for_function("window.__shared.length > 1")
    assert page.evaluate("window.__shared.length") == 2
    assert page.evaluate("window.__sameDocument") is True


# -- Small screens, both palettes, accessibility -----------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_fits_375px_and_passes_axe_with_panels_open(browser, sample_site, serve_site, run_axe,
                                                     artifacts_dir, scheme):
    context = browser.new_context(viewport={"width": 375, "height": 800}, color_scheme=scheme,
                                  **CLIPBOARD)
    page = context.new_page()
    page.add_init_script(RECORD_SHARE + NO_CLIPBOARD)
    page.goto(serve_site(sample_site) + SEED)
    page.wait_for_selector("[data-bs-share][data-bs-ready]", state="attached")
    page.get_by_role("link", name="Share on Mastodon").click()
    page.get_by_role("button", name="Copy link").click()  # shows the fallback field and hint
    page.locator(".bs-share").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator(".bs-share").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    # The network links wrap in rows, not one per line.
    rows = {round(link.bounding_box()["y"]) for link in page.locator("a.bs-share__link").all()}
    assert len(rows) <= 2, rows
    for control in page.locator(".bs-share a, .bs-share button:visible").all():
        size = control.bounding_box()
        assert size["height"] >= 24 and size["width"] >= 24  # WCAG 2.2 target size
    page.locator(".bs-share").screenshot(path=str(artifacts_dir / f"share-375-{scheme}.png"))
    violations = run_axe(page)
    context.close()
    assert violations == []
