"""Service settings, from environment variables (``SCREENING_*``) and an optional TOML file.

Precedence: explicit arguments (the command line) > environment > settings file >
defaults. The file is named by ``SCREENING_SETTINGS_FILE``. Every setting carries its
description here; ``service/SETTINGS.md`` is the table of them (a test checks that the
table names every field, so the documentation cannot drift from the code).

List-valued settings are JSON in the environment
(``SCREENING_LISTS='["un-sc=/data/un-sc"]'``) and TOML arrays in the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from service.ratelimit import parse_rate

SETTINGS_FILE_ENV = "SCREENING_SETTINGS_FILE"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCREENING_", extra="forbid")

    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8000, ge=0, le=65535, description="TCP port to listen on.")
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="uvicorn worker processes; each builds its own embedded index.",
    )
    log_level: Literal["critical", "error", "warning", "info", "debug"] = Field(
        "info", description="uvicorn log level."
    )
    lists: list[str] = Field(
        default_factory=list,
        description='Lists for the embedded index, each "ID=PATH" (a file or folder of the '
        "list's official files).",
    )
    engine_url: str | None = Field(
        None,
        description="Shared Elasticsearch/OpenSearch index; unset means the embedded "
        "in-process index over `lists`.",
    )
    engine_kind: Literal["elasticsearch", "opensearch", "auto"] = Field(
        "auto", description="Which server `engine_url` is (auto: ask it)."
    )
    api_keys_file: Path | None = Field(
        None, description="JSON file of hashed API keys (see `screening keys create`)."
    )
    api_keys: str | None = Field(
        None, description="Hashed API keys as JSON, same form as the file; adds to it."
    )
    audit_db: Path = Field(
        Path("var/audit.sqlite3"),
        description="SQLite file of the store (audit trail, decisions, alerts, keys) when "
        "`database_url` is unset.",
    )
    database_url: SecretStr | None = Field(
        None,
        description="PostgreSQL store shared by every replica "
        "(postgresql://user:password@host:5432/db?sslmode=verify-full); unset: SQLite "
        "at `audit_db`.",
    )
    audit_chain_key: SecretStr | None = Field(
        None,
        description="Secret that seals the audit chain (HMAC-SHA256): without it, whoever "
        "can write the database cannot rewrite the chain unnoticed. Same value for "
        "`serve`, `refresh` and `audit verify`.",
    )
    idempotency_hours: int = Field(
        24,
        ge=1,
        le=24 * 30,
        description="How long an Idempotency-Key's first answer is replayed.",
    )
    keys_reload_seconds: float = Field(
        5.0,
        gt=0,
        le=3600,
        description="How often keys added or revoked in the store (`screening keys`) are "
        "picked up, without a restart.",
    )
    audit_retention_days: int = Field(
        1825,
        ge=0,
        description="Audit records older than this many days are purged (at start and "
        "daily); 0 keeps them forever.",
    )
    max_body_bytes: int = Field(
        1_000_000, ge=1024, le=100_000_000, description="Largest request body (413 above)."
    )
    max_parties: int = Field(
        100, ge=1, le=1000, description="Most parties in one /v1/screen request."
    )
    max_name_length: int = Field(
        300, ge=10, le=1000, description="Longest party name, in characters."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser; empty: CORS off.",
    )
    docs_enabled: bool = Field(True, description="Serve /docs (Swagger UI) and /redoc.")
    metrics_require_key: bool = Field(
        False, description="Require an API key with the admin scope for /metrics."
    )
    list_max_age_days: int = Field(
        7,
        ge=1,
        description="A loaded list older than this many days is reported stale (page, "
        "/v1/lists, /readyz, /metrics), where the registry states no cadence for it.",
    )
    list_grace_days: int = Field(
        2,
        ge=0,
        description="Days a list may be older than its publisher's cadence (registry "
        "cadence_days: 1 for OFAC and the UK) before it is stale: a weekend, a late run.",
    )
    page_session_secret: SecretStr | None = Field(
        None,
        description="Key that signs the lookup page's session and CSRF cookies; unset: a "
        "random key per process (sign-ins end at restart; set it when workers > 1).",
    )
    page_session_hours: int = Field(
        12, ge=1, le=24 * 30, description="How long a lookup-page sign-in lasts."
    )
    page_batch_max_rows: int = Field(
        100, ge=1, le=1000, description="Most rows one batch screening on the page takes."
    )

    rate_limit: str = Field(
        "50/s, 500 parties/s, burst 2s",
        description="Limit of each API key without a rate of its own (and of loopback "
        "callers when no key is set): requests and parties per second, burst in seconds; "
        "'unlimited' for none.",
    )
    log_screened_names: bool = Field(
        False,
        description="Write the screened names into the access log (never, unless set).",
    )

    state_dir: Path | None = Field(
        None,
        description="State directory written by `screening refresh`: serve its current "
        "index version (instead of `lists`) and pick up new ones without a restart.",
    )
    state_poll_seconds: float = Field(
        5.0, gt=0, le=3600, description="How often to look for a new version in `state_dir`."
    )

    @field_validator("rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        parse_rate(value)  # a RateSyntaxError is a ValueError: the setting is named
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        file = os.environ.get(SETTINGS_FILE_ENV)
        if file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(file)))
        return tuple(sources)
