"""Every workbook and CSV file the platform writes puts its rows through `append` (or `csv_row`), so text
that someone typed or pushed (an institution's name, a note) is stored as text and never evaluated as a
formula when a clerk opens the file (CSV / Excel formula injection). Later apps' exports use the same."""

import tempfile
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# A spreadsheet reads a cell starting with one of these as a formula (or the start of one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _as_text(cell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        if is_formula_like(cell.value):
            # Excel's own "text typed with a leading apostrophe": shown as typed, stays text when edited.
            cell.quotePrefix = True


def append(sheet, values: Iterable[Any], *, font=None, alignment=None, formats=None) -> None:
    """Append one row to a worksheet (write-only or not); strings are written as text. `formats` gives
    each cell's number format (a date, a whole number), or None for the default."""
    values = list(values)
    if isinstance(sheet, WriteOnlyWorksheet):
        cells = []
        for value, number_format in zip(values, formats or [None] * len(values), strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            _as_text(cell)
            if number_format:
                cell.number_format = number_format
            if font is not None:
                cell.font = font
            if alignment is not None:
                cell.alignment = alignment
            cells.append(cell)
        sheet.append(cells)
        return
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        _as_text(cell)
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: text a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]


def stream_workbook(workbook):
    """The bytes of a write-only workbook, saved to a temporary file and read back in chunks: an export of
    any length streams with bounded memory."""
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(64 * 1024):
            yield chunk
