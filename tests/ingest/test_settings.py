from __future__ import annotations

import pytest

from pipelines.ingest.settings import IngestSettings


def test_defaults_are_polite_and_point_at_sina():
    settings = IngestSettings()
    assert settings.roll_url == "https://feed.mix.sina.com.cn/api/roll/get"
    assert settings.channels == ((153, 2518),)
    assert settings.allowed_hosts == ("sina.com.cn", "sina.cn")
    # Reports put Sina's ban line near 2 requests a second.
    assert settings.rate_limit * settings.concurrency <= 2
    assert settings.max_attempts >= 2
    assert settings.max_page_bytes >= 1_000_000


def test_environment_variables_are_read():
    environ = {
        "CAPEX_ROLL_URL": "http://127.0.0.1:8080/api/roll/get",
        "CAPEX_ROLL_CHANNELS": "153:2518, 384:2672",
        "CAPEX_ALLOWED_HOSTS": "sina.com.cn,127.0.0.1",
        "CAPEX_CONCURRENCY": "3",
        "CAPEX_RATE_LIMIT": "0.5",
        "CAPEX_TIMEOUT": "7.5",
        "CAPEX_MAX_ATTEMPTS": "2",
    }
    settings = IngestSettings.from_env(environ)
    assert settings.roll_url == "http://127.0.0.1:8080/api/roll/get"
    assert settings.channels == ((153, 2518), (384, 2672))
    assert settings.allowed_hosts == ("sina.com.cn", "127.0.0.1")
    assert (settings.concurrency, settings.rate_limit, settings.timeout) == (3, 0.5, 7.5)
    assert settings.max_attempts == 2


def test_unset_variables_keep_defaults_and_overrides_win():
    settings = IngestSettings.from_env({"CAPEX_CONCURRENCY": "3"}, concurrency=1, timeout=2.0)
    assert settings.concurrency == 1
    assert settings.timeout == 2.0
    assert settings.channels == IngestSettings().channels


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CAPEX_ROLL_CHANNELS", "153-2518"),
        ("CAPEX_ROLL_CHANNELS", "153:abc"),
        ("CAPEX_ALLOWED_HOSTS", " , "),
        ("CAPEX_ALLOWED_HOSTS", "https://sina.com.cn/"),
        ("CAPEX_CONCURRENCY", "0"),
        ("CAPEX_CONCURRENCY", "two"),
        ("CAPEX_RATE_LIMIT", "-1"),
        ("CAPEX_RATE_LIMIT", "nan"),
        ("CAPEX_TIMEOUT", "0"),
        ("CAPEX_MAX_ATTEMPTS", "0"),
        ("CAPEX_ROLL_URL", "feed.mix.sina.com.cn/api/roll/get"),
    ],
)
def test_bad_values_name_the_variable(variable, value):
    with pytest.raises(ValueError, match=variable):
        IngestSettings.from_env({variable: value})
