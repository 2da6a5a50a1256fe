// `s1 serve` as users drive it: the official `openai` npm client, chat with and without
// streaming (thinking read from delta.reasoning_content), and a multi-turn conversation
// whose later turns find the earlier ones in the prefix cache.
//
//   node openai.test.mjs S1_BINARY MODEL.gguf
import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import OpenAI from "openai";

const [s1, model] = process.argv.slice(2);
if (!s1 || !model) {
  console.error("usage: node openai.test.mjs S1_BINARY MODEL.gguf");
  process.exit(2);
}

// Starts the server on a free port and resolves with it once it listens.
function startServer() {
  const server = spawn(s1, ["serve", "-m", model, "-t", "1", "--port", "0", "--parallel", "2",
                            "-c", "8192", "--alias", "tiny"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("s1 serve did not start:\n" + log)), 60000);
    server.stdout.on("data", (d) => {
      log += d;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    server.stderr.on("data", (d) => (log += d));
    server.on("exit", (code) => reject(new Error(`s1 serve exited (${code}):\n${log}`)));
  });
  return { server, port };
}

const { server, port } = startServer();
let failed = false;
try {
  const client = new OpenAI({ baseURL: `http://127.0.0.1:${await port}/v1`, apiKey: "none",
                              timeout: 60000, maxRetries: 0 });

  // A whole response: reasoning_content beside content, usage with cached tokens.
  const whole = await client.chat.completions.create({
    model: "tiny",
    messages: [{ role: "user", content: "What is 2+2?" }],
    max_tokens: 6,
    max_tokens_thinking: 10,
  });
  const message = whole.choices[0].message;
  assert.equal(typeof message.content, "string");
  assert.equal(typeof message.reasoning_content, "string");
  assert.ok(message.reasoning_content.length > 0, "no reasoning_content");
  assert.equal(whole.usage.completion_tokens_details.reasoning_tokens, 10);
  assert.equal(typeof whole.usage.prompt_tokens_details.cached_tokens, "number");

  // Streaming: thinking arrives as delta.reasoning_content, then the answer.
  const stream = await client.chat.completions.create({
    model: "tiny",
    messages: [{ role: "user", content: "Count to three." }],
    max_tokens: 6,
    max_tokens_thinking: 12,
    thinking_n_ignore: 1,
    stream: true,
    stream_options: { include_usage: true },
  });
  let reasoning = "", content = "", finish = null, usage = null;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      reasoning += choice.delta.reasoning_content ?? "";
      content += choice.delta.content ?? "";
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  assert.ok(reasoning.length > 0, "no streamed reasoning");
  assert.ok(finish === "stop" || finish === "length", `finish_reason ${finish}`);
  assert.equal(usage.completion_tokens_details.reasoning_tokens, 12);

  // A conversation: each turn reuses what the turns before left in the cache.
  const messages = [{ role: "system", content: "You answer briefly." }];
  let previousPrompt = 0;
  for (let turn = 0; turn < 4; turn++) {
    messages.push({ role: "user", content: `Question ${turn}: what comes next?` });
    const r = await client.chat.completions.create({ model: "tiny", messages, max_tokens: 4,
                                                     max_tokens_thinking: 8 });
    const cached = r.usage.prompt_tokens_details.cached_tokens;
    if (turn > 0) {
      assert.ok(cached > previousPrompt - 8,
                `turn ${turn}: ${cached} cached tokens of the last turn's ${previousPrompt}`);
    }
    previousPrompt = r.usage.prompt_tokens;
    messages.push({ role: "assistant", content: r.choices[0].message.content });
  }

  // Errors come back as the client's typed errors.
  await assert.rejects(
    client.chat.completions.create({ model: "tiny", messages: [], max_tokens: 4 }),
    (e) => e instanceof OpenAI.BadRequestError);
  console.log("openai client test: ok");
} catch (e) {
  failed = true;
  console.error("openai client test: FAILED:", e);
} finally {
  server.kill("SIGTERM");
}
process.exitCode = failed ? 1 : 0;
