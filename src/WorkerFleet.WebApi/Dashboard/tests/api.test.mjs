import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, createApi, pathOf, problemMessage, query } from "../modules/api.js";
import { mergeFragment } from "../modules/fragment.js";

describe("addresses", () => {
  test("the query string holds only the values that are set", () => {
    assert.equal(query({ status: "Active", idPrefix: "", limit: 50, cursor: null, after: 0, more: undefined }), "?status=Active&limit=50&after=0");
    assert.equal(query({ cursor: null }), "");
    assert.equal(query({ idPrefix: "a b&c" }), "?idPrefix=a+b%26c");
  });

  test("each path segment is escaped", () => {
    assert.equal(pathOf("lifecycle", "job/name?"), "lifecycle/job%2Fname%3F");
  });
});

describe("what a refusal says", () => {
  test("a validation problem says what is wrong with each field", () => {
    const problem = { title: "Invalid request", detail: "One or more fields are invalid.",
      errors: { idPrefix: ["idPrefix must be 1–128 characters."], limit: ["limit must be 1–1000.", "limit is odd."] } };
    assert.equal(problemMessage(400, "Bad Request", problem), "idPrefix must be 1–128 characters. limit must be 1–1000. limit is odd.");
  });

  test("any other problem gives its detail, else its title", () => {
    assert.equal(problemMessage(503, "Service Unavailable", { title: "Storage unavailable", detail: "The database did not answer." }),
      "The database did not answer.");
    assert.equal(problemMessage(403, "Forbidden", { title: "Forbidden" }), "Forbidden");
  });

  test("an answer without a problem gives the status", () => {
    assert.equal(problemMessage(502, "Bad Gateway", null), "The API answered 502 Bad Gateway.");
  });
});

// A fetch that records each call and answers with the next of the given responses.
function fakeFetch(...answers) {
  const calls = [];
  const send = async (path, init) => {
    calls.push({ path, init });
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { send, calls };
}

const json = (status, body, statusText = "") =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, statusText, headers: { "Content-Type": "application/json" } });

describe("the API client", () => {
  const key = "test-admin-key-0123456789abcdef0123456789";

  test("sends the key as a bearer header and never in the address", async () => {
    const { send, calls } = fakeFetch(json(200, { roles: ["admin"] }));
    const api = createApi({ key: () => key, onUnauthorized: () => assert.fail("signed out"), fetch: send });
    assert.deepEqual(await api.request("/me"), { roles: ["admin"] });
    assert.equal(calls[0].init.headers.Authorization, `Bearer ${key}`);
    assert.equal(calls[0].init.method, "GET");
    assert.ok(!calls[0].path.includes(key));
  });

  test("sends a body as JSON", async () => {
    const { send, calls } = fakeFetch(json(200, []));
    const api = createApi({ key: () => key, onUnauthorized: () => {}, fetch: send });
    await api.request("/quartz-api/schedulers/S/triggers/fetch", "POST", [{ name: "n", group: "g" }]);
    assert.equal(calls[0].init.method, "POST");
    assert.equal(calls[0].init.headers["Content-Type"], "application/json");
    assert.equal(calls[0].init.body, "[{\"name\":\"n\",\"group\":\"g\"}]");
  });

  test("answers null for an empty answer", async () => {
    const { send } = fakeFetch(new Response(null, { status: 202 }));
    const api = createApi({ key: () => key, onUnauthorized: () => {}, fetch: send });
    assert.equal(await api.request("/alarms/mass-failure/override?region=eu", "POST"), null);
  });

  test("sends nothing without a key", async () => {
    const { send, calls } = fakeFetch();
    const api = createApi({ key: () => null, onUnauthorized: () => assert.fail("signed out"), fetch: send });
    await assert.rejects(api.request("/workers"), (error) => error instanceof ApiError && error.status === 401);
    assert.equal(calls.length, 0);
  });

  test("signs the operator out on a 401", async () => {
    let signedOut = 0;
    const { send } = fakeFetch(json(401, undefined));
    const api = createApi({ key: () => key, onUnauthorized: () => { signedOut++; }, fetch: send });
    await assert.rejects(api.request("/workers"), (error) => error.status === 401);
    assert.equal(signedOut, 1);
  });

  test("keeps the operator signed in on a 403 and says what the service said", async () => {
    const { send } = fakeFetch(json(403, { title: "Forbidden", detail: "A reader key cannot pause a job." }, "Forbidden"));
    const api = createApi({ key: () => key, onUnauthorized: () => assert.fail("signed out"), fetch: send });
    await assert.rejects(api.request("/quartz-api/x/pause", "POST"),
      (error) => error.status === 403 && error.message === "A reader key cannot pause a job.");
  });

  test("says the API cannot be reached when the network fails, with status 0", async () => {
    const { send } = fakeFetch(new TypeError("Failed to fetch"));
    const api = createApi({ key: () => key, onUnauthorized: () => {}, fetch: send });
    await assert.rejects(api.request("/workers"),
      (error) => error.status === 0 && error.message === "The WorkerFleet API cannot be reached (Failed to fetch).");
  });

  test("opens a stream that resumes after the last event with the Last-Event-ID header", async () => {
    const { send, calls } = fakeFetch(new Response("retry: 1000\n\n", { status: 200 }), new Response("", { status: 200 }));
    const api = createApi({ key: () => key, onUnauthorized: () => {}, fetch: send });
    const signal = new AbortController().signal;
    const body = await api.stream("/events/stream?after=40", { lastEventId: "", signal });
    assert.equal(await new Response(body).text(), "retry: 1000\n\n");
    await api.stream("/events/stream?after=40", { lastEventId: "57", signal });
    assert.equal(calls[0].init.headers.Accept, "text/event-stream");
    assert.equal(calls[0].init.headers["Last-Event-ID"], undefined);
    assert.equal(calls[1].init.headers["Last-Event-ID"], "57");
    assert.equal(calls[1].init.headers.Authorization, `Bearer ${key}`);
    assert.equal(calls[1].init.signal, signal);
  });

  test("refuses a stream the service refuses, with the problem's words", async () => {
    const { send } = fakeFetch(json(503, { title: "Storage unavailable", detail: "The database did not answer." }));
    const api = createApi({ key: () => key, onUnauthorized: () => {}, fetch: send });
    await assert.rejects(api.stream("/events/stream", { signal: new AbortController().signal }),
      (error) => error.status === 503 && error.message === "The database did not answer.");
  });

  test("passes an abort on as it is, not as an unreachable API", async () => {
    const controller = new AbortController();
    controller.abort();
    const { send } = fakeFetch(new DOMException("The operation was aborted.", "AbortError"));
    const api = createApi({ key: () => key, onUnauthorized: () => {}, fetch: send });
    await assert.rejects(api.stream("/events/stream", { signal: controller.signal }), (error) => error.name === "AbortError");
  });
});

describe("the address fragment", () => {
  test("sets the values given, drops the empty ones and keeps the other panels' values", () => {
    assert.equal(mergeFragment("status=Active&id=other&limit=25", { "activity-type": "registered" }),
      "status=Active&id=other&limit=25&activity-type=registered");
    assert.equal(mergeFragment("status=Active&id=other&limit=25", { status: "", id: "fleet", limit: 50 }), "id=fleet&limit=50");
    assert.equal(mergeFragment("", { "activity-worker": "gpu 7" }), "activity-worker=gpu+7");
  });
});
