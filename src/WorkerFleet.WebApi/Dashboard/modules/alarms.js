// The banners: what went wrong with the last refresh, and the service's alarms (a region held by mass-failure
// protection, storage down). An admin overrides the protection of a held region from its banner.
import { $, element, keepingFocus, reconcile } from "./dom.js";
import { absolute } from "./format.js";
import { actionButton } from "./actions.js";

const alarmTitle = (name) => ({
  "mass-failure": "Mass-failure protection",
  "storage-unavailable": "Storage unavailable",
})[name] || name;

export function createAlarmsView({ api, session, refreshSoon }) {
  const load = () => api.request("/alarms");

  function show(problems, report) {
    const banners = [];
    for (const message of problems) {
      const banner = element("div", null, "banner banner-error");
      banner.setAttribute("role", "alert");
      banner.dataset.key = `problem:${message}`;
      banner.append(element("strong", "Problem: "), element("span", message));
      banners.push(banner);
    }
    for (const alarm of report.alarms) banners.push(alarmBanner(alarm, report.overrides));
    keepingFocus(() => reconcile($("banners"), banners, (banner) => banner.dataset.key));
  }

  function alarmBanner(alarm, overrides) {
    const banner = element("div", null, "banner banner-alarm");
    banner.setAttribute("role", "alert");
    banner.dataset.key = `alarm:${alarm.name}:${alarm.region || ""}`;
    banner.dataset.alarm = alarm.name;
    if (alarm.region) banner.dataset.region = alarm.region;
    const title = alarm.region ? `${alarmTitle(alarm.name)} in ${alarm.region}: ` : `${alarmTitle(alarm.name)}: `;
    banner.append(element("strong", title), element("span", alarm.message), " ",
      element("span", `(since ${absolute(new Date(alarm.since))})`, "muted"));
    const armed = overrides.find((o) => o.region === alarm.region || o.region === null);
    if (armed) {
      banner.append(" ", element("span",
        `Override armed by ${armed.armedBy} at ${absolute(new Date(armed.armedAt))}, lapses unused at ${absolute(new Date(armed.expiresAt))}.`,
        "override-armed"));
    } else if (session.admin && alarm.name === "mass-failure") {
      banner.append(" ", actionButton({
        label: "Override once",
        question: `Let the next stale-detection run mark the stale workers of ${alarm.region} Offline, even though the protection holds?`,
        run: () => api.request(`/alarms/mass-failure/override?region=${encodeURIComponent(alarm.region)}`, "POST"),
        done: `The next stale-detection run will mark the stale workers of ${alarm.region} Offline.`,
        focusKey: `override-${alarm.region}`,
        name: `Override mass-failure protection in ${alarm.region}`,
        refreshSoon,
      }));
    }
    return banner;
  }

  const clear = () => $("banners").replaceChildren();

  return { load, show, clear };
}
