// Signs in to the dashboard at $DASHBOARD_URL with $DASHBOARD_KEY in Debian's Chromium and saves the page as
// $PICTURE, once the scheduler and the fleet have loaded. Driven by build/dashboard-picture.sh.
const { chromium } = await import(process.env.PLAYWRIGHT);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, timezoneId: "UTC", locale: "en-GB" });
  await page.goto(`${process.env.DASHBOARD_URL}/dashboard`);
  await page.fill("#key", process.env.DASHBOARD_KEY);
  await page.press("#key", "Enter");
  await page.waitForSelector("#jobs tbody tr[data-job]");
  await page.waitForSelector("#workers tbody tr[data-worker]");
  await page.screenshot({ path: process.env.PICTURE, fullPage: true });
} finally {
  await browser.close();
}
