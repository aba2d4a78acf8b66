{#- Fails on each key found on one side only: the column holds exactly the
    keys of `to`.`field`, no more and no fewer (a relationships test checks
    one direction; this checks both in one pass). For the tables with one
    row per customer of fct_customer_rfm beside it: dim_customers and
    fct_customer_clv. -#}
{% test same_keys_as(model, column_name, to, field) %}

with here as (

    select {{ column_name }} as key_value from {{ model }}

),

there as (

    select {{ field }} as key_value from {{ to }}

),

final as (

    select
        coalesce(here.key_value, there.key_value) as key_value,
        case when here.key_value is null then 'missing here' else 'not in {{ to.identifier }}' end as problem
    from here
    full outer join there
        on here.key_value = there.key_value
    where here.key_value is null or there.key_value is null

)

select * from final

{% endtest %}
