"""service/SETTINGS.md documents every setting, with its environment variable and default."""

from __future__ import annotations

import json
import re
from pathlib import Path

from service.settings import Settings

SETTINGS_MD = Path(__file__).resolve().parents[2] / "service" / "SETTINGS.md"


def _rows() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in SETTINGS_MD.read_text("utf-8").splitlines():
        match = re.match(r"^\| `(\w+)` \| `(SCREENING_\w+)` \| (.+?) \|", line)
        if match:
            rows[match[1]] = (match[2], match[3])
    return rows


def test_every_setting_is_in_the_table_with_its_default() -> None:
    rows = _rows()
    assert set(rows) == set(Settings.model_fields)
    defaults = Settings.model_construct().model_dump(mode="json")
    for name, (variable, default) in rows.items():
        assert variable == f"SCREENING_{name.upper()}"
        value = defaults[name]
        if value is None:
            assert default == "unset", name
        else:
            shown = json.dumps(value) if not isinstance(value, str) else value
            assert default == f"`{shown}`", (name, default, shown)
