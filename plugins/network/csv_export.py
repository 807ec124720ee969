"""The dashboard's figures as CSV: one row per period and initiative, then the totals.

Cells that a spreadsheet would run as a formula (names of initiatives come from their
admins) are written as text with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from quarter_node.plugin_api import _

from .charts import period_label
from .overview import Dashboard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def dashboard_csv(board: Dashboard) -> str:
    """Header, a row per period for each initiative, then (unfiltered) per period the total."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Period"), _("Period starts"), _("Initiative"), _("Address")]
        + [str(label) for label in board.metrics.values()]
    )
    rows = list(board.parts) + ([] if board.selected else [board.total])
    unit = board.span.choice.unit.value
    for figures in rows:
        for index, start in enumerate(board.span.periods):
            cells = [period_label(start, unit), start.isoformat(), figures.label, figures.domain]
            cells += [figures.values[metric][index] for metric in board.metrics]
            writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


def filename(board: Dashboard) -> str:
    """``network-figures-12w.csv`` or ``network-figures-12w-<domain>.csv`` (safe characters)."""
    name = f"network-figures-{board.span.choice.key}"
    if board.selected:
        name += "-" + "".join(c if c.isalnum() or c in ".-" else "-" for c in board.selected.domain)
    return name + ".csv"
