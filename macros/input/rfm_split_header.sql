{#- The header's column names: fields split on the delimiter, a quoted field
    unquoted ("" inside stands for "), trimmed. -#}
{% macro rfm_split_header(header, delimiter, quote) -%}
    {%- set re = modules.re -%}
    {%- set names = [] -%}
    {%- if quote and quote in header -%}
        {%- set q = re.escape(quote) -%}
        {%- set pattern = '(?:^|' ~ re.escape(delimiter) ~ ')(?:\\s*' ~ q ~ '((?:[^' ~ q ~ ']|' ~ q ~ q ~ ')*)' ~ q ~ '\\s*|([^' ~ re.escape(delimiter) ~ ']*))' -%}
        {%- for match in re.finditer(pattern, header) -%}
            {%- set quoted = match.group(1) -%}
            {%- do names.append((quoted.replace(quote ~ quote, quote) if quoted is not none else match.group(2)).strip()) -%}
        {%- endfor -%}
    {%- else -%}
        {%- for name in header.split(delimiter) -%}
            {%- do names.append(name.strip()) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(names) -}}
{%- endmacro %}
