import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  addToFeed, appendOlder, eventOf, eventTypeLabel, eventTypes, heartbeatMargin, matchesFilter, mergeNewest,
  streamStart, transitionText, triggerLabel,
} from "../modules/events.js";

const event = (sequence, fields = {}) => ({
  sequence, at: "2026-03-01T12:00:00Z", workerId: `worker-${sequence}`, type: "registered", from: null, to: "Pending",
  trigger: null, actor: "registration key", reason: "Registered by registration key.", lastHeartbeatAt: null, cutoff: null,
  ...fields,
});

describe("labels", () => {
  test("event types and triggers read as words", () => {
    assert.deepEqual(eventTypes.map(eventTypeLabel), ["registered", "status changed", "token rotated", "unregistered", "cordoned", "uncordoned"]);
    assert.equal(triggerLabel("stale-detection"), "stale detection");
    assert.equal(triggerLabel("operator"), "operator");
    assert.equal(triggerLabel(null), "");
  });

  test("the transition shows where a status went from and to", () => {
    assert.equal(transitionText({ from: "Active", to: "Offline" }), "Active → Offline");
    assert.equal(transitionText({ from: null, to: "Pending" }), "→ Pending");
    assert.equal(transitionText({ from: "Failed", to: null }), "Failed → removed");
    assert.equal(transitionText({ from: null, to: null }), "");
  });

  test("the heartbeat margin says how far the last heartbeat was from the cutoff", () => {
    assert.equal(heartbeatMargin({ lastHeartbeatAt: "2026-12-02T03:09:41.1182Z", cutoff: "2026-12-02T03:10:00.004312Z" }),
      "heartbeat 18.9 s before the cutoff");
    assert.equal(heartbeatMargin({ lastHeartbeatAt: "2026-12-02T03:12:00Z", cutoff: "2026-12-02T03:10:00Z" }),
      "heartbeat 2 min 0 s after the cutoff");
    assert.equal(heartbeatMargin({ lastHeartbeatAt: "2026-12-02T03:10:00Z", cutoff: "2026-12-02T03:10:00Z" }), "heartbeat at the cutoff");
    assert.equal(heartbeatMargin({ lastHeartbeatAt: null, cutoff: "2026-12-02T03:10:00Z" }), "no heartbeat yet");
  });

  test("there is no heartbeat margin for a change no job judged", () => {
    assert.equal(heartbeatMargin({ lastHeartbeatAt: null, cutoff: null }), "");
  });
});

describe("filtering", () => {
  const failed = event(3, { workerId: "gpu-7", type: "status-changed", from: "Pending", to: "Failed" });

  test("no filter keeps every event", () => {
    assert.equal(matchesFilter(failed, { workerId: "", type: "" }), true);
  });

  test("the type must be the event's", () => {
    assert.equal(matchesFilter(failed, { type: "status-changed" }), true);
    assert.equal(matchesFilter(failed, { type: "registered" }), false);
  });

  test("the worker id is a case-sensitive prefix", () => {
    assert.equal(matchesFilter(failed, { workerId: "gpu" }), true);
    assert.equal(matchesFilter(failed, { workerId: "gpu-7" }), true);
    assert.equal(matchesFilter(failed, { workerId: "GPU" }), false);
    assert.equal(matchesFilter(failed, { workerId: "pu-7" }), false);
  });

  test("both filters must match", () => {
    assert.equal(matchesFilter(failed, { workerId: "gpu", type: "status-changed" }), true);
    assert.equal(matchesFilter(failed, { workerId: "gpu", type: "unregistered" }), false);
    assert.equal(matchesFilter(failed, { workerId: "cpu", type: "status-changed" }), false);
  });
});

describe("the live feed", () => {
  const sequences = (feed) => feed.map((e) => e.sequence);

  test("puts the newest event first", () => {
    assert.deepEqual(sequences(addToFeed([event(2), event(1)], [event(3), event(4)], 10)), [4, 3, 2, 1]);
  });

  test("keeps only the newest events up to its size", () => {
    const feed = addToFeed([], [1, 2, 3, 4, 5].map((s) => event(s)), 3);
    assert.deepEqual(sequences(feed), [5, 4, 3]);
    assert.deepEqual(sequences(addToFeed(feed, [event(6)], 3)), [6, 5, 4]);
  });

  test("shows an event it already has once", () => {
    const feed = [event(2), event(1)];
    assert.equal(addToFeed(feed, [event(2)], 10), feed);
    assert.deepEqual(sequences(addToFeed(feed, [event(2), event(3)], 10)), [3, 2, 1]);
  });

  test("reads an event from a stream message, and nothing from any other message", () => {
    assert.deepEqual(eventOf({ data: JSON.stringify(event(7)) }), event(7));
    assert.equal(eventOf({ data: "not json" }), null);
    assert.equal(eventOf({ data: "{\"hello\":1}" }), null);
    assert.equal(eventOf({ data: "null" }), null);
  });
});

describe("streamStart", () => {
  test("starts the given number of sequences before the newest", () => {
    assert.equal(streamStart(12_345, 200), 12_145);
  });

  test("starts at the beginning of a journal shorter than that", () => {
    assert.equal(streamStart(150, 200), 0);
    assert.equal(streamStart(0, 200), 0);
  });
});

describe("a worker's timeline", () => {
  const page = (sequences, nextCursor = null) => ({ items: sequences.map((s) => event(s)), nextCursor });
  const sequences = (timeline) => timeline.items.map((e) => e.sequence);
  const empty = { items: [], nextCursor: null };

  test("starts as its first page", () => {
    const timeline = mergeNewest(empty, page([5, 4, 3], "c3"));
    assert.deepEqual(sequences(timeline), [5, 4, 3]);
    assert.equal(timeline.nextCursor, "c3");
  });

  test("adds the events that happened since to the top and keeps the older pages it has", () => {
    const shown = appendOlder(mergeNewest(empty, page([5, 4, 3], "c3")), page([2, 1]));
    const timeline = mergeNewest(shown, page([7, 6, 5], "c5"));
    assert.deepEqual(sequences(timeline), [7, 6, 5, 4, 3, 2, 1]);
    assert.equal(timeline.nextCursor, null);
  });

  test("stays as it is when nothing happened", () => {
    const shown = mergeNewest(empty, page([5, 4, 3], "c3"));
    assert.equal(mergeNewest(shown, page([5, 4, 3], "c3")), shown);
  });

  test("starts again from a fresh page that is all new with more behind it, so no gap is hidden", () => {
    const shown = mergeNewest(empty, page([3, 2, 1]));
    const timeline = mergeNewest(shown, page([9, 8, 7], "c7"));
    assert.deepEqual(sequences(timeline), [9, 8, 7]);
    assert.equal(timeline.nextCursor, "c7");
  });

  test("adds a fresh page that is all new but complete on top of what it has", () => {
    const shown = mergeNewest(empty, page([3, 2, 1]));
    assert.deepEqual(sequences(mergeNewest(shown, page([5, 4]))), [5, 4, 3, 2, 1]);
  });

  test("pages to older events and knows when the oldest is shown", () => {
    let timeline = mergeNewest(empty, page([6, 5], "c5"));
    timeline = appendOlder(timeline, page([4, 3], "c3"));
    assert.deepEqual(sequences(timeline), [6, 5, 4, 3]);
    assert.equal(timeline.nextCursor, "c3");
    timeline = appendOlder(timeline, page([3, 2, 1]));
    assert.deepEqual(sequences(timeline), [6, 5, 4, 3, 2, 1]);
    assert.equal(timeline.nextCursor, null);
  });
});
