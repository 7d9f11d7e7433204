import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createSseParser, followStream, readSse } from "../modules/sse.js";

const encoder = new TextEncoder();

// A response body that delivers these byte chunks, then ends.
function bodyOf(...chunks) {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

// Every message of a text pushed in pieces of `size` characters.
function parseInPieces(text, size) {
  const parser = createSseParser();
  const messages = [];
  for (let start = 0; start < text.length; start += size) messages.push(...parser.push(text.slice(start, start + size)));
  return { messages, parser };
}

const frames = "retry: 1000\n\n"
  + "id: 1\nevent: registered\ndata: {\"sequence\":1}\n\n"
  + ": keep-alive\n\n"
  + "id: 2\nevent: status-changed\ndata: {\"sequence\":2}\n\n";

describe("the event-stream parser", () => {
  test("reads id, event and data, and ends a frame at a blank line", () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push(frames), [
      { id: "1", type: "registered", data: "{\"sequence\":1}" },
      { id: "2", type: "status-changed", data: "{\"sequence\":2}" },
    ]);
    assert.equal(parser.lastEventId, "2");
    assert.equal(parser.retry, 1000);
  });

  test("gives the same messages however the text is cut into reads", () => {
    const whole = createSseParser().push(frames);
    for (const size of [1, 2, 3, 7, 16]) {
      assert.deepEqual(parseInPieces(frames, size).messages, whole, `pieces of ${size}`);
    }
  });

  test("holds a frame back until its blank line arrives", () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push("id: 5\nevent: registered\ndata: {\"seq"), []);
    assert.deepEqual(parser.push("uence\":5}\n"), []);
    assert.deepEqual(parser.push("\n"), [{ id: "5", type: "registered", data: "{\"sequence\":5}" }]);
  });

  test("ignores comments, also inside a frame", () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push(": keep-alive\n\n:\n\nid: 3\n: between fields\ndata: x\n\n"), [{ id: "3", type: "message", data: "x" }]);
  });

  test("joins data lines with line feeds and keeps an empty data line", () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push("data: first\ndata: second\n\ndata:\n\n"), [
      { id: "", type: "message", data: "first\nsecond" },
      { id: "", type: "message", data: "" },
    ]);
  });

  test("takes one space after the colon away and keeps the rest of the value", () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push("data:no space\n\ndata:  two spaces\n\ndata: a: b\n\n").map((m) => m.data),
      ["no space", " two spaces", "a: b"]);
  });

  test("accepts CRLF and CR line endings, even a CRLF split between reads", () => {
    const crlf = frames.replaceAll("\n", "\r\n");
    const cr = frames.replaceAll("\n", "\r");
    const expected = createSseParser().push(frames);
    assert.deepEqual(createSseParser().push(crlf), expected);
    assert.deepEqual(createSseParser().push(cr), expected);
    for (const size of [1, 2, 5]) assert.deepEqual(parseInPieces(crlf, size).messages, expected, `CRLF in pieces of ${size}`);
  });

  test("skips a byte order mark at the start of the stream only", () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push("\uFEFFdata: a\n\n"), [{ id: "", type: "message", data: "a" }]);
    assert.deepEqual(parser.push("\uFEFFdata: b\n\n"), []);
  });

  test("keeps the last id for the frames after it, and takes the id of a frame without data", () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push("id: 7\ndata: a\n\ndata: b\n\nid: 9\n\n").map((m) => m.id), ["7", "7"]);
    assert.equal(parser.lastEventId, "9");
  });

  test("does not take the id of a frame the stream ends inside", () => {
    const parser = createSseParser("4");
    parser.push("id: 5\ndata: half");
    assert.equal(parser.lastEventId, "4");
  });

  test("ignores an id with a NUL character and a retry that is not a number", () => {
    const parser = createSseParser("1");
    parser.push("id: 2\0\nretry: soon\ndata: x\n\n");
    assert.equal(parser.lastEventId, "1");
    assert.equal(parser.retry, null);
  });

  test("ignores fields it does not know and reads a line without a colon as a field", () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push("unknown: x\ndata\n\n"), [{ id: "", type: "message", data: "" }]);
  });
});

describe("reading a body", () => {
  test("decodes a character split between reads", async () => {
    const bytes = encoder.encode("data: Zürich → Genève\n\n");
    const cut = bytes.indexOf(0xc3) + 1;
    const messages = [];
    await readSse(bodyOf(bytes.slice(0, cut), bytes.slice(cut)), createSseParser(), (m) => messages.push(...m));
    assert.deepEqual(messages.map((m) => m.data), ["Zürich → Genève"]);
  });
});

describe("following a stream", () => {
  test("reconnects after the stream ends, after its retry interval, resuming after the last event received", async () => {
    const controller = new AbortController();
    const opened = [];
    const waits = [];
    const received = [];
    const bodies = [
      () => bodyOf("retry: 250\n\n", "id: 1\nevent: registered\ndata: one\n\n", "id: 2\nevent: registered\ndata: two\n\nid: 3\ndata: cut off"),
      () => bodyOf("id: 3\nevent: status-changed\ndata: three\n\n"),
    ];
    await followStream({
      signal: controller.signal,
      open: async (lastEventId) => {
        opened.push(lastEventId);
        return bodies[opened.length - 1]();
      },
      onMessages: (messages) => {
        received.push(...messages.map((m) => m.data));
        if (received.length === 3) controller.abort();
      },
      onState: () => {},
      wait: async (delay) => { waits.push(delay); },
    });
    assert.deepEqual(opened, ["", "2"]);
    assert.deepEqual(waits, [250]);
    assert.deepEqual(received, ["one", "two", "three"]);
  });

  test("retries a connection that fails, with the same last event id, and says why it is reconnecting", async () => {
    const controller = new AbortController();
    const opened = [];
    const states = [];
    await followStream({
      signal: controller.signal,
      retry: 1000,
      open: async (lastEventId) => {
        opened.push(lastEventId);
        if (opened.length === 1) return bodyOf("id: 8\ndata: x\n\n");
        if (opened.length === 2) throw new Error("The WorkerFleet API cannot be reached");
        controller.abort();
        return bodyOf();
      },
      onMessages: () => {},
      onState: (state) => states.push(state.state === "live" ? "live" : `${state.state} ${state.delay} ${state.error ? state.error.message : "ended"}`),
      wait: async () => {},
    });
    assert.deepEqual(opened, ["", "8", "8"]);
    assert.deepEqual(states, ["live", "reconnecting 1000 ended", "reconnecting 1000 The WorkerFleet API cannot be reached", "live"]);
  });

  test("stops at once when the signal aborts during the wait", async () => {
    const controller = new AbortController();
    let opened = 0;
    const following = followStream({
      signal: controller.signal,
      open: async () => { opened++; return bodyOf(); },
      onMessages: () => {},
      onState: () => {},
      retry: 60_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await following;
    assert.equal(opened, 1);
  });
});
