"""The dbt data tests catch a corrupted mart: they are not tests that cannot fail."""

from __future__ import annotations

import duckdb
import pytest

from helpers.hand_data import ACCEPTED_ROWS, MAPPING, REFERENCE, write_csv

pytestmark = pytest.mark.integration


def test_corrupted_customer_table_fails_the_named_tests(workspace) -> None:
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    variables = {"purchases_path": str(path), **REFERENCE, **MAPPING}
    workspace.build(variables)
    with duckdb.connect(str(workspace.database)) as connection:
        connection.execute("update fct_customer_rfm set recency_score = 6 where customer_id = 'A'")
        connection.execute("update fct_customer_rfm set segment = 'VIP' where customer_id = 'B'")
        connection.execute("insert into fct_customer_rfm select * from fct_customer_rfm where customer_id = 'C'")
        connection.execute("update fct_customer_rfm set recency_days = -1 where customer_id = 'D'")
    result = workspace.dbt("test", "--select", "fct_customer_rfm", "--exclude", "test_type:unit",
                           variables=variables)
    assert not result.ok
    failures = {line.split("Failure in test ")[1].split(" ")[0]
                for line in result.output.splitlines() if "Failure in test " in line}
    assert failures >= {
        "is_rfm_score_fct_customer_rfm_recency_score",
        "relationships_fct_customer_rfm_segment__segment__ref_dim_segments_",
        "unique_fct_customer_rfm_customer_id",
        "accepted_range_fct_customer_rfm_recency_days__0",
        "assert_segment_summary_matches_customers",  # the extra row breaks the totals
    }, failures


def test_money_test_catches_one_cent_on_one_customer(workspace) -> None:
    """The monetary data test is exact to the cent per customer: a tolerance
    summed over customers (half a cent each) would let one customer be off by
    a cent here, and by about 15.00 on the sample."""
    path = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    variables = {"purchases_path": str(path), **REFERENCE, **MAPPING}
    workspace.build(variables)
    money_test = "assert_customer_money_matches_purchases"
    with duckdb.connect(str(workspace.database)) as connection:
        connection.execute("update fct_customer_rfm set monetary_amount = monetary_amount + 0.01 "
                           "where customer_id = 'E'")
    result = workspace.dbt("test", "--select", money_test, variables=variables)
    assert not result.ok and f"Failure in test {money_test}" in result.output, result.output[-3000:]
    assert "Got 1 result" in result.output, result.output[-3000:]
