// Server-Sent Events read with fetch(), because EventSource cannot send the Authorization header and the key must
// never go in an address. This is EventSource's reading and reconnecting, written out: the parser follows the
// event-stream format of the HTML standard, and followStream reconnects after the stream's retry: interval, resuming
// after the last event received with Last-Event-ID.

// A parser for one connection. push() takes the text of each read, which may end anywhere (inside a field, or
// between the CR and LF of one line ending), and returns the messages whose frames it completed:
// { id, type, data }. A frame without data is no message, but its id: still counts.
export function createSseParser(lastEventId = "") {
  let pending = "";
  let skipLineFeed = false;
  let started = false;
  let idBuffer = lastEventId;
  let dispatchedId = lastEventId;
  let type = "";
  let data = [];
  let retry = null;

  function dispatch(messages) {
    dispatchedId = idBuffer;
    if (data.length > 0) messages.push({ id: dispatchedId, type: type || "message", data: data.join("\n") });
    data = [];
    type = "";
  }

  function readLine(line, messages) {
    if (line === "") {
      dispatch(messages);
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") type = value;
    else if (field === "id" && !value.includes("\0")) idBuffer = value;
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  }

  return {
    push(chunk) {
      let text = pending + chunk;
      if (skipLineFeed && text.startsWith("\n")) text = text.slice(1);
      skipLineFeed = false;
      if (!started && text.length > 0) {
        started = true;
        if (text.startsWith("\uFEFF")) text = text.slice(1);
      }
      const messages = [];
      let start = 0;
      for (let index = 0; index < text.length; index++) {
        const character = text[index];
        if (character !== "\n" && character !== "\r") continue;
        readLine(text.slice(start, index), messages);
        if (character === "\r") {
          if (index + 1 === text.length) skipLineFeed = true;
          else if (text[index + 1] === "\n") index++;
        }
        start = index + 1;
      }
      pending = text.slice(start);
      return messages;
    },
    // The id the next connection resumes after: the last one a completed frame carried.
    get lastEventId() { return dispatchedId; },
    // The reconnection delay the stream asked for, in milliseconds; null until it asks.
    get retry() { return retry; },
  };
}

// Reads a response body to its end, handing the messages of each read to onMessages. Characters split across
// reads are decoded whole.
export async function readSse(body, parser, onMessages) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const messages = parser.push(decoder.decode(value, { stream: true }));
    if (messages.length > 0) onMessages(messages);
  }
}

// Follows a stream until the signal aborts: open(lastEventId, signal) resolves to a response body; when the body ends
// or anything fails, the next connection follows `retry` milliseconds later (or what the stream's retry: field said),
// resuming after the last event received. onState hears "live" when a connection opens and "reconnecting" (with
// the delay and the error, if any) when it closes.
export async function followStream({ open, onMessages, onState, signal, retry = 1000, wait = pause }) {
  let lastEventId = "";
  let delay = retry;
  while (!signal.aborted) {
    const parser = createSseParser(lastEventId);
    let failure = null;
    try {
      const body = await open(lastEventId, signal);
      onState({ state: "live" });
      await readSse(body, parser, onMessages);
    } catch (error) {
      failure = error;
    }
    lastEventId = parser.lastEventId;
    delay = parser.retry ?? delay;
    if (signal.aborted) return;
    onState({ state: "reconnecting", delay, error: failure });
    await wait(delay, signal);
  }
}

function pause(milliseconds, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    signal.addEventListener("abort", done);
  });
}
