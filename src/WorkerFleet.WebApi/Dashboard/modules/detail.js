// The worker detail: its facts, its timeline of events (newest first, older ones page by page) and its heartbeat
// history. It stays current while open: each refresh reads it again and adds the events that happened since. A worker
// that unregistered has no facts or heartbeats any more, but its timeline is kept until retention removes it. An admin
// acts on the worker from here.
import { actionButton } from "./actions.js";
import { pathOf, query } from "./api.js";
import { $, badge, element, focusByKey, keepingFocus, moment, reconcile } from "./dom.js";
import { appendOlder, eventTypeLabel, mergeNewest, transitionText, triggerLabel } from "./events.js";

const timelinePage = 20;
const bySequence = (item) => item.dataset.sequence;

function timelineItem(event) {
  const item = element("li");
  item.dataset.sequence = String(event.sequence);
  item.dataset.type = event.type;
  const line = element("span", null, "what");
  line.append(badge(eventTypeLabel(event.type), `event-${event.type}`));
  const change = transitionText(event);
  if (change) line.append(" ", element("span", change, "change"));
  if (event.trigger) line.append(" · ", element("span", triggerLabel(event.trigger), "trigger"));
  line.append(" · by ", element("span", event.actor, "actor"), " ", moment(event.at));
  item.append(line, element("span", event.reason, "reason"));
  return item;
}

export function createDetailView({ api, session, refreshSoon }) {
  let workerId = null;
  let timeline = { items: [], nextCursor: null };
  let loadingOlder = false;

  const eventsOf = (id, cursor) => api.request(`/workers/${pathOf(id)}/events${query({ limit: timelinePage, cursor })}`);
  // null for a worker that is not registered (any more); the timeline's own 404 still says when nothing is known of it.
  const unlessUnregistered = (request) => request.catch((error) => (error.status === 404 ? null : Promise.reject(error)));

  async function open(id) {
    workerId = id;
    timeline = { items: [], nextCursor: null };
    $("detail-title").textContent = `Worker ${id}`;
    $("detail-facts").replaceChildren();
    $("detail-actions").replaceChildren();
    $("detail-actions").hidden = true;
    $("detail-token").hidden = true;
    $("detail-timeline").replaceChildren();
    $("detail-timeline-summary").textContent = "Loading…";
    $("detail-timeline-older").hidden = true;
    $("detail-history").replaceChildren();
    $("detail-history-summary").textContent = "Loading…";
    $("worker-detail").showModal();
    await load().catch((error) => {
      $("detail-timeline-summary").textContent = error.message;
      $("detail-history-summary").textContent = error.message;
    });
  }

  async function load() {
    if (!workerId || !$("worker-detail").open) return;
    const id = workerId;
    const [worker, newest, history] = await Promise.all([
      unlessUnregistered(api.request(`/workers/${pathOf(id)}`)),
      eventsOf(id, null),
      unlessUnregistered(api.request(`/workers/${pathOf(id)}/heartbeats?limit=50`)),
    ]);
    if (workerId !== id) return;

    const facts = worker === null ? [["Status", badge("Unregistered", "event-unregistered")]] : [
      ["Status", badge(worker.status)],
      ["Scheduling", worker.schedulable ? "Schedulable" : badge("Cordoned", "cordoned")],
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

    renderActions(worker);
    timeline = mergeNewest(timeline, newest);
    renderTimeline();

    const beats = (history?.heartbeats ?? []).map((h) => new Date(h)).sort((a, b) => b - a);
    $("detail-history-summary").textContent = history === null
      ? "Unregistered: its heartbeat history went with it."
      : beats.length
        ? `The latest ${beats.length} heartbeat(s), newest first, with the gap to the one before.`
        : "No heartbeat recorded yet.";
    reconcile($("detail-history"), beats.map((beat, index) => {
      const item = element("li");
      item.dataset.at = beat.toISOString();
      item.append(moment(beat.toISOString()));
      if (index + 1 < beats.length) {
        item.append(element("span", `+${((beat - beats[index + 1]) / 1000).toFixed(1)} s`, "muted gap"));
      }
      return item;
    }), (item) => item.dataset.at);
  }

  // An admin's changes of the worker, each confirmed first: fail it (only from the status shown, so a sweep in between
  // is not overruled), take it out of scheduling or return it, rotate its token (shown here once, to hand to the
  // worker), unregister it.
  function renderActions(worker) {
    const actions = $("detail-actions");
    actions.hidden = !session.admin || worker === null;
    if (actions.hidden) {
      actions.replaceChildren();
      return;
    }

    const path = `/workers/${pathOf(worker.id)}`;
    const buttons = [];
    if (worker.status !== "Failed") {
      buttons.push(actionButton({
        label: "Fail", question: `Mark ${worker.id} Failed? Failed is final: no job moves it again.`,
        run: () => api.request(`${path}/status`, "PUT", { status: "Failed", expectedStatus: worker.status }),
        done: `${worker.id} is Failed.`, focusKey: `fail:${worker.id}`, name: `Fail ${worker.id}`, refreshSoon,
      }));
    }
    buttons.push(worker.schedulable
      ? actionButton({
        label: "Cordon", question: `Take ${worker.id} out of scheduling? It keeps its status and its heartbeats; selections for schedulable workers stop finding it.`,
        run: () => api.request(`${path}/schedulable`, "PUT", { schedulable: false, reason: "Cordoned from the dashboard" }),
        done: `${worker.id} was taken out of scheduling.`, focusKey: `schedulable:${worker.id}`, name: `Cordon ${worker.id}`, refreshSoon,
      })
      : actionButton({
        label: "Uncordon", question: `Return ${worker.id} to scheduling?`,
        run: () => api.request(`${path}/schedulable`, "PUT", { schedulable: true }),
        done: `${worker.id} was returned to scheduling.`, focusKey: `schedulable:${worker.id}`, name: `Uncordon ${worker.id}`, refreshSoon,
      }));
    buttons.push(actionButton({
      label: "Rotate token", question: `Issue ${worker.id} a new token? Its current token stops working at once.`,
      run: async () => showToken(worker.id, (await api.request(`${path}/token`, "POST")).token),
      done: `${worker.id} has a new token.`, focusKey: `rotate:${worker.id}`, name: `Rotate the token of ${worker.id}`, refreshSoon,
    }));
    buttons.push(actionButton({
      label: "Unregister", question: `Unregister ${worker.id}? It and its heartbeat history are removed; its events stay.`,
      run: () => api.request(path, "DELETE"),
      done: `${worker.id} was unregistered.`, focusKey: `unregister:${worker.id}`, name: `Unregister ${worker.id}`, refreshSoon,
    }));
    // Fresh buttons each time: each one acts on the worker as this refresh read it.
    keepingFocus(() => actions.replaceChildren(...buttons));
  }

  function showToken(id, token) {
    const shown = $("detail-token");
    shown.replaceChildren(`New token of ${id}, shown this once: `, element("code", token));
    shown.hidden = false;
  }

  function renderTimeline() {
    const count = timeline.items.length;
    $("detail-timeline-summary").textContent = count === 0
      ? "No events recorded."
      : `${count} event(s), newest first${timeline.nextCursor ? "; older ones follow" : ""}.`;
    reconcile($("detail-timeline"), timeline.items.map(timelineItem), bySequence);
    $("detail-timeline-older").hidden = !timeline.nextCursor;
  }

  async function loadOlder() {
    const id = workerId;
    if (!id || !timeline.nextCursor || loadingOlder) return;
    const list = $("detail-timeline");
    const older = $("detail-timeline-older");
    loadingOlder = true;
    list.setAttribute("aria-busy", "true");
    try {
      const page = await eventsOf(id, timeline.nextCursor);
      if (workerId !== id) return;
      timeline = appendOlder(timeline, page);
      const focused = document.activeElement === older;
      renderTimeline();
      // The button goes once the oldest event is shown; the operator stays in the list instead of on the page.
      if (focused && older.hidden) list.focus();
    } catch (error) {
      $("detail-timeline-summary").textContent = error.message;
    } finally {
      loadingOlder = false;
      list.removeAttribute("aria-busy");
    }
  }

  function wire() {
    $("detail-close").addEventListener("click", () => $("worker-detail").close());
    $("detail-timeline-older").addEventListener("click", loadOlder);
    // The button that opened the detail may have been replaced meanwhile: focus goes back to its successor.
    $("worker-detail").addEventListener("close", () => {
      const opener = `worker:${workerId}`;
      workerId = null;
      focusByKey(opener);
    });
  }

  function close() {
    if ($("worker-detail").open) $("worker-detail").close();
  }

  return { open, load, wire, close };
}
