// The Activity panel: the fleet's events as they happen, newest first, the latest ones only, filtered by worker id
// and event type. It reads GET /events/stream with fetch(), so the key goes in the Authorization header.
import { ApiError, query } from "./api.js";
import { $, badge, element, labelCells, moment, reconcile } from "./dom.js";
import {
  addToFeed, eventOf, eventTypeLabel, eventTypes, heartbeatMargin, matchesFilter, streamStart, transitionText, triggerLabel,
} from "./events.js";
import { durationOf } from "./format.js";
import { readFragment, writeFragment } from "./fragment.js";
import { followStream } from "./sse.js";

// The feed keeps this many events; older ones drop off the bottom.
const feedSize = 200;
const rowKey = (row) => row.dataset.sequence || "";

export function createActivityView({ api, openWorker }) {
  const filter = { workerId: "", type: "" };
  let feed = [];
  let following = null;

  // The feed starts with the latest events, then follows the new ones: a one-event page says the newest sequence.
  async function startPosition(signal) {
    const page = await api.request(`/events${query({ limit: 1 })}`, "GET", undefined, { signal });
    return streamStart(page.latest, feedSize);
  }

  function start() {
    stop();
    const controller = new AbortController();
    following = controller;
    render();
    $("activity-status").textContent = "Connecting…";
    let after = null;
    followStream({
      signal: controller.signal,
      open: async (lastEventId, signal) => {
        after ??= await startPosition(signal);
        try {
          return await api.stream(`/events/stream${query({ after })}`, { lastEventId, signal });
        } catch (error) {
          // 410: retention deleted events after where the feed stands. The panel shows recent activity, so it goes on
          // from the oldest event kept.
          if (!(error instanceof ApiError) || error.status !== 410) throw error;
          after = 0;
          return api.stream(`/events/stream${query({ after })}`, { signal });
        }
      },
      onMessages: (messages) => {
        feed = addToFeed(feed, messages.map(eventOf).filter(Boolean), feedSize);
        render();
      },
      onState: ({ state, delay, error }) => {
        $("activity-status").textContent = state === "live"
          ? "Live"
          : error
            ? `Reconnecting in ${durationOf(delay)}: ${error.message}`
            : `The stream ended; reconnecting in ${durationOf(delay)}`;
      },
    });
  }

  // Signing out ends the stream and forgets what it showed.
  function stop() {
    if (following) following.abort();
    following = null;
    feed = [];
    $("activity-status").textContent = "";
  }

  function render() {
    const shown = feed.filter((event) => matchesFilter(event, filter));
    const filtered = filter.workerId || filter.type;
    $("activity-summary").textContent = feed.length === 0
      ? `The latest ${feedSize} events show here as they happen.`
      : `The latest ${feed.length} event(s), newest first` + (filtered ? `; ${shown.length} match the filters.` : ".");
    const body = $("events").tBodies[0];
    if (shown.length === 0) {
      const row = element("tr");
      const cell = element("td", feed.length === 0 ? "No events yet." : "No event matches these filters.", "muted empty");
      cell.colSpan = 7;
      row.append(cell);
      reconcile(body, [row], rowKey);
      return;
    }
    reconcile(body, shown.map(eventRow), rowKey);
  }

  function eventRow(event) {
    const row = element("tr");
    row.dataset.sequence = String(event.sequence);
    row.dataset.workerId = event.workerId;
    row.dataset.type = event.type;
    const at = element("td", null, "at");
    at.append(moment(event.at));
    const type = element("td", null, "type");
    type.append(badge(eventTypeLabel(event.type), `event-${event.type}`));
    const reason = element("td", null, "reason");
    reason.append(element("span", event.reason, "sentence"));
    const margin = heartbeatMargin(event);
    if (margin) reason.append(element("span", margin, "muted margin"));
    // The worker may have unregistered since: its detail still shows its timeline.
    const worker = element("td", null, "worker");
    const open = element("button", event.workerId, "link");
    open.type = "button";
    open.setAttribute("aria-label", `Timeline of worker ${event.workerId}`);
    open.addEventListener("click", () => openWorker(event.workerId));
    worker.append(open);
    row.append(at, worker, type, element("td", transitionText(event) || "—", "change"),
      element("td", triggerLabel(event.trigger) || "—", "trigger"), element("td", event.actor, "actor"), reason);
    return labelCells($("events"), row);
  }

  function setFilter(change) {
    Object.assign(filter, change);
    writeFragment({ "activity-worker": filter.workerId, "activity-type": filter.type });
    render();
  }

  function restore() {
    const saved = readFragment();
    const type = saved.get("activity-type");
    filter.workerId = saved.get("activity-worker") || "";
    filter.type = eventTypes.includes(type) ? type : "";
    $("activity-worker").value = filter.workerId;
    $("activity-type").value = filter.type;
  }

  function wire() {
    $("activity-worker").addEventListener("input", (event) => setFilter({ workerId: event.target.value.trim() }));
    $("activity-type").addEventListener("change", (event) => setFilter({ type: event.target.value }));
    $("activity-filters").addEventListener("submit", (event) => event.preventDefault());
  }

  return { start, stop, render, restore, wire };
}
