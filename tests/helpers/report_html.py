"""Read back what `rfm report` wrote: the JSON figures, the visible KPI
values, the charts and the notes of empty sections (standard library only)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

DATA_BLOCK_ID = "rfm-report-data"


@dataclass
class ReportPage:
    data: dict[str, Any]
    kpis: dict[str, str]
    # chart name -> number of <svg> elements inside its figure
    chart_svgs: dict[str, int]
    empty_sections: dict[str, str]
    table_rows: dict[str, list[list[str]]] = field(default_factory=dict)
    # every src/href value and every <script>/<link> element, to prove nothing is fetched
    references: list[str] = field(default_factory=list)
    script_elements: list[dict[str, str | None]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ReportPage({}, {}, {}, {})
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self._chart: str | None = None
        self._kpi: str | None = None
        self._in_kpi_value = False
        self._empty: str | None = None
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._data_block: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("src", "href"):
            if attributes.get(name):
                self.page.references.append(str(attributes[name]))
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.page.script_elements.append({"tag": tag, **attributes})
        if tag == "script" and attributes.get("id") == DATA_BLOCK_ID:
            self._data_block = []
        if tag == "figure" and attributes.get("data-chart"):
            self._chart = str(attributes["data-chart"])
            self.page.chart_svgs[self._chart] = 0
        if tag == "svg" and self._chart is not None:
            self.page.chart_svgs[self._chart] += 1
        if attributes.get("data-kpi"):
            self._kpi = str(attributes["data-kpi"])
        if self._kpi and "kpi-value" in (attributes.get("class") or ""):
            self._in_kpi_value = True
            self.page.kpis[self._kpi] = ""
        if attributes.get("data-empty-section"):
            self._empty = str(attributes["data-empty-section"])
            self.page.empty_sections[self._empty] = ""
        if tag == "table" and attributes.get("data-table"):
            self._table = str(attributes["data-table"])
            self.page.table_rows[self._table] = []
        if self._table and tag == "tr":
            self._row = []
        if self._row is not None and tag in ("td", "th"):
            self._cell = []
        self._stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._chart = None
        if tag == "span":
            self._in_kpi_value = False
        if tag == "div":
            self._kpi = None
        if tag == "p":
            self._empty = None
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None and self._table:
            self.page.table_rows[self._table].append(self._row)
            self._row = None
        if tag == "table":
            self._table = None
        if tag == "script" and self._data_block is not None:
            self.page.data = json.loads("".join(self._data_block))
            self._data_block = None

    def handle_data(self, data: str) -> None:
        if self._data_block is not None:
            self._data_block.append(data)
        if self._in_kpi_value and self._kpi:
            self.page.kpis[self._kpi] += data
        if self._empty:
            self.page.empty_sections[self._empty] += data
        if self._cell is not None:
            self._cell.append(data)


def read_report(html: str) -> ReportPage:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader.page.data, "no JSON data block in the report"
    return reader.page
