#include "engine/remote_backend.h"
#include "engine/remote_sample.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace s1 {

using namespace remote_detail;

namespace {

ThinkingFormat format_from(const ForcingSettings& f) {
  if (f.think_start.empty() != f.think_end.empty()) {
    throw std::invalid_argument("give both --think-start and --think-end, or neither");
  }
  if (f.think_start.empty()) return s1_thinking_format();
  if (f.think_start == "<think>" && f.think_end == "</think>") return think_tags_format();
  return custom_thinking_format(f.think_start, f.think_end);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the chat template file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json messages_json(const std::vector<ChatMessage>& messages) {
  json out = json::array();
  for (const auto& m : messages) {
    json j = {{"role", m.role}, {"content", m.content}};
    if (!m.reasoning_content.empty()) j["reasoning_content"] = m.reasoning_content;
    out.push_back(std::move(j));
  }
  return out;
}

json kwargs_json(const ChatTemplateKwargs& kwargs) {
  json out = json::object();
  for (const auto& [name, value] : kwargs) out[name] = json::parse(value);
  return out;
}

json parse_reply(const HttpReply& r, const std::string& what) {
  if (!r.ok()) throw UpstreamError(r.describe(what));
  json j = json::parse(r.body, nullptr, false);
  if (!j.is_object()) throw UpstreamError(what + ": not a JSON object: " + r.body.substr(0, 200));
  return j;
}

}  // namespace

RemoteBackend::RemoteBackend(RemoteSettings settings, const ForcingSettings& forcing)
    : settings_(std::move(settings)), forcing_(forcing), address_(parse_remote_url(settings_.url)) {
  if (settings_.parallel < 1) throw std::invalid_argument("the remote backend needs parallel >= 1");
  if (settings_.chatml &&
      (!settings_.tokenizer_model.empty() || !settings_.chat_template_file.empty())) {
    throw std::invalid_argument("ChatML is a template of its own: give it, or a template file "
                                "or tokenizer model, not both");
  }
  if (settings_.chatml && !settings_.chat_template_kwargs.empty()) {
    throw std::invalid_argument("chat template variables need a real template (ChatML has none)");
  }
  if (!settings_.chat_template_file.empty()) {
    template_text_ = read_text(settings_.chat_template_file);
  }
  if (!settings_.tokenizer_model.empty()) {
    init_llama_backend(false);
    LoadSettings load;
    load.path = settings_.tokenizer_model;
    load.vocab_only = true;
    load.chat_template = template_text_;
    tokenizer_ = Model::load(load);
    format_ = resolve_thinking_format(*tokenizer_, forcing_);
  } else {
    format_ = format_from(forcing_);
  }
  format_given_ = tokenizer_ || !forcing_.think_start.empty();
  pool_ = std::make_unique<ClientPool>(address_.host, settings_.api_key, settings_.timeouts);
  kind_ = settings_.server_kind;
  for (int i = 0; i < settings_.parallel; ++i) workers_.emplace_back([this] { worker(); });
}

RemoteBackend::~RemoteBackend() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  for (auto& s : samples_) {
    if (s->segment) s->segment->cancelled = true;  // streams stop at their next piece
    if (s->probe) s->probe->cancelled = true;
  }
  pool_->abort();  // calls in flight end now, whatever the server does
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void RemoteBackend::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  event_cv_.notify_all();
}

void RemoteBackend::abort() {
  pool_->abort();
  wake();
}

BackendInfo RemoteBackend::info() const {
  BackendInfo info;
  info.model = "remote " + address_.host + address_.api_path +
               (settings_.api_model.empty() ? "" : " " + settings_.api_model);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  info.format = format_.name;
  info.think_end = format_.end;
  return info;
}

std::vector<std::string> RemoteBackend::warnings() const {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return warnings_;
}

void RemoteBackend::take_format(const std::string& said) const {
  std::string warning;
  if (format_given_) {
    if (!said.empty() && said != format_.name) {
      warning = "the server says its thinking format is '" + said + "', but '" + format_.name +
                "' is in use (from --think-start/--think-end or --tokenizer-model)";
    }
  } else if (said == "think-tags" || said == "s1") {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    format_ = said == "s1" ? s1_thinking_format() : think_tags_format();
    return;
  } else {
    warning = (said.empty() ? std::string("the server does not say its thinking format")
                            : "the server's thinking format is '" + said + "'") +
              ": the s1 format (" + format_.start + " ... " + format_.end +
              ") is assumed; give --think-start and --think-end, or --tokenizer-model";
  }
  if (warning.empty()) return;
  std::fprintf(stderr, "s1: warning: %s\n", warning.c_str());
  std::lock_guard<std::mutex> lock(cache_mutex_);
  warnings_.push_back(warning);
}

ServerKind RemoteBackend::server_kind() const {
  start_up();
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return kind_;
}

void RemoteBackend::start_up() const {
  std::lock_guard<std::mutex> start(start_mutex_);
  if (started_) return;
  ServerKind kind = settings_.server_kind;
  // /v1/models tells the server kind, and the thinking format where it says it (`s1
  // serve` does): taken unless the flags or a tokenizer model gave it.
  if (kind == ServerKind::kAuto || !format_given_) {
    const HttpReply models = pool_->get(address_.api_path + "/models");
    if (models.status == 0) throw UpstreamError(models.describe("GET /models"));
    take_format(models.ok() ? reported_thinking_format(models.body) : "");
    if (kind == ServerKind::kAuto) kind = detect_server_kind(models.body, pool_->get("/props").body);
  }
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    kind_ = kind;
  }
  const TokenSeq trigger = kind == ServerKind::kS1 || kind == ServerKind::kLlama
                               ? token_ids(format_.end_trigger)
                               : TokenSeq();
  by_ids_ = kind == ServerKind::kS1 && trigger.size() == 1 && trigger[0] >= 0;
  if (kind == ServerKind::kLlama) {
    // The trigger must come back as text for the stop string to catch it: one probe
    // token, pushed to be the trigger, with the fields every segment sends.
    if (trigger.size() == 1) {
      json body = {{"prompt", format_.end_trigger}, {"max_tokens", 1}, {"temperature", 0},
                   {"logit_bias", {{std::to_string(trigger[0]), 100}}}};
      SegmentStops stops;
      stops.special_text = {format_.end_trigger};
      body.update(json::parse(segment_fields(kind, stops)));
      const CompletionReply r =
          run_completion(*pool_, address_.api_path + "/completions", body.dump(), false,
                         [](const CompletionPiece&) { return true; });
      if (!r.ok) throw UpstreamError("llama-server probe: " + r.error);
      if (r.text != format_.end_trigger) {
        throw UpstreamError("llama-server at " + address_.host + " does not show " +
                                 format_.end_trigger + " as text (it sent '" + r.text +
                                 "'): start it with --special");
      }
    }
  }
  started_ = true;
}

ChatRenderer RemoteBackend::renderer() const {
  if (tokenizer_) {
    return [this](const std::vector<ChatMessage>& m, const ChatTemplateKwargs& k, bool gen) {
      std::string text = tokenizer_->apply_chat_template(m, k, gen);
      // The server adds the BOS to a text prompt itself: a template's BOS text would
      // make it two (a template file alone renders bos_token as "").
      const std::string bos = tokenizer_->adds_bos() ? tokenizer_->piece(tokenizer_->bos()) : "";
      if (!bos.empty() && text.rfind(bos, 0) == 0) text.erase(0, bos.size());
      return text;
    };
  }
  if (!template_text_.empty()) {
    return [this](const std::vector<ChatMessage>& m, const ChatTemplateKwargs& k, bool gen) {
      return render_chat_template(template_text_, m, k, gen);
    };
  }
  if (settings_.chatml) {
    return [](const std::vector<ChatMessage>& m, const ChatTemplateKwargs&, bool gen) {
      return chatml_conversation(m, gen);
    };
  }
  const ServerKind kind = server_kind();
  if (kind == ServerKind::kLlama || kind == ServerKind::kS1) {
    // llama-server's POST /apply-template (tools/server/README.md): {"prompt": text};
    // s1 serve answers it the same way.
    return [this](const std::vector<ChatMessage>& m, const ChatTemplateKwargs& k, bool gen) {
      json body = {{"messages", messages_json(m)}, {"add_generation_prompt", gen}};
      if (!k.empty()) body["chat_template_kwargs"] = kwargs_json(k);
      const json j = parse_reply(pool_->post("/apply-template", body.dump()), "POST /apply-template");
      if (!j.value("prompt", json()).is_string()) throw UpstreamError("/apply-template: no prompt");
      return j["prompt"].get<std::string>();
    };
  }
  if (kind == ServerKind::kVllm) {
    // vLLM's POST /tokenize takes chat messages (docs.vllm.ai, "Tokenizer API":
    // messages, add_generation_prompt, chat_template_kwargs) and answers tokens;
    // POST /detokenize turns them back into the prompt's text.
    return [this](const std::vector<ChatMessage>& m, const ChatTemplateKwargs& k, bool gen) {
      json body = {{"messages", messages_json(m)},
                   {"add_generation_prompt", gen},
                   {"continue_final_message", false},
                   {"add_special_tokens", false}};
      if (!settings_.api_model.empty()) body["model"] = settings_.api_model;
      if (!k.empty()) body["chat_template_kwargs"] = kwargs_json(k);
      const json t = parse_reply(pool_->post("/tokenize", body.dump()), "POST /tokenize (messages)");
      json back = {{"tokens", t.value("tokens", json::array())}};
      if (!settings_.api_model.empty()) back["model"] = settings_.api_model;
      const json d = parse_reply(pool_->post("/detokenize", back.dump()), "POST /detokenize");
      if (!d.value("prompt", json()).is_string()) throw UpstreamError("/detokenize: no prompt");
      return d["prompt"].get<std::string>();
    };
  }
  throw std::invalid_argument(
      std::string("this server (") + to_string(kind) +
      ") does not render conversations: give --chat-template-file, --tokenizer-model, or "
      "--chatml for ChatML");
}

void RemoteBackend::check_request(const BackendRequest& request) const {
  // Not passed on: segments are the backend's own prompts and stops.
  if (!request.prompt_tokens.empty()) {
    throw RequestError(RequestErrorCode::kInvalid,
                       "token prompts are not supported over the remote backend: send text",
                       "prompt_tokens");
  }
  if (!request.stop_tokens.empty()) {
    throw RequestError(RequestErrorCode::kInvalid,
                       "stop token ids are not supported over the remote backend",
                       "stop_tokens");
  }
  if (request.raw_prompt.empty() && request.messages.empty()) {
    throw std::invalid_argument("the request has no messages");
  }
  if (settings_.chatml && !request.chat_template_kwargs.empty()) {
    throw std::invalid_argument("chat template variables need a real template (ChatML has none)");
  }
}

RenderedPrompt RemoteBackend::render_prompt(const BackendRequest& request) const {
  if (request.prepared) return {request.prepared->text, request.prepared->thinking_off};
  check_request(request);
  if (!request.raw_prompt.empty()) {
    return {request.raw_prompt,
            request.judge_given_prompt && given_prompt_closed(request.raw_prompt, format_)};
  }
  return s1::render_prompt(
      renderer(), format_, request.messages,
      merge_chat_template_kwargs(settings_.chat_template_kwargs, request.chat_template_kwargs));
}

TokenSeq RemoteBackend::token_ids(const std::string& text) const {
  if (text.empty()) return {};
  if (tokenizer_) return tokenizer_->tokenize(text, true);
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (const auto it = token_ids_.find(text); it != token_ids_.end()) return it->second;
  }
  // llama-server and `s1 serve` read "content", vLLM and SGLang "prompt"; each ignores
  // the other (llama-server README POST /tokenize; vLLM "Tokenizer API").
  const json body = {
      {"content", text}, {"prompt", text}, {"add_special", false}, {"add_special_tokens", false}};
  const HttpReply r = pool_->post("/tokenize", body.dump());
  const json j = r.ok() ? json::parse(r.body, nullptr, false) : json();
  TokenSeq ids;
  if (j.is_object() && j.value("tokens", json()).is_array()) {
    for (const json& t : j["tokens"]) {
      // llama-server's with_pieces form is {"id", "piece"}.
      ids.push_back(t.is_object() ? t.value("id", 0) : t.is_number_integer() ? t.get<Token>() : 0);
    }
  } else if (settings_.estimate_tokens) {
    ids.assign(std::max<size_t>(1, text.size() / 4), -1);  // unknown ids: an estimate
  } else {
    throw UpstreamError(
        r.describe("POST /tokenize") + " — the remote backend counts forced strings with the "
        "server's /tokenize: give --tokenizer-model M.gguf, or --remote-estimate-tokens for "
        "one token per 4 bytes");
  }
  std::lock_guard<std::mutex> lock(cache_mutex_);
  token_ids_[text] = ids;
  return ids;
}

void RemoteBackend::count_all(const std::vector<std::string>& texts) const {
  if (tokenizer_) return;
  std::vector<std::string> missing;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    for (const auto& t : texts) {
      if (!t.empty() && !token_ids_.count(t)) missing.push_back(t);
    }
  }
  if (missing.size() < 2) {
    for (const auto& t : missing) token_ids(t);
    return;
  }
  // Many at once (step markers): asked side by side over the pool, each once.
  std::atomic<size_t> next{0};
  std::mutex error_mutex;
  std::string error;
  auto ask = [&] {
    for (size_t i; (i = next++) < missing.size();) {
      try {
        token_ids(missing[i]);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (error.empty()) error = e.what();
      }
    }
  };
  std::vector<std::thread> threads;
  const size_t n = std::min<size_t>(missing.size(), static_cast<size_t>(settings_.parallel));
  for (size_t i = 1; i < n; ++i) threads.emplace_back(ask);
  ask();
  for (auto& t : threads) t.join();
  if (!error.empty()) throw UpstreamError(error);
}

std::shared_ptr<const ForcingVocab> RemoteBackend::vocab_for(const BackendRequest& request,
                                                             bool by_ids) const {
  const std::vector<std::string>& ignore =
      request.ignore_strings ? *request.ignore_strings : forcing_.ignore_strings;
  const std::string& cap_suffix = request.cap_suffix ? *request.cap_suffix : forcing_.cap_suffix;
  const int max_steps = request.rules.step_tokens > 0 ? request.rules.max_steps : -1;
  std::string key = std::string(by_ids ? "ids" : "") + '\x1f' + cap_suffix + '\x1f' +
                    std::to_string(max_steps);
  for (const auto& s : ignore) key += '\x1f' + s;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (const auto it = vocabs_.find(key); it != vocabs_.end()) return it->second;
  }
  std::vector<std::string> texts = {format_.end, "\n", cap_suffix};
  texts.insert(texts.end(), ignore.begin(), ignore.end());
  for (int n = 0; n <= max_steps; ++n) texts.push_back(format_step_marker(forcing_.step_marker, n));
  count_all(texts);
  // With token ids, forced strings are their real tokens (as the local engine injects
  // them); else stand-ins of the right count.
  auto tokens_of = [&](const std::string& text, Token stand_in) {
    TokenSeq t = token_ids(text);
    if (!by_ids) t.assign(t.size(), stand_in);
    return t;
  };
  auto forced = [&](const std::string& text) { return ForcedText{text, tokens_of(text, kForced)}; };
  auto v = std::make_shared<ForcingVocab>();
  v->end_of_generation = {kEnd};
  v->end_delimiter.text = format_.end;
  v->end_delimiter.tokens = tokens_of(format_.end, kDelimRest);
  if (by_ids) {
    v->end_triggers = {token_ids(format_.end_trigger)};
  } else {
    v->end_triggers = {{kTrigger}};
    // A trigger that begins the delimiter is its first token, so the forcer keeps it.
    if (v->end_delimiter.tokens.empty()) v->end_delimiter.tokens = {kDelimRest};
    if (format_.end.rfind(format_.end_trigger, 0) == 0) v->end_delimiter.tokens.front() = kTrigger;
  }
  v->newline = forced("\n");
  v->cap_suffix = forced(cap_suffix);
  for (const auto& s : ignore) v->ignore_strings.push_back(forced(s));
  for (int n = 0; n <= max_steps; ++n) {
    v->step_markers.push_back(forced(format_step_marker(forcing_.step_marker, n)));
  }
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return vocabs_.emplace(key, std::move(v)).first->second;
}

int RemoteBackend::count_prompt_tokens(const BackendRequest& request) const {
  start_up();
  const std::string text = render_prompt(request).text;
  if (tokenizer_) return static_cast<int>(text_prompt(*tokenizer_, text).tokens.size());
  return static_cast<int>(token_ids(text).size());
}

void RemoteBackend::prepare(BackendRequest& request) const {
  if (request.prepared) return;
  auto p = std::make_shared<Prompt>();
  check_request(request);  // a bad request first, before any network
  start_up();              // the server kind, and the thinking format the prompt opens
  const RenderedPrompt r = render_prompt(request);
  p->text = r.text;
  p->thinking_off = r.thinking_off;
  p->ends_with_newline = !r.text.empty() && r.text.back() == '\n';
  request.prepared = std::move(p);
  vocab_for(request, by_ids_);  // counted here, off the owner thread
  if (request.probe.probing() && !request.probe.suffix.empty()) token_ids(request.probe.suffix);
}

int RemoteBackend::submit(BackendRequest request) {
  if (request.raw_prompt.empty() && request.messages.empty() && request.prompt_tokens.empty() &&
      !request.prepared) {
    throw std::invalid_argument("the request has no messages");
  }
  if (request.n_samples < 1)
    throw std::invalid_argument("the number of samples must be at least 1");
  request.rules.validate();
  if (request.rules.step_tokens > 0 && request.rules.max_steps > kMaxRemoteSteps) {
    throw RequestError(RequestErrorCode::kInvalid,
                       "max_steps (" + std::to_string(request.rules.max_steps) + ") is above " +
                           std::to_string(kMaxRemoteSteps),
                       "max_steps");
  }
  prepare(request);
  const Prompt& prompt = *request.prepared;
  if (prompt.thinking_off) request.rules = thinking_off_rules(request.rules);
  if (!prompt.thinking_off) adapt(request);
  auto shared = std::make_shared<BackendRequest>(std::move(request));
  auto vocab = vocab_for(*shared, by_ids_);
  const int id = next_id_++;
  for (int i = 0; i < shared->n_samples; ++i) {
    auto s = std::make_unique<Sample>();
    s->request_id = id;
    s->index = i;
    s->request = shared;
    s->vocab = vocab;
    s->rules = shared->rules;
    s->forcer.emplace(s->rules, *vocab, prompt.ends_with_newline,
                      prompt.thinking_off ? Phase::kAnswer : Phase::kThinking);
    s->prompt = prompt.text;
    s->by_ids = by_ids_;
    if (by_ids_) s->trigger = vocab->end_triggers.front().front();
    s->result.sample = i;
    s->result.max_think = s->rules.max_think;
    s->result.thinking_off = prompt.thinking_off;
    if (!prompt.thinking_off && shared->probe.probing()) {
      s->adaptive.emplace(shared->probe, s->rules.min_think);
      s->reflections.emplace(shared->probe);
    }
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
  // A segment may end early where a probe is due (or an exit may act): no end of its own.
  const int limit = thinking ? adaptive_segment_limit(s) : left;
  const bool chunk = limit < left;
  left = std::min(left, limit);
  if (!thinking && s.rules.max_answer >= 0) left = s.rules.max_answer - s.forcer->answer_tokens();
  SegmentStops stops;
  if (thinking) {
    stops.stop.push_back(format_.end_trigger);
    const TokenSeq trigger = token_ids(format_.end_trigger);
    if (trigger.size() == 1 && trigger[0] >= 0) {
      stops.stop_token_ids = trigger;
      stops.special_text = {format_.end_trigger};
      stops.mask_trigger = s.mask_trigger && stops_at_token_ids(kind_);
    }
  }
  for (const auto& e : settings_.end_of_generation) {
    if (e != format_.end_trigger) stops.stop.push_back(e);
  }
  s.mask_trigger = false;
  json body = {{"max_tokens", std::max(1, left)},
               {"temperature", sp.temperature},
               {"seed", sample_seed(sp.seed, s.index)},
               {"stream", settings_.stream}};
  if (settings_.stream) body["stream_options"] = {{"include_usage", true}};
  body.update(json::parse(segment_fields(kind_, stops)));
  if (!settings_.api_model.empty()) body["model"] = settings_.api_model;
  if (sp.top_k > 0) body["top_k"] = sp.top_k;
  if (sp.top_p < 1.0f) body["top_p"] = sp.top_p;
  if (sp.min_p > 0.0f) body["min_p"] = sp.min_p;
  if (!sp.logit_bias.empty()) body["logit_bias"] = json::parse(logit_bias_field(kind_, sp.logit_bias));
  auto seg = std::make_shared<Segment>();
  seg->sample = &s;
  seg->stream = settings_.stream;
  seg->asked = std::max(1, left);
  seg->chunk = chunk;
  seg->phase = s.forcer->phase();
  seg->steps_left = s.forcer->steps_left();
  if (s.by_ids) body["return_token_ids"] = true;
  seg->body = std::move(body);
  set_prompt(*seg, s);
  s.segment = seg;
  send(s, std::move(seg));
}

void RemoteBackend::set_prompt(Segment& seg, const Sample& s, const std::string& suffix) const {
  if (!s.ids_known) {
    seg.body["prompt"] = s.prompt + suffix;
    return;
  }
  TokenSeq ids = s.ids;
  const TokenSeq more = token_ids(suffix);
  ids.insert(ids.end(), more.begin(), more.end());
  seg.body["prompt"] = ids;
}

void RemoteBackend::send(Sample& s, std::shared_ptr<Segment> seg) {
  ++s.outstanding;
  seg->sent = Clock::now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    work_.push_back(std::move(seg));
  }
  work_cv_.notify_one();
}

void RemoteBackend::worker() {
  const std::string path = address_.api_path + "/completions";
  for (;;) {
    std::shared_ptr<Segment> seg;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [&] { return stopping_ || !work_.empty(); });
      if (stopping_) return;
      seg = std::move(work_.front());
      work_.pop_front();
    }
    auto post = [&](Event e) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        events_.push_back(std::move(e));
      }
      event_cv_.notify_all();
    };
    try {
      seg->reply = run_completion(*pool_, path, seg->body.dump(), seg->stream,
                                  [&](const CompletionPiece& piece) {
                                    if (seg->cancelled) return false;
                                    post({seg, piece, false});
                                    return true;
                                  },
                                  &seg->cancelled);
    } catch (const std::exception& e) {
      seg->reply.ok = false;
      seg->reply.error = e.what();
    }
    post({seg, {}, true});
  }
}

void RemoteBackend::apply(Sample& s, const Decision& d, std::optional<Token> sampled) {
  if (s.ids_known) {
    // As the local engine keeps its cells: take back, keep the sampled token, inject.
    s.ids.resize(s.ids.size() - std::min(s.ids.size(), static_cast<size_t>(d.retract)));
    if (!d.done) {
      if (sampled && d.keep_token) s.ids.push_back(*sampled);
      s.ids.insert(s.ids.end(), d.inject.begin(), d.inject.end());
    }
  }
  stats_.injected_tokens += static_cast<int64_t>(d.inject.size());
  s.result.injected_tokens += static_cast<int>(d.inject.size());
  if (d.mask_triggers) s.mask_trigger = true;
  // The model sees everything shown, forced text included.
  for (const TextChunk& chunk : d.output) {
    s.prompt += chunk.text;
    // An ignore string appended, or the model turning to check its work itself.
    if (s.reflections && chunk.channel == Channel::kThinking && s.reflections->on_text(chunk.text)) {
      s.reflection = true;
    }
  }
  if (d.event >= 0 && s.forcer->events()[static_cast<size_t>(d.event)].kind == ForcingKind::kIgnore) {
    s.reflection = true;
  }
  deliver_chunks(d.output, s.index, s.result, s.request->on_text);
  if (d.done) finish(s, s.forcer->finish_reason());
}

void RemoteBackend::finish(Sample& s, FinishReason reason) {
  if (s.done) return;
  if (s.probe && reason != FinishReason::kCancelled && reason != FinishReason::kError) {
    // A probe still out is part of the result (as locally, where it ends within a step or
    // two): the result waits for it (on_probe_end).
    s.finish_after_probe = reason;
    return;
  }
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

void RemoteBackend::feed(Sample& s, const TokenSeq& tokens, const std::string& text) {
  const auto n = static_cast<int>(tokens.size());
  const Phase phase = s.forcer->phase();
  stats_.sampled_tokens += n;
  stats_.decoded_tokens += n;
  s.result.sampled_tokens += n;
  for (int i = 0; i < n && s.forcer->phase() == phase && !s.done; ++i) {
    const Token t = tokens[static_cast<size_t>(i)];
    apply(s, s.forcer->on_token(t, i == 0 ? std::string_view(text) : std::string_view()), t);
  }
}

void RemoteBackend::feed_text(Sample& s, int n, const std::string& text) {
  // Ids unknown from here on: the server sent text alone.
  s.by_ids = false;
  s.ids_known = false;
  feed(s, TokenSeq(static_cast<size_t>(n), kText), text);
}

void RemoteBackend::take_piece(Sample& s, Segment& seg, const CompletionPiece& piece) {
  // A segment sent as text tells the prompt's ids: the sample continues from ids.
  if (s.by_ids && !s.ids_known && piece.has_prompt_token_ids) {
    s.ids = piece.prompt_token_ids;
    s.ids_known = true;
  }
  if (s.by_ids && piece.has_token_ids && (!piece.token_ids.empty() || piece.text.empty())) {
    seg.fed += static_cast<int>(piece.token_ids.size());
    feed(s, piece.token_ids, piece.text);
    return;
  }
  // Text alone: each streamed piece is a token, but the last one, whose count comes
  // from usage.
  if (piece.text.empty()) return;
  if (!seg.stream) {
    seg.held = piece.text;
  } else if (seg.fed + 1 < seg.asked && seg.held.empty()) {
    ++seg.fed;
    feed_text(s, 1, piece.text);
  } else {
    seg.held += piece.text;
  }
}

void RemoteBackend::on_end(Segment& seg) {
  Sample& s = *seg.sample;
  --s.outstanding;
  if (seg.abandoned) return;  // an exit cut it short; what it streamed was taken
  s.segment.reset();
  if (s.done) return;  // cancelled while the request ran
  const CompletionReply& reply = seg.reply;
  if (!reply.ok) {
    finish(s, FinishReason::kError);
    throw UpstreamError(reply.error);
  }
  // As when the segment was sent: streamed tokens may have moved the forcer on already.
  const Phase phase = seg.phase;
  const int steps_left = seg.steps_left;
  // All tokens: their ids, else usage's count, or one per streamed chunk where the
  // server gives none.
  int total = seg.fed;
  if (!(s.by_ids && reply.has_token_ids)) {
    const int chunks = seg.stream ? reply.chunks : (reply.text.empty() ? 0 : 1);
    total = std::max({reply.tokens, chunks, seg.fed + (seg.held.empty() ? 0 : 1)});
    if (total > seg.fed) feed_text(s, total - seg.fed, seg.held);
  }
  if (s.done || s.forcer->phase() != phase) return;  // the cap or max_answer closed it
  const bool stopped = reply.finish_reason == "stop";
  if (!stopped && s.forcer->steps_left() != steps_left) return;  // a step ended: go on
  if (!stopped && seg.chunk && total >= seg.asked) return;  // a chunk ended: go on
  if (!stopped) {
    // The server ended short of what was asked (its own context or limit).
    finish(s, total < seg.asked ? FinishReason::kContext : FinishReason::kLength);
    return;
  }
  if (phase == Phase::kThinking) {
    s.empty_segments = total == 0 ? s.empty_segments + 1 : 0;
    if (s.empty_segments > 16) {  // nothing but ignored ends: the model cannot go on
      finish(s, FinishReason::kLength);
      return;
    }
  }
  // vLLM and SGLang say why they stopped: the stop string matched, a token id of
  // stop_token_ids (only the trigger is there), or null for EOS.
  bool end_of_generation = phase == Phase::kAnswer;
  if (!reply.stop_reason.empty()) {
    const json why = json::parse(reply.stop_reason, nullptr, false);
    const bool at_trigger =
        (why.is_string() && why == format_.end_trigger) || why.is_number_integer();
    end_of_generation = end_of_generation || !at_trigger;
  }
  const Token stop = end_of_generation ? kEnd : s.trigger;
  apply(s, s.forcer->on_token(stop, ""), stop);
}

bool RemoteBackend::step() {
  for (auto& sp : samples_) {
    Sample& s = *sp;
    if (s.done || s.segment || s.probe_waits || s.finish_after_probe != FinishReason::kNone) continue;
    if (!s.started) {
      s.started = true;
      s.start = Clock::now();
      apply(s, s.forcer->begin());  // a cap of 0 closes thinking at once
      if (s.done) continue;
    }
    exit_if_due(s);
    if (!s.done && s.forcer->phase() != Phase::kDone) launch(s);
  }
  std::deque<Event> arrived;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool waiting =
        std::any_of(samples_.begin(), samples_.end(), [](const auto& s) { return s->outstanding > 0; });
    // Woken by the workers' news (every request in flight ends with an end event), or by
    // wake() for the owner's own news (a cancel, a shutdown).
    if (waiting) event_cv_.wait(lock, [&] { return !events_.empty() || woken_; });
    woken_ = false;
    arrived.swap(events_);
  }
  std::vector<std::string> errors;
  for (Event& e : arrived) {
    Segment& seg = *e.segment;
    Sample& s = *seg.sample;
    if (!e.end) {
      if (s.done || seg.abandoned || seg.is_probe) continue;
      take_piece(s, seg, e.piece);
      // A probe due at the segment's last token is considered at its end (where it may
      // wait for the one in flight), as in text, where that token's count comes last.
      if (seg.fed < seg.asked) consider_probe(s, false);
      continue;
    }
    try {
      if (seg.is_probe) {
        on_probe_end(seg);
      } else {
        on_end(seg);
        consider_probe(s, true);
      }
    } catch (const std::runtime_error& ex) {
      errors.push_back(ex.what());
    }
  }
  // Exits decided meanwhile (a probe's, a client's) cut the segment in flight short.
  for (auto& sp : samples_) {
    try {
      exit_if_due(*sp);
    } catch (const std::runtime_error& ex) {  // counting the probed answer's tokens
      finish(*sp, FinishReason::kError);
      errors.push_back(ex.what());
    }
  }
  samples_.erase(std::remove_if(samples_.begin(), samples_.end(),
                                [](const auto& s) { return s->done && s->outstanding == 0; }),
                 samples_.end());
  if (!errors.empty()) {
    errors_.insert(errors_.end(), errors.begin(), errors.end());
    std::string message = "remote backend: " + std::to_string(errors.size()) +
                          (errors.size() == 1 ? " request failed: " : " requests failed: ");
    for (size_t i = 0; i < errors.size(); ++i) message += (i ? "; " : "") + errors[i];
    throw UpstreamError(message);
  }
  return !samples_.empty();
}

bool RemoteBackend::cancel(int request_id) {
  bool found = false;
  for (auto& s : samples_) {
    if (s->request_id != request_id || s->done) continue;
    if (!s->started) s->start = Clock::now();
    finish(*s, FinishReason::kCancelled);  // an answer still on its way is dropped when it comes
    if (s->segment) s->segment->cancelled = true;  // its HTTP call ends (interrupt below)
    if (s->probe) s->probe->cancelled = true;
    found = true;
  }
  if (found) pool_->interrupt();
  return found;
}

}  // namespace s1
