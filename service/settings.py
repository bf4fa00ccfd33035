"""Service settings, from environment variables (``SCREENING_*``) and an optional TOML file.

Precedence: explicit arguments (the command line) > environment > settings file >
defaults. The file is named by ``SCREENING_SETTINGS_FILE``. Every setting is listed,
with its default, in the README.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCREENING_", extra="forbid")

    host: str = "127.0.0.1"
    port: int = 8000
    # Lists for the embedded index, as "ID=PATH" (a file or folder of official files).
    lists: list[str] = Field(default_factory=list)
    # A shared search engine; empty means the embedded in-process index.
    engine_url: str | None = None
    engine_kind: str = "auto"  # elasticsearch | opensearch | auto (ask the server)
    api_keys_file: Path | None = None
    api_keys: str | None = None  # JSON, same form as the keys file
    audit_db: Path = Path("var/audit.sqlite3")
    audit_retention_days: int | None = 1825
    max_body_bytes: int = 1_000_000
    max_parties: int = 100
    max_name_length: int = 300
    cors_origins: list[str] = Field(default_factory=list)
    list_max_age_days: int = 7

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
        file = os.environ.get("SCREENING_SETTINGS_FILE")
        if file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(file)))
        return tuple(sources)
