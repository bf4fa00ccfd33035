"""The `screen`, `compare` and `eval` commands end to end, on small hand-made files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from service.cli import main


def test_compare_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "KIM Jong Un", "Jong Un Kim", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["score"] == 1.0
    assert out["threshold"] > 0.5
    assert out["explanation"]["name"]["tokens"]


def test_compare_text_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "Hussein", "Hassan", "--type", "person"]) == 0
    assert "score" in capsys.readouterr().out


def test_compare_file_with_schema_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,schema,is_match\n"
        "OOO Rosneft,Rosneft LLC,Company,true\n"
        "X Trading Company Limited,Y Trading Co. Ltd.,Company,false\n",
        "utf-8",
    )
    scores = tmp_path / "scores.csv"
    assert main(["compare", "--input", str(pairs), "--output", str(scores)]) == 0
    rows = list(csv.DictReader(scores.open()))
    assert float(rows[0]["score"]) > float(rows[1]["score"])
    assert "F1 1.000" in capsys.readouterr().out


def _ofac_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "sdn"
    folder.mkdir()
    (folder / "sdn.csv").write_text(
        '1,"YUSUF, Muhammad","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1970."\n'
        '2,"ISLAM, Yusuf","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        '3,"ROSNEFT OIL COMPANY",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n',
        "latin-1",
    )
    return folder


def test_screen_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _ofac_folder(tmp_path)
    code = main(["screen", "Мухаммад Юсуф", "--list", f"us-ofac-sdn={folder}", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["results"][0]["entity_id"] == "us-ofac-sdn:1"
    assert out["results"][0]["alert"]


def test_eval_writes_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _ofac_folder(tmp_path)
    eval_set = tmp_path / "set.csv"
    eval_set.write_text(
        "query,type,expected,category,source\n"
        "Mohamed Yousef,person,us-ofac-sdn:1,variant,test\n"
        "Роснефть,organization,us-ofac-sdn:3,cross-script:cyrillic,test\n"
        "Hans Meier,person,,negative:de_DE,test\n",
        "utf-8",
    )
    output = tmp_path / "results.csv"
    args = ["eval", "--set", str(eval_set), "--list", f"us-ofac-sdn={folder}"]
    assert main([*args, "--output", str(output), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["positives"]["recall_at_10"] == 1.0
    assert report["negatives"]["false_alert_rate"] == 0.0
    assert report["entities"] == 3 and report["parse_seconds"] >= 0 and report["build_seconds"] >= 0
    rows = list(csv.DictReader(output.open()))
    assert rows[0]["results"].startswith("us-ofac-sdn:1:")
    assert rows[0]["alerts"] == "us-ofac-sdn:1"
    assert rows[2]["alerts"] == ""
    assert float(rows[0]["ms"]) >= 0
