"""Loading a district return over HTTP: the /load page's API, the same engine as `pkb load`.

`POST /api/load` takes a multipart form: `file` (.xlsx, .xlsm, .ods or .csv), and
optionally `district` (a district key's own by default), `dataset` (`<district>/<name>`;
default from the file's name), `statedOn` (YYYY-MM-DD), `allowNew` and `dryRun` (`true` unless
`false` is sent, so nothing is written by accident). The key goes in
`Authorization: Bearer <key>`. Answers are JSON: the report (what the load adds, ends and
changes, in words), or `{"error": {code, message, hint}}` with the located `problems` of a bad
file (422). 401: no key, or a key unknown or revoked; 403: a key for another district; 409: a
load of the same dataset is running; 413: over the size limit; 415: not a spreadsheet;
429: too many loads at once; 503: Neo4j unavailable.

`GET /api/key` says whose a key is (and the limits); `GET /api/load/progress` what the key's
running loads have done so far.

Uploads are streamed to a private temporary folder (never past the limit) and removed when the
load ends. `loader.load` is synchronous driver code: it runs in a worker thread, with a sync
driver of its own on the app's connection, so the API keeps answering meanwhile.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import shutil
import tempfile
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import config, db, keys, loader, model
from ..errors import ConnectionProblem, InvalidInput, PkbError
from .auth import KeyChecker, Refused
from .database import Database

log = logging.getLogger("partnership_kb.upload")

MAX_BYTES = 20 * 1024 * 1024
FORM_OVERHEAD = 64 * 1024  # boundaries and the small fields around the file
SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv")
MAX_RUNNING = 2  # loads at once, over all datasets (each takes a core while it checks)
DATASET_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATASET_NAME_MAX = 100
FIELDS = {"file", "district", "dataset", "statedOn", "dryRun", "allowNew", "sha256"}


class TooLarge(Exception):
    """The request body went past the limit while it was being read."""


@dataclass
class Running:
    """A load in progress: what it is, whose, and how far it has got."""

    dataset: str
    key: str
    dry_run: bool
    started: float = field(default_factory=time.monotonic)
    phase: str = "checking"
    written: int = 0

    def advance(self, rows: int) -> None:
        self.phase = "writing"
        self.written += rows

    def as_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "dryRun": self.dry_run, "phase": self.phase,
                "written": self.written,
                "seconds": round(time.monotonic() - self.started, 1)}


class Loads:
    """The loads running now: one at a time per dataset, MAX_RUNNING in all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, Running] = {}

    def start(self, run: Running) -> None:
        with self._lock:
            if run.dataset in self._running:
                raise Refused(409, f"A load of dataset {run.dataset} is running already.",
                              "Wait for it to finish (it shows on the page), then send again.")
            if len(self._running) >= MAX_RUNNING:
                raise Refused(429, f"{len(self._running)} loads are running; this server takes "
                                   f"{MAX_RUNNING} at once.", "Try again in a minute.",
                              headers={"Retry-After": "30"})
            self._running[run.dataset] = run

    def finish(self, run: Running) -> None:
        with self._lock:
            self._running.pop(run.dataset, None)

    def of_key(self, key_id: str) -> list[Running]:
        with self._lock:
            return [r for r in self._running.values() if r.key == key_id]


class SyncDriver:
    """One synchronous driver for loads, opened on first use on the app's connection and
    opened again after Neo4j was lost (a restarted local server may have new ports)."""

    def __init__(self, connect: Callable[[], config.Connection]) -> None:
        self._connect = connect
        self._lock = threading.Lock()
        self._driver: Driver | None = None
        self.database: str | None = None

    def get(self) -> Driver:
        with self._lock:
            if self._driver is None:
                conn = self._connect()
                self._driver = db.open_driver(conn, retry_seconds=5.0)
                self.database = conn.database
            return self._driver

    def forget(self) -> None:
        with self._lock:
            stale, self._driver = self._driver, None
        if stale is not None:
            stale.close()

    def close(self) -> None:
        self.forget()


@dataclass
class Upload:
    """What a request asks for, checked."""

    key: keys.ApiKey
    district: str
    dataset: str
    filename: str
    dry_run: bool
    allow_new: bool
    stated_on: dt.date | None
    expected_sha256: str | None
    file: UploadFile


class UploadApi:
    """The routes behind /load."""

    def __init__(self, database: Database, connect: Callable[[], config.Connection],
                 max_bytes: int | None = None) -> None:
        self.database = database
        self.keys = KeyChecker(database)
        self.driver = SyncDriver(connect)
        self.loads = Loads()
        self.max_bytes = max_bytes or MAX_BYTES

    async def whoami(self, request: Request) -> Response:
        """GET /api/key: whose the key is, and what the upload takes."""
        try:
            key = await self.keys.key(request)
        except Refused as refused:
            return refused.response()
        return JSONResponse({"key": {"id": key.id, "district": key.district,
                                     "admin": key.admin, "scope": key.scope},
                             "limits": {"maxBytes": self.max_bytes, "suffixes": SUFFIXES}},
                            headers={"Cache-Control": "no-store"})

    async def progress(self, request: Request) -> Response:
        """GET /api/load/progress: the key's loads running now."""
        try:
            key = await self.keys.key(request)
        except Refused as refused:
            return refused.response()
        return JSONResponse({"running": [r.as_dict() for r in self.loads.of_key(key.id)]},
                            headers={"Cache-Control": "no-store"})

    async def load(self, request: Request) -> Response:
        """POST /api/load: a dry run, or (dryRun=false) the load itself."""
        workdir: Path | None = None
        upload: Upload | None = None
        try:
            key = await self.keys.key(request)
            upload = await self.read_form(request, key)
            workdir = Path(tempfile.mkdtemp(prefix="pkb-upload-"))
            path, sha256 = await run_in_threadpool(self.save, upload, workdir)
            if upload.expected_sha256 and upload.expected_sha256 != sha256:
                raise Refused(409, "This file is not the one the dry run checked.",
                              "Check it again (dry run), then apply.")
            return await self.run(upload, path, sha256)
        except Refused as refused:
            return refused.response()
        except TooLarge:
            return Refused(413, f"The upload is larger than {size_text(self.max_bytes)}.",
                           "Split the return into smaller files (say, one sheet each as .csv), "
                           "or ask an operator to load it with `pkb load`.").response()
        finally:
            if upload is not None:
                await upload.file.close()
            if workdir is not None:
                shutil.rmtree(workdir, ignore_errors=True)

    async def read_form(self, request: Request, key: keys.ApiKey) -> Upload:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() \
                and int(declared) > self.max_bytes + FORM_OVERHEAD:
            raise TooLarge
        content_type = request.headers.get("content-type", "")
        if not content_type.lower().startswith("multipart/form-data"):
            raise Refused(415, "Send the file as multipart/form-data.",
                          "For example: curl -H 'Authorization: Bearer KEY' "
                          "-F file=@return.xlsx -F dryRun=true .../api/load")
        limited = Request(request.scope, self._limited(request))
        try:
            form = await limited.form(max_files=1, max_fields=len(FIELDS),
                                      max_part_size=4096)
        except (MultiPartException, HTTPException) as err:
            detail = getattr(err, "message", None) or getattr(err, "detail", "")
            raise Refused(400, f"The form could not be read: {detail}",
                          "Send one file field `file` and the small fields dataset, district, "
                          "statedOn, dryRun, allowNew.") from None
        try:
            unknown = sorted(set(form.keys()) - FIELDS)
            if unknown:
                raise Refused(400, f"Unknown field {unknown[0][:40]!r}.",
                              f"The fields are: {', '.join(sorted(FIELDS))}.")
            file = form.get("file")
            if not isinstance(file, UploadFile):
                raise Refused(400, "No file: send the workbook as the field `file`.",
                              "Choose a .xlsx, .ods or .csv file.")
            return self.check_fields(key, file, {k: v for k, v in form.items()
                                                 if isinstance(v, str)})
        except BaseException:
            await form.close()
            raise

    def _limited(self, request: Request) -> Any:
        receive = request.receive
        seen = 0
        limit = self.max_bytes + FORM_OVERHEAD

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge
            return message
        return limited

    def check_fields(self, key: keys.ApiKey, file: UploadFile, fields: dict[str, str]) -> Upload:
        filename = safe_filename(file.filename or "")
        if not filename.lower().endswith(SUFFIXES):
            raise Refused(415, f"{filename} is not a spreadsheet this loader reads.",
                          "Send a .xlsx, .xlsm, .ods or .csv file.")
        if (file.size or 0) > self.max_bytes:
            raise TooLarge
        district = fields.get("district", "").strip() or key.district
        if not district:
            raise Refused(400, "Which district? An admin key needs the field `district`.",
                          "Send district=NAME, such as cheltenham.")
        try:
            keys.check_district(district)
        except PkbError as bad:
            raise Refused(400, bad.message, bad.hint) from None
        if not key.may_write(district):
            raise Refused(403, f"Key {key.id} is for {key.scope}; it cannot load district "
                               f"{district}.",
                          f"Use district {key.district}, or a key for {district}.")
        dataset = fields.get("dataset", "").strip() \
            or loader.dataset_id(Path(filename), district)
        check_dataset(dataset, district, key)
        stated_on = None
        if text := fields.get("statedOn", "").strip():
            try:
                stated_on = dt.date.fromisoformat(text[:20])
            except ValueError:
                raise Refused(400, f"statedOn {text[:40]!r} is not a date.",
                              "Write it as 2025-04-01, or leave it out.") from None
            if not 1900 <= stated_on.year <= 2100:
                raise Refused(400, f"statedOn {stated_on} is not between 1900 and 2100.",
                              "Give the date the return states things on.")
        expected = fields.get("sha256", "").strip().lower() or None
        if expected is not None and not re.fullmatch(r"[0-9a-f]{64}", expected):
            raise Refused(400, "sha256 is not a SHA-256 in hex.",
                          "Send the sha256 the dry run answered, or leave it out.")
        return Upload(key, district, dataset, filename, flag(fields, "dryRun", True),
                      flag(fields, "allowNew", False), stated_on, expected, file)

    def save(self, upload: Upload, workdir: Path) -> tuple[Path, str]:
        """Copy the upload into the private folder under its cleaned name; its sha256."""
        path = workdir / upload.filename
        digest = hashlib.sha256()
        size = 0
        source = upload.file.file
        source.seek(0)
        with path.open("xb") as target:
            while chunk := source.read(1024 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise TooLarge
                digest.update(chunk)
                target.write(chunk)
        if size == 0:
            raise Refused(422, f"{upload.filename} is empty.",
                          "Choose the saved workbook, not an empty file.")
        return path, digest.hexdigest()

    async def run(self, upload: Upload, path: Path, sha256: str) -> Response:
        running = Running(upload.dataset, upload.key.id, upload.dry_run)
        self.loads.start(running)
        started = time.monotonic()
        try:
            report, bookmarks = await run_in_threadpool(self._load, upload, path, running)
            await self.database.saw(bookmarks)
        except InvalidInput as invalid:
            log.info("%s: %s of %s refused: %d problems", upload.key.id,
                     "dry run" if upload.dry_run else "load", upload.dataset,
                     len(invalid.problems))
            return Refused(422, invalid.message, invalid.hint).response(
                problems=[p.as_dict() for p in invalid.problems], dataset=upload.dataset,
                file=upload.filename, sha256=sha256)
        except ConnectionProblem as lost:
            self.driver.forget()
            return Refused(503, lost.message, lost.hint).response()
        except (ServiceUnavailable, SessionExpired) as lost:
            self.driver.forget()
            reason = str(lost).splitlines()[0] if str(lost) else type(lost).__name__
            return Refused(503, f"Neo4j stopped answering: {reason}.",
                           "A load is one transaction, so it was written whole or not at all: "
                           "the loads list says which. Try again when Neo4j is back."
                           ).response()
        except PkbError as problem:
            # A file that cannot be read, a district without a mapping: one located problem.
            located = {"file": upload.filename, "sheet": "", "row": None, "column": None,
                       "message": problem.message, "hint": problem.hint}
            return Refused(422, problem.message, problem.hint).response(
                problems=[located], dataset=upload.dataset, file=upload.filename,
                sha256=sha256)
        except Exception as fault:  # noqa: BLE001 - anything else is masked and logged
            error_id = uuid.uuid4().hex[:8]
            log.error("Internal error %s in the load of %s", error_id, upload.dataset,
                      exc_info=fault)
            return Refused(500, f"Internal error {error_id}; it has been logged. Nothing was "
                                "written unless the loads list shows this load.",
                           "Tell an operator the error id.", code="INTERNAL").response()
        finally:
            self.loads.finish(running)
        log.info("%s: %s of %s (%s) in %.1f s: %d changes", upload.key.id,
                 "dry run" if upload.dry_run else "load", upload.dataset, upload.filename,
                 time.monotonic() - started, len(report.changes))
        return JSONResponse(answer(report, upload, sha256),
                            headers={"Cache-Control": "no-store"})

    def _load(self, upload: Upload, path: Path,
              running: Running) -> tuple[loader.LoadReport, set[str]]:
        """The load itself, in a worker thread; with the bookmarks of what it wrote."""
        driver = self.driver.get()
        report = loader.load(path, upload.district, model.default(), driver,
                             dataset=upload.dataset, database=self.driver.database,
                             allow_new=upload.allow_new, dry_run=upload.dry_run,
                             stated_on=upload.stated_on, who=upload.key.id,
                             progress=running.advance)
        return report, set(driver.execute_query_bookmark_manager.get_bookmarks())


def answer(report: loader.LoadReport, upload: Upload, sha256: str) -> dict[str, Any]:
    """A load's report as JSON: the same facts `pkb load --format json` prints, and more."""
    plan = report.plan
    counts = report.counts
    return {
        "dryRun": upload.dry_run,
        "dataset": report.dataset,
        "district": upload.district,
        "file": upload.filename,
        "sha256": sha256,
        "who": upload.key.id,
        "statedOn": str(report.stated_on) if report.stated_on else None,
        "rows": report.rows,
        "facts": plan.node_count() + plan.rel_count(),
        "warnings": report.warnings,
        "preview": report.preview,
        "counts": None if counts is None else {
            "nodesCreated": counts.nodes_created, "nodesDeleted": counts.nodes_deleted,
            "relationshipsCreated": counts.relationships_created,
            "relationshipsDeleted": counts.relationships_deleted},
        "changes": [{"kind": c.kind, "subject": c.subject, "summary": c.summary}
                    for c in report.changes],
        "newFindings": [f.as_json() for f in report.new_findings],
        "resolvedFindings": [f.as_json() for f in report.resolved_findings],
        "seconds": {k: round(v, 2) for k, v in report.seconds.items()},
    }


def size_text(size: int) -> str:
    mib = size / (1024 * 1024)
    return f"{mib:g} MB" if mib >= 1 else f"{size / 1024:.0f} KB"


def flag(fields: dict[str, str], name: str, default: bool) -> bool:
    text = fields.get(name, "").strip().lower()
    if not text:
        return default
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise Refused(400, f"{name} {text[:20]!r} is neither true nor false.",
                  f"Send {name}=true or {name}=false.")


def check_dataset(dataset: str, district: str, key: keys.ApiKey) -> None:
    """A dataset id: `<district>/<name>`, the name in lowercase letters, digits and hyphens."""
    owner, slash, name = dataset.partition("/")
    if slash and owner != district and DATASET_NAME.fullmatch(owner or "-"):
        if not key.may_write(owner):
            raise Refused(403, f"Key {key.id} is for {key.scope}; it cannot write dataset "
                               f"{dataset[:120]}.",
                          f"Datasets of district {district} start with {district}/.")
        raise Refused(400, f"Dataset {dataset[:120]} is not of district {district}.",
                      f"Give a dataset starting with {district}/, or district {owner}.")
    if not slash or owner != district or len(name) > DATASET_NAME_MAX \
            or not DATASET_NAME.fullmatch(name):
        raise Refused(400, f"Dataset {dataset[:120]!r} is not a dataset id of {district}.",
                      f"Write it as {district}/NAME, NAME in lowercase letters, digits and "
                      f"hyphens, such as {district}/returns.")


def safe_filename(name: str) -> str:
    """The file's own name, with any folder dropped and only plain characters kept, so it
    can name the copy in the temporary folder and appear in the report."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    clean = re.sub(r"[^\w .()-]+", "_", stem, flags=re.ASCII).strip(" ._")[:100] or "upload"
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix)[:8].lower()
    return f"{clean}.{suffix}" if suffix else clean
