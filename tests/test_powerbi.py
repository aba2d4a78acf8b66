"""The Power BI project and template: generated from the dbt contract, checked without Power BI.

The files under powerbi/ are read back as a user's Power BI Desktop would get
them (TMDL and PBIR text, the .pbit's parts) and checked against Microsoft's
JSON schemas, pbi-parsers, each other, and the real exported data.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import statistics
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from pbi_parsers import pq
from pbi_parsers.pq.exprs import IdentifierExpression as MIdentifier
from pbi_parsers.pq.exprs import RecordExpression as MRecord
from pbi_parsers.pq.exprs import RowIndexExpression as MIndexer
from pbi_parsers.pq.exprs import VariableExpression as MVariable

from helpers.hand_data import MAPPING, REFERENCE, write_csv
from helpers.powerbi_files import (
    REQUIRED_PBIT_ENTRIES,
    UTF16_JSON_ENTRIES,
    aliased_fields,
    entity_fields,
    nested_json_strings,
    parse_tmdl,
    read_pbit,
    read_tmdl_model,
    schema_errors,
    schema_registry,
    utf16_json,
)
from helpers.workspace import PROJECT_DIR, Workspace
from rfm_segmentation.cli import main
from rfm_segmentation.errors import UserError
from rfm_segmentation.exports import exported_tables, optional_exports
from rfm_segmentation.powerbi import build as builder
from rfm_segmentation.powerbi import spec
from rfm_segmentation.powerbi.elements import Field, MeasureSpec, Visual
from rfm_segmentation.powerbi.elements import column as column_field
from rfm_segmentation.powerbi.model import (
    Column,
    LeftOut,
    Relationship,
    SemanticModel,
    Table,
    check,
    filtered_tables,
    security_leaks,
    tables_read,
)
from rfm_segmentation.powerbi.references import dax_references, parse_dax
from rfm_segmentation.powerbi.types import power_bi_type

POWERBI = PROJECT_DIR / "powerbi"
NAME = spec.REPORT_NAME
PBIT = POWERBI / f"{NAME}.pbit"
REPORT = POWERBI / f"{NAME}.Report"
DEFINITION = POWERBI / f"{NAME}.SemanticModel" / "definition"
MODEL_TABLES = [table.name for table in spec.TABLES]


@pytest.fixture(scope="module")
def pbit() -> dict[str, bytes]:
    return read_pbit(PBIT)


@pytest.fixture(scope="module")
def schema(pbit: dict[str, bytes]) -> dict[str, Any]:
    """The .pbit's DataModelSchema (a TMSL database)."""
    return utf16_json(pbit["DataModelSchema"])


@pytest.fixture(scope="module")
def layout(pbit: dict[str, bytes]) -> dict[str, Any]:
    return utf16_json(pbit["Report/Layout"])


@pytest.fixture(scope="module")
def tmdl() -> dict[str, Any]:
    return read_tmdl_model(DEFINITION)


def _lines(value: str | list[str]) -> str:
    return "\n".join(value) if isinstance(value, list) else value


def _copy_project(target: Path) -> Path:
    """The files the builder reads: enough to rebuild the report from a changed contract."""
    for name in ("dbt_project.yml",):
        shutil.copy(PROJECT_DIR / name, target / name)
    for folder in ("models", "seeds"):
        shutil.copytree(PROJECT_DIR / folder, target / folder)
    return target


def _edit_column(project: Path, model: str, column: str, **changes: str) -> None:
    path = project / "models" / "marts" / f"{model}.yml"
    document = yaml.safe_load(path.read_text())
    (entry,) = [item for item in document["models"] if item["name"] == model]
    (found,) = [item for item in entry["columns"] if item["name"] == column]
    found.update(changes)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def _contract_vs_exports(model_tables: list[dict[str, Any]], exports: Path) -> list[str]:
    """Differences between the model's tables (TMSL) and the exported Parquet files."""
    problems = []
    with duckdb.connect() as connection:
        for table in model_tables:
            path = exports / f"{table['name']}.parquet"
            if not path.is_file():
                problems.append(f"{table['name']}: no exported file")
                continue
            exported = connection.execute(f"describe select * from read_parquet('{path}')").fetchall()
            exported_types = {name: power_bi_type(sql_type, f"{path}: {name}") for name, sql_type, *_ in exported}
            model_names = [column["name"] for column in table["columns"]]
            if model_names != [name for name, *_ in exported]:
                problems.append(f"{table['name']}: columns {model_names} but the file has "
                                f"{[name for name, *_ in exported]}")
            for column in table["columns"]:
                found = exported_types.get(column["name"])
                if found is not None and found.data_type != column["dataType"]:
                    problems.append(f"{table['name']}.{column['name']}: {column['dataType']} in the model, "
                                    f"{found.data_type} in the file")
    return problems


# --- regeneration ------------------------------------------------------------

@pytest.mark.unit
def test_committed_files_are_what_the_contract_gives() -> None:
    artifacts = builder.build(PROJECT_DIR)
    assert builder.differences(artifacts, POWERBI) == [], "run `rfm powerbi` and commit powerbi/"
    assert builder.build(PROJECT_DIR).files == artifacts.files


# Integration tier: regenerates the whole project (seconds each), too slow for make test-fast.
@pytest.mark.integration
def test_cli_check_reports_drift_and_stale_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out"
    assert main(["powerbi", "--project-dir", str(PROJECT_DIR), "--output", str(output)]) == 0
    assert main(["powerbi", "--project-dir", str(PROJECT_DIR), "--output", str(output), "--check"]) == 0
    (output / f"{NAME}.Report" / "definition" / "report.json").write_text("{}")
    stale = output / f"{NAME}.Report" / "definition" / "pages" / "old_page" / "page.json"
    stale.parent.mkdir()
    stale.write_text("{}")
    local = output / f"{NAME}.Report" / ".pbi" / "localSettings.json"
    local.parent.mkdir()
    local.write_text("{}")
    capsys.readouterr()
    assert main(["powerbi", "--project-dir", str(PROJECT_DIR), "--output", str(output), "--check"]) == 1
    error = capsys.readouterr().err
    assert "report.json" in error and "old_page/page.json (no longer generated)" in error
    assert main(["powerbi", "--project-dir", str(PROJECT_DIR), "--output", str(output)]) == 0
    assert not stale.parent.exists() and local.exists(), "stale pages go; Desktop's local settings stay"
    assert main(["powerbi", "--project-dir", str(PROJECT_DIR), "--output", str(output), "--check"]) == 0


# Integration tier: regenerates the whole project (seconds each), too slow for make test-fast.
@pytest.mark.integration
def test_synonym_type_spellings_give_the_same_files(tmp_path: Path) -> None:
    """A contract re-spelled for PostgreSQL or Spark (text, int, numeric) changes nothing in Power BI."""
    project = _copy_project(tmp_path)
    synonyms = {"varchar": "text", "integer": "int", "bigint": "int8", "boolean": "bool"}
    for path in (project / "models" / "marts").glob("*.yml"):
        text = path.read_text()
        text = re.sub(r"data_type: (\w+)\b(?!\()", lambda m: f"data_type: {synonyms.get(m[1], m[1])}", text)
        text = re.sub(r"data_type: decimal\(", "data_type: numeric(", text)
        path.write_text(text)
    assert "data_type: text" in (project / "models" / "marts" / "fct_customer_rfm.yml").read_text()
    assert builder.build(project).files == builder.build(PROJECT_DIR).files


@pytest.mark.integration
def test_manifest_gives_the_same_files_as_the_model_yaml(sample_build: Workspace) -> None:
    manifest = sample_build.root / "target" / "manifest.json"
    assert builder.build(PROJECT_DIR, manifest).files == builder.build(PROJECT_DIR).files


# --- PBIP --------------------------------------------------------------------

def _pbip_json_files() -> list[Path]:
    """Every JSON document of the PBIP except the theme (no Microsoft schema covers it)."""
    paths = [path for path in POWERBI.rglob("*") if path.is_file() and path.suffix != ".pbit"
             and (path.suffix in {".json", ".pbip", ".pbir", ".pbism"} or path.name == ".platform")]
    return sorted(path for path in paths if "StaticResources" not in path.parts)


@pytest.mark.unit
def test_every_pbip_json_file_validates_against_the_schema_it_names() -> None:
    registry = schema_registry()
    files = _pbip_json_files()
    assert len(files) > 40
    problems = {}
    for path in files:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), f"{path}: UTF-8 without BOM"
        errors = schema_errors(json.loads(raw.decode("utf-8")), registry)
        if errors:
            problems[str(path.relative_to(POWERBI))] = errors[:3]
    assert problems == {}


@pytest.mark.unit
def test_schema_validation_catches_a_bad_visual() -> None:
    path = next(REPORT.rglob("visual.json"))
    document = json.loads(path.read_text())
    document["position"]["x"] = "left"
    del document["name"]
    assert len(schema_errors(document, schema_registry())) == 2


@pytest.mark.unit
def test_pbip_layout_and_theme() -> None:
    pbip = json.loads((POWERBI / f"{NAME}.pbip").read_text())
    assert pbip["artifacts"] == [{"report": {"path": f"{NAME}.Report"}}]
    pbir = json.loads((REPORT / "definition.pbir").read_text())
    assert pbir["datasetReference"] == {"byPath": {"path": f"../{NAME}.SemanticModel"}}
    assert (DEFINITION.parent / "definition.pbism").is_file()
    theme = json.loads((REPORT / "StaticResources" / "RegisteredResources" / "RFM_Segmentation_Theme.json")
                       .read_text(encoding="utf-8"))
    with (PROJECT_DIR / "seeds" / "segment_catalogue.csv").open() as handle:
        catalogue = sorted(csv.DictReader(handle), key=lambda row: int(row["sort_order"]))
    assert theme["dataColors"] == [row["color_hex"].upper() for row in catalogue]
    ignored = (PROJECT_DIR / ".gitignore").read_text()
    assert ".pbi/localSettings.json" in ignored and ".pbi/cache.abf" in ignored


# --- the semantic model -----------------------------------------------------

@pytest.mark.unit
def test_tables_columns_and_types_come_from_the_contract(schema: dict[str, Any]) -> None:
    tables = {table["name"]: table for table in schema["model"]["tables"]}
    assert list(tables) == MODEL_TABLES
    for name, table in tables.items():
        contract = yaml.safe_load((PROJECT_DIR / "models" / "marts" / f"{name}.yml").read_text())
        (entry,) = contract["models"]
        assert [column["name"] for column in table["columns"]] == [column["name"] for column in entry["columns"]]
        for column, declared in zip(table["columns"], entry["columns"], strict=True):
            assert column["dataType"] == power_bi_type(declared["data_type"], name).data_type


@pytest.mark.unit
def test_model_settings_date_table_keys_and_sort_by(schema: dict[str, Any]) -> None:
    model = schema["model"]
    annotations = {item["name"]: item["value"] for item in model["annotations"]}
    assert annotations["__PBI_TimeIntelligenceEnabled"] == "0"
    assert json.loads(annotations["PBI_QueryOrder"]) == ["DataFolder", "FileFormat", *MODEL_TABLES]
    assert model["discourageImplicitMeasures"] is True
    assert schema["compatibilityLevel"] == 1550
    tables = {table["name"]: table for table in model["tables"]}
    assert [name for name, table in tables.items() if table.get("dataCategory") == "Time"] == ["dim_dates"]
    keys = [column["name"] for column in tables["dim_dates"]["columns"] if column.get("isKey")]
    assert keys == ["date_day"]
    sort_by = {(table, column["name"]): column["sortByColumn"] for table, item in tables.items()
               for column in item["columns"] if "sortByColumn" in column}
    assert sort_by[("dim_segments", "segment")] == "sort_order"
    assert sort_by[("dim_customers", "age_band")] == "age_band_sort_order"
    assert sort_by[("dim_dates", "month_name")] == "month_number"
    hidden = {(table, column["name"]) for table, item in tables.items() for column in item["columns"]
              if column.get("isHidden")}
    # relationship keys are whole numbers (Power BI compares text without regard to case), all hidden;
    # the ids stay visible as attributes
    for relationship in model["relationships"]:
        for table, name in ((relationship["fromTable"], relationship["fromColumn"]),
                            (relationship["toTable"], relationship["toColumn"])):
            (found,) = [column for column in tables[table]["columns"] if column["name"] == name]
            assert found["dataType"] in {"int64", "dateTime"}, (table, name)
    assert not next(column for column in tables["fct_customer_rfm"]["columns"]
                    if column["name"] == "customer_id").get("isHidden")
    # many-side keys are hidden, unless they are also the key of a one side (fct_customer_rfm[customer_key])
    one_sides = {(item["toTable"], item["toColumn"]) for item in model["relationships"]}
    for relationship in model["relationships"]:
        key = (relationship["fromTable"], relationship["fromColumn"])
        assert key in hidden or key in one_sides, relationship
    assert ("dim_segments", "sort_order") in hidden and ("dim_customers", "customer_id") in hidden
    for partition_table in tables.values():
        (partition,) = partition_table["partitions"]
        assert partition["mode"] == "import" and partition["source"]["type"] == "m"


@pytest.mark.unit
def test_measures_have_format_strings(schema: dict[str, Any]) -> None:
    measures = {item["name"]: item for table in schema["model"]["tables"] for item in table.get("measures", [])}
    required = ["Total Customers", "Total Revenue", "Average Purchases", "Average Order Value",
                "Average Recency (days)", "Customer Share %", "Revenue Share %", "Champions Share %", "Revenue MoM %"]
    assert set(required) <= set(measures)
    # colour measures return text ('#RRGGBB') for conditional formatting, and the grid shows each
    # cell's segment name: no number format applies to text
    numeric = [item for item in measures.values()
               if item.get("displayFolder") != "Formatting" and item["name"] != "Grid Segment"]
    assert [item["name"] for item in numeric if not item.get("formatString")] == []
    assert measures["Customer Share %"]["formatString"].endswith("%")


@pytest.mark.unit
def test_every_dax_expression_parses(schema: dict[str, Any]) -> None:
    expressions = [(item["name"], _lines(item["expression"])) for table in schema["model"]["tables"]
                   for item in table.get("measures", [])]
    expressions += [(f"role {role['name']}", _lines(permission["filterExpression"]))
                    for role in schema["model"]["roles"] for permission in role["tablePermissions"]]
    assert len(expressions) > 40
    for name, expression in expressions:
        assert parse_dax(expression) is not None, name
    with pytest.raises(ValueError):
        parse_dax("SUM(fct_purchases[amount]) +")


@pytest.mark.unit
def test_every_m_expression_parses_and_uses_only_the_parameters(schema: dict[str, Any]) -> None:
    parameters = {item["name"]: _lines(item["expression"]) for item in schema["model"]["expressions"]}
    assert set(parameters) == {"DataFolder", "FileFormat"}
    for text in parameters.values():
        assert pq.to_ast(text) is not None
        assert "IsParameterQueryRequired=true" in text and 'Type="Text"' in text
    assert 'List={"parquet", "csv"}' in parameters["FileFormat"]
    for table in schema["model"]["tables"]:
        text = _lines(table["partitions"][0]["source"]["expression"])
        tree = pq.to_ast(text)
        assert tree is not None, table["name"]
        steps = {node.var_name.text for node in tree.find_all(MVariable)}
        steps |= {name.name() for record in tree.find_all(MRecord) for name, _ in record.args}  # field names
        steps |= {node.indexer.name() for node in tree.find_all(MIndexer)  # fields read: Pointer[build_id]
                  if isinstance(node.indexer, MIdentifier)}
        free = {node.name() for node in tree.find_all(MIdentifier)} - steps
        # library functions have a dot (Table.SelectColumns), intrinsics a hash (#table)
        parameters_used = {name for name in free if "." not in name and not name.startswith("#")}
        assert parameters_used == {"DataFolder", "FileFormat"}, table["name"]
        assert f'"{table["name"]}." & Text.Lower(FileFormat)' in text
        # every table reads the build the pointer names (issue 17), all within one data source, the folder
        assert "Export = Folder.Contents(Folder)," in text and text.count("Folder.Contents") == 1
        assert 'Pointer = Json.Document(Export{[Name = "rfm_export_manifest.json"]}[Content], 65001)' in text
        assert 'Build = Builds{[Name = Pointer[build_id]]}[Content]' in text
        assert f'Contents = Build{{[Name = "{table["name"]}." & Text.Lower(FileFormat)]}}[Content]' in text
        assert "File.Contents" not in text  # a path computed from the pointer would be a dynamic data source
        # only the optional exports may be missing (demographics, CLV or history off): they then load empty,
        # by looking for the file in the build folder's listing: no `try`, which would also hide a corrupt file
        optional = table["name"] in optional_exports(PROJECT_DIR)
        name = table["name"]
        assert (f'Exists = List.Contains(Build[Name], "{name}." & Text.Lower(FileFormat)),' in text) == optional
        assert ("Source = if Exists then Read else #table(" in text) == optional
        assert not re.search(r"\btry\b", text)
        for column in table["columns"]:
            assert f'{{"{column["name"]}", ' in text, f"{table['name']}.{column['name']} is not typed in M"


@pytest.mark.unit
def test_every_reference_resolves(schema: dict[str, Any], layout: dict[str, Any]) -> None:
    """Measures, RLS filters, relationships, sort-by columns and every visual field exist in the model."""
    model = schema["model"]
    columns = {(table["name"], column["name"]): column for table in model["tables"] for column in table["columns"]}
    measures = {(table["name"], item["name"]) for table in model["tables"] for item in table.get("measures", [])}
    measure_names = {name for _, name in measures}
    tables = {table["name"] for table in model["tables"]}
    problems = []

    def check_dax(owner: str, expression: str) -> None:
        found = dax_references(expression)
        problems.extend(f"{owner}: {ref}" for ref in found.columns if ref not in columns)
        problems.extend(f"{owner}: [{ref}]" for ref in found.measures if ref not in measure_names)
        problems.extend(f"{owner}: table {ref}" for ref in found.tables if ref not in tables)

    for table in model["tables"]:
        for item in table.get("measures", []):
            check_dax(item["name"], _lines(item["expression"]))
        for column in table["columns"]:
            if "sortByColumn" in column and (table["name"], column["sortByColumn"]) not in columns:
                problems.append(f"sort by {table['name']}.{column['sortByColumn']}")
    for role in model["roles"]:
        for permission in role["tablePermissions"]:
            assert permission["name"] in tables
            check_dax(role["name"], _lines(permission["filterExpression"]))
    for item in model["relationships"]:
        for end in (("fromTable", "fromColumn"), ("toTable", "toColumn")):
            if (item[end[0]], item[end[1]]) not in columns:
                problems.append(f"relationship end {item[end[0]]}.{item[end[1]]}")

    def check_field(owner: str, kind: str, table: str, name: str) -> None:
        if (table, name) not in (measures if kind == "Measure" else columns):
            problems.append(f"{owner}: {kind} {table}.{name}")

    visual_files = sorted(REPORT.rglob("visual.json"))
    for path in visual_files:
        for field in entity_fields(json.loads(path.read_text())):
            check_field(path.parent.name, *field)
    for section in layout["sections"]:
        for container in section["visualContainers"]:
            config = json.loads(container["config"])
            single = config["singleVisual"]
            for field in entity_fields(single.get("objects", {})):
                check_field(config["name"], *field)
            if "prototypeQuery" in single:
                for field in aliased_fields(single["prototypeQuery"]):
                    check_field(config["name"], *field)
                refs = {item["Name"] for item in single["prototypeQuery"]["Select"]}
                projected = {item["queryRef"] for items in single["projections"].values() for item in items}
                assert projected <= refs, config["name"]
            for visual_filter in json.loads(container["filters"]):
                for field in [*entity_fields(visual_filter["expression"]), *aliased_fields(visual_filter["filter"])]:
                    check_field(config["name"], *field)
    assert problems == []


@pytest.mark.unit
def test_reference_check_fails_on_a_missing_field(tmp_path: Path) -> None:
    """The same check, fed a model where a visual's column was renamed in the contract, reports it."""
    project = _copy_project(tmp_path)
    _edit_column(project, "fct_customer_rfm", "rfm_cell", name="rfm_cell_code")
    with pytest.raises(UserError, match=r"visual overview_top_customers: no column fct_customer_rfm\[rfm_cell\]"):
        builder.build(project)


# --- row-level security ------------------------------------------------------

CUSTOMER_TABLES = {"fct_customer_rfm", "fct_purchases", "dim_customers", "fct_customer_clv"}
HIDDEN_FILTERS = {table: "FALSE()" for table in ("rpt_segment_history", "rpt_segment_transitions", "rpt_clv_model")}


@pytest.mark.unit
def test_every_number_a_role_sees_is_filtered_by_the_role() -> None:
    model = builder.build_model(PROJECT_DIR)
    assert security_leaks(model, spec.UNSECURED_DIMENSIONS) == []
    assert {role.name.split()[0] for role in model.roles} == {"Region", "Store"}
    for role in model.roles:
        assert filtered_tables(model, (table for table, _ in role.filters)) >= CUSTOMER_TABLES, role.name
        # company-wide tables: every role sees them empty
        assert {table: dax for table, dax in role.filters if dax == "FALSE()"} == HIDDEN_FILTERS, role.name
    read = {table for page in model.pages for visual in page.visuals for table in tables_read(model, visual.fields())}
    # every pure dimension and every hidden table is used, no more
    assert read - CUSTOMER_TABLES == set(spec.UNSECURED_DIMENSIONS) | set(spec.HIDDEN_FROM_ROLES)
    # a store manager: buyers at the store (all their RFM values), and only the store's purchase lines
    store = {table: expression for table, expression in next(
        role for role in model.roles if role.name == "Store S01").filters}
    assert store == {
        "fct_customer_rfm": 'fct_customer_rfm[customer_key] IN CALCULATETABLE(VALUES(fct_purchases[customer_key]), '
                            'fct_purchases[store_id] = "S01")',
        "dim_customers": 'dim_customers[customer_key] IN CALCULATETABLE(VALUES(fct_purchases[customer_key]), '
                         'fct_purchases[store_id] = "S01")',
        "fct_purchases": 'fct_purchases[store_id] = "S01"', **HIDDEN_FILTERS}


@pytest.mark.unit
def test_the_security_check_finds_the_leaks_of_the_movement_grid_and_value_pages() -> None:
    """The pages added by issue 12 item 7 read company-wide marts: without the roles' FALSE() filters on them,
    or with the Grid counting rpt_rfm_grid's rows, the check names every visual that would leak."""
    model = builder.build_model(PROJECT_DIR)
    unhidden = replace(model, roles=tuple(replace(role, filters=tuple(item for item in role.filters
                                                                       if item[1] != "FALSE()"))
                                          for role in model.roles))
    leaks = security_leaks(unhidden, spec.UNSECURED_DIMENSIONS)
    leaking = {(leak.split(": visual ")[1].split(" on page ")[0], leak.split(" reads ")[1].split(", which")[0])
               for leak in leaks}
    assert leaking == {
        ("movement_slicer_pair_type", "rpt_segment_transitions"),
        ("movement_slicer_from_period", "rpt_segment_transitions"),
        ("movement_slicer_history_periods", "rpt_segment_history"),
        ("movement_customers", "rpt_segment_transitions"), ("movement_revenue", "rpt_segment_transitions"),
        ("movement_flows", "rpt_segment_transitions"), ("movement_share_over_time", "rpt_segment_history"),
        ("value_correlation", "rpt_clv_model"), ("value_model_fit", "rpt_clv_model")}
    assert len(leaks) == len(leaking) * len(model.roles)
    # the Grid as main had it: rpt_rfm_grid's company-wide counts, related to dim_segments only
    number = power_bi_type("bigint", "test")
    grid = Table("rpt_rfm_grid", "", (Column("segment_key", number, "bigint", ""),
                                      Column("customer_count", number, "bigint", "")),
                 (MeasureSpec("rpt_rfm_grid", "Old Grid Customers", "SUM(rpt_rfm_grid[customer_count])", "#,0", ""),),
                 False, "x")
    old_grid = Visual("old_grid", "pivotTable", 0, 0, 10, 10,
                      roles=(("Values", (Field("rpt_rfm_grid", "Old Grid Customers", True),)),))
    pages = (*model.pages[:-1], replace(model.pages[-1], visuals=model.pages[-1].visuals + (old_grid,)))
    with_grid = replace(model, tables=(*model.tables, grid), pages=pages,
                        relationships=(*model.relationships,
                                       Relationship("old grid", "rpt_rfm_grid", "segment_key", "dim_segments",
                                                    "segment_key")))
    grid_leaks = security_leaks(with_grid, spec.UNSECURED_DIMENSIONS)
    assert len(grid_leaks) == len(model.roles)
    assert all(": visual old_grid on page Grid reads rpt_rfm_grid, which" in leak for leak in grid_leaks)
    # fct_customer_clv is reached through its customer_key relationship only
    cut = replace(model, relationships=tuple(item for item in model.relationships
                                             if item.from_table != "fct_customer_clv"))
    assert any(": visual value_total_clv on page Value reads fct_customer_clv, which" in leak
               for leak in security_leaks(cut, spec.UNSECURED_DIMENSIONS))


def _model_before_issue_12() -> SemanticModel:
    """The current model with what issue 12 removed: the company-wide report marts, related to dim_segments
    only, read by the segment catalogue and the correlation heat map as they were."""
    model = builder.build_model(PROJECT_DIR)
    text, number = power_bi_type("varchar", "test"), power_bi_type("double", "test")
    summary = Table("rpt_segment_summary", "", (Column("segment", text, "varchar", ""),
                                                Column("customer_count", number, "double", "")), (), False, "x")
    correlation = Table("rpt_segment_rfm_correlation", "",
                        (Column("segment", text, "varchar", ""), Column("correlation", number, "double", "")),
                        (MeasureSpec("rpt_segment_rfm_correlation", "Average Correlation",
                                     "AVERAGE(rpt_segment_rfm_correlation[correlation])", "0.00", ""),),
                        False, "x")
    relationships = tuple(Relationship(f"old {table}", table, "segment", "dim_segments", "segment")
                          for table in ("rpt_segment_summary", "rpt_segment_rfm_correlation"))
    old_visuals = (Visual("old_catalogue", "tableEx", 0, 0, 10, 10, roles=(("Values", (
                       column_field("dim_segments", "segment"),
                       column_field("rpt_segment_summary", "customer_count"))),)),
                   Visual("old_correlation", "pivotTable", 0, 0, 10, 10, roles=(("Values", (
                       Field("rpt_segment_rfm_correlation", "Average Correlation", True),)),)))
    pages = (replace(model.pages[0], visuals=model.pages[0].visuals + old_visuals), *model.pages[1:])
    return replace(model, tables=(*model.tables, summary, correlation),
                   relationships=model.relationships + relationships, pages=pages)


@pytest.mark.unit
def test_the_security_check_fails_on_the_leaking_model_before_issue_12() -> None:
    broken = _model_before_issue_12()
    leaks = security_leaks(broken, spec.UNSECURED_DIMENSIONS)
    assert len(leaks) == 2 * len(broken.roles)
    assert ("role Region Ile-de-France: visual old_catalogue on page Overview reads rpt_segment_summary, which "
            "the role's filters on dim_customers, rpt_segment_history, rpt_segment_transitions, rpt_clv_model do not "
            "reach: it would show every customer's figures") in leaks
    assert any(leak.startswith("role Store S03: visual old_correlation on page Overview reads "
                               "rpt_segment_rfm_correlation, which") for leak in leaks)
    assert any("old_catalogue" in problem for problem in check(broken))  # rfm powerbi refuses to build it


@pytest.mark.unit
def test_the_security_check_fails_when_a_relationship_or_a_dimension_is_wrong() -> None:
    model = builder.build_model(PROJECT_DIR)
    cut = replace(model, relationships=tuple(item for item in model.relationships
                                             if item.to_table != "dim_customers"))
    leaks = security_leaks(cut, spec.UNSECURED_DIMENSIONS)
    assert leaks and all(leak.startswith("role Region ") for leak in leaks)
    assert any("overview_total_customers on page Overview reads fct_customer_rfm" in leak for leak in leaks)
    # a fact listed as a pure dimension is refused rather than trusted
    assert security_leaks(model, [*spec.UNSECURED_DIMENSIONS, "fct_purchases"]) == [
        "fct_purchases[customer_key] -> fct_customer_rfm[customer_key]: fct_purchases is listed as a pure "
        "dimension (spec UNSECURED_DIMENSIONS) but is the many side of a relationship",
        "fct_purchases[purchase_date] -> dim_dates[date_day]: fct_purchases is listed as a pure "
        "dimension (spec UNSECURED_DIMENSIONS) but is the many side of a relationship"]


@pytest.mark.unit
def test_correlation_heat_map_follows_the_segment_slicer_without_subtotals(schema: dict[str, Any]) -> None:
    visual = json.loads((REPORT / "definition" / "pages" / "rfm_values" / "visuals" / "rfm_values_correlation"
                         / "visual.json").read_text(encoding="utf-8"))
    assert "filterConfig" not in visual  # no visual filter fighting the synced segment slicer
    subtotals = visual["visual"]["objects"]["subTotals"][0]["properties"]
    assert subtotals == {"rowSubtotals": {"expr": {"Literal": {"Value": "false"}}},
                         "columnSubtotals": {"expr": {"Literal": {"Value": "false"}}}}
    measures = {item["name"]: _lines(item["expression"]) for table in schema["model"]["tables"]
                for item in table.get("measures", [])}
    assert measures["RFM Correlation"] == (
        "IF(\n    ISFILTERED(dim_segments[segment]),\n    [Correlation in Selection],\n"
        '    CALCULATE([Correlation in Selection], dim_segments[segment] = "Champions")\n)')
    pearson = measures["Correlation in Selection"]
    for value in ("recency_days", "order_count", "monetary_amount"):
        assert pearson.count(f'"{value}", fct_customer_rfm[{value}]') == 8  # means, co-spread, spreads
    assert "DIVIDE(co_spread, SQRT(x_spread * y_spread))" in pearson and "customers >= 2" in pearson


# --- against the exported data ----------------------------------------------

@pytest.mark.integration
def test_model_columns_match_the_exported_files(schema: dict[str, Any], sample_build: Workspace) -> None:
    assert _contract_vs_exports(schema["model"]["tables"], sample_build.published) == []


# Many-side keys that may be null by design: an unscored customer has no grid cell.
NULLABLE_KEYS = {("fct_customer_rfm", "grid_cell_key")}


def _relationship_problems(model: dict[str, Any], built: Workspace) -> list[str]:
    """Each relationship as Power BI's engine sees it: ends of one type, the one side unique and complete.

    Power BI compares text without regard to case, so a text key is unique
    only if it is unique once lower-cased ('C001' and 'c001' collide). A null
    many-side key is a problem unless NULLABLE_KEYS allows it."""
    problems = []
    columns = {(table["name"], column["name"]): column for table in model["tables"] for column in table["columns"]}
    for item in model["relationships"]:
        many, one = columns[(item["fromTable"], item["fromColumn"])], columns[(item["toTable"], item["toColumn"])]
        label = f"{item['fromTable']}.{item['fromColumn']} -> {item['toTable']}.{item['toColumn']}"
        if many["dataType"] != one["dataType"]:
            problems.append(f"{label}: types {many['dataType']} and {one['dataType']}")
        key = f"lower({item['toColumn']})" if one["dataType"] == "string" else item["toColumn"]
        rows, distinct, nulls = built.query(
            f"select count(*), count(distinct {key}), count(*) - count({item['toColumn']}) "
            f"from {item['toTable']}")[0]
        if not (rows > 0 and rows == distinct and nulls == 0):
            problems.append(f"{label}: the one side is not unique for Power BI ({rows} rows, {distinct} keys, "
                            f"{nulls} null)")
        nullable = (item["fromTable"], item["fromColumn"]) in NULLABLE_KEYS
        orphans = built.query(
            f"select count(*) from {item['fromTable']} where {item['fromColumn']} is null and not {nullable} or "
            f"{item['fromColumn']} not in (select {item['toColumn']} from {item['toTable']})")[0][0]
        if orphans:
            problems.append(f"{label}: {orphans} rows do not resolve")
    return problems


@pytest.mark.integration
def test_relationship_ends_have_one_type_and_a_unique_one_side(schema: dict[str, Any],
                                                               sample_build: Workspace) -> None:
    assert len(schema["model"]["relationships"]) == 7
    assert _relationship_problems(schema["model"], sample_build) == []


@pytest.mark.integration
def test_ids_differing_only_in_case_pass_every_model_check(schema: dict[str, Any], workspace: Workspace) -> None:
    """Issue 12: 'C001' and 'c001' are two customers in the marts and must stay two in Power BI."""
    rows = [["INV-1", "C001", "2024-06-01 10:00:00", "10", "1", "S01", "Toys"],
            ["INV-2", "c001", "2024-05-01 10:00:00", "20", "1", "S02", "Toys"],
            ["INV-3", "c001", "2024-05-02 10:00:00", "20", "1", "S02", "Toys"],
            ["INV-4", "C002", "2024-04-01 10:00:00", "30", "1", "S01", "Home"],
            # a refund under the other spelling: a return without a purchase unless the case is folded
            ["INV-5", "c002", "2024-04-01 11:00:00", "-5", "1", "S01", "Home"]]
    path = write_csv(workspace.root / "purchases.csv", rows)
    workspace.build({"purchases_path": str(path), **REFERENCE, **MAPPING})
    # keys in byte order, upper case first, whatever the input order
    assert workspace.query("select customer_key, customer_id, order_count from fct_customer_rfm "
                           "order by customer_key") == [(1, "C001", 1), (2, "C002", 1), (3, "c001", 2)]
    assert workspace.query("select customer_key, count(*) from fct_purchases group by 1 order by 1") == \
        [(1, 1), (2, 1), (3, 2)]
    assert workspace.query("select customer_id_raw, reject_reason from fct_purchases_rejected") == \
        [("c002", "return_without_purchase")]
    assert _relationship_problems(schema["model"], workspace) == []
    assert _contract_vs_exports(schema["model"]["tables"], workspace.published) == []
    # the same check on the text relationship the model drew before fails
    text_keys = {**schema["model"], "relationships": [{"fromTable": "fct_purchases", "fromColumn": "customer_id",
                                                       "toTable": "fct_customer_rfm", "toColumn": "customer_id"}]}
    assert _relationship_problems(text_keys, workspace) == [
        "fct_purchases.customer_id -> fct_customer_rfm.customer_id: the one side is not unique for Power BI "
        "(3 rows, 2 keys, 0 null)"]

    # customer_id_case folds them into one customer, in purchases and demographics alike
    workspace.build({"purchases_path": str(path), **REFERENCE, **MAPPING, "customer_id_case": "lower"})
    assert workspace.query("select customer_key, customer_id, order_count from fct_customer_rfm "
                           "order by customer_key") == [(1, "c001", 3), (2, "c002", 1)]
    assert workspace.query("select customer_key, customer_id from dim_customers order by 1") == \
        [(1, "c001"), (2, "c002")]
    # the screening sees the folded ids too: c002's refund nets against C002's purchase
    assert workspace.query("select count(*) from fct_purchases_rejected") == [(0,)]
    assert workspace.query("select monetary_amount from fct_customer_rfm where customer_id = 'c002'") == \
        [(Decimal("25.00"),)]
    # every customer model reads the folded ids: purchases, predicted values, history
    assert workspace.query("select customer_key, customer_id, count(*) from fct_purchases group by 1, 2 "
                           "order by 1") == [(1, "c001", 3), (2, "c002", 2)]
    assert workspace.query("select customer_key, customer_id from fct_customer_clv order by 1") == \
        [(1, "c001"), (2, "c002")]
    with duckdb.connect(str(workspace.database), read_only=True) as database:  # the history is not exported
        assert database.sql("select distinct customer_id from fct_customer_rfm_history order by 1").fetchall() == \
            [("c001",), ("c002",)]
    assert _relationship_problems(schema["model"], workspace) == []


@pytest.mark.integration
def test_sort_by_columns_give_one_position_per_value(schema: dict[str, Any], sample_build: Workspace) -> None:
    for table in schema["model"]["tables"]:
        for column in table["columns"]:
            if "sortByColumn" in column:
                (worst,) = sample_build.query(
                    f"select coalesce(max(n), 0) from (select count(distinct {column['sortByColumn']}) as n "
                    f"from {table['name']} group by {column['name']})")[0]
                assert worst == 1, f"{table['name']}.{column['name']} sorted by {column['sortByColumn']}"


@pytest.mark.integration
def test_role_filter_values_occur_in_the_data(schema: dict[str, Any], sample_build: Workspace) -> None:
    """A static role whose value matches nothing would show an empty report: keep spec.RLS_* current."""
    for role in schema["model"]["roles"]:
        for permission in role["tablePermissions"]:
            if permission["filterExpression"] == "FALSE()":  # a company-wide table the role sees empty
                assert permission["name"] in spec.HIDDEN_FROM_ROLES, permission
                continue
            matches = re.findall(r'(\w+)\[(\w+)\] = "((?:[^"]|"")*)"', _lines(permission["filterExpression"]))
            assert matches, permission
            (table, column, value), = {(table, column, value.replace('""', '"')) for table, column, value in matches}
            (count,) = sample_build.query(f"select count(*) from {table} where {column} = ?".replace(
                "?", "'" + value.replace("'", "''") + "'"))[0]
            assert count > 0, f"role {role['name']}: no {table}.{column} = {value!r} in the sample"


@pytest.mark.integration
def test_correlation_mart_matches_a_direct_computation(sample_build: Workspace) -> None:
    customers = sample_build.query(
        "select segment, recency_days, order_count, cast(monetary_amount as double) from fct_customer_rfm")
    by_segment: dict[str, list[tuple[float, float, float]]] = {}
    for segment, *values in customers:
        by_segment.setdefault(segment, []).append(tuple(float(value) for value in values))
    names = ["recency_days", "order_count", "monetary_amount"]
    rows = sample_build.query("select segment, measure_x, measure_y, correlation, customer_count "
                              "from rpt_segment_rfm_correlation")
    assert len(rows) == 9 * len(by_segment)
    for segment, x, y, correlation, count in rows:
        points = by_segment[segment]
        assert count == len(points)
        first, second = ([point[names.index(name)] for point in points] for name in (x, y))
        if len(points) < 2 or len(set(first)) == 1 or len(set(second)) == 1:
            assert correlation is None, (segment, x, y)
        else:
            expected = statistics.correlation(first, second)
            assert float(correlation) == pytest.approx(expected, abs=1e-6), (segment, x, y)
    # the heat map's axes name the same nine pairs, which RFM Correlation computes from fct_customer_rfm
    assert sorted(sample_build.query("select measure_x, measure_y from dim_rfm_value_pairs")) == \
        sorted({(x, y) for _, x, y, _, _ in rows})
    champions = {(x, y): c for s, x, y, c, _ in rows if s == spec.CHAMPIONS}
    assert champions[("recency_days", "recency_days")] == 1


# --- the .pbit ----------------------------------------------------------------

@pytest.mark.unit
def test_pbit_entries_and_encodings(pbit: dict[str, bytes]) -> None:
    assert list(pbit)[: len(REQUIRED_PBIT_ENTRIES)] == REQUIRED_PBIT_ENTRIES
    assert "SecurityBindings" not in pbit and "DataModel" not in pbit
    assert pbit["Version"] == "1.28".encode("utf-16-le")
    for name in UTF16_JSON_ENTRIES:
        utf16_json(pbit[name])
    assert pbit["[Content_Types].xml"].startswith(b"\xef\xbb\xbf")
    types = ElementTree.fromstring(pbit["[Content_Types].xml"][3:].decode("utf-8"))
    namespace = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    overrides = {item.get("PartName") for item in types.iter(f"{namespace}Override")}
    extensions = {item.get("Extension") for item in types.iter(f"{namespace}Default")}
    for name in pbit:
        if name != "[Content_Types].xml":
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1] in extensions, f"{name} has no content type"
    themes = [name for name in pbit if name.startswith("Report/StaticResources/")]
    assert themes == ["Report/StaticResources/SharedResources/BaseThemes/CY24SU10.json",
                      "Report/StaticResources/RegisteredResources/RFM_Segmentation_Theme.json"]
    for theme in themes:
        assert not pbit[theme].startswith(b"\xef\xbb\xbf") and json.loads(pbit[theme].decode("utf-8"))["dataColors"]


@pytest.mark.unit
def test_themes_are_registered_as_desktop_registers_them(pbit: dict[str, bytes], layout: dict[str, Any]) -> None:
    """A base theme (shared resource, item type 202) and our custom theme (registered resource, type 201)."""
    packages = {item["resourcePackage"]["name"]: item["resourcePackage"] for item in layout["resourcePackages"]}
    assert [(name, package["type"], [(entry["type"], entry["path"]) for entry in package["items"]])
            for name, package in packages.items()] == [
        ("SharedResources", 2, [(202, "BaseThemes/CY24SU10.json")]),
        ("RegisteredResources", 1, [(201, "RFM_Segmentation_Theme.json")])]
    collection = json.loads(layout["config"])["themeCollection"]
    assert (collection["baseTheme"]["name"], collection["baseTheme"]["type"]) == ("CY24SU10", 2)
    assert (collection["customTheme"]["name"], collection["customTheme"]["type"]) == \
        ("RFM_Segmentation_Theme.json", 1)
    for name, package in packages.items():
        for entry in package["items"]:
            assert f"Report/StaticResources/{name}/{entry['path']}" in pbit
    report = json.loads((REPORT / "definition" / "report.json").read_text(encoding="utf-8"))
    assert {key: (value["name"], value["type"]) for key, value in report["themeCollection"].items()} == {
        "baseTheme": ("CY24SU10", "SharedResources"), "customTheme": ("RFM_Segmentation_Theme.json",
                                                                      "RegisteredResources")}
    for package in report["resourcePackages"]:
        for entry in package["items"]:
            path = REPORT / "StaticResources" / package["name"] / entry["path"]
            assert path.read_bytes() == pbit[f"Report/StaticResources/{package['name']}/{entry['path']}"]


@pytest.mark.unit
def test_pbit_nested_json_strings_parse(layout: dict[str, Any], schema: dict[str, Any]) -> None:
    found = list(nested_json_strings(layout))
    assert len(found) > 2 * 45
    for where, text in found:
        assert isinstance(text, str), where
        json.loads(text)
    for annotation in schema["model"]["annotations"]:
        if annotation["name"] == "PBI_QueryOrder":
            assert isinstance(json.loads(annotation["value"]), list)


@pytest.mark.unit
def test_pbit_parameters_and_description(pbit: dict[str, bytes], schema: dict[str, Any]) -> None:
    assert utf16_json(pbit["Metadata"])["FileDescription"].count("DataFolder") == 1
    names = [item["name"] for item in schema["model"]["expressions"]]
    assert names == ["DataFolder", "FileFormat"]


@pytest.mark.unit
def test_pbip_and_pbit_describe_the_same_model(tmdl: dict[str, Any], schema: dict[str, Any]) -> None:
    model = schema["model"]
    assert list(tmdl["tables"]) == sorted(table["name"] for table in model["tables"])
    for table in model["tables"]:
        node = tmdl["tables"][table["name"]]
        tmdl_columns = [(column.name, column.properties["dataType"], "isHidden" in column.properties,
                         column.properties.get("sortByColumn"), column.properties.get("formatString"))
                        for column in node.all("column")]
        assert tmdl_columns == [(column["name"], column["dataType"], column.get("isHidden", False),
                                 column.get("sortByColumn"), column.get("formatString"))
                                for column in table["columns"]], table["name"]
        tmdl_measures = [(item.name, item.expression, item.properties.get("formatString"))
                         for item in node.all("measure")]
        assert tmdl_measures == [(item["name"], _lines(item["expression"]), item.get("formatString"))
                                 for item in table.get("measures", [])], table["name"]
        (partition,) = node.all("partition")
        assert partition.properties["source"] == _lines(table["partitions"][0]["source"]["expression"])
        assert (node.properties.get("dataCategory") == "Time") == (table.get("dataCategory") == "Time")
    assert sorted((item.properties["fromColumn"], item.properties["toColumn"]) for item in tmdl["relationships"]) \
        == sorted((f"{item['fromTable']}.{item['fromColumn']}", f"{item['toTable']}.{item['toColumn']}")
                  for item in model["relationships"])
    assert [(item.name, item.expression) for item in tmdl["expressions"]] == \
        [(item["name"], item["expression"]) for item in model["expressions"]]
    assert sorted((role.name, role.properties["modelPermission"],
                   tuple((permission.name, permission.expression) for permission in role.all("tablePermission")))
                  for role in tmdl["roles"].values()) == \
        sorted((role["name"], role["modelPermission"],
                tuple((item["name"], _lines(item["filterExpression"])) for item in role["tablePermissions"]))
               for role in model["roles"])
    annotations = tmdl["model"].properties["annotations"]
    assert annotations == {item["name"]: item["value"] for item in model["annotations"]}
    assert tmdl["database"].properties["compatibilityLevel"] == str(schema["compatibilityLevel"])


@pytest.mark.unit
def test_model_tmdl_refers_to_every_object_file_as_desktop_does(tmdl: dict[str, Any],
                                                                 schema: dict[str, Any]) -> None:
    refs = [line.split(" ", 2)[1:] for line in tmdl["model_text"].splitlines() if line.startswith("ref ")]
    kinds = [kind for kind, _ in refs]
    # Desktop's order: tables, then roles, then the culture
    assert kinds == sorted(kinds, key=["table", "role", "cultureInfo"].index)
    tables = [table.name for table in tmdl["tables"].values()]
    roles = [role.name for role in tmdl["roles"].values()]
    referred = {kind: [parse_tmdl(f"{kind} {name}")[0].name for k, name in refs if k == kind] for kind in set(kinds)}
    assert sorted(referred["table"]) == sorted(tables) and sorted(referred["role"]) == sorted(roles)
    assert referred["cultureInfo"] == ["en-US"]
    (culture,) = parse_tmdl((DEFINITION / "cultures" / "en-US.tmdl").read_text(encoding="utf-8"))
    assert (culture.kind, culture.name, culture.properties["contentType"]) == ("cultureInfo", "en-US", "json")
    metadata = json.loads(culture.properties["linguisticMetadata"])
    assert schema["model"]["cultures"] == [{"name": "en-US", "linguisticMetadata": {"content": metadata,
                                                                                    "contentType": "json"}}]
    assert metadata["Language"] == schema["model"]["culture"] == "en-US"


@pytest.mark.unit
def test_pbip_and_pbit_have_the_same_pages_and_visuals(layout: dict[str, Any]) -> None:
    pages = json.loads((REPORT / "definition" / "pages" / "pages.json").read_text())
    assert [section["name"] for section in layout["sections"]] == pages["pageOrder"]
    for section in layout["sections"]:
        folder = REPORT / "definition" / "pages" / section["name"]
        page = json.loads((folder / "page.json").read_text())
        assert page["displayName"] == section["displayName"]
        pbir_visuals = {}
        for path in sorted(folder.glob("visuals/*/visual.json")):
            visual = json.loads(path.read_text())
            projected = [item for state in visual["visual"].get("query", {}).get("queryState", {}).values()
                         for item in state["projections"]]
            for key in ("queryRef", "nativeQueryRef"):
                names = [item[key] for item in projected]
                assert len(names) == len(set(names)), f"{path}: {key} must be unique in a visual"
            roles = {role: [item["queryRef"] for item in state["projections"]]
                     for role, state in visual["visual"].get("query", {}).get("queryState", {}).items()}
            pbir_visuals[visual["name"]] = (visual["visual"]["visualType"], roles, visual["position"],
                                            visual["visual"].get("objects"))
        layout_visuals = {}
        for container in section["visualContainers"]:
            config = json.loads(container["config"])
            single = config["singleVisual"]
            roles = _layout_roles(single)
            layout_visuals[config["name"]] = (single["visualType"], roles, config["layouts"][0]["position"],
                                              single.get("objects"))
        assert pbir_visuals == layout_visuals, section["name"]


# --- the report ---------------------------------------------------------------

def _layout_roles(single: dict[str, Any]) -> dict[str, list[str]]:
    return {role: [item["queryRef"] for item in items] for role, items in single.get("projections", {}).items()}


@pytest.mark.unit
def test_pages_cover_the_reference_dashboards(layout: dict[str, Any]) -> None:
    visuals: dict[str, list[tuple[str, dict[str, list[str]]]]] = {}
    for section in layout["sections"]:
        for container in section["visualContainers"]:
            single = json.loads(container["config"])["singleVisual"]
            roles = _layout_roles(single)
            visuals.setdefault(section["displayName"], []).append((single["visualType"], roles))
    assert list(visuals) == ["Overview", "Segments", "RFM values", "Distributions", "Demographics", "Trends",
                             "Value", "Movement", "Grid"]

    def has(page: str, visual_type: str, **roles: str) -> bool:
        return any(kind == visual_type and all(ref in found.get(role, []) for role, ref in roles.items())
                   for kind, found in visuals[page])

    cards = {found["Values"][0] for kind, found in visuals["Overview"] if kind == "card"}
    assert {"fct_customer_rfm.Total Customers", "fct_customer_rfm.Average Purchases",
            "fct_customer_rfm.Average Order Value", "fct_purchases.Total Revenue"} <= cards
    assert has("Overview", "clusteredColumnChart", Category="fct_customer_rfm.rfm_score")
    assert has("Overview", "treemap", Group="dim_segments.segment")
    assert has("Overview", "tableEx", Values="fct_customer_rfm.rfm_score")
    slicers = {found["Values"][0] for kind, found in visuals["Overview"] if kind == "slicer"}
    assert slicers == {"dim_customers.region", "dim_customers.home_store_id", "dim_segments.segment"}
    assert has("Segments", "clusteredBarChart", Y="fct_customer_rfm.Total Customers")
    assert has("Segments", "clusteredBarChart", Y="fct_customer_rfm.Average R Score")
    assert has("Segments", "clusteredBarChart", Y="fct_purchases.Revenue Share %")
    assert has("Segments", "tableEx", Values="dim_segments.recommended_action")
    assert has("RFM values", "scatterChart", Series="dim_segments.segment")
    assert has("RFM values", "pivotTable", Rows="dim_rfm_value_pairs.measure_x",
               Columns="dim_rfm_value_pairs.measure_y", Values="fct_customer_rfm.RFM Correlation")
    for column in ("age_band", "gender", "region", "home_store_id"):
        assert has("Demographics", "hundredPercentStackedBarChart", Category=f"dim_customers.{column}")
    assert has("Trends", "columnChart", Category="dim_dates.month_start_date", Y="fct_purchases.Total Revenue")
    assert has("Trends", "lineChart", Y="fct_purchases.Active Customers")
    assert has("Trends", "tableEx", Values="fct_purchases.Revenue MoM %")
    # issue 12 item 7: box plots, revenue by store of sale, a date range, year over year beside month over month
    for short in ("Recency", "Frequency", "Monetary"):
        assert has("Distributions", "barChart", Category="dim_segments.segment",
                   Y=f"fct_customer_rfm.{short} Box Lower Half")
    assert has("Distributions", "barChart", Category="fct_purchases.store_id", Series="dim_segments.segment")
    slicers = {found["Values"][0] for kind, found in visuals["Trends"] if kind == "slicer"}
    assert "dim_dates.date_day" in slicers
    assert has("Trends", "tableEx", Values="fct_purchases.Revenue YoY %")
    assert has("Trends", "clusteredColumnChart", Y="fct_purchases.Revenue YoY %")
    # issue 16: the Value page
    assert has("Value", "clusteredBarChart", Category="dim_segments.segment", Y="fct_customer_clv.Total CLV 12m")
    assert has("Value", "columnChart", Category="fct_customer_clv.p_alive_band")
    assert has("Value", "tableEx", Values="fct_customer_clv.Total CLV 12m")
    assert has("Value", "tableEx", Values="rpt_clv_model.bgnbd_converged")
    # issue 14: movement between segments, and the grid
    for value in ("Moved Customers", "Moved Revenue"):
        assert has("Movement", "pivotTable", Rows="rpt_segment_transitions.from_segment",
                   Columns="rpt_segment_transitions.to_segment", Values=f"rpt_segment_transitions.{value}")
    assert has("Movement", "clusteredBarChart", Y="rpt_segment_transitions.Inflow Customers")
    assert has("Movement", "clusteredBarChart", Y="rpt_segment_transitions.Outflow Customers")
    assert has("Movement", "hundredPercentStackedColumnChart", Category="rpt_segment_history.period_end_date",
               Series="dim_segments.segment")
    slicers = {found["Values"][0] for kind, found in visuals["Movement"] if kind == "slicer"}
    assert {"rpt_segment_transitions.pair_type", "rpt_segment_transitions.from_period_end_date",
            "rpt_segment_history.period_end_date"} <= slicers
    for value in ("Grid Customers", "Grid Revenue"):
        assert has("Grid", "pivotTable", Rows="dim_rfm_grid_cells.recency_grid_score",
                   Columns="dim_rfm_grid_cells.fm_grid_score", Values=f"fct_customer_rfm.{value}")


@pytest.mark.unit
def test_visuals_fit_on_their_page_and_do_not_overlap(layout: dict[str, Any]) -> None:
    for section in layout["sections"]:
        boxes = []
        for container in section["visualContainers"]:
            x, y, w, h = (container[key] for key in ("x", "y", "width", "height"))
            assert x >= 0 and x + w <= section["width"] and y >= 0 and y + h <= section["height"], container
            for other in boxes:
                ox, oy, ow, oh = other
                assert x + w <= ox or ox + ow <= x or y + h <= oy or oy + oh <= y, (section["name"], container)
            boxes.append((x, y, w, h))


@pytest.mark.unit
def test_segment_colours_come_from_the_catalogue(layout: dict[str, Any]) -> None:
    with (PROJECT_DIR / "seeds" / "segment_catalogue.csv").open() as handle:
        colours = {row["segment"]: row["color_hex"].upper() for row in csv.DictReader(handle)}
    assert spec.CHAMPIONS in colours
    series_colours = 0
    for section in layout["sections"]:
        for container in section["visualContainers"]:
            for point in json.loads(container["config"])["singleVisual"].get("objects", {}).get("dataPoint", []):
                scope = point.get("selector", {}).get("data", [{}])[0].get("scopeId")
                if scope:
                    segment = scope["Comparison"]["Right"]["Literal"]["Value"].strip("'").replace("''", "'")
                    colour = point["properties"]["fill"]["solid"]["color"]["expr"]["Literal"]["Value"].strip("'")
                    assert colours[segment] == colour
                    series_colours += 1
    assert series_colours >= len(colours)


@pytest.mark.unit
def test_exposure_lists_the_marts_the_model_reads(schema: dict[str, Any]) -> None:
    exposures = yaml.safe_load((PROJECT_DIR / "models" / "_exposures.yml").read_text())["exposures"]
    (exposure,) = [item for item in exposures if item["type"] == "dashboard"]
    refs = {re.fullmatch(r"ref\('(\w+)'\)", item)[1] for item in exposure["depends_on"]}  # type: ignore[index]
    assert refs == {table["name"] for table in schema["model"]["tables"]}
    assert (PROJECT_DIR / exposure["url"]).is_file()


@pytest.mark.unit
def test_every_exported_mart_is_in_the_report_or_left_out_on_purpose() -> None:
    exported = set(exported_tables(PROJECT_DIR))
    in_report = {table.name for table in spec.TABLES}
    assert in_report <= exported, "the report reads a mart without meta.powerbi_export"
    assert set(spec.NOT_IN_REPORT) <= exported and not in_report & set(spec.NOT_IN_REPORT)
    assert exported - in_report == set(spec.NOT_IN_REPORT), (
        "add each exported mart to spec/semantic_model.py: TABLES (the report loads it) or NOT_IN_REPORT")


@pytest.mark.unit
def test_the_report_can_do_without_exactly_the_optional_exports() -> None:
    """A table the report marks optional is one a build may leave out (`built_when` in its contract)."""
    optional_in_report = {table.name for table in spec.TABLES if table.optional}
    in_report = {table.name for table in spec.TABLES}
    assert optional_in_report == set(optional_exports(PROJECT_DIR)) & in_report


@pytest.mark.unit
def test_the_exposure_depends_on_exactly_the_report_tables() -> None:
    exposures = yaml.safe_load((PROJECT_DIR / "models" / "_exposures.yml").read_text())["exposures"]
    (exposure,) = [item for item in exposures if item["type"] == "dashboard"]
    refs = [re.fullmatch(r"ref\('(\w+)'\)", item)[1] for item in exposure["depends_on"]]  # type: ignore[index]
    assert sorted(refs) == sorted(table.name for table in spec.TABLES)


# --- the contract drives everything: mutations make the checks fail ----------

@pytest.mark.integration
def test_a_renamed_mart_column_fails_the_build_and_the_data_check(tmp_path: Path,
                                                                  sample_build: Workspace) -> None:
    project = _copy_project(tmp_path)
    # a column a visual uses: the builder refuses, naming it and the contract file
    _edit_column(project, "fct_customer_rfm", "recency_days", name="days_since_last_purchase")
    with pytest.raises(UserError) as error:
        builder.build(project)
    assert "fct_customer_rfm[recency_days]" in str(error.value)
    assert "models/marts/fct_customer_rfm.yml" in str(error.value)
    # a column nothing uses: the model builds, but no longer matches the exported files
    _edit_column(project, "fct_customer_rfm", "days_since_last_purchase", name="recency_days")
    _edit_column(project, "fct_customer_rfm", "tenure_days", name="customer_tenure_days")
    renamed = builder.build(project).files[f"{NAME}.pbit"]
    tables = utf16_json(read_pbit_bytes(renamed)["DataModelSchema"])["model"]["tables"]
    problems = _contract_vs_exports(tables, sample_build.published)
    assert len(problems) == 1 and "customer_tenure_days" in problems[0]


@pytest.mark.integration
def test_a_retyped_mart_column_fails_the_build_and_the_data_check(tmp_path: Path,
                                                                  sample_build: Workspace) -> None:
    project = _copy_project(tmp_path)
    _edit_column(project, "fct_customer_rfm", "customer_key", data_type="varchar")
    with pytest.raises(UserError, match=r"the ends have different types \(bigint and varchar\)"):
        builder.build(project)
    _edit_column(project, "fct_customer_rfm", "customer_key", data_type="bigint")
    _edit_column(project, "fct_customer_rfm", "tenure_days", data_type="decimal(18,2)")
    retyped = builder.build(project).files[f"{NAME}.pbit"]
    tables = utf16_json(read_pbit_bytes(retyped)["DataModelSchema"])["model"]["tables"]
    assert _contract_vs_exports(tables, sample_build.published) == [
        "fct_customer_rfm.tenure_days: decimal in the model, int64 in the file"]


def read_pbit_bytes(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.unit
def test_without_dim_customers_the_report_leaves_out_what_needs_it(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    (project / "models" / "marts" / "dim_customers.yml").unlink()
    artifacts = builder.build(project)
    assert artifacts.model.table("dim_customers") is None
    left_out = artifacts.model.left_out
    assert LeftOut("table", "dim_customers", ("dim_customers",)) in left_out
    assert LeftOut("relationship", "fct_customer_rfm[customer_key] -> dim_customers[customer_key]",
                   ("dim_customers",)) in left_out
    assert LeftOut("role filter", "Store S01 on dim_customers", ("dim_customers",)) in left_out
    assert {item.kind for item in left_out} == {"table", "relationship", "role filter", "visual"}
    assert all(item.missing_tables == ("dim_customers",) for item in left_out)
    tables = {item.table for page in artifacts.model.pages for visual in page.visuals for item in visual.fields()}
    assert "dim_customers" not in tables
    roles = {role.name: role.filters for role in artifacts.model.roles}
    assert not any(name.startswith("Region ") for name in roles)
    assert [table for table, _ in roles["Store S01"]] == ["fct_customer_rfm", "fct_purchases",
                                                         *spec.HIDDEN_FROM_ROLES]
    tmdl_tables = [path for path in artifacts.files if "/tables/" in path]
    assert len(tmdl_tables) == len(MODEL_TABLES) - 1


# --- types and bad input -------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize(("sql_type", "data_type", "m_type"), [
    ("varchar", "string", "type text"), ("VARCHAR(255)", "string", "type text"), ("text", "string", "type text"),
    ("string", "string", "type text"), ("character varying(40)", "string", "type text"),
    ("integer", "int64", "Int64.Type"), ("int", "int64", "Int64.Type"), ("BIGINT", "int64", "Int64.Type"),
    ("smallint", "int64", "Int64.Type"), ("int8", "int64", "Int64.Type"),
    ("decimal(18,2)", "decimal", "Currency.Type"), ("numeric(18, 2)", "decimal", "Currency.Type"),
    ("decimal(18,4)", "decimal", "Currency.Type"), ("decimal(9,6)", "double", "type number"),
    ("numeric", "double", "type number"), ("double", "double", "type number"),
    ("double precision", "double", "type number"), ("float", "double", "type number"),
    ("real", "double", "type number"), ("boolean", "boolean", "type logical"), ("bool", "boolean", "type logical"),
    ("date", "dateTime", "type date"), ("timestamp", "dateTime", "type datetime"),
    ("timestamp without time zone", "dateTime", "type datetime"), ("timestamp_ntz", "dateTime", "type datetime"),
    ("timestamp with time zone", "dateTime", "type datetimezone"), ("timestamptz", "dateTime", "type datetimezone"),
])
def test_contract_types_map_to_power_bi(sql_type: str, data_type: str, m_type: str) -> None:
    found = power_bi_type(sql_type, "here")
    assert (found.data_type, found.m_type) == (data_type, m_type)


@pytest.mark.unit
@pytest.mark.parametrize("sql_type", ["hugeint", "blob", "varchar(x)", "decimal(2,5)", "int(11)", "struct<a int>",
                                      "", None])
def test_unknown_types_fail_loudly(sql_type: str | None) -> None:
    with pytest.raises(UserError, match="here"):
        power_bi_type(sql_type, "here")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["powerbi", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


# Integration tier: regenerates the whole project (seconds each), too slow for make test-fast.
@pytest.mark.integration
def test_bad_input_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, error = _run(capsys, "--project-dir", str(tmp_path))
    assert code == 2 and "dbt_project.yml: not found" in error
    (tmp_path / "project").mkdir()
    project = _copy_project(tmp_path / "project")
    code, error = _run(capsys, "--project-dir", str(project), "--manifest", str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json: not found" in error
    _edit_column(project, "fct_purchases", "quantity", data_type="hugeint")
    code, error = _run(capsys, "--project-dir", str(project), "--output", str(tmp_path / "out"))
    assert code == 2 and "models/marts/fct_purchases.yml: column fct_purchases.quantity: data_type 'hugeint'" in error
    _edit_column(project, "fct_purchases", "quantity", data_type="decimal(18,3)")
    (project / "models" / "marts" / "dim_dates.yml").unlink()
    code, error = _run(capsys, "--project-dir", str(project), "--output", str(tmp_path / "out"))
    assert code == 2 and "the report reads dim_dates, which no model contract exports" in error
    shutil.copy(PROJECT_DIR / "models" / "marts" / "dim_dates.yml", project / "models" / "marts")
    (project / "seeds" / "segment_catalogue.csv").write_text("segment,sort_order,color_hex\nChampions,1,green\n")
    code, error = _run(capsys, "--project-dir", str(project), "--output", str(tmp_path / "out"))
    assert code == 2 and "color_hex 'green' is not '#RRGGBB'" in error
    (project / "seeds" / "segment_catalogue.csv").write_text("segment,sort_order,color_hex\nStars,1,#00FF00\n")
    code, error = _run(capsys, "--project-dir", str(project), "--output", str(tmp_path / "out"))
    assert code == 2 and "highlights 'Champions', which is not in the segment catalogue" in error
    (project / "models" / "marts" / "dim_dates.yml").write_text("models: [\n")
    code, error = _run(capsys, "--project-dir", str(project), "--output", str(tmp_path / "out"))
    assert code == 2 and "dim_dates.yml: cannot be read as YAML" in error
    assert not (tmp_path / "out").exists()
    shutil.copy(PROJECT_DIR / "models" / "marts" / "dim_dates.yml", project / "models" / "marts")
    shutil.copy(PROJECT_DIR / "seeds" / "segment_catalogue.csv", project / "seeds")
    (tmp_path / "taken").write_text("a file where the output folder should be")
    code, error = _run(capsys, "--project-dir", str(project), "--output", str(tmp_path / "taken"))
    assert code == 2 and "cannot write the Power BI files to" in error


@pytest.mark.unit
def test_tmdl_reader_reads_what_the_writer_writes() -> None:
    """The test's own TMDL reader: a multi-line measure keeps its lines, flags and properties."""
    (node,) = parse_tmdl("table t\n\tmeasure 'A b' =\n\t\t\tVAR x = 1\n\t\t\tRETURN x\n\t\tformatString: 0\n"
                         "\tcolumn c\n\t\tdataType: int64\n\t\tisHidden\n")
    (measure,) = node.all("measure")
    assert (measure.name, measure.expression, measure.properties) == ("A b", "VAR x = 1\nRETURN x",
                                                                      {"formatString": "0"})
    (column,) = node.all("column")
    assert column.properties == {"dataType": "int64", "isHidden": True}
