"""The source's excerpt is marked up as a quotation of the source."""

from __future__ import annotations

from broadsheet.excerpts import attribution_html, cite_excerpts
from broadsheet.strings import DEFAULT_STRINGS

SOURCE = {"name": "The Asia Times", "url": "https://asiatimes.example/story?a=1&b=2",
          "title": None, "author": None, "published_iso": None, "published_display": None}


def test_top_level_blockquotes_become_cited_figures():
    html = "<p>Intro:</p>\n<blockquote>\n<p>One</p>\n<blockquote><p>nested</p></blockquote>\n</blockquote>\n<p>After</p>"
    out = cite_excerpts(html, SOURCE, DEFAULT_STRINGS)
    assert out.count('<figure class="bs-excerpt">') == 1
    assert out.count('cite="https://asiatimes.example/story?a=1&amp;b=2"') == 1
    assert out.count("<blockquote>") == 1  # the nested one is left alone
    assert out.index("</figcaption></figure>") > out.rindex("</blockquote>")
    assert out.endswith("<p>After</p>")


def test_attribution_names_publication_headline_author_and_date():
    source = dict(SOURCE, title="Japan & Russia", author="J. Reporter",
                  published_iso="2014-07-01T00:00:00+00:00", published_display="1 July 2014")
    text = attribution_html(source, DEFAULT_STRINGS)
    assert text == ('— From <a href="https://asiatimes.example/story?a=1&amp;b=2"><cite>'
                    'Japan &amp; Russia</cite></a> by J. Reporter, The Asia Times, '
                    '<time datetime="2014-07-01T00:00:00+00:00">1 July 2014</time>')


def test_attribution_with_headline_only_separates_publication():
    text = attribution_html(dict(SOURCE, title="Headline"), DEFAULT_STRINGS)
    assert text.endswith("<cite>Headline</cite></a>, The Asia Times")


def test_attribution_escapes_markup():
    text = attribution_html(dict(SOURCE, name='<script>"x"</script>'), DEFAULT_STRINGS)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_no_blockquote_no_change():
    assert cite_excerpts("<p>plain</p>", SOURCE, DEFAULT_STRINGS) == "<p>plain</p>"
