"""Bad configuration stops the build early, with a message naming the setting
and no Python traceback."""

from __future__ import annotations

import pytest

from helpers.hand_data import ACCEPTED_ROWS, write_csv
from helpers.workspace import PROJECT_DIR

pytestmark = pytest.mark.integration

SAMPLE_CSV = str(PROJECT_DIR / "seeds" / "sample_purchases.csv")

CASES = [
    ({"rfm_scoring_method": "median"}, "Invalid var 'rfm_scoring_method': expected one of ntile, percent_rank"),
    ({"rfm_score_bins": 11}, "Invalid var 'rfm_score_bins': expected a whole number from 2 to 10, got 11"),
    ({"rfm_score_bins": 1}, "Invalid var 'rfm_score_bins'"),
    ({"rfm_score_bins": "five"}, "Invalid var 'rfm_score_bins'"),
    ({"rfm_score_bins": 4.5}, "Invalid var 'rfm_score_bins'"),
    ({"rfm_reference_date": "2024-02-30"}, "Invalid var 'rfm_reference_date': '2024-02-30' is not a real"),
    ({"rfm_reference_date": "01/07/2024"}, "Invalid var 'rfm_reference_date': expected a date as 'YYYY-MM-DD'"),
    ({"rfm_lookback_days": -3}, "Invalid var 'rfm_lookback_days'"),
    ({"returns_handling": "ignore"}, "Invalid var 'returns_handling': expected one of net, exclude"),
    ({"business_time_zone": "Mars/Olympus"}, "Invalid var 'business_time_zone'"),
    ({"purchases_path": "/nonexistent/purchases.csv"},
     "Invalid var 'purchases_path': no file matches '/nonexistent/purchases.csv'"),
    ({"purchases_path": "/tmp/purchases.xlsx"}, "Invalid var 'purchases_format': cannot tell the format"),
    ({"purchases_path": SAMPLE_CSV, "purchases_columns": {"customer_id": "CustomerID"}},
     "Invalid var 'purchases_columns': column 'CustomerID' (for customer_id) is not in purchases_path"),
    ({"purchases_path": SAMPLE_CSV, "purchases_columns": {"client": "customer_id"}},
     "Invalid var 'purchases_columns': unknown key 'client'"),
    ({"purchases_path": SAMPLE_CSV, "purchases_columns": {"amount": None}},
     "Invalid var 'purchases_columns': map amount, or quantity and unit_price (amount = quantity x unit_price"),
    ({"purchases_path": SAMPLE_CSV, "purchases_source_table": "sales"},
     "Invalid var 'purchases_path': set either purchases_path"),
    ({"purchases_source_table": "no_such_table"},
     "Invalid var 'purchases_source_table': table 'no_such_table' not found in schema 'main'"),
    ({"purchases_path": SAMPLE_CSV, "purchases_csv_options": {"header": False}},
     "Invalid var 'purchases_csv_options': option 'header' cannot be set here"),
    ({"purchases_path": SAMPLE_CSV, "purchases_csv_options": {"ignore_errors": True}},
     "Invalid var 'purchases_csv_options': option 'ignore_errors' is set by the project"),
    ({"purchase_timestamp_format": "%d/%m/%Q"},
     "Invalid var 'purchase_timestamp_format': '%Q' in \"%d/%m/%Q\" is not a strptime directive"),
    ({"purchase_timestamp_format": 5}, "Invalid var 'purchase_timestamp_format': expected a strptime format"),
    ({"publish_exports": "maybe"}, "Invalid var 'publish_exports': expected true or false"),
    ({"export_csv": "sometimes"}, "Invalid var 'export_csv': expected true or false"),
    ({"export_parquet_compression": "lz4"},
     "Invalid var 'export_parquet_compression': expected one of snappy, zstd, gzip, uncompressed"),
    ({"customer_id_case": "title"}, "Invalid var 'customer_id_case': expected one of preserve, lower, upper"),
    ({"missing_customer_id_values": "unknown"}, "Invalid var 'missing_customer_id_values': expected a list"),
    ({"rfm_history_periods": -1}, "Invalid var 'rfm_history_periods': expected a whole number of periods from 0"),
    ({"rfm_history_periods": "many"}, "Invalid var 'rfm_history_periods'"),
    ({"rfm_history_grain": "year"}, "Invalid var 'rfm_history_grain': expected one of month, quarter, week"),
    ({"rfm_history_periods": 0, "rfm_history_grain": "day"}, "Invalid var 'rfm_history_grain'"),
    ({"export_rfm_history": "yes"}, "Invalid var 'export_rfm_history': expected true or false"),
]


@pytest.mark.parametrize(("variables", "message"), CASES, ids=[next(iter(v)) + "=" + str(list(v.values())[-1])
                                                                for v, _ in CASES])
def test_bad_setting_is_named(workspace, variables, message) -> None:
    result = workspace.dbt("build", variables=variables)
    assert not result.ok
    assert message in result.output, result.output[-3000:]
    assert "Traceback" not in result.output
    assert "OK created" not in result.output and "OK loaded" not in result.output  # it failed early
    assert not workspace.exports.exists()  # nothing was published


def test_missing_required_column_in_a_file_without_it(workspace) -> None:
    path = write_csv(workspace.root / "no_amount.csv", [row[:3] for row in ACCEPTED_ROWS],
                     header=["order_id", "customer_id", "purchased_at"])
    result = workspace.dbt("build", variables={"purchases_path": str(path)})
    assert not result.ok
    assert "Invalid var 'purchases_columns': map amount, or quantity and unit_price" in result.output
    assert "its columns are: order_id, customer_id, purchased_at" in result.output


def test_a_ragged_line_is_named_not_misread(workspace) -> None:
    """Issue 18's file: the header is read as the header; one line of two is malformed, above the default share."""
    path = workspace.root / "ragged.csv"
    path.write_text("customer_id,purchased_at,amount\nA,2024-01-01,10\nB,2024-01-02,20,extra\n")
    result = workspace.dbt("build", variables={"purchases_path": str(path)})
    assert not result.ok
    assert (f"purchases_path: 1 of 2 lines (50.00%) of '{path}' are malformed; lines 3 (too many columns). "
            "That is more than max_malformed_share (0.01)") in result.output, result.output[-3000:]


def test_a_header_that_does_not_name_the_columns_gets_a_hint(workspace) -> None:
    path = workspace.root / "colon.csv"
    path.write_text("customer_id:purchased_at:amount\nA:2024-01-01:10\n")
    result = workspace.dbt("build", variables={"purchases_path": str(path)})
    assert not result.ok
    assert "its columns are: customer_id:purchased_at:amount. If those are not the file's real column names" \
        in result.output, result.output[-3000:]


def test_csv_options_read_a_latin1_semicolon_file(workspace) -> None:
    path = workspace.root / "latin1.csv"
    path.write_bytes("client;date;montant\nAndr\u00e9;2024-01-01;10,5\nZo\u00e9;2024-01-02;20\n".encode("latin-1"))
    workspace.build({"purchases_path": str(path),
                     "purchases_csv_options": {"encoding": "latin-1", "delim": ";"},
                     "purchases_columns": {"customer_id": "client", "purchased_at": "date", "amount": "montant"}})
    assert workspace.query("select customer_id from fct_customer_rfm order by 1") == [("Zo\u00e9",)]
    # A decimal comma is not a number: the row is rejected with its text, not misread.
    assert workspace.query("select customer_id_raw, amount_raw, reject_reason from fct_purchases_rejected") == [
        ("Andr\u00e9", "10,5", "non_numeric_amount")]
