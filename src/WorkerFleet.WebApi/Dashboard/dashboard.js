// The operations dashboard. It reads and drives the service only through its public HTTP API and the Quartz HTTP
// API, with the key the operator enters. This module signs in and out and runs the refresh loop; each panel is a
// module of its own under modules/.
import { createApi } from "./modules/api.js";
import { synchronise } from "./modules/clock.js";
import { absolute } from "./modules/format.js";
import { $ } from "./modules/dom.js";
import { createSchedulerView } from "./modules/scheduler.js";
import { createFleetView } from "./modules/fleet.js";
import { createAlarmsView } from "./modules/alarms.js";
import { createDetailView } from "./modules/detail.js";
import { createActivityView } from "./modules/activity.js";
import { createTrendsView } from "./modules/trends.js";

const refreshEvery = 5000;
const keyStorage = "workerfleet.dashboard.key";

const session = { key: sessionStorage.getItem(keyStorage), admin: false };
let timer = null;
let updatedAt = null;
// Each refresh takes a number; a slower, older one never renders over a newer one or starts a second loop.
let generation = 0;

const api = createApi({ key: () => session.key, onUnauthorized: () => signOut("The key was not accepted. Sign in again.") });
const refreshSoon = (delay = 300) => {
  clearTimeout(timer);
  timer = setTimeout(refresh, delay);
};
const scheduler = createSchedulerView({ api, session, refreshSoon });
const detail = createDetailView({ api, session, refreshSoon });
const fleet = createFleetView({ api, refreshSoon, openWorker: (id) => detail.open(id) });
const alarms = createAlarmsView({ api, session, refreshSoon });
const activity = createActivityView({ api, openWorker: (id) => detail.open(id) });
const trends = createTrendsView({ api });

async function refresh() {
  clearTimeout(timer);
  const current = ++generation;
  const isCurrent = () => current === generation;
  const [caller, jobs, workers, report, shown, charts] = await Promise.allSettled(
    [loadCaller(), scheduler.load(isCurrent), fleet.load(isCurrent), alarms.load(), detail.load(), trends.load()]);
  if (!session.key || !isCurrent()) return;

  const failures = [caller, jobs, workers, report, shown, charts].filter((r) => r.status === "rejected").map((r) => r.reason);
  const unreachable = failures.find((f) => f.status === 0);
  const problems = unreachable ? [unreachable.message] : [...new Set(failures.map((f) => f.message))];
  alarms.show(problems, report.status === "fulfilled" ? report.value : { alarms: [], overrides: [] });
  // The feed's relative times move on with the rest of the page.
  activity.render();
  if (failures.length === 0) updatedAt = new Date();
  const since = updatedAt ? absolute(updatedAt) : "never";
  const every = `${refreshEvery / 1000} s`;
  if (unreachable) $("connection").textContent = `Offline: showing data from ${since}, retrying every ${every}`;
  else if (failures.length > 0) $("connection").textContent = `Partly out of date: complete data from ${since}, retrying every ${every}`;
  else $("connection").textContent = `Updated ${since} · refreshes every ${every}`;
  document.body.classList.toggle("stale", Boolean(unreachable));
  timer = setTimeout(refresh, refreshEvery);
}

async function loadCaller() {
  const sentAt = Date.now();
  const caller = await api.request("/me");
  synchronise(caller.serverTime, sentAt, Date.now());
  return caller;
}

async function signIn(key) {
  session.key = key;
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
  session.admin = caller.roles.includes("admin");
  $("role").textContent = `Signed in as ${caller.name}${session.admin ? "" : " (read only)"}`;
  $("sign-in").hidden = true;
  $("session").hidden = false;
  $("content").hidden = false;
  activity.start();
  await refresh();
}

function signOut(message) {
  clearTimeout(timer);
  activity.stop();
  sessionStorage.removeItem(keyStorage);
  session.key = null;
  session.admin = false;
  scheduler.reset();
  $("key").value = "";
  $("sign-in").hidden = false;
  $("session").hidden = true;
  $("content").hidden = true;
  alarms.clear();
  $("connection").textContent = message || "Signed out";
  detail.close();
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
  fleet.wire();
  detail.wire();
  activity.wire();
}

wire();
fleet.restore();
activity.restore();
if (session.key) signIn(session.key);
else $("key").focus();
