{#- Fails on rows whose value is outside [min_value, max_value] (either bound
    optional). Nulls pass: pair it with not_null where they must not. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, where=none) %}

select *
from {{ model }}
where {{ column_name }} is not null
    and (
        1 = 0
        {%- if min_value is not none %}
        or {{ column_name }} < {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or {{ column_name }} > {{ max_value }}
        {%- endif %}
    )
    {%- if where %}
    and ({{ where }})
    {%- endif %}

{% endtest %}
