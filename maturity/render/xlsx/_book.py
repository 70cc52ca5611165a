"""What the openpyxl-written template uses: cell styles, number formats and a byte-stable
save.

Number formats are stored in Excel's locale-free notation (``#,##0``); Excel and LibreOffice
show them with the separators of the reader's own settings (vi-VN ``1.234``, en ``1,234``).
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
GROUP_FILL = PatternFill("solid", fgColor="EEF3E2")
INPUT_FILL = PatternFill("solid", fgColor="FFF7CC")  # the cells a person fills in
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

INTEGER = "#,##0"
TEXT = "@"

# a stable date for the package's parts, so that the same inputs give the same bytes
_STAMP = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def save(wb: Workbook) -> bytes:
    """The workbook as bytes that depend only on its content: openpyxl stamps the time into
    the document properties and every part of the zip; both are set to a fixed date."""
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>2025-07-01T00:00:00Z\g<2>", data)
            stable = zipfile.ZipInfo(info.filename, date_time=_STAMP)
            stable.compress_type = zipfile.ZIP_DEFLATED
            stable.external_attr = 0o600 << 16
            dst.writestr(stable, data)
    return out.getvalue()
