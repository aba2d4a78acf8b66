"""The report page: one HTML file with inline CSS, inline SVG charts and the
figures as a JSON block. No script runs and nothing is fetched: it opens
offline in any browser and can be mailed as it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2

from rfm_segmentation.report import charts
from rfm_segmentation.report.data import CHAMPIONS, MAX_CATEGORIES, TOP_CUSTOMERS, ReportData

DATA_BLOCK_ID = "rfm-report-data"


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    svg: str
    note: str = ""


def render_page(data: ReportData) -> str:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(count=_count, money=_money, share=_share, number=_number)
    template = environment.from_string(_TEMPLATE)
    return template.render(
        data=data, charts=_charts(data), champions=CHAMPIONS, top_customers_limit=TOP_CUSTOMERS,
        max_categories=MAX_CATEGORIES, data_block_id=DATA_BLOCK_ID,
        # "</" would end the script element early; "<\/" is the same JSON.
        data_json=data.to_json().replace("</", "<\\/"),
    )


def _charts(data: ReportData) -> dict[str, Chart]:
    segments = data.segments
    specs: list[tuple[str, str, dict[str, Any] | None, str]] = [
        ("segment_customers", f"Customers per segment ({CHAMPIONS} highlighted)",
         charts.segment_customers(segments), ""),
        ("segment_treemap", "Customers by segment", charts.segment_treemap(segments),
         "Area is proportional to customers; empty segments are left out."),
        ("rfm_distributions", "Recency, frequency and monetary values per segment",
         charts.distributions(data.distributions, segments),
         "Boxes span the first to third quartile (as Power BI's PERCENTILE.INC), the black tick is the median, "
         "whiskers reach the furthest value within 1.5 × the interquartile range."),
        ("average_scores", "Average R, F and M scores per segment", charts.average_scores(segments), ""),
        ("rfm_score_histogram", "Customers by RFM score (scored customers)",
         charts.rfm_score_histogram(data.rfm_score_histogram), ""),
        ("champions_correlation", f"Correlation of R, F and M values within {CHAMPIONS}",
         charts.correlation_heatmap(data.champions_correlation) if data.champions_correlation else None,
         "Pearson correlation between customers' values; n/a where a value does not vary."),
        ("monthly_revenue", "Monthly net revenue by current segment",
         charts.monthly_revenue(data.monthly_by_segment, segments), ""),
        ("monthly_active_customers", "Monthly active customers by current segment",
         charts.monthly_active_customers(data.monthly_by_segment, segments),
         "Customers with at least one purchase (not a return) in the month."),
        ("revenue_change", "Revenue change on the month before", charts.revenue_change(data.monthly_totals), ""),
    ]
    if data.demographics is not None:
        for key, title in (("age_band", "Age band"), ("gender", "Gender"), ("region", "Region"),
                           ("home_store", "Home store")):
            specs.append((f"demographics_{key}", f"Segments by {title.lower()}",
                          charts.segments_by_category(data.demographics[key], segments, title), ""))
    if data.segment_history:
        specs.append(("segment_history", "Segment mix at each period end",
                      charts.segment_history(data.segment_history, segments), ""))
    latest = _latest_transition(data)
    if latest:
        specs.append(("segment_transitions", "Customers moving between segments",
                      charts.segment_transitions(latest["rows"], segments),
                      f"From the segments at {latest['from']} (rows) to those at {latest['to']} (columns)."))
    return {name: Chart(name, title, charts.render(spec, f"rfm-{name}"), note)
            for name, title, spec, note in specs if spec is not None}


def _latest_transition(data: ReportData) -> dict[str, Any] | None:
    """The transitions between the last two period ends of the history."""
    if not data.segment_transitions:
        return None
    last = max(row["to_period_end"] for row in data.segment_transitions)
    rows = [row for row in data.segment_transitions if row["to_period_end"] == last]
    return {"from": min(row["from_period_end"] for row in rows), "to": last, "rows": rows}


def _count(value: Any) -> str:
    return "–" if value is None else f"{int(value):,}"


def _money(value: Any) -> str:
    return "–" if value is None else f"{float(value):,.2f}"


def _number(value: Any, places: int = 2) -> str:
    return "–" if value is None else f"{float(value):,.{places}f}"


def _share(value: Any) -> str:
    return "–" if value is None else f"{float(value):.1%}"


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rfm_segmentation rfm report">
<title>RFM segmentation report – {{ data.build.reference_date }}</title>
<style>
  body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #1d1d1d; background: #f4f5f7; }
  header { background: #1B3A4B; color: white; padding: 18px 32px; }
  header h1 { margin: 0 0 4px; font-size: 24px; }
  header p { margin: 0; opacity: .85; font-size: 13px; }
  nav { background: white; border-bottom: 1px solid #ddd; padding: 8px 32px; font-size: 13px;
        position: sticky; top: 0; }
  nav a { margin-right: 14px; color: #1B3A4B; text-decoration: none; }
  main { padding: 8px 32px 32px; max-width: 1240px; }
  section { background: white; border-radius: 6px; padding: 16px 20px; margin: 16px 0;
            box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  section h2 { margin: 0 0 12px; font-size: 18px; }
  .grid { display: flex; flex-wrap: wrap; gap: 24px; }
  figure.chart { margin: 0 0 16px; overflow-x: auto; }
  figure.chart h3, .table-block h3 { font-size: 14px; margin: 4px 0 8px; }
  figure.chart figcaption, .note { font-size: 12px; color: #555; max-width: 900px; margin-top: 4px; }
  .kpis { display: flex; flex-wrap: wrap; gap: 12px; }
  .kpi { border: 1px solid #e2e2e2; border-radius: 6px; padding: 10px 16px; min-width: 150px; }
  .kpi-value { display: block; font-size: 24px; font-weight: 600; }
  .kpi-label { font-size: 12px; color: #555; }
  .empty-note { background: #FFF8E1; border-left: 4px solid #FFC107; padding: 10px 14px; font-size: 14px; }
  table { border-collapse: collapse; font-size: 13px; }
  th, td { border-bottom: 1px solid #e6e6e6; padding: 5px 10px; text-align: left; vertical-align: top; }
  th { background: #fafafa; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px;
            vertical-align: -1px; }
  tr.champions td { font-weight: 600; }
</style>
</head>
<body>
{% macro chart(name) %}
{% set c = charts[name] %}
<figure class="chart" id="chart-{{ c.name }}" data-chart="{{ c.name }}">
<h3>{{ c.title }}</h3>
{{ c.svg | safe }}
{% if c.note %}<figcaption>{{ c.note }}</figcaption>{% endif %}
</figure>
{% endmacro %}
{% macro empty(section) %}
<p class="empty-note" data-empty-section="{{ section }}">{{ data.missing[section] }}</p>
{% endmacro %}
<header>
<h1>RFM segmentation</h1>
<p>Reference date {{ data.build.reference_date }}
{%- if data.build.built_at %} · built {{ data.build.built_at }}{% endif %}
{%- if data.build.rfm_score_bins %} · scores 1–{{ data.build.rfm_score_bins }}
 ({{ data.build.rfm_scoring_method }}){% endif %}
 · purchases {{ data.overview.first_purchase_date }} to {{ data.overview.last_purchase_date }}</p>
</header>
<nav>
<a href="#overview">Overview</a><a href="#segments">Segments</a><a href="#rfm-values">RFM values</a>
<a href="#top-customers">Top customers</a><a href="#demographics">Demographics</a><a href="#trends">Trends</a>
<a href="#movement">Movement</a><a href="#catalogue">Catalogue</a>
</nav>
<main>
<section id="overview">
<h2>Overview</h2>
<div class="kpis">
{% for key, label, value in [
    ("total_customers", "Total customers", data.overview.total_customers | count),
    ("average_purchases", "Average purchases", data.overview.average_purchases | number),
    ("average_order_value", "Average order value", data.overview.average_order_value | money),
    ("total_revenue", "Total revenue", data.overview.total_revenue | money),
    ("champions_share", champions ~ " share", data.overview.champions_share | share),
    ("purchase_lines", "Purchase lines", data.overview.purchase_lines | count),
    ("reference_date", "Reference date", data.overview.reference_date),
] %}
<div class="kpi" data-kpi="{{ key }}"><span class="kpi-value">{{ value }}</span>
<span class="kpi-label">{{ label }}</span></div>
{% endfor %}
</div>
<div class="grid">
{{ chart("rfm_score_histogram") }}
{{ chart("segment_treemap") }}
</div>
</section>

<section id="segments">
<h2>Segments</h2>
<div class="grid">
{{ chart("segment_customers") }}
{{ chart("average_scores") }}
</div>
</section>

<section id="rfm-values">
<h2>RFM values</h2>
{{ chart("rfm_distributions") }}
{% if "champions_correlation" in charts %}
{{ chart("champions_correlation") }}
{% else %}
<h3>Correlation of R, F and M values within {{ champions }}</h3>
{{ empty("correlation") }}
{% endif %}
</section>

<section id="top-customers" class="table-block">
<h2>Top {{ top_customers_limit }} customers by spending</h2>
<table data-table="top_customers">
<thead><tr><th>Customer</th><th>Segment</th><th class="num">RFM score</th><th>R F M</th><th class="num">Orders</th>
<th class="num">Recency (days)</th><th class="num">Spending</th></tr></thead>
<tbody>
{% for row in data.top_customers %}
<tr><td>{{ row.customer_id }}</td><td>{{ row.segment }}</td>
<td class="num">{{ row.rfm_score if row.rfm_score is not none else "–" }}</td>
<td>{{ row.rfm_cell if row.rfm_cell is not none else "–" }}</td><td class="num">{{ row.order_count | count }}</td>
<td class="num">{{ row.recency_days | count }}</td><td class="num">{{ row.monetary_amount | money }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>

<section id="demographics">
<h2>Demographics by segment</h2>
{% if data.demographics is none %}
{{ empty("demographics") }}
{% else %}
<div class="grid">
{{ chart("demographics_age_band") }}
{{ chart("demographics_gender") }}
{{ chart("demographics_region") }}
{{ chart("demographics_home_store") }}
</div>
<p class="note">Regions and home stores past the {{ max_categories }} largest are summed into "Other".</p>
{% endif %}
</section>

<section id="trends">
<h2>Trends</h2>
{{ chart("monthly_revenue") }}
{{ chart("monthly_active_customers") }}
{{ chart("revenue_change") }}
<p class="note">Customers are grouped by their segment at the reference date.</p>
</section>

<section id="movement">
<h2>Movement between segments</h2>
{% if "movement" in data.missing %}
{{ empty("movement") }}
{% endif %}
{% if "segment_history" in charts %}{{ chart("segment_history") }}{% endif %}
{% if "segment_transitions" in charts %}{{ chart("segment_transitions") }}{% endif %}
</section>

<section id="catalogue" class="table-block">
<h2>Segment catalogue and recommended actions</h2>
<table data-table="catalogue">
<thead><tr><th>Segment</th><th>Who they are</th><th>Recommended action</th><th class="num">Customers</th>
<th class="num">Customer share</th><th class="num">Revenue</th><th class="num">Revenue share</th></tr></thead>
<tbody>
{% for s in data.segments %}
<tr{% if s.segment == champions %} class="champions"{% endif %} data-segment="{{ s.segment }}">
<td><span class="swatch" style="background: {{ s.color_hex }}"></span>{{ s.segment }}</td>
<td>{{ s.description }}</td><td>{{ s.recommended_action }}</td>
<td class="num">{{ s.customer_count | count }}</td><td class="num">{{ s.customer_share | share }}</td>
<td class="num">{{ s.revenue | money }}</td><td class="num">{{ s.revenue_share | share }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
</main>
<script type="application/json" id="{{ data_block_id }}">{{ data_json | safe }}</script>
</body>
</html>
"""
