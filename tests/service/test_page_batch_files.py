"""Batch files as offices have them: CSV in the region's encodings (detected and named, or
chosen), UTF-8 with or without a byte-order mark, UTF-16, and Excel workbooks; headers in
the region's languages; a column picker for headers the page does not know."""

from __future__ import annotations

import codecs
import io

import pytest
import xlsxwriter

from service.page.batch import BatchError, Columns, ColumnsNeeded, column_name, parse_table
from service.page.batch_files import BatchFileError, decode, detect_encoding, read_upload

JAPANESE = [
    "氏名,国籍",
    "国防科学院,KP",
    "ロケット産業省,KP",
    "高麗航空,KP",
    "平壌情報センター,KP",
    "鴨緑江開発銀行,KP",
    "田中太郎,JP",
    "株式会社東京商事,JP",
    "大阪貿易株式会社,JP",
]
KOREAN = [
    "이름,국적",
    "김영복,KP",
    "리창호,KP",
    "노광철,KP",
    "리송진,KP",
    "신금철,KP",
    "김정은,KP",
    "홍길동,KR",
    "박지성,KR",
    "삼성전자,KR",
]
SIMPLIFIED = [
    "姓名,国家",
    "赵伟,CN",
    "金铁三,KP",
    "道通机器人有限公司,CN",
    "成都景昕科技有限公司,CN",
    "王小明,CN",
    "李华,CN",
    "张伟,CN",
]
TRADITIONAL = [
    "名稱,國家",
    "長安海連技術有限公司,HK",
    "華信船務(香港)有限公司,HK",
    "沈忠國際海運有限公司,HK",
    "香港奧芯電子有限公司,HK",
    "新全電子(香港)有限公司,HK",
    "台灣積體電路製造,TW",
]


@pytest.mark.parametrize(
    ("lines", "encoding"),
    [(JAPANESE, "cp932"), (KOREAN, "cp949"), (SIMPLIFIED, "gb18030"), (TRADITIONAL, "big5")],
)
def test_the_region_s_code_pages_are_detected_and_named(lines: list[str], encoding: str) -> None:
    data = "\r\n".join(lines).encode(encoding)
    assert detect_encoding(data) == encoding
    table = read_upload(data, "parties.csv")
    assert (table.kind, table.encoding, table.detected) == ("csv", encoding, True)
    assert table.rows[1][0] == lines[1].split(",")[0]


def test_euc_kr_is_read_as_its_superset_cp949() -> None:
    data = "\n".join(KOREAN).encode("euc_kr")
    assert read_upload(data, "x.csv").rows[2] == ["리창호", "KP"]


@pytest.mark.parametrize(
    "data",
    [
        "\n".join(KOREAN).encode("utf-8"),
        codecs.BOM_UTF8 + "\n".join(KOREAN).encode("utf-8"),
        "\n".join(KOREAN).encode("utf-16"),  # with its byte-order mark
        "\n".join(KOREAN).encode("utf-16-le"),  # without one
        "\n".join(KOREAN).encode("utf-16-be"),
    ],
)
def test_unicode_with_or_without_a_byte_order_mark(data: bytes) -> None:
    table = read_upload(data, "x.csv")
    assert table.rows[0] == ["이름", "국적"]  # no BOM left in the first cell
    assert table.rows[-1] == ["삼성전자", "KR"]


def test_the_officer_s_choice_overrides_detection_and_a_wrong_one_is_explained() -> None:
    data = "\n".join(SIMPLIFIED[:2]).encode("gb18030")  # two rows: too short to be sure
    text, codec, detected = decode(data, "gb18030")
    assert (codec, detected) == ("gb18030", False)
    assert "赵伟" in text
    with pytest.raises(BatchFileError, match="not UTF-8 text"):
        decode("赵伟".encode("gb18030"), "utf-8")


def _workbook(rows: list[list[object]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Empty")
    sheet = book.add_worksheet("Consignees")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return out.getvalue()


def test_an_excel_workbook_is_read_from_its_first_sheet_with_data() -> None:
    data = _workbook(
        [["Invoice", "Consignee", "Country"], [1001, "김영복", "KP"], [1002, "赵伟", "CN"]]
    )
    table = read_upload(data, "shipments.xlsx")
    assert (table.kind, table.sheet) == ("workbook", "Consignees")
    assert table.rows[1] == ["1001", "김영복", "KP"]  # whole numbers without ".0"


def test_a_broken_workbook_or_an_empty_file_is_refused_with_a_reason() -> None:
    with pytest.raises(BatchFileError, match="Excel workbook"):
        read_upload(b"PK\x03\x04 not really a zip", "x.xlsx")
    with pytest.raises(BatchFileError, match="empty"):
        read_upload(b"  \n", "x.csv")


def test_headers_in_the_region_s_languages() -> None:
    assert [column_name(c) for c in ("氏名", "이름", "姓名", "名稱", "नाम", "Full name")] == [
        "name"
    ] * 6
    assert column_name("国籍") == column_name("국적") == "country"
    assert column_name("生年月日") == "date_of_birth"
    rows = parse_table([["国籍", "氏名"], ["KP", "高麗航空"]], 10, 300)
    assert rows[0].party is not None and rows[0].party.name == "高麗航空"
    assert rows[0].party.country == "KP"


def test_an_unknown_header_asks_for_the_columns_then_reads_them() -> None:
    records = [["Invoice", "Consignee", "Country", "Port"], ["1001", "김영복", "KP", "Nampo"]]
    with pytest.raises(ColumnsNeeded) as needed:
        parse_table(records, 10, 300)
    assert needed.value.first_row == records[0]
    assert needed.value.guess == {"country": 2}
    rows = parse_table(records, 10, 300, Columns(name=1, country=2, header=True))
    assert [r.party.name for r in rows if r.party] == ["김영복"]


def test_the_row_limit_names_the_setting() -> None:
    with pytest.raises(BatchError, match="page_batch_max_rows") as refused:
        parse_table([[f"Party {i}"] for i in range(5)], 4, 300)
    assert "at most 4 rows per batch (got 5)" in str(refused.value)
