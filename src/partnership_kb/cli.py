"""`pkb`: run Neo4j, load spreadsheets, ask named questions and serve the API."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import config, db
from .errors import (
    ConnectionProblem,
    InvalidInput,
    MappingError,
    PkbError,
    Problem,
    ServerStartError,
)
from .neo4j_server import NEO4J_VERSION, LocalServer

app = typer.Typer(
    help="Partnership KB: a graph knowledge base of how public bodies govern together.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
neo4j_app = typer.Typer(help="Run the local Neo4j server (provisioned from Maven Central).",
                        no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
key_app = typer.Typer(help="District keys for loading through the web page (/load) and its API.",
                      no_args_is_help=True)
app.add_typer(key_app, name="key")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

Instance = Annotated[str, typer.Option("--instance",
                                       help="Which local instance (tests use 'test').")]


# Exit statuses: 1 an internal fault, 2 bad input (nothing written), 3 Neo4j unavailable.
BAD_INPUT, UNAVAILABLE = 2, 3
# How the running command reports failures (`pkb load --format json`), and the file it reads,
# so that every failure, whatever raised it, is reported located and in that format.
CONTEXT: dict[str, str] = {"format": "text", "file": ""}

# The driver logs each retry; a failure is reported once, by main().
logging.getLogger("neo4j").addHandler(logging.NullHandler())
logging.getLogger("neo4j").propagate = False


def say(message: str) -> None:
    err.print(Text(message, style="dim"))


@contextmanager
def driver_for(instance: str = "default",
               retry_seconds: float = 30.0) -> Iterator[tuple[Driver, str | None]]:
    """A connected driver: NEO4J_URI's database, or the local server (started when needed)."""
    conn = db.connection(instance, progress=say)
    driver = db.open_driver(conn, retry_seconds)
    try:
        yield driver, conn.database
    finally:
        driver.close()


@neo4j_app.command("start")
def neo4j_start(instance: Instance = "default") -> None:
    """Start the local Neo4j (fetching its jars once); a running server is left as it is.

    Example: pkb neo4j start
    """
    info = LocalServer(instance, progress=say).start()
    out.print(f"Neo4j {NEO4J_VERSION} is up: {info.uri} (user neo4j, password in "
              f"{config.state_dir(instance) / 'password'}); browser http://127.0.0.1:{info.http_port}")


@neo4j_app.command("stop")
def neo4j_stop(instance: Instance = "default") -> None:
    """Stop the local Neo4j cleanly.

    Example: pkb neo4j stop
    """
    stopped = LocalServer(instance).stop()
    out.print("Neo4j stopped." if stopped else "Neo4j was not running.")


@neo4j_app.command("status")
def neo4j_status(instance: Instance = "default") -> None:
    """Say whether the local Neo4j runs, where, and with which process.

    Example: pkb neo4j status
    """
    info = LocalServer(instance).info()
    if info is None:
        out.print("Neo4j is not running.")
        raise typer.Exit(3)
    out.print(f"Neo4j {NEO4J_VERSION} is running: pid {info.pid}, {info.uri}, "
              f"http://127.0.0.1:{info.http_port}")


@neo4j_app.command("logs")
def neo4j_logs(lines: Annotated[int, typer.Option("--lines", "-n", help="How many lines.")] = 50,
               instance: Instance = "default") -> None:
    """Print the last lines of the local Neo4j's log.

    Example: pkb neo4j logs -n 100
    """
    out.print(LocalServer(instance).logs(lines), markup=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default: $PORT or 8000).")] = None,
    debug: Annotated[bool, typer.Option(
        help="Show the Cypher each request ran in its response.")] = False,
) -> None:
    """Serve the GraphQL API at /graphql, the explorer at / and the upload page at /load.

    Example: pkb serve --port 8080
    """
    import uvicorn

    from .api import warm
    from .api.app import create_app

    port = port or int(os.environ.get("PORT", "8000"))
    warm_every = warm.interval()
    conn = db.connection(progress=say)
    db.open_driver(conn, retry_seconds=3.0).close()  # a clear error now if it cannot connect
    out.print(f"Serving http://{host}:{port}/graphql (GraphiQL), http://{host}:{port}/ "
              f"(explorer) and http://{host}:{port}/load (upload)")
    # No access log: a line per request costs more than a small query's whole answer.
    uvicorn.run(create_app(db.rediscover(conn), debug=debug, warm_every=warm_every),
                host=host, port=port, log_level="info", access_log=False)


@key_app.command("create")
def key_create(
    district: Annotated[str | None, typer.Option(
        "--district", "-d", help="The district whose datasets the key loads.")] = None,
    admin: Annotated[bool, typer.Option(
        "--admin", help="A key that loads every district's datasets.")] = False,
) -> None:
    """Make a key and print it, once: only a salted hash of it is kept.

    Give it to the district's officer, who pastes it into /load. Every load records the key's id.

    Example: pkb key create --district cheltenham
    """
    from . import keys

    with driver_for() as (driver, database):
        made, secret = keys.create(driver, district, admin, database)
    out.print(secret, markup=False, highlight=False)
    err.print(f"Key {made.id} loads {made.scope}. It is shown only now: keep it somewhere "
              f"safe; `pkb key revoke {made.id}` withdraws it.", markup=False)


@key_app.command("list")
def key_list(as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")]
             = False) -> None:
    """List the keys (never the keys themselves): district, when made, revoked, loads made.

    Example: pkb key list
    """
    import json

    from . import keys

    with driver_for() as (driver, database):
        found = keys.listed(driver, database)
    if as_json:
        out.print_json(json.dumps(found, default=str))
        return
    table = Table("id", "district", "created", "revoked", "loads", "last load")
    for k in found:
        table.add_row(k["id"], "every (admin)" if k["admin"] else str(k["district"]),
                      _when(k["createdAt"]), _when(k["revokedAt"]), str(k["loads"]),
                      _when(k["lastLoad"]))
    out.print(table)
    out.print(f"{len(found)} keys", markup=False)


def _when(value: Any) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M}"


@key_app.command("revoke")
def key_revoke(key_id: Annotated[str, typer.Argument(help="The key's id, as `pkb key list` "
                                                          "shows it (key-...).")]) -> None:
    """Withdraw a key at once: the API refuses it from its next request on.

    Example: pkb key revoke key-0123456789ab
    """
    from . import keys

    with driver_for() as (driver, database):
        now = keys.revoke(driver, key_id, database)
    out.print(f"Key {key_id} revoked." if now else f"Key {key_id} was revoked already.",
              markup=False)


@app.command()
def migrate() -> None:
    """Apply the model's constraints and indexes (safe to run again: it changes nothing).

    Example: pkb migrate
    """
    from . import migrate as schema_migration
    from . import model

    with driver_for() as (driver, database):
        created = schema_migration.apply(driver, model.default(), database)
    out.print(f"Created {', '.join(created)}." if created else "Schema is up to date.")


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="A .xlsx/.xlsm/.ods file or a folder of .csv.")],
    district: Annotated[str, typer.Option("--district", "-d",
                                          help="Mapping in loaders/<district>.yaml.")],
    dataset: Annotated[str | None, typer.Option(
        help="Dataset id (default: <district>/<file name>).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run",
                                          help="Check and preview; write nothing.")] = False,
    allow_new: Annotated[bool, typer.Option(
        "--allow-new", help="Accept new names that look like existing ones.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="Problems as text or json.")] = "text",
    stated_on: Annotated[str | None, typer.Option(
        "--stated-on", help="The date the return states things on (default: the latest date "
                            "on its sources sheet, else today).")] = None,
) -> None:
    """Load a district workbook: check everything, then write it in one transaction.

    Loading the same file again changes nothing. A return stated later than the dataset's last
    ends what it no longer says (kept, dated); one of the same date replaces it.

    Example: pkb load cheltenham-2026.xlsx --district cheltenham --dry-run
    """
    CONTEXT.update(format="json" if fmt == "json" else "text", file=path.name or str(path))
    if fmt not in ("text", "json"):
        raise InvalidInput(problems=[Problem("--format", "", None, None,
                                             f"{fmt[:40]!r} is not a format",
                                             "Write text or json.")])
    when = _date_option(stated_on, "--stated-on")
    from .loader import mapping

    mapping.check_ids(district, dataset)
    with driver_for(retry_seconds=5.0) as (driver, database):
        report = _load_with_progress(path, district, driver, database, dataset=dataset,
                                     dry_run=dry_run, allow_new=allow_new, stated_on=when)
    show_report(report, fmt)


def _date_option(text: str | None, option: str) -> Any:
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(problems=[Problem(option, "", None, None, f"{text[:40]!r} is not a "
                                             "date", "Write it as 2025-04-01.")]) from None


def _load_with_progress(path: Path, district: str, driver: Driver, database: str | None,
                        **options: Any) -> Any:
    from rich.markup import escape
    from rich.progress import Progress

    from . import loader, model

    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(f"Loading {escape(path.name)}", total=None)
        return loader.load(path, district, model.default(), driver, database=database,
                           progress=lambda n: bar.advance(task, n), **options)


def show_report(report: Any, fmt: str = "text") -> None:
    if fmt == "json":
        write_json({"dataset": report.dataset, "statedOn": str(report.stated_on),
                    "dryRun": report.preview is not None,
                    "changes": [c.record() for c in report.changes],
                    "newFindings": [f.as_json() for f in report.new_findings],
                    "resolvedFindings": [f.as_json() for f in report.resolved_findings]})
        return
    for warning in report.warnings:
        err.print(f"Warning: {plain(warning)}", markup=False, style="yellow", highlight=False)
    if report.preview is not None:
        table = Table("label", "create", "update", "remove",
                      title=Text(f"Dry run of {report.dataset}"))
        for label, n in report.preview.items():
            table.add_row(Text(label), str(n["create"]), str(n["update"]), str(n["remove"]))
        out.print(table)
        show_changes(report, "would be")
        out.print("Nothing was written (--dry-run).")
        return
    counts = report.counts
    out.print(f"Loaded {report.rows} rows as dataset {report.dataset} in "
              f"{sum(report.seconds.values()):.1f} s: {counts.nodes_created} nodes and "
              f"{counts.relationships_created} relationships created, {counts.nodes_deleted} "
              f"nodes and {counts.relationships_deleted} relationships removed.", markup=False)
    written = ", ".join(f"{n} {label}" for label, n in counts.written.items())
    out.print(f"  said: {written}.", style="dim", markup=False)
    show_changes(report, "were")
    show_findings(report)


def show_findings(report: Any) -> None:
    """The rule checks' findings the load made and resolved (`pkb check` lists them all)."""
    for title, found in (("New findings", report.new_findings),
                         ("Resolved findings", report.resolved_findings)):
        if found:
            out.print(f"{title} ({len(found)}):", markup=False)
            for finding in found[:50]:
                out.print(f"  {plain(finding.line())}", markup=False, highlight=False)
    if not report.new_findings and not report.resolved_findings:
        out.print("The rule checks find nothing new and nothing resolved.", markup=False)


def show_changes(report: Any, verb: str) -> None:
    """What the return changes against the dataset's last, in words (at most 50 lines)."""
    kinds = {k: sum(c.kind == k for c in report.changes)
             for k in ("added", "ended", "removed", "changed")}
    out.print(f"Stated on {report.stated_on}: " + ", ".join(
        f"{n} {verb} {kind}" for kind, n in kinds.items() if n) + "." if report.changes
        else f"Stated on {report.stated_on}: nothing changes against the last load.",
        markup=False)
    for change in report.changes[:50]:
        out.print(f"  {change.summary}", markup=False, highlight=False)
    if len(report.changes) > 50:
        out.print(f"  ... and {len(report.changes) - 50} more (--format json lists them all).")


@app.command()
def unload(dataset: Annotated[str, typer.Argument(help="The dataset id `pkb load` reported.")],
           ) -> None:
    """Take back a dataset's latest load: what the load before it said returns exactly.

    With only one load, everything the dataset says goes; facts other datasets also hold stay.

    Example: pkb unload cheltenham/returns
    """
    from . import model
    from .loader import mapping
    from .loader.write import unload as unload_dataset

    mapping.check_ids(None, dataset)
    with driver_for() as (driver, database):
        counts = unload_dataset(driver, dataset, model.default(), database)
    out.print(f"Unloaded the latest load of {dataset}: {counts.nodes_deleted} nodes and "
              f"{counts.relationships_deleted} relationships removed.", markup=False)


@app.command()
def changes(
    since: Annotated[str, typer.Option(help="The earliest date a return was stated on.")],
    district: Annotated[str | None, typer.Option(help="Only this district's returns.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """What loads of returns stated since a date added, ended, removed and changed.

    Example: pkb changes --since 2025-01-01 --district cheltenham
    """
    from .queries import QueryRunner

    when = _date_option(since, "--since")
    with driver_for() as (driver, database):
        page = QueryRunner(driver, database).run("changes", since=when, district=district,
                                                 first=100_000)[0]
    if as_json:
        out.print_json(data=page["items"], default=str)
        return
    for item in page["items"]:
        out.print(f"{item.get('statedOn')}  {item.get('dataset')}  {item['summary']}", markup=False,
                  highlight=False)
    out.print(f"{page['totalCount']} changes since {when}.")


def _severity_option(text: str | None, option: str) -> Any:
    from .checks import Severity

    if text is None:
        return None
    try:
        return Severity.named(text)
    except ValueError as err:
        raise InvalidInput(problems=[Problem(option, "", None, None, str(err),
                                             "Write info, warning or error.")]) from None


@app.command()
def check(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge what is in force on this "
                                              "date (default: what is current or proposed).")]
    = None,
    area: Annotated[str | None, typer.Option(help="Only this area (an id) and places within it.")]
    = None,
    dataset: Annotated[str | None, typer.Option(help="Only what this dataset states.")] = None,
    severity: Annotated[str | None, typer.Option(help="Only findings of at least this severity.")]
    = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="Exit 1 when a finding reaches this severity (info, warning, error).")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Run the rule checks (queries/checks/) and list what they find.

    Example: pkb check --as-of 2011-01-01 --area gloucestershire --fail-on warning
    """
    from .checks import run_checks
    from .checks.findings import at_least

    when = _date_option(as_of, "--as-of")
    least, threshold = _severity_option(severity, "--severity"), _severity_option(fail_on,
                                                                                   "--fail-on")
    with driver_for() as (driver, database):
        found = run_checks(driver, database, as_of=when, area=area, dataset=dataset,
                           severity=least)
    if as_json:
        write_json([f.as_json() for f in found])
    else:
        for finding in found:
            out.print(f"{finding.line()}  [{', '.join(finding.sources[:3])}]", markup=False,
                      highlight=False)
        counts = {s: sum(f.severity == s for f in found) for s in {f.severity for f in found}}
        out.print(f"{len(found)} findings" + (": " + ", ".join(
            f"{n} {s.value}" for s, n in sorted(counts.items(), key=lambda i: -i[0].rank))
            if found else "") + ".", markup=False)
    if threshold is not None and at_least(found, threshold):
        raise typer.Exit(1)


@app.command(name="report")
def review_report(
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the page (or PDF).")],
    area: Annotated[str | None, typer.Option(help="Only this area (an id) and places within "
                                             "it.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="What is in force on this date "
                                              "(default: what is current or proposed).")]
    = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Print it to PDF through Chromium.")]
    = False,
) -> None:
    """Write a structure review: one page to print or send (HTML, or PDF with --pdf).

    The network drawn, the bodies beside the guidance, interlocks, overlaps, the rule checks'
    findings and metrics, each line with its sources.

    Example: pkb report --area gloucestershire --as-of 2011-01-01 --out review.html
    """
    from . import review

    when = _date_option(as_of, "--as-of")
    with driver_for() as (driver, database):
        page = review.render(review.build(driver, database, area=area, as_of=when))
    if pdf:
        review.print_pdf(page, out_path)
    else:
        out_path.write_text(page, encoding="utf-8")
    out.print(f"Wrote {out_path}.", markup=False)


@app.command()
def metrics(
    projection: Annotated[str, typer.Option(help=(
        "member-board (two-mode), board-board (shared members) or person-person "
        "(shared boards)."))] = "member-board",
    as_of: Annotated[str | None, typer.Option("--as-of", help=(
        "Only what is in force on this date."))] = None,
    area: Annotated[str | None, typer.Option(help="Only boards covering this area id.")] = None,
    dataset: Annotated[str | None, typer.Option(help="Only memberships this dataset says.")]
    = None,
    weighted: Annotated[bool, typer.Option(help="Weigh ties by seats or by what is shared.")]
    = False,
    sort: Annotated[str, typer.Option(help=(
        "betweenness, degree, weighted-degree, closeness, eigenvector, constraint, "
        "effective-size, community or name."))] = "betweenness",
    first: Annotated[int, typer.Option(help="How many nodes to list (0: all).")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Network measures of who sits on which board: per node and for the whole network.

    Example: pkb metrics --projection board-board --area gloucestershire --sort degree
    """
    from dataclasses import asdict

    from .metrics.ask import MetricSort, Question, answer, ordered
    from .metrics.network import Projection
    from .queries import QueryRunner

    chosen = {"projection": _choice(projection, Projection, "--projection"),
              "sort": _choice(sort, MetricSort, "--sort"),
              "format": _choice(fmt, {"TABLE": 0, "JSON": 0, "CSV": 0}, "--format")}
    question = Question(chosen["projection"], _date_option(as_of, "--as-of"), area, dataset,
                        weighted)
    with driver_for() as (driver, database):
        rows = QueryRunner(driver, database).run("network", **question.params())
    result = answer(question, rows)
    nodes = [asdict(node) for node in ordered(result.nodes, chosen["sort"])]
    nodes = nodes[:first] if first > 0 else nodes
    if chosen["format"] == "JSON":
        out.print_json(json.dumps({"graph": asdict(result.graph), "nodes": nodes}))
        return
    if chosen["format"] == "CSV":
        print_rows(nodes, "csv")
        return
    summary = ", ".join(f"{name.replace('_', ' ')} {_number(value)}"
                        for name, value in asdict(result.graph).items())
    out.print(summary, markup=False)
    if not rows:
        say("No memberships match: check --as-of, --area and --dataset "
            "(`pkb query list_nodes --param label=Area` lists the areas).")
        return
    shown = ("name", "label", "degree", "weighted_degree", "betweenness", "closeness",
             "eigenvector", "constraint", "effective_size", "community")
    print_rows([{key.replace("_", " "): _number(node[key]) for key in shown} for node in nodes],
               "table")


def _choice(text: str, choices: Any, option: str) -> Any:
    """An option's value among named choices (any case, - or _), or a located error."""
    name = text.upper().replace("-", "_")
    names = [c.name if hasattr(c, "name") else c for c in choices]
    if name not in names:
        listed = ", ".join(n.lower().replace("_", "-") for n in names)
        raise typer.BadParameter(f"{text[:40]!r} is not one of {listed}.", param_hint=option)
    return choices[name] if hasattr(choices, "__members__") else name


def _number(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


@app.command()
def template(out_path: Annotated[Path, typer.Option("--out", help="Where to write it.")]
             = Path("partnership-kb-template.xlsx")) -> None:
    """Write the blank district workbook: a sheet per kind, notes and drop-down lists.

    Example: pkb template --out cheltenham-2026.xlsx
    """
    from . import model
    from .loader import template as workbook_template

    workbook_template.write(model.default(), out_path)
    out.print(f"Wrote {out_path}: fill it in, then `pkb load {out_path} --district NAME`.")


@app.command()
def seed() -> None:
    """Load the curated knowledge base (data/seed/, one dataset per source document).

    Example: pkb seed
    """
    from . import seed as seed_data

    with driver_for() as (driver, database):
        for report in seed_data.load_all(driver, database):
            show_report(report)


@app.command()
def stats() -> None:
    """Count nodes per label, relationships per type, and facts per source document.

    Example: pkb stats
    """
    from .queries import QueryRunner

    with driver_for() as (driver, database):
        row = QueryRunner(driver, database).run("stats")[0]
    for title, key, columns in (("Nodes", "labels", ("label", "count")),
                                ("Relationships", "relationships", ("type", "count")),
                                ("Source documents", "documents",
                                 ("document", "nodes", "relationships"))):
        table = Table(*columns, title=title)
        for item in row[key]:
            table.add_row(*(Text(str(item[c])) for c in columns))
        out.print(table)


@app.command()
def schema(out_path: Annotated[Path | None, typer.Option(
        "--out", help="Write it to this file instead of printing it.")] = None) -> None:
    """Print the GraphQL schema (SDL) the API serves; graphql/schema.graphql is this output.

    Example: pkb schema --out graphql/schema.graphql
    """
    from .api.schema import schema as api_schema

    sdl = api_schema.as_str() + "\n"
    if out_path is None:
        out.print(sdl, markup=False, end="")
    else:
        out_path.write_text(sdl)
        out.print(f"Wrote {out_path}.")


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A query in queries/ (without .cypher).")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE; lists as a,b,c. Repeat for each.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print rows as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print rows as CSV.")] = False,
    show: Annotated[bool, typer.Option("--show", help="Print the Cypher, run nothing.")] = False,
) -> None:
    """Run a named query - the same Cypher the API runs - and print its rows.

    Without a NAME that exists, lists the named queries.

    Example: pkb query interlocks --param minBoards=3 --param first=50 --csv
    """
    from . import queries as named

    known = named.load_all()
    if name not in known:
        raise named.UnknownQuery(f"No named query {name!r}.",
                                 f"Known queries: {', '.join(sorted(known))}.")
    chosen = known[name]
    if show:
        out.print(chosen.text, markup=False)
        return
    params = {}
    for item in param or []:
        key, sep, text = item.partition("=")
        if not sep or key not in chosen.params:
            raise named.BadParameters(
                f"--param {item!r}: {name} takes {', '.join(chosen.params) or 'no parameters'}.",
                "Write --param NAME=VALUE.")
        params[key] = named.convert(text, chosen.params[key].type)
    with driver_for() as (driver, database):
        rows = named.QueryRunner(driver, database, queries=known).run(name, **params)
    fmt = "json" if as_json else "csv" if as_csv else "table"
    if len(rows) == 1 and set(rows[0]) == {"totalCount", "items"}:  # a page: print its items
        print_rows(rows[0]["items"], fmt)
        if fmt == "table":
            offset = params.get("offset", 0)
            out.print(f"rows {offset + 1}-{offset + len(rows[0]['items'])} of "
                      f"{rows[0]['totalCount']}; --param offset=N for more")
        return
    print_rows(rows, fmt)


def print_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    import csv
    import json

    if fmt == "json":
        out.print_json(json.dumps(rows, default=str))
        return
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[csv_safe(row[c]) for c in columns] for row in rows])
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*(Text(_cell(row[c])) for c in columns))
    out.print(table)
    out.print(f"{len(rows)} rows")


def _cell(value: Any) -> str:
    """A value as one cell: nodes by name, lists joined."""
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or value)
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return "" if value is None else str(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A value as a CSV cell that a spreadsheet shows as text: a text starting =, +, -, @ (a
    formula to Excel: CSV injection) gets a leading apostrophe. Numbers stay numbers."""
    cell = _cell(value)
    if isinstance(value, bool | int | float) or not cell.startswith(FORMULA_START):
        return cell
    return "'" + cell


def main() -> None:
    """Entry point: run the CLI, turning every failure into located lines (JSON with
    --format json) and an exit status: 2 bad input, 3 Neo4j unavailable, 1 a fault of ours.
    Never a traceback: an unexpected one is written to a file the message names."""
    try:
        code = app(standalone_mode=False)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("Aborted.")
        sys.exit(130)
    except PkbError as problem:
        unavailable = isinstance(problem, ConnectionProblem | ServerStartError)
        sys.exit(fail(problem, UNAVAILABLE if unavailable else
                      BAD_INPUT if isinstance(problem, InvalidInput | MappingError) else 1))
    except (DriverError, Neo4jError, ConnectionError) as lost:
        if isinstance(lost, Neo4jError) and not _unavailable(lost):
            sys.exit(internal(lost))
        reason = (str(lost).splitlines() or [type(lost).__name__])[0][:300]
        sys.exit(fail(ConnectionProblem(
            f"lost Neo4j: {reason}", "Nothing was written (a load is one transaction). Check "
            "that Neo4j runs (`pkb neo4j status`), then run the command again."), UNAVAILABLE))
    except Exception as usage:  # click's usage errors carry their own exit code
        show = getattr(usage, "show", None)
        if callable(show):
            code = getattr(usage, "exit_code", 2)
            if json_asked(sys.argv[1:]):
                write_json({"problems": [], "error": {
                    "message": usage.format_message(),  # type: ignore[attr-defined]
                    "hint": "See the command's --help.", "exit": code}})
            else:
                show()
            sys.exit(code)
        sys.exit(internal(usage))
    sys.exit(code if isinstance(code, int) else 0)


def json_asked(args: list[str]) -> bool:
    """Whether a command line asks for JSON, read before (or without) parsing it: its usage
    errors are then reported as JSON too."""
    return "--format=json" in args or any(
        a == "--format" and b == "json" for a, b in zip(args, args[1:], strict=False))


def _unavailable(error: Neo4jError) -> bool:
    code = error.code or ""
    return code.startswith("Neo.TransientError") or "DatabaseUnavailable" in code


def internal(error: BaseException) -> int:
    """An unexpected fault: one line naming it, the traceback in a file (exit 1)."""
    ref = uuid.uuid4().hex[:8]
    where = Path(tempfile.gettempdir()) / f"pkb-error-{ref}.txt"
    try:
        where.write_text("".join(traceback.format_exception(error)))
        saved = f"The details are in {where}."
    except OSError:
        saved = ""
    return fail(PkbError(f"internal error {ref}: {type(error).__name__}: "
                         f"{(str(error).splitlines() or [''])[0][:300]}",
                         f"Nothing was written if a load was running. This is a fault in pkb; "
                         f"please report it. {saved}".strip()), 1)


def fail(problem: PkbError, code: int) -> int:
    """Report a failure as located lines (the file being loaded, when it is not located
    already) and return its exit status."""
    located = list(getattr(problem, "problems", []))
    if not located and CONTEXT["file"]:
        located = [Problem(CONTEXT["file"], "", None, None, problem.message, problem.hint)]
    if CONTEXT["format"] == "json":
        write_json({"problems": [p.as_dict() for p in located],
                    "error": {"message": problem.message, "hint": problem.hint, "exit": code}})
    else:
        report(problem, located)
    return code


def report(problem: PkbError, located: list[Problem] | None = None) -> None:
    """The one place errors are printed: what went wrong, then after a blank line what to do.
    Everything is printed as plain text: names in it are the user's, never markup."""
    lines = located if located is not None else getattr(problem, "problems", [])
    if lines:  # written as they are: tens of thousands of lines through rich take minutes
        err.file.write("".join(plain(str(one)) + "\n" for one in lines))
        err.file.flush()
    err.print(Text("Error: ", style="bold red") + Text(plain(problem.message)), soft_wrap=True)
    if problem.hint:
        err.print(f"\n{plain(problem.hint)}", markup=False, soft_wrap=True, highlight=False)


CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0)], "?")


def write_json(data: Any) -> None:
    """JSON on stdout, written directly (rich's highlighting is slow on large reports)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def plain(text: str) -> str:
    """User text for a terminal: control characters (escape sequences) shown as '?'."""
    return text.translate(CONTROL)
