// The last hour at a glance: this instance's heartbeats per second, and the fleet's workers by status, from the
// service's own meter readings (GET /metrics/history). Drawn as SVG paths in the page: no chart library, no CDN.
import { $, element } from "./dom.js";
import { absolute } from "./format.js";

const svgNs = "http://www.w3.org/2000/svg";
export const statuses = ["active", "pending", "offline", "failed"];

// The SVG path ("M x y L x y …") of one series over the points, scaled into width × height with the largest value
// `top` at the top edge and zero at the bottom; time runs from `from` to `to` (milliseconds) left to right.
export function pathOf(points, value, { width, height, top, from, to }) {
  const span = Math.max(to - from, 1);
  const scale = top > 0 ? height / top : 0;
  return points
    .map((point, index) => {
      const x = ((Date.parse(point.at) - from) / span) * width;
      const y = height - value(point) * scale;
      return `${index === 0 ? "M" : "L"}${x.toFixed(1)} ${y.toFixed(1)}`;
    })
    .join(" ");
}

// A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least the largest value.
export function niceTop(largest) {
  if (!(largest > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(largest));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= largest);
}

// What the two charts draw: the paths and their axis tops. Points without a rate (the first) are left out of the
// heartbeat line.
export function trendsOf(points, size) {
  const from = points.length ? Date.parse(points[0].at) : 0;
  const to = points.length ? Date.parse(points[points.length - 1].at) : 1;
  const rated = points.filter((p) => p.heartbeatsPerSecond !== null);
  const heartbeatTop = niceTop(Math.max(0, ...rated.map((p) => p.heartbeatsPerSecond)));
  const workerTop = niceTop(Math.max(0, ...points.flatMap((p) => statuses.map((s) => p[s]))));
  return {
    heartbeats: { top: heartbeatTop, path: pathOf(rated, (p) => p.heartbeatsPerSecond, { ...size, top: heartbeatTop, from, to }) },
    workers: {
      top: workerTop,
      paths: Object.fromEntries(statuses.map((s) => [s, pathOf(points, (p) => p[s], { ...size, top: workerTop, from, to })])),
    },
  };
}

const size = { width: 300, height: 80 };

function chart(title, top, lines) {
  const figure = element("figure", null, "trend");
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", `0 0 ${size.width} ${size.height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  svg.setAttribute("preserveAspectRatio", "none");
  for (const [name, d] of lines) {
    const path = document.createElementNS(svgNs, "path");
    path.setAttribute("d", d);
    path.setAttribute("class", `line line-${name}`);
    path.dataset.series = name;
    svg.append(path);
  }
  const caption = element("figcaption", `${title} (axis top ${top})`);
  figure.append(svg, caption);
  return figure;
}

export function createTrendsView({ api }) {
  async function load() {
    const history = await api.request("/metrics/history");
    const points = history.points;
    const target = $("trends-charts");
    if (points.length < 2) {
      target.replaceChildren(element("p", "Not enough readings yet: the first points appear within a minute.", "muted"));
      $("trends-summary").textContent = "";
      return;
    }
    const trends = trendsOf(points, size);
    target.replaceChildren(
      chart("Heartbeats recorded per second by this instance", trends.heartbeats.top, [["heartbeats", trends.heartbeats.path]]),
      chart("Workers by status", trends.workers.top, statuses.map((s) => [s, trends.workers.paths[s]])));
    const legend = element("p", null, "legend");
    for (const s of statuses) legend.append(element("span", s, `key key-${s}`));
    target.append(legend);
    $("trends-summary").textContent =
      `${points.length} readings from ${absolute(new Date(points[0].at))} to ${absolute(new Date(points[points.length - 1].at))}`;
  }

  return { load };
}
