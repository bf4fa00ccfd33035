"""`python -m indexer.fit_score`: fitted on a corpus's fit part only, threshold at the stated
false-alert rate, reported per family on the check part."""

from __future__ import annotations

import json
from pathlib import Path

from core.calibration import Calibration, from_dict, script_family
from indexer.corpus_pairs import Pair
from indexer.fit_score import (
    equalise_families,
    is_namesake,
    main,
    read_corpus,
    score_pairs,
    threshold_for,
)

# Same party (variants, readings) and different parties retrieval puts side by side.
POSITIVES = [
    ("Mohamed Yousef", "Muhammad YUSUF", "latin"),
    ("Sergei IWANOW", "Sergei IVANOV", "latin"),
    ("Ким Чен Ын", "KIM Jong Un", "cyrillic"),
    ("Владимир Кожин", "Vladimir KOZHIN", "cyrillic"),
    ("Abdul Rahman AL-ZAWAHIRI", "Abdulrahman ZAWAHIRI", "latin"),
    ("Hassan Nasrallah", "Hasan NASRALLAH", "latin"),
    ("محمد يوسف", "Muhammad YUSUF", "arabic"),
    ("Osama bin Laden", "Usama BIN LADIN", "latin"),
]
NEGATIVES = [
    ("Ahmed Hassan AL-DULAIMI", "Ahmed Hassan AL-TIKRITI", "latin"),
    ("Mohammed Ali", "Mohammed Omar", "latin"),
    ("Иван Петров", "Ivan SIDOROV", "cyrillic"),
    ("Kim Yong Chol", "KIM Jong Un", "latin"),
    ("Abu Hamza", "Abu Bakr", "latin"),
    ("Владимир Путин", "Vladimir KOZHIN", "cyrillic"),
]


def _pair(query: str, listed: str, label: int, family: str) -> Pair:
    kind = "alias" if label else "hard_negative"
    return Pair(query, listed, "person", label, kind, family, "P1", "x:1", variant=bool(label))


def _write(path: Path, rows: list[tuple[str, str, str]], label: int, repeat: int) -> None:
    with path.open("a", encoding="utf-8") as handle:
        for _ in range(repeat):
            for query, listed, family in rows:
                pair = _pair(query, listed, label, family)
                handle.write(json.dumps(pair.to_dict(), ensure_ascii=False) + "\n")


def test_threshold_is_the_lowest_that_keeps_false_alerts_at_the_rate() -> None:
    negatives = [("latin", s / 100) for s in range(100)]  # 0.00 .. 0.99
    assert threshold_for(negatives, 0.01, 50) == 0.9801  # only 0.99 alerts: 1 %
    assert threshold_for(negatives, 0.05, 50) == 0.9401
    # A family with enough negatives is held to the rate too.
    worse = negatives + [("arabic", 0.95 + s / 10_000) for s in range(60)]
    assert threshold_for(worse, 0.01, 50) > 0.95
    assert threshold_for(worse, 0.01, 100) < 0.99  # too few to count alone


def test_namesakes_are_not_hard_negatives() -> None:
    assert is_namesake(_pair("KIM Jong Un", "Kim Jong-un", 0, ""))
    assert not is_namesake(_pair("KIM Jong Un", "Kim Jong-un", 1, ""))


def test_fits_on_the_fit_part_and_reports_the_check_part(tmp_path: Path, capsys) -> None:
    _write(tmp_path / "fit.jsonl", POSITIVES, 1, 3)
    _write(tmp_path / "fit.jsonl", NEGATIVES, 0, 3)
    _write(tmp_path / "fit.jsonl", [("Kim Jong Un", "KIM JONG UN", "latin")], 0, 1)  # namesake
    _write(tmp_path / "check.jsonl", POSITIVES[:4], 1, 1)
    _write(tmp_path / "check.jsonl", NEGATIVES[:3], 0, 1)
    assert len(read_corpus(tmp_path / "fit.jsonl")) == 3 * (len(POSITIVES) + len(NEGATIVES))
    output = tmp_path / "score_calibration.json"
    assert main(["--corpus", str(tmp_path), "--output", str(output), "--min-family", "5"]) == 0
    data = json.loads(output.read_text("utf-8"))
    calibration = from_dict(data["model"])
    assert calibration.weights["alignment"] > 0
    assert data["corpus"]["fit"]["pairs"] == 42 and data["corpus"]["check"]["pairs"] == 7
    fit_all = data["fit_figures"][0]
    assert fit_all["family"] == "all" and fit_all["false_alert_rate_after"] <= 0.01
    printed = capsys.readouterr().out
    assert "check part (7 pairs, never fitted on)" in printed
    # Reporting again from the file fits nothing and gives the same check figures.
    assert main(["--corpus", str(tmp_path), "--output", str(output), "--check-only"]) == 0
    again = json.loads(output.read_text("utf-8"))
    assert again["model"] == data["model"] and again["check_figures"] == data["check_figures"]


def test_one_threshold_holds_every_family_to_the_rate() -> None:
    pairs = [_pair(q, listed, 0, f) for q, listed, f in NEGATIVES * 3]
    pairs += [_pair(q, listed, 1, f) for q, listed, f in POSITIVES]
    scored = score_pairs(pairs)
    # A model that favours Cyrillic readings: its negatives score high, the Latin ones low.
    skewed = Calibration(-4.0, {"alignment": 6.0, "family_cyrillic": 3.0}, 1.0, 0.01)
    fixed = equalise_families(skewed, scored, 0.2, min_family=5)
    for family in ("latin", "cyrillic"):
        negatives = [
            (family, fixed.apply(s.match).score)
            for s in scored
            if s.pair.label == 0 and script_family(s.match) == family
        ]
        assert len(negatives) >= 5
        overall = threshold_for(
            [("*", fixed.apply(s.match).score) for s in scored if s.pair.label == 0], 0.2, 10**6
        )
        alerts = sum(score >= overall for _, score in negatives)
        assert alerts <= 0.2 * len(negatives) + 1  # one pair of slack for ties at the line
    assert fixed.weights["family_cyrillic"] < skewed.weights["family_cyrillic"]
