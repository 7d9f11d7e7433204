// The WorkerFleet and Quartz HTTP APIs, called with the operator's key in the Authorization header: never in an
// address, so it reaches no access log or browser history.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// The query string of the values that are set, "" when none is.
export function query(values) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

// Path segments, each escaped.
export const pathOf = (...parts) => parts.map(encodeURIComponent).join("/");

// What the operator reads when a call fails. A validation problem names what is wrong per field, which is what the
// operator needs; otherwise the problem's detail or title, or the bare status.
export function problemMessage(status, statusText, problem) {
  const fieldErrors = problem && problem.errors ? Object.values(problem.errors).flat().join(" ") : "";
  const detail = fieldErrors || (problem && (problem.detail || problem.title));
  return detail || `The API answered ${status} ${statusText}.`;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// key() gives the key of the signed-in operator, or nothing after signing out: then no call goes out at all, so a
// loop still running at sign-out cannot send a request without a key. A 401 means the service no longer takes the
// key: onUnauthorized() signs the operator out. A 403 and every other refusal is an ApiError with the problem's words.
export function createApi({ key, onUnauthorized, fetch: send = globalThis.fetch.bind(globalThis) }) {
  async function call(path, { method = "GET", body, accept = "application/json", headers = {}, signal } = {}) {
    const current = key();
    if (!current) throw new ApiError("Not signed in.", 401);
    const sent = { Authorization: `Bearer ${current}`, Accept: accept, ...headers };
    if (body !== undefined) sent["Content-Type"] = "application/json";
    let response;
    try {
      response = await send(path, {
        method,
        cache: "no-store",
        headers: sent,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal && signal.aborted) throw error;
      throw new ApiError(`The WorkerFleet API cannot be reached (${error.message}).`, 0);
    }

    if (response.status === 401) {
      onUnauthorized();
      throw new ApiError("Not signed in.", 401);
    }
    return response;
  }

  async function refused(response) {
    const text = await response.text();
    return new ApiError(problemMessage(response.status, response.statusText, text ? parseJson(text) : null), response.status);
  }

  return {
    // The JSON answer of a call; null for an empty one.
    async request(path, method = "GET", body = undefined, { signal } = {}) {
      const response = await call(path, { method, body, signal });
      if (!response.ok) throw await refused(response);
      const text = await response.text();
      return text ? parseJson(text) : null;
    },

    // The body of a Server-Sent Events answer, to read as it arrives. lastEventId, when there is one, asks the
    // service to resume right after that event.
    async stream(path, { lastEventId, signal }) {
      const response = await call(path, {
        accept: "text/event-stream",
        headers: lastEventId ? { "Last-Event-ID": lastEventId } : {},
        signal,
      });
      if (!response.ok) throw await refused(response);
      return response.body;
    },
  };
}
