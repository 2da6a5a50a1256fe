// End-to-end test of the `s1 serve` playground in headless Chromium (Debian's chromium
// driven by playwright-core): load the page, ask, see thinking and then the answer
// stream in, with forced insertions highlighted; probe answers appear during the stream
// and match the finishing s1 object; "End thinking now" ends thinking with a client exit;
// bad replies end in a clear message. Saves a screenshot.
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

// The finishing s1 object of the next chat completion, read from the wire (the SSE body).
function readCompletion(page) {
  const wire = readWire(page);
  wire.catch(() => {});  // a failure elsewhere may close the page first; awaiting still throws
  return wire;
}

async function readWire(page) {
  const res = await page.waitForResponse((r) => r.url().endsWith("/v1/chat/completions"), { timeout: 60000 });
  const text = await res.text();
  for (const event of text.split("\n\n")) {
    if (!event.startsWith("data: ") || event === "data: [DONE]") continue;
    const chunk = JSON.parse(event.slice(6));
    const fin = (chunk.choices || []).find((c) => c.finish_reason);
    if (fin) return fin.s1;
  }
  throw new Error(`no finishing chunk on the wire: ${text.slice(0, 200)}`);
}

// Asks, waits for the finish, and returns the wire's finishing s1 object.
async function askAndRead(page) {
  const wire = readCompletion(page);
  await page.click("#go");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Done"),
                             null, { timeout: 60000 });
  return wire;
}

// Asks and expects the request to end in an error message matching `pattern`, with the
// page ready for the next question.
async function expectError(page, pattern) {
  await page.click("#go");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Error"),
                             null, { timeout: 60000 });
  const state = await page.evaluate(() => ({
    status: document.getElementById("status").textContent,
    error: document.getElementById("status").classList.contains("error"),
    go: !document.getElementById("go").disabled,
    stop: document.getElementById("stop").disabled,
    end: document.getElementById("end-thinking").disabled,
  }));
  if (!pattern.test(state.status) || !state.error) fail(`error shown as ${JSON.stringify(state.status)}`);
  if (!state.go || !state.stop || !state.end) fail(`the page is left running after an error: ${JSON.stringify(state)}`);
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
  console.log("playground: budget forcing ok");

  // Probes: rows appear while thinking streams, and match the finishing s1 object on the wire.
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.evaluate(() => {
    const rows = document.getElementById("probe-rows");
    new MutationObserver(() => {
      if (rows.rows.length > 0 && !window.firstProbe) {
        window.firstProbe = {
          status: document.getElementById("status").textContent,
          stopEnabled: !document.getElementById("stop").disabled,
        };
      }
    }).observe(rows, { childList: true });
  });
  await page.fill("#question", "What is 2+2?");
  await page.fill("#max", "48");
  await page.fill("#ignore", "1000");  // the model's own ends become "Wait": thinking runs to the cap
  await page.fill("#answer", "8");
  await page.fill("#probe-every", "8");
  let s1 = await askAndRead(page);
  const probes = await page.evaluate(() => ({
    rows: [...document.querySelectorAll("#probe-rows tr")].map((r) => [...r.cells].map((c) => c.textContent)),
    marks: document.querySelectorAll("#thinking .probe-mark").length,
    summary: document.getElementById("probe-summary").textContent,
    first: window.firstProbe,
    status: document.getElementById("status").textContent,
    paneShown: !document.getElementById("probes-pane").hidden,
  }));
  if (!probes.paneShown) fail("the probes pane is hidden while probing");
  if (!Array.isArray(s1.probes) || s1.probes.length === 0) fail(`no probes on the wire: ${JSON.stringify(s1)}`);
  if (probes.rows.length !== s1.probes.length) {
    fail(`${probes.rows.length} probe rows, but the s1 object lists ${s1.probes.length}`);
  }
  if (probes.marks !== s1.probes.length) fail(`${probes.marks} markers in the thinking for ${s1.probes.length} probes`);
  s1.probes.forEach((p, k) => {
    const row = probes.rows[k];
    if (row[0] !== String(k + 1) || row[1] !== String(p.thinking_tokens)) {
      fail(`probe row ${k + 1} is ${JSON.stringify(row)}, the wire says position ${p.thinking_tokens}`);
    }
    if (p.closed && row[2] !== p.answer) fail(`probe row ${k + 1} shows ${row[2]}, the wire says ${p.answer}`);
    if (!row[4].startsWith(p.agreed ? "yes" : "no")) fail(`probe row ${k + 1}'s agreement is wrong: ${row[4]}`);
  });
  const expectSummary = `Probes: ${s1.probes.length}, probe tokens: ${s1.probe_tokens}, skipped: ${s1.probes_skipped}.`;
  if (probes.summary !== expectSummary) fail(`summary "${probes.summary}", expected "${expectSummary}"`);
  if (!probes.first || probes.first.status.startsWith("Done") || !probes.first.stopEnabled) {
    fail(`the first probe row did not appear during the stream: ${JSON.stringify(probes.first)}`);
  }
  console.log(`playground: ${s1.probes.length} probes shown as they arrived`);

  // End thinking now: during a long thinking phase (the cap is far off), once a probe has
  // shown, the button ends thinking; the model answers and the exit reads "client".
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.fill("#question", "What is 2+2?");
  await page.fill("#max", "3000");
  await page.fill("#ignore", "100000");
  await page.fill("#answer", "8");
  await page.fill("#probe-every", "16");
  const wire = readCompletion(page);
  await page.click("#go");
  await page.waitForFunction(() => document.querySelectorAll("#probe-rows tr").length > 0, null, { timeout: 60000 });
  if (await page.isDisabled("#end-thinking")) fail("End thinking now is disabled during thinking");
  await page.click("#end-thinking");
  // Done, or a note that ending failed (then thinking would run on to the cap).
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Done") ||
                                    document.getElementById("end-note").textContent !== "",
                             null, { timeout: 60000 });
  const note = await page.textContent("#end-note");
  if (note) fail(`ending thinking failed: ${note}`);
  s1 = await wire;
  const ended = await page.evaluate(() => ({
    exit: document.getElementById("exit").textContent,
    events: document.getElementById("events").textContent,
    answer: document.getElementById("answer-text").textContent,
    endDisabled: document.getElementById("end-thinking").disabled,
  }));
  const exits = s1.events.filter((e) => e.kind === "exit");
  if (exits.length !== 1 || exits[0].reason !== "client") fail(`no client exit on the wire: ${JSON.stringify(s1.events)}`);
  if (!(s1.thinking_tokens < 3000)) fail(`thinking ran to the cap: ${s1.thinking_tokens}`);
  if (ended.exit !== `Thinking ended at token ${exits[0].thinking_tokens}: ended by you (client).`) {
    fail(`exit shown as ${JSON.stringify(ended.exit)}`);
  }
  if (!ended.events.includes("exit (client)")) fail(`no exit in the events: ${ended.events}`);
  if (!(s1.answer_tokens > 0) || !ended.answer) fail("the answer phase did not start after ending thinking");
  if (!ended.endDisabled) fail("End thinking now is still enabled after the completion");
  console.log(`playground: thinking ended by the client at ${exits[0].thinking_tokens}`);
  await page.screenshot({ path: screenshot, fullPage: true });

  // An exit by probes, from a stream with known probes (the random model's never agree):
  // the agreeing probe is marked and the exit names its reason.
  await page.goto(`http://127.0.0.1:${port}/`);
  const probe = (at, agreed) => ({ thinking_tokens: at, answer: "4", closed: true, confidence: 0.5,
                                   hesitated: false, agreed, confident: false });
  const sse = (choice) => `data: ${JSON.stringify({ id: "chatcmpl-fake", choices: [{ index: 0, ...choice }] })}\n\n`;
  await page.route("**/v1/chat/completions", (route) => route.fulfill({
    status: 200, contentType: "text/event-stream",
    body: sse({ delta: { reasoning_content: "a" } }) + sse({ delta: {}, s1: { probe: probe(1, false) } }) +
          sse({ delta: { reasoning_content: "b" } }) + sse({ delta: {}, s1: { probe: probe(2, true) } }) +
          sse({ delta: { content: "4" } }) +
          sse({ delta: {}, finish_reason: "stop", s1: {
            events: [{ kind: "exit", reason: "consistent", thinking_tokens: 2, text: "" }],
            probes: [probe(1, false), probe(2, true)], probe_tokens: 10, probes_skipped: 0 } }) +
          "data: [DONE]\n\n",
  }));
  await page.fill("#probe-every", "1");
  await page.fill("#exit-consistent", "2");
  await page.click("#go");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Done"),
                             null, { timeout: 60000 });
  await page.unroute("**/v1/chat/completions");
  const agreed = await page.evaluate(() => ({
    exit: document.getElementById("exit").textContent,
    rows: [...document.querySelectorAll("#probe-rows tr")].map((r) => r.className),
    marks: [...document.querySelectorAll("#thinking .probe-mark")].map((m) => m.className),
    thinking: document.getElementById("thinking").textContent,
    summary: document.getElementById("probe-summary").textContent,
  }));
  if (agreed.exit !== "Thinking ended at token 2: the last probes agreed (consistent).") {
    fail(`probe exit shown as ${JSON.stringify(agreed.exit)}`);
  }
  if (JSON.stringify(agreed.rows) !== JSON.stringify(["", "agreed"])) fail(`probe rows ${JSON.stringify(agreed.rows)}`);
  if (JSON.stringify(agreed.marks) !== JSON.stringify(["probe-mark", "probe-mark agreed"])) {
    fail(`probe markers ${JSON.stringify(agreed.marks)}`);
  }
  if (agreed.thinking !== "ab") fail(`markers changed the thinking text: ${JSON.stringify(agreed.thinking)}`);
  if (agreed.summary !== "Probes: 2, probe tokens: 10, skipped: 0.") fail(`summary ${agreed.summary}`);

  // Bad replies end in a clear message, never a running state: a 400 from the server
  // (an exit rule without a probe schedule), a malformed stream, a stream cut short.
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.fill("#exit-consistent", "2");
  await expectError(page, /^Error: 400: .*/);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.route("**/v1/chat/completions", (route) => route.fulfill({
    status: 200, contentType: "text/event-stream", body: "data: {not json\n\n",
  }));
  await expectError(page, /^Error: the server sent a malformed stream chunk$/);
  await page.unroute("**/v1/chat/completions");
  await page.route("**/v1/chat/completions", (route) => route.fulfill({
    status: 200, contentType: "text/event-stream",
    body: 'data: {"id":"x","choices":[{"index":0,"delta":{"reasoning_content":"hi"}}]}\n\n',
  }));
  await expectError(page, /^Error: the stream ended before the completion finished$/);
  await page.unroute("**/v1/chat/completions");
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
