"""spiders/settings.py: limits and contact URL come from the environment."""

from __future__ import annotations

import importlib

import pytest

from spiders import settings


@pytest.fixture
def reload_settings(monkeypatch):
    """Reload the settings module under a patched environment, and restore it after."""
    for name in ("POSTWATCH_MAX_PAGES", "POSTWATCH_MAX_DEPTH", "POSTWATCH_CONTACT_URL", "POSTWATCH_REVISIT_AFTER"):
        monkeypatch.delenv(name, raising=False)
    yield lambda: importlib.reload(settings)
    monkeypatch.undo()
    importlib.reload(settings)


def test_defaults(reload_settings):
    module = reload_settings()
    assert (module.CLOSESPIDER_PAGECOUNT, module.DEPTH_LIMIT) == (500, 5)
    assert module.USER_AGENT == "postwatch/0.1 (+https://example.org/postwatch-crawler)"


def test_limits_come_from_environment(reload_settings, monkeypatch):
    monkeypatch.setenv("POSTWATCH_MAX_PAGES", "40")
    monkeypatch.setenv("POSTWATCH_MAX_DEPTH", "2")
    module = reload_settings()
    assert (module.CLOSESPIDER_PAGECOUNT, module.DEPTH_LIMIT) == (40, 2)


def test_revisit_schedule_defaults_and_comes_from_environment(reload_settings, monkeypatch):
    assert reload_settings().POSTWATCH_REVISIT_AFTER == "1h,1d,7d"
    monkeypatch.setenv("POSTWATCH_REVISIT_AFTER", "30m,6h")
    assert reload_settings().POSTWATCH_REVISIT_AFTER == "30m,6h"


def test_bad_revisit_schedule_names_the_variable(reload_settings, monkeypatch):
    monkeypatch.setenv("POSTWATCH_REVISIT_AFTER", "1h,fortnightly")
    with pytest.raises(ValueError, match="'fortnightly' is not like 30m, 1h, 1d or 2w; set POSTWATCH_REVISIT_AFTER"):
        reload_settings()


def test_contact_url_goes_into_user_agent(reload_settings, monkeypatch):
    monkeypatch.setenv("POSTWATCH_CONTACT_URL", "https://newsroom.example.net/bot")
    assert reload_settings().USER_AGENT == "postwatch/0.1 (+https://newsroom.example.net/bot)"


def test_bad_limit_names_the_variable(reload_settings, monkeypatch):
    monkeypatch.setenv("POSTWATCH_MAX_PAGES", "lots")
    with pytest.raises(ValueError, match="POSTWATCH_MAX_PAGES='lots' is not a whole number"):
        reload_settings()


def test_polite_and_quiet_by_default():
    assert settings.ROBOTSTXT_OBEY and settings.AUTOTHROTTLE_ENABLED
    assert not settings.TELNETCONSOLE_ENABLED and not settings.REMOTE_CONTROL_ENABLED
