#include "engine/scheduler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "engine/scheduler_slot.h"

namespace s1 {

void deliver_chunks(const std::vector<TextChunk>& chunks, int sample, SequenceResult& result,
                    const std::function<void(int, const TextChunk&)>& on_text) {
  for (const TextChunk& chunk : chunks) {
    if (chunk.channel == Channel::kThinking) result.thinking += chunk.text;
    if (chunk.channel == Channel::kAnswer) result.answer += chunk.text;
    if (on_text) on_text(sample, chunk);
  }
}

Scheduler::Scheduler(const Model& model, const ForcingVocab& vocab, const ContextSettings& settings)
    : model_(model),
      vocab_(vocab),
      settings_(settings),
      store_(settings.cache_tokens == 0 ? 0 : int64_t{settings.cache_ram_mib} * 1024 * 1024) {
  if (settings.n_parallel < 1) throw std::invalid_argument("--parallel must be at least 1");
  if (settings.n_ctx < 16) throw std::invalid_argument("the context must hold at least 16 tokens");
  if (settings.n_batch < 1 || settings.n_ubatch < 1) {
    throw std::invalid_argument("batch sizes must be positive");
  }
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = static_cast<uint32_t>(settings.n_ctx);
  cp.n_batch = static_cast<uint32_t>(settings.n_batch);
  cp.n_ubatch = static_cast<uint32_t>(std::min(settings.n_ubatch, settings.n_batch));
  if (settings.probe_sequences < 0) throw std::invalid_argument("probe sequences cannot be negative");
  if (settings.cache_ram_mib < -1) throw std::invalid_argument("--cache-ram must be -1 or more");
  const int sequences = settings.n_parallel + settings.probe_sequences;
  cp.n_seq_max = static_cast<uint32_t>(sequences);
  // One KV stream per sequence: attention then reads only the sequence's own cells (in
  // one shared stream every query scans all sequences' cells, masked, which grows with
  // every sample). Shared prompts are copied, not shared, at the cost of memory copies.
  cp.kv_unified = settings.unified_kv;
  const int threads = settings.n_threads > 0
                          ? settings.n_threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  cp.n_threads = threads;
  cp.n_threads_batch = threads;
  n_threads_ = threads;
  cp.no_perf = true;
  ctx_.reset(llama_init_from_model(model.get(), cp));
  if (!ctx_) throw std::runtime_error("cannot create the llama.cpp context");
  // llama.cpp may round the context and bound the batch by it.
  // (One KV buffer: a probe shares its sample's cells, so only requests divide it.)
  n_ctx_seq_ = static_cast<int>(llama_n_ctx(ctx_.get())) /
               (settings.unified_kv ? settings.n_parallel : sequences);
  settings_.n_batch = static_cast<int>(llama_n_batch(ctx_.get()));
  batch_ = llama_batch_init(settings_.n_batch, 0, 1);
  for (int i = 0; i < sequences; ++i) {
    slots_.push_back(std::make_unique<Slot>());
    slots_.back()->seq_id = i;
  }
  mask_tokens_ = vocab.end_of_generation;
  for (const auto& t : vocab.end_triggers) mask_tokens_.push_back(t.front());
}

Scheduler::~Scheduler() { llama_batch_free(batch_); }

int Scheduler::submit(GenerationRequest request) {
  if (request.n_samples < 1) throw std::invalid_argument("the number of samples must be at least 1");
  if (request.prompt.empty()) throw std::invalid_argument("the prompt is empty");
  BudgetRules rules = request.rules;
  rules.validate();
  const int prompt = static_cast<int>(request.prompt.size());
  const ForcingVocab& vocab = request.vocab ? *request.vocab : vocab_;
  if (vocab.end_delimiter.tokens != vocab_.end_delimiter.tokens) {
    throw std::invalid_argument("a request cannot change the thinking end delimiter");
  }
  check_step_markers(rules, vocab);
  const int closing = static_cast<int>(vocab.newline.tokens.size() +
                                       vocab.end_delimiter.tokens.size() +
                                       vocab.cap_suffix.tokens.size());
  if (prompt + closing + 1 > n_ctx_seq_) {
    throw RequestError(RequestErrorCode::kContextExceeded,
                       "the prompt (" + std::to_string(prompt) +
                           " tokens) does not fit the context (" + std::to_string(n_ctx_seq_) +
                           " tokens per sequence)");
  }
  const int room = n_ctx_seq_ - prompt - closing - 1;
  const bool answer_clamped = rules.max_answer > room && request.fit_answer_to_context;
  if (answer_clamped) rules.max_answer = -1;
  if (rules.max_answer > room) {
    throw RequestError(RequestErrorCode::kContextExceeded,
                       "the answer budget (" + std::to_string(rules.max_answer) +
                           " tokens) is beyond what the context leaves (" + std::to_string(room) +
                           ")",
                       "max_answer");
  }
  const int answer_reserve = rules.max_answer >= 0 ? rules.max_answer : std::min(room / 4, 1024);
  const int think_room = room - answer_reserve;
  bool clamped = false;
  // Thinking off: no cap applies (max_think stays -1, as thinking_off_rules set it).
  if (!request.thinking_off && (rules.max_think < 0 || rules.max_think > think_room)) {
    clamped = rules.max_think >= 0;
    rules.max_think = think_room;
  }
  if (!request.thinking_off && rules.min_think > rules.max_think) {
    throw RequestError(RequestErrorCode::kContextExceeded,
                       "min_think (" + std::to_string(rules.min_think) +
                           ") is beyond what the context leaves for thinking (" +
                           std::to_string(rules.max_think) + ")",
                       "min_think");
  }
  std::shared_ptr<const TokenSeq> probe_suffix;
  if (request.probe.probing()) {
    request.probe.validate();
    probe_suffix = std::make_shared<const TokenSeq>(model_.tokenize(request.probe.suffix, false));
  }
  const int id = next_id_++;
  auto shared = std::make_shared<GenerationRequest>(std::move(request));
  queue_.push_back({id, shared, 0, shared->n_samples, rules, clamped, answer_clamped,
                    std::move(probe_suffix), {}});
  admit();
  return id;
}

void Scheduler::admit() {
  while (!queue_.empty()) {
    Pending& p = queue_.front();
    size_t reuse = 0;
    // Requests hold at most n_parallel sequences; probes may use the rest.
    const auto serving = static_cast<int>(std::count_if(
        slots_.begin(), slots_.end(), [](const auto& s) { return s->serves_request(); }));
    const int room = std::min(p.count, settings_.n_parallel - serving);
    if (room <= 0) return;
    std::vector<Slot*> free = pick_free_slots(*p.request, static_cast<size_t>(room), &reuse);
    if (free.empty()) return;
    // A running sequence that shares more of the prompt than any cache: copy from it.
    size_t shared = 0;
    Slot* source = p.request->cache_prompt ? running_prefix(p.request->prompt, &shared) : nullptr;
    if (source && shared <= reuse) source = nullptr;
    if (source) reuse = 0;
    // The very same prompt, still being decoded: its samples follow that sequence and
    // draw from its prompt's logits, as a request's own samples do.
    Slot* same = source && !source->generating() && source->request->prompt == p.request->prompt
                     ? source
                     : nullptr;
    if (same) source = nullptr;
    // Host memory may hold more of the prompt than the sequence taken.
    const size_t resident = reuse;
    if (!source && !same && p.request->cache_prompt) {
      reuse = restore_from_store(*free[0], p.request->prompt, reuse);
    }
    const bool restored = reuse != resident;
    const int n = static_cast<int>(free.size());
    const auto now = Clock::now();
    const int leader = free[0]->seq_id;
    for (int i = 0; i < n; ++i) {
      Slot& s = *free[static_cast<size_t>(i)];
      const size_t keep = i == 0 ? reuse : 0;
      if (keep < s.decoded.size()) {
        // As llama-server: a cache about to lose more than half of itself is worth
        // keeping in host memory (the first sequence's; the others hold samples).
        if (i == 0 && !restored && keep * 2 < s.decoded.size()) save_to_store(s);
        llama_memory_seq_rm(llama_get_memory(ctx_.get()), s.seq_id, static_cast<llama_pos>(keep), -1);
        if (keep == 0) ++stats_.cache_evictions;
        s.decoded.resize(keep);
      }
      s.request_id = p.id;
      s.request = p.request;
      s.sample = p.first_sample + i;
      s.leader = same ? same->seq_id : i == 0 ? -1 : leader;
      s.leader_epoch = same ? same->epoch : i == 0 ? 0 : free[0]->epoch;
      s.source = i == 0 ? source : nullptr;
      s.source_epoch = source ? source->epoch : 0;
      s.shared = i == 0 && source ? static_cast<int>(shared) : 0;
      s.state = same || i > 0 ? SlotState::kFollowing
                : source    ? SlotState::kCopying
                            : SlotState::kPrompt;
      s.cacheable = settings_.cache_tokens != 0;
      s.forcer.emplace(p.rules, p.request->vocab ? *p.request->vocab : vocab_,
                       p.request->prompt_ends_with_newline,
                       p.request->thinking_off ? Phase::kAnswer : Phase::kThinking);
      SamplingParams think = p.request->thinking_sampling;
      SamplingParams answer = p.request->answer_sampling;
      // Distinct samples of one request draw distinct random streams.
      think.seed = sample_seed(think.seed, s.sample);
      answer.seed = sample_seed(answer.seed, s.sample);
      s.thinking_sampler.emplace(think, model_.n_vocab());
      s.answer_sampler.emplace(answer, model_.n_vocab());
      s.n_past = static_cast<int>(keep);
      s.pending = i == 0 && !source && !same ? TokenSeq(p.request->prompt.begin() + static_cast<long>(keep),
                                               p.request->prompt.end())
                                    : TokenSeq{};
      s.batch_index = -1;
      s.mask_next = false;
      s.redraw = false;
      s.begun = false;
      s.epoch = ++admissions_;
      s.result = SequenceResult{};
      s.result.sample = s.sample;
      s.result.prompt_tokens = static_cast<int>(p.request->prompt.size());
      s.result.cached_tokens = static_cast<int>(keep);
      s.result.max_think = p.rules.max_think;
      s.result.clamped = p.clamped;
      s.result.answer_clamped = p.answer_clamped;
      s.result.thinking_off = p.request->thinking_off;
      s.admitted = now;
      s.adaptive.reset();
      s.reflections.reset();
      if (p.probe_suffix) {
        s.adaptive.emplace(p.request->probe, p.rules.min_think);
        s.reflections.emplace(p.request->probe);
      }
      s.probe_suffix = p.probe_suffix;
      s.probe = nullptr;
      s.exit_reason = p.exit_reason;
      s.exit_answer.clear();
    }
    if (reuse > 0) {  // (a copy from a running sequence counts when it happens)
      ++stats_.cache_hits;
      stats_.cache_reused_tokens += static_cast<int64_t>(reuse);
    }
    p.first_sample += n;
    p.count -= n;
    if (p.count == 0) queue_.pop_front();
  }
}

bool Scheduler::step() {
  ++steps_;
  end_stalled();
  compact();
  admit();
  copy_shared_prefixes();
  int64_t prompt_in_batch = 0;
  if (!build_batch(&prompt_in_batch)) return busy_sequences() > 0 || !queue_.empty();
  decode_batch(prompt_in_batch);
  // Sampling in three passes: forced decisions and logits rows in slot order, the draws
  // (a full-vocabulary softmax each) on all threads, then the decisions in order again.
  std::vector<Draw> draws = collect_draws();
  draw_tokens(draws);
  apply_draws(draws);
  redraw_masked(std::move(draws));
  admit();
  return true;
}

bool Scheduler::build_batch(int64_t* prompt_tokens) {
  batch_.n_tokens = 0;
  for (auto& s : slots_) s->batch_index = -1;
  // Generating sequences first, whole, in rotating order; then prompt chunks.
  const size_t n_slots = slots_.size();
  std::vector<int> take(n_slots, 0);
  int in_batch = 0;
  *prompt_tokens = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t j = 0; j < n_slots; ++j) {
      const size_t i = (round_robin_ + j) % n_slots;
      const Slot& s = *slots_[i];
      if ((pass == 0 ? !s.drawing() : s.state != SlotState::kPrompt) || s.pending.empty()) continue;
      const int room = settings_.n_batch - in_batch;
      if (room <= 0) break;
      take[i] = std::min(room, static_cast<int>(s.pending.size()));
      in_batch += take[i];
      if (pass == 1) *prompt_tokens += take[i];
    }
  }
  round_robin_ = (round_robin_ + 1) % n_slots;
  // The batch in sequence order: with a KV stream per sequence, llama.cpp puts only
  // consecutive sequences in one micro-batch.
  for (size_t i = 0; i < n_slots; ++i) {
    Slot& s = *slots_[i];
    const int n = take[i];
    if (n == 0) continue;
    const bool last_has_logits = n == static_cast<int>(s.pending.size());
    for (int t = 0; t < n; ++t) {
      const int k = batch_.n_tokens++;
      batch_.token[k] = s.pending[static_cast<size_t>(t)];
      batch_.pos[k] = s.n_past + t;
      batch_.n_seq_id[k] = 1;
      batch_.seq_id[k][0] = s.seq_id;
      batch_.logits[k] = (last_has_logits && t == n - 1) ? 1 : 0;
    }
    s.decoded.insert(s.decoded.end(), s.pending.begin(), s.pending.begin() + n);
    s.pending.erase(s.pending.begin(), s.pending.begin() + n);
    s.n_past += n;
    s.in_batch = true;
    if (s.state == SlotState::kProbing) {
      stats_.probe_tokens += n;
      s.parent->result.probe_tokens += n;
      s.probe_decoded += n;
    }
    if (last_has_logits) s.batch_index = batch_.n_tokens - 1;
  }
  return batch_.n_tokens > 0;
}

void Scheduler::decode_batch(int64_t prompt_tokens) {
  trim_cache(batch_.n_tokens);
  const auto t0 = Clock::now();
  const int32_t ret = llama_decode(ctx_.get(), batch_);
  stats_.decode_ms += ms_between(t0, Clock::now());
  for (auto& s : slots_) {
    // The batch's cells are not what `decoded` says when it failed: never cache them.
    if (ret != 0 && s->in_batch) s->cacheable = false;
    s->in_batch = false;
  }
  if (ret != 0) {
    throw std::runtime_error("llama_decode failed (" + std::to_string(ret) + ")" +
                             (ret == 1 ? ": no room left in the KV cache" : ""));
  }
  ++stats_.decode_calls;
  stats_.decoded_tokens += batch_.n_tokens;
  stats_.prompt_tokens += prompt_tokens;
}

std::vector<Scheduler::Draw> Scheduler::collect_draws() {
  std::vector<Draw> draws;
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (!s.active() || s.batch_index < 0) continue;
    if (s.state == SlotState::kProbing) {
      advance_probe(s);
      continue;
    }
    if (s.state == SlotState::kPrompt) {
      s.state = SlotState::kGenerating;
      s.first_token = Clock::now();
      s.result.prompt_ms = ms_between(s.admitted, s.first_token);
      start_followers(s, draws);
    }
    prepare_draw(s, s.batch_index, draws);
  }
  return draws;
}

void Scheduler::start_followers(Slot& leader, std::vector<Draw>& draws) {
  // The prompt is in: its followers copy it and sample from the same logits.
  for (auto& fp : slots_) {
    Slot& f = *fp;
    if (f.state != SlotState::kFollowing || f.leader != leader.seq_id ||
        f.leader_epoch != leader.epoch) {
      continue;
    }
    llama_memory_seq_cp(llama_get_memory(ctx_.get()), leader.seq_id, f.seq_id, -1, -1);
    f.n_past = leader.n_past;
    f.decoded = leader.decoded;
    f.state = SlotState::kGenerating;
    f.leader = -1;
    if (f.request_id != leader.request_id) {  // another request's prompt, taken whole
      f.result.cached_tokens = static_cast<int>(f.request->prompt.size());
      ++stats_.cache_hits;
      stats_.cache_reused_tokens += static_cast<int64_t>(f.request->prompt.size());
    }
    f.first_token = leader.first_token;
    f.result.prompt_ms = leader.result.prompt_ms;
    prepare_draw(f, leader.batch_index, draws);
  }
}

void Scheduler::redraw_masked(std::vector<Draw> draws) {
  // An ignored end with nothing to append masks the triggers and draws again from the
  // same row, so the sequence has a token to feed. The mask keeps a redraw from being
  // another end attempt, so this ends; the bound only guards against a broken vocabulary.
  for (int round = 0; round < 4 && !draws.empty(); ++round) {
    std::vector<Draw> again;
    for (const Draw& d : draws) {
      Slot& s = *d.slot;
      if (!s.active() || s.epoch != d.epoch || !s.redraw) continue;
      s.redraw = false;
      s.mask_next = false;
      mask_triggers(d.logits);
      again.push_back(d);
    }
    draw_tokens(again);
    apply_draws(again);
    draws.swap(again);
  }
}

void Scheduler::apply_draws(const std::vector<Draw>& draws) {
  for (const Draw& d : draws) {
    Slot& s = *d.slot;
    if (!s.active() || s.epoch != d.epoch) continue;  // a callback cancelled it meanwhile
    const TokenSeq& stops = s.request->stop_tokens;
    if (std::find(stops.begin(), stops.end(), d.token) != stops.end()) {
      // A client's stop token: the end, before any rule sees it (held text is shown).
      Decision stop = s.forcer->finish(FinishReason::kStop);
      stop.keep_token = false;
      s.result.stop_token = d.token;
      apply(s, d.token, stop);
      continue;
    }
    const int thinking_before = s.forcer->thinking_tokens();
    const Decision decision = s.forcer->on_token(d.token, model_.piece(d.token));
    if (decision.done && decision.event >= 0) {
      // Thinking ended at a trigger with nothing after it (no answer budget): the trigger
      // stopped the sample as a stop token would.
      const ForcingEvent& e = s.forcer->events()[static_cast<size_t>(decision.event)];
      if (e.kind == ForcingKind::kEnd && !s.forcer->is_end_of_generation(d.token)) {
        s.result.stop_token = d.token;
      }
    }
    apply(s, d.token, decision);
    if (!s.adaptive || !s.active() || s.epoch != d.epoch ||
        s.forcer->phase() != Phase::kThinking || s.forcer->thinking_tokens() <= thinking_before) {
      continue;
    }
    // An ignore string appended, or the model turning to check its work itself.
    bool reflection = decision.event >= 0 &&
                      s.forcer->events()[static_cast<size_t>(decision.event)].kind == ForcingKind::kIgnore;
    for (const TextChunk& chunk : decision.output) {
      if (chunk.channel == Channel::kThinking && s.reflections->on_text(chunk.text)) reflection = true;
    }
    maybe_probe(s, reflection);
  }
}

void Scheduler::mask_triggers(float* row) const {
  for (Token t : mask_tokens_) row[t] = -INFINITY;
}

void Scheduler::end_now(Slot& slot, FinishReason reason) {
  deliver_chunks(slot.forcer->finish(FinishReason::kLength).output, slot.sample, slot.result,
                 slot.request->on_text);
  if (slot.active()) finish(slot, reason);
}

void Scheduler::end_stalled() {
  // A sequence past its prompt always has a token to feed after its last decision; one
  // without would sit out every batch (and a batch of only such sequences is empty, a
  // loop that never ends), so it is ended instead of waited on.
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (!s.drawing() || !s.pending.empty()) continue;
    if (s.state == SlotState::kProbing) {
      finish_probe(s, false);
    } else {
      end_now(s, FinishReason::kCancelled);
    }
  }
}

void Scheduler::compact() {
  if (settings_.unified_kv) return;
  // Sequences past their prompt move down into free streams, so the batch's sequences
  // stay consecutive (one micro-batch) as others finish. A cache in the stream moved into
  // goes up first, into the free stream whose cache is worth least (if that one is worth
  // less), so a chat's next turn still finds it.
  llama_memory_t mem = llama_get_memory(ctx_.get());
  for (;;) {
    size_t to = 0;  // the lowest free stream
    while (to < slots_.size() && slots_[to]->active()) ++to;
    size_t busy = slots_.size();
    while (busy > to + 1 && !slots_[busy - 1]->drawing()) --busy;
    if (to >= slots_.size() || busy <= to + 1) return;
    const size_t from = busy - 1;  // the highest movable sequence above it
    // A fresh cache with nowhere to go waits out its grace: its follow-up may be on the
    // way, and a prompt decoded again costs more than a step in two micro-batches.
    const Slot& target = *slots_[to];
    if (!target.decoded.empty() && !keeper(to) &&
        steps_ - target.finished_step < static_cast<uint64_t>(std::max(0, settings_.cache_grace_steps))) {
      return;
    }
    vacate(to);
    llama_memory_seq_cp(mem, static_cast<llama_seq_id>(from), static_cast<llama_seq_id>(to), -1, -1);
    llama_memory_seq_rm(mem, static_cast<llama_seq_id>(from), -1, -1);
    std::swap(slots_[from], slots_[to]);
    slots_[from]->seq_id = static_cast<int>(from);
    slots_[to]->seq_id = static_cast<int>(to);
    ++stats_.moved_sequences;
  }
}

Scheduler::Slot* Scheduler::keeper(size_t to) {
  Slot* keep = nullptr;
  for (size_t k = to + 1; k < slots_.size(); ++k) {
    Slot& c = *slots_[k];
    if (!c.active() && (!keep || worth_less(c, *keep))) keep = &c;
  }
  return keep && worth_less(*keep, *slots_[to]) ? keep : nullptr;
}

void Scheduler::vacate(size_t to) {
  Slot& target = *slots_[to];
  if (target.decoded.empty()) return;
  llama_memory_t mem = llama_get_memory(ctx_.get());
  if (Slot* keep = keeper(to)) {
    if (!keep->decoded.empty()) {
      save_to_store(*keep);
      ++stats_.cache_evictions;
    }
    llama_memory_seq_rm(mem, keep->seq_id, -1, -1);
    llama_memory_seq_cp(mem, target.seq_id, keep->seq_id, -1, -1);
    keep->decoded = std::move(target.decoded);
    keep->last_used = target.last_used;
  } else {
    save_to_store(target);
    ++stats_.cache_evictions;
  }
  llama_memory_seq_rm(mem, target.seq_id, -1, -1);
  target.decoded.clear();
}

void Scheduler::run() {
  while (step()) {
  }
}

void Scheduler::prepare_draw(Slot& slot, int batch_index, std::vector<Draw>& draws) {
  if (!slot.active()) return;
  BudgetForcer& forcer = *slot.forcer;
  if (!slot.begun) {
    // Before the first sample: a cap of 0 closes thinking at once, and the answer is
    // sampled after the forced closing, not from the prompt's logits.
    slot.begun = true;
    Decision first = forcer.begin();
    if (!first.inject.empty() || first.done) {
      first.keep_token = false;
      apply(slot, 0, first);
      return;
    }
  }
  if (exit_if_due(slot)) return;
  float* logits = llama_get_logits_ith(ctx_.get(), batch_index);
  if (slot.request->on_logits) slot.request->on_logits(slot.sample, logits, model_.n_vocab());
  if (slot.mask_next) {
    // Only a sequence past its prompt masks, so the row is its own.
    mask_triggers(logits);
    slot.mask_next = false;
  }
  const bool thinking = forcer.phase() == Phase::kThinking;
  Draw d;
  d.slot = &slot;
  d.epoch = slot.epoch;
  d.logits = logits;
  d.sampler = thinking ? &*slot.thinking_sampler : &*slot.answer_sampler;
  draws.push_back(d);
}

void Scheduler::draw_tokens(std::vector<Draw>& draws) {
  std::exception_ptr error;
  std::mutex error_mutex;
  auto run = [&](size_t first, size_t stride) {
    try {
      for (size_t k = first; k < draws.size(); k += stride) {
        Draw& d = draws[k];
        d.token = d.sampler->sample(d.logits);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      error = std::current_exception();
    }
  };
  const auto sampled = static_cast<size_t>(std::count_if(
      draws.begin(), draws.end(), [](const Draw& d) { return !d.sampler->greedy(); }));
  // A greedy scan is too quick to be worth a thread.
  const size_t threads = std::min(static_cast<size_t>(n_threads_), sampled);
  if (threads <= 1) {
    run(0, 1);
  } else {
#ifdef _OPENMP
    // llama.cpp's CPU backend (built with OpenMP) has just run this team: its threads
    // are awake, and a thread of our own would compete with their spinning.
#pragma omp parallel for num_threads(static_cast<int>(threads)) schedule(static, 1)
    for (int t = 0; t < static_cast<int>(threads); ++t) run(static_cast<size_t>(t), threads);
#else
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back(run, t, threads);
    run(0, threads);
    for (auto& h : helpers) h.join();
#endif
  }
  if (error) std::rethrow_exception(error);
}

void Scheduler::apply(Slot& slot, Token token, const Decision& d) {
  SequenceResult& r = slot.result;
  if (d.retract > 0) {
    llama_memory_seq_rm(llama_get_memory(ctx_.get()), slot.seq_id, slot.n_past - d.retract, -1);
    slot.n_past -= d.retract;
    slot.decoded.resize(static_cast<size_t>(slot.n_past));
    r.retracted_tokens += d.retract;
    stats_.retracted_tokens += d.retract;
  }
  if (!d.done) {
    if (d.keep_token) {
      slot.pending.push_back(token);
      ++r.sampled_tokens;
      ++stats_.sampled_tokens;
    }
    slot.pending.insert(slot.pending.end(), d.inject.begin(), d.inject.end());
    r.injected_tokens += static_cast<int>(d.inject.size());
    stats_.injected_tokens += static_cast<int64_t>(d.inject.size());
  }
  slot.mask_next = d.mask_triggers;
  if (d.mask_triggers && !d.done && slot.pending.empty()) {
    if (d.retract == 0) {
      // This step's row is still the sequence's next-token distribution.
      slot.redraw = true;
    } else if (slot.n_past > 0) {
      // The row was computed after the tokens just taken back: decode the last kept
      // token again for a row at the right position, and mask that one.
      llama_memory_seq_rm(llama_get_memory(ctx_.get()), slot.seq_id, slot.n_past - 1, -1);
      slot.pending.push_back(slot.decoded.back());
      slot.decoded.pop_back();
      --slot.n_past;
      ++stats_.refed_tokens;
    }
  }
  deliver_chunks(d.output, slot.sample, r, slot.request->on_text);
  if (d.done) {
    finish(slot, slot.forcer->finish_reason());
    return;
  }
  // The sequence may not outgrow its share of the context.
  if (slot.n_past + static_cast<int>(slot.pending.size()) >= n_ctx_seq_) {
    end_now(slot, FinishReason::kContext);
  }
}

void Scheduler::finish(Slot& slot, FinishReason reason) {
  if (slot.probe) finish_probe(*slot.probe, false);
  SequenceResult& r = slot.result;
  r.finish_reason = reason;
  r.thinking_tokens = slot.forcer->thinking_tokens();
  r.answer_tokens = slot.forcer->answer_tokens();
  r.events = slot.forcer->events();
  r.generation_ms = ms_between(slot.first_token, Clock::now());
  // The cells hold exactly `decoded` (fed tokens; nothing pending was written), so they
  // can serve a later prompt that starts the same way.
  if (slot.cacheable && !slot.decoded.empty()) {
    slot.last_used = ++finishes_;
    slot.finished_step = steps_;
  } else {
    llama_memory_seq_rm(llama_get_memory(ctx_.get()), slot.seq_id, -1, -1);
    slot.decoded.clear();
  }
  slot.state = SlotState::kFree;
  slot.pending.clear();
  auto request = std::move(slot.request);
  slot.request.reset();
  trim_cache(0);
  if (request->on_done) request->on_done(slot.sample, r);
}

bool Scheduler::cancel(int request_id) {
  // Samples still waiting for a sequence finish too ("cancelled", nothing generated), so
  // whoever waits on on_done is released. Taken out of the queue before the callbacks run,
  // which may submit or cancel.
  std::vector<Pending> waiting;
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->id == request_id) {
      waiting.push_back(std::move(*it));
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  bool found = !waiting.empty();
  for (auto& sp : slots_) {
    Slot& s = *sp;
    if (s.active() && s.request_id == request_id) {
      if (!s.generating()) s.first_token = Clock::now();
      end_now(s, FinishReason::kCancelled);
      found = true;
    }
  }
  for (const Pending& p : waiting) {
    for (int i = 0; i < p.count; ++i) {
      SequenceResult r;
      r.sample = p.first_sample + i;
      r.prompt_tokens = static_cast<int>(p.request->prompt.size());
      r.max_think = p.rules.max_think;
      r.clamped = p.clamped;
      r.answer_clamped = p.answer_clamped;
      r.finish_reason = FinishReason::kCancelled;
      if (p.request->on_done) p.request->on_done(r.sample, r);
    }
  }
  return found;
}

bool Scheduler::waiting(int request_id) const {
  for (const Pending& p : queue_) {
    if (p.id == request_id) return p.first_sample == 0;
  }
  return false;
}

int Scheduler::busy_sequences() const {
  int n = 0;
  for (const auto& s : slots_) n += s->active() ? 1 : 0;
  return n;
}

int Scheduler::cells_held(bool running) const {
  int n = 0;
  llama_memory_t mem = llama_get_memory(ctx_.get());
  for (const auto& s : slots_) {
    if (s->active() != running) continue;
    const llama_pos hi = llama_memory_seq_pos_max(mem, s->seq_id);
    if (hi >= 0) n += static_cast<int>(hi - llama_memory_seq_pos_min(mem, s->seq_id) + 1);
  }
  return n;
}

int Scheduler::cached_tokens() const {
  int n = 0;
  for (const auto& s : slots_) n += s->active() ? 0 : static_cast<int>(s->decoded.size());
  return n;
}

}  // namespace s1

