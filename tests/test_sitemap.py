"""sitemap.sitemap_xml: Broadsheet writes sitemap.xml itself, to the byte what MkDocs' own
template writes for the same pages (the adapter then skips MkDocs' Jinja loop)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2
import mkdocs

from broadsheet.sitemap import sitemap_xml

MKDOCS_TEMPLATE = Path(mkdocs.__file__).parent / "templates" / "sitemap.xml"


def page(canonical_url=None, abs_url=None, update_date="", is_link=False):
    return SimpleNamespace(canonical_url=canonical_url, abs_url=abs_url,
                           update_date=update_date, is_link=is_link)


def mkdocs_sitemap(pages) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(MKDOCS_TEMPLATE.parent))
    files = [SimpleNamespace(page=p) for p in pages]
    return env.get_template("sitemap.xml").render(pages=files)


def entries(pages):
    # What the adapter passes: the pages MkDocs' template would list, in the same order.
    return [(p.canonical_url or p.abs_url, p.update_date) for p in pages
            if not p.is_link and (p.canonical_url or p.abs_url)]


def test_the_same_bytes_as_mkdocs_own_template():
    pages = [
        page("https://news.example.org/", "/", "2026-11-20T09:00:00+00:00"),
        page("https://news.example.org/search/", "/search/"),  # undated: no <lastmod>
        page("https://news.example.org/a&b/'q'/\"x\"/<y>/", "/a&b/", "2026-01-02"),
        page(None, "/only-absolute/", "2025-05-05T00:00:00+00:00"),
        page("https://elsewhere.example/", None, is_link=True),  # a link in the nav
        page(None, None, "2024-01-01"),  # no site_url: no address at all
    ]
    assert sitemap_xml(entries(pages)) == mkdocs_sitemap(pages)


def test_an_empty_site_has_an_empty_urlset_like_mkdocs():
    assert sitemap_xml([]) == mkdocs_sitemap([])
    assert sitemap_xml([]).endswith("<urlset xmlns=\"http://www.sitemaps.org/schemas/"
                                    "sitemap/0.9\">\n</urlset>")


def test_addresses_are_escaped_for_xml():
    text = sitemap_xml([("https://x.example/?a=1&b=<2>", "")])
    assert "<loc>https://x.example/?a=1&amp;b=&lt;2&gt;</loc>" in text


def test_a_built_site_has_the_sitemap_mkdocs_would_write(tmp_path):
    # The same site twice: once as it is (Broadsheet writes sitemap.xml), once with a copy
    # of MkDocs' template in the custom folder, which hands the sitemap back to MkDocs.
    import shutil

    from sitekit import TEMPLATES, make_site, meta, mkdocs_yml

    articles = {f"s{n}.md": meta(title=f"Story {n}", date=f"2026-10-{n:02d}",
                                 tags=["energy", "trade & ports"]) for n in range(1, 8)}
    ours = make_site(tmp_path / "ours", articles=articles)
    theirs = make_site(tmp_path / "theirs", articles=articles)
    custom = tmp_path / "templates"
    shutil.copytree(TEMPLATES, custom)
    shutil.copy(MKDOCS_TEMPLATE, custom / "sitemap.xml")
    theirs.config.write_text(mkdocs_yml(custom_dir=custom), encoding="utf-8")
    for site in (ours, theirs):
        result = site.build()
        assert result.returncode == 0, result.stderr
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert (ours.site_dir / name).read_bytes() == (theirs.site_dir / name).read_bytes()
    text = (ours.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert text.count("<url>") >= 7 + 3  # the stories, home, a tag, an archive…
    assert "<lastmod>2026-10-07T00:00:00+00:00</lastmod>" in text


def test_the_plugin_leaves_an_overridden_sitemap_to_mkdocs(tmp_path):
    from mkdocs.config import load_config

    from sitekit import make_site, mkdocs_yml

    site = make_site(tmp_path / "site")
    config = load_config(config_file=str(site.config))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    assert "sitemap.xml" not in config.theme.static_templates  # ours to write

    custom = tmp_path / "templates"
    custom.mkdir()
    (custom / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    site.config.write_text(mkdocs_yml(custom_dir=custom), encoding="utf-8")
    config = load_config(config_file=str(site.config))
    config = config.plugins.on_config(config)
    assert "sitemap.xml" in config.theme.static_templates  # the site's own template


def test_a_hook_on_the_template_events_still_sees_the_sitemap(tmp_path):
    from sitekit import make_site, meta

    site = make_site(tmp_path / "site", articles={"s.md": meta(title="Story")})
    (site.root / "hook.py").write_text(
        "def on_post_template(output_content, template_name, config):\n"
        "    if template_name == 'sitemap.xml':\n"
        "        return output_content.replace('</urlset>', '<!-- hooked --></urlset>')\n"
        "    return output_content\n", encoding="utf-8")
    site.config.write_text(site.config.read_text(encoding="utf-8") + "hooks:\n  - hook.py\n",
                           encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "<!-- hooked -->" in (site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
