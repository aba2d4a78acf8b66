"""`rfm generate`: realistic, seeded sample data: purchase lines and CRM demographics.

Customers follow behaviour archetypes (one-off buyers, new, loyal, big spenders,
promising, lapsing, churned, lost big spenders), so every RFM segment appears.
Purchases follow a yearly season (a November-December peak) and a weekly
pattern, across stores and product categories, with a few returns. Both files
carry the blemishes of real CRM and till exports at small seeded rates.

Everything is drawn with numpy from one seeded generator, so a seed always
gives the same files; DuckDB turns the numeric arrays into text and writes the
files, which keeps 10 million lines well under a minute.

Beyond CHUNK_CUSTOMERS customers (about 10 million lines, a few GB in memory),
`generate_chunks` draws the customers in chunks, each from its own seed spawned
from the run's seed, with ids continuing where the previous chunk's ended, so
100 million lines need no more memory than 10 million. Up to CHUNK_CUSTOMERS,
the output is exactly that of `generate`.

One module per job: settings.py (stores, behaviours, blemish rates),
purchases.py (orders and lines), customers.py (CRM records), sample.py
(drawing whole or in chunks) and writing.py (the files).
"""

from rfm_segmentation.generator.sample import CHUNK_CUSTOMERS, chunk_sizes, generate, generate_chunks
from rfm_segmentation.generator.settings import (
    ARCHETYPES,
    CATEGORIES,
    DEFAULT_END_DATE,
    STORES,
    Blemishes,
    IdLayout,
    SampleData,
)
from rfm_segmentation.generator.writing import (
    CUSTOMERS_FILE,
    FORMATS,
    PURCHASES_FILE,
    FileFormat,
    part_name,
    write,
    write_chunks,
)

__all__ = ["ARCHETYPES", "CATEGORIES", "CHUNK_CUSTOMERS", "CUSTOMERS_FILE", "DEFAULT_END_DATE", "FORMATS",
           "PURCHASES_FILE",
           "STORES", "Blemishes", "FileFormat", "IdLayout", "SampleData", "chunk_sizes", "generate",
           "generate_chunks", "part_name", "write", "write_chunks"]
