// One Lighthouse run (mobile emulation, simulated 4G-slow throttling: Lighthouse's defaults) of one URL in
// Debian's Chromium, its JSON report written to a file. Signed in: the token is put in the tab's sessionStorage
// first, where the app keeps it, and Lighthouse is told not to clear storage.
//   node bench/lighthouse.mjs <url> <token or -> <report.json>
import { writeFileSync } from "node:fs";
import { navigation } from "lighthouse";
import puppeteer from "puppeteer-core";

const [url, token, out] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  if (token !== "-") {
    await page.goto(new URL("/manifest.webmanifest", url).href);
    await page.evaluate((value) => sessionStorage.setItem("warga-token", value), token);
  }
  const result = await navigation(page, url, {
    flags: { onlyCategories: ["performance", "accessibility", "best-practices"], disableStorageReset: token !== "-" },
  });
  writeFileSync(out, result.report);
} finally {
  await browser.close();
}
