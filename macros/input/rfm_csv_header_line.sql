{#- The first line of a file as text (a UTF-8 byte-order mark removed), or
    none when the file is empty. DuckDB decodes a whole block at once, so a
    bad byte further down would fail a UTF-8 read of the first line: the line
    is read as Latin-1 (any byte decodes), and read again as UTF-8 only when
    it has other than ASCII characters (a name with an accent). -#}
{% macro rfm_csv_header_line(file, encoding) -%}
    {%- if encoding -%}
        {{- return(rfm_csv_first_line(file, encoding, false)) -}}
    {%- endif -%}
    {%- set raw = rfm_csv_first_line(file, 'latin-1', false) -%}
    {%- if raw is none -%}{{ return(none) }}{%- endif -%}
    {%- set raw = raw[3:] if raw.startswith('\u00ef\u00bb\u00bf') else raw -%}
    {%- if modules.re.fullmatch('[\x00-\x7f]*', raw) -%}{{ return(raw) }}{%- endif -%}
    {%- set decoded = rfm_csv_first_line(file, 'utf-8', true) -%}
    {%- if decoded is not none and decoded.encode('utf-8').decode('latin-1') == raw -%}
        {{- return(decoded) -}}
    {%- endif -%}
    {{- return(raw) -}}
{%- endmacro %}
