"""Server-rendered SVG bar charts (no script, no library): stacked bars per period, with a legend. Each chart is
an image with a title; the table of its figures follows it on the page."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

# Distinct, colour-blind-friendly fills (Okabe–Ito, darkened for contrast against white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9", "#6B3FA0", "#B22222", "#333333")
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 180, 16, 40


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]


def _ticks(top: int) -> list[int]:
    step = max(1, -(-top // 4))
    return list(range(0, top + step, step))


def stacked_bars(chart_id: str, title: str, periods: list[str], series: list[Series]) -> Markup:
    """A stacked bar per period; `series` values are in the order of `periods`."""
    totals = [sum(s.values[i] for s in series) for i in range(len(periods))]
    ticks = _ticks(max(totals, default=0) or 1)
    top = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(periods), 1)
    bar = slot * 0.6
    parts = [
        f'<svg class="graphique" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart_id}-titre" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-titre">{escape(title)}</title>',
    ]
    for tick in ticks:
        y = TOP + plot_h - plot_h * tick / top
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c8c8d0"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#1b1b1f">{tick}</text>')
    for i, period in enumerate(periods):
        x = LEFT + i * slot + (slot - bar) / 2
        base = TOP + plot_h
        for index, item in enumerate(series):
            height = plot_h * item.values[i] / top
            if height:
                base -= height
                colour = PALETTE[index % len(PALETTE)]
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{colour}"/>'
                )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#1b1b1f">'
            f"{escape(period)}</text>"
        )
    for index, item in enumerate(series):
        y = TOP + 8 + index * 20
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{WIDTH - RIGHT + 16}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 34}" y="{y}" fill="#1b1b1f">{escape(item.label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
