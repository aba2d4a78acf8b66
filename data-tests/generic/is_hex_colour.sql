{#- Fails on values that are not a '#RRGGBB' colour. -#}
{% test is_hex_colour(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} is not null
    and not {{ rfm_regexp_full_match(column_name, '^#[0-9A-Fa-f]{6}$') }}

{% endtest %}
