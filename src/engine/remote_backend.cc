#include "engine/remote_backend.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

namespace s1 {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Stand-in token ids: the forcer sees the remote text as tokens of these kinds.
constexpr Token kText = 10;      // a sampled token (its text rides on the first of a segment)
constexpr Token kTrigger = 1;    // the model stopped at an end trigger
constexpr Token kEnd = 2;        // the model stopped at an end-of-generation token
constexpr Token kForced = 3;     // a token of a forced string
constexpr Token kDelimRest = 4;  // a token of the end delimiter after the trigger
// Each step marker is counted by one /tokenize call; 1000 steps of ~100 tokens is more
// thinking than any served context holds.
constexpr int kMaxRemoteSteps = 1000;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

ThinkingFormat format_from(const ForcingSettings& f) {
  if (f.think_start.empty() != f.think_end.empty()) {
    throw std::invalid_argument("give both --think-start and --think-end, or neither");
  }
  if (f.think_start.empty()) return s1_thinking_format();
  if (f.think_start == "<think>" && f.think_end == "</think>") return think_tags_format();
  return custom_thinking_format(f.think_start, f.think_end);
}

}  // namespace

struct RemoteBackend::Sample {
  int request_id = 0;
  int index = 0;
  std::shared_ptr<BackendRequest> request;
  std::shared_ptr<const ForcingVocab> vocab;
  std::optional<BudgetForcer> forcer;
  BudgetRules rules;
  std::string prompt;  // grows with every segment and forced string
  SequenceResult result;
  bool started = false;
  bool in_flight = false;
  bool done = false;
  int empty_segments = 0;  // ignored ends that added nothing (a loop guard)
  Clock::time_point start, first_text;
};

struct RemoteBackend::Segment {
  Sample* sample = nullptr;
  json body;
  int asked = 0;  // max_tokens sent
  bool ok = false;
  std::string error;
  std::string text;
  int tokens = 0;
  std::string finish_reason;
  bool stopped_at_end_of_generation = false;
};

RemoteBackend::RemoteBackend(RemoteSettings settings, const ForcingSettings& forcing)
    : settings_(std::move(settings)), forcing_(forcing), format_(format_from(forcing)) {
  const std::string& url = settings_.url;
  const size_t scheme = url.find("://");
  if (url.empty() || scheme == std::string::npos) {
    throw std::invalid_argument("the remote URL must look like http://host:port, not '" + url +
                                "'");
  }
  const size_t slash = url.find('/', scheme + 3);
  host_ = url.substr(0, slash);
  path_ = slash == std::string::npos ? "" : url.substr(slash);
  while (!path_.empty() && path_.back() == '/') path_.pop_back();
  if (path_.empty()) path_ = "/v1";
  if (settings_.parallel < 1) throw std::invalid_argument("the remote backend needs parallel >= 1");
  for (int i = 0; i < settings_.parallel; ++i) workers_.emplace_back([this] { worker(); });
}

RemoteBackend::~RemoteBackend() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

BackendInfo RemoteBackend::info() const {
  return {
      "remote " + host_ + path_ + (settings_.api_model.empty() ? "" : " " + settings_.api_model),
      format_.name};
}

std::string RemoteBackend::render_prompt(const BackendRequest& request) const {
  if (!request.raw_prompt.empty()) return request.raw_prompt;
  std::string p;
  for (const auto& m : request.messages)
    p += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
  return p + "<|im_start|>assistant\n" + format_.start;
}

int RemoteBackend::token_count(const std::string& text) const {
  if (text.empty()) return 0;
  if (const auto it = token_counts_.find(text); it != token_counts_.end()) return it->second;
  httplib::Client cli(host_);
  cli.set_read_timeout(settings_.timeout_s);
  if (!settings_.api_key.empty()) cli.set_bearer_token_auth(settings_.api_key.c_str());
  // llama-server and `s1 serve` read "content", vLLM "prompt"; each ignores the other.
  const json body = {
      {"content", text}, {"prompt", text}, {"add_special", false}, {"add_special_tokens", false}};
  int n = -1;
  if (auto r = cli.Post("/tokenize", body.dump(), "application/json"); r && r->status == 200) {
    const json j = json::parse(r->body, nullptr, false);
    if (j.is_object() && j.contains("tokens") && j["tokens"].is_array()) {
      n = static_cast<int>(j["tokens"].size());
    }
  }
  if (n < 0) n = std::max<int>(1, static_cast<int>(text.size() / 4));  // no /tokenize: estimate
  token_counts_[text] = n;
  return n;
}

ForcingVocab RemoteBackend::vocab_for(const std::vector<std::string>& ignore_strings,
                                     int max_steps) const {
  auto forced = [&](const std::string& text) {
    return ForcedText{text, TokenSeq(static_cast<size_t>(token_count(text)), kForced)};
  };
  ForcingVocab v;
  v.end_triggers = {{kTrigger}};
  v.end_of_generation = {kEnd};
  // A trigger that begins the delimiter is its first token, so the forcer keeps it.
  v.end_delimiter.text = format_.end;
  const int delim = std::max(1, token_count(format_.end));
  const bool trigger_first = format_.end.rfind(format_.end_trigger, 0) == 0;
  v.end_delimiter.tokens.assign(static_cast<size_t>(delim), kDelimRest);
  if (trigger_first) v.end_delimiter.tokens.front() = kTrigger;
  v.newline = forced("\n");
  v.cap_suffix = forced(forcing_.cap_suffix);
  for (const auto& s : ignore_strings) v.ignore_strings.push_back(forced(s));
  for (int n = 0; n <= max_steps; ++n) {
    v.step_markers.push_back(forced(format_step_marker(forcing_.step_marker, n)));
  }
  return v;
}

int RemoteBackend::count_prompt_tokens(const BackendRequest& request) const {
  return token_count(render_prompt(request));
}

int RemoteBackend::submit(BackendRequest request) {
  if (request.raw_prompt.empty() && request.messages.empty()) {
    throw std::invalid_argument("the request has no messages");
  }
  if (request.n_samples < 1)
    throw std::invalid_argument("the number of samples must be at least 1");
  if (!request.chat_template_kwargs.empty()) {
    throw std::invalid_argument("chat template variables need the local backend: the remote "
                                "backend renders conversations as ChatML");
  }
  request.rules.validate();
  if (request.rules.step_tokens > 0 && request.rules.max_steps > kMaxRemoteSteps) {
    throw std::invalid_argument("max_steps (" + std::to_string(request.rules.max_steps) +
                                ") is above " + std::to_string(kMaxRemoteSteps));
  }
  auto shared = std::make_shared<BackendRequest>(std::move(request));
  auto vocab = std::make_shared<const ForcingVocab>(
      vocab_for(shared->ignore_strings ? *shared->ignore_strings : forcing_.ignore_strings,
                shared->rules.step_tokens > 0 ? shared->rules.max_steps : -1));
  const std::string prompt = render_prompt(*shared);
  const int id = next_id_++;
  for (int i = 0; i < shared->n_samples; ++i) {
    auto s = std::make_unique<Sample>();
    s->request_id = id;
    s->index = i;
    s->request = shared;
    s->vocab = vocab;
    s->rules = shared->rules;
    s->forcer.emplace(s->rules, *vocab, !prompt.empty() && prompt.back() == '\n');
    s->prompt = prompt;
    s->result.sample = i;
    s->result.max_think = s->rules.max_think;
    samples_.push_back(std::move(s));
  }
  return id;
}

void RemoteBackend::launch(Sample& s) {
  const bool thinking = s.forcer->phase() == Phase::kThinking;
  const SamplingParams& sp = thinking ? s.request->thinking_sampling : s.request->answer_sampling;
  int left = settings_.default_max_tokens;
  if (thinking && s.rules.max_think >= 0) left = s.rules.max_think - s.forcer->thinking_tokens();
  // A segment ends at the next step boundary, where the forcer puts its marker.
  if (const int to_step = s.forcer->tokens_to_next_step(); thinking && to_step >= 0) {
    left = std::min(left, to_step);
  }
  if (!thinking && s.rules.max_answer >= 0) left = s.rules.max_answer - s.forcer->answer_tokens();
  json stop = json::array();
  if (thinking) stop.push_back(format_.end_trigger);
  for (const auto& e : settings_.end_of_generation) {
    if (e != format_.end_trigger) stop.push_back(e);
  }
  json body = {{"prompt", s.prompt},
               {"max_tokens", std::max(1, left)},
               {"stop", stop},
               {"temperature", sp.temperature},
               {"seed", sp.seed + static_cast<uint32_t>(s.index) * 7919u},
               {"stream", false},
               {"skip_special_tokens", false}};  // vLLM: show special triggers as text
  if (!settings_.api_model.empty()) body["model"] = settings_.api_model;
  if (sp.top_k > 0) body["top_k"] = sp.top_k;
  if (sp.top_p < 1.0f) body["top_p"] = sp.top_p;
  if (sp.min_p > 0.0f) body["min_p"] = sp.min_p;
  if (!sp.logit_bias.empty()) {
    json bias = json::object();
    for (const auto& [tok, b] : sp.logit_bias) bias[std::to_string(tok)] = b;
    body["logit_bias"] = bias;
  }
  auto seg = std::make_shared<Segment>();
  seg->sample = &s;
  seg->asked = std::max(1, left);
  seg->body = std::move(body);
  s.in_flight = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    work_.push_back(std::move(seg));
  }
  work_cv_.notify_one();
}

void RemoteBackend::worker() {
  for (;;) {
    std::shared_ptr<Segment> seg;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [&] { return stopping_ || !work_.empty(); });
      if (stopping_) return;
      seg = std::move(work_.front());
      work_.pop_front();
    }
    httplib::Client cli(host_);
    cli.set_read_timeout(settings_.timeout_s);
    cli.set_connection_timeout(10);
    if (!settings_.api_key.empty()) cli.set_bearer_token_auth(settings_.api_key.c_str());
    auto r = cli.Post((path_ + "/completions").c_str(), seg->body.dump(), "application/json");
    if (!r) {
      seg->error = "cannot reach " + host_ + ": " + httplib::to_string(r.error());
    } else if (r->status != 200) {
      seg->error =
          "the server answered " + std::to_string(r->status) + ": " + r->body.substr(0, 300);
    } else {
      const json j = json::parse(r->body, nullptr, false);
      if (!j.is_object() || !j.contains("choices") || !j["choices"].is_array() ||
          j["choices"].empty() || !j["choices"][0].value("text", json()).is_string()) {
        seg->error = "not a completion response: " + r->body.substr(0, 300);
      } else {
        const json& c = j["choices"][0];
        seg->ok = true;
        seg->text = c["text"].get<std::string>();
        const json why = c.value("finish_reason", json());
        seg->finish_reason = why.is_string() ? why.get<std::string>() : "stop";
        const json usage = j.value("usage", json::object());
        seg->tokens =
            usage.is_object() && usage.value("completion_tokens", json()).is_number_integer()
                ? usage["completion_tokens"].get<int>()
                : static_cast<int>(seg->text.size() / 4);
        // vLLM says why it stopped: a matched string, or null / a token id for EOS.
        if (c.contains("stop_reason")) {
          const json& why = c["stop_reason"];
          seg->stopped_at_end_of_generation = !why.is_string() || why != format_.end_trigger;
        }
      }
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.push_back(std::move(seg));
    }
    done_cv_.notify_all();
  }
}

void RemoteBackend::apply(Sample& s, const Decision& d) {
  stats_.injected_tokens += static_cast<int64_t>(d.inject.size());
  s.result.injected_tokens += static_cast<int>(d.inject.size());
  // The model sees everything shown, forced text included.
  for (const TextChunk& chunk : d.output) s.prompt += chunk.text;
  deliver_chunks(d.output, s.index, s.result, s.request->on_text);
  if (d.done) finish(s, to_string(s.forcer->finish_reason()));
}

void RemoteBackend::finish(Sample& s, const std::string& reason) {
  if (s.done) return;
  s.done = true;
  if (s.forcer->phase() != Phase::kDone) {
    deliver_chunks(s.forcer->finish(FinishReason::kLength).output, s.index, s.result,
                   s.request->on_text);
  }
  SequenceResult& r = s.result;
  r.finish_reason = reason;
  r.thinking_tokens = s.forcer->thinking_tokens();
  r.answer_tokens = s.forcer->answer_tokens();
  r.events = s.forcer->events();
  r.generation_ms = ms_between(s.start, Clock::now());
  if (s.request->on_done) s.request->on_done(s.index, r);
}

void RemoteBackend::on_segment(Segment& seg) {
  Sample& s = *seg.sample;
  s.in_flight = false;
  if (s.done) return;  // cancelled while the request ran
  if (!seg.ok) {
    finish(s, "error");
    throw std::runtime_error("remote backend: " + seg.error);
  }
  const Phase phase = s.forcer->phase();
  const int steps_left = s.forcer->steps_left();
  const int n = std::max(seg.tokens, seg.text.empty() ? 0 : 1);
  stats_.sampled_tokens += n;
  stats_.decoded_tokens += n;
  s.result.sampled_tokens += n;
  for (int i = 0; i < n && s.forcer->phase() == phase && !s.done; ++i) {
    apply(s, s.forcer->on_token(kText, i == 0 ? std::string_view(seg.text) : std::string_view()));
  }
  if (s.done || s.forcer->phase() != phase) return;  // the cap or max_answer closed it
  const bool stopped = seg.finish_reason == "stop";
  if (!stopped && s.forcer->steps_left() != steps_left) return;  // a step ended: go on
  if (!stopped) {
    // The server ended short of what was asked (its own context or limit).
    finish(s, seg.tokens < seg.asked ? "context" : "length");
    return;
  }
  if (phase == Phase::kThinking) {
    s.empty_segments = n == 0 ? s.empty_segments + 1 : 0;
    if (s.empty_segments > 16) {  // nothing but ignored ends: the model cannot go on
      finish(s, "length");
      return;
    }
  }
  apply(s, s.forcer->on_token(
               seg.stopped_at_end_of_generation || phase == Phase::kAnswer ? kEnd : kTrigger, ""));
}

bool RemoteBackend::step() {
  for (auto& sp : samples_) {
    Sample& s = *sp;
    if (s.done || s.in_flight) continue;
    if (!s.started) {
      s.started = true;
      s.start = Clock::now();
      apply(s, s.forcer->begin());  // a cap of 0 closes thinking at once
      if (s.done) continue;
    }
    launch(s);
  }
  std::deque<std::shared_ptr<Segment>> arrived;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool waiting =
        std::any_of(samples_.begin(), samples_.end(), [](const auto& s) { return s->in_flight; });
    if (waiting)
      done_cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return !done_.empty(); });
    arrived.swap(done_);
  }
  std::string error;
  for (auto& seg : arrived) {
    try {
      on_segment(*seg);
    } catch (const std::runtime_error& e) {
      error = e.what();
    }
  }
  samples_.erase(std::remove_if(samples_.begin(), samples_.end(),
                                [](const auto& s) { return s->done && !s->in_flight; }),
                 samples_.end());
  if (!error.empty()) throw std::runtime_error(error);
  return !samples_.empty();
}

bool RemoteBackend::cancel(int request_id) {
  bool found = false;
  for (auto& s : samples_) {
    if (s->request_id != request_id || s->done) continue;
    if (!s->started) s->start = Clock::now();
    finish(*s, "cancelled");  // an answer still on its way is dropped when it comes
    found = true;
  }
  return found;
}

bool RemoteBackend::end_thinking(int request_id, const std::string& reason) {
  (void)request_id;
  (void)reason;
  return false;
}

std::vector<SuppressedTokens> RemoteBackend::suppressed_tokens(const std::vector<std::string>& words) const {
  (void)words;
  throw std::invalid_argument("suppressing words needs the local backend: the server's vocabulary is not visible");
}

}  // namespace s1
