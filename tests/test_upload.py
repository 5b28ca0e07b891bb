"""Upload in the browser: district keys, POST /api/load behind the /load page, and the page
itself driven through Playwright in Debian's Chromium (/usr/bin/chromium).

The API tests run the app in-process (Starlette's TestClient) over the session's real Neo4j;
the browser tests serve it with uvicorn. A key is made for district `seed` (whose mapping
needs nothing from the graph) and another for `cheltenham`, to be refused elsewhere.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from starlette.testclient import TestClient
from typer.testing import CliRunner

from partnership_kb import keys, loader
from partnership_kb.api import upload
from partnership_kb.api.app import create_app
from partnership_kb.cli import app as cli
from partnership_kb.config import Connection

from .chromium import ARTIFACTS, launched
from .conftest import SESSION
from .district_data import BASE, with_cell
from .helpers import rows, snapshot, value
from .workbooks import Sheets, write_xlsx

NEW_BODY = "testford-partnership"


def xlsx(tmp_path: Path, sheets: Sheets = BASE, name: str = "testford-2026.xlsx") -> bytes:
    return write_xlsx(tmp_path / name, sheets).read_bytes()


def key_for(driver: Driver, district: str | None, admin: bool = False) -> str:
    return keys.create(driver, district, admin)[1]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def client(graph: Driver) -> Iterator[TestClient]:
    with TestClient(create_app(SESSION["connection"])) as test_client:
        yield test_client


def post(client: TestClient, key: str | None, content: bytes, name: str = "testford-2026.xlsx",
         **fields: str) -> Any:
    headers = bearer(key) if key else {}
    return client.post("/api/load", headers=headers, data=fields,
                       files={"file": (name, io.BytesIO(content), "application/octet-stream")})


# ---- Keys ----

def test_a_key_is_stored_only_as_a_salted_hash(graph: Driver) -> None:
    made, secret = keys.create(graph, "cheltenham")
    stored = rows(graph, "MATCH (k:ApiKey) RETURN properties(k) AS p")
    assert len(stored) == 1
    props = stored[0]["p"]
    assert props["id"] == made.id and props["district"] == "cheltenham"
    assert set(props) == {"id", "district", "admin", "hash", "salt", "createdAt"}
    # The key is pkb_<id>_<secret>; the secret itself may hold "_" (URL-safe base64).
    assert secret.split("_", 2)[2] not in json.dumps(props, default=str)
    assert len(bytes.fromhex(props["salt"])) == 16
    # Two keys never share a salt, so equal secrets would not share a hash either.
    keys.create(graph, "cheltenham")
    assert value(graph, "MATCH (k:ApiKey) RETURN count(DISTINCT k.salt)") == 2


def test_a_district_must_be_a_plain_name(graph: Driver) -> None:
    for bad in ("../../x", "Cheltenham", "chelt enham", "", "a" * 64, "x/y"):
        with pytest.raises(keys.KeyProblem, match="not a district name"):
            keys.create(graph, bad)
    with pytest.raises(keys.KeyProblem, match="needs a district"):
        keys.create(graph, None)
    assert value(graph, "MATCH (k:ApiKey) RETURN count(k)") == 0


def cli_run(connection: Connection, *args: str) -> Any:
    env = {"NEO4J_URI": connection.uri, "NEO4J_PASSWORD": connection.password,
           "COLUMNS": "200"}
    return CliRunner().invoke(cli, ["key", *args], env=env)


def test_pkb_key_create_list_revoke(graph: Driver, connection: Connection) -> None:
    made = cli_run(connection, "create", "--district", "cheltenham")
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip()
    parsed = keys.parse(secret)
    assert parsed is not None
    key_id = parsed[0]
    admin = cli_run(connection, "create", "--admin")
    assert admin.exit_code == 0, admin.output

    listed = cli_run(connection, "list", "--json")
    assert listed.exit_code == 0, listed.output
    found = {k["id"]: k for k in json.loads(listed.stdout)}
    assert found[key_id]["district"] == "cheltenham" and not found[key_id]["admin"]
    assert found[key_id]["revokedAt"] is None and found[key_id]["loads"] == 0
    assert secret not in listed.stdout and "hash" not in listed.stdout
    assert sum(k["admin"] for k in found.values()) == 1

    revoked = cli_run(connection, "revoke", key_id)
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    again = cli_run(connection, "revoke", key_id)
    assert "revoked already" in again.stdout
    listed = json.loads(cli_run(connection, "list", "--json").stdout)
    assert next(k for k in listed if k["id"] == key_id)["revokedAt"] is not None
    unknown = cli_run(connection, "revoke", "key-000000000000")
    assert unknown.exit_code != 0


# ---- Who may load ----

def test_no_key_is_401(client: TestClient, graph: Driver, tmp_path: Path) -> None:
    before = snapshot(graph)
    answer = post(client, None, xlsx(tmp_path))
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert "No key" in answer.json()["error"]["message"]
    assert "pkb key create" in answer.json()["error"]["hint"]
    for header in ("Basic abc", "Bearer", "Bearer pkb_key-000000000000_" + "x" * 43,
                   "Bearer not-a-key"):
        refused = client.post("/api/load", headers={"Authorization": header})
        assert refused.status_code == 401, header
    assert snapshot(graph) == before


def test_a_key_for_one_district_is_refused_for_another(client: TestClient, graph: Driver,
                                                       tmp_path: Path) -> None:
    cheltenham = key_for(graph, "cheltenham")
    before = snapshot(graph)
    refused = post(client, cheltenham, xlsx(tmp_path), district="seed", dryRun="false")
    assert refused.status_code == 403
    assert "cannot load district seed" in refused.json()["error"]["message"]
    refused = post(client, cheltenham, xlsx(tmp_path), dataset="seed/testford", dryRun="false")
    assert refused.status_code == 403
    assert "cannot write dataset seed/testford" in refused.json()["error"]["message"]
    assert snapshot(graph) == before
    # An admin key may load any district's datasets.
    admin = key_for(graph, None, admin=True)
    assert post(client, admin, xlsx(tmp_path), district="seed").status_code == 200
    assert post(client, admin, xlsx(tmp_path)).status_code == 400  # which district?


def test_a_revoked_key_is_refused(client: TestClient, graph: Driver, tmp_path: Path) -> None:
    made, secret = keys.create(graph, "seed")
    assert client.get("/api/key", headers=bearer(secret)).json()["key"]["district"] == "seed"
    keys.revoke(graph, made.id)
    answer = post(client, secret, xlsx(tmp_path))
    assert answer.status_code == 401
    assert f"Key {made.id} was revoked" in answer.json()["error"]["message"]
    assert client.get("/api/key", headers=bearer(secret)).status_code == 401


# ---- Files ----

def test_a_bad_file_is_422_with_its_located_problems(client: TestClient, graph: Driver,
                                                    tmp_path: Path) -> None:
    key = key_for(graph, "seed")
    before = snapshot(graph)
    bad = with_cell("partnerships", 1, "kind", "committee-of-sorts")
    answer = post(client, key, xlsx(tmp_path, bad), dryRun="false")
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"]["code"] == "INVALID_INPUT"
    assert "nothing was written" in body["error"]["message"]
    problem = next(p for p in body["problems"] if p["column"] == "kind")
    assert problem["file"] == "testford-2026.xlsx"
    assert problem["sheet"] == "partnerships" and problem["row"] == 2
    assert "committee-of-sorts" in problem["message"] and problem["hint"]
    assert snapshot(graph) == before


def test_a_good_file_dry_run_then_apply_changes_the_graph(client: TestClient, graph: Driver,
                                                          tmp_path: Path) -> None:
    key = key_for(graph, "seed")
    content = xlsx(tmp_path)
    before = snapshot(graph)
    dry = post(client, key, content, dataset="seed/testford", statedOn="2026-04-01")
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert report["dryRun"] is True and report["dataset"] == "seed/testford"
    assert report["statedOn"] == "2026-04-01" and report["preview"]["Partnership"]["create"] == 2
    assert any(c["kind"] == "added" and c["subject"] == f"Partnership:{NEW_BODY}"
               for c in report["changes"])
    assert all(c["summary"] for c in report["changes"])
    assert snapshot(graph) == before  # a dry run writes nothing, and records no load
    assert value(graph, "MATCH (l:Load) RETURN count(l)") == 0

    # Apply, naming the file the dry run checked: another file is refused.
    other = post(client, key, xlsx(tmp_path, with_cell("people", 1, "name", "Jo Blogs"),
                                   "other.xlsx"),
                 dataset="seed/testford", dryRun="false", sha256=report["sha256"])
    assert other.status_code == 409
    applied = post(client, key, content, dataset="seed/testford", statedOn="2026-04-01",
                   dryRun="false", sha256=report["sha256"])
    assert applied.status_code == 200, applied.text
    loaded = applied.json()
    assert loaded["dryRun"] is False and loaded["counts"]["nodesCreated"] > 0
    assert [c["summary"] for c in loaded["changes"]] == [c["summary"] for c in report["changes"]]
    assert value(graph, "MATCH (p:Partnership {id: $id}) RETURN p.name", id=NEW_BODY) \
        == "Testford Partnership"
    made_by = rows(graph, "MATCH (l:Load {dataset: 'seed/testford'}) "
                          "RETURN l.who AS who, l.file AS file, l.district AS district")
    assert made_by == [{"who": keys.parse(key)[0], "file": "testford-2026.xlsx",  # type: ignore[index]
                        "district": "seed"}]
    # The read API sees it at once.
    answer = client.post("/graphql", json={
        "query": "query($id: ID!) { partnership(id: $id) { name } }",
        "variables": {"id": NEW_BODY}})
    assert answer.json()["data"]["partnership"]["name"] == "Testford Partnership"
    answer = client.post("/graphql", json={"query": '{ loads(district: "seed") { dataset who } }'})
    assert answer.json()["data"]["loads"] == [{"dataset": "seed/testford",
                                                "who": keys.parse(key)[0]}]  # type: ignore[index]


def test_the_default_dataset_comes_from_the_file_name(client: TestClient, graph: Driver,
                                                     tmp_path: Path) -> None:
    key = key_for(graph, "seed")
    answer = post(client, key, xlsx(tmp_path), name="../../Testford Return 2026.xlsx")
    assert answer.status_code == 200, answer.text
    assert answer.json()["dataset"] == "seed/testford-return-2026"
    assert answer.json()["file"] == "Testford Return 2026.xlsx"


@pytest.mark.parametrize(("given", "kept"), [
    ("../../Testford Return 2026.xlsx", "Testford Return 2026.xlsx"),
    ("C:\\Users\\jo\\Desktop\\return.XLSX", "return.xlsx"),
    ("/etc/passwd", "passwd"),
    ("\u202egnp.xlsx", "gnp.xlsx"),
    ("a\x00b;rm -rf ~.csv", "a_b_rm -rf.csv"),
    ("Café return.ods", "Caf_ return.ods"),
    ("...", "upload"),
    ("", "upload"),
    ("x" * 300 + ".csv", "x" * 100 + ".csv"),
])
def test_an_uploaded_file_name_is_only_a_plain_name(given: str, kept: str) -> None:
    assert upload.safe_filename(given) == kept


def test_size_limit_is_413(client: TestClient, graph: Driver, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    key = key_for(graph, "seed")
    before = snapshot(graph)
    # Over the limit by the declared length: refused before the body is read.
    big = b"x" * (upload.MAX_BYTES + 1)
    answer = post(client, key, big, name="big.csv")
    assert answer.status_code == 413
    assert "larger than 20 MB" in answer.json()["error"]["message"]
    assert answer.json()["error"]["hint"]
    # Over it without a declared length (chunked): refused as the stream passes it.
    boundary = "pkbtestboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode()

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(upload.MAX_BYTES // (1024 * 1024) + 2):
            yield b"y" * (1024 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()
    answer = client.post("/api/load", content=chunks(), headers={
        **bearer(key), "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert answer.status_code == 413
    assert snapshot(graph) == before


def test_a_smaller_limit_applies_to_the_file_itself(graph: Driver, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upload, "MAX_BYTES", 1000)
    key = key_for(graph, "seed")
    with TestClient(create_app(SESSION["connection"])) as small:
        answer = post(small, key, xlsx(tmp_path))
        assert answer.status_code == 413
        assert "larger than 1 KB" in answer.json()["error"]["message"]
        assert small.get("/api/key", headers=bearer(key)).json()["limits"]["maxBytes"] == 1000


@pytest.mark.parametrize(("fields", "name", "status", "says"), [
    ({"statedOn": "1st April"}, "r.xlsx", 400, "statedOn '1st April' is not a date"),
    ({"statedOn": "1066-10-14"}, "r.xlsx", 400, "between 1900 and 2100"),
    ({"dataset": "../../etc"}, "r.xlsx", 400, "not a dataset id of seed"),
    ({"dataset": "seed/A B"}, "r.xlsx", 400, "not a dataset id of seed"),
    ({"dataset": "seed/" + "a" * 101}, "r.xlsx", 400, "not a dataset id of seed"),
    ({"district": "../seed"}, "r.xlsx", 400, "not a district name"),
    ({"dryRun": "maybe"}, "r.xlsx", 400, "dryRun 'maybe' is neither true nor false"),
    ({"colour": "red"}, "r.xlsx", 400, "Unknown field 'colour'"),
    ({}, "r.exe", 415, "r.exe is not a spreadsheet"),
    ({}, "r.yaml", 415, "not a spreadsheet"),
])
def test_bad_fields_are_refused_saying_what_to_send(client: TestClient, graph: Driver,
                                                   tmp_path: Path, fields: dict[str, str],
                                                   name: str, status: int, says: str) -> None:
    key = key_for(graph, "seed")
    answer = post(client, key, xlsx(tmp_path), name=name, **fields)
    assert answer.status_code == status, answer.text
    assert says in answer.json()["error"]["message"]
    assert answer.json()["error"]["hint"]


def test_an_unreadable_file_is_one_located_problem(client: TestClient, graph: Driver) -> None:
    key = key_for(graph, "seed")
    answer = post(client, key, b"PK\x03\x04 not really a zip", name="broken.xlsx")
    assert answer.status_code == 422
    problem = answer.json()["problems"][0]
    assert problem["file"] == "broken.xlsx" and "cannot open it" in problem["message"]
    assert post(client, key, b"", name="empty.csv").status_code == 422
    assert client.post("/api/load", headers=bearer(key), json={"file": "x"}).status_code == 415
    no_file = client.post("/api/load", headers=bearer(key), data={"dataset": "seed/x"},
                          files={"other": ("x.txt", b"1")})
    assert no_file.status_code == 400


def test_uploads_are_removed_after_the_load(client: TestClient, graph: Driver, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    key = key_for(graph, "seed")
    seen: list[Path] = []
    real = loader.load

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        seen.append(path)
        assert path.exists() and path.parent.name.startswith("pkb-upload-")
        return real(path, *args, **kwargs)
    monkeypatch.setattr(upload.loader, "load", spy)
    assert post(client, key, xlsx(tmp_path)).status_code == 200
    assert post(client, key, xlsx(tmp_path, with_cell("partnerships", 1, "kind", "x")))\
        .status_code == 422
    assert len(seen) == 2 and not any(p.parent.exists() for p in seen)


def test_one_load_at_a_time_per_dataset(client: TestClient, graph: Driver, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    key = key_for(graph, "seed")
    release = threading.Event()
    real = loader.load

    def slow(*args: Any, **kwargs: Any) -> Any:
        kwargs["progress"](7)
        assert release.wait(20)
        return real(*args, **kwargs)
    monkeypatch.setattr(upload.loader, "load", slow)
    content = xlsx(tmp_path)
    first: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: first.update(
        answer=post(client, key, content, dataset="seed/testford")))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        running: list[dict[str, Any]] = []
        while not (running and running[0]["written"]) and time.monotonic() < deadline:
            running = client.get("/api/load/progress", headers=bearer(key)).json()["running"]
            time.sleep(0.05)
        assert running and running[0]["dataset"] == "seed/testford"
        assert running[0]["phase"] == "writing" and running[0]["written"] == 7
        busy = post(client, key, content, dataset="seed/testford")
        assert busy.status_code == 409
        assert "running already" in busy.json()["error"]["message"]
        other = key_for(graph, "cheltenham")
        assert client.get("/api/load/progress", headers=bearer(other)).json()["running"] == []
    finally:
        release.set()
        thread.join(30)
    assert first["answer"].status_code == 200
    assert client.get("/api/load/progress", headers=bearer(key)).json()["running"] == []
    assert post(client, key, content, dataset="seed/testford").status_code == 200


def test_an_outage_is_503_and_a_fault_is_masked(client: TestClient, graph: Driver,
                                                tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    key = key_for(graph, "seed")
    dead = Connection("bolt://127.0.0.1:1", "neo4j", "x")
    with TestClient(create_app(dead)) as down:
        answer = post(down, key, xlsx(tmp_path))
        assert answer.status_code == 503
        assert "unavailable" in answer.json()["error"]["message"]
        assert "bolt://" not in answer.text
        assert down.get("/api/key", headers=bearer(key)).status_code == 503

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail")
    monkeypatch.setattr(upload.loader, "load", broken)
    with caplog.at_level("ERROR", logger="partnership_kb.upload"):
        answer = post(client, key, xlsx(tmp_path))
    assert answer.status_code == 500
    message = answer.json()["error"]["message"]
    assert message.startswith("Internal error ") and "secret detail" not in answer.text
    error_id = message.split()[2].rstrip(";")
    assert any(error_id in record.getMessage() for record in caplog.records)
    assert client.get("/api/load/progress", headers=bearer(key)).json()["running"] == []


# ---- The read key ----

def test_the_read_api_needs_the_read_key_only_when_set(graph: Driver) -> None:
    query = {"query": "{ health { nodes } }"}
    with TestClient(create_app(SESSION["connection"])) as open_client:
        assert open_client.post("/graphql", json=query).status_code == 200
    with TestClient(create_app(SESSION["connection"], read_key="r3ad-key")) as guarded:
        refused = guarded.post("/graphql", json=query)
        assert refused.status_code == 401
        assert "read key" in refused.json()["errors"][0]["message"]
        wrong = guarded.post("/graphql", json=query, headers=bearer("other"))
        assert wrong.status_code == 401
        assert guarded.post("/graphql", json=query, headers=bearer("r3ad-key")).status_code == 200
        assert guarded.get("/graphql", params=query).status_code == 401
        ide = guarded.get("/graphql", headers={"Accept": "text/html"})
        assert ide.status_code == 200 and "graphiql" in ide.text.lower()
        assert guarded.get("/health").status_code == 200
        # Reconciliation reads the same data: the same key, also as ?key= for OpenRefine.
        batch = {"queries": json.dumps({"q0": {"query": "Jo Bloggs"}})}
        for path in ("/reconcile", "/reconcile/suggest/entity?prefix=Jo"):
            assert guarded.get(path).status_code == 401
            assert guarded.get(path, headers=bearer("r3ad-key")).status_code == 200
        assert guarded.post("/reconcile", data=batch).status_code == 401
        assert guarded.post("/reconcile?key=r3ad-key", data=batch).status_code == 200
        assert guarded.post("/reconcile?key=wrong", data=batch).status_code == 401
        # And the structure review.
        assert guarded.get("/report").status_code == 401
        assert guarded.get("/report", headers=bearer("r3ad-key")).status_code == 200


def test_the_read_key_comes_from_the_setting(graph: Driver,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PKB_READ_KEY", "from-env")
    with TestClient(create_app(SESSION["connection"])) as guarded:
        assert guarded.post("/graphql", json={"query": "{ health { nodes } }"}).status_code == 401
        assert guarded.post("/graphql", json={"query": "{ health { nodes } }"},
                            headers=bearer("from-env")).status_code == 200


def test_the_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/load")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "<label for=\"key\">" in page.text and 'aria-live="polite"' in page.text
    assert "http" not in page.text.split("<body>")[0].replace("http-equiv", "")  # no CDN
    assert client.get("/load.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/load.css").status_code == 200


# ---- The page, in a browser ----

TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    with launched() as chromium:
        yield chromium


class LoadPage:
    """The /load page in a fresh browser context, collecting console errors."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900},
                                           accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def open(self) -> LoadPage:
        self.page.goto(f"{self.base}/load")
        self.page.wait_for_selector("body[data-ready=true]")
        return self

    def check(self, key: str, path: Path, **fields: str) -> None:
        page = self.page
        page.get_by_label("District key").fill(key)
        for label, text in fields.items():
            page.get_by_label(label).fill(text)
        page.get_by_label("Workbook (.xlsx, .ods or .csv)").set_input_files(str(path))
        page.get_by_role("button", name="Check (dry run)").click()

    def idle(self) -> None:
        self.page.wait_for_function("document.body.dataset.busy !== 'true'")

    def screenshot(self, name: str) -> None:
        self.page.screenshot(path=ARTIFACTS / f"load-{name}.png", full_page=True)


@pytest.fixture
def load_page(browser: Any, graph: Driver) -> Iterator[LoadPage]:
    from .live_server import serving

    with serving(graph) as url:
        page = LoadPage(browser, url)
        try:
            yield page
        finally:
            page.context.close()


@pytest.mark.e2e
def test_browser_a_bad_file_shows_its_table(load_page: LoadPage, graph: Driver,
                                            tmp_path: Path) -> None:
    from playwright.sync_api import expect

    key = key_for(graph, "seed")
    bad = with_cell("partnerships", 1, "kind", "committee-of-sorts")
    path = write_xlsx(tmp_path / "testford-2026.xlsx", bad)
    before = snapshot(graph)
    page = load_page.open().page
    load_page.check(key, path)
    expect(page.locator("#key-status")).to_contain_text("loads district seed")
    expect(page.get_by_role("status")).to_contain_text("found in testford-2026.xlsx; nothing "
                                                       "was written")
    table = page.get_by_role("table", name="problem")
    headers = table.locator("thead th").all_inner_texts()
    assert headers == ["File", "Sheet", "Row", "Column", "Problem", "Fix"]
    row = table.locator("tbody tr").filter(has_text="committee-of-sorts").first
    cells = row.locator("td").all_inner_texts()
    assert cells[:4] == ["testford-2026.xlsx", "partnerships", "2", "kind"]
    assert cells[5]  # the fix
    expect(page.get_by_role("button", name="Apply: load it")).to_be_hidden()
    expect(page.locator("#report-title")).to_be_focused()
    load_page.screenshot("problems")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download report (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "file,sheet,row,column,problem,fix"
    assert any(line.startswith("testford-2026.xlsx,partnerships,2,kind,") for line in lines)
    # A cell a spreadsheet would run as a formula is written as text (CSV injection).
    crafted = page.evaluate("""window.__pkbLoad.reportCsv({problems: [{file: "=cmd|' /C calc'!A0",
        sheet: "+x", row: 1, column: "-y", message: "@SUM(1)", hint: "plain, \\"quoted\\""}]})""")
    assert crafted.splitlines()[1] == ("'=cmd|' /C calc'!A0,'+x,1,'-y,'@SUM(1),"
                                       '"plain, ""quoted"""')
    with page.expect_download() as download:
        page.get_by_role("button", name="Download report (JSON)").click()
    report = json.loads(Path(download.value.path()).read_text())
    assert any(p["column"] == "kind" for p in report["problems"])
    assert snapshot(graph) == before
    assert load_page.errors == [] or all("422" in e for e in load_page.errors)


@pytest.mark.e2e
def test_browser_a_good_file_applies_and_the_explorer_shows_it(
        load_page: LoadPage, graph: Driver, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    key = key_for(graph, "seed")
    path = write_xlsx(tmp_path / "testford-2026.xlsx", BASE)
    page = load_page.open().page
    load_page.check(key, path, **{"Dataset (optional)": "seed/testford"})
    expect(page.locator("#report-title")).to_have_text("Dry run of seed/testford: no problems")
    changes = page.get_by_role("list").filter(has_text="Testford Partnership").first
    expect(changes).to_contain_text("adds: Partnership 'Testford Partnership'")
    expect(page.get_by_role("table", name="Nodes by label")).to_contain_text("Partnership")
    assert value(graph, "MATCH (p:Partnership) RETURN count(p)") == 0
    load_page.screenshot("dry-run")

    page.get_by_role("button", name="Apply: load it").click()
    expect(page.locator("#report-title")).to_have_text("Loaded seed/testford")
    expect(page.get_by_role("status")).to_contain_text("Loaded testford-2026.xlsx as "
                                                       "seed/testford")
    assert value(graph, "MATCH (p:Partnership {id: $id}) RETURN p.name", id=NEW_BODY) \
        == "Testford Partnership"
    assert value(graph, "MATCH (l:Load) RETURN l.who") == keys.parse(key)[0]  # type: ignore[index]
    load_page.screenshot("applied")

    # The explorer, from the page's own link, shows the new body.
    page.get_by_role("link", name="Testford Partnership").first.click()
    expect(page.locator("#details h2")).to_have_text("Testford Partnership")
    assert "focus=testford-partnership" in page.url
    load_page.screenshot("explorer")
    assert load_page.errors == []


@pytest.mark.e2e
def test_browser_a_key_for_one_district_is_refused_for_another(
        load_page: LoadPage, graph: Driver, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    key = key_for(graph, "cheltenham")
    path = write_xlsx(tmp_path / "testford-2026.xlsx", BASE)
    before = snapshot(graph)
    page = load_page.open().page
    page.get_by_label("District key").fill(key)
    page.get_by_role("button", name="Check key").click()
    expect(page.locator("#key-status")).to_contain_text("loads district cheltenham")
    expect(page.get_by_label("District", exact=True)).to_have_value("cheltenham")
    page.get_by_label("District", exact=True).fill("seed")
    page.get_by_label("Workbook (.xlsx, .ods or .csv)").set_input_files(str(path))
    page.get_by_label("Workbook (.xlsx, .ods or .csv)").press("Enter")  # keyboard only
    page.get_by_role("button", name="Check (dry run)").press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("cannot load district seed")
    expect(alert).to_contain_text("Use district cheltenham")
    expect(page.locator("#report")).to_be_hidden()
    load_page.screenshot("refused")
    assert snapshot(graph) == before


@pytest.mark.e2e
def test_browser_shows_the_progress_of_a_load(load_page: LoadPage, graph: Driver,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import expect

    key = key_for(graph, "seed")
    path = write_xlsx(tmp_path / "testford-2026.xlsx", BASE)
    page = load_page.open().page
    load_page.check(key, path)
    expect(page.get_by_role("button", name="Apply: load it")).to_be_visible()
    expect(page.locator("#report-summary")).to_contain_text("22 would be added")

    release = threading.Event()
    real = loader.load

    def slow(*args: Any, **kwargs: Any) -> Any:  # the server runs in this process
        kwargs["progress"](5)
        release.wait(20)
        return real(*args, **kwargs)
    monkeypatch.setattr(upload.loader, "load", slow)
    page.get_by_role("button", name="Apply: load it").click()
    try:
        expect(page.locator("#progress-box")).to_be_visible()
        expect(page.locator("#progress-text")).to_contain_text("5 of 22 facts written")
        expect(page.get_by_role("button", name="Check (dry run)")).to_be_disabled()
        assert page.locator("#progress").get_attribute("value") == "23"
        load_page.screenshot("progress")
    finally:
        release.set()
    expect(page.locator("#report-title")).to_have_text("Loaded seed/testford-2026")
    expect(page.locator("#progress-box")).to_be_hidden()
    assert load_page.errors == []


@pytest.mark.e2e
def test_browser_axe_finds_no_violations(browser: Any, graph: Driver, tmp_path: Path) -> None:
    """axe-core (an npm dev dependency of the explorer) on the empty page and on a report."""
    from .live_server import serving

    axe = Path(__file__).resolve().parent.parent / "explorer" / "node_modules" / "axe-core" \
        / "axe.min.js"
    if not axe.exists():
        pytest.fail(f"{axe} is missing: run `make explorer` (npm ci in explorer/).")
    key = key_for(graph, "seed")
    path = write_xlsx(tmp_path / "testford-2026.xlsx",
                      with_cell("partnerships", 1, "kind", "committee-of-sorts"))
    with serving(graph) as url:
        context = browser.new_context(bypass_csp=True)  # to inject axe itself
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = LoadPage.__new__(LoadPage)
            page.context, page.page, page.base, page.errors = context, context.new_page(), url, []
            page.open()

            def violations() -> list[Any]:
                if not page.page.evaluate("typeof window.axe !== 'undefined'"):
                    page.page.add_script_tag(path=str(axe))
                return list(page.page.evaluate(
                    "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
                    ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5)"
                    ".map(n => n.target.join(' '))})))"))
            assert violations() == []
            page.check(key, path)
            page.page.wait_for_selector("#problems tbody tr")
            assert violations() == []
        finally:
            context.close()


@pytest.mark.e2e
def test_browser_the_explorer_asks_for_the_read_key_once(browser: Any, seeded: Driver) -> None:
    from playwright.sync_api import expect

    from .live_server import serving

    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept("wrong" if len(asked) == 1 else "r3ad-key")

    with serving(seeded, read_key="r3ad-key") as url:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.on("dialog", answer)
            page.goto(f"{url}/")
            page.locator("#search").press_sequentially("Cheltenham Borough Council", delay=20)
            expect(page.locator("#search-results [role=option]").first).to_contain_text(
                "Cheltenham Borough Council")
            assert len(asked) == 2 and "not the read key" in asked[1], asked
            page.locator("#search").fill("")
            page.locator("#search").press_sequentially("Gloucester", delay=20)
            expect(page.locator("#search-results [role=option]").first).to_be_visible()
            assert len(asked) == 2  # kept for the tab
        finally:
            context.close()
