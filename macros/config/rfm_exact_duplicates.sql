{% macro rfm_exact_duplicates() -%}
    {#- The validated var exact_duplicates: drop (identical input lines count
        once) or keep (each is a purchase; data without an order id may hold
        purchases that really were repeated). -#}
    {{- return(rfm_choice('exact_duplicates', ['drop', 'keep'], 'drop')) -}}
{%- endmacro %}
