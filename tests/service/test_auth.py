from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.auth import KeyConfigError, KeyRing, Scope, hash_key, load_keys, new_key


def test_a_key_is_found_by_its_hash_only(tmp_path: Path) -> None:
    key = new_key()
    file = tmp_path / "keys.json"
    entry = {"name": "gateway", "sha256": hash_key(key), "scopes": ["screen", "read"]}
    file.write_text(json.dumps([entry]))
    assert key not in file.read_text()
    ring = KeyRing(load_keys(file, None))
    found = ring.find(key)
    assert found is not None and found.name == "gateway"
    assert found.scopes == {Scope.SCREEN, Scope.READ}
    assert ring.find(key + "x") is None


def test_keys_from_the_environment_add_to_the_file() -> None:
    key = new_key()
    env = json.dumps([{"name": "ops", "sha256": hash_key(key), "scopes": ["admin"]}])
    ring = KeyRing(load_keys(None, env))
    assert ring and ring.find(key) is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not JSON"),
        ('{"name": "x"}', "expected a JSON list"),
        ('[{"name": "x"}]', "needs name, sha256 and scopes"),
        ('[{"name": "x", "sha256": "abc", "scopes": []}]', "not a digest"),
        ('[{"name": "x", "sha256": "' + "a" * 64 + '", "scopes": ["god"]}]', "god"),
    ],
)
def test_malformed_key_configuration_is_named(text: str, message: str) -> None:
    with pytest.raises(KeyConfigError, match=message):
        load_keys(None, text)
