{#- Per measure, the scored customers who share one value but got different
    scores (NTILE breaks ties by customer_id, so equal customers straddle a
    score boundary). Returns [{measure, letter, customers, values, largest:
    {value, customers, min_score, max_score}}], one per measure, for the
    end-of-build log and the manifest. Run from hooks (no ref()). -#}
{% macro rfm_score_ties() -%}
    {%- set relation = rfm_model_relation('fct_customer_rfm') -%}
    {%- if relation is none -%}{{ return([]) }}{%- endif -%}
    {%- set measures = [('recency', 'R', 'recency_days', 'recency_score'),
                        ('frequency', 'F', 'order_count', 'frequency_score'),
                        ('monetary', 'M', 'monetary_amount', 'monetary_score')] -%}
    {%- set selects = [] -%}
    {%- for name, letter, value, score in measures -%}
        {%- do selects.append("select '" ~ name ~ "' as measure, cast(" ~ value ~ " as " ~ dbt.type_string() ~ ") as measure_value, "
            ~ "count(*) as customers, min(" ~ score ~ ") as min_score, max(" ~ score ~ ") as max_score from " ~ relation
            ~ " where is_scored group by " ~ value ~ " having min(" ~ score ~ ") < max(" ~ score ~ ")") -%}
    {%- endfor -%}
    {%- set found = run_query(selects | join(' union all ') ~ " order by 1, 3 desc, 2") -%}
    {%- set ties = [] -%}
    {%- for name, letter, value, score in measures -%}
        {%- set rows = found.rows | selectattr(0, 'equalto', name) | list -%}
        {%- set entry = {'measure': name, 'letter': letter, 'customers': rows | sum(attribute=2), 'values': rows | length, 'largest': none} -%}
        {%- if rows -%}
            {%- do entry.update({'largest': {'value': rows[0][1], 'customers': rows[0][2], 'min_score': rows[0][3], 'max_score': rows[0][4]}}) -%}
        {%- endif -%}
        {%- do ties.append(entry) -%}
    {%- endfor -%}
    {{- return(ties) -}}
{%- endmacro %}
