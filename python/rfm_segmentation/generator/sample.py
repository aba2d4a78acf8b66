"""Drawing a sample: whole, or in chunks of at most CHUNK_CUSTOMERS customers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import replace

import numpy as np

from rfm_segmentation.errors import UserError
from rfm_segmentation.generator.customers import draw_customers
from rfm_segmentation.generator.purchases import draw_purchases, purchases_table
from rfm_segmentation.generator.settings import (
    ARCHETYPES,
    DEFAULT_END_DATE,
    Blemishes,
    IdLayout,
    Progress,
    SampleData,
    crm_only_count,
    id_width,
    quiet,
)

CHUNK_CUSTOMERS = 1_000_000
SINGLE_FILE = IdLayout()  # numbers from 1, widths from the file's own size


def generate(
    customers: int,
    seed: int | np.random.SeedSequence,
    end_date: dt.date = DEFAULT_END_DATE,
    blemishes: Blemishes | None = None,
    progress: Progress = quiet,
    ids: IdLayout = SINGLE_FILE,
    behaviour_mix: Mapping[str, float] | None = None,
) -> SampleData:
    """Draw purchases and customers. About ten purchase lines per customer.

    `behaviour_mix` changes the share of some customer archetypes (settings.ARCHETYPES), e.g.
    {"one_off": 0.6}: a different population, for drift tests.
    """
    unknown = sorted(set(behaviour_mix or {}) - set(ARCHETYPES))
    if unknown:
        raise UserError(f"--behaviour-mix: unknown behaviour {', '.join(unknown)}; "
                        f"known: {', '.join(ARCHETYPES)}")
    if any(share < 0 for share in (behaviour_mix or {}).values()):
        raise UserError("--behaviour-mix: shares must be >= 0")
    if customers < 1:
        raise UserError(f"--customers must be at least 1, got {customers}")
    blemishes = Blemishes() if blemishes is None else blemishes
    rng = np.random.default_rng(seed)
    drawn = draw_purchases(rng, customers, end_date, blemishes, progress, behaviour_mix)

    progress("drawing demographics")
    customer_table = draw_customers(rng, customers, drawn.home_store, end_date, blemishes, ids)
    id_count = customers + crm_only_count(customers, blemishes)
    return SampleData(purchases=purchases_table(drawn.columns, id_count, ids), customers=customer_table,
                      order_count=drawn.order_count)


def chunk_sizes(customers: int, chunk_customers: int = CHUNK_CUSTOMERS) -> list[int]:
    """Customers per chunk: full chunks, then the remainder."""
    if chunk_customers < 1:
        raise UserError(f"--chunk-customers must be at least 1, got {chunk_customers}")
    full, rest = divmod(customers, chunk_customers)
    return [chunk_customers] * full + ([rest] if rest else [])


def generate_chunks(
    customers: int,
    seed: int,
    chunk_customers: int = CHUNK_CUSTOMERS,
    end_date: dt.date = DEFAULT_END_DATE,
    blemishes: Blemishes | None = None,
    progress: Progress = quiet,
) -> Iterator[SampleData]:
    """`generate` in chunks of at most chunk_customers, one at a time, so memory stays that of one chunk.

    Up to chunk_customers this is exactly `generate(customers, seed)`. Beyond,
    chunk i draws from SeedSequence(seed, spawn_key=(i,)), so a chunk does not
    depend on the total size; its customer and order numbers continue after
    the previous chunk's (CRM-only records included), and ids have one width
    for the whole run. Order numbers follow time within a chunk only.
    """
    if customers < 1:
        raise UserError(f"--customers must be at least 1, got {customers}")
    blemishes = Blemishes() if blemishes is None else blemishes
    sizes = chunk_sizes(customers, chunk_customers)
    if len(sizes) == 1:
        yield generate(customers, seed, end_date, blemishes, progress)
        return
    all_ids = sum(size + crm_only_count(size, blemishes) for size in sizes)
    most_orders = customers * max(a.orders[1] for a in ARCHETYPES.values())
    ids = IdLayout(customer_width=id_width(all_ids, 5), order_width=id_width(most_orders, 7))
    for index, size in enumerate(sizes):
        progress(f"chunk {index + 1} of {len(sizes)}")
        chunk = generate(size, np.random.SeedSequence(seed, spawn_key=(index,)), end_date, blemishes, progress, ids)
        yield chunk
        ids = replace(ids, customer_offset=ids.customer_offset + size + crm_only_count(size, blemishes),
                      order_offset=ids.order_offset + chunk.order_count)
