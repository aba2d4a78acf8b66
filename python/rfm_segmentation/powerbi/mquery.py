"""Power Query (M): the parameters a template asks for and the query loading each table."""

from __future__ import annotations

from rfm_segmentation.exports import BUILDS_FOLDER, MANIFEST_FILE
from rfm_segmentation.powerbi.elements import ParameterSpec
from rfm_segmentation.powerbi.model import Table


def m_text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def parameter_expression(parameter: ParameterSpec) -> str:
    """`"value" meta [...]`: a required text parameter, with its allowed values when listed."""
    meta = ["IsParameterQuery=true"]
    if parameter.allowed:
        meta.append("List={" + ", ".join(m_text(value) for value in parameter.allowed) + "}")
        meta.append(f"DefaultValue={m_text(parameter.default)}")
    meta += ['Type="Text"', "IsParameterQueryRequired=true"]
    return f"{m_text(parameter.default)} meta [{', '.join(meta)}]"


def partition_expression(table: Table) -> str:
    """Read <DataFolder>/builds/<current build>/<table>.<FileFormat>, keep the contract's columns, type them.

    The current build is the one the pointer <DataFolder>/rfm_export_manifest.json
    names, read by each query: a publish switches it in one atomic write, and
    build folders never change, so a query reads one whole build (powerbi/README.md
    has the window between queries of one refresh). Everything is reached by
    navigating Folder.Contents(DataFolder), one data source whose path is known
    before the query runs: a path computed from the pointer's content and given
    to File.Contents would be a second, dynamic data source (a Formula.Firewall
    error in Desktop, and a data source the Power BI service cannot refresh).
    CSV is read as text and typed with the en-US culture (the files use '.' and
    ISO dates), so the PC's regional settings never change a value. An
    optional table's file may be missing (dim_customers is not published when
    demographics are off): the query looks for the name in the build folder's
    listing and loads an empty table when it is not there; every other error
    (a corrupt or locked file, a missing column) fails the refresh with its own
    message. M is lazy: the file is read only in the branch that needs it.
    """
    names = [m_text(column.name) for column in table.columns]
    selected = ",\n".join(f"            {name}" for name in names)
    typed = ",\n".join(f"            {{{m_text(column.name)}, {column.pbi_type.m_type}}}" for column in table.columns)
    return "\n".join([
        "let",
        '    Folder = if Text.EndsWith(DataFolder, "\\") or Text.EndsWith(DataFolder, "/") then DataFolder '
        'else DataFolder & "\\",',
        "    Export = Folder.Contents(Folder),",
        f"    Pointer = Json.Document(Export{{[Name = {m_text(MANIFEST_FILE)}]}}[Content], 65001),",
        f"    Builds = Export{{[Name = {m_text(BUILDS_FOLDER)}]}}[Content],",
        # A pointer of the former flat layout has no build_id: "The field 'build_id' ... wasn't found".
        "    Build = Builds{[Name = Pointer[build_id]]}[Content],",
        *([f"    Exists = List.Contains(Build[Name], {m_text(table.name + '.')} & Text.Lower(FileFormat)),"]
          if table.is_optional else []),
        f"    Contents = Build{{[Name = {m_text(table.name + '.')} & Text.Lower(FileFormat)]}}[Content],",
        f"    {'Read' if table.is_optional else 'Source'} =",
        '        if Text.Lower(FileFormat) = "csv" then',
        "            Table.PromoteHeaders(",
        '                Csv.Document(Contents, [Delimiter = ",", Encoding = 65001, '
        "QuoteStyle = QuoteStyle.Csv]),",
        "                [PromoteAllScalars = true]",
        "            )",
        "        else",
        "            Parquet.Document(Contents),",
        *([f"    Source = if Exists then Read else #table({{{', '.join(names)}}}, {{}}),"]
          if table.is_optional else []),
        "    Selected = Table.SelectColumns(",
        "        Source,",
        "        {",
        selected,
        "        }",
        "    ),",
        "    Typed = Table.TransformColumnTypes(",
        "        Selected,",
        "        {",
        typed,
        "        },",
        '        "en-US"',
        "    )",
        "in",
        "    Typed",
    ])


def query_order(tables: tuple[Table, ...], parameters: tuple[ParameterSpec, ...]) -> list[str]:
    """PBI_QueryOrder: the queries as Power Query lists them, parameters first."""
    return [parameter.name for parameter in parameters] + [table.name for table in tables]
