"""The Power BI report, generated from the dbt contract.

`spec` declares the report (tables used, relationships, measures, roles,
pages and visuals); `contract` reads the columns and types of the exported
marts from dbt; `model` joins the two into one semantic model that every
writer (TMDL, TMSL, PBIR, the .pbit's Layout) renders. `build` writes them.
"""
