"""The report theme: segment colours from the catalogue, quiet greys around them."""

from __future__ import annotations

from typing import Any

from rfm_segmentation.powerbi.catalogue import Segment

THEME_FILE = "RFM_Segmentation_Theme.json"
# The base theme every Desktop report carries under SharedResources/BaseThemes,
# named like the one Desktop releases of late 2024 write. Its content is ours:
# a small theme with Desktop's default colours and fonts, not Microsoft's file
# (Desktop ships its own copy of each named base theme); the custom theme above
# overrides it wherever both set something.
BASE_THEME = "CY24SU10"
BASE_THEME_FILE = f"BaseThemes/{BASE_THEME}.json"
_DESKTOP_DATA_COLOURS = ("#118DFF", "#12239E", "#E66C37", "#6B007B", "#E044A7", "#744EC2", "#D9B300", "#D64550",
                         "#197278", "#1AAB40")
_TEXT, _MUTED, _CANVAS, _CARD_BORDER = "#252423", "#605E5C", "#F3F4F6", "#E1E4E8"


def base_theme() -> dict[str, Any]:
    """The base theme: Desktop's default palette, text colours and fonts."""
    return {
        "name": BASE_THEME,
        "dataColors": list(_DESKTOP_DATA_COLOURS),
        "foreground": _TEXT,
        "foregroundNeutralSecondary": _MUTED,
        "background": "#FFFFFF",
        "backgroundLight": "#F3F2F1",
        "tableAccent": _DESKTOP_DATA_COLOURS[0],
        "good": "#1AAB40",
        "neutral": "#D9B300",
        "bad": "#D64554",
        "textClasses": {
            "title": {"fontFace": "Segoe UI Semibold", "fontSize": 12, "color": _TEXT},
            "header": {"fontFace": "Segoe UI Semibold", "fontSize": 12, "color": _TEXT},
            "label": {"fontFace": "Segoe UI", "fontSize": 10, "color": _TEXT},
            "callout": {"fontFace": "DIN", "fontSize": 45, "color": _TEXT},
        },
    }


def theme(segments: tuple[Segment, ...]) -> dict[str, Any]:
    """dataColors follow the catalogue's sort order, so series coloured by default match it too."""
    colours = [segment.colour for segment in segments]
    return {
        "name": "RFM Segmentation",
        "dataColors": colours,
        "foreground": _TEXT,
        "foregroundNeutralSecondary": _MUTED,
        "background": "#FFFFFF",
        "backgroundLight": _CANVAS,
        "tableAccent": colours[0],
        "good": "#1B7F3B",
        "neutral": "#FFC107",
        "bad": "#C62828",
        "textClasses": {
            "title": {"fontFace": "Segoe UI Semibold", "fontSize": 12, "color": _TEXT},
            "header": {"fontFace": "Segoe UI Semibold", "fontSize": 12, "color": _TEXT},
            "label": {"fontFace": "Segoe UI", "fontSize": 10, "color": _MUTED},
            "callout": {"fontFace": "Segoe UI Semibold", "fontSize": 26, "color": _TEXT},
        },
        "visualStyles": {
            "*": {"*": {
                "background": [{"show": True, "color": {"solid": {"color": "#FFFFFF"}}, "transparency": 0}],
                "border": [{"show": True, "color": {"solid": {"color": _CARD_BORDER}}, "radius": 6}],
                "title": [{"show": True, "fontSize": 12, "fontColor": {"solid": {"color": _TEXT}}}],
                "padding": [{"top": 8, "bottom": 8, "left": 10, "right": 10}],
            }},
            "page": {"*": {"background": [{"color": {"solid": {"color": _CANVAS}}, "transparency": 0}]}},
            "textbox": {"*": {"background": [{"show": False}], "border": [{"show": False}]}},
        },
    }
