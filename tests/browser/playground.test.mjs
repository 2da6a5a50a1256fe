// End-to-end test of the `s1 serve` playground in headless Chromium (Debian's chromium
// driven by playwright-core): load the page, ask, see thinking and then the answer
// stream in, with forced insertions highlighted; save a screenshot.
//
//   node playground.test.mjs S1_BIN MODEL.gguf SCREENSHOT.png
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [s1Bin, model, screenshot] = process.argv.slice(2);
if (!s1Bin || !model || !screenshot) {
  console.error("usage: node playground.test.mjs S1_BIN MODEL.gguf SCREENSHOT.png");
  process.exit(2);
}

function fail(message) {
  throw new Error(message);
}

// Starts `s1 serve` on a free port and resolves with [process, port].
function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(s1Bin, ["serve", "-m", model, "--port", "0", "-t", "2", "--parallel", "2"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error("s1 serve did not start")), 60000);
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/[^:]+:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve([proc, Number(m[1])]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`s1 serve exited (${code})`)));
  });
}

const profile = mkdtempSync(join(tmpdir(), "s1-chromium-"));
let server = null;
let context = null;
let status = 0;
try {
  const [proc, port] = await startServer();
  server = proc;
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${port}/`);
  if ((await page.title()) !== "s1 playground") fail("not the playground page");

  // Record when each pane first shows text, to check thinking comes first.
  await page.evaluate(() => {
    window.firstText = {};
    for (const id of ["thinking", "answer-text"]) {
      const el = document.getElementById(id);
      new MutationObserver(() => {
        if (el.textContent && !(id in window.firstText)) window.firstText[id] = performance.now();
      }).observe(el, { childList: true, subtree: true, characterData: true });
    }
  });
  await page.fill("#question", "What is 2+2?");
  await page.fill("#max", "24");
  await page.fill("#ignore", "1");
  await page.fill("#answer", "12");
  await page.click("#go");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Done"),
                             null, { timeout: 60000 });

  const result = await page.evaluate(() => ({
    thinking: document.getElementById("thinking").textContent,
    answer: document.getElementById("answer-text").textContent,
    forced: [...document.querySelectorAll(".pane .forced")].map((e) => e.textContent),
    thinkCount: document.getElementById("think-count").textContent,
    events: document.getElementById("events").textContent,
    first: window.firstText,
  }));
  if (!result.thinking) fail("no thinking shown");
  if (!result.answer.startsWith("\nFinal Answer:")) fail(`the answer does not follow the cap: ${JSON.stringify(result.answer)}`);
  if (!(result.first.thinking < result.first["answer-text"])) fail("the answer appeared before thinking");
  if (!result.forced.some((t) => t.includes("Final Answer:"))) fail("forced text is not highlighted");
  if (!/^\d+ tokens$/.test(result.thinkCount)) fail(`no final token count: ${result.thinkCount}`);
  if (!result.events.includes("cap")) fail(`no cap event shown: ${result.events}`);
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`playground test passed; screenshot: ${screenshot}`);
} catch (e) {
  console.error(`playground test failed: ${e.message}`);
  status = 1;
} finally {
  if (context) await context.close();
  if (server) server.kill("SIGTERM");
  rmSync(profile, { recursive: true, force: true });
}
process.exit(status);
