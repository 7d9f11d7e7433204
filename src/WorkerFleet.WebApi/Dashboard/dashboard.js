// The operations dashboard. It reads and drives the service only through its public HTTP API and the Quartz
// HTTP API, with the key the operator enters; it renders every value as text, never as markup.
"use strict";

(() => {
  const refreshEvery = 5000;
  const quartz = "/quartz-api/schedulers";
  const keyStorage = "workerfleet.dashboard.key";
  const statuses = ["Pending", "Active", "Offline", "Failed"];

  const $ = (id) => document.getElementById(id);
  const state = {
    key: sessionStorage.getItem(keyStorage),
    admin: false,
    scheduler: null,
    openHistories: new Set(),
    filter: { status: "", idPrefix: "", limit: 50 },
    cursors: [null],
    nextCursor: null,
    counts: null,
    detailId: null,
    updatedAt: null,
    timer: null,
    // Each refresh takes a number; a slower, older one never renders over a newer one or starts a second loop.
    generation: 0,
    // The service's clock minus this browser's, so "12 s ago" is counted in the service's time.
    clockOffset: 0,
  };

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  // ---- HTTP ----

  async function api(path, method = "GET", body = undefined) {
    const headers = { Authorization: `Bearer ${state.key}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method,
        cache: "no-store",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(`The WorkerFleet API cannot be reached (${error.message}).`, 0);
    }

    if (response.status === 401) {
      signOut("The key was not accepted. Sign in again.");
      throw new ApiError("Not signed in.", 401);
    }

    const text = await response.text();
    const answer = text ? parseJson(text) : null;
    if (!response.ok) {
      // A validation problem names what is wrong per field; that is what the operator needs to read.
      const fieldErrors = answer && answer.errors ? Object.values(answer.errors).flat().join(" ") : "";
      const detail = fieldErrors || (answer && (answer.detail || answer.title));
      throw new ApiError(detail || `The API answered ${response.status} ${response.statusText}.`, response.status);
    }
    return answer;
  }

  function parseJson(text) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  const query = (values) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) {
      if (value !== null && value !== undefined && value !== "") params.set(name, String(value));
    }
    const text = params.toString();
    return text ? `?${text}` : "";
  };

  const path = (...parts) => parts.map(encodeURIComponent).join("/");

  // ---- Formatting ----

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function relative(date, now = Date.now() + state.clockOffset) {
    const seconds = Math.round((date.getTime() - now) / 1000);
    const size = Math.abs(seconds);
    let amount;
    if (size < 1) return "now";
    if (size < 90) amount = `${size} s`;
    else if (size < 90 * 60) amount = `${Math.round(size / 60)} min`;
    else if (size < 36 * 3600) amount = `${Math.round(size / 3600)} h`;
    else amount = `${Math.round(size / 86400)} d`;
    return seconds < 0 ? `${amount} ago` : `in ${amount}`;
  }

  function absolute(date) {
    const sameDay = date.toDateString() === new Date().toDateString();
    return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
  }

  // A moment as "12 s ago" with the absolute time beside it and the exact instant in the tooltip.
  function moment(iso, empty = "—") {
    if (!iso) return element("span", empty, "muted");
    const date = new Date(iso);
    const time = element("time", relative(date), "relative");
    time.dateTime = date.toISOString();
    time.title = date.toISOString();
    const wrapper = element("span", null, "moment");
    wrapper.append(time, element("span", absolute(date), "absolute"));
    return wrapper;
  }

  // Quartz writes durations as TimeSpan constants: [d.]hh:mm:ss[.fffffff].
  function duration(text) {
    if (!text) return "—";
    const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) return text;
    const [, days, hours, minutes, seconds, fraction] = match;
    const ms = ((Number(days || 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60000
      + Number(seconds) * 1000 + Number(`0.${fraction || 0}`) * 1000;
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
    return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
  }

  function describeCron(expression) {
    try {
      return window.cronstrue.toString(expression, { use24HourTimeFormat: true });
    } catch {
      return "";
    }
  }

  // Names each cell after its column, so the stacked phone layout can still say what each value is.
  function labelCells(table, row) {
    const headings = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
    [...row.cells].forEach((cell, index) => {
      if (headings[index]) cell.dataset.label = headings[index];
    });
    return row;
  }

  // Every refresh rebuilds the tables. Controls carry a stable focus key, so the control the operator was on is
  // focused again in the rebuilt table instead of focus falling back to the page.
  function focusByKey(key) {
    const target = key && document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (target && target !== document.activeElement) target.focus();
  }

  function keepingFocus(render) {
    const key = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
    render();
    focusByKey(key);
  }

  const badge = (text, kind) => element("span", text, `badge badge-${String(kind || text).toLowerCase()}`);

  // ---- Notices ----

  function toast(message, isError = false) {
    const node = $("toast");
    node.textContent = message;
    node.classList.toggle("error", isError);
    node.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { node.hidden = true; }, 8000);
  }

  function showBanners(problems, report) {
    const container = $("banners");
    container.replaceChildren();
    for (const message of problems) {
      const banner = element("div", null, "banner banner-error");
      banner.setAttribute("role", "alert");
      banner.append(element("strong", "Problem: "), element("span", message));
      container.append(banner);
    }
    for (const alarm of report.alarms) {
      const banner = element("div", null, "banner banner-alarm");
      banner.setAttribute("role", "alert");
      banner.dataset.alarm = alarm.name;
      if (alarm.region) banner.dataset.region = alarm.region;
      const title = alarm.region ? `${alarmTitle(alarm.name)} in ${alarm.region}: ` : `${alarmTitle(alarm.name)}: `;
      banner.append(element("strong", title), element("span", alarm.message), " ",
        element("span", `(since ${absolute(new Date(alarm.since))})`, "muted"));
      const armed = report.overrides.find((o) => o.region === alarm.region || o.region === null);
      if (armed) {
        banner.append(" ", element("span",
          `Override armed by ${armed.armedBy} at ${absolute(new Date(armed.armedAt))}, lapses unused at ${absolute(new Date(armed.expiresAt))}.`,
          "override-armed"));
      } else if (state.admin && alarm.name === "mass-failure") {
        banner.append(" ", actionButton("Override once",
          `Let the next stale-detection run mark the stale workers of ${alarm.region} Offline, even though the protection holds?`,
          () => api(`/alarms/mass-failure/override?region=${encodeURIComponent(alarm.region)}`, "POST"),
          `The next stale-detection run will mark the stale workers of ${alarm.region} Offline.`, `override-${alarm.region}`,
          `Override mass-failure protection in ${alarm.region}`));
      }
      container.append(banner);
    }
  }

  const alarmTitle = (name) => ({
    "mass-failure": "Mass-failure protection",
    "storage-unavailable": "Storage unavailable",
  })[name] || name;

  // ---- Confirmation and actions ----

  function confirmAction(message) {
    const dialog = $("confirm");
    $("confirm-message").textContent = message;
    return new Promise((resolve) => {
      const finish = (answer) => {
        $("confirm-ok").onclick = null;
        $("confirm-cancel").onclick = null;
        dialog.onclose = null;
        if (dialog.open) dialog.close();
        resolve(answer);
      };
      $("confirm-ok").onclick = () => finish(true);
      $("confirm-cancel").onclick = () => finish(false);
      dialog.onclose = () => finish(false);
      dialog.showModal();
      $("confirm-cancel").focus();
    });
  }

  function actionButton(label, question, run, done, focusKey, accessibleName) {
    const button = element("button", label, "action");
    button.type = "button";
    button.dataset.focusKey = focusKey;
    if (accessibleName) button.setAttribute("aria-label", accessibleName);
    button.addEventListener("click", async () => {
      if (!(await confirmAction(question))) return;
      button.disabled = true;
      try {
        await run();
        toast(done);
      } catch (error) {
        toast(`Failed: ${error.message}`, true);
      } finally {
        button.disabled = false;
        focusByKey(focusKey);
        refreshSoon();
      }
    });
    return button;
  }

  // ---- Scheduler ----

  const superseded = (generation) => generation !== state.generation;

  // The service runs one scheduler; its name is looked up once per sign-in.
  async function schedulerName() {
    if (!state.scheduler) {
      const schedulers = await api(quartz);
      const running = schedulers.find((s) => s.status === "Running") || schedulers[0];
      state.scheduler = running ? running.name : null;
    }
    return state.scheduler;
  }

  async function loadScheduler(generation) {
    const name = await schedulerName();
    if (!name) {
      $("scheduler-summary").textContent = "No scheduler runs in this service.";
      $("jobs").tBodies[0].replaceChildren();
      return;
    }

    const base = `${quartz}/${path(name)}`;
    const [details, jobs, triggers, statusesOfJobs] = await Promise.all([
      api(base),
      api(`${base}/jobs?take=500`),
      api(`${base}/triggers?take=1000`),
      api(`${base}/history/job-status?take=500`),
    ]);
    // The listing has each trigger's state and fire times; one fetch by key adds the cron expressions. Only cron
    // triggers are fetched: a "trigger now" trigger may be gone by the time it is asked for.
    const crons = triggers.items.filter((t) => t.triggerType === "CRON").map((t) => ({ name: t.name, group: t.group }));
    const schedules = crons.length === 0 ? [] : await api(`${base}/triggers/fetch`, "POST", crons);
    const histories = await Promise.all(jobs.items.map((job) =>
      state.openHistories.has(jobId(job)) ? loadHistory(base, job) : null));

    if (superseded(generation)) return;
    const started = details.statistics && details.statistics.runningSince;
    $("scheduler-summary").textContent = `${details.name} is ${details.status.toLowerCase()}`
      + (started ? ` since ${absolute(new Date(started))}` : "")
      + ` · ${jobs.items.length} job(s) · ${details.jobStore.clustered ? "clustered" : "single instance"}`;

    const rows = [];
    jobs.items.forEach((job, index) => {
      const jobTriggers = triggers.items.filter((t) => t.jobGroup === job.group && t.jobName === job.name);
      const status = statusesOfJobs.items.find((s) => s.job.group === job.group && s.job.name === job.name);
      rows.push(jobRow(base, job, jobTriggers, schedules, status));
      if (histories[index]) rows.push(historyRow(histories[index]));
    });
    keepingFocus(() => $("jobs").tBodies[0].replaceChildren(...rows));
  }

  const jobId = (job) => `${job.group}.${job.name}`;

  // A job's own schedule is its cron trigger; a "trigger now" adds a one-off trigger that must not hide it.
  function scheduleOf(triggers, schedules) {
    const cron = schedules.find((t) => t.cronExpressionString
      && triggers.some((own) => own.group === t.key.group && own.name === t.key.name));
    const own = cron && triggers.find((t) => t.group === cron.key.group && t.name === cron.key.name);
    return { cron, trigger: own || triggers[0] };
  }

  function jobRow(base, job, triggers, schedules, status) {
    const row = element("tr");
    row.dataset.job = jobId(job);
    const { cron, trigger } = scheduleOf(triggers, schedules);

    const name = element("td", null, "job");
    name.append(element("strong", job.name), element("span", job.group, "muted group"),
      element("span", job.description || "", "description"));

    const schedule = element("td", null, "schedule");
    if (cron) {
      schedule.append(element("code", cron.cronExpressionString), element("span", describeCron(cron.cronExpressionString), "words"));
      if (cron.timeZone) schedule.append(element("span", cron.timeZone, "muted"));
    } else {
      schedule.append(element("span", "No schedule", "muted"));
    }

    const triggerState = trigger ? trigger.state : "None";
    const stateCell = element("td", null, "state");
    stateCell.append(badge(triggerState));

    const previous = element("td", null, "previous-fire");
    previous.append(moment(trigger && trigger.previousFireTimeUtc, "never"));
    const next = element("td", null, "next-fire");
    // Quartz keeps a paused trigger's next fire time, but it will not fire until resumed.
    next.append(triggerState === "Paused" ? element("span", "paused", "muted") : moment(trigger && trigger.nextFireTimeUtc, "none"));

    const last = element("td", null, "last-run");
    if (status) {
      last.append(badge(status.lastResult), " ", element("span", duration(status.lastDuration), "duration"),
        element("span", status.lastFailureMessage && status.lastResult === "Failed" ? status.lastFailureMessage : status.lastSummary || "", "summary"),
        element("span", `${status.runCount} run(s), ${status.failureCount} failed`, "muted"));
      if (status.consecutiveFailures > 0) last.append(element("span", `${status.consecutiveFailures} failed in a row`, "failing"));
    } else {
      last.append(element("span", "Not run yet", "muted"));
    }

    const actions = element("td", null, "actions");
    const historyOpen = state.openHistories.has(jobId(job));
    const toggle = element("button", historyOpen ? "Hide history" : "History", "action secondary");
    toggle.type = "button";
    toggle.dataset.focusKey = `history:${jobId(job)}`;
    toggle.setAttribute("aria-expanded", String(historyOpen));
    toggle.setAttribute("aria-label", `${historyOpen ? "Hide" : "Show"} run history of ${job.name}`);
    toggle.addEventListener("click", () => {
      if (historyOpen) state.openHistories.delete(jobId(job));
      else state.openHistories.add(jobId(job));
      refreshSoon(0);
    });
    actions.append(toggle);

    if (state.admin) {
      const jobPath = `${base}/jobs/${path(job.group, job.name)}`;
      actions.append(actionButton("Trigger now", `Run ${job.name} now, outside its schedule?`,
        () => api(`${jobPath}/trigger`, "POST"), `${job.name} was triggered; its outcome appears under Last run.`,
        `trigger:${jobId(job)}`, `Trigger ${job.name} now`));
      actions.append(triggerState === "Paused"
        ? actionButton("Resume", `Resume ${job.name}? It fires again on its schedule.`,
          () => api(`${jobPath}/resume`, "POST"), `${job.name} was resumed.`, `pause:${jobId(job)}`, `Resume ${job.name}`)
        : actionButton("Pause", `Pause ${job.name}? It will not fire until it is resumed.`,
          () => api(`${jobPath}/pause`, "POST"), `${job.name} was paused.`, `pause:${jobId(job)}`, `Pause ${job.name}`));
    }

    row.append(name, schedule, stateCell, previous, next, last, actions);
    return labelCells($("jobs"), row);
  }

  async function loadHistory(base, job) {
    const filter = query({ jobGroup: job.group, jobName: job.name, take: 20 });
    const [executions, misfires] = await Promise.all([
      api(`${base}/history/executions${filter}`),
      api(`${base}/history/misfires${filter}`),
    ]);
    const entries = [
      ...executions.items.map((e) => ({ at: e.firedAtUtc, execution: e })),
      ...misfires.items.map((m) => ({ at: m.scheduledFireTimeUtc || m.misfiredAtUtc, misfire: m })),
    ];
    entries.sort((a, b) => new Date(b.at) - new Date(a.at));
    return { job, entries: entries.slice(0, 20) };
  }

  function historyRow({ job, entries }) {
    const row = element("tr", null, "history-row");
    row.dataset.historyOf = jobId(job);
    const cell = element("td");
    cell.colSpan = 7;
    if (entries.length === 0) {
      cell.append(element("p", `${job.name} has no recorded runs yet.`, "muted"));
    } else {
      const table = element("table", null, "runs");
      const caption = element("caption", `Latest runs of ${job.name}`);
      const head = element("thead");
      const headings = element("tr");
      for (const title of ["Fired", "Kind", "Result", "Duration", "Moved", "Details", "Node"]) {
        const th = element("th", title);
        th.scope = "col";
        headings.append(th);
      }
      head.append(headings);
      const body = element("tbody");
      for (const entry of entries) body.append(runRow(entry));
      table.append(caption, head, body);
      cell.append(table);
    }
    row.append(cell);
    return row;
  }

  const misfireReasons = {
    Missed: "The scheduler could not fire it in time and applied the trigger's misfire instruction.",
    Overlap: "Dropped: the previous run was still going.",
    Vetoed: "Vetoed by a trigger listener.",
  };

  function runRow({ at, execution, misfire }) {
    const row = element("tr");
    const fired = element("td");
    fired.append(moment(at));
    const result = element("td");
    if (misfire) {
      row.className = "misfire";
      result.append(badge("Misfired", "failed"));
      row.append(fired, element("td", "Misfire"), result, element("td", "—"), element("td", "—"),
        element("td", misfireReasons[misfire.reason] || misfire.reason), element("td", misfire.schedulerInstanceId));
      return row;
    }

    result.append(badge(execution.result || (execution.succeeded ? "Succeeded" : "Failed")));
    const moved = execution.metrics && execution.metrics.moved !== undefined ? execution.metrics.moved : "—";
    row.append(fired, element("td", execution.manual ? "Manual" : "Scheduled"), result,
      element("td", duration(execution.duration)), element("td", moved),
      element("td", execution.exceptionMessage || execution.summary || ""), element("td", execution.schedulerInstanceId));
    return row;
  }

  // ---- Fleet ----

  async function loadFleet(generation) {
    const { status, idPrefix, limit } = state.filter;
    const cursor = state.cursors[state.cursors.length - 1];
    const [counts, page] = await Promise.all([
      api("/workers/counts"),
      api(`/workers${query({ status, idPrefix, limit, cursor })}`),
    ]);
    if (superseded(generation)) return;
    state.counts = counts;
    state.nextCursor = page.nextCursor;
    renderCounts(counts);
    renderWorkers(page.items);
    renderPager(page.items.length);
  }

  function renderCounts(counts) {
    const cards = [["All", counts.total, ""], ...statuses.map((s) => [s, counts[s.toLowerCase()], s])];
    keepingFocus(() => $("counts").replaceChildren(...cards.map(([label, count, value]) => {
      const card = element("button", null, `card card-${(value || "all").toLowerCase()}`);
      card.type = "button";
      card.dataset.focusKey = `card:${value || "all"}`;
      card.dataset.status = value || "all";
      card.setAttribute("aria-pressed", String(state.filter.status === value));
      card.append(element("span", count.toLocaleString(), "count"), element("span", label, "label"));
      card.addEventListener("click", () => setFilter({ status: value }));
      return card;
    })));
    $("fleet-summary").textContent = `${counts.total.toLocaleString()} worker(s) registered`;
  }

  function renderWorkers(workers) {
    const body = $("workers").tBodies[0];
    if (workers.length === 0) {
      const row = element("tr");
      const cell = element("td", "No worker matches these filters.", "muted empty");
      cell.colSpan = 6;
      row.append(cell);
      body.replaceChildren(row);
      return;
    }

    keepingFocus(() => body.replaceChildren(...workers.map((worker) => {
      const row = element("tr");
      row.dataset.worker = worker.id;
      const id = element("td");
      const open = element("button", worker.id, "link");
      open.type = "button";
      open.setAttribute("aria-label", `Details of worker ${worker.id}`);
      open.dataset.focusKey = `worker:${worker.id}`;
      open.addEventListener("click", () => openDetail(worker.id));
      id.append(open);
      const statusCell = element("td", null, "status");
      statusCell.append(badge(worker.status));
      const heartbeat = element("td", null, "last-heartbeat");
      heartbeat.append(moment(worker.lastHeartbeatAt, "never"));
      row.append(id, element("td", worker.region), element("td", worker.capacity, "number"),
        element("td", worker.capabilities.join(", ")), statusCell, heartbeat);
      return labelCells($("workers"), row);
    })));
  }

  function renderPager(shown) {
    const index = state.cursors.length - 1;
    const { limit, status, idPrefix } = state.filter;
    const from = index * limit + (shown ? 1 : 0);
    const to = index * limit + shown;
    const total = !idPrefix && state.counts ? (status ? state.counts[status.toLowerCase()] : state.counts.total) : null;
    $("page-label").textContent = shown === 0
      ? `Page ${index + 1} · no workers`
      : `Page ${index + 1} · ${from.toLocaleString()}–${to.toLocaleString()}` + (total !== null ? ` of ${total.toLocaleString()}` : "");
    $("first-page").disabled = index === 0;
    $("previous-page").disabled = index === 0;
    $("next-page").disabled = !state.nextCursor;
  }

  function setFilter(change) {
    Object.assign(state.filter, change);
    $("status-filter").value = state.filter.status;
    $("id-filter").value = state.filter.idPrefix;
    $("page-size").value = String(state.filter.limit);
    state.cursors = [null];
    saveFilter();
    refreshSoon(0);
  }

  // Filters live in the address fragment, so a reload or a shared link keeps them; the key never goes there.
  function saveFilter() {
    const { status, idPrefix, limit } = state.filter;
    history.replaceState(null, "", `#${new URLSearchParams({ status, id: idPrefix, limit }).toString()}`);
  }

  function restoreFilter() {
    const saved = new URLSearchParams(location.hash.slice(1));
    const status = saved.get("status");
    const limit = Number(saved.get("limit"));
    state.filter.status = statuses.includes(status) ? status : "";
    state.filter.idPrefix = saved.get("id") || "";
    state.filter.limit = [25, 50, 100].includes(limit) ? limit : 50;
    $("status-filter").value = state.filter.status;
    $("id-filter").value = state.filter.idPrefix;
    $("page-size").value = String(state.filter.limit);
  }

  // ---- Worker detail ----

  async function openDetail(id) {
    state.detailId = id;
    $("detail-title").textContent = `Worker ${id}`;
    $("detail-facts").replaceChildren();
    $("detail-history").replaceChildren();
    $("detail-history-summary").textContent = "Loading…";
    $("worker-detail").showModal();
    await loadDetail().catch((error) => { $("detail-history-summary").textContent = error.message; });
  }

  async function loadDetail() {
    if (!state.detailId || !$("worker-detail").open) return;
    const id = state.detailId;
    const [worker, history] = await Promise.all([
      api(`/workers/${encodeURIComponent(id)}`),
      api(`/workers/${encodeURIComponent(id)}/heartbeats?limit=50`),
    ]);
    if (state.detailId !== id) return;

    const facts = [
      ["Status", badge(worker.status)],
      ["Region", worker.region],
      ["Capacity", worker.capacity],
      ["Capabilities", worker.capabilities.join(", ") || "none"],
      ["Registered", moment(worker.registeredAt)],
      ["Last heartbeat", moment(worker.lastHeartbeatAt, "never")],
      ...Object.entries(worker.metadata).map(([name, value]) => [`Metadata: ${name}`, value]),
    ];
    $("detail-facts").replaceChildren(...facts.flatMap(([term, value]) => {
      const description = element("dd");
      description.append(value instanceof Node ? value : String(value));
      return [element("dt", term), description];
    }));

    const beats = history.heartbeats.map((h) => new Date(h)).sort((a, b) => b - a);
    $("detail-history-summary").textContent = beats.length
      ? `The latest ${beats.length} heartbeat(s), newest first, with the gap to the one before.`
      : "No heartbeat recorded yet.";
    $("detail-history").replaceChildren(...beats.map((beat, index) => {
      const item = element("li");
      item.append(moment(beat.toISOString()));
      if (index + 1 < beats.length) {
        item.append(element("span", `+${((beat - beats[index + 1]) / 1000).toFixed(1)} s`, "muted gap"));
      }
      return item;
    }));
  }

  // ---- Alarms ----

  const loadAlarms = () => api("/alarms");

  // ---- Refresh loop ----

  async function refresh() {
    clearTimeout(state.timer);
    const generation = ++state.generation;
    const [caller, scheduler, fleet, alarms, detail] = await Promise.allSettled(
      [loadCaller(), loadScheduler(generation), loadFleet(generation), loadAlarms(), loadDetail()]);
    if (!state.key || superseded(generation)) return;

    const failures = [caller, scheduler, fleet, alarms, detail].filter((r) => r.status === "rejected").map((r) => r.reason);
    const unreachable = failures.find((f) => f.status === 0);
    const problems = unreachable ? [unreachable.message] : [...new Set(failures.map((f) => f.message))];
    showBanners(problems, alarms.status === "fulfilled" ? alarms.value : { alarms: [], overrides: [] });
    if (failures.length === 0) state.updatedAt = new Date();
    const since = state.updatedAt ? absolute(state.updatedAt) : "never";
    const every = `${refreshEvery / 1000} s`;
    if (unreachable) $("connection").textContent = `Offline: showing data from ${since}, retrying every ${every}`;
    else if (failures.length > 0) $("connection").textContent = `Partly out of date: complete data from ${since}, retrying every ${every}`;
    else $("connection").textContent = `Updated ${since} · refreshes every ${every}`;
    document.body.classList.toggle("stale", Boolean(unreachable));
    state.timer = setTimeout(refresh, refreshEvery);
  }

  function refreshSoon(delay = 300) {
    clearTimeout(state.timer);
    state.timer = setTimeout(refresh, delay);
  }

  // ---- Session ----

  async function loadCaller() {
    const sentAt = Date.now();
    const caller = await api("/me");
    state.clockOffset = Date.parse(caller.serverTime) - (sentAt + Date.now()) / 2;
    return caller;
  }

  async function signIn(key) {
    state.key = key;
    let caller;
    try {
      caller = await loadCaller();
    } catch (error) {
      if (error.status !== 401) {
        signOut(error.message);
      }
      return;
    }

    if (!caller.roles.includes("admin") && !caller.roles.includes("reader")) {
      signOut("That key cannot read the fleet: use an admin or reader key.");
      return;
    }

    sessionStorage.setItem(keyStorage, key);
    state.admin = caller.roles.includes("admin");
    $("role").textContent = state.admin ? "Signed in as admin" : "Signed in as reader (read only)";
    $("sign-in").hidden = true;
    $("session").hidden = false;
    $("content").hidden = false;
    await refresh();
  }

  function signOut(message) {
    clearTimeout(state.timer);
    sessionStorage.removeItem(keyStorage);
    state.key = null;
    state.admin = false;
    state.scheduler = null;
    $("key").value = "";
    $("sign-in").hidden = false;
    $("session").hidden = true;
    $("content").hidden = true;
    $("banners").replaceChildren();
    $("connection").textContent = message || "Signed out";
    if ($("worker-detail").open) $("worker-detail").close();
    $("key").focus();
  }

  function wire() {
    $("sign-in").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("key").value.trim();
      $("key").value = "";
      if (key) signIn(key);
    });
    $("sign-out").addEventListener("click", () => signOut());
    $("status-filter").addEventListener("change", (event) => setFilter({ status: event.target.value }));
    $("page-size").addEventListener("change", (event) => setFilter({ limit: Number(event.target.value) }));
    let typing;
    $("id-filter").addEventListener("input", (event) => {
      clearTimeout(typing);
      typing = setTimeout(() => setFilter({ idPrefix: event.target.value.trim() }), 300);
    });
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    $("first-page").addEventListener("click", () => { state.cursors = [null]; refreshSoon(0); });
    $("previous-page").addEventListener("click", () => { state.cursors.pop(); refreshSoon(0); });
    $("next-page").addEventListener("click", () => {
      if (state.nextCursor) state.cursors.push(state.nextCursor);
      refreshSoon(0);
    });
    $("detail-close").addEventListener("click", () => $("worker-detail").close());
    // The button that opened the detail may have been rebuilt meanwhile: focus goes back to its successor.
    $("worker-detail").addEventListener("close", () => {
      const opener = `worker:${state.detailId}`;
      state.detailId = null;
      focusByKey(opener);
    });
  }

  wire();
  restoreFilter();
  if (state.key) signIn(state.key);
  else $("key").focus();
})();
