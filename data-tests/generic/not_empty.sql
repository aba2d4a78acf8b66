{#- Fails when the model has no rows: an empty mart means every input row was
    rejected, and publishing it would blank the report. -#}
{% test not_empty(model) %}

select 'the table is empty' as problem
from (select count(*) as row_count from {{ model }}) as counted
where row_count = 0

{% endtest %}
