import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { niceTop, pathOf, trendsOf } from "../modules/trends.js";

const point = (seconds, heartbeatsPerSecond, active, pending = 0, offline = 0, failed = 0) =>
  ({ at: new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString(), heartbeatsPerSecond, active, pending, offline, failed });

describe("niceTop", () => {
  test("rounds up to 1, 2 or 5 times a power of ten", () => {
    assert.equal(niceTop(0), 1);
    assert.equal(niceTop(0.3), 0.5);
    assert.equal(niceTop(7), 10);
    assert.equal(niceTop(12), 20);
    assert.equal(niceTop(200), 200);
    assert.equal(niceTop(4100), 5000);
  });
});

describe("pathOf", () => {
  test("runs time left to right and values bottom to top", () => {
    const points = [point(0, 0, 0), point(30, 5, 0), point(60, 10, 0)];
    const d = pathOf(points, (p) => p.heartbeatsPerSecond, { width: 300, height: 80, top: 10, from: Date.parse(points[0].at), to: Date.parse(points[2].at) });
    assert.equal(d, "M0.0 80.0 L150.0 40.0 L300.0 0.0");
  });

  test("draws a flat line at the bottom when every value is zero", () => {
    const points = [point(0, 0, 0), point(10, 0, 0)];
    const d = pathOf(points, (p) => p.active, { width: 100, height: 50, top: 0, from: Date.parse(points[0].at), to: Date.parse(points[1].at) });
    assert.equal(d, "M0.0 50.0 L100.0 50.0");
  });
});

describe("trendsOf", () => {
  test("leaves the first point, which has no rate, out of the heartbeat line and scales each chart to its own top", () => {
    const trends = trendsOf([point(0, null, 3, 1), point(15, 40, 4), point(30, 80, 4)], { width: 300, height: 80 });
    assert.equal(trends.heartbeats.top, 100);
    assert.equal(trends.heartbeats.path, "M150.0 48.0 L300.0 16.0");
    assert.equal(trends.workers.top, 5);
    assert.equal(trends.workers.paths.active, "M0.0 32.0 L150.0 16.0 L300.0 16.0");
    assert.equal(trends.workers.paths.pending, "M0.0 64.0 L150.0 80.0 L300.0 80.0");
  });
});
