// The Fleet panel: counts per status as cards that filter, and the workers table with a status filter, an id-prefix
// search and paging by cursor.
import { query } from "./api.js";
import { $, badge, element, keepingFocus, labelCells, moment, reconcile } from "./dom.js";
import { readFragment, writeFragment } from "./fragment.js";

const statuses = ["Pending", "Active", "Offline", "Failed"];
const pageSizes = [25, 50, 100];

export function createFleetView({ api, refreshSoon, openWorker }) {
  const filter = { status: "", idPrefix: "", limit: 50 };
  // The cursor of each page up to the one shown; the first page has none.
  let cursors = [null];
  let nextCursor = null;
  let counts = null;

  async function load(isCurrent) {
    const { status, idPrefix, limit } = filter;
    const cursor = cursors[cursors.length - 1];
    const [fleetCounts, page] = await Promise.all([
      api.request("/workers/counts"),
      api.request(`/workers${query({ status, idPrefix, limit, cursor })}`),
    ]);
    if (!isCurrent()) return;
    counts = fleetCounts;
    nextCursor = page.nextCursor;
    renderCounts();
    renderWorkers(page.items);
    renderPager(page.items.length);
  }

  function renderCounts() {
    const cards = [["All", counts.total, ""], ...statuses.map((s) => [s, counts[s.toLowerCase()], s])];
    keepingFocus(() => reconcile($("counts"), cards.map(([label, count, value]) => {
      const card = element("button", null, `card card-${(value || "all").toLowerCase()}`);
      card.type = "button";
      card.dataset.focusKey = `card:${value || "all"}`;
      card.dataset.status = value || "all";
      card.setAttribute("aria-pressed", String(filter.status === value));
      card.append(element("span", count.toLocaleString(), "count"), element("span", label, "label"));
      card.addEventListener("click", () => setFilter({ status: value }));
      return card;
    }), (card) => card.dataset.status));
    $("fleet-summary").textContent = `${counts.total.toLocaleString()} worker(s) registered`;
  }

  function renderWorkers(workers) {
    const body = $("workers").tBodies[0];
    if (workers.length === 0) {
      const row = element("tr");
      const cell = element("td", "No worker matches these filters.", "muted empty");
      cell.colSpan = 6;
      row.append(cell);
      reconcile(body, [row], (r) => r.dataset.worker || "");
      return;
    }

    keepingFocus(() => reconcile(body, workers.map((worker) => {
      const row = element("tr");
      row.dataset.worker = worker.id;
      const id = element("td");
      const open = element("button", worker.id, "link");
      open.type = "button";
      open.setAttribute("aria-label", `Details of worker ${worker.id}`);
      open.dataset.focusKey = `worker:${worker.id}`;
      open.addEventListener("click", () => openWorker(worker.id));
      id.append(open);
      const statusCell = element("td", null, "status");
      statusCell.append(badge(worker.status));
      if (!worker.schedulable) statusCell.append(" ", badge("Cordoned", "cordoned"));
      const heartbeat = element("td", null, "last-heartbeat");
      heartbeat.append(moment(worker.lastHeartbeatAt, "never"));
      row.append(id, element("td", worker.region), element("td", worker.capacity, "number"),
        element("td", worker.capabilities.join(", ")), statusCell, heartbeat);
      return labelCells($("workers"), row);
    }), (r) => r.dataset.worker || ""));
  }

  function renderPager(shown) {
    const index = cursors.length - 1;
    const { limit, status, idPrefix } = filter;
    const from = index * limit + (shown ? 1 : 0);
    const to = index * limit + shown;
    const total = !idPrefix && counts ? (status ? counts[status.toLowerCase()] : counts.total) : null;
    $("page-label").textContent = shown === 0
      ? `Page ${index + 1} · no workers`
      : `Page ${index + 1} · ${from.toLocaleString()}–${to.toLocaleString()}` + (total !== null ? ` of ${total.toLocaleString()}` : "");
    $("first-page").disabled = index === 0;
    $("previous-page").disabled = index === 0;
    $("next-page").disabled = !nextCursor;
  }

  function showFilter() {
    $("status-filter").value = filter.status;
    $("id-filter").value = filter.idPrefix;
    $("page-size").value = String(filter.limit);
  }

  function setFilter(change) {
    Object.assign(filter, change);
    showFilter();
    cursors = [null];
    writeFragment({ status: filter.status, id: filter.idPrefix, limit: filter.limit });
    refreshSoon(0);
  }

  function restore() {
    const saved = readFragment();
    const status = saved.get("status");
    const limit = Number(saved.get("limit"));
    filter.status = statuses.includes(status) ? status : "";
    filter.idPrefix = saved.get("id") || "";
    filter.limit = pageSizes.includes(limit) ? limit : 50;
    showFilter();
  }

  function wire() {
    $("status-filter").addEventListener("change", (event) => setFilter({ status: event.target.value }));
    $("page-size").addEventListener("change", (event) => setFilter({ limit: Number(event.target.value) }));
    let typing;
    $("id-filter").addEventListener("input", (event) => {
      clearTimeout(typing);
      typing = setTimeout(() => setFilter({ idPrefix: event.target.value.trim() }), 300);
    });
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    $("first-page").addEventListener("click", () => { cursors = [null]; refreshSoon(0); });
    $("previous-page").addEventListener("click", () => { cursors.pop(); refreshSoon(0); });
    $("next-page").addEventListener("click", () => {
      if (nextCursor) cursors.push(nextCursor);
      refreshSoon(0);
    });
  }

  return { load, restore, wire };
}
