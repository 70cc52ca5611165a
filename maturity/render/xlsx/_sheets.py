"""A small, fast writer of table workbooks (the results and explanation workbooks).

openpyxl spends 10-25 µs on every cell it writes: 19 s for a national results workbook
(3,355 units, ~740,000 cells). These workbooks need only typed cells, a handful of styles,
column widths, a frozen header and a filter, so this module writes the SpreadsheetML parts
itself (about 1 µs a cell) in the order and shape Excel and LibreOffice expect, with no
timestamps, so the same results give the same bytes. The template, which needs data
validation and protection, is still written by openpyxl.

Number formats are stored in Excel's locale-free notation (``#,##0.00``); Excel and
LibreOffice show them with the separators of the reader's settings (vi-VN ``1.234,50``).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from maturity.inputs.xlsx._layout import letter

INTEGER = "#,##0"
DECIMAL = "#,##0.00"
INDEX = "0.0000"
PERCENT = "0%"

Cell = str | int | float | bool | None

# cellXfs of the stylesheet below, by name
PLAIN, HEADER, WRAP, TITLE, BOLD = 0, 1, 6, 7, 8
_NUMBER_STYLE = {INTEGER: 2, DECIMAL: 3, INDEX: 4, PERCENT: 5}
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_STAMP = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, width (characters) and number format."""

    header: str
    width: float = 12
    number_format: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Styled:
    """A cell with a style of its own (a title, a bold label)."""

    value: Cell
    style: int


_NUMBER_STYLES = frozenset(_NUMBER_STYLE.values())
_LETTERS: list[str] = []


def _letters(n: int) -> list[str]:
    while len(_LETTERS) < n:
        _LETTERS.append(letter(len(_LETTERS) + 1))
    return _LETTERS


def _text(value: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 - a deliberate memo
    """The XML of a text, memoised: a results sheet repeats a few words (statuses, tiers)
    hundreds of thousands of times."""
    out = cache.get(value)
    if out is None:
        out = escape(_ILLEGAL.sub("", value))
        if len(value) <= 40 and len(cache) < 10_000:
            cache[value] = out
    return out


def _cell(ref: str, value: Cell, style: int) -> str:
    """One cell's XML (``""`` for an empty cell without a style)."""
    kind = type(value)
    if kind is float or kind is int:
        if kind is float and not math.isfinite(value):  # type: ignore[arg-type]
            return ""
        return (
            f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
            if style
            else f'<c r="{ref}"><v>{value!r}</v></c>'
        )
    if style in _NUMBER_STYLES:
        style = PLAIN  # a text or a yes/no in a number column (e.g. "—") stays plain
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if kind is bool:
        return f'<c r="{ref}"{s} t="b"><v>{int(bool(value))}</v></c>'
    text = _text(str(value))
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


@dataclass
class Sheet:
    """One worksheet, written row by row."""

    name: str
    rows: list[str] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] = (0, 0)  # rows, columns kept in view
    filter_ref: str = ""
    width: int = 1  # columns used

    def append(
        self, cells: Sequence[Cell | Styled], styles: Sequence[int] = (), height: float = 0
    ) -> None:
        """One row; ``height`` in points when the row must be taller (a wrapped header):
        Excel and LibreOffice do not grow a row on opening a file."""
        r = len(self.rows) + 1
        n = len(cells)
        self.width = max(self.width, n)
        letters = _letters(n)
        given = len(styles)
        parts = []
        for c in range(n):
            item = cells[c]
            if isinstance(item, Styled):
                parts.append(_cell(f"{letters[c]}{r}", item.value, item.style))
            else:
                parts.append(_cell(f"{letters[c]}{r}", item, styles[c] if c < given else PLAIN))
        ht = f' ht="{height}" customHeight="1"' if height else ""
        self.rows.append(f'<row r="{r}"{ht}>{"".join(parts)}</row>')

    def blank(self) -> None:
        self.rows.append(f'<row r="{len(self.rows) + 1}"/>')

    def table(
        self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *, freeze_columns: int = 0
    ) -> None:
        """A header row and ``rows``: header frozen, filter on, widths and number formats set
        (must be the sheet's only table, since a sheet has one filter)."""
        first = len(self.rows) + 1
        self.append([Styled(col.header, HEADER) for col in columns], height=_header_height(columns))
        styles = [
            _NUMBER_STYLE.get(col.number_format or "", WRAP if col.wrap else PLAIN)
            for col in columns
        ]
        wrapped = [(c, col.width) for c, col in enumerate(columns) if col.wrap]
        for row in rows:
            self.append(row, styles, _row_height(row, wrapped) if wrapped else 0)
        for c, col in enumerate(columns, start=1):
            self.widths[c] = col.width
        self.freeze = (first, freeze_columns)
        last = letter(max(1, len(columns)))
        self.filter_ref = f"A{first}:{last}{first + max(1, len(rows))}"

    def block(
        self, headers: Sequence[str], rows: Sequence[Sequence[Cell]], formats: Sequence[str | None]
    ) -> None:
        """A small table inside a sheet (no filter: a sheet has one), then a blank row."""
        widths = [self.widths.get(c, 12) for c in range(1, len(headers) + 1)]
        heads = [Column(h, w) for h, w in zip(headers, widths, strict=True)]
        self.append([Styled(h, HEADER) for h in headers], height=_header_height(heads))
        styles = [_NUMBER_STYLE.get(f or "", PLAIN) for f in formats]
        for row in rows:
            self.append(row, styles)
        self.blank()

    def pairs(self, pairs: Sequence[tuple[str, Cell, str | None]]) -> None:
        """Label / value rows, the value with its number format."""
        for label, value, fmt in pairs:
            self.append([Styled(label, BOLD), value], [PLAIN, _NUMBER_STYLE.get(fmt or "", PLAIN)])

    def xml(self) -> str:
        rows, cols = self.freeze
        view = '<sheetView workbookViewId="0"'
        if rows or cols:
            top_left = f"{letter(cols + 1)}{rows + 1}"
            pane = "bottomRight" if rows and cols else ("bottomLeft" if rows else "topRight")
            split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
            view += (
                f'><pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
                f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/></sheetView>'
            )
        else:
            view += "/>"
        cols_xml = "".join(
            f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
            for c, w in sorted(self.widths.items())
        )
        last = f"{letter(self.width)}{max(1, len(self.rows))}"
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{last}"/><sheetViews>{view}</sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols_xml}</cols>" if cols_xml else "")
            + f"<sheetData>{''.join(self.rows)}</sheetData>"
            + (f'<autoFilter ref="{self.filter_ref}"/>' if self.filter_ref else "")
            + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/>'
            # printed one page wide, landscape: a ranking is read on paper too
            '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>'
        )


def _row_height(row: Sequence[Cell], wrapped: Sequence[tuple[int, float]]) -> float:
    """Points for a row whose long texts wrap in their columns; 0 (the default height) when
    none does. Excel and LibreOffice do not grow a row on opening a file.

    >>> _row_height(["x" * 100], [(0, 40)]), _row_height(["short"], [(0, 40)])
    (45.0, 0)
    """
    lines = 1
    for c, width in wrapped:
        value = row[c] if c < len(row) else None
        if isinstance(value, str) and value:
            per_line = max(1.0, width * 1.15)
            lines = max(
                lines, sum(math.ceil(len(part) / per_line) or 1 for part in value.split("\n"))
            )
    return 15.0 * lines if lines > 1 else 0


def _header_height(columns: Sequence[Column]) -> float:
    """Points for a header row whose texts wrap within their columns.

    >>> _header_height([Column("Rank", 8), Column("Rank in province", 8)])
    30.0
    """
    lines = max(
        (math.ceil(len(col.header) / max(1.0, col.width * 1.1)) for col in columns), default=1
    )
    return 15.0 * max(1, lines)


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0000"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F0"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'applyAlignment="1"><alignment vertical="top"/></xf></cellStyleXfs>'
    '<cellXfs count="9">'
    # every cell aligned to the top, so a row grown for a wrapped text still reads across
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment vertical="top"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _sheet_name(name: str) -> str:
    """Excel's rules for a tab name: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


@dataclass
class Book:
    """A workbook of :class:`Sheet` s, written to bytes by :meth:`to_bytes`."""

    sheets: list[Sheet] = field(default_factory=list)
    title: str = ""

    def sheet(self, name: str) -> Sheet:
        sheet = Sheet(_sheet_name(name))
        self.sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        n = len(self.sheets)
        ns_main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        ns_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        ns_pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        sheets = "".join(
            f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"'{escape(s.name.replace(chr(39), chr(39) * 2))}'!{_absolute(s.filter_ref)}"
            "</definedName>"
            for i, s in enumerate(self.sheets)
            if s.filter_ref
        )
        workbook = (
            f'{head}<workbook xmlns="{ns_main}" xmlns:r="{ns_rel}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>"
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{ns_rel}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        rels += f'<Relationship Id="rId{n + 1}" Type="{ns_rel}/styles" Target="styles.xml"/>'
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        parts = {
            "[Content_Types].xml": (
                f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
                'formats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxml'
                'formats-officedocument.spreadsheetml.styles+xml"/>'
                '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxml'
                'formats-package.core-properties+xml"/>'
                '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxml'
                f'formats-officedocument.extended-properties+xml"/>{overrides}</Types>'
            ),
            "_rels/.rels": (
                f'{head}<Relationships xmlns="{ns_pkg}">'
                f'<Relationship Id="rId1" Type="{ns_rel}/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{ns_rel}/extended-properties" '
                'Target="docProps/app.xml"/></Relationships>'
            ),
            "docProps/core.xml": (
                f'{head}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
                '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{_text(self.title)}</dc:title><dc:creator>maturity</dc:creator>"
                "</cp:coreProperties>"
            ),
            "docProps/app.xml": (
                f'{head}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties"><Application>maturity</Application></Properties>'
            ),
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": (
                f'{head}<Relationships xmlns="{ns_pkg}">{rels}</Relationships>'
            ),
            "xl/styles.xml": _STYLES,
        }
        for i, s in enumerate(self.sheets, start=1):
            parts[f"xl/worksheets/sheet{i}.xml"] = s.xml()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
            for name, text in parts.items():
                info = zipfile.ZipInfo(name, date_time=_STAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                package.writestr(info, text.encode("utf-8"))
        return out.getvalue()


def _absolute(ref: str) -> str:
    """``A1:S20`` -> ``$A$1:$S$20``.

    >>> _absolute("A1:S20")
    '$A$1:$S$20'
    """
    return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref)
