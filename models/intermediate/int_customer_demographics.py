"""Demographics cleaned, one row per customer with RFM values.

int_customer_demographic_records (SQL) has done the relational work: the
join of every customer onto their CRM record(s), the duplicate ids, trimmed
text with blanks as null. What needs Python is done by plain, tested
functions in rfm_segmentation.demographics, once per distinct value: dates in
the customers_date_format (strftime), ages and age bands from them, gender
and place names folded without accents, the most used spelling per place.
The table is read as Arrow (no row objects). Python models run on DuckDB
(in-process), Databricks, Snowflake and BigQuery; on other targets this model
and dim_customers are disabled (see dbt_project.yml).
"""

from rfm_segmentation.demographics import clean_customer_records, relation_as_arrow


def model(dbt, session):
    dbt.config(materialized="table")
    records = relation_as_arrow(dbt.ref("int_customer_demographic_records"))
    (reference_date,), = dbt.ref("int_rfm_reference_date").project("reference_date").fetchall()
    aliases = dbt.ref("region_aliases").project("alias, region").fetchall()
    return clean_customer_records(
        records,
        reference_date,
        date_format=dbt.config.get("date_format"),
        region_aliases=dict(aliases),
    )
