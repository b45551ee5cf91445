// The jobs console: a page over the job API's JSON (the same calls as the CLI), refreshed every two seconds.
"use strict";

const refreshMs = 2000;
const keyStorage = "botfleet.apiKey";
const $ = selector => document.querySelector(selector);
let lastCompleted = null;
let lastByOp = new Map();
let listCursor = null;
let refreshFailed = false;

async function api(method, path, body) {
  const headers = { "accept": "application/json" };
  const key = sessionStorage.getItem(keyStorage);
  if (key) headers["x-api-key"] = key;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    $("#key-prompt").hidden = false;
    throw new Error("the server wants its API key");
  }
  const text = await response.text();
  const value = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = value && (value.detail || value.title);
    throw new Error(`${method} ${path}: ${response.status}${detail ? " " + detail : ""}`);
  }
  return value;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

function age(from) {
  const seconds = Math.max(0, Math.round((Date.now() - new Date(from).getTime()) / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function time(value) {
  return value ? new Date(value).toISOString().replace(".000", "") : "";
}

function setStatus(text, failed) {
  const line = $("#status-line");
  line.textContent = text;
  line.classList.toggle("error", failed);
}

// Every job status, in the order GET /v1/stats counts them.
const statuses = ["pending", "leased", "completed", "dead", "cancelled"];

async function refreshOverview() {
  const [stats, queue] = await Promise.all([api("GET", "v1/stats"), api("GET", "v1/queue")]);
  const oldest = new Map(queue.queues.map(q => [q.op, q.oldest_pending_at]));
  const now = Date.now();
  const body = $("#overview tbody");
  body.replaceChildren();
  for (const [op, counts] of Object.entries(stats.by_op).sort(([a], [b]) => a.localeCompare(b))) {
    const row = body.insertRow();
    row.dataset.op = op;
    cell(row, op);
    for (const status of statuses) {
      cell(row, counts[status], "number").dataset.status = status;
    }
    const before = lastByOp.get(op);
    const rate = before ? (counts.completed - before.count) / ((now - before.at) / 1000) : null;
    cell(row, rate !== null && rate >= 0 ? rate.toFixed(1) : "", "number").dataset.rate = "";
    cell(row, oldest.has(op) ? age(oldest.get(op)) : "");
  }
  lastByOp = new Map(Object.entries(stats.by_op).map(([op, counts]) => [op, { count: counts.completed, at: now }]));
  for (const status of statuses) {
    $(`#totals [data-status=${status}]`).textContent = stats.jobs[status];
  }
  if (lastCompleted) {
    const rate = (stats.jobs.completed - lastCompleted.count) / ((now - lastCompleted.at) / 1000);
    $("#totals [data-rate]").textContent = rate >= 0 ? rate.toFixed(1) : "";
  }
  lastCompleted = { count: stats.jobs.completed, at: now };
  const select = $("#dead-op");
  const chosen = select.value;
  const deadOps = Object.entries(stats.by_op).filter(([, c]) => c.dead > 0).map(([op]) => op).sort();
  select.replaceChildren(new Option("all", ""), ...deadOps.map(op => new Option(op, op)));
  select.value = deadOps.includes(chosen) ? chosen : "";
}

async function refreshBots() {
  const answer = await api("GET", "v1/bots");
  const body = $("#bots tbody");
  body.replaceChildren();
  for (const bot of answer.bots) {
    const row = body.insertRow();
    row.dataset.botKey = bot.bot_key;
    row.dataset.botId = bot.bot_id;
    const paused = bot.assignment.paused;
    cell(row, bot.bot_key).title = bot.bot_id;
    cell(row, paused ? "paused" : bot.active ? "active" : "not seen lately").dataset.field = "state";
    cell(row, bot.assignment.operations.join(", "));
    cell(row, bot.assignment.max_concurrency, "number");
    cell(row, bot.leased_jobs, "number").dataset.field = "leased";
    // Health is what the bot's latest heartbeat said; a bot that sends none shows a dash.
    cell(row, bot.health ? bot.health.outbox_size : "–", "number").dataset.field = "outbox";
    const error = cell(row, bot.health?.last_error ?? "", "error-text");
    error.dataset.field = "last-error";
    error.title = bot.health?.last_error ?? "";
    cell(row, time(bot.last_seen_at));
    cell(row, bot.version);
    const button = document.createElement("button");
    button.textContent = paused ? "Resume" : "Pause";
    button.className = paused ? "resume" : "pause";
    button.addEventListener("click", () => act(
      () => api("PUT", `v1/bots/${encodeURIComponent(bot.bot_id)}/assignment`, { paused: !paused }),
      `${paused ? "resumed" : "paused"} ${bot.bot_key} (it learns it at its next heartbeat)`));
    row.insertCell().append(button);
  }
  $("#bots-empty").hidden = answer.bots.length > 0;
}

function selectedDead() {
  return [...document.querySelectorAll("#dead-table tbody input:checked")].map(box => box.closest("tr").dataset.jobId);
}

function updateSelectionButtons() {
  const none = selectedDead().length === 0;
  $("#requeue-selected").disabled = none;
  $("#discard-selected").disabled = none;
}

async function refreshDead() {
  const op = $("#dead-op").value;
  const page = await api("GET", `v1/jobs?status=dead&limit=100${op ? "&op=" + encodeURIComponent(op) : ""}`);
  const kept = new Set(selectedDead());
  const body = $("#dead-table tbody");
  body.replaceChildren();
  for (const job of page.jobs) {
    const row = body.insertRow();
    row.dataset.jobId = job.id;
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = kept.has(job.id);
    box.setAttribute("aria-label", `select ${job.id}`);
    box.addEventListener("change", updateSelectionButtons);
    row.insertCell().append(box);
    const link = document.createElement("a");
    link.href = "#";
    link.textContent = job.id;
    link.addEventListener("click", event => { event.preventDefault(); showJob(job.id); });
    row.insertCell().append(link);
    cell(row, job.op);
    cell(row, `${job.attempt}/${job.max_attempts}`, "number");
    cell(row, time(job.updated_at));
    cell(row, job.error, "error-text").title = job.error ?? "";
    const actions = row.insertCell();
    for (const [label, action] of [["Requeue", "requeue"], ["Discard", "discard"]]) {
      const button = document.createElement("button");
      button.textContent = label;
      button.className = action;
      button.addEventListener("click", () => act(() => api("POST", `v1/jobs/${encodeURIComponent(job.id)}/${action}`), `${label.toLowerCase()}d ${job.id}`));
      actions.append(button);
    }
  }
  $("#dead-empty").hidden = page.jobs.length > 0;
  updateSelectionButtons();
}

async function act(call, done) {
  try {
    await call();
    if (done) setStatus(done, false);
  } catch (error) {
    setStatus(error.message, true);
  }
  await refresh();
}

function bulk(action, all) {
  const op = $("#dead-op").value;
  const body = all ? { all: true, ...(op ? { op } : {}) } : { job_ids: selectedDead() };
  const what = all ? `every dead job${op ? " of " + op : ""}` : `${body.job_ids.length} selected job(s)`;
  if (all && !confirm(`${action === "requeue" ? "Requeue" : "Discard"} ${what}?`)) return;
  act(async () => {
    const answer = await api("POST", `v1/jobs/${action}`, body);
    setStatus(`${action}d ${answer.count} of ${what}`, false);
  }, null);
}

async function showJob(id) {
  try {
    const job = await api("GET", `v1/jobs/${encodeURIComponent(id)}`);
    const detail = $("#job-detail");
    detail.hidden = false;
    detail.dataset.jobId = job.id;
    const field = name => detail.querySelector(`[data-field=${name}]`);
    field("id").textContent = job.id;
    field("op").textContent = job.op;
    field("status").textContent = job.status;
    field("attempt").textContent = `${job.attempt} of ${job.max_attempts}`;
    field("next_attempt_at").textContent = time(job.next_attempt_at);
    field("lease_until").textContent = time(job.lease_until);
    field("progress").textContent = job.progress ? `${job.progress.percent}%${job.progress.message ? " " + job.progress.message : ""}` : "";
    field("cancel_requested_at").textContent = time(job.cancel_requested_at);
    // Pending and leased jobs can be cancelled; a leased one only once.
    $("#cancel-job").hidden = !(job.status === "pending" || (job.status === "leased" && !job.cancel_requested_at));
    field("error").textContent = job.error ?? "";
    field("payload").textContent = JSON.stringify(job.payload, null, 2);
    field("result").textContent = job.result === undefined ? "" : JSON.stringify(job.result, null, 2);
    const body = $("#attempts tbody");
    body.replaceChildren();
    for (const attempt of job.attempts) {
      const row = body.insertRow();
      for (const value of [attempt.attempt, attempt.bot_id, time(attempt.started), time(attempt.ended), attempt.outcome, attempt.error]) cell(row, value);
    }
  } catch (error) {
    setStatus(error.message, true);
  }
}

async function listJobs(next) {
  const status = $("#list-status").value;
  const op = $("#list-op").value.trim();
  const query = new URLSearchParams({ limit: "50" });
  if (status) query.set("status", status);
  if (op) query.set("op", op);
  if (next && listCursor) query.set("cursor", listCursor);
  try {
    const page = await api("GET", `v1/jobs?${query}`);
    const table = $("#job-list");
    table.hidden = false;
    const body = table.tBodies[0];
    if (!next) body.replaceChildren();
    for (const job of page.jobs) {
      const row = body.insertRow();
      const link = document.createElement("a");
      link.href = "#";
      link.textContent = job.id;
      link.addEventListener("click", event => { event.preventDefault(); showJob(job.id); });
      row.insertCell().append(link);
      for (const value of [job.op, job.status, `${job.attempt}/${job.max_attempts}`, time(job.updated_at)]) cell(row, value);
    }
    listCursor = page.cursor ?? null;
    $("#list-more").hidden = !listCursor;
  } catch (error) {
    setStatus(error.message, true);
  }
}

async function refresh() {
  try {
    await refreshOverview();
    await refreshBots();
    await refreshDead();
    const shown = $("#job-detail").dataset.jobId;
    if (shown) await showJob(shown);
    $("#updated-at").textContent = `updated ${new Date().toLocaleTimeString()}`;
    if (refreshFailed) setStatus("", false);
    refreshFailed = false;
  } catch (error) {
    refreshFailed = true;
    setStatus(error.message, true);
  }
}

$("#key-form").addEventListener("submit", event => {
  event.preventDefault();
  sessionStorage.setItem(keyStorage, $("#api-key").value);
  $("#key-prompt").hidden = true;
  setStatus("key set", false);
  refresh();
});
$("#job-form").addEventListener("submit", event => { event.preventDefault(); const id = $("#job-id").value.trim(); if (id) showJob(id); });
$("#cancel-job").addEventListener("click", async () => {
  const id = $("#job-detail").dataset.jobId;
  if (!id || !confirm(`Cancel ${id}?`)) return;
  try {
    const job = await api("POST", `v1/jobs/${encodeURIComponent(id)}/cancel`);
    setStatus(job.status === "cancelled" ? `cancelled ${id}` : `cancel of ${id} sent to its bot`, false);
    await showJob(id);
  } catch (error) {
    setStatus(error.message, true);
  }
});
$("#list-jobs").addEventListener("click", () => listJobs(false));
$("#list-more").addEventListener("click", () => listJobs(true));
$("#dead-op").addEventListener("change", refreshDead);
$("#dead-select-all").addEventListener("change", event => {
  for (const box of document.querySelectorAll("#dead-table tbody input")) box.checked = event.target.checked;
  updateSelectionButtons();
});
$("#requeue-selected").addEventListener("click", () => bulk("requeue", false));
$("#discard-selected").addEventListener("click", () => bulk("discard", false));
$("#requeue-all").addEventListener("click", () => bulk("requeue", true));
$("#discard-all").addEventListener("click", () => bulk("discard", true));

refresh();
setInterval(refresh, refreshMs);
