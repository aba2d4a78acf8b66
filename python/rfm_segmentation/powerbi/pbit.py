"""The .pbit: one ZIP Power BI Desktop opens as a template (asks for the parameters, then loads).

Entries and encodings follow files written by Desktop: `Version` and the JSON
parts in UTF-16LE without a byte order mark, `[Content_Types].xml` in UTF-8
with one, static resources in UTF-8. No `SecurityBindings` (an encrypted
Windows blob) and no `DataModel` (the binary model of a .pbix).

Entries are stored uncompressed, in a fixed order, with a fixed date: the
bytes depend only on the content, whatever the zlib build.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from rfm_segmentation.powerbi import layout, tmsl
from rfm_segmentation.powerbi.model import SemanticModel, stable_id
from rfm_segmentation.powerbi.theme import BASE_THEME_FILE, THEME_FILE, base_theme, theme

PBIT_VERSION = "1.28"
_DATE = (1980, 1, 1, 0, 0, 0)
_THEME_ENTRY = f"Report/StaticResources/RegisteredResources/{THEME_FILE}"
_BASE_THEME_ENTRY = f"Report/StaticResources/SharedResources/{BASE_THEME_FILE}"
# Parts without an extension get an Override; the rest are covered by their extension.
UTF16_PARTS = ("Version", "DataModelSchema", "DiagramLayout", "Report/Layout", "Settings", "Metadata")


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _utf8_json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def content_types() -> bytes:
    overrides = "".join(f'<Override PartName="/{part}" ContentType="" />' for part in UTF16_PARTS)
    xml = ('<?xml version="1.0" encoding="utf-8"?>'
           '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
           f'<Default Extension="json" ContentType="" />{overrides}</Types>')
    return xml.encode("utf-8-sig")


def diagram_layout(model: SemanticModel) -> dict[str, Any]:
    nodes = [
        {"location": {"x": 40 + (index % 4) * 300, "y": 40 + (index // 4) * 420}, "nodeIndex": table.name,
         "nodeLineageTag": stable_id("table", table.name), "size": {"height": 360, "width": 240}, "zIndex": index}
        for index, table in enumerate(model.tables)
    ]
    return {"version": "1.1.0", "selectedDiagram": "All tables", "defaultDiagram": "All tables",
            "diagrams": [{"ordinal": 0, "name": "All tables", "nodes": nodes, "scrollPosition": {"x": 0, "y": 0},
                          "zoomValue": 100, "pinKeyFieldsToTop": False, "showExtraHeaderInfo": False,
                          "hideKeyFieldsWhenCollapsed": False, "tablesLocked": False}]}


def entries(model: SemanticModel) -> list[tuple[str, bytes]]:
    """(name, bytes) in the order they are written."""
    description = (
        "RFM segmentation from the rfm_segmentation dbt project. DataFolder: the folder `dbt build` published "
        "the files to (the exports folder of the project, e.g. C:\\rfm_segmentation\\exports\\). FileFormat: "
        "parquet, or csv when the build ran with export_csv: true.")
    return [
        ("Version", _utf16(PBIT_VERSION)),
        ("[Content_Types].xml", content_types()),
        ("DataModelSchema", _utf16(_json(tmsl.database(model)))),
        ("DiagramLayout", _utf16(_json(diagram_layout(model)))),
        ("Report/Layout", _utf16(_json(layout.layout(model)))),
        ("Settings", _utf16(_json({"Version": 4, "ReportSettings": {},
                                   "QueriesSettings": {"TypeDetectionEnabled": True,
                                                       "RelationshipImportEnabled": False}}))),
        ("Metadata", _utf16(_json({"Version": 5, "AutoCreatedRelationships": [], "FileDescription": description}))),
        (_BASE_THEME_ENTRY, _utf8_json(base_theme())),
        (_THEME_ENTRY, _utf8_json(theme(model.segments))),
    ]


def build(model: SemanticModel) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in entries(model):
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data)
    return buffer.getvalue()
