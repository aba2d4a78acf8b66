"""A small purchase file whose RFM results are computed by hand (see
test_hand_computed.py for the expected values)."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = ["InvoiceNo", "CustomerID", "InvoiceDate", "Amount", "Qty", "Store", "Category"]
ACCEPTED_ROWS = [
    ["INV-A1", "A", "2024-06-30 10:00:00", "10.00", "1", "S1", "Toys"],
    ["INV-A1", "A", "2024-06-30 10:00:00", "0", "1", "S1", "Gift wrap"],  # a free item
    ["INV-B1", "B", "2024-01-15 09:00:00", "120.00", "2", "S2", " Home "],
    ["INV-B2", " B ", "2024-06-21 18:30:00", "80.00", "1", "S2", "Home"],
    ["INV-C1", "C", "2023-09-01 12:00:00", "10", "1", "S1", "Beauty"],
    ["INV-C2", "C", "2023-12-01 12:00:00", "10", "1", "S1", "Beauty"],
    # 23:30 at UTC-2 is 01:30 the next day in UTC, the business time zone.
    ["INV-C3", "C", "2024-03-22T23:30:00-02:00", "10", "1", "S1", "Beauty"],
    ["INV-D1", "D", "2023-03-01 11:00:00", "125", "1", "S3", "Electronics"],
    ["INV-D2", "D", "2023-06-01 11:00:00", "125", "1", "S3", "Electronics"],
    ["INV-D3", "D", "2023-09-01 11:00:00", "125", "1", "S3", "Electronics"],
    ["INV-D4", "D", "2023-12-14 11:00:00", "125", "1", "S3", "Electronics"],
    ["INV-E1", "E", "2023-01-10 08:00:00", "5", "1", "S1", "Grocery"],
    ["INV-E1", "E", "2023-01-10 08:00:00", "5", "1", "S1", "Toys"],  # same order, second line
    ["INV-E2", "E", "2023-03-01 08:00:00", "10", "1", "S1", "Grocery"],
    ["INV-E3", "E", "2023-05-01 08:00:00", "10", "1", "S1", "Grocery"],
    ["INV-E4", "E", "2023-07-01 08:00:00", "10", "1", "S1", "Grocery"],
    ["INV-E5", "E", "2023-09-05 08:00:00", "10", "1", "S1", "Grocery"],
    ["INV-F1", "F", "2024-05-01 15:00:00", "40", "1", "S2", "Apparel"],
    ["RET-F1", "F", "2024-05-10 15:00:00", "-40", "-1", "S2", "Apparel"],
]
REJECTED_ROWS = [
    (["INV-X1", "", "2024-06-01 10:00:00", "9999", "1", "S1", "Electronics"], "missing_customer_id"),
    (["INV-X2", "N/A", "2024-06-02 10:00:00", "9999", "1", "S1", "Electronics"], "missing_customer_id"),
    (["INV-X3", "unknown ", "2024-06-03 10:00:00", "9999", "1", "S1", "Electronics"], "missing_customer_id"),
    (["INV-A0", "A", "yesterday", "10", "1", "S1", "Toys"], "unparseable_purchase_date"),
    (["INV-A9", "A", "", "10", "1", "S1", "Toys"], "missing_purchase_date"),
    (["INV-B8", "B", "2024-02-01 10:00:00", "abc", "1", "S2", "Home"], "non_numeric_amount"),
    (["INV-B9", "B", "2024-02-02 10:00:00", "", "1", "S2", "Home"], "missing_amount"),
    (["INV-B7", "B", "2024-02-03 10:00:00", "15", "two", "S2", "Home"], "non_numeric_quantity"),
    (["INV-A2", "A", "2024-07-05 10:00:00", "1000", "1", "S1", "Toys"], "purchase_after_reference_date"),
    (["RET-G1", "G", "2024-04-01 10:00:00", "-25", "-1", "S3", "Home"], "return_without_purchase"),
]
DUPLICATE_ROWS = [ACCEPTED_ROWS[2]]  # an exact copy of B's first line
# With returns_handling: exclude. B returns 20 in March, before B's last
# purchase (2024-06-21) and well before the reference date, so only the
# `return_excluded` rule can reject it (under `net` it would lower B to 180).
EARLIER_RETURN_ROWS = [["RET-B1", "B", "2024-03-01 10:00:00", "-20", "-1", "S2", "Home"]]
REFERENCE = {"rfm_reference_date": "2024-07-01"}
MAPPING = {"purchases_columns": {"order_id": "InvoiceNo", "customer_id": "CustomerID",
                                 "purchased_at": "InvoiceDate", "amount": "Amount", "quantity": "Qty",
                                 "store_id": "Store", "product_category": "Category"}}


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
