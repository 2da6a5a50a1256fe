#include "server/engine_loop.h"

#include <stdexcept>

namespace s1::server {

SubmitError classify_submit_error(const std::invalid_argument& e) {
  const auto* typed = dynamic_cast<const RequestError*>(&e);
  const bool context = typed && typed->code() == RequestErrorCode::kContextExceeded;
  return {400, context ? "context_length_exceeded" : "invalid_request",
          typed ? budget_param(typed->field()) : ""};
}

bool Job::wait(std::vector<JobEvent>& out, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!cv_.wait_for(lock, timeout, [&] { return !events_.empty(); })) return false;
  for (auto& e : events_) out.push_back(std::move(e));
  events_.clear();
  return true;
}

void Job::push(JobEvent event) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (event.kind == JobEvent::Kind::kDone && --remaining_ == 0) finished_ = true;
    if (event.kind == JobEvent::Kind::kError) finished_ = true;
    events_.push_back(std::move(event));
  }
  cv_.notify_all();
}

void Job::fail(int status, const std::string& code, const std::string& message,
               const std::string& param) {
  JobEvent e;
  e.kind = JobEvent::Kind::kError;
  e.status = status;
  e.code = code;
  e.message = message;
  e.param = param;
  push(std::move(e));
}

EngineLoop::EngineLoop(std::unique_ptr<Backend> backend, Metrics& metrics, int n_parallel)
    : backend_(std::move(backend)),
      metrics_(metrics),
      info_(backend_->info()),
      n_parallel_(n_parallel) {
  metrics_.declare_counter("s1_prompt_tokens_total", "Prompt tokens of finished samples.");
  metrics_.declare_counter("s1_reasoning_tokens_total", "Thinking tokens generated.");
  metrics_.declare_counter("s1_answer_tokens_total", "Answer tokens generated.");
  metrics_.declare_counter("s1_samples_total", "Finished samples by finish reason.");
  metrics_.declare_counter("s1_forcing_events_total",
                           "Budget-forcing events by kind (ignore, cap, end) and reason.");
  thread_ = std::thread([this] { run(); });
}

EngineLoop::~EngineLoop() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void EngineLoop::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  backend_->wake();
}

std::shared_ptr<Job> EngineLoop::submit(BackendRequest request) {
  auto job = std::make_shared<Job>(request.n_samples);
  job->request_ = std::move(request);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || closed_) {
      job->fail_shutting_down();
      return job;
    }
    inbox_.push_back(job);
    ++gauges_.in_flight;
    ++gauges_.queued;
  }
  wake_.notify_all();
  backend_->wake();
  return job;
}

void EngineLoop::cancel(const std::shared_ptr<Job>& job) {
  if (job->finished() || job->cancel_requested_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cancels_.push_back(job);
  }
  wake_.notify_all();
  backend_->wake();
}

void EngineLoop::run_on_loop(const std::function<void(Backend&)>& task) {
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  std::exception_ptr error;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) throw std::runtime_error(kShuttingDownMessage);
    tasks_.push_back([&] {
      try {
        task(*backend_);
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard<std::mutex> l(m);
      done = true;
      cv.notify_all();
    });
  }
  wake_.notify_all();
  backend_->wake();
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [&] { return done; });
  if (error) std::rethrow_exception(error);
}

void EngineLoop::fail_waiting() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;  // later submissions fail at once
  }
  try {
    run_on_loop([this](Backend& backend) {
      std::deque<std::shared_ptr<Job>> fresh;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        fresh.swap(inbox_);
      }
      for (auto& job : fresh) job->fail_shutting_down();
      for (auto& [id, job] : active_) {
        if (job->finished() || !backend.waiting(id)) continue;
        job->fail_shutting_down();
        backend.cancel(id);  // its samples finish unstarted; the job has failed already
      }
    });
  } catch (const std::runtime_error&) {
    // The loop stopped already: it failed every waiting job on its way out.
  }
}

EngineGauges EngineLoop::gauges() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return gauges_;
}

bool EngineLoop::end_thinking(const std::shared_ptr<Job>& job) {
  bool ended = false;
  run_on_loop([&](Backend& backend) {
    if (job->backend_id_ >= 0 && !job->finished()) ended = backend.end_thinking(job->backend_id_, "client");
  });
  return ended;
}

namespace {

// Hands `e` to the job's waiting thread, unless the job is gone (its client left).
void post(const std::weak_ptr<Job>& weak, JobEvent e) {
  if (auto j = weak.lock()) j->push(std::move(e));
}

}  // namespace

void EngineLoop::start(const std::shared_ptr<Job>& job) {
  BackendRequest& req = job->request_;
  std::weak_ptr<Job> weak = job;
  req.on_text = [weak](int sample, const TextChunk& chunk) {
    JobEvent e;
    e.sample = sample;
    e.chunk = chunk;
    post(weak, std::move(e));
  };
  req.on_probe = [weak](int sample, const ProbeRecord& p) {
    JobEvent e;
    e.kind = JobEvent::Kind::kProbe;
    e.sample = sample;
    e.probe = p;
    post(weak, std::move(e));
  };
  req.on_done = [this, weak](int sample, const SequenceResult& r) {
    metrics_.add("s1_prompt_tokens_total", sample == 0 ? r.prompt_tokens : 0);
    metrics_.add("s1_reasoning_tokens_total", r.thinking_tokens);
    metrics_.add("s1_answer_tokens_total", r.answer_tokens);
    metrics_.add("s1_samples_total", 1, "finish_reason=\"" + escape_label(to_string(r.finish_reason)) + "\"");
    for (const auto& ev : r.events) {
      metrics_.add("s1_forcing_events_total", 1,
                   std::string("kind=\"") + to_string(ev.kind) + "\",reason=\"" +
                       escape_label(ev.reason) + "\"");
    }
    JobEvent e;
    e.kind = JobEvent::Kind::kDone;
    e.sample = sample;
    e.result = r;
    post(weak, std::move(e));
  };
  try {
    job->backend_id_ = backend_->submit(std::move(req));
    active_[job->backend_id_] = job;
  } catch (const std::invalid_argument& e) {
    const SubmitError kind = classify_submit_error(e);
    job->fail(kind.status, kind.code, e.what(), kind.param);
  } catch (const UpstreamError& e) {
    job->fail(502, "upstream_error", e.what());
  } catch (const std::exception& e) {
    job->fail(500, "internal_error", e.what());
  }
}

void EngineLoop::update_gauges() {
  EngineGauges g;
  if (const auto o = backend_->occupancy()) {
    g.busy_sequences = o->busy_sequences;
    g.used_cells = o->used_cells;
    g.cached_cells = o->cached_cells;
    g.stored_prompts = o->stored_prompts;
    g.stored_bytes = o->stored_bytes;
    g.queued = o->queued_requests;
  } else {
    g.busy_sequences = static_cast<int>(active_.size());
  }
  g.stats = backend_->stats();
  std::lock_guard<std::mutex> lock(mutex_);
  g.queued += static_cast<int>(inbox_.size());
  int in_flight = static_cast<int>(inbox_.size());
  for (const auto& [id, job] : active_) in_flight += job->finished() ? 0 : 1;
  g.in_flight = in_flight;
  gauges_ = g;
}

void EngineLoop::run() {
  for (;;) {
    std::deque<std::shared_ptr<Job>> fresh;
    std::vector<std::shared_ptr<Job>> cancels;
    std::deque<std::function<void()>> tasks;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) break;
      fresh.swap(inbox_);
      cancels.swap(cancels_);
      tasks.swap(tasks_);
    }
    for (auto& job : fresh) {
      if (job->cancel_requested_) {
        job->fail(499, "cancelled", "the client went away");
      } else {
        start(job);
      }
    }
    for (auto& job : cancels) {
      // Callbacks for the cancelled samples run inside cancel(); the job then finishes.
      if (job->backend_id_ >= 0) backend_->cancel(job->backend_id_);
    }
    // After the jobs taken from the inbox have started, so a task sees every job (one
    // failing the waiting jobs must not miss those between the inbox and the backend).
    for (auto& t : tasks) t();
    bool more = false;
    try {
      more = backend_->step();
    } catch (const std::exception& e) {
      // The batch failed (e.g. llama_decode, or the remote backend's server): its
      // requests cannot go on.
      const bool upstream = dynamic_cast<const UpstreamError*>(&e) != nullptr;
      for (auto& [id, job] : active_) {
        if (!job->finished()) {
          backend_->cancel(id);
          job->fail(upstream ? 502 : 500, upstream ? "upstream_error" : "internal_error", e.what());
        }
      }
    }
    for (auto it = active_.begin(); it != active_.end();) {
      it = it->second->finished() ? active_.erase(it) : std::next(it);
    }
    update_gauges();
    if (!more) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(200), [&] {
        return stopping_ || !inbox_.empty() || !cancels_.empty() || !tasks_.empty();
      });
    }
  }
  // Shutting down: finish what runs so waiting HTTP threads are released, and end every
  // wait on the network (also prompts being prepared on HTTP threads).
  for (auto& [id, job] : active_) {
    if (!job->finished()) backend_->cancel(id);
  }
  active_.clear();
  backend_->abort();
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& job : inbox_) job->fail_shutting_down();
  inbox_.clear();
  for (auto& t : tasks_) t();
  tasks_.clear();
}

}  // namespace s1::server
