"""Every text the templates show, in one place, so a site in another language edits config,
not templates (`plugins: - broadsheet: strings: {share_heading: "Partager"}`)."""

from __future__ import annotations

from string import Formatter

from .settings import SettingsError
from .validation import did_you_mean

DEFAULT_STRINGS: dict[str, str] = {
    # Article page
    "draft_marker": "Draft",
    "scheduled_marker": "Scheduled for {date}",
    "preview_only": "visible only in this preview",
    "byline_by": "By",
    "updated": "Updated",
    "reading_time": "{minutes} min read",
    "tags_label": "Tags",
    # Source
    "continue_reading": "Continue to the full article…",
    "continue_reading_at": "at {source}",
    "source_attribution": "From",
    "source_by": "by",
    # Author box
    "about_author": "About the author",
    "more_from": "More from {name}",
    # Share
    "share_heading": "Share this article",
    "share_via": "Share via…",
    "copy_link": "Copy link",
    "link_copied": "Link copied",
    "copy_failed": "Press Ctrl+C (⌘C on a Mac) to copy the link",
    "share_on": "Share on {network}",
    "share_by_email": "Share by email",
    "mastodon_prompt": "Your Mastodon server (for example mastodon.social)",
    "mastodon_invalid": "Enter the name of a Mastodon server, for example mastodon.social",
    "mastodon_copy_hint": "Copy this into a new post on your Mastodon server:",
    "share_link_label": "Link to this article",
    # Newsletter
    "newsletter_heading": "Stay in the loop",
    "newsletter_text": "Get our new articles delivered straight to your inbox, right as we publish them.",
    "newsletter_email_label": "Email address",
    "newsletter_button": "Subscribe",
    "newsletter_consent": "We use your email address only to send you the newsletter. Unsubscribe at any time.",
    "newsletter_thanks": "Thanks for subscribing! Please check your inbox to confirm.",
    "newsletter_feeds": "Follow new articles in your feed reader:",
    "newsletter_privacy": "Privacy policy",
    "newsletter_honeypot_label": "Leave this field empty",
    # Feeds: the titles of the tag and author feeds (the site feed is titled site_name)
    "feed_title_tag": "{site} — {tag}",
    "feed_title_author": "{site} — {author}",
    # Listings: home, archive, tag and author pages, and around each article
    "home_heading": "Latest articles",
    # Pages are numbered from the oldest (listings.py), so a page says no total.
    "page_of": "Page {page}",
    "paged_title": "{title} — {page_of}",
    "pagination_label": "Pages",
    "page_label": "Page",
    "front_page": "Latest",
    "previous_page": "Newer",
    "next_page": "Older",
    "read_more": "Read more",
    "read_more_about": "about “{title}”",
    "read_at": "Read at {source}",
    "card_source": "via {source}",
    "article_count": "{count} articles",
    "article_count_one": "1 article",
    "no_articles": "No articles yet.",
    "archive_heading": "Archive",
    "month_heading": "{month} {year}",
    "tags_heading": "Tags",
    "tag_heading": "Articles tagged “{tag}”",
    "authors_heading": "Authors",
    "author_articles": "Articles by {name}",
    "related_heading": "Related articles",
    "prevnext_label": "Newer and older articles",
    "newer_article": "Newer",
    "older_article": "Older",
    # Search (the header button, the search page; Pagefind translates its own UI by language)
    "search": "Search",
    "search_needs_js": "Search needs JavaScript. You can still browse articles by tag, author or date.",
    "search_not_ready": "Search is not available yet: the search index has not been built. In a preview it is ready a few seconds after each change; reload the page.",
    # Digest: the email issue `broadsheet digest` writes (it also uses byline_by and
    # continue_reading)
    "digest_title": "{site} — {date}",
    "digest_read_on": "Read on {site}",
    "digest_source": "From {source}",
    "digest_source_title": "From {source}: “{title}”",
    "digest_footer": "You are receiving this email because you subscribed to {site}.",
    # 404: the page GitHub Pages (and `mkdocs serve`) shows for an address with no page
    "not_found_title": "Page not found",
    "not_found_text": "Sorry, there is no page at this address. It may have moved, or the link you followed may be mistyped.",
    "not_found_next": "You could try:",
    "not_found_home": "The latest articles on the home page",
    "not_found_archive": "Every article in the archive",
    "not_found_search": "Search the site",
    "not_found_search_button": "Search",
    # Share-card images
    "card_via": "via {source}",
    # Problems shown in preview
    "problems_heading": "This article has problems and will not be published",
    # Dates: month names, so dates need no locale on the build machine
    "months": "January February March April May June July August September October November December",
}


def resolve_strings(overrides: dict | None) -> dict[str, str]:
    """Defaults with the site's overrides; an unknown key is a typo, so it is an error."""
    strings = dict(DEFAULT_STRINGS)
    for key, value in (overrides or {}).items():
        if key not in DEFAULT_STRINGS:
            hint = did_you_mean(str(key), DEFAULT_STRINGS) or "see the README for the list"
            raise SettingsError(f"strings.{key}: unknown string — {hint}")
        if not isinstance(value, str):
            raise SettingsError(f"strings.{key}: must be text")
        _check_placeholders(key, value)
        strings[key] = value
    if len(strings["months"].split()) != 12:
        raise SettingsError("strings.months: must list twelve month names separated by spaces")
    return strings


def placeholders(text: str) -> list[str]:
    """The {names} in a string, in order; ValueError when its braces do not pair up."""
    return [name for _, name, _, _ in Formatter().parse(text) if name is not None]


def _check_placeholders(key: str, value: str) -> None:
    """An override may use only the placeholders of the default text, so that every
    `strings[key].format(...)` in the code is safe once the site's strings are loaded."""
    allowed = placeholders(DEFAULT_STRINGS[key])
    names = ", ".join("{" + name + "}" for name in allowed) or "none"
    try:
        used = placeholders(value)
    except ValueError:
        raise SettingsError(f"strings.{key}: {value!r} has an unpaired brace — write {{{{ or "
                            f"}}}} for a literal brace; its placeholders are {names}") from None
    for name in used:
        if name not in allowed:
            raise SettingsError(f"strings.{key}: unknown placeholder {{{name}}} in {value!r} — "
                                f"its placeholders are {names}")
