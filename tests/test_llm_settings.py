"""LLM settings: precedence, sources, checks, and the key that is never stored."""

from __future__ import annotations

import dataclasses

import pytest

from aigc_magic.llm.settings import (
    SETTING_NAMES,
    LLMSettings,
    SettingsError,
    describe_settings,
    llm_configured,
    redact_url,
    resolve_settings,
)

SENTINEL = "sk-settings-SENTINEL-5e6f7a8b9c"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AIGC_MAGIC_MODEL"):
        monkeypatch.delenv(var, raising=False)


def test_defaults_come_from_default() -> None:
    settings, sources = resolve_settings({}, {})
    assert settings == LLMSettings()
    assert settings.planner == "auto" and settings.max_repairs == 2
    assert settings.json_mode is False and settings.base_url is None
    assert set(sources) == set(SETTING_NAMES)
    assert set(sources.values()) == {"default"}
    assert not llm_configured(settings)


def test_environment_then_config_then_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIGC_MAGIC_MODEL", "env-model")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/")
    settings, sources = resolve_settings()
    assert (settings.model, sources["model"]) == ("env-model", "environment")
    assert (settings.base_url, sources["base_url"]) == ("http://127.0.0.1:11434/v1", "environment")
    settings, sources = resolve_settings({}, {"model": "config-model", "temperature": 0.7})
    assert (settings.model, sources["model"]) == ("config-model", "%config")
    assert (settings.temperature, sources["temperature"]) == (0.7, "%config")
    assert sources["base_url"] == "environment"
    settings, sources = resolve_settings(
        {"model": "flag-model", "temperature": None}, {"model": "config-model", "temperature": 0.7}
    )
    assert (settings.model, sources["model"]) == ("flag-model", "magic flag")
    assert (settings.temperature, sources["temperature"]) == (0.7, "%config")  # None: not given


def test_values_are_converted_and_unknown_keys_ignored() -> None:
    settings, sources = resolve_settings(
        {"timeout": "12.5", "json_mode": "yes", "max_repairs": "3", "workers": "ignored"},
        {"planner": " LLM ", "max_retries": 0, "model": "  "},
    )
    assert settings.timeout == 12.5 and settings.json_mode is True
    assert settings.max_repairs == 3 and settings.max_retries == 0
    assert settings.planner == "llm"
    assert sources["model"] == "default"  # a blank value counts as unset
    assert "workers" not in sources


@pytest.mark.parametrize(
    ("layer", "name", "value", "needle"),
    [
        ("config", "temperature", 3, "between 0 and 2"),
        ("config", "temperature", "hot", "a number"),
        ("flag", "timeout", 0, "positive"),
        ("flag", "max_repairs", 2.5, "whole number"),
        ("flag", "max_repairs", True, "whole number"),
        ("config", "max_repairs", -1, "whole number"),
        ("config", "json_mode", "maybe", "True or False"),
        ("config", "base_url", "localhost:11434", "http://"),
        ("flag", "model", 42, "a string"),
    ],
)
def test_bad_values_name_the_setting_and_source(
    layer: str, name: str, value: object, needle: str
) -> None:
    given = {name: value}
    with pytest.raises(SettingsError) as info:
        if layer == "flag":
            resolve_settings(overrides=given)
        else:
            resolve_settings(config=given)
    message = str(info.value)
    assert needle in message and name in message
    assert ("magic flag" if layer == "flag" else "%config") in message
    assert f"%config AskMagics.{name} = " in message


def test_planner_typo_suggests_the_right_name() -> None:
    with pytest.raises(SettingsError, match="did you mean 'offline'") as info:
        resolve_settings({}, {"planner": "ofline"})
    assert isinstance(info.value, ValueError)


def test_key_is_read_at_call_time_and_never_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = resolve_settings()
    assert settings.api_key_set is False
    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL)
    settings, sources = resolve_settings()
    assert settings.api_key_set is True and llm_configured(settings)
    for value in dataclasses.astuple(settings):
        assert SENTINEL not in str(value)
    assert SENTINEL not in repr(settings) and SENTINEL not in repr(sources)
    monkeypatch.setenv("OPENAI_API_KEY", "   ")
    assert resolve_settings()[0].api_key_set is False


def test_base_url_alone_configures_an_llm() -> None:
    settings, _ = resolve_settings({}, {"base_url": "http://127.0.0.1:8000/v1"})
    assert llm_configured(settings)


def test_describe_settings_shows_sources_and_never_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SENTINEL)
    monkeypatch.setenv("OPENAI_BASE_URL", "https://user:pa55word@llm.example.com/v1?token=abc")
    text = describe_settings(*resolve_settings({"model": "m1"}, {"temperature": 0.5}))
    assert "set (from OPENAI_API_KEY)" in text
    assert "magic flag" in text and "%config" in text and "default" in text
    assert "environment (OPENAI_BASE_URL)" in text
    assert "https://***@llm.example.com/v1?***" in text
    for secret in (SENTINEL, SENTINEL[-4:], SENTINEL[:8], "pa55word", "token=abc"):
        assert secret not in text
    assert "the LLM planner answers" in text
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.delenv("OPENAI_BASE_URL")
    text = describe_settings(*resolve_settings())
    assert "not set" in text and "offline planner answers" in text
    text = describe_settings(*resolve_settings({}, {"planner": "llm"}))
    assert "no LLM is configured" in text


def test_settings_are_frozen_and_urls_redacted() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        LLMSettings().model = "x"  # type: ignore[misc]
    assert redact_url("http://127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1"
    assert redact_url("http://a:b@host/v1") == "http://***@host/v1"
