// Open a siteaudit report in headless Chromium (Debian's /usr/bin/chromium via playwright-core):
// screenshot it, run axe-core on every page, try sorting and filtering, and watch for any script
// that should not run (dialogs, injected globals).  Prints one JSON object; pytest asserts on it.
//
// usage: node check_report.mjs REPORT_DIR SCREENSHOT.png [--chromium /usr/bin/chromium] [--bypass-csp]
import { chromium } from "playwright-core";
import { readFileSync, readdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [reportDir, screenshot] = process.argv.slice(2).map((a) => resolve(a));
const exeIndex = process.argv.indexOf("--chromium");
const executablePath = exeIndex > 0 ? process.argv[exeIndex + 1] : "/usr/bin/chromium";
// --bypass-csp: ignore the report's Content-Security-Policy, so escaping alone must keep crawled markup inert.
const bypassCSP = process.argv.includes("--bypass-csp");

const LATER_PAGE = /-(broken|indeterminate|page-problems|office-problems|consistency|directory|inventory|pages|fixed)-\d+\.html$/;
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"];
const userDataDir = mkdtempSync(join(tmpdir(), "siteaudit-chromium-"));
const result = { pages: {}, dialogs: [], errors: [], requests: [], sort: null, filter: null, injected: [] };

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 }, bypassCSP,
});
try {
  context.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith("file:") && !url.startsWith("data:") && !url.startsWith("about:")) result.requests.push(url);
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on("dialog", async (d) => { result.dialogs.push(d.message()); await d.dismiss(); });
  page.on("pageerror", (e) => result.errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") result.errors.push(m.text()); });

  const files = readdirSync(reportDir).filter((f) => f.endsWith(".html")).sort();
  for (const file of files) {
    await page.goto(pathToFileURL(join(reportDir, file)).href);
    await page.evaluate(axeSource);
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
                                        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    // Links must never be javascript:/data:, and no crawled markup may have become live.
    const dom = await page.evaluate(() => ({
      badLinks: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href"))
        .filter((h) => /^\s*(javascript|data|vbscript):/i.test(h)),
      scripts: document.querySelectorAll("script").length,
      pwned: window.__pwned === true,
      h1: document.querySelectorAll("h1").length,
      sortButtons: document.querySelectorAll("th button.sort").length,
      filters: document.querySelectorAll(".table-tools input[type=search]").length,
    }));
    result.pages[file] = { violations: axe, ...dom };
    if (dom.pwned) result.injected.push(file);
  }

  // Screenshot of the first program page (the designee's view) and of the overview.
  // The biggest program page (not a table's later page, program-<slug>-<table>-<n>.html): the one with the most to sort and filter.
  const programs = files.filter((f) => f.startsWith("program-") && !f.includes("unassigned") && !LATER_PAGE.test(f))
    .sort((a, b) => statSync(join(reportDir, b)).size - statSync(join(reportDir, a)).size);
  const programFile = programs[0] || "index.html";
  await page.goto(pathToFileURL(join(reportDir, "index.html")).href);
  await page.screenshot({ path: screenshot.replace(/\.png$/, "-overview.png"), fullPage: true });
  await page.goto(pathToFileURL(join(reportDir, programFile)).href);
  await page.screenshot({ path: screenshot, fullPage: true });
  result.screenshotPage = programFile;

  // Sorting: click the "Page" heading of the pages table twice; the order must flip.
  result.sort = await page.evaluate(async () => {
    const table = document.querySelector("#t-pages");
    if (!table) return { skipped: "no pages table" };
    const col = [...table.tHead.rows[0].cells].findIndex((th) => th.textContent.trim() === "Page");
    const button = table.tHead.rows[0].cells[col].querySelector("button");
    const read = () => [...table.tBodies[0].rows].map((r) => r.cells[col].textContent.trim());
    const before = read();
    button.click();
    const asc = read();
    button.click();
    const desc = read();
    return { before, asc, desc, ariaSort: table.tHead.rows[0].cells[col].getAttribute("aria-sort") };
  });
  // Filtering: type the first row's URL path into the inventory filter; only matching rows stay visible.
  const inventory = page.locator("[data-table=inventory] input[type=search]");
  if (await inventory.count()) {
    const total = await page.locator("#t-inventory tbody tr").count();
    const needle = await page.locator("#t-inventory tbody tr:first-child td:nth-child(2)").innerText();
    await inventory.fill(needle.trim());
    await page.waitForTimeout(400);
    const visible = await page.locator("#t-inventory tbody tr:visible").count();
    const visibleTexts = await page.locator("#t-inventory tbody tr:visible td:nth-child(2)").allInnerTexts();
    const status = await page.locator("[data-table=inventory] .table-tools .status").innerText();
    await inventory.fill("");
    await page.waitForTimeout(400);
    const restored = await page.locator("#t-inventory tbody tr:visible").count();
    result.filter = { total, needle: needle.trim(), visible, visibleTexts, status, restored };
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result));
