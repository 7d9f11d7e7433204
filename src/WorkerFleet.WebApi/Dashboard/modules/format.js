// How the dashboard writes times, durations and schedules. No DOM and no clock of its own: every function takes what
// it needs, so each one is tested with node --test.

// "12 s ago", "in 3 min": from `date` to `now` (milliseconds, on the service's clock).
export function relative(date, now) {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const size = Math.abs(seconds);
  let amount;
  if (size < 1) return "now";
  if (size < 90) amount = `${size} s`;
  else if (size < 90 * 60) amount = `${Math.round(size / 60)} min`;
  else if (size < 36 * 3600) amount = `${Math.round(size / 3600)} h`;
  else amount = `${Math.round(size / 86400)} d`;
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

// In UTC on a 24-hour clock, as the API and the logs write times, whatever the browser's locale: the time of day for a
// moment of today (UTC), the date and time for any other day. "14:03:12 UTC", "2026-02-28 09:30:00 UTC".
export function absolute(date, today = new Date()) {
  const [day, time] = date.toISOString().split("T");
  const clock = `${time.slice(0, 8)} UTC`;
  return day === today.toISOString().slice(0, 10) ? clock : `${day} ${clock}`;
}

// A span of time as "850 ms", "4.2 s", "2 min 5 s", "3 h 20 min" or "2 d 4 h".
export function durationOf(milliseconds) {
  const ms = Math.abs(milliseconds);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.round(minutes / 60);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// Quartz writes durations as TimeSpan constants: [d.]hh:mm:ss[.fffffff].
export function duration(text) {
  if (!text) return "—";
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  const [, days, hours, minutes, seconds, fraction] = match;
  return durationOf(((Number(days || 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60000
    + Number(seconds) * 1000 + Number(`0.${fraction || 0}`) * 1000);
}

// A cron expression in words, by the vendored cronstrue (loaded by its own script tag, so it is a global on the page);
// empty when cronstrue cannot read the expression.
export function describeCron(expression, cronstrue = globalThis.cronstrue) {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true });
  } catch {
    return "";
  }
}
