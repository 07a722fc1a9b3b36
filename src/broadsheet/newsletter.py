"""The "Stay in the loop" newsletter block: provider presets, checked config, no secrets.

The block is a plain HTML form that POSTs to the provider's *public* embedded-form endpoint,
so it works without JavaScript and without any server of ours. A static site can keep no
secret: whatever mkdocs.yml gives the page, every reader can read. So the config is refused
when anything in it looks like an API key, token or password.

With no provider configured the block offers the site's feeds instead, and the view carries a
one-line `warning` for the build log.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from urllib.parse import quote, urlencode, urlsplit

from .feeds import FORMATS, SITE_FORMATS
from .settings import SettingsError
from .validation import absolute_http_url, control_character, did_you_mean

PROVIDERS = ("buttondown", "mailchimp", "kit", "emailoctopus", "listmonk", "form")
ALIASES = {"convertkit": "kit"}
COMMON_KEYS = ("provider", "enabled", "heading", "text", "consent", "privacy_url", "placement")
PROVIDER_KEYS = {
    "buttondown": ("username",),
    "mailchimp": ("dc", "u", "id"),
    "kit": ("form_id",),
    "emailoctopus": ("list_id",),
    "listmonk": ("root_url", "list_uuid"),
    "form": ("action", "email_field", "honeypot_field", "redirect_field", "hidden"),
}
PLACEMENTS = ("article", "home")
DEFAULT_PLACEMENT = ("article",)

THANKS_PARAM = "subscribed"
THANKS_ID = "bs-newsletter-thanks"
DEFAULT_HONEYPOT = "bs_website"
"""The generic form's honeypot name: a plausible field a bot fills, that no person sees."""

# The site's feeds (feeds.py), site-relative so the template passes them through `| url`.
FEEDS = tuple({"label": FORMATS[fmt]["label"], "url": FORMATS[fmt]["file"],
               "type": FORMATS[fmt]["type"]} for fmt in SITE_FORMATS)
_SET_PROVIDER = ("set newsletter.provider (" + ", ".join(PROVIDERS) + ") to show a signup "
                 "form")
NO_PROVIDER_WARNING = ("newsletter: no provider configured, so the newsletter block links to "
                       "the feeds instead — " + _SET_PROVIDER)
NO_PROVIDER_NO_FEEDS_WARNING = ("newsletter: no provider configured and no feeds to offer "
                                "(they need site_url), so the newsletter block is left out — "
                                + _SET_PROVIDER)

MAX_TEXT = 500
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_FIELD_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-\[\].:]{0,99}$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")

# -- secrets ----------------------------------------------------------------------------------

_SECRET_KEY_WORDS = ("apikey", "api_key", "api-key", "secret", "token", "password", "passwd",
                     "private_key", "privatekey", "access_key", "accesskey", "credential")
_SECRET_KEY_PARTS = {"auth", "authorization", "bearer", "pwd", "pass", "key"}

# Known shapes of secrets. The Kit (`kit_…`) and EmailOctopus (`eo_…`) prefixes are those of
# their current API keys as far as we know; a wrong guess only makes the check stricter.
_TOKEN_PATTERNS = (
    (re.compile(r"\b[rs]k_(live|test)_[0-9A-Za-z]{8,}"), "a Stripe secret key"),
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{20,}"), "a secret API key"),
    (re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,})"), "a GitHub token"),
    (re.compile(r"\bglpat-[\w\-]{20,}"), "a GitLab token"),
    (re.compile(r"\bxox[abprs]-[\w\-]{10,}"), "a Slack token"),
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key"),
    (re.compile(r"\bAIza[\w\-]{30,}"), "a Google API key"),
    (re.compile(r"\b[0-9a-f]{32}-us\d{1,3}\b"), "a Mailchimp API key"),
    (re.compile(r"\bkit_[A-Za-z0-9]{16,}"), "a Kit API key"),
    (re.compile(r"\beo_[A-Za-z0-9]{16,}"), "an EmailOctopus API key"),
    (re.compile(r"\beyJ[\w\-]{5,}\.[\w\-]{5,}\.[\w\-]{5,}"), "a JSON Web Token"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY"), "a private key"),
    (re.compile(r"\bBearer\s+\S{10,}", re.I), "an Authorization header"),
)
_RANDOM_RUN_RE = re.compile(r"[A-Za-z0-9_\-]{32,}")
_HEX_RUN_RE = re.compile(r"^[0-9a-fA-F]{32,}$")


def _secret_key(key: str) -> bool:
    lowered = key.lower()
    parts = set(re.split(r"[_\-\s.\[\]]+", lowered))
    return any(word in lowered for word in _SECRET_KEY_WORDS) or bool(parts & _SECRET_KEY_PARTS)


def _entropy(text: str) -> float:
    """Shannon entropy in bits per character: random keys score high, words score low."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_like_secret(value: str) -> str | None:
    """What kind of secret `value` looks like, or None.

    Public ids (UUIDs, Mailchimp's 25-hex `u`, numeric form ids) pass; long random strings
    (mixed case and digits, high entropy, or 32+ hex digits) and known token shapes do not.
    """
    for pattern, what in _TOKEN_PATTERNS:
        if pattern.search(value):
            return what
    parts = urlsplit(value) if "://" in value else None
    if parts and parts.password:
        return "a URL with a password in it"
    for run in _RANDOM_RUN_RE.findall(value):
        if _UUID_RE.match(run):
            continue
        if _HEX_RUN_RE.match(run):
            return "a random key (32 or more hex digits)"
        has_digit = any(c.isdigit() for c in run)
        mixed_case = any(c.islower() for c in run) and any(c.isupper() for c in run)
        # Words and slugs stay near 4 bits a character and keep their digits together;
        # random keys of this length reach 4.5 bits, or switch between letters and digits often.
        switches = sum(a.isalnum() and b.isalnum() and a.isdigit() != b.isdigit()
                       for a, b in zip(run, run[1:]))
        if has_digit and (mixed_case and _entropy(run) >= 4.2 or switches >= len(run) / 5):
            return "a random key or token"
    return None


_SECRET_HELP = ("a static site cannot keep a secret: every reader can see what the page "
                "holds. Remove it; the signup form needs only the provider's public form "
                "address and ids")


def _refuse_secrets(options, path: str = "newsletter") -> None:
    """Walk every key and value: a secret anywhere in the block's config is an error."""
    if isinstance(options, dict):
        for key, value in options.items():
            where = f"{path}.{key}"
            if _secret_key(str(key)):
                raise SettingsError(f"{where}: looks like an API key, token or password — "
                                    + _SECRET_HELP)
            _refuse_secrets(value, where)
    elif isinstance(options, (list, tuple)):
        for index, value in enumerate(options):
            _refuse_secrets(value, f"{path}[{index}]")
    elif isinstance(options, str):
        what = looks_like_secret(options)
        if what:
            raise SettingsError(f"{path}: looks like {what}, not a public id — {_SECRET_HELP}")


# -- checking values --------------------------------------------------------------------------

def _text(key: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"newsletter.{key}: must be a line of text (got {value!r}) — "
                            "write the text, or leave the option out for the default")
    if len(value) > MAX_TEXT:
        raise SettingsError(f"newsletter.{key}: is {len(value)} characters long — keep it "
                            f"under {MAX_TEXT}")
    if control_character(value):
        raise SettingsError(f"newsletter.{key}: contains the control character "
                            f"{control_character(value)} — remove it")
    return value.strip()


def _id(key: str, value, pattern: str, how: str, flags: int = 0) -> str:
    """A provider id: a strict shape, so a pasted key or URL is caught here, not by readers."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SettingsError(f"newsletter.{key}: must be text — {how}")
    text = str(value).strip()
    if not re.fullmatch(pattern, text, flags):
        raise SettingsError(f"newsletter.{key}: {text[:60]!r} is not valid — {how}")
    return text


def _required(options: dict, provider: str, key: str, how: str):
    value = options.get(key)
    if value is None or value == "" or value == [] or value == {}:
        raise SettingsError(f"newsletter.{key}: missing — provider '{provider}' needs it: "
                            f"{how}")
    return value


def _https_url(key: str, value) -> str:
    """An absolute https URL; plain http only on this machine (loopback), for local tests."""
    if not isinstance(value, str):
        raise SettingsError(f"newsletter.{key}: must be a URL — write the full https:// "
                            "address")
    problem = absolute_http_url(value.strip())
    if problem:
        raise SettingsError(f"newsletter.{key}: {problem} — write the full https:// address")
    parts = urlsplit(value.strip())
    if parts.scheme.lower() != "https" and parts.hostname not in _LOOPBACK:
        raise SettingsError(f"newsletter.{key}: must use https:// (got {value[:60]!r}) — a "
                            "form posting over http:// sends readers' addresses in clear text")
    if parts.username or parts.password:
        raise SettingsError(f"newsletter.{key}: must not contain a user name or password — "
                            + _SECRET_HELP)
    return value.strip()


def _field_name(key: str, value) -> str:
    if not isinstance(value, str) or not _FIELD_NAME_RE.match(value):
        raise SettingsError(f"newsletter.{key}: {value!r} is not a form field name — use "
                            "letters, digits and _ - . : [ ] (e.g. 'email')")
    return value


def _privacy_url(value) -> tuple[str, bool]:
    """(url, is_external): an https page elsewhere, or a page of this site such as privacy/."""
    if not isinstance(value, str) or not value.strip():
        raise SettingsError("newsletter.privacy_url: must be an address — a page of this "
                            "site such as 'privacy/', or 'https://example.org/privacy'")
    value = value.strip()
    if "://" in value or value.startswith("//"):
        problem = absolute_http_url(value)
        if problem:
            raise SettingsError(f"newsletter.privacy_url: {problem} — write the full https:// "
                                "address or a page of this site such as 'privacy/'")
        return value, True
    if ":" in value.split("/")[0] or any(c.isspace() for c in value) or control_character(value):
        raise SettingsError(f"newsletter.privacy_url: {value[:60]!r} is not an address — write "
                            "a page of this site such as 'privacy/' or an https:// URL")
    # Relative to the site root: the template's `| url` makes it relative to each page, which
    # also keeps it right when the site lives in a subfolder.
    return value.lstrip("/"), False


def _placement(value) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise SettingsError(f"newsletter.placement: must be a list (got {value!r}) — write "
                            "e.g. [article] or [article, home]")
    for item in values:
        if item not in PLACEMENTS:
            hint = did_you_mean(item, PLACEMENTS) or "use " + " and/or ".join(PLACEMENTS)
            raise SettingsError(f"newsletter.placement: unknown place {item!r} — {hint}")
    return tuple(dict.fromkeys(values))


def _provider(value) -> str | None:
    if value is None or value == "":
        return None
    name = str(value).strip().lower()
    name = ALIASES.get(name, name)
    if name not in PROVIDERS:
        hint = did_you_mean(name, PROVIDERS + tuple(ALIASES)) or "use one of " + ", ".join(
            PROVIDERS)
        raise SettingsError(f"newsletter.provider: unknown provider {value!r} — {hint}")
    return name


def _check_keys(options: dict, provider: str | None) -> None:
    allowed = COMMON_KEYS + (PROVIDER_KEYS[provider] if provider else ())
    for key in options:
        if key in allowed:
            continue
        owners = [p for p, keys in PROVIDER_KEYS.items() if key in keys]
        if owners and provider is None:
            raise SettingsError(f"newsletter.provider: missing — newsletter.{key} is set; add "
                                f"provider: {owners[0]}")
        if owners:
            raise SettingsError(f"newsletter.{key}: not an option of provider '{provider}' "
                                f"(it belongs to {', '.join(owners)}) — remove it, or change "
                                "the provider")
        every = COMMON_KEYS + tuple(k for keys in PROVIDER_KEYS.values() for k in keys)
        hint = did_you_mean(str(key), allowed) or did_you_mean(str(key), every) or (
            "the options are " + ", ".join(allowed))
        raise SettingsError(f"newsletter.{key}: unknown option — {hint}")


# -- provider presets -------------------------------------------------------------------------
# Each returns the form: where it posts, the email field's name, hidden fields, the honeypot
# the provider checks (None: the provider documents none), and the field that carries the
# return address (None: the thank-you page is set in the provider's own settings).

def _buttondown(o: dict) -> dict:
    how = "your Buttondown username, as in https://buttondown.com/<username> (e.g. broadsheet-demo)"
    name = _id("username", _required(o, "buttondown", "username", how),
               r"[A-Za-z0-9][A-Za-z0-9_\-]{0,63}", how)
    if _UUID_RE.match(name):
        raise SettingsError("newsletter.username: looks like an API key (a UUID), not a "
                            "username — " + _SECRET_HELP)
    # Buttondown's embed code posts here with `email` and a hidden embed=1. It documents no
    # honeypot and no per-form return address (as far as we could find).
    return {"action": f"https://buttondown.com/api/emails/embed-subscribe/{quote(name)}",
            "email_field": "email", "hidden": [("embed", "1")], "honeypot": None,
            "redirect_field": None}


def _mailchimp(o: dict) -> dict:
    where = ("see the action address in Mailchimp's embedded form code, "
             "https://<dc>.list-manage.com/subscribe/post?u=<u>&id=<id>")
    dc = _id("dc", _required(o, "mailchimp", "dc", where), r"us\d{1,3}",
             "the data centre, such as us21; " + where)
    u = _id("u", _required(o, "mailchimp", "u", where), r"[0-9a-f]{10,31}",
            "the hex string after u=; " + where)
    list_id = _id("id", _required(o, "mailchimp", "id", where), r"[0-9a-f]{6,16}",
                  "the hex string after id=; " + where)
    # Mailchimp's embed code often names the host <account>.<dc>.list-manage.com; we post to
    # the data-centre host <dc>.list-manage.com, which we believe takes the same post (not
    # checked against Mailchimp from here). Its bot check is the empty field b_<u>_<id>; its
    # thank-you page is set in the audience's form settings, not by a form field.
    return {"action": f"https://{dc}.list-manage.com/subscribe/post?"
                      + urlencode({"u": u, "id": list_id}),
            "email_field": "EMAIL", "hidden": [], "honeypot": f"b_{u}_{list_id}",
            "redirect_field": None}


def _kit(o: dict) -> dict:
    how = ("the number in your Kit form's embed code, "
           "https://app.kit.com/forms/<form_id>/subscriptions")
    form_id = _id("form_id", _required(o, "kit", "form_id", how), r"\d{1,12}", how)
    # Kit documents no honeypot field; where to go after subscribing is a setting of the form
    # in Kit ("redirect to an external page").
    return {"action": f"https://app.kit.com/forms/{form_id}/subscriptions",
            "email_field": "email_address", "hidden": [], "honeypot": None,
            "redirect_field": None}


def _emailoctopus(o: dict) -> dict:
    how = "the list's id (a UUID) from EmailOctopus's embedded form code or the list's URL"
    list_id = _id("list_id", _required(o, "emailoctopus", "list_id", how),
                  _UUID_RE.pattern[1:-1], how, re.I).lower()
    # EmailOctopus's embed code: email in field_0, the bot check hp<list id> left empty, and
    # successRedirectUrl for where to send the reader afterwards.
    return {"action": f"https://emailoctopus.com/lists/{list_id}/members/embedded/1.3/add",
            "email_field": "field_0", "hidden": [], "honeypot": f"hp{list_id}",
            "redirect_field": "successRedirectUrl"}


def _listmonk(o: dict) -> dict:
    root = _https_url("root_url", _required(
        o, "listmonk", "root_url", "the address of your Listmonk server, e.g. "
        "https://lists.example.org"))
    parts = urlsplit(root)
    if parts.query or parts.fragment:
        raise SettingsError("newsletter.root_url: must be the server's address without ?query "
                            "or #fragment — e.g. https://lists.example.org")
    how = "the UUID of a public list (Lists → the list → its UUID), or a list of them"
    raw = _required(o, "listmonk", "list_uuid", how)
    uuids = [raw] if isinstance(raw, str) else raw
    if not isinstance(uuids, list) or not uuids:
        raise SettingsError(f"newsletter.list_uuid: must be text or a list — {how}")
    checked = [_id("list_uuid", value, _UUID_RE.pattern[1:-1], how, re.I).lower()
               for value in uuids]
    # Listmonk's public form: `email`, one `l` per list, and `nonce` as the honeypot (its
    # handler turns away a post whose nonce is not empty). It shows its own thank-you page.
    return {"action": root.rstrip("/") + "/subscription/form", "email_field": "email",
            "hidden": [("l", value) for value in checked], "honeypot": "nonce",
            "redirect_field": None}


def _form(o: dict) -> dict:
    action = _https_url("action", _required(
        o, "form", "action", "the https:// address the signup form posts to"))
    email_field = _field_name("email_field", o.get("email_field", "email"))
    honeypot = _field_name("honeypot_field", o.get("honeypot_field", DEFAULT_HONEYPOT))
    redirect = o.get("redirect_field")
    redirect = _field_name("redirect_field", redirect) if redirect is not None else None
    hidden_raw = o.get("hidden") or {}
    if not isinstance(hidden_raw, dict):
        raise SettingsError("newsletter.hidden: must map field names to values — e.g. "
                            "{list: weekly}")
    hidden = []
    taken = {email_field, honeypot, redirect}
    for name, value in hidden_raw.items():
        _field_name(f"hidden.{name}", name)
        if name in taken:
            raise SettingsError(f"newsletter.hidden.{name}: already used by the form's own "
                                "fields — rename it")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise SettingsError(f"newsletter.hidden.{name}: must be text or a number — "
                                "write e.g. {name}: weekly")
        text = str(value)
        if len(text) > MAX_TEXT or control_character(text):
            raise SettingsError(f"newsletter.hidden.{name}: must be a short line of text — "
                                f"under {MAX_TEXT} characters, without control characters")
        hidden.append((name, text))
    if email_field == honeypot or redirect in (email_field, honeypot):
        raise SettingsError("newsletter.honeypot_field: email_field, honeypot_field and "
                            "redirect_field must be different names — rename one of them")
    return {"action": action, "email_field": email_field, "hidden": hidden,
            "honeypot": honeypot, "redirect_field": redirect}


PRESETS = {"buttondown": _buttondown, "mailchimp": _mailchimp, "kit": _kit,
           "emailoctopus": _emailoctopus, "listmonk": _listmonk, "form": _form}


# -- entry points -----------------------------------------------------------------------------

def parse_newsletter_config(options: dict) -> dict:
    """Check the site's `newsletter:` options; raise SettingsError with a fixable message.

    Returns the checked config: enabled, provider (None: offer the feeds), placement, the
    optional heading/text/consent overrides, privacy link, and the provider's `form`.
    """
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise SettingsError("newsletter: must be a mapping of options — e.g. "
                            "{provider: buttondown, username: broadsheet-demo}")
    _refuse_secrets(options)
    enabled = options.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SettingsError(f"newsletter.enabled: must be true or false (got {enabled!r}) — "
                            "write enabled: false to hide the block")
    provider = _provider(options.get("provider"))
    _check_keys(options, provider)
    config = {
        "enabled": enabled,
        "provider": provider,
        "placement": _placement(options.get("placement", list(DEFAULT_PLACEMENT))),
        "privacy_url": None,
        "privacy_url_is_external": False,
        "form": PRESETS[provider](options) if provider else None,
    }
    for key in ("heading", "text", "consent"):
        config[key] = _text(key, options[key]) if key in options else None
    if options.get("privacy_url") is not None:
        config["privacy_url"], config["privacy_url_is_external"] = _privacy_url(
            options["privacy_url"])
    return config


def newsletter_view(settings) -> dict | None:
    """What partials/newsletter.html shows (the same on every page); None hides the block."""
    config = parse_newsletter_config(settings.newsletter)
    if not config["enabled"]:
        return None
    strings = settings.strings
    form = config["form"]
    view = {
        "heading": config["heading"] or strings["newsletter_heading"],
        "text": config["text"] or strings["newsletter_text"],
        "consent": config["consent"] or strings["newsletter_consent"],
        "privacy_url": config["privacy_url"],
        "privacy_url_is_external": config["privacy_url_is_external"],
        "placement": list(config["placement"]),
        "on_article": "article" in config["placement"],
        "on_home": "home" in config["placement"],
        "provider": config["provider"],
        "form": None,
        "feeds": [],
        "warning": None,
    }
    if form is None:
        # Feeds are made only when the site has a site_url; with neither, nothing to offer:
        # the template shows the block only when it has a form or feeds.
        if settings.site_url:
            view["feeds"] = [dict(feed) for feed in FEEDS]
            view["warning"] = NO_PROVIDER_WARNING
        else:
            view["warning"] = NO_PROVIDER_NO_FEEDS_WARNING
        return view
    view["form"] = {
        "action": form["action"],
        "email_field": form["email_field"],
        "hidden": [{"name": name, "value": value} for name, value in form["hidden"]],
        "honeypot": form["honeypot"],
        "redirect_field": form["redirect_field"],
        # The page's own address + this suffix: the provider sends the reader back to it, and
        # the thanks shows through CSS :target (no JS) or newsletter.js (query only).
        "return_suffix": f"?{THANKS_PARAM}=1#{THANKS_ID}",
        "thanks_param": THANKS_PARAM,
        "thanks_id": THANKS_ID,
    }
    return view
