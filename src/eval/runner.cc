#include "eval/runner.h"

#include <chrono>
#include <map>
#include <sstream>
#include <stdexcept>

#include "cli/result_json.h"
#include "core/grading.h"
#include "core/request_error.h"
#include "eval/plot.h"
#include "eval/progress.h"
#include "eval/results.h"
#include "eval/rounds.h"
#include "eval/sample_store.h"
#include "methods/prompts.h"

namespace s1::eval {
namespace {

using nlohmann::json;

// One samples.jsonl line: the key, what was asked and produced, the grade, token counts,
// forcing events and timings; method-specific fields where they apply.
json sample_line(const std::string& dataset, const Problem& problem, const MethodConfig& config,
                 const SampleRun& run, AnswerJudge* judge) {
  const SequenceResult& r = run.result;
  const GoldAnswer gold = gold_answer(problem);
  SampleGrade grade = grade_text(r.answer, gold);
  // Rare (rule mismatches that are not two numbers) and short: judged on the spot, so the
  // stored line carries its final verdict.
  if (judge) judge_grades({{&gold, &grade}}, *judge);
  json j = {{"dataset", dataset},
            {"problem", problem.id},
            {"config", config.name()},
            {"method", config.family()},
            {"sample", run.sample},
            {"prompt", run.prompt},
            {"question", gold.question},  // what the answer rules (and a judge) were told
            {"thinking", r.thinking},
            {"answer", r.answer},
            {"extracted", grade.extracted},
            {"extracted_from", grade.source},
            {"gold", gold.answer},
            {"correct", grade.correct},
            {"equivalence", grade.method},
            {"prompt_tokens", r.prompt_tokens},
            {"cached_tokens", r.cached_tokens},
            {"thinking_tokens", r.thinking_tokens},
            {"answer_tokens", r.answer_tokens},
            {"sampled_tokens", r.sampled_tokens},
            {"injected_tokens", r.injected_tokens},
            {"retracted_tokens", r.retracted_tokens},
            {"max_think", r.max_think},
            {"clamped", r.clamped},
            {"finish_reason", to_string(r.finish_reason)},
            {"events", cli::events_json(r.events)},
            {"timing", {{"prompt_ms", r.prompt_ms}, {"generation_ms", r.generation_ms}}}};
  if (gold.choices > 0) j["choices"] = gold.choices;  // multiple choice: graded by letter
  if (!grade.rule.empty()) j["rule"] = grade.rule;
  if (judge) {
    j["verdict_source"] = grade.judged ? "judge" : "rules";
    if (grade.judge_malformed) j["judge_malformed"] = true;
  }
  if (r.thinking_off) j["thinking_off"] = true;  // the template closed thinking
  if (config.kind == MethodKind::kRejection) {
    j["tries"] = run.tries;
    j["fits"] = run.fits;
    j["rejected_thinking_tokens"] = run.rejected_thinking_tokens;
  }
  if (config.kind == MethodKind::kAdaptive) {
    // Each probe (position, answer, confidence, agreement) and the exit, if one ended
    // thinking; results count them from the scalar fields.
    cli::add_probe_fields(r, j);
    j["probe_count"] = r.probes.size();
    j["exit"] = nullptr;
    for (const ForcingEvent& e : r.events) {
      if (e.kind != ForcingKind::kExit) continue;
      j["exit"] = e.reason;  // one at most: after an exit none exits again
      break;
    }
    j["timing"]["probe_ms"] = r.probe_ms;
  }
  if (config.kind == MethodKind::kBestOfN) {
    j["verdict"] = run.verdict;
    if (run.verification) {
      j["verify_thinking_tokens"] = run.verification->thinking_tokens;
      j["verify_answer_tokens"] = run.verification->answer_tokens;
      j["verify_answer"] = run.verification->answer;
    }
  }
  return j;
}

}  // namespace

json write_outputs(const EvalPlan& plan, const std::string& run_id, const std::vector<json>& lines,
                   bool complete, const json& this_process) {
  json results = compute_results(run_id, plan.datasets, plan.configs, lines, complete);
  if (!this_process.is_null()) results["this_process"] = this_process;
  if (plan.plots) {
    results["plots"] = json::object();
    for (const auto& d : results["datasets"]) {
      const std::string name = d["name"].get<std::string>();
      const std::string base = "scaling_" + name;
      write_scaling_plot(scaling_plot_title(name), plot_lines({d}),
                         plan.out_dir + "/" + base + ".svg", plan.out_dir + "/" + base + ".png");
      results["plots"][name] = {{"svg", base + ".svg"}, {"png", base + ".png"}};
    }
  }
  write_file_atomic(plan.out_dir + "/results.json", results.dump(2) + "\n");
  write_file_atomic(plan.out_dir + "/report.md", render_report(results));
  return results;
}

EvalOutcome run_eval(const EvalPlan& plan, Backend& backend, const std::atomic<bool>* stop,
                     FILE* log, bool log_is_terminal) {
  const json run = run_json(plan.identity, plan.datasets, plan.configs);
  EvalOutcome outcome;
  outcome.run_id = run_id(run);
  claim_run_dir(plan.out_dir, run, plan.info);
  SampleStore store(plan.out_dir + "/samples.jsonl");
  if (store.dropped_torn_line() && log) {
    std::fprintf(log,
                 "s1 eval: dropped a torn last line of samples.jsonl (its sample runs again)\n");
  }

  // What is missing, in a fixed order: dataset, configuration, problem, sample.
  struct Work {
    const LoadedDataset* dataset;
    const Problem* problem;
    const MethodConfig* config;
    std::vector<int> samples;
  };
  std::vector<Work> work;
  size_t resumed_correct = 0;
  for (const auto& d : plan.datasets) {
    for (const auto& c : plan.configs) {
      for (const auto& p : d.problems) {
        Work w{&d, &p, &c, {}};
        for (int s = 0; s < c.n; ++s) {
          ++outcome.total;
          if (store.has(SampleStore::key(d.spec.name, p.id, c.name(), s))) {
            ++outcome.resumed;
          } else {
            w.samples.push_back(s);
          }
        }
        if (!w.samples.empty()) work.push_back(std::move(w));
      }
    }
  }
  for (const auto& l : store.lines()) resumed_correct += l.value("correct", false) ? 1 : 0;
  if (log && outcome.resumed > 0) {
    std::fprintf(log, "s1 eval: run %s: resuming, %zu of %zu samples already done\n",
                 outcome.run_id.c_str(), outcome.resumed, outcome.total);
  }

  Progress progress(log ? log : stderr, log_is_terminal, outcome.total, outcome.resumed,
                    resumed_correct);
  const int64_t sampled_at_start = backend.stats().sampled_tokens;
  const auto started = std::chrono::steady_clock::now();
  RequestPump pump(backend);
  std::vector<RoundsItem> round_items;
  for (const Work& w : work) {
    const std::string dataset = w.dataset->spec.name;
    const Problem* problem = w.problem;
    const MethodConfig* config = w.config;
    auto done = [&, dataset, problem, config](SampleRun r) {
      if (r.result.finish_reason == FinishReason::kCancelled) return;  // runs again next time
      json line = sample_line(dataset, *problem, *config, r, plan.judge);
      const bool correct = line["correct"].get<bool>();
      store.append(line);
      ++outcome.written;
      progress.sample(correct);
      progress.update(backend.stats().sampled_tokens - sampled_at_start);
    };
    const std::string question = problem_prompt(*problem);
    if (plan.rounds) {
      round_items.push_back({config, question, done});
      continue;
    }
    const auto where = [&] {
      return dataset + " problem " + problem->id + ", " + config->name() + ": ";
    };
    try {
      start_method(pump, *config, plan.context, {question, gold_answer(*problem).choices},
                   w.samples, done);
    } catch (const RequestError& e) {
      // Still a RequestError, so that the front end names the rule at fault by its flag.
      throw RequestError(e.code(), where() + e.what(), e.field());
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(where() + e.what());
    }
  }
  if (plan.rounds) {
    outcome.interrupted = !run_rounds(backend, plan.context, std::move(round_items), stop);
  }
  while (!plan.rounds) {
    if (stop && stop->load()) {
      pump.cancel_all();
      outcome.interrupted = true;
      break;
    }
    const bool more = pump.step();
    progress.update(backend.stats().sampled_tokens - sampled_at_start);
    if (!more) break;
  }
  if (log) progress.finish(backend.stats().sampled_tokens - sampled_at_start);
  const bool complete = outcome.resumed + outcome.written == outcome.total;
  // What this invocation did (a resumed run counts only its own part).
  const SchedulerStats st = backend.stats();
  const json this_process = {
      {"samples_written", outcome.written},
      {"wall_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()},
      {"decode",
       {{"decode_calls", st.decode_calls},
        {"decoded_tokens", st.decoded_tokens},
        {"prompt_tokens", st.prompt_tokens},
        {"sampled_tokens", st.sampled_tokens},
        {"injected_tokens", st.injected_tokens},
        {"cache_hits", st.cache_hits},
        {"cache_reused_tokens", st.cache_reused_tokens},
        {"decode_ms", st.decode_ms}}}};
  const json results = write_outputs(plan, outcome.run_id, store.lines(), complete, this_process);
  if (log) {
    // Adaptive configurations against their baselines, as the report's table has them.
    std::istringstream summary(adaptive_summary(results));
    for (std::string line; std::getline(summary, line);) {
      std::fprintf(log, "s1 eval: %s\n", line.c_str());
    }
  }
  return outcome;
}

}  // namespace s1::eval
