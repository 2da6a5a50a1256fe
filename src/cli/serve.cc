// `s1 serve`: the OpenAI-compatible HTTP server (src/server), with the shared model,
// forcing and sampling flags as server-wide defaults for requests.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/flags.h"
#include "server/http_server.h"

namespace s1::cli {
namespace {

struct ServeArgs {
  ModelFlags model;
  ForcingSettings forcing;
  BudgetRules rules;
  SamplingFlags sampling;
  AdaptiveFlags adaptive;
  server::ServerSettings server;
  std::vector<std::string> aliases;
  bool quiet = false;
};

int run_serve(ServeArgs& a) {
  a.rules.validate();
  server::ServerSettings& s = a.server;
  s.log_requests = !a.quiet;
  a.sampling.resolve(s.api.thinking_sampling, s.api.answer_sampling);
  s.api.rules = a.rules;
  a.adaptive.resolve(s.api.probe, s.api.suppress_words);
  // Probes use idle sequences unless some are kept for them.
  a.model.context.context.probe_sequences = std::max(0, a.adaptive.probe_slots);
  s.api.model_names = a.aliases;
  if (s.api.model_names.empty()) {
    const std::string from = !a.model.load.path.empty() ? a.model.load.path : a.model.load.hf_repo;
    const std::string name = std::filesystem::path(from).filename().string();
    s.api.model_names.push_back(!name.empty()                ? name
                                : !a.model.remote.api_model.empty() ? a.model.remote.api_model
                                                             : "s1");
  }
  if (!s.playground.empty() && !std::filesystem::is_regular_file(s.playground)) {
    throw CommandError("no playground file " + s.playground);
  }

  // Signals go to a watcher thread, not to whichever thread runs: block them first so
  // every thread started later inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client gone mid-write is a failed write, not a death

  s.parallel = a.model.context.parallel;
  auto backend = make_backend(a.model, a.forcing, s.parallel);
  warn_budgets_beyond_context("serve", {a.rules.max_think}, *backend,
                              "requests without their own budget think for what the context "
                              "leaves after their prompt");
  // The default words, checked once: a word no token contains is said at start.
  try {
    suppressed_tokens_noted("serve", *backend, s.api.suppress_words);
  } catch (const std::invalid_argument& e) {
    throw CommandError(e.what(), 2);
  }
  s.api.n_vocab = backend->info().n_vocab;
  server::HttpServer http(std::move(backend), s);
  std::atomic<bool> listening_ended{false};
  std::printf("s1 serve: listening on http://%s:%d\n", s.host.c_str(), http.bound_port());
  std::fflush(stdout);
  // The first signal shuts down within the grace; a second one exits at once.
  std::thread shutter;
  std::thread watcher([&] {
    int sig = 0;
    sigwait(&set, &sig);
    if (listening_ended) return;
    std::fprintf(stderr, "s1 serve: shutting down (grace %.1f s; a second signal exits now)\n",
                 s.shutdown_grace_s);
    shutter = std::thread([&] {
      http.shutdown(std::chrono::milliseconds(static_cast<int64_t>(s.shutdown_grace_s * 1000)));
    });
    sigwait(&set, &sig);
    if (listening_ended) return;
    std::fprintf(stderr, "s1 serve: second signal: exiting now\n");
    std::_Exit(1);
  });
  const bool ok = http.listen();
  listening_ended = true;
  pthread_kill(watcher.native_handle(), SIGTERM);  // wakes it when listen() ended by itself
  watcher.join();
  if (shutter.joinable()) shutter.join();
  if (!ok) throw CommandError("the server stopped with an error");
  if (http.heavy_work_running()) {
    // A tokenizer the shutdown left behind (its client has its 503): exiting normally
    // would wait for it.
    std::fflush(nullptr);
    std::_Exit(0);
  }
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd =
      app.add_subcommand("serve", "OpenAI-compatible server with per-request thinking budgets");
  args->model.context.context.cache_ram_mib = kServeCacheRamMib;
  add_model_flags(*cmd, args->model);
  add_forcing_flags(*cmd, args->forcing, args->rules);
  add_sampling_flags(*cmd, args->sampling);
  add_adaptive_flags(*cmd, args->adaptive);
  server::ServerSettings& s = args->server;
  cmd->add_option("--host", s.host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", s.port, "port to listen on (0: a free one, printed)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--queue", s.max_queue, "requests that may wait for a sequence; beyond: 503")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 16));
  cmd->add_option("--max-connections", s.max_connections,
                  "connections served at once, a thread each; beyond, 4 more for /health and "
                  "/metrics only, then clients wait to connect")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 16));
  cmd->add_option("--timeout", s.timeout_s, "seconds a request may take to arrive whole (headers and body: 408 "
                  "after), and a write to wait")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--shutdown-grace", s.shutdown_grace_s,
                  "on SIGTERM/SIGINT: seconds running requests may finish before they are cancelled")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--alias", args->aliases,
                  "model name(s) clients send (default: the model file name); repeatable");
  cmd->add_option("--max-n", s.api.max_n, "largest 'n' (samples per request)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_flag("--quiet", args->quiet,
               "no line per request on stderr (method, path, status, time, tokens)");
  cmd->add_option("--playground", s.playground,
                  "serve this HTML file at / instead of the built-in page");
  cmd->callback([args, &exit_code] { exit_code = run_serve(*args); });
}

}  // namespace s1::cli
