"""Repairs to Material's markup: each one changes what it should, nothing else, and still
matches the markup the installed Material actually writes."""

from __future__ import annotations

from pathlib import Path

import material

from broadsheet import html_fixes

MATERIAL_BASE = Path(material.__file__).parent / "templates" / "base.html"


def test_toggle_checkboxes_lose_autocomplete():
    html = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
            'autocomplete="off">')
    assert html_fixes.drop_toggle_autocomplete(html) == (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">')


def test_autocomplete_stays_where_html_allows_it():
    search = ('<input type="text" class="md-search__input" name="query" autocomplete="off" '
              'required>')
    email = '<input type="email" name="email" autocomplete="email">'
    page = search + email
    assert html_fixes.drop_toggle_autocomplete(page) == page


def test_radio_before_type_attribute_is_fixed_too():
    html = '<input autocomplete="off" name="x" type="radio"><p>autocomplete="off"</p>'
    assert html_fixes.drop_toggle_autocomplete(html) == (
        '<input name="x" type="radio"><p>autocomplete="off"</p>')


def test_search_dialog_gets_a_name_once():
    html = '<div class="md-search" data-md-component="search" role="dialog">'
    fixed = html_fixes.fix_page(html)
    assert fixed == ('<div class="md-search" data-md-component="search" role="dialog" '
                     'aria-label="Search">')
    assert html_fixes.fix_page(fixed) == fixed


def test_fixes_still_match_the_installed_material_templates():
    # If Material changes this markup the fixes silently stop matching; this says so first.
    base = MATERIAL_BASE.read_text(encoding="utf-8")
    toggles = [line.strip() for line in base.splitlines() if 'class="md-toggle"' in line]
    assert len(toggles) == 2 and all('autocomplete="off"' in t for t in toggles)
    for toggle in toggles:
        assert 'autocomplete' not in html_fixes.fix_page(toggle)
    search = (Path(material.__file__).parent / "templates" / "partials" / "search.html")
    assert html_fixes._SEARCH_DIALOG in search.read_text(encoding="utf-8")


def test_toc_title_without_its_toggle_becomes_a_plain_title():
    from broadsheet.html_fixes import unlabel_missing_toc_toggle
    page = ('<nav><label class="md-nav__title" for="__toc"><span class="md-icon"></span>'
            'Table of contents</label><ul></ul></nav>')
    assert unlabel_missing_toc_toggle(page) == (
        '<nav><div class="md-nav__title"><span class="md-icon"></span>Table of contents'
        '</div><ul></ul></nav>')
    with_toggle = '<input type="checkbox" id="__toc">' + page
    assert unlabel_missing_toc_toggle(with_toggle) == with_toggle
