"""Dates from front matter: strings or YAML values, made timezone-aware."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from .problems import kind

DATE_HINT = ("write it as YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or with an offset, "
             "e.g. 2024-06-25 or '2024-06-25 09:30:00+02:00'")


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Return an aware datetime; naive values are read in the site's timezone.

    Raises ValueError with an editor-facing reason.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValueError("is empty")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date or is impossible") from None
    else:
        raise ValueError(f"is {kind(value)}, not a date")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def date_option(value: str | None, tz: tzinfo, now: datetime, option: str = "--date") -> datetime:
    """A command-line date (default `now`), in the site's timezone.

    Raises ValueError with the option's name and the format hint."""
    if value is None:
        return now.astimezone(tz)
    try:
        return parse_date(value, tz).astimezone(tz)
    except ValueError as err:
        raise ValueError(f"{option}: {err} — {DATE_HINT}") from None
