"""The e-Stat reader: synthetic tables in both layouts, encodings and line endings; every refusal;
the real download end to end (expected values computed from its own cells)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from analysis import vocabulary as v
from analysis.errors import RawDataError
from analysis.sources import estat

# --- a tiny table ------------------------------------------------------------------------------

STATUSES = [
    ("1010", "総数"),
    ("1040", "教授"),
    ("1150", "技能"),
    ("1160", "特定技能合計"),
    ("1170", "特定技能１号"),
    ("1180", "特定技能２号"),
    ("1190", "技能実習合計"),
    ("1200", "技能実習１号イ"),
    ("1210", "技能実習１号ロ"),
    ("1220", "技能実習２号イ"),
    ("1230", "技能実習２号ロ"),
    ("1240", "技能実習３号イ"),
    ("1250", "技能実習３号ロ"),
    ("1300", "留学"),
]
LABELS = [label for _, label in STATUSES]
PERIODS = [("2025000606", "2025年6月"), ("2024001212", "2024年12月")]
AREAS = [("0000", "総数"), ("1000", "アジア"), ("1230", "中国"), ("1240", "うち中国〔香港〕"), ("1360", "ベトナム")]
LEAVES = ("1230", "1360")
MISSING = "***"
PREAMBLE = [
    ["統計名：", "在留外国人統計（旧登録外国人統計） 在留外国人統計"],
    ["表番号：", "01"],
    ["表題：", "国籍・地域別\u3000在留資格別\u3000在留外国人"],
    ["実施年月：", "-", "-"],
]


def _complete(parts: dict[str, int | None]) -> dict[str, str]:
    """A row's texts from its parts: the …合計 columns and 総数 as sums of the figures given."""
    row = {}
    for label in LABELS:
        if label == "総数" or label.endswith("合計"):
            continue
        row[label] = MISSING if parts[label] is None else str(parts[label])
    for label in LABELS:
        if label.endswith("合計"):
            own = [parts[p] for p in parts if p.startswith(label.removesuffix("合計")) and parts[p] is not None]
            row[label] = str(sum(own)) if own else MISSING
    row["総数"] = str(sum(x for x in parts.values() if x is not None))
    return row


def table_values() -> dict[tuple[str, str], dict[str, str]]:
    """Each (period, area) row's texts: two nationalities, a 'うち' part, the region and the total."""
    values = {}
    for p, (period, _) in enumerate(PERIODS):
        leaves = {}
        for a, code in enumerate(LEAVES):
            parts = {
                label: 100 * (a + 1) + 10 * k + p
                for k, label in enumerate(LABELS)
                if label != "総数" and not label.endswith("合計")
            }
            if period == "2024001212" and code == "1360":
                parts["技能実習３号ロ"] = None  # a *** cell in a nationality
            leaves[code] = parts
        sub = {label: (x // 3 if x is not None else None) for label, x in leaves["1230"].items()}
        summed = {
            label: (sum(xs) if (xs := [leaves[c][label] for c in LEAVES if leaves[c][label] is not None]) else None)
            for label in leaves["1230"]
        }
        rows = {"0000": summed, "1000": summed, "1230": leaves["1230"], "1240": sub, "1360": leaves["1360"]}
        for code, parts in rows.items():
            texts = _complete(parts)
            if period == "2024001212":
                texts["技能実習合計"] = MISSING  # the total column is not given at this date
            values[period, code] = texts
    return values


def wide_records(values: dict | None = None) -> list[list[str]]:
    """The records of a wide download of ``values``."""
    values = table_values() if values is None else values
    lead = [""] * 9
    records = [
        *PREAMBLE,
        [],
        ["***", "数字が得られないもの"],
        ["-", "数字が得られないもの"],
        [],
        [*lead, "/在留資格 コード", *(code for code, _ in STATUSES)],
        [*lead, "/在留資格 補助コード", *(["-"] * len(STATUSES))],
        [*estat.WIDE_HEADER, *LABELS],
    ]
    for period, period_label in PERIODS:
        for area, area_label in AREAS:
            row = values[period, area]
            records.append(
                ["01", "", "人数【人】", period, "", period_label, area, "", area_label, "", *(row[s] for s in LABELS)]
            )
    return records


def long_records(wide: list[list[str]]) -> list[list[str]]:
    """The same table as the API's CSV writes it: section rows, VALUE, one value per row."""
    preamble = {r[0]: r[1] for r in wide if r and r[0] in estat.PREAMBLE}
    at = next(i for i, r in enumerate(wide) if r and r[0] == estat.WIDE_HEADER[0])
    codes, header = wide[at - 2], wide[at]
    n = len(estat.WIDE_HEADER)
    records = [
        ["RESULT"],
        ["STATUS", "0"],
        ["ERROR_MSG", "正常に終了しました。"],
        ["STATISTICAL_DATA"],
        ["TABLE_INF", "0004019020"],
        ["STAT_NAME", "00250012", "在留外国人統計"],
        ["STATISTICS_NAME", preamble.get("統計名：", "")],
        ["TITLE", preamble.get("表番号：", ""), preamble.get("表題：", "")],
        ["VALUE"],
        ["tab_code", "表章項目", "time_code", "集計時点（半期毎）", "area_code", "国籍・地域", "cat01_code", "在留資格"]
        + list(estat.LONG_TRAILER),
    ]
    for row in wide[at + 1 :]:
        if not row:
            continue
        for code, label, text in zip(codes[n:], header[n:], row[n:]):
            records.append([row[0], row[2], row[3], row[5], row[6], row[8], code, label, "人", text, ""])
    return records


def write_table(
    tmp_path, records, layout="wide", encoding="utf-8", newline="\r\n", name="FEH_00250012_260610061045.csv"
):
    """Write a wide table (converted to long when asked); returns the path and the records written."""
    written = long_records(records) if layout == "long" else records
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=newline)
    for record in written:
        if record:
            writer.writerow(record)
        else:
            out.write(newline)
    path = tmp_path / name
    path.write_bytes(out.getvalue().encode(encoding))
    return path, written


def find_line(layout, written, period, area, status) -> int:
    """The 1-based line of a cell in the records written."""
    for i, r in enumerate(written):
        if layout == "wide" and len(r) > 6 and r[3] == period and r[6] == area:
            return i + 1
        if layout == "long" and len(r) > 7 and r[2] == period and r[4] == area and r[7] == status:
            return i + 1
    raise AssertionError("no such cell")


def set_cell(records, period, area, status, text):
    """Change one cell of a wide table's records."""
    column = records[next(i for i, r in enumerate(records) if r and r[0] == estat.WIDE_HEADER[0])].index(status)
    for r in records:
        if len(r) > 6 and r[3] == period and r[6] == area:
            r[column] = text
            return
    raise AssertionError("no such row")


def column_name(layout, status):
    """How a message names a status's column in each layout."""
    return status if layout == "wide" else f"value ({status})"


def refused(path) -> str:
    """The message the reader refuses a file with."""
    with pytest.raises(RawDataError) as err:
        estat.read_estat(path)
    return str(err.value)


LAYOUTS = ["wide", "long"]


# --- reading ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny table read from its plain form: wide, UTF-8, CRLF."""
    path, _ = write_table(tmp_path_factory.mktemp("estat"), wide_records())
    return estat.read_estat(path)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_every_layout_encoding_and_line_ending_gives_the_same_cells(tmp_path, reference, layout, encoding, newline):
    path, written = write_table(tmp_path, wide_records(), layout, encoding, newline)
    table = estat.read_estat(path)
    assert table.layout == layout and table.encoding == ("utf-8" if encoding == "utf-8-sig" else encoding)
    assert (table.statistics_name, table.table_number) == ("在留外国人統計（旧登録外国人統計） 在留外国人統計", "01")
    assert table.title == PREAMBLE[2][1]
    ignore_line = ["line"]
    pd.testing.assert_frame_equal(table.cells.drop(columns=ignore_line), reference.cells.drop(columns=ignore_line))
    # every cell's line is where its value is written
    for rec in table.cells.sample(20, random_state=1).itertuples():
        assert rec.line == find_line(layout, written, rec.period_code, rec.area_code, rec.status)


def test_the_cells_have_the_declared_columns_and_types(reference):
    cells = reference.cells
    assert list(cells.columns) == list(estat.CELL_COLUMNS)
    assert {c: str(t) for c, t in cells.dtypes.items()} == dict(estat.CELL_COLUMNS)
    assert len(cells) == len(PERIODS) * len(AREAS) * len(STATUSES)
    assert set(cells["period_end"]) == {date(2025, 6, 30), date(2024, 12, 31)}
    kinds = dict(zip(cells["area_code"], cells["area_kind"]))
    assert kinds == {
        "0000": v.AREA_TOTAL,
        "1000": v.AREA_REGION,
        "1230": v.AREA_NATIONALITY,
        "1240": v.AREA_SUB,
        "1360": v.AREA_NATIONALITY,
    }


def test_a_mark_is_no_figure_and_is_kept(reference):
    cells = reference.cells
    marked = cells[cells["mark"] != ""]
    assert set(marked["mark"]) == {"***"} and marked["value"].isna().all()
    assert cells.loc[cells["mark"] == "", "value"].notna().all()


def test_a_dash_is_no_figure_too(tmp_path):
    records = wide_records()
    values = table_values()
    row = values["2025000606", "1360"]
    set_cell(records, "2025000606", "1360", "教授", "-")
    set_cell(records, "2025000606", "1360", "総数", str(int(row["総数"]) - int(row["教授"])))
    for area in ("0000", "1000"):
        total = values["2025000606", area]
        set_cell(records, "2025000606", area, "教授", str(int(total["教授"]) - int(row["教授"])))
        set_cell(records, "2025000606", area, "総数", str(int(total["総数"]) - int(row["教授"])))
    path, _ = write_table(tmp_path, records)
    cells = estat.read_estat(path).cells
    cell = cells[(cells["area_code"] == "1360") & (cells["status"] == "教授") & (cells["period_code"] == "2025000606")]
    assert cell["mark"].tolist() == ["-"] and cell["value"].isna().all()


def test_the_series_sum_the_figures_given(reference):
    cells = reference.cells
    trainees = estat.trainees(reference)
    assert list(trainees.columns) == list(estat.SERIES_COLUMNS)
    assert trainees["period_end"].is_monotonic_increasing
    for rec in trainees.itertuples():
        own = cells[
            (cells["period_end"] == rec.period_end)
            & (cells["area_code"] == rec.area_code)
            & cells["status"].isin(estat.TRAINEE_STATUSES)
        ]
        assert rec.value == own["value"].sum()  # *** counts as nothing
        given = own["value"].notna()
        assert given.any()
    june = trainees[(trainees["period_end"] == date(2025, 6, 30)) & (trainees["area_code"] == "0000")]
    total = cells[
        (cells["period_code"] == "2025000606") & (cells["area_code"] == "0000") & (cells["status"] == "技能実習合計")
    ]
    assert june["value"].tolist() == total["value"].tolist()
    skilled = estat.specified_skilled(reference)
    residents = estat.all_residents(reference)
    for series, statuses in ((skilled, estat.SPECIFIED_SKILLED_STATUSES), (residents, ("総数",))):
        own = cells[cells["status"].isin(statuses)].groupby(["period_code", "area_code"])["value"].sum()
        assert len(series) == len(PERIODS) * len(AREAS)
        assert sorted(series["value"].tolist()) == sorted(own.tolist())


def test_a_series_is_na_where_no_status_is_given(tmp_path):
    values = table_values()
    for key, row in values.items():
        for label in estat.SPECIFIED_SKILLED_STATUSES + ("特定技能合計",):
            row["総数"] = str(int(row["総数"]) - (int(row[label]) if label != "特定技能合計" else 0))
        for label in estat.SPECIFIED_SKILLED_STATUSES + ("特定技能合計",):
            row[label] = MISSING if key[0] == "2024001212" else row[label]
        if key[0] == "2025000606":
            for label in estat.SPECIFIED_SKILLED_STATUSES:
                row["総数"] = str(int(row["総数"]) + int(row[label]))
    path, _ = write_table(tmp_path, wide_records(values))
    skilled = estat.specified_skilled(estat.read_estat(path))
    assert skilled.loc[skilled["period_end"] == date(2024, 12, 31), "value"].isna().all()
    assert skilled.loc[skilled["period_end"] == date(2025, 6, 30), "value"].notna().all()


# --- refusals: the sums ----------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_row_whose_total_is_not_the_sum_of_its_statuses(tmp_path, layout):
    records = wide_records()
    right = table_values()["2025000606", "1360"]["総数"]
    wrong = str(int(right) + 1)
    set_cell(records, "2025000606", "1360", "総数", wrong)
    path, written = write_table(tmp_path, records, layout)
    message = refused(path)
    line = find_line(layout, written, "2025000606", "1360", "総数")
    assert f"line {line}," in message and f"column '{column_name(layout, '総数')}'" in message
    assert f"value '{wrong}'" in message and f"expected {right}" in message and path.name in message


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_sum_column_that_is_not_the_sum_of_its_parts(tmp_path, layout):
    records = wide_records()
    right = table_values()["2025000606", "1230"]["技能実習合計"]
    wrong = str(int(right) - 1)
    set_cell(records, "2025000606", "1230", "技能実習合計", wrong)
    path, written = write_table(tmp_path, records, layout)
    message = refused(path)
    line = find_line(layout, written, "2025000606", "1230", "技能実習合計")
    assert f"line {line}," in message and f"column '{column_name(layout, '技能実習合計')}'" in message
    assert f"value '{wrong}'" in message and f"expected {right}" in message


def _shift(records, period, areas, status, by):
    """Add ``by`` to a status and to 総数 in some rows (keeping each row's own sum right)."""
    values = table_values()
    for area in areas:
        row = values[period, area]
        set_cell(records, period, area, status, str(int(row[status]) + by))
        set_cell(records, period, area, "総数", str(int(row["総数"]) + by))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_nationalities_that_do_not_add_up_to_the_total_of_their_date(tmp_path, layout):
    records = wide_records()
    _shift(records, "2024001212", ["1360", "1000"], "留学", 7)  # the nationality and its region, not the total
    path, written = write_table(tmp_path, records, layout)
    message = refused(path)
    # 総数 and 留学 are both off; the first column is named
    total = table_values()["2024001212", "0000"]["総数"]
    line = find_line(layout, written, "2024001212", "0000", "総数")
    assert f"line {line}," in message and f"column '{column_name(layout, '総数')}'" in message
    assert f"value '{total}'" in message and f"expected {int(total) + 7}" in message
    assert "2024-12-31" in message and "nationalities" in message


@pytest.mark.parametrize("layout", LAYOUTS)
def test_nationalities_that_do_not_add_up_to_their_region(tmp_path, layout):
    records = wide_records()
    _shift(records, "2024001212", ["1360", "0000"], "留学", 7)
    path, written = write_table(tmp_path, records, layout)
    message = refused(path)
    region = table_values()["2024001212", "1000"]["総数"]
    line = find_line(layout, written, "2024001212", "1000", "総数")
    assert f"line {line}," in message and f"value '{region}'" in message and f"expected {int(region) + 7}" in message


def test_a_sub_row_and_a_childless_region_code_are_not_held_to_the_sums(tmp_path):
    """うち rows are parts of their parent; 7000 無国籍 has no children, so it is a nationality."""
    values = table_values()
    records = wide_records(values)
    set_cell(records, "2025000606", "1240", "教授", "0")
    set_cell(
        records,
        "2025000606",
        "1240",
        "総数",
        str(int(values["2025000606", "1240"]["総数"]) - int(values["2025000606", "1240"]["教授"])),
    )
    stateless = {label: ("0" if label not in ("総数", "留学") else "3") for label in LABELS}
    stateless["技能実習合計"] = "0"
    for period, period_label in PERIODS:
        records.append(
            ["01", "", "人数【人】", period, "", period_label, "7000", "", "無国籍", ""]
            + [stateless[s] for s in LABELS]
        )
        for area in ("0000",):
            row = values[period, area]
            set_cell(records, period, area, "留学", str(int(row["留学"]) + 3))
            set_cell(records, period, area, "総数", str(int(row["総数"]) + 3))
    for period, _ in PERIODS[1:]:
        set_cell(records, period, "7000", "技能実習合計", MISSING)
    path, _ = write_table(tmp_path, records)
    cells = estat.read_estat(path).cells
    assert set(cells.loc[cells["area_code"] == "7000", "area_kind"]) == {v.AREA_NATIONALITY}


# --- refusals: the rows and cells ------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_repeated_row(tmp_path, layout):
    records = wide_records()
    at = next(i for i, r in enumerate(records) if len(r) > 6 and r[6] == "1360")
    records.insert(at + 1, list(records[at]))
    path, written = write_table(tmp_path, records, layout)
    message = refused(path)
    first = find_line(layout, written, records[at][3], "1360", "総数")
    if layout == "wide":
        assert f"line {first + 1}," in message and "repeated row" in message
    else:
        assert f"line {first + len(STATUSES)}," in message and "repeated value" in message
    assert f"also on line {first}" in message and "1360" in message


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("code", ["2025000303", "2025000612", "2025000707", "202506", "2025年6月"])
def test_an_unknown_period_code(tmp_path, layout, code):
    records = wide_records()
    for r in records:
        if len(r) > 6 and r[3] == "2024001212":
            r[3] = code
    path, written = write_table(tmp_path, records, layout)
    message = refused(path)
    line = find_line(layout, written, code, "0000", "総数")
    column = "集計時点（半期毎） コード" if layout == "wide" else "time_code"
    assert f"line {line}," in message and f"column '{column}'" in message and f"value '{code}'" in message
    assert "unknown period code" in message


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("text", ["１２", "-5", "+5", "12.0", "1,234", " 12", "12 ", "", "x", "1e3", "--"])
def test_a_value_that_is_not_a_count(tmp_path, layout, text):
    records = wide_records()
    set_cell(records, "2025000606", "1230", "教授", text)
    path, written = write_table(tmp_path, records, layout)
    message = refused(path)
    line = find_line(layout, written, "2025000606", "1230", "教授")
    assert f"line {line}," in message and f"column '{column_name(layout, '教授')}'" in message
    assert f"value {text!r}" in message and "not a count" in message


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_table_with_no_technical_intern_columns(tmp_path, layout):
    keep = [k for k, label in enumerate(LABELS) if not label.startswith("技能実習")]
    n = len(estat.WIDE_HEADER)
    records = [r[:n] + [r[n + k] for k in keep] if len(r) > n else r for r in wide_records()]
    values = table_values()
    for (period, area), row in values.items():  # keep every row's own sum right
        trainees = sum(int(row[s]) for s in estat.TRAINEE_STATUSES if row[s] != MISSING)
        column = records[10].index("総数")
        for r in records:
            if len(r) > 6 and r[3] == period and r[6] == area:
                r[column] = str(int(row["総数"]) - trainees)
    path, _ = write_table(tmp_path, records, layout)
    message = refused(path)
    assert "no technical intern columns" in message and "技能実習１号イ" in message


def test_a_table_missing_one_technical_intern_column(tmp_path):
    n = len(estat.WIDE_HEADER) + LABELS.index("技能実習３号ロ")
    records = [r[:n] + r[n + 1 :] if len(r) > n else r for r in wide_records()]
    message = refused(write_table(tmp_path, records)[0])
    assert "not every technical intern column" in message and "技能実習３号ロ" in message


# --- refusals: the layout and the file -------------------------------------------------------


def test_a_missing_preamble(tmp_path):
    records = wide_records()[4:]
    message = refused(write_table(tmp_path, records)[0])
    assert "line 1," in message and "統計名：" in message and "(read as utf-8)" in message


def test_a_missing_legend(tmp_path):
    records = wide_records()
    del records[4:8]
    message = refused(write_table(tmp_path, records)[0])
    assert "line 5," in message and "no legend" in message


def test_a_legend_without_a_mark_used(tmp_path):
    records = wide_records()
    del records[5]  # the *** row
    message = refused(write_table(tmp_path, records)[0])
    assert "value '***'" in message and "not a count" in message


def test_a_missing_header(tmp_path):
    records = wide_records()
    del records[10]
    message = refused(write_table(tmp_path, records)[0])
    assert "line 11," in message and "no header row" in message


def test_a_missing_code_row(tmp_path):
    records = wide_records()
    del records[8]
    message = refused(write_table(tmp_path, records)[0])
    assert "line 9," in message and "status codes" in message


def test_another_table_is_refused(tmp_path):
    records = wide_records()
    records[1] = ["表番号：", "02"]
    message = refused(write_table(tmp_path, records)[0])
    assert "not the table this reader knows" in message and "02" in message


@pytest.mark.parametrize(
    ("remove", "what"),
    [("STATISTICS_NAME", "STATISTICS_NAME"), ("TITLE", "TITLE")],
)
def test_a_long_file_without_its_section_rows(tmp_path, remove, what):
    records = [r for r in long_records(wide_records()) if not r or r[0] != remove]
    message = refused(write_table(tmp_path, records, name="api.csv")[0])
    assert what in message and "line 8," in message


def test_a_long_file_with_another_header(tmp_path):
    records = long_records(wide_records())
    records[9] = [c.replace("国籍・地域", "地域") for c in records[9]]
    message = refused(write_table(tmp_path, records, name="api.csv")[0])
    assert "line 10," in message and "not the API's header" in message


def test_a_long_file_with_a_cell_missing(tmp_path):
    records = long_records(wide_records())
    gone = next(i for i, r in enumerate(records) if len(r) > 7 and r[4] == "1360" and r[7] == "留学")
    del records[gone]
    message = refused(write_table(tmp_path, records, name="api.csv")[0])
    assert "no value for status 1300" in message and "1360" in message


@pytest.mark.parametrize(
    ("encoding", "looks"),
    [("utf-16", "UTF-16"), ("utf-32", "UTF-32"), ("utf-16-le", "NUL bytes"), ("euc_jp", "EUC-JP")],
)
def test_an_encoding_that_is_neither_utf8_nor_cp932(tmp_path, encoding, looks):
    path, _ = write_table(tmp_path, wide_records(), encoding=encoding)
    message = refused(path)
    assert looks in message
    if looks == "EUC-JP":
        assert "neither UTF-8 nor Shift_JIS (cp932)" in message and "line 1," in message


def test_cp932_bytes_behind_a_utf8_byte_order_mark(tmp_path):
    path, _ = write_table(tmp_path, wide_records(), encoding="cp932")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "byte-order mark but is not UTF-8" in refused(path)


def test_old_mac_line_endings(tmp_path):
    path, _ = write_table(tmp_path, wide_records(), newline="\r")
    message = refused(path)
    assert "carriage return without a line feed" in message and "line 1," in message


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path, _ = write_table(tmp_path, wide_records())
    monkeypatch.setattr(estat, "MAX_BYTES", 100)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read"))
    assert "larger than any raw file should be" in refused(path)


def test_an_empty_or_missing_file(tmp_path):
    assert "the file is missing" in refused(tmp_path / "FEH_00250012_260610061045.csv")
    (tmp_path / "empty.csv").write_bytes(b"\r\n")
    assert "the file is empty" in refused(tmp_path / "empty.csv")


# --- the file name ---------------------------------------------------------------------------


def test_the_download_date_and_statistics_code_come_from_the_name():
    assert estat.download_date("FEH_00250012_260610061045.csv") == date(2026, 6, 10)
    assert estat.statistics_code("x/FEH_00250012_260610061045.csv") == "00250012"
    assert estat.download_date("table.csv") is None and estat.statistics_code("FEH_0025_1.csv") is None
    with pytest.raises(RawDataError, match="not a date"):
        estat.download_date("FEH_00250012_261310061045.csv")


# --- the real download -----------------------------------------------------------------------


def _real_file():
    """The committed download of the primary table (the project ships it: never skipped)."""
    from analysis.sources import primary

    found = primary.table_path()
    assert found is not None, "the committed e-Stat download is missing from data/raw/official/"
    return found


@pytest.fixture(scope="module")
def real():
    return estat.read_estat(_real_file())


def test_the_real_table_end_to_end(real):
    cells = real.cells
    assert (real.layout, real.encoding, real.table_number) == ("wide", "utf-8", "01")
    dates = sorted(cells["period_end"].unique())
    assert len(dates) == 26 and dates[0] == date(2012, 12, 31) and dates[-1] == date(2025, 6, 30)
    assert set(cells["mark"]) <= set(estat.MARKS) | {""}
    # trainees at 2025-06 equal the 技能実習合計 column, for every area
    trainees = estat.trainees(real)
    june = trainees[trainees["period_end"] == dates[-1]].set_index("area_code")["value"]
    given = cells[(cells["period_end"] == dates[-1]) & (cells["status"] == estat.TRAINEE_TOTAL)]
    given = given.set_index("area_code")["value"].dropna()
    assert len(given) > 100 and (june[given.index] == given).all()
    # the leaf nationalities sum to the total, at every date, column by column
    leaves = cells[cells["area_kind"] == v.AREA_NATIONALITY].groupby(["period_code", "status"])["value"].sum()
    totals = cells[cells["area_kind"] == v.AREA_TOTAL].set_index(["period_code", "status"])["value"]
    totals = totals.dropna()
    assert (leaves[totals.index] == totals).all()
    # every date has a trainee total, and all residents
    assert trainees.loc[trainees["area_code"] == estat.TOTAL_AREA_CODE, "value"].notna().sum() == 26
    residents = estat.all_residents(real)
    assert residents.loc[residents["area_code"] == estat.TOTAL_AREA_CODE, "value"].notna().sum() == 26
    skilled = estat.specified_skilled(real)
    first = skilled.loc[skilled["value"].notna(), "period_end"].min()
    assert first == date(2019, 6, 30)


def test_the_real_table_reads_the_same_in_cp932_and_in_the_long_layout(real, tmp_path):
    text = real.path.read_bytes().decode("utf-8")
    try:
        data = text.encode("cp932")
    except UnicodeEncodeError:
        pytest.skip("the real table has a character cp932 does not have")
    (tmp_path / "sjis").mkdir()
    sjis = tmp_path / "sjis" / real.path.name
    sjis.write_bytes(data)
    again = estat.read_estat(sjis)
    assert again.encoding == "cp932"
    pd.testing.assert_frame_equal(again.cells, real.cells)
    # the long layout of three dates (the API serves at most 100,000 values a request: about 2,300 rows a date)
    records = list(csv.reader(io.StringIO(text, newline="")))
    periods = sorted(real.cells["period_code"].unique())
    chosen = {periods[0], periods[-2], periods[-1]}
    records = [r for r in records if len(r) <= 3 or r[3] not in set(periods) - chosen]
    path, _ = write_table(tmp_path, records, "long", newline="\n", name="api.csv")
    long = estat.read_estat(path)
    assert long.layout == "long"
    expected = real.cells[real.cells["period_code"].isin(chosen)].reset_index(drop=True)
    pd.testing.assert_frame_equal(long.cells.drop(columns="line"), expected.drop(columns="line"))
