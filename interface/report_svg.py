"""The picture of an impact report: a :class:`~interface.report_model.SubGraph` as inline SVG.

A layered layout of its own (no JavaScript, no fonts or scripts from a network): x by layer, y by
order in the layer (barycentre of the neighbours, a few sweeps). Nodes with a ``group`` are drawn in
a panel per group, one under the other, each with its heading and its own ordering, and columns
aligned across panels: edges stay inside their panel, so a reform touching 5 documents and 25 units
is 5 small pictures rather than one bundle of crossing lines.
"""
from __future__ import annotations

import html
from collections import defaultdict
from typing import Optional

from interface.report_model import GNode, SubGraph

COLORS = {
    "regulation": ("#fde2e1", "#c0392b"), "document": ("#e3edfb", "#2f5d9e"), "task": ("#f2f2f2", "#666666"),
    "agency": ("#e2f4e4", "#2e7d32"), "successor": ("#efe3f7", "#7b3fa0"), "deadline": ("#fff1db", "#c77700"),
    "date": ("#fff1db", "#c77700"), "change": ("#f4e7dc", "#8d5a2b"), "more": ("#ffffff", "#999999"),
}
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"
MAX_PER_LAYER = 24
BOX_H, GAP_Y, GAP_X, PAD, CAPTION_H, GROUP_H, GROUP_GAP = 30.0, 12.0, 70.0, 20.0, 28.0, 30.0, 18.0

Box = tuple[float, float, float, float, str]  # x, y, width, height, label


def text_width(s: str, size: float = 13.0) -> float:
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in s)


def fit(n: GNode, limit: int) -> str:
    """A label cut to ``limit`` characters; a document title keeps its distinctive end (…去产能专项工作方案)."""
    s = n.label.replace("\n", "")
    if len(s) <= limit:
        return s
    if n.kind == "document":
        head = max(4, limit // 3)
        return s[:head] + "…" + s[-(limit - head - 1):]
    return s[: limit - 1] + "…"


def _capped(nodes: list[GNode], key: str) -> list[GNode]:
    if len(nodes) <= MAX_PER_LAYER:
        return nodes
    extra = len(nodes) - (MAX_PER_LAYER - 1)
    k = nodes[0].layer
    return nodes[: MAX_PER_LAYER - 1] + [GNode(f"more:layer{k}{key}", f"… 另有{extra}项", "more", k, f"{extra} more",
                                               nodes[0].group)]


def _order(graph: SubGraph, nodes: list[GNode]) -> dict[int, list[GNode]]:
    """The nodes by layer, each layer ordered by the barycentre of its neighbours (fixed layers kept)."""
    layers: dict[int, list[GNode]] = defaultdict(list)
    for n in nodes:
        layers[n.layer].append(n)
    kept = {k: _capped(ns, nodes[0].group if nodes else "") for k, ns in layers.items()}
    order = sorted(kept)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        neighbours[e.src].add(e.dst)
        neighbours[e.dst].add(e.src)
    pos = {n.id: float(i) for k in order for i, n in enumerate(kept[k])}

    def sweep(k: int, ref: int) -> None:
        if k in graph.fixed:
            return
        near = {n.id for n in kept[ref]}

        def bary(n: GNode) -> float:
            ps = [pos[m] for m in neighbours[n.id] if m in near and m in pos]
            return sum(ps) / len(ps) if ps else pos[n.id]

        kept[k].sort(key=bary)
        for i, n in enumerate(kept[k]):
            pos[n.id] = float(i)

    for _ in range(3):  # forward and backward barycentre sweeps
        for a, b in zip(order[1:], order):
            sweep(a, b)
        for a, b in zip(reversed(order[:-1]), reversed(order)):
            sweep(a, b)
        for a, b in zip(order[1:], order):
            sweep(a, b)
    return kept


def layout(graph: SubGraph, max_label: int = 18) -> tuple[dict[str, Box], float, float, list[tuple[str, float]]]:
    """{node id: (x, y, w, h, label)}, width, height, and the panels' headings [(text, y)]."""
    groups = list(dict.fromkeys(n.group for n in graph.nodes))
    panels = [(g, _order(graph, [n for n in graph.nodes if n.group == g])) for g in groups]
    layers = sorted({k for _, kept in panels for k in kept})
    limit = {k: max_label + (8 if any(n.kind == "successor" for _, kept in panels for n in kept.get(k, ())) else 0)
             for k in layers}
    widths = {k: max(text_width(fit(n, limit[k])) + 20 for _, kept in panels for n in kept.get(k, ())) for k in layers}
    xs, x = {}, PAD
    for k in layers:
        xs[k] = x
        x += widths[k] + GAP_X
    width = x - GAP_X + PAD
    boxes: dict[str, Box] = {}
    headings: list[tuple[str, float]] = []
    y = PAD + CAPTION_H
    for g, kept in panels:
        if g:
            headings.append((g, y + GROUP_H * 0.65))
            y += GROUP_H
        tallest = max(len(ns) for ns in kept.values()) if kept else 0
        panel_h = tallest * (BOX_H + GAP_Y) - GAP_Y
        for k, ns in kept.items():
            col_h = len(ns) * (BOX_H + GAP_Y) - GAP_Y
            y0 = y + (panel_h - col_h) / 2
            for i, n in enumerate(ns):
                boxes[n.id] = (xs[k], y0 + i * (BOX_H + GAP_Y), widths[k], BOX_H, fit(n, limit[k]))
        y += panel_h + (GROUP_GAP if g else 0)
    height = y + PAD
    return boxes, max(width, 200.0), max(height, 120.0), headings


def to_svg(graph: SubGraph) -> str:
    """The subgraph as a standalone inline <svg> (layered, left to right; a panel per group)."""
    e = html.escape
    if not graph.nodes:
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60" role="img" aria-label="empty">'
                f'<text x="20" y="35" font-family="{e(FONT)}" font-size="14">（无受影响的节点 nothing affected）'
                '</text></svg>')
    boxes, width, height, headings = layout(graph)
    kinds = {n.id: n.kind for n in graph.nodes}
    kinds.update({i: "more" for i in boxes if i.startswith("more:layer")})
    titles = {n.id: n.title for n in graph.nodes}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="affected subgraph" '
             f'font-family="{e(FONT)}" font-size="13">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>',
             f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    layer_x: dict[int, tuple[float, float]] = {}
    for n in graph.nodes:
        if n.id in boxes:
            x, _, w, _, _ = boxes[n.id]
            layer_x.setdefault(n.layer, (x, w))
    for k, (x, w) in sorted(layer_x.items()):
        if k < len(graph.layers):
            parts.append(f'<text x="{x + w / 2:.1f}" y="30" text-anchor="middle" fill="#555" font-weight="bold">'
                         f'{e(graph.layers[k])}</text>')
    for text, y in headings:
        parts.append(f'<g class="panel"><line x1="{PAD:.0f}" y1="{y - GROUP_H * 0.65 + 2:.1f}" x2="{width - PAD:.0f}" '
                     f'y2="{y - GROUP_H * 0.65 + 2:.1f}" stroke="#d0d7e2"/>'
                     f'<text x="{PAD:.0f}" y="{y + 4:.1f}" fill="#2f5d9e" font-weight="bold">{e(text)}</text></g>')
    for ed in graph.edges:
        if ed.src not in boxes or ed.dst not in boxes:
            continue
        x1, y1, w1, h1, _ = boxes[ed.src]
        x2, y2, w2, h2, _ = boxes[ed.dst]
        if x1 <= x2:
            sx, sy, tx, ty = x1 + w1, y1 + h1 / 2, x2, y2 + h2 / 2
        else:
            sx, sy, tx, ty = x1, y1 + h1 / 2, x2 + w2, y2 + h2 / 2
        mx = (sx + tx) / 2
        dash = ' stroke-dasharray="5,4"' if ed.dashed else ""
        colour = {"lead": "#2e7d32", "responsible": "#8fbf92"}.get(ed.role, "#9a9a9a")
        stroke = 1.3 + min(4.0, 0.45 * (ed.weight - 1))
        parts.append(f'<path class="edge" d="M{sx:.1f},{sy:.1f} C{mx:.1f},{sy:.1f} {mx:.1f},{ty:.1f} {tx:.1f},{ty:.1f}" '
                     f'fill="none" stroke="{colour}" stroke-width="{stroke:.1f}"{dash} marker-end="url(#arrow)"/>')
        if ed.label:
            parts.append(f'<text x="{mx:.1f}" y="{(sy + ty) / 2 - 4:.1f}" text-anchor="middle" font-size="11" '
                         f'fill="#444" stroke="#fff" stroke-width="3" paint-order="stroke">{e(ed.label)}</text>')
    for node_id, (x, y, w, h, label) in boxes.items():
        fill, stroke = COLORS.get(kinds.get(node_id, "task"), COLORS["task"])
        tip = titles.get(node_id) or label
        parts.append(f'<g class="node {e(kinds.get(node_id, "task"))}"><title>{e(tip)}</title>'
                     f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" fill="{fill}" '
                     f'stroke="{stroke}" stroke-width="1.4"/>'
                     f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 4.5:.1f}" text-anchor="middle" fill="#222">'
                     f'{e(label)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def crossings(graph: SubGraph, boxes: Optional[dict[str, Box]] = None) -> int:
    """How many pairs of edges cross between the same two columns (a measure of a readable picture)."""
    boxes = boxes if boxes is not None else layout(graph)[0]
    segs = []
    for ed in graph.edges:
        if ed.src in boxes and ed.dst in boxes:
            (x1, y1, *_), (x2, y2, *_) = boxes[ed.src], boxes[ed.dst]
            segs.append((min(x1, x2), max(x1, x2), y1 if x1 <= x2 else y2, y2 if x1 <= x2 else y1))
    n = 0
    for i, (a0, a1, ay0, ay1) in enumerate(segs):
        for b0, b1, by0, by1 in segs[i + 1:]:
            if (a0, a1) == (b0, b1) and (ay0 - by0) * (ay1 - by1) < 0:
                n += 1
    return n
