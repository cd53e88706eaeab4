// The pages work without this file; it updates the preview in place, follows
// rebuilds (server-sent events), and shows upload results and progress.
"use strict";

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

// A list of {row, field, message} as the page's problem box (text only, never HTML).
function showProblems(box, heading, errors) {
  box.replaceChildren();
  if (!errors || !errors.length) return;
  box.append(el("h2", heading));
  if (errors.some((e) => e.row)) {
    const table = el("table");
    const one = errors.length === 1;
    table.append(el("caption", `${errors.length} problem${one ? "" : "s"}: fix ${one ? "it" : "them"}, then upload the file again`));
    const head = el("tr");
    for (const h of ["Row", "Column", "What to fix"]) head.append(el("th", h, { scope: "col" }));
    const thead = el("thead");
    thead.append(head);
    table.append(thead);
    const body = el("tbody");
    for (const e of errors) {
      const tr = el("tr");
      tr.append(el("td", e.row || ""), el("td", e.field || ""), el("td", e.message));
      body.append(tr);
    }
    table.append(body);
    box.append(table);
  } else {
    const ul = el("ul");
    for (const e of errors) ul.append(el("li", e.message));
    box.append(ul);
  }
}

// The warnings of a build (e.g. made from a draft translation), as the page's note box.
function showNotes(warnings) {
  const box = document.getElementById("build-warnings");
  if (!box) return;
  box.replaceChildren();
  if (!warnings || !warnings.length) return;
  box.append(el("h2", "Please note"));
  const ul = el("ul");
  for (const w of warnings) ul.append(el("li", w));
  box.append(ul);
}

async function notesOf(kind, query) {
  try {
    const response = await fetch(`/api/preview/${kind}?${query}`, { headers: { Accept: "application/json" } });
    if (response.ok) showNotes((await response.json()).warnings);
  } catch (e) { /* the notes stay as they were */ }
}

async function errorsOf(response) {
  try {
    const body = await response.json();
    if (body.errors) return body.errors;
  } catch (e) { /* not JSON */ }
  return [{ row: null, field: null, message: `The server answered ${response.status} ${response.statusText}.` }];
}

function time() { return new Date().toLocaleTimeString(); }

// The page's choices as query strings: "full" for the PDF and preview, "screen" for the Word handout
// (never a print file), "page" for the page's own URL.
function choices(form) {
  const data = new FormData(form);
  const q = new URLSearchParams({ size: data.get("size"), orientation: data.get("orientation") || "portrait", lang: data.get("lang") });
  const layout = data.get("layout");
  if (layout && layout !== "classic") q.set("layout", layout);
  const screen = q.toString();
  const pdf = data.get("pdf");
  if (pdf === "print" || pdf === "x-4") {
    q.set("bleed", /^A\d$/.test(data.get("size")) ? "3mm" : "0.125in");
    q.set("marks", "crop");
    if (pdf === "x-4") q.set("variant", "x-4");
  }
  return { full: q.toString(), screen, page: new URLSearchParams(data).toString() };
}

// Every download link carries the choices shown, at once (the page's answer follows).
function setDownloads(q) {
  for (const link of document.querySelectorAll(".downloads a[data-href]")) {
    link.href = `${link.dataset.href}?${link.dataset.choices === "screen" ? q.screen : q.full}`;
  }
}

// Parts of the page as the server renders them for the new choices, put in place.
function replaceParts(fresh, ids) {
  for (const id of ids) {
    const old = document.getElementById(id), now = fresh.getElementById(id);
    if (old && now) old.replaceWith(now);
  }
}

function rebuildFailed(status, problems, event, what) {
  status.textContent = `The change at ${time()} did not build; ${what} the last good version.`;
  showProblems(problems(), "The last change did not build", event.errors.map((m) => ({ row: null, field: null, message: m })));
}

// --- poster: update the preview and the download links in place --------------
function posterPage(form) {
  const image = document.getElementById("preview");
  const status = document.getElementById("status");
  const problems = () => document.getElementById("build-problems");
  let generation = 0;
  const refresh = () => {
    const q = choices(form);
    image.dataset.query = q.full;
    image.src = `/api/preview/poster/1.png?${q.full}&width=800&v=${generation}`;
  };
  image.addEventListener("load", () => {
    image.dataset.generation = String(generation);
    const shown = image.dataset.query || choices(form).full;
    if (shown === choices(form).full) notesOf("poster", shown);
    if (status.textContent.startsWith("Building")) status.textContent = `Preview shown at ${time()}.`;
  });
  const follow = listen((event) => {
    generation = event.generation;
    if (event.ok) {
      showProblems(problems(), "", []);
      status.textContent = `Rebuilt at ${time()} (${event.seconds} s).`;
      refresh();
    } else {
      rebuildFailed(status, problems, event, "the preview shows");
    }
  });
  followChoices(form, "poster", follow, () => {
    showNotes([]); // the last choice's notes are not this one's
    showProblems(problems(), "", []);
    status.textContent = "Building the preview…";
    refresh();
  }, (fresh) => {
    replaceParts(fresh, ["choice-problems", "build-problems"]);
    image.alt = fresh.getElementById("preview").alt;
  });
}

// --- handbook: follow the choices, and reload the page images after a rebuild -----
function handbookPage(form) {
  const status = document.getElementById("status");
  const problems = () => document.getElementById("build-problems");
  const follow = listen((event) => {
    if (!event.ok) {
      rebuildFailed(status, problems, event, "the pages show");
      return;
    }
    showProblems(problems(), "", []);
    status.textContent = `Rebuilt at ${time()} (${event.seconds} s).`;
    notesOf("handbook", choices(form).full);
    for (const img of document.querySelectorAll("img.live")) {
      const url = new URL(img.src, location.href);
      url.searchParams.set("v", event.generation);
      img.src = url.toString();
    }
  });
  followChoices(form, "handbook", follow, () => { status.textContent = "Building the handbook…"; }, (fresh) => {
    replaceParts(fresh, ["handbook-pages"]);
    status.textContent = `Pages shown at ${time()}.`;
  });
}

// A new choice: the address, the download links and the followed document change at once (onChange),
// then the parts of the page the server renders for it are put in place (onPage), if no later
// choice was made meanwhile.
function followChoices(form, kind, follow, onChange, onPage) {
  let asked = 0;
  follow(`document=${kind}&${choices(form).full}`);
  form.addEventListener("change", () => {
    const q = choices(form);
    const number = ++asked;
    history.replaceState(null, "", `/${kind}?${q.page}`);
    setDownloads(q);
    follow(`document=${kind}&${q.full}`);
    onChange(q);
    fetch(`/${kind}?${q.page}`, { headers: { Accept: "text/html" } }).then((r) => r.text()).then((html) => {
      if (number !== asked) return; // a later choice was made meanwhile: its answer counts
      const fresh = new DOMParser().parseFromString(html, "text/html");
      document.querySelector(".downloads").replaceWith(fresh.querySelector(".downloads"));
      onPage(fresh);
    }).catch(() => {
      document.getElementById("status").textContent = "The server could not be reached; is missionpress serve still running?";
    });
  });
}

// Follows rebuilds for the document a page shows; call the result again when the page shows another.
function listen(onRebuild) {
  let source = null;
  return (query) => {
    if (!window.EventSource) return;
    if (source) source.close();
    source = new EventSource(`/api/events?${query}`);
    source.addEventListener("rebuild", (e) => onRebuild(JSON.parse(e.data)));
  };
}

// --- onboarding: upload, show every bad row, or follow the build -----------------
function onboardingPage(form) {
  const problems = document.getElementById("roster-problems");
  const box = document.getElementById("progress-box");
  const bar = document.getElementById("progress");
  const text = document.getElementById("progress-text");
  const results = document.getElementById("results");
  const button = document.getElementById("build");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showProblems(problems, "", []);
    results.hidden = true;
    box.hidden = false;
    bar.removeAttribute("value");
    text.textContent = "Uploading and checking the roster…";
    button.disabled = true;
    try {
      const response = await fetch("/api/onboarding/jobs", { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } });
      if (!response.ok) { fail(await errorsOf(response)); return; }
      follow((await response.json()).id);
    } catch (e) {
      fail([{ row: null, field: null, message: "The server could not be reached; is missionpress serve still running?" }]);
    }
  });
  function fail(errors) {
    box.hidden = true;
    button.disabled = false;
    showProblems(problems, "Fix these rows of the roster", errors);
    problems.focus();
  }
  async function follow(id) {
    const response = await fetch(`/api/onboarding/jobs/${id}`, { headers: { Accept: "application/json" } });
    const job = await response.json();
    if (!response.ok || job.state === "failed") { fail(response.ok ? job.errors : await errorsOf(response)); return; }
    if (job.total) { bar.max = job.total; bar.value = job.done; text.textContent = `${job.done} of ${job.total} packets built`; }
    if (job.state !== "done") { setTimeout(() => follow(id), 400); return; }
    box.hidden = true;
    button.disabled = false;
    results.hidden = false;
    document.getElementById("results-text").textContent = `${job.packets} packet${job.packets === 1 ? "" : "s"} built at ${time()}.`;
    showNotes(job.warnings);
    document.getElementById("download-zip").href = job.zip;
    const combined = document.getElementById("download-combined");
    combined.parentElement.hidden = !job.combined;
    if (job.combined) combined.href = job.combined;
    document.getElementById("results-heading").focus();
  }
}

// --- check: show the report --------------------------------------------------
function checkPage(form) {
  const report = document.getElementById("check-report");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    report.replaceChildren(el("p", "Checking…"));
    const response = await fetch("/api/check", { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } });
    report.replaceChildren();
    if (!response.ok) {
      const box = el("div", null, { class: "problems" });
      report.append(box);
      showProblems(box, "This file cannot be checked", await errorsOf(response));
      return;
    }
    const body = await response.json();
    report.append(el("h2", body.file));
    if (body.ok) { report.append(el("p", "Passed every rule.", { class: "passed" })); return; }
    report.append(el("p", `${body.failures.length} rule${body.failures.length === 1 ? "" : "s"} failed:`, { class: "failed" }));
    const table = el("table");
    const head = el("tr");
    for (const h of ["Rule", "What to fix"]) head.append(el("th", h, { scope: "col" }));
    const thead = el("thead");
    thead.append(head);
    table.append(thead);
    const tbody = el("tbody");
    for (const f of body.failures) { const tr = el("tr"); tr.append(el("td", f.rule), el("td", f.message)); tbody.append(tr); }
    table.append(tbody);
    report.append(table);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const poster = document.querySelector("form[data-preview=poster]");
  if (poster) posterPage(poster);
  const handbook = document.querySelector("form[data-preview=handbook]");
  if (handbook) handbookPage(handbook);
  const roster = document.getElementById("roster-form");
  if (roster) onboardingPage(roster);
  const check = document.getElementById("check-form");
  if (check) checkPage(check);
  for (const id of ["roster-problems", "results-heading"]) {
    const node = document.getElementById(id);
    if (node) node.setAttribute("tabindex", "-1");
  }
});
