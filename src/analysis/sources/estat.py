"""The e-Stat table of foreign residents by nationality and status of residence, read as published.

The Immigration Services Agency's "Statistics on Foreign Residents" (在留外国人統計), table 01
(国籍・地域別 在留資格別 在留外国人), as e-Stat serves it: one count of residents per date,
nationality and status of residence. :func:`read_estat` reads a download in either of the two
layouts e-Stat writes, checks every cell and every sum the table implies, and returns the cells
as one long table (:data:`CELL_COLUMNS`); a file it cannot vouch for is refused with a
:class:`~analysis.errors.RawDataError` naming the file, line, column and value.

The wide layout (the download button of the e-Stat site, ``FEH_<statistics code>_<yymmddhhmmss>.csv``)::

    "統計名：","在留外国人統計（旧登録外国人統計） 在留外国人統計"       <- the preamble
    "表番号：","01"
    "表題：","国籍・地域別　在留資格別　在留外国人"
    "実施年月：","-","-"

    "***","数字が得られないもの"                                     <- the legend
    "-","数字が得られないもの"

    "",…,"/在留資格 コード","1010","1040",…                          <- status codes
    "",…,"/在留資格 補助コード","-","-",…                            <- their sub-codes
    "表章項目 コード",…,"国籍・地域","/在留資格","総数","教授",…      <- the header (WIDE_HEADER + statuses)
    "01","","人数【人】","2025000606","","2025年6月","0000","","総数","","3956619","7827",…

The long layout (the CSV of the e-Stat API, one value per row) is described at
:data:`LONG_DIMENSIONS`. Both give the same cells.

Marks (:data:`MARKS`): ``***`` and ``-`` both mean "no figure" in the legend; the publisher's
notes say that up to June 2020 (:data:`DASH_ALSO_ZERO_UNTIL`) a ``-`` was written for zero as well
as for no figure, and ``0`` from December 2020. A marked cell has no value (``<NA>``): a number is
never made up for it, and a sum counts only the figures given.

Rows (:data:`~analysis.vocabulary.AREA_KINDS`): area ``0000`` is the total; a code ``X000`` with
other codes ``X…`` is a region total; a label beginning ``うち`` is a part already counted in
its parent; every other row (``7000`` 無国籍, stateless, included) is a nationality, and the
nationalities of a date add up to its total.
"""

from __future__ import annotations

import csv
import gc
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from analysis import vocabulary as v
from analysis.errors import RawDataError
from analysis.sources.raw import check_size
from analysis.tables import ESTAT

#: No e-Stat download may be larger than this; it is checked before the file is read. The table
#: is 1.5 MB for 26 dates and grows by about 60 KB a date, so this lasts for centuries of
#: half-years while a runaway file is still refused.
MAX_BYTES = ESTAT.max_bytes

#: The encodings e-Stat offers (its Shift_JIS is cp932 in practice), tried in this order, strictly.
ENCODINGS = ESTAT.encodings

#: The layouts: the site's download (a column per status) and the API's CSV (a row per value).
LAYOUTS = MappingProxyType(
    {
        "wide": "the e-Stat site's download: a preamble, a legend, two code rows, a header, a column per status",
        "long": "the e-Stat API's CSV: section rows, a VALUE line, a header, one value per row",
    }
)
WIDE, LONG = LAYOUTS

# --- the table ------------------------------------------------------------------------------

#: What the preamble must say for the file to be this table (the title compared without spaces).
STATISTICS_NAME = ESTAT.statistics_ja
TABLE_NUMBER = ESTAT.table_number
TITLE = "国籍・地域別　在留資格別　在留外国人"

#: The wide layout's preamble: its labels and the EstatTable fields they fill (all required).
PREAMBLE = MappingProxyType({"統計名：": "statistics_name", "表番号：": "table_number", "表題：": "title"})

#: Marks a cell may hold instead of a count, and what each means (the legend must declare them).
MARKS = MappingProxyType(
    {
        "***": "no figure (数字が得られないもの)",
        "-": "no figure (数字が得られないもの); up to June 2020 the publisher also wrote it for zero",
    }
)
#: The mark column of a cell that holds a count.
NO_MARK = ""
#: The last date at which a ``-`` may also stand for zero (the publisher's notes).
DASH_ALSO_ZERO_UNTIL = date(2020, 6, 30)

#: The status columns the project reads, as the table labels them.
ALL_STATUSES = "総数"
#: A status column named ``<stem>合計`` is the sum of the columns whose label begins ``<stem>``.
SUM_SUFFIX = "合計"
TRAINEE_STATUSES = (
    "技能実習１号イ",
    "技能実習１号ロ",
    "技能実習２号イ",
    "技能実習２号ロ",
    "技能実習３号イ",
    "技能実習３号ロ",
)
TRAINEE_TOTAL = "技能実習合計"
SPECIFIED_SKILLED_STATUSES = ("特定技能１号", "特定技能２号")

#: The area code of the total, and the prefix of a sub-row's label.
TOTAL_AREA_CODE = "0000"
SUB_PREFIX = "うち"

#: The first columns of the wide layout's header; the statuses follow.
WIDE_HEADER = (
    "表章項目 コード",
    "表章項目 補助コード",
    "表章項目",
    "集計時点（半期毎） コード",
    "集計時点（半期毎） 補助コード",
    "集計時点（半期毎）",
    "国籍・地域 コード",
    "国籍・地域 補助コード",
    "国籍・地域",
    "/在留資格",
)
#: Where the wide layout's row of status codes, of sub-codes, and the header begin.
CODE_ROW = "/在留資格 コード"
SUB_CODE_ROW = "/在留資格 補助コード"
_WIDE_PERIOD, _WIDE_AREA, _WIDE_AREA_LABEL = 3, 6, 8

#: The long layout, after a line ``VALUE``: each dimension is a code column named ``<id>_code``
#: (:data:`LONG_CODE_COLUMN`: ``tab``, ``time``, ``area`` or ``cat01`` … ``cat99``, as the API
#: names it) followed by its label column, recognised by the label column's name below; then
#: :data:`LONG_TRAILER`. A ``value`` holds a count or a mark; an ``annotation`` must be empty.
#: Before ``VALUE``, the section rows ``"STATISTICS_NAME",<name>`` and
#: ``"TITLE",<table number>,<title>`` identify the table. For example::
#:
#:     "VALUE"
#:     "tab_code","表章項目","time_code","集計時点（半期毎）","area_code","国籍・地域","cat01_code","在留資格","unit","value","annotation"
#:     "01","人数【人】","2025000606","2025年6月","0000","総数","1010","総数","人","3956619",""
LONG_DIMENSIONS = MappingProxyType(
    {
        "item": ("表章項目",),
        "period": ("集計時点（半期毎）",),
        "area": ("国籍・地域",),
        "status": ("在留資格", "/在留資格"),
    }
)
LONG_CODE_COLUMN = re.compile(r"(?:tab|time|area|cat[0-9]{2})_code")
LONG_TRAILER = ("unit", "value", "annotation")
LONG_START = "VALUE"
LONG_PREAMBLE = ("STATISTICS_NAME", "TITLE")

#: The columns of :attr:`EstatTable.cells` and their types, in order.
CELL_COLUMNS = MappingProxyType(
    {
        "period_code": "str",  # as written: YYYY000606 or YYYY001212
        "period_end": "object",  # datetime.date: the last day of that June or December
        "area_code": "str",  # 0000 the total, X000 a region, others a nationality or a sub-row
        "area": "str",  # the label as written
        "area_kind": "str",  # one of vocabulary.AREA_KINDS
        "status_code": "str",
        "status": "str",  # the label as written (総数, 教授, …)
        "value": "Int64",  # the count; <NA> where the table gives no figure
        "mark": "str",  # '' for a count, else the mark written (MARKS)
        "line": "int64",  # the 1-based line of the file the value is on, for messages
    }
)

#: The columns the helpers return.
SERIES_COLUMNS = ("period_end", "area_code", "area", "area_kind", "value", "line")

_PERIOD = re.compile(r"([0-9]{4})00(06|12)\2")
_COUNT = re.compile(r"[0-9]{1,15}")
_FILE_NAME = re.compile(r"FEH_([0-9]{8})_([0-9]{12})\.csv")  # any statistics code; ESTAT.name_pattern is this one's
_AREA_CODE = re.compile(r"[0-9]{4}")
_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
)
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, eq=False)
class EstatTable:
    """An e-Stat table as read and validated: where it came from, what it says it is, its cells."""

    path: Path
    statistics_name: str
    table_number: str
    title: str
    #: 'utf-8' (with or without a byte-order mark) or 'cp932' (e-Stat's Shift_JIS).
    encoding: str
    #: 'wide' or 'long' (:data:`LAYOUTS`).
    layout: str
    #: One row per date, area and status (:data:`CELL_COLUMNS`), in the file's order.
    cells: pd.DataFrame = field(repr=False)


@dataclass
class _Grid:
    """The cells as read, before they are checked: a row per (date, area), a column per status."""

    periods: np.ndarray  # period code per row
    areas: np.ndarray  # area code per row
    area_labels: np.ndarray  # area label per row
    row_lines: np.ndarray  # the line of each row (the first line of its values)
    status_codes: list[str]
    statuses: list[str]
    texts: np.ndarray  # (rows, statuses) of str
    lines: np.ndarray  # (rows, statuses) of int
    period_column: str
    area_column: str
    #: How a message names the column of a status's values.
    value_column: str = "{}"
    marks: tuple[str, ...] = tuple(MARKS)


# --- reading --------------------------------------------------------------------------------


def read_estat(path: str | Path) -> EstatTable:
    """Read and validate an e-Stat download of the table, in either layout and encoding.

    Refused (:class:`~analysis.errors.RawDataError`): a file larger than :data:`MAX_BYTES`, not
    UTF-8 or cp932, without the preamble, legend or header of the table; an unknown period code,
    a repeated row, a value that is not a count; a table without the technical intern columns;
    a 総数 that is not the sum of its row's statuses, a …合計 that is not the sum of its parts,
    a region or a date's total that is not the sum of its nationalities.
    """
    path = Path(path)
    text, encoding = _decode(path)
    with _no_collection():
        records = _records(path, text)
        if any(fields == [LONG_START] for _, fields in records):
            layout = LONG
            meta, grid = _read_long(path, records)
        else:
            layout = WIDE
            meta, grid = _read_wide(path, records, encoding)
        del records
        _recognise(path, meta)
        cells = _cells(path, grid)
    return EstatTable(path=path, encoding=encoding, layout=layout, cells=cells, **meta)


@contextmanager
def _no_collection():
    """Pause the cycle collector while the records are read: the millions of lists and strings of
    a long file hold no cycles, and collecting them as they are made costs more than reading."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _decode(path: Path) -> tuple[str, str]:
    """The file's text and its encoding, decided by strict decoding; anything else is refused."""
    check_size(path, MAX_BYTES)  # before anything reads it
    data = path.read_bytes()
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise RawDataError(
                path,
                None,
                None,
                bom.hex(" "),
                f"the file is {name} (its byte-order mark says so); e-Stat writes UTF-8 or Shift_JIS (cp932): "
                "download it again in one of them",
            )
    if b"\x00" in data[:4096]:
        raise RawDataError(
            path, None, None, "\\x00", "NUL bytes: UTF-16 or UTF-32 without a byte-order mark, or not text at all"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8:
        if data.startswith(_UTF8_BOM):
            raise _undecodable(path, data, utf8, "begins with a UTF-8 byte-order mark but is not UTF-8") from None
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            reason = "neither UTF-8 nor Shift_JIS (cp932), the encodings e-Stat offers"
            try:
                data.decode("euc_jp")
                reason += "; it decodes as EUC-JP, which e-Stat does not write"
            except UnicodeDecodeError:
                pass
            raise _undecodable(path, data, utf8, reason) from None
        encoding = "cp932"
    else:
        encoding = "utf-8"
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise RawDataError(path, None, None, "", "the file is empty")
    bare = re.search(r"\r(?!\n)", text)
    if bare:
        raise RawDataError(
            path,
            None,
            None,
            "\\r",
            f"a carriage return without a line feed (line endings must be CRLF or LF; read as {encoding})",
            line=text.count("\n", 0, bare.start()) + 1,
        )
    return text, encoding


def _undecodable(path: Path, data: bytes, err: UnicodeDecodeError, reason: str) -> RawDataError:
    """The refusal of bytes that do not decode: the first bad bytes (as UTF-8 sees them) and their line."""
    line = data.count(b"\n", 0, err.start) + 1
    return RawDataError(path, None, None, data[err.start : err.start + 4].hex(" "), reason, line=line)


def _records(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """The CSV records with the (1-based) line each ends on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return [(reader.line_num, fields) for fields in reader]
    except csv.Error as err:
        raise RawDataError(path, None, None, "", f"not a readable CSV ({err})", line=reader.line_num) from None


def _refuse_missing(path: Path, line: int, fields: list[str], what: str, encoding: str | None = None) -> RawDataError:
    """The refusal of a file without a part of the table's layout."""
    found = ",".join(fields) if fields else "(a blank line)"
    read_as = f" (read as {encoding})" if encoding else ""
    return RawDataError(path, None, None, found, f"not the e-Stat table's layout{read_as}: {what}", line=line)


def _read_wide(path: Path, records: list[tuple[int, list[str]]], encoding: str) -> tuple[dict, _Grid]:
    """The preamble and cells of the site's download (a column per status)."""
    i, meta = 0, {}
    while i < len(records) and records[i][1] and records[i][1][0] in PREAMBLE:
        line, fields = records[i]
        if len(fields) < 2:
            raise RawDataError(path, None, None, fields[0], "a preamble row without its value", line=line)
        meta[PREAMBLE[fields[0]]] = fields[1]
        i += 1
    missing = [label for label, name in PREAMBLE.items() if name not in meta]
    if missing:
        line, fields = records[min(i, len(records) - 1)]
        raise _refuse_missing(
            path, line, fields, f"no preamble row {missing[0]!r} (expected {list(PREAMBLE)})", encoding
        )
    while i < len(records) and records[i][1] and records[i][1][0].endswith("："):
        i += 1  # further preamble rows (実施年月：)
    while i < len(records) and not records[i][1]:
        i += 1
    legend = {}
    while i < len(records) and records[i][1] and records[i][1][0] in MARKS:
        legend[records[i][1][0]] = records[i][1][1:]
        i += 1
    if not legend:
        line, fields = records[min(i, len(records) - 1)]
        raise _refuse_missing(path, line, fields, f"no legend (rows declaring the marks {list(MARKS)})", encoding)
    while i < len(records) and not records[i][1]:
        i += 1
    expected = [(CODE_ROW, "the row of status codes"), (SUB_CODE_ROW, "the row of status sub-codes")]
    rows = []
    for label, what in expected:
        line, fields = records[i] if i < len(records) else (records[-1][0] + 1, [])
        if len(fields) <= len(WIDE_HEADER) or fields[len(WIDE_HEADER) - 1] != label:
            raise _refuse_missing(path, line, fields, f"no {what} (a row with {label!r} in its column 10)", encoding)
        rows.append(fields)
        i += 1
    line, header = records[i] if i < len(records) else (records[-1][0] + 1, [])
    if tuple(header[: len(WIDE_HEADER)]) != WIDE_HEADER:
        raise _refuse_missing(
            path, line, header, f"no header row (expected it to begin {', '.join(WIDE_HEADER)})", encoding
        )
    width = len(header)
    for (label, _), fields in zip(expected, rows):
        if len(fields) != width:
            raise RawDataError(
                path, None, label, len(fields), f"the code row has {len(fields)} fields, the header {width}", line=line
            )
    statuses = header[len(WIDE_HEADER) :]
    codes = rows[0][len(WIDE_HEADER) :]
    _unique(path, line, statuses, "status")
    _unique(path, line - 2, codes, "status code")
    data = [(n, fields) for n, fields in records[i + 1 :] if fields]
    if not data:
        raise _refuse_missing(path, line, header, "no data rows after the header", encoding)
    for n, fields in data:
        if len(fields) != width:
            raise RawDataError(
                path,
                None,
                None,
                ",".join(fields),
                f"{len(fields)} fields where the header has {width} (a comma not quoted?)",
                line=n,
            )
    table = np.array([fields for _, fields in data], dtype=object)
    row_lines = np.array([n for n, _ in data], dtype=np.int64)
    grid = _Grid(
        periods=table[:, _WIDE_PERIOD],
        areas=table[:, _WIDE_AREA],
        area_labels=table[:, _WIDE_AREA_LABEL],
        row_lines=row_lines,
        status_codes=codes,
        statuses=statuses,
        texts=table[:, len(WIDE_HEADER) :],
        lines=np.broadcast_to(row_lines[:, None], (len(data), len(statuses))),
        period_column=WIDE_HEADER[_WIDE_PERIOD],
        area_column=WIDE_HEADER[_WIDE_AREA],
        marks=tuple(legend),
    )
    return meta, grid


def _unique(path: Path, line: int, names: list[str], what: str) -> None:
    """Refuse a header that names a column twice."""
    seen = set()
    for name in names:
        if name in seen:
            raise RawDataError(path, None, name, name, f"a {what} named twice in the header", line=line)
        seen.add(name)


def _read_long(path: Path, records: list[tuple[int, list[str]]]) -> tuple[dict, _Grid]:
    """The preamble and cells of the API's CSV (a value per row)."""
    start = next(i for i, (_, fields) in enumerate(records) if fields == [LONG_START])
    sections = {fields[0]: fields[1:] for _, fields in records[:start] if fields and fields[0] in LONG_PREAMBLE}
    missing = [key for key in LONG_PREAMBLE if not sections.get(key)]
    if missing or len(sections["TITLE"]) < 2:
        line, fields = records[start]
        raise _refuse_missing(
            path,
            line,
            fields,
            f"no section row {(missing or ['TITLE'])[0]!r} before {LONG_START!r} "
            '(expected "STATISTICS_NAME",<name> and "TITLE",<table number>,<title>)',
        )
    meta = {
        "statistics_name": sections["STATISTICS_NAME"][0],
        "table_number": sections["TITLE"][0],
        "title": sections["TITLE"][1],
    }
    line, header = records[start + 1] if start + 1 < len(records) else (records[start][0] + 1, [])
    columns = _long_columns(path, line, header)
    data = [(n, fields) for n, fields in records[start + 2 :] if fields]
    if not data:
        raise _refuse_missing(path, line, header, "no data rows after the header")
    for n, fields in data:
        if len(fields) != len(header):
            raise RawDataError(
                path,
                None,
                None,
                ",".join(fields),
                f"{len(fields)} fields where the header has {len(header)} (a comma not quoted?)",
                line=n,
            )
    lines_of, fields_of = zip(*data)
    table = pd.DataFrame(
        {k: np.array(column, dtype=object) for k, column in enumerate(zip(*fields_of))}
        | {"line": np.array(lines_of, dtype=np.int64)}
    )
    annotated = table[table[columns["annotation"]] != ""]
    if len(annotated):
        first = annotated.iloc[0]
        raise RawDataError(
            path,
            None,
            "annotation",
            first[columns["annotation"]],
            "an annotation this reader does not know what to do with",
            line=int(first["line"]),
        )
    period, area, status = columns["period"], columns["area"], columns["status"]
    labels = table.groupby(status[0], sort=False)[status[1]].unique()
    for code, names in labels.items():
        if len(names) > 1:
            at = table[(table[status[0]] == code) & (table[status[1]] == names[1])].iloc[0]
            raise RawDataError(
                path,
                None,
                header[status[1]],
                names[1],
                f"status code {code} is labelled {names[0]!r} elsewhere",
                line=int(at["line"]),
            )
    period_index, _ = pd.factorize(table[period[0]])
    area_index, area_codes = pd.factorize(table[area[0]])
    row_index, row_keys = pd.factorize(period_index * len(area_codes) + area_index)
    col_index, col_codes = pd.factorize(table[status[0]])
    n_rows, n_cols = len(row_keys), len(col_codes)
    flat = row_index * n_cols + col_index
    repeated = pd.Series(flat).duplicated()
    if repeated.any():
        second = int(np.argmax(repeated.to_numpy()))
        first = int(np.argmax(flat == flat[second]))
        raise RawDataError(
            path,
            None,
            header[status[0]],
            table.iat[second, status[0]],
            f"a repeated value: period {table.iat[second, period[0]]}, area {table.iat[second, area[0]]} "
            f"and this status are also on line {table['line'].iat[first]}",
            line=int(table["line"].iat[second]),
        )
    texts = np.full(n_rows * n_cols, None, dtype=object)
    texts[flat] = table[columns["value"]].to_numpy()
    lines = np.zeros(n_rows * n_cols, dtype=np.int64)
    lines[flat] = table["line"].to_numpy()
    texts, lines = texts.reshape(n_rows, n_cols), lines.reshape(n_rows, n_cols)
    _, first_of_row = np.unique(row_index, return_index=True)  # row keys are numbered as they first appear
    absent = np.argwhere(pd.isna(texts))
    if len(absent):
        r, s = absent[0]
        at = first_of_row[r]
        raise RawDataError(
            path,
            None,
            header[status[1]],
            col_codes[s],
            f"no value for status {col_codes[s]} at period {table.iat[at, period[0]]}, "
            f"area {table.iat[at, area[0]]} (every date, area and status must have a row)",
            line=int(table["line"].iat[at]),
        )
    grid = _Grid(
        periods=table[period[0]].to_numpy()[first_of_row],
        areas=table[area[0]].to_numpy()[first_of_row],
        area_labels=table[area[1]].to_numpy()[first_of_row],
        row_lines=table["line"].to_numpy()[first_of_row],
        status_codes=list(col_codes),
        statuses=[labels[c][0] for c in col_codes],
        texts=texts,
        lines=lines,
        period_column=header[period[0]],
        area_column=header[area[0]],
        value_column="value ({})",
    )
    return meta, grid


def _long_columns(path: Path, line: int, header: list[str]) -> dict:
    """Where each dimension's code and label, and the trailer columns, are in a long header."""
    expected = (
        f"expected a code column (<id>_code) and a label column for each of {dict(LONG_DIMENSIONS)}, "
        f"then {list(LONG_TRAILER)}"
    )
    if tuple(header[-len(LONG_TRAILER) :]) != LONG_TRAILER:
        raise _refuse_missing(path, line, header, f"not the API's header: {expected}")
    columns: dict[str, object] = {name: len(header) - len(LONG_TRAILER) + k for k, name in enumerate(LONG_TRAILER)}
    pairs = header[: -len(LONG_TRAILER)]
    if len(pairs) % 2:
        raise _refuse_missing(path, line, header, f"not the API's header: {expected}")
    for k in range(0, len(pairs), 2):
        code, label = pairs[k], pairs[k + 1]
        dimension = next((d for d, names in LONG_DIMENSIONS.items() if label in names), None)
        if not LONG_CODE_COLUMN.fullmatch(code) or dimension is None or dimension in columns:
            raise RawDataError(path, None, label, code, f"not the API's header: {expected}", line=line)
        columns[dimension] = (k, k + 1)
    absent = [d for d in LONG_DIMENSIONS if d not in columns]
    if absent:
        raise _refuse_missing(path, line, header, f"no {absent[0]} columns: {expected}")
    return columns


def _recognise(path: Path, meta: dict) -> None:
    """Refuse a file whose preamble names another table."""
    found = (meta["statistics_name"], meta["table_number"], re.sub(r"\s", "", meta["title"]))
    if STATISTICS_NAME not in found[0] or found[1] != TABLE_NUMBER or found[2] != re.sub(r"\s", "", TITLE):
        raise RawDataError(
            path,
            None,
            None,
            f"{meta['statistics_name']} / {meta['table_number']} / {meta['title']}",
            f"not the table this reader knows: {STATISTICS_NAME}, table {TABLE_NUMBER}, {TITLE}",
        )


# --- checking -------------------------------------------------------------------------------


def period_end(code: str) -> date | None:
    """The date a period code of the table stands for; None for a code it does not use.

    >>> period_end("2025000606"), period_end("2012001212"), period_end("2025000612")
    (datetime.date(2025, 6, 30), datetime.date(2012, 12, 31), None)
    """
    match = _PERIOD.fullmatch(code)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return date(year, 6, 30) if month == 6 else date(year, 12, 31)


def _cells(path: Path, grid: _Grid) -> pd.DataFrame:
    """Check the grid and flatten it into :data:`CELL_COLUMNS`."""
    n_rows, n_cols = grid.texts.shape
    statuses = grid.statuses
    # columns the project needs
    if ALL_STATUSES not in statuses:
        raise RawDataError(
            path, None, ALL_STATUSES, "", f"the table has no {ALL_STATUSES} column", line=int(grid.row_lines[0]) - 1
        )
    absent = [s for s in TRAINEE_STATUSES if s not in statuses]
    if absent:
        what = (
            "no technical intern columns"
            if len(absent) == len(TRAINEE_STATUSES)
            else "not every technical intern column"
        )
        raise RawDataError(
            path,
            None,
            absent[0],
            "",
            f"{what}: expected {', '.join(TRAINEE_STATUSES)}; missing {', '.join(absent)}",
            line=int(grid.row_lines[0]) - 1,
        )
    # periods
    ends = {code: period_end(code) for code in pd.unique(grid.periods)}
    for code, end in ends.items():
        if end is None:
            r = int(np.argmax(grid.periods == code))
            raise RawDataError(
                path,
                None,
                grid.period_column,
                code,
                "an unknown period code (expected YYYY000606, the end of June, or YYYY001212, the end of December)",
                line=int(grid.row_lines[r]),
            )
    # areas
    for code in pd.unique(grid.areas):
        if not _AREA_CODE.fullmatch(code):
            r = int(np.argmax(grid.areas == code))
            raise RawDataError(
                path,
                None,
                grid.area_column,
                code,
                "an area code this reader does not know (four digits expected)",
                line=int(grid.row_lines[r]),
            )
    keys = pd.Series(grid.periods + "|" + grid.areas)
    repeated = keys.duplicated()
    if repeated.any():
        r = int(np.argmax(repeated.to_numpy()))
        first = int(np.argmax((keys == keys[r]).to_numpy()))
        raise RawDataError(
            path,
            None,
            grid.area_column,
            grid.areas[r],
            f"a repeated row: period {grid.periods[r]} and area {grid.areas[r]} are also on line "
            f"{grid.row_lines[first]} (one row per period and area)",
            line=int(grid.row_lines[r]),
        )
    kinds = _area_kinds(grid.areas, grid.area_labels)
    # counts
    flat = grid.texts.ravel()
    index, uniques = pd.factorize(flat)
    numbers = np.zeros(len(uniques), dtype=np.int64)
    given_of = np.zeros(len(uniques), dtype=bool)
    marks_of = np.full(len(uniques), NO_MARK, dtype=object)
    for k, text in enumerate(uniques):
        if _COUNT.fullmatch(text):
            numbers[k], given_of[k] = int(text), True
        elif text in grid.marks:
            marks_of[k] = text
        else:
            r, s = divmod(int(np.argmax(index == k)), n_cols)
            allowed = ", ".join(repr(m) for m in grid.marks)
            raise RawDataError(
                path,
                None,
                grid.value_column.format(statuses[s]),
                text,
                f"not a count (plain ASCII digits only; or a mark of the legend: {allowed})",
                line=int(grid.lines[r, s]),
            )
    values = numbers[index].reshape(n_rows, n_cols)
    given = given_of[index].reshape(n_rows, n_cols)
    _check_sums(path, grid, values, given, kinds)
    # the long table
    status_codes = np.array(grid.status_codes, dtype=object)
    status_labels = np.array(statuses, dtype=object)
    cells = pd.DataFrame(
        {
            "period_code": np.repeat(grid.periods, n_cols),
            "period_end": np.repeat(pd.Series(grid.periods).map(ends).to_numpy(dtype=object), n_cols),
            "area_code": np.repeat(grid.areas, n_cols),
            "area": np.repeat(grid.area_labels, n_cols),
            "area_kind": np.repeat(kinds, n_cols),
            "status_code": np.tile(status_codes, n_rows),
            "status": np.tile(status_labels, n_rows),
            "value": pd.arrays.IntegerArray(values.ravel(), ~given.ravel()),
            "mark": marks_of[index],
            "line": np.ascontiguousarray(grid.lines).ravel(),
        }
    )
    return cells.astype(dict(CELL_COLUMNS))


def _area_kinds(codes: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The kind of each row (:data:`~analysis.vocabulary.AREA_KINDS`) from its code and label."""
    unique = set(pd.unique(codes))
    with_children = {
        c for c in unique if c != TOTAL_AREA_CODE and c.endswith("000") and any(o[0] == c[0] and o != c for o in unique)
    }
    kinds = np.full(len(codes), v.AREA_NATIONALITY, dtype=object)
    kinds[np.array([label.startswith(SUB_PREFIX) for label in labels], dtype=bool)] = v.AREA_SUB
    kinds[np.isin(codes, list(with_children))] = v.AREA_REGION
    kinds[codes == TOTAL_AREA_CODE] = v.AREA_TOTAL
    return kinds


def _check_sums(path: Path, grid: _Grid, values: np.ndarray, given: np.ndarray, kinds: np.ndarray) -> None:
    """Refuse a row, a …合計, a region or a date's total that is not the sum the table implies."""
    statuses = grid.statuses
    total = statuses.index(ALL_STATUSES)
    sums = [s for s in statuses if s.endswith(SUM_SUFFIX)]
    parts = [k for k, s in enumerate(statuses) if k != total and s not in sums]

    def refuse(r: int, s: int, expected: int, why: str):
        raise RawDataError(
            path,
            None,
            grid.value_column.format(statuses[s]),
            grid.texts[r, s],
            f"{grid.area_labels[r]} ({grid.areas[r]}) at {period_end(grid.periods[r])}: {why}: expected {expected}",
            line=int(grid.lines[r, s]),
        )

    # a row's 総数 is the sum of its statuses (not counting the …合計 columns)
    row_sum = values[:, parts].sum(axis=1)
    wrong = given[:, total] & (values[:, total] != row_sum)
    if wrong.any():
        r = int(np.argmax(wrong))
        refuse(r, total, int(row_sum[r]), f"{ALL_STATUSES} is not the sum of the row's statuses given")
    # a …合計 is the sum of its parts
    for name in sums:
        s = statuses.index(name)
        stem = name.removesuffix(SUM_SUFFIX)
        own = [k for k, label in enumerate(statuses) if label.startswith(stem) and k != s]
        part_sum = values[:, own].sum(axis=1)
        wrong = given[:, s] & (values[:, s] != part_sum)
        if wrong.any():
            r = int(np.argmax(wrong))
            named = ", ".join(statuses[k] for k in own)
            refuse(r, s, int(part_sum[r]), f"{name} is not the sum of its parts given ({named})")
    # a date's nationalities add up to its total row, and a region's to the region
    period_index, period_codes = pd.factorize(grid.periods)
    leaf = kinds == v.AREA_NATIONALITY
    frame = pd.DataFrame(values[leaf])
    by_period = frame.groupby(period_index[leaf]).sum().reindex(range(len(period_codes)), fill_value=0).to_numpy()
    totals = np.flatnonzero(kinds == v.AREA_TOTAL)
    missing = sorted(set(range(len(period_codes))) - set(period_index[totals]))
    if missing:
        code = period_codes[missing[0]]
        r = int(np.argmax(grid.periods == code))
        raise RawDataError(
            path,
            None,
            grid.area_column,
            code,
            f"no total row (area {TOTAL_AREA_CODE}) for period {code}",
            line=int(grid.row_lines[r]),
        )
    _check_parents(totals, by_period[period_index[totals]], given, values, refuse, "its nationalities")
    blocks = np.array([int(code[0]) for code in grid.areas], dtype=np.int64)
    block_index = period_index * 10 + blocks
    by_block = frame.groupby(block_index[leaf]).sum()
    regions = np.flatnonzero(kinds == v.AREA_REGION)
    expected = by_block.reindex(block_index[regions], fill_value=0).to_numpy()
    _check_parents(regions, expected, given, values, refuse, "its nationalities")


def _check_parents(rows: np.ndarray, expected: np.ndarray, given, values, refuse, what: str) -> None:
    """Refuse the first of ``rows`` whose given values differ from ``expected`` (row by status)."""
    wrong = given[rows] & (values[rows] != expected)
    if wrong.any():
        i, s = np.argwhere(wrong)[0]
        refuse(int(rows[i]), int(s), int(expected[i, s]), f"not the sum of {what}")


# --- series ---------------------------------------------------------------------------------


def trainees(table: EstatTable) -> pd.DataFrame:
    """Technical intern trainees per date and area: the sum of the six 技能実習 columns given.

    A status that did not exist yet, or a marked cell, contributes nothing; where none of the six
    is given the value is <NA>. Where 技能実習合計 is given it equals this sum (checked when read).
    Columns :data:`SERIES_COLUMNS`, by date, areas in the table's order.
    """
    return _status_sum(table, TRAINEE_STATUSES)


def specified_skilled(table: EstatTable) -> pd.DataFrame:
    """Specified Skilled Workers per date and area: 特定技能１号 + 特定技能２号, as :func:`trainees`.

    <NA> before the status existed (April 2019) or wherever neither is given.
    """
    return _status_sum(table, SPECIFIED_SKILLED_STATUSES)


def all_residents(table: EstatTable) -> pd.DataFrame:
    """All foreign residents per date and area: the 総数 column. Columns :data:`SERIES_COLUMNS`."""
    return _status_sum(table, (ALL_STATUSES,))


def _status_sum(table: EstatTable, statuses: tuple[str, ...]) -> pd.DataFrame:
    """The sum of the given figures of ``statuses`` per date and area (<NA> where none is given)."""
    cells = table.cells
    present = set(cells["status"].unique())
    absent = [s for s in statuses if s not in present]
    if absent:
        raise RawDataError(table.path, None, absent[0], "", f"the table has no {absent[0]} column")
    chosen = cells[cells["status"].isin(statuses)]
    # one key per (date, area), whatever the layout; the first cell of each stands for the row
    key = (chosen["period_code"] + "|" + chosen["area_code"]).to_numpy()
    summed = chosen["value"].groupby(key, sort=False).sum(min_count=1)
    first = ~pd.Series(key).duplicated().to_numpy()
    rows = chosen.loc[first, ["period_end", "area_code", "area", "area_kind", "line"]]
    out = rows.assign(value=summed.reindex(key[first]).to_numpy())
    out = out.sort_values("period_end", kind="stable").reset_index(drop=True)
    return out[list(SERIES_COLUMNS)].astype({"value": "Int64"})


# --- the file name --------------------------------------------------------------------------


def download_date(path: str | Path) -> date | None:
    """The date e-Stat served a download, from its name ``FEH_<code>_<yymmddhhmmss>.csv``; None for another name.

    >>> download_date("data/raw/official/FEH_00250012_260610061045.csv")
    datetime.date(2026, 6, 10)
    >>> download_date("stock.csv") is None
    True
    """
    match = _FILE_NAME.fullmatch(Path(path).name)
    if not match:
        return None
    stamp = match[2]
    try:
        return date(2000 + int(stamp[0:2]), int(stamp[2:4]), int(stamp[4:6]))
    except ValueError:
        raise RawDataError(
            Path(path), None, None, stamp, "the name's time stamp (yymmddhhmmss) is not a date"
        ) from None


def statistics_code(path: str | Path) -> str | None:
    """The government statistics code in an e-Stat download's name; None for another name.

    >>> statistics_code("FEH_00250012_260610061045.csv"), statistics_code("stock.csv")
    ('00250012', None)
    """
    match = _FILE_NAME.fullmatch(Path(path).name)
    return match[1] if match else None
