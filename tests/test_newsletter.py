"""The newsletter block's config: provider presets, clear errors, no secrets, feed fallback."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from broadsheet import newsletter
from broadsheet.newsletter import looks_like_secret, newsletter_view, parse_newsletter_config
from broadsheet.settings import Settings, SettingsError
from broadsheet.strings import resolve_strings

LIST_UUID = "c4b27b6e-eb38-11e9-be00-06b4694bee2a"
MC_U = "019b89996f54b9a71caae3986"
MC_ID = "f64fadfa72"


def view(options: dict, strings: dict | None = None,
         site_url: str = "https://news.example.org/") -> dict | None:
    return newsletter_view(Settings(newsletter=options, strings=resolve_strings(strings),
                                    site_url=site_url))


def error(options: dict) -> str:
    with pytest.raises(SettingsError) as raised:
        parse_newsletter_config(options)
    return str(raised.value)


# -- presets ----------------------------------------------------------------------------------

def test_buttondown_posts_email_to_the_users_embed_address():
    form = view({"provider": "buttondown", "username": "broadsheet-demo"})["form"]
    assert form["action"] == "https://buttondown.com/api/emails/embed-subscribe/broadsheet-demo"
    assert form["email_field"] == "email"
    assert {"name": "embed", "value": "1"} in form["hidden"]
    assert form["honeypot"] is None  # Buttondown documents none: nothing unknown is sent


def test_mailchimp_builds_the_list_manage_address_and_its_honeypot():
    form = view({"provider": "mailchimp", "dc": "us21", "u": MC_U, "id": MC_ID})["form"]
    parts = urlsplit(form["action"])
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "us21.list-manage.com",
                                                        "/subscribe/post")
    assert parse_qs(parts.query) == {"u": [MC_U], "id": [MC_ID]}
    assert form["email_field"] == "EMAIL"
    assert form["honeypot"] == f"b_{MC_U}_{MC_ID}"


@pytest.mark.parametrize("provider", ["kit", "convertkit", "Kit"])
def test_kit_and_its_old_name_post_email_address_to_the_form(provider):
    form = view({"provider": provider, "form_id": 1234567})["form"]
    assert form["action"] == "https://app.kit.com/forms/1234567/subscriptions"
    assert form["email_field"] == "email_address"


def test_emailoctopus_uses_field_0_the_list_honeypot_and_a_return_address():
    form = view({"provider": "emailoctopus", "list_id": LIST_UUID.upper()})["form"]
    assert form["action"] == (
        f"https://emailoctopus.com/lists/{LIST_UUID}/members/embedded/1.3/add")
    assert form["email_field"] == "field_0"
    assert form["honeypot"] == f"hp{LIST_UUID}"
    assert form["redirect_field"] == "successRedirectUrl"
    assert form["return_suffix"] == "?subscribed=1#bs-newsletter-thanks"


def test_listmonk_posts_to_the_servers_form_with_lists_and_nonce_honeypot():
    other = "0b8c7e5a-1d2e-4f60-8a9b-0c1d2e3f4a5b"
    form = view({"provider": "listmonk", "root_url": "https://lists.example.org/",
                 "list_uuid": [LIST_UUID, other]})["form"]
    assert form["action"] == "https://lists.example.org/subscription/form"
    assert form["email_field"] == "email"
    assert form["hidden"] == [{"name": "l", "value": LIST_UUID}, {"name": "l", "value": other}]
    assert form["honeypot"] == "nonce"


def test_listmonk_accepts_a_single_list_uuid():
    form = view({"provider": "listmonk", "root_url": "https://lists.example.org",
                 "list_uuid": LIST_UUID})["form"]
    assert form["hidden"] == [{"name": "l", "value": LIST_UUID}]


def test_generic_form_takes_its_field_names_and_extra_hidden_fields():
    form = view({"provider": "form", "action": "https://signup.example.org/join?src=site",
                 "email_field": "member[email]", "honeypot_field": "website",
                 "redirect_field": "next", "hidden": {"list": "weekly", "group": 7}})["form"]
    assert form["action"] == "https://signup.example.org/join?src=site"
    assert form["email_field"] == "member[email]"
    assert form["honeypot"] == "website"
    assert form["redirect_field"] == "next"
    assert form["hidden"] == [{"name": "list", "value": "weekly"},
                              {"name": "group", "value": "7"}]


def test_generic_form_has_a_default_email_field_and_honeypot():
    form = view({"provider": "form", "action": "https://signup.example.org/"})["form"]
    assert form["email_field"] == "email"
    assert form["honeypot"] == newsletter.DEFAULT_HONEYPOT
    assert form["redirect_field"] is None


def test_plain_http_is_accepted_only_on_this_machine():
    form = view({"provider": "form", "action": "http://127.0.0.1:8123/subscribe"})["form"]
    assert form["action"] == "http://127.0.0.1:8123/subscribe"
    assert "must use https://" in error({"provider": "form",
                                         "action": "http://signup.example.org/"})


# -- texts, placement, privacy ----------------------------------------------------------------

def test_defaults_come_from_the_strings():
    shown = view({"provider": "buttondown", "username": "broadsheet-demo"})
    assert shown["heading"] == "Stay in the loop"
    assert shown["text"].startswith("Get our new articles delivered straight to your inbox")
    assert shown["consent"] == resolve_strings(None)["newsletter_consent"]
    assert shown["placement"] == ["article"] and shown["on_article"] and not shown["on_home"]


def test_strings_overrides_and_block_options_both_set_the_texts():
    by_strings = view({}, {"newsletter_heading": "Restez informé"})
    assert by_strings["heading"] == "Restez informé"
    by_block = view({"heading": "Weekly digest", "text": "Once a week.", "consent": "No spam."},
                    {"newsletter_heading": "Restez informé"})
    assert (by_block["heading"], by_block["text"], by_block["consent"]) == (
        "Weekly digest", "Once a week.", "No spam.")


def test_placement_can_add_the_home_page():
    shown = view({"placement": ["article", "home"]})
    assert shown["on_article"] and shown["on_home"]
    assert view({"placement": "home"})["on_article"] is False


@pytest.mark.parametrize("given, url, external", [
    ("privacy/", "privacy/", False),
    ("/about/privacy/", "about/privacy/", False),
    ("https://example.org/privacy", "https://example.org/privacy", True),
])
def test_privacy_link_is_a_site_page_or_an_absolute_url(given, url, external):
    shown = view({"privacy_url": given})
    assert (shown["privacy_url"], shown["privacy_url_is_external"]) == (url, external)


def test_enabled_false_hides_the_block():
    assert view({"enabled": False, "provider": "kit", "form_id": 1}) is None


# -- no provider: the feeds -------------------------------------------------------------------

def test_without_a_provider_the_block_offers_the_feeds_and_warns():
    shown = view({})
    assert shown["form"] is None
    assert [feed["url"] for feed in shown["feeds"]] == ["feed.xml", "atom.xml", "feed.json"]
    assert all(not feed["url"].startswith("/") for feed in shown["feeds"])  # for `| url`
    assert "no provider" in shown["warning"] and "\n" not in shown["warning"]


def test_without_a_provider_or_feeds_there_is_nothing_to_show_and_the_warning_says_so():
    # Feeds are made only when the site has a site_url.
    shown = view({}, site_url="")
    assert shown["form"] is None and shown["feeds"] == []
    assert "no feeds" in shown["warning"] and "site_url" in shown["warning"]


def test_with_a_provider_there_is_no_warning_and_no_feeds():
    shown = view({"provider": "kit", "form_id": "42"})
    assert shown["warning"] is None and shown["feeds"] == []


# -- errors: which key, what is wrong, how to fix ---------------------------------------------

@pytest.mark.parametrize("options, expected", [
    ({"provider": "buttondown"}, ["newsletter.username: missing", "buttondown.com/<username>"]),
    ({"provider": "buttondwn", "username": "x"},
     ["newsletter.provider: unknown provider 'buttondwn'", "did you mean 'buttondown'?"]),
    ({"provider": "sendgrid"}, ["newsletter.provider: unknown provider", "use one of"]),
    ({"provider": "buttondown", "usename": "x"},
     ["newsletter.usename: unknown option", "did you mean 'username'?"]),
    ({"provider": "kit", "form_id": 1, "username": "x"},
     ["newsletter.username: not an option of provider 'kit'", "belongs to buttondown"]),
    ({"username": "broadsheet-demo"},
     ["newsletter.provider: missing", "add provider: buttondown"]),
    ({"provider": "form", "action": "http://signup.example.org/"},
     ["newsletter.action: must use https://"]),
    ({"provider": "form", "action": "ftp://signup.example.org/"},
     ["newsletter.action:", "https://"]),
    ({"provider": "form", "action": "javascript:alert(1)"}, ["newsletter.action:"]),
    ({"provider": "form"}, ["newsletter.action: missing"]),
    ({"provider": "form", "action": "https://a.example.org/", "email_field": "e mail"},
     ["newsletter.email_field: 'e mail' is not a form field name"]),
    ({"provider": "form", "action": "https://a.example.org/", "hidden": ["x"]},
     ["newsletter.hidden: must map field names to values"]),
    ({"provider": "form", "action": "https://a.example.org/", "hidden": {"email": "x"}},
     ["newsletter.hidden.email: already used"]),
    ({"provider": "form", "action": "https://a.example.org/", "honeypot_field": "email"},
     ["newsletter.honeypot_field:", "must be different names"]),
    ({"provider": "mailchimp", "dc": "eu1", "u": MC_U, "id": MC_ID},
     ["newsletter.dc: 'eu1' is not valid", "us21"]),
    ({"provider": "mailchimp", "dc": "us21", "id": MC_ID}, ["newsletter.u: missing"]),
    ({"provider": "mailchimp", "dc": "us21", "u": MC_U, "id": "not-hex"},
     ["newsletter.id: 'not-hex' is not valid"]),
    ({"provider": "kit", "form_id": "https://app.kit.com/forms/12/subscriptions"},
     ["newsletter.form_id:", "is not valid", "the number"]),
    ({"provider": "emailoctopus", "list_id": "my-list"},
     ["newsletter.list_id: 'my-list' is not valid", "UUID"]),
    ({"provider": "listmonk", "list_uuid": LIST_UUID}, ["newsletter.root_url: missing"]),
    ({"provider": "listmonk", "root_url": "https://lists.example.org/?a=1",
      "list_uuid": LIST_UUID}, ["newsletter.root_url: must be the server's address"]),
    ({"provider": "listmonk", "root_url": "https://lists.example.org", "list_uuid": []},
     ["newsletter.list_uuid: missing"]),
    ({"provider": "buttondown", "username": "bad name!"},
     ["newsletter.username: 'bad name!' is not valid"]),
    ({"placement": ["artcle"]},
     ["newsletter.placement: unknown place 'artcle'", "did you mean 'article'?"]),
    ({"placement": {"a": 1}}, ["newsletter.placement: must be a list"]),
    ({"heading": ""}, ["newsletter.heading: must be a line of text"]),
    ({"text": "x" * 600}, ["newsletter.text: is 600 characters long"]),
    ({"consent": "bad\x07bell"}, ["newsletter.consent: contains the control character U+0007"]),
    ({"privacy_url": "javascript:alert(1)"}, ["newsletter.privacy_url:", "is not an address"]),
    ({"privacy_url": "https://"}, ["newsletter.privacy_url:", "https://"]),
    ({"enabled": "yes"}, ["newsletter.enabled: must be true or false"]),
    ({"colour": "red"}, ["newsletter.colour: unknown option", "the options are"]),
])
def test_config_errors_name_the_key_and_say_how_to_fix(options, expected):
    message = error(options)
    for part in expected:
        assert part in message, message
    assert message.startswith("newsletter") and " — " in message, message


def test_settings_error_is_raised_for_a_non_mapping():
    assert "must be a mapping" in error(["buttondown"])


# -- secrets ----------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["api_key", "apiKey", "token", "access_token", "secret",
                                 "password", "client_secret", "auth"])
def test_keys_that_name_a_secret_are_refused(key):
    message = error({"provider": "buttondown", "username": "broadsheet-demo", key: "x"})
    assert f"newsletter.{key}: looks like an API key, token or password" in message
    assert "a static site cannot keep a secret" in message


def test_a_secret_inside_the_hidden_fields_is_refused():
    message = error({"provider": "form", "action": "https://a.example.org/",
                     "hidden": {"api_token": "abc"}})
    assert "newsletter.hidden.api_token: looks like an API key" in message


# Fixed, made-up values in the shape of real secrets.
FAKE_SECRETS = {
    "mailchimp": "0123456789abcdef0123456789abcdef-us21",
    "stripe": "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "github": "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "slack": "xoxb-1234567890-abcdefghij",
    "aws": "AKIAIOSFODNN7EXAMPLE",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
    "kit": "kit_a1b2c3d4e5f6a7b8c9d0e1f2",
    "random mixed case": "Zq8vN3xK7pL2mR9tW4yB6cD1fG5hJ0sA",
    "random lower case": "ieqh524yng5by1a2rogubbb8ayn1b7o259owoo3s",
    "hex": "745d445d6b7880a2d0250f152bca9161",
}


@pytest.mark.parametrize("kind", sorted(FAKE_SECRETS))
def test_values_that_look_like_keys_are_refused_wherever_they_are(kind):
    secret = FAKE_SECRETS[kind]
    assert looks_like_secret(secret)
    for options, key in [
        ({"provider": "buttondown", "username": secret}, "newsletter.username"),
        ({"provider": "form", "action": "https://a.example.org/", "hidden": {"list": secret}},
         "newsletter.hidden.list"),
        ({"provider": "form", "action": f"https://a.example.org/join?k={secret}"},
         "newsletter.action"),
        ({"consent": f"We keep it safe {secret}"}, "newsletter.consent"),
    ]:
        message = error(options)
        assert message.startswith(f"{key}: looks like"), message
        assert "not a public id" in message


def test_a_uuid_as_buttondown_username_is_refused_as_a_key():
    message = error({"provider": "buttondown", "username": LIST_UUID})
    assert "newsletter.username: looks like an API key (a UUID)" in message


def test_a_url_with_credentials_is_refused():
    message = error({"provider": "form", "action": "https://user:hunter2@a.example.org/"})
    assert message.startswith("newsletter.action: looks like a URL with a password")


@pytest.mark.parametrize("value", [
    LIST_UUID, MC_U, "1234567", "broadsheet-demo", "Broadsheet-Demo-2024-Newsletter-Weekly",
    "https://emailoctopus.com/lists/c4b27b6e-eb38-11e9-be00-06b4694bee2a/members/embedded/1.3/add",
    "We use your email address only to send you the newsletter.",
])
def test_public_ids_and_ordinary_text_are_not_taken_for_secrets(value):
    assert looks_like_secret(value) is None
