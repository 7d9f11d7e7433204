// The Scheduler panel: every Quartz job with its schedule, trigger state, fire times, last run, its run history on
// demand and, for an admin, pause, resume and trigger now.
import { pathOf, query } from "./api.js";
import { $, badge, element, keepingFocus, labelCells, moment, reconcile } from "./dom.js";
import { absolute, describeCron, duration } from "./format.js";
import { actionButton } from "./actions.js";

const quartz = "/quartz-api/schedulers";

const misfireReasons = {
  Missed: "The scheduler could not fire it in time and applied the trigger's misfire instruction.",
  Overlap: "Dropped: the previous run was still going.",
  Vetoed: "Vetoed by a trigger listener.",
};

const jobId = (job) => `${job.group}.${job.name}`;
const rowKey = (row) => (row.dataset.job ? `job:${row.dataset.job}` : `history:${row.dataset.historyOf}`);

// A job's own schedule is its cron trigger; a "trigger now" adds a one-off trigger that must not hide it.
function scheduleOf(triggers, schedules) {
  const cron = schedules.find((t) => t.cronExpressionString
    && triggers.some((own) => own.group === t.key.group && own.name === t.key.name));
  const own = cron && triggers.find((t) => t.group === cron.key.group && t.name === cron.key.name);
  return { cron, trigger: own || triggers[0] };
}

export function createSchedulerView({ api, session, refreshSoon }) {
  const openHistories = new Set();
  let scheduler = null;

  // The service runs one scheduler; its name is looked up once per sign-in.
  async function schedulerName() {
    if (!scheduler) {
      const schedulers = await api.request(quartz);
      const running = schedulers.find((s) => s.status === "Running") || schedulers[0];
      scheduler = running ? running.name : null;
    }
    return scheduler;
  }

  async function load(isCurrent) {
    const name = await schedulerName();
    if (!name) {
      $("scheduler-summary").textContent = "No scheduler runs in this service.";
      $("jobs").tBodies[0].replaceChildren();
      return;
    }

    const base = `${quartz}/${pathOf(name)}`;
    const [details, jobs, triggers, statusesOfJobs] = await Promise.all([
      api.request(base),
      api.request(`${base}/jobs?take=500`),
      api.request(`${base}/triggers?take=1000`),
      api.request(`${base}/history/job-status?take=500`),
    ]);
    // The listing has each trigger's state and fire times; one fetch by key adds the cron expressions. Only cron
    // triggers are fetched: a "trigger now" trigger may be gone by the time it is asked for.
    const crons = triggers.items.filter((t) => t.triggerType === "CRON").map((t) => ({ name: t.name, group: t.group }));
    const schedules = crons.length === 0 ? [] : await api.request(`${base}/triggers/fetch`, "POST", crons);
    const [histories, changes] = await Promise.all([
      Promise.all(jobs.items.map((job) => (openHistories.has(jobId(job)) ? loadHistory(base, job) : null))),
      Promise.all(jobs.items.map((job) => lastChange(base, job))),
    ]);

    if (!isCurrent()) return;
    const started = details.statistics && details.statistics.runningSince;
    $("scheduler-summary").textContent = `${details.name} is ${details.status.toLowerCase()}`
      + (started ? ` since ${absolute(new Date(started))}` : "")
      + ` · ${jobs.items.length} job(s) · ${details.jobStore.clustered ? "clustered" : "single instance"}`;

    const rows = [];
    jobs.items.forEach((job, index) => {
      const jobTriggers = triggers.items.filter((t) => t.jobGroup === job.group && t.jobName === job.name);
      const status = statusesOfJobs.items.find((s) => s.job.group === job.group && s.job.name === job.name);
      rows.push(jobRow(base, job, jobTriggers, schedules, status, changes[index]));
      if (histories[index]) rows.push(historyRow(histories[index]));
    });
    keepingFocus(() => reconcile($("jobs").tBodies[0], rows, rowKey));
  }

  function jobRow(base, job, triggers, schedules, status, change) {
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
      // A run that moved nothing, or failed, is the last run; the last one that changed something stays in view.
      if (status.lastResult !== "Succeeded") last.append(changeLine(change));
    } else {
      last.append(element("span", "Not run yet", "muted"));
    }

    const actions = element("td", null, "actions");
    const historyOpen = openHistories.has(jobId(job));
    const toggle = element("button", historyOpen ? "Hide history" : "History", "action secondary");
    toggle.type = "button";
    toggle.dataset.focusKey = `history:${jobId(job)}`;
    toggle.setAttribute("aria-expanded", String(historyOpen));
    toggle.setAttribute("aria-label", `${historyOpen ? "Hide" : "Show"} run history of ${job.name}`);
    toggle.addEventListener("click", () => {
      if (historyOpen) openHistories.delete(jobId(job));
      else openHistories.add(jobId(job));
      refreshSoon(0);
    });
    actions.append(toggle);

    if (session.admin) {
      const jobPath = `${base}/jobs/${pathOf(job.group, job.name)}`;
      actions.append(actionButton({
        label: "Trigger now", question: `Run ${job.name} now, outside its schedule?`,
        run: () => api.request(`${jobPath}/trigger`, "POST"), done: `${job.name} was triggered; its outcome appears under Last run.`,
        focusKey: `trigger:${jobId(job)}`, name: `Trigger ${job.name} now`, refreshSoon,
      }));
      actions.append(triggerState === "Paused"
        ? actionButton({
          label: "Resume", question: `Resume ${job.name}? It fires again on its schedule.`,
          run: () => api.request(`${jobPath}/resume`, "POST"), done: `${job.name} was resumed.`,
          focusKey: `pause:${jobId(job)}`, name: `Resume ${job.name}`, refreshSoon,
        })
        : actionButton({
          label: "Pause", question: `Pause ${job.name}? It will not fire until it is resumed.`,
          run: () => api.request(`${jobPath}/pause`, "POST"), done: `${job.name} was paused.`,
          focusKey: `pause:${jobId(job)}`, name: `Pause ${job.name}`, refreshSoon,
        }));
    }

    row.append(name, schedule, stateCell, previous, next, last, actions);
    return labelCells($("jobs"), row);
  }

  // The newest run of the job that changed something: a run succeeds only when it moved workers (or deleted events).
  async function lastChange(base, job) {
    const runs = await api.request(`${base}/history/executions${query({ jobGroup: job.group, jobName: job.name, results: "Succeeded", take: 1 })}`);
    return runs.items[0] || null;
  }

  function changeLine(change) {
    const line = element("span", null, "last-change");
    if (!change) {
      line.append("No run has changed anything yet.");
      return line;
    }
    line.append("Last change ", moment(change.firedAtUtc), change.summary || "");
    return line;
  }

  async function loadHistory(base, job) {
    const filter = query({ jobGroup: job.group, jobName: job.name, take: 20 });
    const [executions, misfires] = await Promise.all([
      api.request(`${base}/history/executions${filter}`),
      api.request(`${base}/history/misfires${filter}`),
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

  // The next sign-in looks the scheduler up again.
  function reset() {
    scheduler = null;
  }

  return { load, reset };
}
