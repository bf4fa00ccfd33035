"""The engine protocol: the embedded engine satisfies it; a missing server engine is named."""

from __future__ import annotations

import asyncio
import sys
import types

import pytest

from engines.base import (
    Engine,
    EngineConfigError,
    EngineUnavailable,
    load_server_engine_factory,
)
from indexer.build import build_embedded
from indexer.registry import parse_list
from tests.conftest import FIXTURES


def test_the_embedded_engine_is_an_engine() -> None:
    engine = build_embedded([parse_list("un-sc", FIXTURES / "un-sc")])
    assert isinstance(engine, Engine)


def test_a_closed_engine_is_unavailable_with_a_reason() -> None:
    engine = build_embedded([parse_list("un-sc", FIXTURES / "un-sc")])
    asyncio.run(engine.close())
    with pytest.raises(EngineUnavailable) as caught:
        asyncio.run(engine.check())
    assert caught.value.reason == "the embedded index is closed"


def test_no_server_engine_installed_is_a_clear_error() -> None:
    with pytest.raises(EngineConfigError, match="no server engine is installed"):
        load_server_engine_factory("engines.no_such_server_engine:open_server_engine")


def test_a_module_without_the_opener_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("engines.fake_server_module")
    monkeypatch.setitem(sys.modules, "engines.fake_server_module", module)
    with pytest.raises(EngineConfigError, match="has no open_server_engine"):
        load_server_engine_factory("engines.fake_server_module:open_server_engine")
