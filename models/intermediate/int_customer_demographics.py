"""Demographics cleaned and joined onto every customer with RFM values.

The work is done by plain, tested functions in rfm_segmentation.demographics;
this model only fetches the few columns it needs (as Arrow: no row objects)
and passes them on. stg_customers has already trimmed the text and turned
blanks into nulls in SQL. Python models run on DuckDB (in-process),
Databricks, Snowflake and BigQuery; on other targets this model and
dim_customers are disabled (see dbt_project.yml).
"""

from rfm_segmentation.demographics import build_customer_dimension


def model(dbt, session):
    dbt.config(materialized="table")
    crm = dbt.ref("stg_customers").to_arrow_table()
    customers = dbt.ref("int_customer_rfm_values").project("customer_id").to_arrow_table()["customer_id"]
    (reference_date,), = dbt.ref("int_rfm_reference_date").project("reference_date").fetchall()
    aliases = dbt.ref("region_aliases").project("alias, region").fetchall()
    return build_customer_dimension(
        crm,
        customers,
        reference_date,
        date_format=dbt.config.get("date_format"),
        region_aliases=dict(aliases),
    )
