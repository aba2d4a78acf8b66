"""Malformed CSV lines (issue 18): set aside with their file, line number and
reason instead of stopping the build, counted in the reconciliation and by
`rfm check`'s recount; a file that is mostly malformed stops the build."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from helpers.hand_data import REFERENCE
from helpers.workspace import PROJECT_DIR, Workspace
from rfm_segmentation.checks.recount import recount_inputs

pytestmark = pytest.mark.integration

HEADER = "customer_id,purchased_at,amount"
# LF line ends and a UTF-8 byte-order mark; line numbers count the header (1)
# and the blank line (4), which is not a line of data.
MAY = (
    "\ufeff" + HEADER + "\n"
    "A,2024-05-01,10\n"           # 2
    "B,2024-05-02,20,EXTRA\n"     # 3 one field too many
    "\n"                          # 4 blank: skipped, not counted
    "B,2024-05-03,30\n"           # 5
    "C,2024-05-04\n"              # 6 one field missing
    "A,2024-05-10,15\n"           # 7
    '"D,2024-05-11,40\n'          # 8 a quote that never closes...
    "E,2024-05-12,50\n"           # 9 ...takes the following lines with it
).encode()
# CRLF line ends and one Latin-1 byte in a UTF-8 file.
JUNE = (
    HEADER.encode() + b"\r\n"
    b"C,2024-06-01,caf\xe9\r\n"   # 2 not UTF-8
    b"C,2024-06-02,5\r\n"         # 3
    b"A,2024-06-03,25,x\r\n"      # 4 one field too many
    b"B,2024-06-04,35\r\n"        # 5
)
CUSTOMERS = b"customer_id,gender\nA,F\nB,M,extra\nC,F\n"


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.fixture(scope="module")
def malformed_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    built = Workspace(tmp_path_factory.mktemp("malformed"))
    write(built.root / "in" / "purchases_2024-05.csv", MAY)
    write(built.root / "in" / "purchases_2024-06.csv", JUNE)
    customers = write(built.root / "in" / "customers.csv", CUSTOMERS)
    result = built.build({"purchases_path": str(built.root / "in" / "purchases_*.csv"),
                          "customers_path": str(customers), "max_malformed_share": 0.6, **REFERENCE})
    built.log = result.output  # type: ignore[attr-defined]
    return built


def table(workspace: Workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_each_malformed_line_is_kept_with_its_file_line_and_reason(malformed_build: Workspace) -> None:
    rows = table(malformed_build, """
        select regexp_extract(source_file, '[^/]+$'), line_number, reject_reason, error_type, line_text
        from stg_purchases_malformed_lines order by 1, 2""")
    assert rows == [
        ("purchases_2024-05.csv", 3, "malformed_csv_line", "TOO MANY COLUMNS", "B,2024-05-02,20,EXTRA"),
        ("purchases_2024-05.csv", 6, "malformed_csv_line", "MISSING COLUMNS", "C,2024-05-04"),
        ("purchases_2024-05.csv", 8, "malformed_csv_line", "UNQUOTED VALUE", '"D,2024-05-11,40'),
        ("purchases_2024-05.csv", 9, "malformed_csv_line", "INSIDE UNCLOSED QUOTE FROM LINE 8", "E,2024-05-12,50"),
        # DuckDB shows the byte that is not UTF-8 as '?'.
        ("purchases_2024-06.csv", 2, "invalid_encoding", "INVALID ENCODING", "C,2024-06-01,caf?"),
        ("purchases_2024-06.csv", 4, "malformed_csv_line", "TOO MANY COLUMNS", "A,2024-06-03,25,x"),
    ]


def test_malformed_lines_are_rejected_purchases_under_the_same_key(malformed_build: Workspace) -> None:
    rejected = malformed_build.query("""
        select reject_reason, count(*), count(customer_id_raw), sum(source_row_count)
        from fct_purchases_rejected group by 1 order by 1""")
    assert rejected == [("invalid_encoding", 1, 0, 1), ("malformed_csv_line", 5, 0, 5)]
    keys = {row[0] for row in malformed_build.query("select purchase_key from fct_purchases_rejected")}
    lines = table(malformed_build, "select malformed_line_key from stg_purchases_malformed_lines")
    assert keys == {row[0] for row in lines}


def test_lines_reconcile_in_the_report_and_in_the_recount(malformed_build: Workspace) -> None:
    """11 lines of data: 5 accepted + 6 malformed; `rfm check` counts 11 too."""
    report = malformed_build.query(
        "select outcome, reason, row_count from rpt_purchases_reconciliation order by 1, 2")
    assert report == [("accepted", "accepted", 5), ("rejected", "invalid_encoding", 1),
                      ("rejected", "malformed_csv_line", 5)]
    counts = recount_inputs(malformed_build.manifest(), PROJECT_DIR)
    assert counts["purchases"].rows == 11
    assert counts["customers"].rows == 3


def test_the_good_lines_give_the_right_rfm(malformed_build: Workspace) -> None:
    rows = malformed_build.query("""
        select customer_id, recency_days, order_count, monetary_amount
        from fct_customer_rfm order by customer_id""")
    # Reference date 2024-07-01: A last bought on 05-10, B on 06-04, C on 06-02.
    assert [(c, r, f, float(m)) for c, r, f, m in rows] == [
        ("A", 52, 2, 25.0), ("B", 27, 2, 65.0), ("C", 29, 1, 5.0)]


def test_the_build_log_names_the_malformed_lines(malformed_build: Workspace) -> None:
    log = malformed_build.log  # type: ignore[attr-defined]
    assert ("4 of 7 lines (57.14%) of '" + str(malformed_build.root / "in" / "purchases_2024-05.csv")
            + "' are malformed; lines 3 (too many columns), 6 (missing columns), 8 (unquoted value), "
            "9 (inside unclosed quote from line 8)") in log
    assert "2 of 4 lines (50.00%)" in log
    assert "Customers: 1 malformed lines in 1 file(s)" in log


def test_malformed_customer_lines_are_set_aside(malformed_build: Workspace) -> None:
    lines = table(malformed_build, "select line_number, reject_reason, line_text from stg_customers_malformed_lines")
    assert lines == [(3, "malformed_csv_line", "B,M,extra")]
    assert malformed_build.query(
        "select customer_id, has_demographics, gender from dim_customers order by customer_id") == [
        ("A", True, "Female"), ("B", False, "Unknown"), ("C", True, "Female")]


def test_a_mostly_malformed_file_stops_the_build(workspace: Workspace) -> None:
    """Latin-1 read as UTF-8: a wrong encoding fails loudly instead of quarantining the file."""
    path = write(workspace.root / "latin1.csv",
                 (HEADER + "\nA,2024-05-01,10\nB,2024-05-02,9\xe9\nC,2024-05-03,1\xe9\n").encode("latin-1"))
    result = workspace.dbt("run", "--select", "stg_purchases_malformed_lines", variables={"purchases_path": str(path)})
    assert not result.ok
    assert (f"purchases_path: 2 of 3 lines (66.67%) of '{path}' are malformed; lines 3 (invalid encoding), "
            "4 (invalid encoding). That is more than max_malformed_share (0.01)") in result.output, \
        result.output[-3000:]


def test_one_bad_line_in_a_hundred_is_within_the_default_share(workspace: Workspace) -> None:
    good = "".join(f"C{index},2024-05-01,{index}\n" for index in range(99))
    path = write(workspace.root / "p.csv", (HEADER + "\n" + good + "X,2024-05-02\n").encode())
    result = workspace.dbt("run", "--select", "stg_purchases_malformed_lines", variables={"purchases_path": str(path)})
    assert result.ok, result.output[-3000:]
    assert "1 of 100 lines (1.00%)" in result.output


@pytest.mark.parametrize("value", [2, -0.1, "lots", True])
def test_max_malformed_share_is_validated(workspace: Workspace, value: object) -> None:
    result = workspace.dbt("run", "--select", "stg_purchases_malformed_lines", variables={"max_malformed_share": value})
    assert not result.ok
    assert "Invalid var 'max_malformed_share': expected a share of lines between 0 and 1" in result.output


def test_the_header_gives_the_delimiter_and_csv_options_the_encoding(workspace: Workspace) -> None:
    """A ';' file in Latin-1: the delimiter is read from the header, the encoding from purchases_csv_options."""
    path = write(workspace.root / "latin1.csv",
                 "client;date;montant\nZoé;2024-05-01;10\nZoé;2024-05-02;5;x\n".encode("latin-1"))
    variables = {"purchases_path": str(path), "purchases_csv_options": {"encoding": "latin-1"},
                 "max_malformed_share": 0.5,
                 "purchases_columns": {"customer_id": "client", "purchased_at": "date", "amount": "montant"}}
    result = workspace.dbt("run", "--select", "stg_purchases", "stg_purchases_malformed_lines", variables=variables)
    assert result.ok, result.output[-3000:]
    assert table(workspace, "select customer_id, amount_raw from stg_purchases") == [("Zoé", "10")]
    assert table(workspace, "select line_number, reject_reason, line_text from stg_purchases_malformed_lines") == [
        (3, "malformed_csv_line", "Zoé;2024-05-02;5;x")]
