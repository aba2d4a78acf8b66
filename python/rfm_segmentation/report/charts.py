"""The report's charts: Vega-Lite (through Altair) and Vega specs over the
aggregated figures, rendered to static SVG by vl-convert, offline.

Each function takes figures from data.ReportData and returns a spec; render()
turns a spec into an SVG string. No JavaScript reaches the page.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from rfm_segmentation.report.data import CHAMPIONS, RFM_VALUES

# Power BI's "Champions Highlight Colour" grey, for every other segment.
MUTED_GREY = "#C8C8C8"
SCORE_COLOURS = {"R": "#1F77B4", "F": "#FF7F0E", "M": "#2CA02C"}
FONT = "Segoe UI, Helvetica, Arial, sans-serif"
WIDE, HALF = 1100, 520
# Vega-Lite library the specs are written for (Altair's schema), as vl-convert names it.
VEGA_LITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])

_CONFIG: dict[str, Any] = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#E6E6E6", "domainColor": "#888"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
}


def render(spec: dict[str, Any], id_prefix: str) -> str:
    """A Vega-Lite or Vega spec as an SVG string. No data is fetched: every
    spec carries its (aggregated) values inline."""
    if "vega/v" in spec.get("$schema", ""):
        svg = vl_convert.vega_to_svg(spec, allowed_base_urls=[])
    else:
        svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION, config=_CONFIG, allowed_base_urls=[])
    return scope_ids(svg.strip(), id_prefix)


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def scope_ids(svg: str, prefix: str) -> str:
    """Rename the SVG's ids (gradients, clip paths) to `prefix-1`, `prefix-2`, ...

    vl-convert numbers them with a counter that runs across renders, so the
    same chart would get other ids after other charts, and two charts of one
    page could share an id. Renamed in order of appearance, the ids are unique
    in the page and the same for the same chart."""
    names = {old: f"{prefix}-{index}" for index, old in enumerate(dict.fromkeys(_SVG_ID.findall(svg)), start=1)}
    if not names:
        return svg
    pattern = re.compile(r'(id="|url\(#|href="#)(' + "|".join(re.escape(old) for old in names) + r')(?=[")])')
    return pattern.sub(lambda match: match.group(1) + names[match.group(2)], svg)


def _segment_scale(segments: list[dict[str, Any]]) -> alt.Scale:
    """Catalogue order and catalogue colours: one source for every chart."""
    return alt.Scale(domain=[s["segment"] for s in segments], range=[s["color_hex"] for s in segments])


def _segment_order(segments: list[dict[str, Any]]) -> list[str]:
    return [s["segment"] for s in segments]


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.to_dict(validate=True)


def segment_customers(segments: list[dict[str, Any]]) -> dict[str, Any]:
    """Customers per segment, Champions in their colour and the rest grey."""
    frame = pd.DataFrame([{"segment": s["segment"], "customers": s["customer_count"],
                           "bar_colour": s["color_hex"] if s["segment"] == CHAMPIONS else MUTED_GREY}
                          for s in segments])
    bars = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("segment:N", sort=_segment_order(segments), title=None),
        x=alt.X("customers:Q", title="Customers"),
        color=alt.Color("bar_colour:N", scale=None),
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(
        text=alt.Text("customers:Q", format=","), color=alt.value("#333"))
    return _spec((bars + labels).properties(width=HALF - 180, height=320))


def segment_treemap(segments: list[dict[str, Any]]) -> dict[str, Any]:
    """A treemap of customers per segment (Vega: Vega-Lite has no treemap)."""
    values: list[dict[str, Any]] = [{"id": "all", "parent": None, "size": 0}]
    values += [{"id": s["segment"], "parent": "all", "size": s["customer_count"], "colour": s["color_hex"],
                "text_colour": _text_colour(s["color_hex"]), "label": f"{s['customer_count']:,}"}
               for s in segments if s["customer_count"] > 0]
    # limit: text wider than its cell ends in an ellipsis instead of running over the next one
    leaf_text = {"x": {"signal": "datum.x0 + 6"}, "fill": {"field": "text_colour"}, "font": {"value": FONT},
                 "fontSize": {"value": 12}, "limit": {"signal": "datum.x1 - datum.x0 - 10"}}
    fits = "datum.x1 - datum.x0 > 70 && datum.y1 - datum.y0 > 36"
    return {
        "$schema": "https://vega.github.io/schema/vega/v6.json",
        "width": HALF, "height": 320, "padding": 4, "autosize": "none", "background": "white",
        "data": [
            {"name": "tree", "values": values, "transform": [
                {"type": "stratify", "key": "id", "parentKey": "parent"},
                {"type": "treemap", "field": "size", "sort": {"field": "value", "order": "descending"},
                 "round": True, "method": "squarify", "size": [{"signal": "width"}, {"signal": "height"}]},
            ]},
            {"name": "leaves", "source": "tree", "transform": [{"type": "filter", "expr": "!datum.children"}]},
        ],
        "marks": [
            {"type": "rect", "from": {"data": "leaves"}, "encode": {"enter": {
                "x": {"field": "x0"}, "y": {"field": "y0"}, "x2": {"field": "x1"}, "y2": {"field": "y1"},
                "fill": {"field": "colour"}, "stroke": {"value": "white"}, "strokeWidth": {"value": 2},
                "tooltip": {"signal": "datum.id + ': ' + datum.label + ' customers'"}}}},
            {"type": "text", "from": {"data": "leaves"}, "encode": {"enter": {
                **leaf_text, "y": {"signal": "datum.y0 + 18"}, "fontWeight": {"value": "bold"},
                "text": {"signal": f"{fits} ? datum.id : ''"}}}},
            {"type": "text", "from": {"data": "leaves"}, "encode": {"enter": {
                **leaf_text, "y": {"signal": "datum.y0 + 34"},
                "text": {"signal": f"{fits} ? datum.label : ''"}}}},
        ],
    }


def _text_colour(background_hex: str) -> str:
    """Black or white, whichever reads better on the background (WCAG luminance)."""
    channels = [int(background_hex.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#111111" if luminance > 0.35 else "#FFFFFF"


def rfm_score_histogram(histogram: list[dict[str, Any]]) -> dict[str, Any]:
    frame = pd.DataFrame(histogram, columns=["rfm_score", "customers"])
    bars = alt.Chart(frame).mark_bar(color="#4C78A8").encode(
        x=alt.X("rfm_score:O", title="RFM score (R + F + M)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("customers:Q", title="Customers"),
    )
    labels = bars.mark_text(baseline="bottom", dy=-2, fontSize=10, color="#333").encode(
        text=alt.Text("customers:Q", format=","))
    return _spec((bars + labels).properties(width=HALF, height=300))


def distributions(rows: list[dict[str, Any]], segments: list[dict[str, Any]]) -> dict[str, Any]:
    """One box plot per RFM value, a box per segment, from precomputed quartiles."""
    frame = pd.DataFrame(rows)
    scale = _segment_scale(segments)
    order = [name for name in _segment_order(segments) if name in set(frame.get("segment", []))]
    panels = []
    for name, title in RFM_VALUES:
        values = frame[frame["measure"] == name] if not frame.empty else frame
        base = alt.Chart(values).encode(y=alt.Y("segment:N", sort=order, title=None))
        whisker = base.mark_rule(color="#555").encode(x=alt.X("lower_whisker:Q", title=title), x2="upper_whisker:Q")
        box = base.mark_bar(size=14).encode(
            x="q1:Q", x2="q3:Q", color=alt.Color("segment:N", scale=scale, legend=None))
        median = base.mark_tick(color="black", size=14, thickness=2).encode(x="median:Q")
        panels.append(alt.layer(whisker, box, median).properties(width=250, height=320))
    return _spec(alt.hconcat(*panels, spacing=24))


def correlation_heatmap(rows: list[dict[str, Any]]) -> dict[str, Any]:
    labels = dict(RFM_VALUES)
    frame = pd.DataFrame([{"x": labels[r["measure_x"]], "y": labels[r["measure_y"]],
                           "correlation": r["correlation"],
                           "label": "n/a" if r["correlation"] is None else f"{r['correlation']:.2f}"}
                          for r in rows])
    order = [label for _, label in RFM_VALUES]
    base = alt.Chart(frame).encode(x=alt.X("y:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
                                   y=alt.Y("x:N", sort=order, title=None))
    cells = base.mark_rect().encode(color=alt.Color(
        "correlation:Q", scale=alt.Scale(scheme="redblue", domain=[-1, 1]), title="Correlation"))
    text = base.mark_text(fontSize=14).encode(
        text="label:N",
        color=alt.condition("abs(datum.correlation) > 0.6", alt.value("white"), alt.value("#111")))
    return _spec((cells + text).properties(width=360, height=240))


def average_scores(segments: list[dict[str, Any]]) -> dict[str, Any]:
    """Average R, F and M scores per segment, side by side."""
    rows = [{"segment": s["segment"], "score": letter, "average": s[column]}
            for s in segments
            for letter, column in (("R", "average_recency_score"), ("F", "average_frequency_score"),
                                   ("M", "average_monetary_score"))
            if s[column] is not None]
    frame = pd.DataFrame(rows, columns=["segment", "score", "average"])
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("segment:N", sort=_segment_order(segments), title=None),
        yOffset=alt.YOffset("score:N", sort=list(SCORE_COLOURS)),
        x=alt.X("average:Q", title="Average score"),
        color=alt.Color("score:N", title="Score", sort=list(SCORE_COLOURS),
                        scale=alt.Scale(domain=list(SCORE_COLOURS), range=list(SCORE_COLOURS.values()))),
    )
    return _spec(chart.properties(width=HALF - 180, height=420))


def segments_by_category(rows: list[dict[str, Any]], segments: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """100% stacked bars: the segment mix of each category (age band, region, ...)."""
    frame = pd.DataFrame(rows, columns=["category", "segment", "customers", "category_sort"])
    categories = list(dict.fromkeys(frame.sort_values("category_sort", kind="stable")["category"]))
    rank = {name: index for index, name in enumerate(_segment_order(segments))}
    frame["segment_rank"] = frame["segment"].map(rank)
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("category:N", sort=categories, title=title),
        x=alt.X("customers:Q", stack="normalize", title="Share of customers", axis=alt.Axis(format="%")),
        color=alt.Color("segment:N", scale=_segment_scale(segments), title="Segment"),
        order=alt.Order("segment_rank:Q"),
    )
    return _spec(chart.properties(width=HALF - 220, height=max(120, 22 * len(categories))))


def monthly_revenue(rows: list[dict[str, Any]], segments: list[dict[str, Any]]) -> dict[str, Any]:
    frame = _monthly_frame(rows, segments)
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("month:T", timeUnit="utcyearmonth", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-45)),
        y=alt.Y("revenue:Q", title="Net revenue"),
        color=alt.Color("segment:N", scale=_segment_scale(segments), title="Segment"),
        order=alt.Order("segment_rank:Q"),
    )
    return _spec(chart.properties(width=WIDE - 200, height=260))


def monthly_active_customers(rows: list[dict[str, Any]], segments: list[dict[str, Any]]) -> dict[str, Any]:
    frame = _monthly_frame(rows, segments)
    chart = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=16)).encode(
        x=alt.X("month:T", timeUnit="utcyearmonth", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-45)),
        y=alt.Y("active_customers:Q", title="Active customers"),
        color=alt.Color("segment:N", scale=_segment_scale(segments), title="Segment"),
    )
    return _spec(chart.properties(width=WIDE - 200, height=260))


def _monthly_frame(rows: list[dict[str, Any]], segments: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["month", "segment", "revenue", "active_customers"])
    rank = {name: index for index, name in enumerate(_segment_order(segments))}
    frame["segment_rank"] = frame["segment"].map(rank)
    return frame


def revenue_change(totals: list[dict[str, Any]]) -> dict[str, Any]:
    frame = pd.DataFrame([t for t in totals if t["revenue_change"] is not None],
                         columns=["month", "revenue", "revenue_change"])
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("month:T", timeUnit="utcyearmonth", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-45)),
        y=alt.Y("revenue_change:Q", title="Change on the month before", axis=alt.Axis(format="%")),
        color=alt.condition("datum.revenue_change >= 0", alt.value("#2E7D32"), alt.value("#C62828")),
    )
    return _spec(chart.properties(width=WIDE - 200, height=200))


def segment_history(rows: list[dict[str, Any]], segments: list[dict[str, Any]]) -> dict[str, Any]:
    """The segment mix at each period end (stacked shares)."""
    frame = pd.DataFrame(rows, columns=["period_end", "segment", "customers", "revenue", "share"])
    order = _segment_order(segments)
    known = order + sorted(set(frame["segment"]) - set(order))
    rank = {name: index for index, name in enumerate(known)}
    frame["segment_rank"] = frame["segment"].map(rank)
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("period_end:O", title="Period end", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("share:Q", stack="zero", title="Share of customers", axis=alt.Axis(format="%")),
        color=alt.Color("segment:N", scale=_segment_scale(segments), title="Segment"),
        order=alt.Order("segment_rank:Q"),
    )
    return _spec(chart.properties(width=WIDE - 300, height=280))


def segment_transitions(rows: list[dict[str, Any]], segments: list[dict[str, Any]]) -> dict[str, Any]:
    """Customers moving from one segment (rows) to another (columns) between two period ends."""
    frame = pd.DataFrame(rows, columns=["from_segment", "to_segment", "customers"])
    order = _segment_order(segments)
    order += sorted((set(frame["from_segment"]) | set(frame["to_segment"])) - set(order))
    base = alt.Chart(frame).encode(
        x=alt.X("to_segment:N", sort=order, title="To segment", axis=alt.Axis(labelAngle=-40, orient="top")),
        y=alt.Y("from_segment:N", sort=order, title="From segment"),
    )
    cells = base.mark_rect().encode(color=alt.Color("customers:Q", scale=alt.Scale(scheme="blues"),
                                                    title="Customers"))
    text = base.mark_text(fontSize=10).encode(text=alt.Text("customers:Q", format=","), color=alt.value("#111"))
    return _spec((cells + text).properties(width=36 * len(order), height=26 * len(order)))
