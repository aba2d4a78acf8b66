"""The report specification: the one place the Power BI report is declared.

* semantic_model.py: which exported marts the report loads and how, their
  relationships, the measures, the parameters and the security roles;
* pages.py: the pages and their visuals.

The builder (model.py) joins them with the dbt contract.
"""

from rfm_segmentation.powerbi.spec.pages import PAGE_HEIGHT, PAGE_WIDTH, PAGES, TOP_CUSTOMERS
from rfm_segmentation.powerbi.spec.semantic_model import (
    CHAMPIONS,
    HIDDEN_FROM_ROLES,
    MEASURES,
    NOT_IN_REPORT,
    PARAMETERS,
    RELATIONSHIPS,
    REPORT_NAME,
    RLS_REGIONS,
    RLS_STORES,
    ROLES,
    TABLES,
    UNSECURED_DIMENSIONS,
    measure,
)

__all__ = ["CHAMPIONS", "HIDDEN_FROM_ROLES", "MEASURES", "NOT_IN_REPORT", "PAGES", "PAGE_HEIGHT", "PAGE_WIDTH",
           "PARAMETERS", "RELATIONSHIPS", "REPORT_NAME", "RLS_REGIONS", "RLS_STORES", "ROLES", "TABLES",
           "TOP_CUSTOMERS", "UNSECURED_DIMENSIONS", "measure"]
