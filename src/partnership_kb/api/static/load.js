// The /load page: check a district return (dry run), show its problems or its changes,
// download the report, then apply it. Plain script, no dependencies; user text is only ever
// set as text (never as HTML). The key is kept in this page's memory and sent as a bearer
// header; nothing is stored in cookies or local storage.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const form = $("load-form");
  const keyInput = $("key");
  const district = $("district");
  const fileInput = $("file");
  const drop = $("drop");
  const SHOWN_ROWS = 2000;

  let limits = { maxBytes: 20 * 1024 * 1024, suffixes: [".xlsx", ".xlsm", ".ods", ".csv"] };
  let checkedKey = null; // {id, district, admin}, once /api/key accepted the key
  let lastReport = null; // the last answer (report or problems), for downloads
  let lastDryRun = null; // the clean dry run that Apply would load
  let busy = false;

  function setText(el, text, cls) {
    el.textContent = text;
    if (cls !== undefined) el.className = `note ${cls}`;
  }

  function clearChildren(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function showError(error) {
    const box = $("error");
    clearChildren(box);
    const what = document.createElement("p");
    what.textContent = error.message;
    box.appendChild(what);
    if (error.hint) {
      const hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = error.hint;
      box.appendChild(hint);
    }
    box.dataset.code = error.code || "";
    box.hidden = false;
  }

  function hideError() {
    $("error").hidden = true;
    clearChildren($("error"));
  }

  function token() {
    return keyInput.value.trim();
  }

  // ---- The key ----

  async function checkKey() {
    checkedKey = null;
    const given = token();
    if (!given) {
      setText($("key-status"), "Paste your district key first.", "bad");
      keyInput.focus();
      return false;
    }
    setText($("key-status"), "Checking the key…", "");
    let response;
    try {
      response = await fetch("/api/key", { headers: { Authorization: `Bearer ${given}` }, cache: "no-store" });
    } catch (err) {
      setText($("key-status"), "The server did not answer. Check your connection and try again.", "bad");
      return false;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = body.error || { message: `The server answered ${response.status}.` };
      setText($("key-status"), `${error.message} ${error.hint || ""}`.trim(), "bad");
      return false;
    }
    checkedKey = body.key;
    limits = body.limits || limits;
    if (checkedKey.district && !district.dataset.touched) district.value = checkedKey.district;
    setText($("key-status"), `Key ${checkedKey.id} loads ${checkedKey.scope}.`, "ok");
    return true;
  }

  $("check-key").addEventListener("click", () => { checkKey(); });
  keyInput.addEventListener("change", () => { checkKey(); });

  // ---- The file: chosen or dropped ----

  function describeFile() {
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      setText($("file-chosen"), "", "");
      return;
    }
    const size = file.size >= 1024 * 1024 ? `${(file.size / (1024 * 1024)).toFixed(1)} MB`
      : `${Math.max(1, Math.round(file.size / 1024))} KB`;
    setText($("file-chosen"), `Chosen: ${file.name} (${size}).`, "");
    lastDryRun = null;
    $("apply").hidden = true;
  }

  fileInput.addEventListener("change", describeFile);
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (event) => {
      event.preventDefault();
      drop.classList.add("over");
    });
  }
  for (const name of ["dragleave", "dragend"]) {
    drop.addEventListener(name, () => drop.classList.remove("over"));
  }
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const files = event.dataTransfer && event.dataTransfer.files;
    if (!files || files.length === 0) return;
    if (files.length > 1) {
      setText($("file-chosen"), "Drop one file at a time.", "bad");
      return;
    }
    fileInput.files = files;
    describeFile();
  });
  district.addEventListener("input", () => { district.dataset.touched = "true"; });
  for (const id of ["district", "dataset", "stated-on", "allow-new"]) {
    $(id).addEventListener("change", () => { lastDryRun = null; $("apply").hidden = true; });
  }

  // ---- Sending ----

  function progressShow(label, fraction, text) {
    $("progress-box").hidden = false;
    $("progress-label").textContent = label;
    const bar = $("progress");
    if (fraction === null) bar.removeAttribute("value");
    else bar.value = Math.round(Math.min(1, fraction) * 100);
    $("progress-text").textContent = text || "";
  }

  function progressHide() {
    $("progress-box").hidden = true;
  }

  // XMLHttpRequest rather than fetch: it reports upload progress.
  function send(formData, onUploaded, onProgress) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/load");
      xhr.setRequestHeader("Authorization", `Bearer ${token()}`);
      xhr.responseType = "text";
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      });
      xhr.upload.addEventListener("load", onUploaded);
      xhr.addEventListener("load", () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        resolve({ status: xhr.status, body });
      });
      xhr.addEventListener("error", () => resolve({ status: 0, body: null }));
      xhr.send(formData);
    });
  }

  function poll(total, dataset) {
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      try {
        const response = await fetch("/api/load/progress", {
          headers: { Authorization: `Bearer ${token()}` }, cache: "no-store" });
        if (response.ok && !stopped) {
          const body = await response.json();
          const run = (body.running || []).find((r) => !dataset || r.dataset === dataset);
          if (run && run.phase === "writing") {
            const fraction = total ? run.written / total : null;
            progressShow("Writing", fraction, total
              ? `${Math.min(run.written, total)} of ${total} facts written (${run.seconds} s)`
              : `${run.written} facts written (${run.seconds} s)`);
          } else if (run) {
            progressShow("Checking", null, `every cell, against the graph (${run.seconds} s)`);
          }
        }
      } catch (err) { /* the answer to the load itself says what happened */ }
      if (!stopped) setTimeout(tick, 700);
    };
    setTimeout(tick, 400);
    return () => { stopped = true; };
  }

  async function run(dryRun) {
    if (busy) return;
    hideError();
    const file = fileInput.files && fileInput.files[0];
    if (!token()) {
      showError({ message: "No key: paste your district key.", hint: "An operator makes one with `pkb key create --district NAME`." });
      keyInput.focus();
      return;
    }
    if (!file) {
      showError({ message: "No file: choose or drop a workbook.", hint: "A .xlsx, .ods or .csv file." });
      fileInput.focus();
      return;
    }
    if (!limits.suffixes.some((suffix) => file.name.toLowerCase().endsWith(suffix))) {
      showError({ message: `${file.name} is not a spreadsheet this loader reads.`, hint: "Choose a .xlsx, .ods or .csv file." });
      return;
    }
    if (file.size > limits.maxBytes) {
      showError({ message: `${file.name} is larger than ${Math.round(limits.maxBytes / (1024 * 1024))} MB.`,
        hint: "Split the return into smaller files, or ask an operator to load it with `pkb load`." });
      return;
    }
    if (!dryRun && !lastDryRun) {
      showError({ message: "Check the return first (dry run), then apply it." });
      return;
    }
    const data = new FormData();
    data.append("file", file, file.name);
    if (district.value.trim()) data.append("district", district.value.trim());
    const dataset = dryRun ? $("dataset").value.trim() : lastDryRun.dataset;
    if (dataset) data.append("dataset", dataset);
    if ($("stated-on").value) data.append("statedOn", $("stated-on").value);
    data.append("allowNew", $("allow-new").checked ? "true" : "false");
    data.append("dryRun", dryRun ? "true" : "false");
    if (!dryRun) data.append("sha256", lastDryRun.sha256);

    busy = true;
    document.body.dataset.busy = "true";
    $("dry-run").disabled = true;
    $("apply").disabled = true;
    setText($("status"), dryRun ? `Checking ${file.name}…` : `Loading ${file.name}…`);
    progressShow("Uploading", 0, "");
    let stop = () => {};
    const total = dryRun ? null : lastDryRun.facts;
    const answer = await send(data,
      () => { progressShow(dryRun ? "Checking" : "Writing", null, ""); stop = poll(total, dataset); },
      (fraction) => progressShow("Uploading", fraction, `${Math.round(fraction * 100)}%`));
    stop();
    progressHide();
    busy = false;
    delete document.body.dataset.busy;
    $("dry-run").disabled = false;
    $("apply").disabled = false;
    show(answer, dryRun);
  }

  // ---- Showing the answer ----

  function show(answer, dryRun) {
    const body = answer.body;
    if (answer.status === 0 || body === null) {
      showError({ message: answer.status === 0 ? "The server did not answer (or closed the connection)."
        : `The server answered ${answer.status} without a report.`, hint: "Try again; if it goes on, tell an operator." });
      setText($("status"), "");
      return;
    }
    if (answer.status === 200) {
      lastReport = body;
      showReport(body);
      if (dryRun) lastDryRun = body;
      else lastDryRun = null;
      return;
    }
    const error = body.error || { message: `The server answered ${answer.status}.` };
    if (answer.status === 422 && body.problems) {
      lastReport = body;
      lastDryRun = null;
      showProblems(body);
      return;
    }
    showError(error);
    setText($("status"), "");
    if (answer.status === 401) checkedKey = null;
  }

  function showProblems(body) {
    const n = body.problems.length;
    $("report").hidden = false;
    $("report-title").textContent = `${n} ${n === 1 ? "problem" : "problems"} in ${body.file}`;
    $("report-summary").textContent = `${body.error.message} Fix the cells listed below, then check again.`;
    $("problems-box").hidden = false;
    $("changes-box").hidden = true;
    $("applied").hidden = true;
    $("apply").hidden = true;
    const tbody = $("problems").querySelector("tbody");
    clearChildren(tbody);
    for (const problem of body.problems.slice(0, SHOWN_ROWS)) {
      const row = document.createElement("tr");
      cell(row, problem.file);
      cell(row, problem.sheet);
      cell(row, problem.row, "num");
      cell(row, problem.column);
      cell(row, problem.message);
      cell(row, problem.hint);
      tbody.appendChild(row);
    }
    $("problems-caption").textContent = n > SHOWN_ROWS
      ? `The first ${SHOWN_ROWS} of ${n} problems; download the report for all. Nothing was written.`
      : `${n} ${n === 1 ? "problem" : "problems"}; nothing was written.`;
    setText($("status"), `${n} ${n === 1 ? "problem" : "problems"} found in ${body.file}; nothing was written.`);
    $("report-title").focus();
  }

  function counted(changes) {
    const kinds = {};
    for (const change of changes) kinds[change.kind] = (kinds[change.kind] || 0) + 1;
    return kinds;
  }

  function showReport(body) {
    $("report").hidden = false;
    $("problems-box").hidden = true;
    $("changes-box").hidden = false;
    const kinds = counted(body.changes);
    const verb = body.dryRun ? "would be" : "were";
    const parts = Object.entries(kinds).map(([kind, n]) => `${n} ${verb} ${kind}`);
    const said = parts.length ? `${parts.join(", ")}.` : "nothing changes against the last load.";
    $("report-title").textContent = body.dryRun ? `Dry run of ${body.dataset}: no problems`
      : `Loaded ${body.dataset}`;
    $("report-summary").textContent = `${body.file}: ${body.rows} rows, stated on ${body.statedOn}: ${said}`
      + (body.dryRun ? " Nothing was written yet." : ` Recorded as loaded by ${body.who}.`);
    $("changes-title").textContent = body.dryRun ? "Changes the load would make" : "Changes made";

    const warnings = $("warnings");
    clearChildren(warnings);
    for (const warning of body.warnings || []) {
      const li = document.createElement("li");
      li.textContent = warning;
      warnings.appendChild(li);
    }
    const preview = $("preview");
    const tbody = preview.querySelector("tbody");
    clearChildren(tbody);
    preview.parentElement.hidden = !body.preview;
    for (const [label, n] of Object.entries(body.preview || {})) {
      const row = document.createElement("tr");
      cell(row, label);
      cell(row, n.create, "num");
      cell(row, n.update, "num");
      cell(row, n.remove, "num");
      tbody.appendChild(row);
    }
    const list = $("changes");
    clearChildren(list);
    for (const change of body.changes.slice(0, SHOWN_ROWS)) {
      const li = document.createElement("li");
      li.textContent = change.summary; // says what it does: "adds: …", "ends: …", "changes: …"
      li.dataset.kind = change.kind;
      list.appendChild(li);
    }
    $("changes-more").textContent = body.changes.length > SHOWN_ROWS
      ? `… and ${body.changes.length - SHOWN_ROWS} more: download the report for all.` : "";
    showFindings(body);
    $("apply").hidden = !body.dryRun;
    $("applied").hidden = body.dryRun;
    if (!body.dryRun) showLinks(body);
    setText($("status"), body.dryRun
      ? `No problems in ${body.file}. ${said} Review the changes, then apply.`
      : `Loaded ${body.file} as ${body.dataset}: ${said}`);
    $("report-title").focus();
  }

  // What the rule checks (`pkb check`) found new, and found resolved, once the load was made.
  function showFindings(body) {
    const made = body.newFindings || [];
    const resolved = body.resolvedFindings || [];
    $("findings-box").hidden = body.dryRun;
    $("findings-summary").textContent = made.length || resolved.length
      ? `${made.length} new and ${resolved.length} resolved findings.`
      : "The rule checks find nothing new and nothing resolved.";
    const list = $("findings");
    clearChildren(list);
    for (const [kind, found] of [["new", made], ["resolved", resolved]]) {
      for (const finding of found.slice(0, SHOWN_ROWS)) {
        const li = document.createElement("li");
        li.textContent = `${kind}: ${finding.severity}: ${finding.evidence}`;
        li.dataset.kind = kind;
        list.appendChild(li);
      }
    }
  }

  function showLinks(body) {
    const links = $("links");
    clearChildren(links);
    const added = body.changes.filter((c) => c.kind === "added" && !c.subject.includes("->"));
    for (const change of added.slice(0, 20)) {
      const id = change.subject.slice(change.subject.indexOf(":") + 1);
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `/?focus=${encodeURIComponent(id)}`;
      a.textContent = change.summary;
      li.appendChild(a);
      links.appendChild(li);
    }
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "/";
    a.textContent = "Open the explorer";
    li.appendChild(a);
    links.appendChild(li);
  }

  // ---- Downloads ----

  // A cell a spreadsheet would run as a formula is written as text (CSV injection).
  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  function reportCsv(body) {
    const lines = [];
    if (body.problems) {
      lines.push(["file", "sheet", "row", "column", "problem", "fix"]);
      for (const p of body.problems) lines.push([p.file, p.sheet, p.row, p.column, p.message, p.hint]);
    } else {
      lines.push(["dataset", "file", "stated on", "kind", "change", "subject"]);
      for (const c of body.changes) lines.push([body.dataset, body.file, body.statedOn, c.kind, c.summary, c.subject]);
    }
    return lines.map((line) => line.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }

  function download(text, type, suffix) {
    if (!lastReport) return;
    const blob = new Blob([text], { type });
    const a = document.createElement("a");
    const base = (lastReport.file || "report").replace(/\.[^.]*$/, "");
    a.href = URL.createObjectURL(blob);
    a.download = `${base}-${lastReport.problems ? "problems" : lastReport.dryRun ? "dry-run" : "loaded"}.${suffix}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  $("download-csv").addEventListener("click", () => {
    if (lastReport) download(`\ufeff${reportCsv(lastReport)}`, "text/csv;charset=utf-8", "csv");
  });
  $("download-json").addEventListener("click", () => {
    if (lastReport) download(JSON.stringify(lastReport, null, 2), "application/json", "json");
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!checkedKey && !(await checkKey())) return;
    run(true);
  });
  $("apply").addEventListener("click", () => { run(false); });

  window.__pkbLoad = { reportCsv }; // for tests
  document.body.dataset.ready = "true";
})();
