import { describe, test } from "node:test";
import assert from "node:assert/strict";
import cronstrue from "cronstrue/dist/cronstrue.min.js";
import { absolute, describeCron, duration, durationOf, relative } from "../modules/format.js";
import { offsetFrom } from "../modules/clock.js";

const now = Date.parse("2026-03-01T12:00:00Z");
const at = (seconds) => new Date(now + seconds * 1000);

describe("relative", () => {
  test("is now within half a second", () => {
    assert.equal(relative(at(0), now), "now");
    assert.equal(relative(at(0.4), now), "now");
  });

  test("counts seconds, minutes, hours and days, past and future", () => {
    assert.equal(relative(at(-12), now), "12 s ago");
    assert.equal(relative(at(89), now), "in 89 s");
    assert.equal(relative(at(-90), now), "2 min ago");
    assert.equal(relative(at(15 * 60), now), "in 15 min");
    assert.equal(relative(at(-3 * 3600), now), "3 h ago");
    assert.equal(relative(at(35 * 3600), now), "in 35 h");
    assert.equal(relative(at(-3 * 86400), now), "3 d ago");
  });
});

describe("absolute", () => {
  test("shows only the UTC time of day for a moment of today and the date too for another day", () => {
    const today = new Date("2026-03-01T18:00:00Z");
    assert.equal(absolute(new Date("2026-03-01T09:30:05.900Z"), today), "09:30:05 UTC");
    assert.equal(absolute(new Date("2026-03-01T23:59:59Z"), today), "23:59:59 UTC", "24-hour, never AM or PM");
    assert.equal(absolute(new Date("2026-02-28T21:04:00Z"), today), "2026-02-28 21:04:00 UTC");
  });

  test("counts days in UTC, not in the browser's zone", () => {
    assert.equal(absolute(new Date("2026-03-01T00:30:00Z"), new Date("2026-02-28T23:30:00Z")), "2026-03-01 00:30:00 UTC");
  });
});

describe("durations", () => {
  test("durationOf picks the unit for the size", () => {
    assert.equal(durationOf(0), "0 ms");
    assert.equal(durationOf(850.4), "850 ms");
    assert.equal(durationOf(4200), "4.2 s");
    assert.equal(durationOf(125_000), "2 min 5 s");
    assert.equal(durationOf(119_600), "2 min 0 s");
    assert.equal(durationOf((3 * 60 + 20) * 60_000), "3 h 20 min");
    assert.equal(durationOf((2 * 24 + 4) * 3_600_000), "2 d 4 h");
  });

  test("durationOf measures a negative span by its size", () => {
    assert.equal(durationOf(-18_900), "18.9 s");
  });

  test("duration reads Quartz TimeSpan constants", () => {
    assert.equal(duration("00:00:00.0123456"), "12 ms");
    assert.equal(duration("00:00:01.5000000"), "1.5 s");
    assert.equal(duration("00:02:05"), "2 min 5 s");
    assert.equal(duration("1.02:00:00"), "1 d 2 h");
  });

  test("duration shows a missing value as a dash and an unknown one as it is", () => {
    assert.equal(duration(null), "—");
    assert.equal(duration(""), "—");
    assert.equal(duration("P1D"), "P1D");
  });
});

describe("describeCron with the vendored cronstrue", () => {
  test("puts Quartz cron expressions, with seconds, in words", () => {
    assert.equal(describeCron("0 0/15 * * * ?", cronstrue), "Every 15 minutes");
    assert.equal(describeCron("0 0/5 * * * ?", cronstrue), "Every 5 minutes");
    assert.equal(describeCron("30 0/5 * * * ?", cronstrue), "At 30 seconds past the minute, every 5 minutes");
    assert.equal(describeCron("0/10 * * * * ?", cronstrue), "Every 10 seconds");
  });

  test("uses the 24-hour clock", () => {
    assert.equal(describeCron("0 15 14 * * ?", cronstrue), "At 14:15");
  });

  test("is empty for an expression cronstrue cannot read", () => {
    assert.equal(describeCron("not a cron", cronstrue), "");
  });

  test("is empty when cronstrue is not loaded", () => {
    assert.equal(describeCron("0 0/15 * * * ?", undefined), "");
  });
});

describe("the service's clock", () => {
  test("is offset by the service time minus the midpoint of the round trip", () => {
    const sentAt = Date.parse("2026-03-01T12:00:00.000Z");
    assert.equal(offsetFrom("2026-03-01T12:00:10.100Z", sentAt, sentAt + 200), 10_000);
    assert.equal(offsetFrom("2026-03-01T11:59:00.000Z", sentAt, sentAt), -60_000);
  });
});
