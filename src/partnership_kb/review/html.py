"""The structure review as one self-contained HTML page: inline CSS and SVG, no scripts and
nothing fetched from elsewhere, so it can be printed, saved or sent. Every line cites its
sources (document § section); every piece of text from the graph is escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape

from ..metrics.measures import NodeMeasures
from .data import Review
from .layout import spring_layout

WIDTH, HEIGHT, MARGIN = 960, 640, 40
RIGHT = 260  # room on the right for the labels of nodes drawn near the edge
CSS = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1b1b1b; margin: 2rem auto; max-width: 1000px;
       padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { margin-top: 2rem; border-bottom: 2px solid #ddd; }
.meta { color: #555; } table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .4rem; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; } .src { color: #555; font-size: .85em; }
.warning { color: #8a4b00; font-weight: 600; } .error { color: #a00; font-weight: 600; }
.info { color: #245; } .over { background: #fde8e8; } .under { background: #fff6dd; }
svg { width: 100%; height: auto; border: 1px solid #ddd; background: #fff; }
svg text { font: 11px system-ui, sans-serif; fill: #222; }
.legend span { display: inline-block; margin-right: 1rem; }
.key { display: inline-block; width: 11px; height: 11px; vertical-align: middle;
       print-color-adjust: exact; -webkit-print-color-adjust: exact; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               tr, svg { break-inside: avoid; } }
"""
TIER_COLOURS = {"strategic": "#1f5fa8", "executive": "#2e8b57", "operational": "#b8860b",
                "engagement": "#8b3a8b"}


def sources_cell(sources: Iterable[str]) -> str:
    cited = []
    for source in dict.fromkeys(sources):
        document, _, section = source.partition("#")
        cited.append(escape(document) + (f" § {escape(section)}" if section else ""))
    return f'<td class="src">{"; ".join(cited) or "—"}</td>'


def verdict(seats: int, low: int | None, high: int | None) -> tuple[str, str]:
    if low is None and high is None:
        return "", "no size advised"
    if seats == 0:
        return "", "no members recorded"
    if high is not None and seats > high:
        return "over", "larger than advised"
    if low is not None and seats < low:
        return "under", "smaller than advised"
    return "", "within the range"


def bodies_section(review: Review) -> str:
    rows = []
    for row in review.bodies:
        body, seats, guide = row["body"], row["seats"], row["guidance"] or {}
        low, high = guide.get("minMembers"), guide.get("maxMembers")
        css, said = verdict(seats, low, high)
        kind = " / ".join(escape(k) for k in (body.get("kind"), body.get("tier")) if k)
        advised = f"{low}–{high}" if low is not None and high is not None else "—"
        rows.append(
            f'<tr class="{css}"><td>{escape(body["name"])}</td>'
            f'<td>{kind}</td><td>{escape(body.get("status") or "")}</td>'
            f'<td class="num">{seats}</td>'
            f'<td>{advised}</td><td>{said}</td>'
            f'<td>{escape(body.get("meetingFrequency") or "—")}</td>'
            f'<td>{escape(guide.get("meetingFrequency") or "—")}</td>'
            + sources_cell([*(body.get("sources") or []), *(guide.get("sources") or [])])
            + "</tr>")
    return section("bodies", "Bodies against the guidance", (
        "<p>Seats count memberships (\"2 x VCS\" is two); the advised size and frequency are the "
        "Horsham guidance's for the body's kind, or else its tier.</p>"
        "<table><thead><tr><th>Body</th><th>Kind / tier</th><th>Status</th><th>Seats</th>"
        "<th>Advised</th><th>Size</th><th>Meets</th><th>Advised meetings</th><th>Sources</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"), len(rows))


def network_svg(review: Review) -> str:
    net = review.network
    nodes = ["m:" + m for m in net.members] + ["b:" + b for b in net.boards]
    edges = [("m:" + m, "b:" + b) for m, b in net.links]
    pos = spring_layout(nodes, edges)
    tiers = {row["body"]["id"]: row["body"].get("tier") for row in review.bodies}

    def xy(node: str) -> tuple[float, float]:
        x, y = pos[node]
        return MARGIN + x * (WIDTH - MARGIN - RIGHT), MARGIN + y * (HEIGHT - 2 * MARGIN)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="network-title"><title id="network-title">The '
             f'member-board network: {len(net.boards)} bodies, {len(net.members)} members, '
             f'{len(net.links)} seats</title>']
    for a, b in edges:
        (x1, y1), (x2, y2) = xy(a), xy(b)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     'stroke="#bbb" stroke-width="1"/>')
    for board, name in net.boards.items():
        x, y = xy("b:" + board)
        size = 6 + min(review.degree.get("b:" + board, 0), 20) * 0.6
        colour = TIER_COLOURS.get(tiers.get(board) or "", "#555")
        parts.append(f'<rect class="board" x="{x - size:.1f}" y="{y - size:.1f}" '
                     f'width="{2 * size:.1f}" height="{2 * size:.1f}" fill="{colour}">'
                     f'<title>{escape(name)}</title></rect>'
                     f'<text x="{x + size + 2:.1f}" y="{y + 4:.1f}">{escape(name)}</text>')
    for member_id, member in net.members.items():
        x, y = xy("m:" + member_id)
        degree = review.degree.get("m:" + member_id, 0)
        fill = "#d4a017" if degree >= 2 else "#999"
        parts.append(f'<circle class="member" cx="{x:.1f}" cy="{y:.1f}" r="{3 + degree}" '
                     f'fill="{fill}"><title>{escape(member.name)} ({degree} bodies)</title>'
                     '</circle>')
        if degree >= 2:
            parts.append(f'<text x="{x + 5 + degree:.1f}" y="{y + 4:.1f}" '
                         f'fill="#6b5000">{escape(member.name)}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span><i class="key" style="background:{c}"></i> {t} body</span>'
                     for t, c in TIER_COLOURS.items())
    legend += ('<span>grey square: no tier</span><span>gold circle: a member on two or more '
               'bodies; grey circle: on one</span>')
    return section("network", "The network", "".join(parts) + f'<p class="legend">{legend}</p>'
                   "<p>Squares are bodies (sized by their seats), circles members (posts, "
                   "people and organisations), lines memberships. Layout: force-directed, "
                   "fixed seed.</p>", len(net.links))


def interlocks_section(review: Review) -> str:
    rows = [f"<tr><td>{escape(i.member.name)}</td><td>{escape(i.member.label)}</td>"
            f'<td class="num">{len(i.boards)}</td><td>{escape("; ".join(i.boards))}</td>'
            + sources_cell(i.sources) + "</tr>" for i in review.interlocks]
    return section("interlocks", "Interlocks: members on several bodies", table(
        ["Member", "Is a", "Bodies", "Which", "Sources"], rows), len(rows))


def overlaps_section(review: Review) -> str:
    rows = [f"<tr><td>{escape(o.a)}</td><td>{escape(o.b)}</td>"
            f'<td class="num">{len(o.shared)}</td>'
            f'<td>{escape("; ".join(m.name for m in o.shared))}</td>'
            + sources_cell(o.sources) + "</tr>" for o in review.overlaps]
    return section("overlaps", "Overlaps: bodies sharing members", table(
        ["Body", "Body", "Shared", "Who", "Sources"], rows), len(rows))


def findings_section(review: Review) -> str:
    order = sorted(review.findings, key=lambda f: (-f.severity.rank, f.rule, f.subject.name))
    rows = [f'<tr><td class="{f.severity.value}">{f.severity.value}</td>'
            f"<td>{escape(f.rule)}</td><td>{escape(f.evidence)}</td>"
            + sources_cell([f.rule_source]) + sources_cell(f.sources) + "</tr>" for f in order]
    return section("findings", "Findings of the rule checks", table(
        ["Severity", "Rule", "Evidence", "Rule from", "Sources"], rows), len(rows))


def metrics_section(review: Review) -> str:
    net = review.network
    names = {**{"m:" + k: (m.name, m.label) for k, m in net.members.items()},
             **{"b:" + k: (n, "Partnership") for k, n in net.boards.items()}}
    ranked = sorted(review.degree.items(), key=lambda item: (-item[1], names[item[0]][0]))[:25]
    rows = [f"<tr><td>{escape(names[n][0])}</td><td>{escape(names[n][1])}</td>"
            f'<td class="num">{d}</td>' + measure_cells(review.measures.get(n))
            + sources_cell(s for (m, b), srcs in net.links.items()
                           if n in ("m:" + m, "b:" + b) for s in srcs) + "</tr>"
            for n, d in ranked]
    return section("metrics", "Metrics", "<p>Degree is the number of memberships a member "
                   "holds or a body has, in this network; betweenness (normalised) how often it "
                   "lies on the shortest chains between others, the brokers' measure; "
                   "eigenvector how well connected its neighbours are; community its Louvain "
                   "group (as networkMetrics gives them).</p>" + table(
                       ["Node", "Is a", "Degree", "Betweenness", "Eigenvector", "Community",
                        "Sources"], rows), len(rows))


def measure_cells(node: NodeMeasures | None) -> str:
    if node is None:
        return '<td class="num">-</td>' * 3
    eigen = "-" if node.eigenvector is None else f"{node.eigenvector:.3f}"
    return (f'<td class="num">{node.betweenness:.3f}</td><td class="num">{eigen}</td>'
            f'<td class="num">{node.community}</td>')


def documents_section(review: Review) -> str:
    rows = [f"<tr><td>{escape(i)}</td><td>{escape(t)}</td></tr>"
            for i, t in sorted(review.documents.items())]
    return section("sources", "Sources", table(["Document", "Title"], rows), len(rows))


def table(headers: list[str], rows: list[str]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def section(key: str, title: str, body: str, count: int) -> str:
    return f'<section id="{key}" data-count="{count}"><h2>{title}</h2>{body}</section>'


def render(review: Review, generated: dt.datetime | None = None) -> str:
    where = escape(review.area_name or review.area or "every area")
    when = review.as_of.isoformat() if review.as_of else "current and proposed"
    made = (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    title = f"Structure review: {where}, {when}"
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{title}</h1><p class=\"meta\">Partnership KB, made {made}. "
            f"{len(review.bodies)} bodies, {len(review.network.members)} members, "
            f"{len(review.findings)} findings.</p></header><main>"
            + network_svg(review) + bodies_section(review) + interlocks_section(review)
            + overlaps_section(review) + findings_section(review) + metrics_section(review)
            + documents_section(review) + "</main></body></html>\n")
