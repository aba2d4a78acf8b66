-- Every input row is accounted for: input = accepted + rejected + duplicates
-- removed, counted from the input itself and from the output tables. A CSV
-- file is counted in lines (read_sql), malformed ones included.
{%- set input = rfm_input('purchases') %}
{%- set counted = input.read_sql if input.kind == 'file' and input.read_sql else input.relation %}

with input_rows as (

    select count(*) as row_count from {{ counted }}

),

accepted as (

    select count(*) as row_count from {{ ref('fct_purchases') }}

),

rejected as (

    select count(*) as row_count from {{ ref('fct_purchases_rejected') }}

),

duplicates as (

    select coalesce(sum(source_row_count - 1), 0) as row_count
    from {{ ref('int_purchases_screened') }}

),

reported as (

    select sum(row_count) as row_count from {{ ref('rpt_purchases_reconciliation') }}

)

select
    input_rows.row_count as input_rows,
    accepted.row_count as accepted_rows,
    rejected.row_count as rejected_rows,
    duplicates.row_count as duplicate_rows,
    reported.row_count as reported_rows
from input_rows
cross join accepted
cross join rejected
cross join duplicates
cross join reported
where input_rows.row_count != accepted.row_count + rejected.row_count + duplicates.row_count
    or input_rows.row_count != reported.row_count
