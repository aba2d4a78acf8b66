{#- The malformed lines of one file from DuckDB's rejects table: one row per
    physical line (a record an unclosed quote stretched over several lines is
    split back into them; blank lines are not lines, as in the read), the
    reason invalid_encoding when any error on the line is a bad byte, else
    malformed_csv_line (too many or too few fields, a stray or unclosed
    quote). -#}
{% macro rfm_malformed_lines_of_file(file, rejects_table) -%}
    select
        md5('malformed_line|' || source_file || '|' || line_number) as malformed_line_key,
        source_file,
        line_number,
        case when bool_or(error_type = 'INVALID ENCODING') then 'invalid_encoding' else 'malformed_csv_line' end as reject_reason,
        string_agg(distinct error_type, '; ' order by error_type) as error_type,
        min(line_text) as line_text
    from (
        select
            {{ rfm_sql_path(file) }} as source_file,
            cast(errors.line + piece.index - 1 as bigint) as line_number,
            -- The lines after the first were read as part of its unclosed quote.
            case when piece.index = 1 then errors.error_type
                 else 'INSIDE UNCLOSED QUOTE FROM LINE ' || errors.line end as error_type,
            piece.text as line_text
        from temp.{{ rejects_table }} as errors,
            -- CRLF files report the record with the line break before it.
            lateral (
                select unnest(pieces) as text, generate_subscripts(pieces, 1) as index
                from (select string_split(replace(ltrim(errors.csv_line, chr(13) || chr(10)), chr(13), ''), chr(10)) as pieces)
            ) as piece
        where trim(piece.text) <> ''
    )
    group by source_file, line_number
{%- endmacro %}
