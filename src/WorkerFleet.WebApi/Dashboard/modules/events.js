// The journal's events as the dashboard reads and shows them: labels, filters, the bounded live feed, where the feed
// starts, and a worker's timeline page by page. No DOM, so each function is tested with node --test.
import { durationOf } from "./format.js";

export const eventTypes = ["registered", "status-changed", "token-rotated", "unregistered", "cordoned", "uncordoned"];

// The wire names ("status-changed", "stale-detection") read as words.
export const eventTypeLabel = (type) => type.replaceAll("-", " ");
export const triggerLabel = (trigger) => (trigger ? trigger.replaceAll("-", " ") : "");

// What the event did to the worker's status: "Active → Offline", "→ Pending" for a registration, "Active → removed"
// for an unregistration; empty when the status did not change (a token rotation).
export function transitionText({ from, to }) {
  if (from && to) return `${from} → ${to}`;
  if (to) return `→ ${to}`;
  if (from) return `${from} → removed`;
  return "";
}

// For a scheduled status change, how far the last heartbeat was from the cutoff the job judged it by: the reason
// gives both instants, this says the distance between them at a glance.
export function heartbeatMargin({ lastHeartbeatAt, cutoff }) {
  if (!cutoff) return "";
  if (!lastHeartbeatAt) return "no heartbeat yet";
  const margin = Date.parse(lastHeartbeatAt) - Date.parse(cutoff);
  if (margin === 0) return "heartbeat at the cutoff";
  return `heartbeat ${durationOf(margin)} ${margin < 0 ? "before" : "after"} the cutoff`;
}

// The feed's filters: a worker id prefix (case-sensitive, like the fleet's id search) and one event type.
export function matchesFilter(event, { workerId = "", type = "" }) {
  return (!type || event.type === type) && event.workerId.startsWith(workerId);
}

// The feed after new events arrive: newest first, each event once, at most `size` of them.
export function addToFeed(feed, events, size) {
  const known = new Set(feed.map((event) => event.sequence));
  const fresh = events.filter((event) => !known.has(event.sequence));
  if (fresh.length === 0) return feed;
  return [...fresh, ...feed].sort((a, b) => b.sequence - a.sequence).slice(0, size);
}

// The event a stream message carries; null for a message that is not an event.
export function eventOf(message) {
  try {
    const event = JSON.parse(message.data);
    return event && Number.isSafeInteger(event.sequence) && typeof event.workerId === "string" ? event : null;
  } catch {
    return null;
  }
}

// Where the feed's stream starts, given the newest sequence written: `size` sequences before it, so the panel opens
// with recent history instead of replaying the days of journal that retention keeps. Gaps in the sequences (rolled-back
// transactions) can make that fewer than `size` events: only less history, never a missed live event.
export const streamStart = (latest, size) => Math.max(0, latest - size);

// A worker's timeline, newest first, as pages of GET /workers/{id}/events arrive. `nextCursor` is where the older
// events continue. A fresh first page adds what happened since; if all of it is new and more lies behind it, the
// events between it and what is shown are unknown, so the timeline starts again from that page.
export function mergeNewest(timeline, page) {
  if (timeline.items.length === 0) return { items: page.items, nextCursor: page.nextCursor };
  const newestShown = timeline.items[0].sequence;
  const fresh = page.items.filter((event) => event.sequence > newestShown);
  if (fresh.length === 0) return timeline;
  if (fresh.length === page.items.length && page.nextCursor) return { items: page.items, nextCursor: page.nextCursor };
  return { items: [...fresh, ...timeline.items], nextCursor: timeline.nextCursor };
}

// The timeline with the next older page after it.
export function appendOlder(timeline, page) {
  const oldestShown = timeline.items.length > 0 ? timeline.items[timeline.items.length - 1].sequence : Infinity;
  return {
    items: [...timeline.items, ...page.items.filter((event) => event.sequence < oldestShown)],
    nextCursor: page.nextCursor,
  };
}
