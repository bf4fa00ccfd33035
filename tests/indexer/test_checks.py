"""Safety checks: each failure names the list, the numbers and the threshold."""

from __future__ import annotations

from datetime import date

import pytest

from core.model import Entity, Kind, Name, ParsedList
from indexer.checks import (
    Check,
    CheckSettings,
    ListSummary,
    run_checks,
    unreadable,
)
from tests.indexer._real_lists import UN_PAIRS, parsed_snapshot


def un_list(count: int, published: date | None = date(2026, 2, 27)) -> ParsedList:
    entities = [
        Entity(id=f"un-sc:QDi.{n}", list_id="un-sc", kind=Kind.PERSON, names=[Name(f"P {n}")])
        for n in range(count)
    ]
    return ParsedList(list_id="un-sc", published=published, entities=entities)


def test_a_normal_new_version_passes() -> None:
    assert run_checks(un_list(1000), un_list(1011, date(2026, 8, 1))) == []


def test_shrinking_by_half_fails_with_the_numbers_and_the_threshold() -> None:
    failures = run_checks(un_list(1000), un_list(500))
    assert [(f.list_id, f.check) for f in failures] == [("un-sc", Check.SHRINK)]
    message = failures[0].message
    for part in ("un-sc", "500", "1,000", "-50.0%", "10%"):
        assert part in message, (part, message)


def test_shrink_threshold_is_a_strict_bound_and_configurable() -> None:
    assert run_checks(un_list(1000), un_list(900)) == []
    assert [f.check for f in run_checks(un_list(1000), un_list(899))] == [Check.SHRINK]
    loose = CheckSettings(max_shrink=0.6)
    assert run_checks(un_list(1000), un_list(500), loose) == []
    failures = run_checks(un_list(1000), un_list(300), loose)
    assert "60%" in failures[0].message and "-70.0%" in failures[0].message
    with pytest.raises(ValueError, match="max_shrink"):
        CheckSettings(max_shrink=10)


def test_an_older_publication_date_fails() -> None:
    failures = run_checks(un_list(1000, date(2026, 8, 1)), un_list(1000, date(2026, 2, 27)))
    assert [f.check for f in failures] == [Check.DATE_OLDER]
    assert "2026-02-27" in failures[0].message and "2026-08-01" in failures[0].message
    assert "155 days" in failures[0].message
    rollback = CheckSettings(allow_older=True)
    assert (
        run_checks(un_list(1000, date(2026, 8, 1)), un_list(1000, date(2026, 2, 27)), rollback)
        == []
    )


def test_the_same_date_is_not_older() -> None:
    assert run_checks(un_list(1000), un_list(1000)) == []


def test_losing_the_publication_date_fails() -> None:
    failures = run_checks(un_list(1000), un_list(1000, published=None))
    assert [f.check for f in failures] == [Check.DATE_MISSING]
    assert "un-sc" in failures[0].message and "2026-02-27" in failures[0].message


def test_a_list_that_never_had_a_date_is_not_flagged() -> None:
    assert run_checks(un_list(10, None), un_list(10, None)) == []


def test_zero_entities_fails_even_as_a_first_version() -> None:
    assert [f.check for f in run_checks(None, un_list(0))] == [Check.EMPTY]
    both = {f.check for f in run_checks(un_list(1000), un_list(0))}
    assert both == {Check.EMPTY, Check.SHRINK}


def test_previous_may_be_a_stored_summary() -> None:
    stored = ListSummary.of(un_list(1000), version="2026-02-27+86966bd6").to_dict()
    assert stored == {
        "list_id": "un-sc",
        "published": "2026-02-27",
        "entity_count": 1000,
        "version": "2026-02-27+86966bd6",
    }
    previous = ListSummary.from_dict(stored)
    assert [f.check for f in run_checks(previous, un_list(400))] == [Check.SHRINK]


def test_refuses_to_compare_different_lists() -> None:
    other = ListSummary("gb-ofsi", date(2025, 4, 14), 4688)
    with pytest.raises(ValueError, match="gb-ofsi"):
        run_checks(other, un_list(10))


def test_unreadable_list_failure_names_the_error() -> None:
    failure = unreadable("gb-ofsi", "ConList.xlsx: file is empty")
    assert failure.check is Check.UNREADABLE
    assert failure.to_dict() == {
        "list_id": "gb-ofsi",
        "check": "unreadable",
        "message": "gb-ofsi: could not be downloaded or parsed: ConList.xlsx: file is empty",
    }


@pytest.mark.shared_lists
@pytest.mark.parametrize(("old_day", "new_day"), UN_PAIRS)
def test_real_un_versions_pass_forward_and_fail_backward(old_day: str, new_day: str) -> None:
    old, new = parsed_snapshot("un-sc", old_day), parsed_snapshot("un-sc", new_day)
    assert run_checks(old, new) == []
    assert [f.check for f in run_checks(new, old)] == [Check.DATE_OLDER]
