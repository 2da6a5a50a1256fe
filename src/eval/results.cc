#include "eval/results.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/grading.h"
#include "core/metrics.h"
#include "methods/prompts.h"

namespace s1::eval {
namespace {

using nlohmann::json;

// Sample lines of one configuration on one dataset, by problem, in sample order.
using ByProblem = std::map<std::string, std::vector<const json*>>;

Vote line_vote(const json& line) {
  return vote_of(line.value("extracted", std::string()), line.value("correct", false));
}

// Best-of-k by self-verification for one problem's candidates (in sample order).
bool best_of_k_correct(const std::vector<const json*>& samples, size_t k) {
  std::vector<Vote> judged_yes;
  std::vector<Vote> all;
  for (size_t i = 0; i < k && i < samples.size(); ++i) {
    const Vote v = line_vote(*samples[i]);
    all.push_back(v);
    if (samples[i]->value("verdict", -1) == 1) judged_yes.push_back(v);
  }
  const auto& pool = judged_yes.empty() ? all : judged_yes;
  return majority_vote(pool, pool.size()).correct;
}

// Adaptive: probes, probe tokens and exits by reason over the samples.
void add_probe_stats(const ByProblem& by_problem, json& j) {
  size_t samples = 0, probes = 0, probe_tokens = 0, skipped = 0, exited = 0;
  json exits = {{"consistent", 0}, {"confident", 0}};
  for (const auto& [id, lines] : by_problem) {
    for (const json* s : lines) {
      ++samples;
      probes += s->value("probe_count", size_t{0});
      probe_tokens += s->value("probe_tokens", size_t{0});
      skipped += s->value("probes_skipped", size_t{0});
      const json& exit = s->value("exit", json(nullptr));
      if (!exit.is_string()) continue;
      ++exited;
      const std::string reason = exit.get<std::string>();
      exits[reason] = exits.value(reason, 0) + 1;
    }
  }
  const double n = static_cast<double>(samples);
  j["probes"] = probes;
  j["mean_probes"] = static_cast<double>(probes) / n;
  j["probe_tokens"] = probe_tokens;
  j["mean_probe_tokens"] = static_cast<double>(probe_tokens) / n;
  j["probes_skipped"] = skipped;
  j["exits"] = exits;
  j["exit_rate"] = static_cast<double>(exited) / n;
}

// An adaptive row's comparison with its baseline (budget forcing at the same cap), over
// the samples both have (the same problem and sample index), so a partial run compares
// like with like: tokens saved = the baseline's mean thinking tokens minus the adaptive
// configuration's; net of the probes' tokens too; and the change in accuracy.
void add_savings(const std::string& baseline_name, const ByProblem& adaptive,
                 const ByProblem* baseline, json& j) {
  j["baseline"] = baseline_name;
  std::map<std::pair<std::string, int>, const json*> base;
  if (baseline) {
    for (const auto& [id, lines] : *baseline) {
      for (const json* s : lines) base[{id, s->value("sample", 0)}] = s;
    }
  }
  double n = 0, tokens = 0, base_tokens = 0, probe_tokens = 0, correct = 0, base_correct = 0;
  for (const auto& [id, lines] : adaptive) {
    for (const json* s : lines) {
      const auto it = base.find({id, s->value("sample", 0)});
      if (it == base.end()) continue;
      ++n;
      tokens += s->value("thinking_tokens", 0);
      base_tokens += it->second->value("thinking_tokens", 0);
      probe_tokens += s->value("probe_tokens", 0);
      correct += s->value("correct", false) ? 1 : 0;
      base_correct += it->second->value("correct", false) ? 1 : 0;
    }
  }
  j["paired_samples"] = static_cast<size_t>(n);
  if (n == 0) {
    for (const char* k : {"baseline_mean_thinking_tokens", "baseline_accuracy", "tokens_saved",
                          "tokens_saved_fraction", "tokens_saved_net", "accuracy_change"}) {
      j[k] = nullptr;
    }
    return;
  }
  j["baseline_mean_thinking_tokens"] = base_tokens / n;
  j["baseline_accuracy"] = base_correct / n;
  j["tokens_saved"] = (base_tokens - tokens) / n;
  j["tokens_saved_fraction"] =
      base_tokens > 0 ? json((base_tokens - tokens) / base_tokens) : json(nullptr);
  j["tokens_saved_net"] = (base_tokens - tokens - probe_tokens) / n;
  j["accuracy_change"] = (correct - base_correct) / n;
}

json config_results(const MethodConfig& c, const ByProblem& by_problem, size_t n_problems) {
  std::vector<double> thinking;
  std::vector<double> verify_thinking;
  size_t correct = 0;
  size_t tries = 0;
  size_t fits = 0;
  size_t clamped = 0;
  int effective = 0;  // the largest budget the context left a clamped sample
  for (const auto& [id, samples] : by_problem) {
    for (const json* s : samples) {
      if (s->value("clamped", false)) {
        ++clamped;
        effective = std::max(effective, s->value("max_think", 0));
      }
      thinking.push_back(s->value("thinking_tokens", 0));
      correct += s->value("correct", false) ? 1 : 0;
      tries += static_cast<size_t>(s->value("tries", 1));
      fits += s->value("fits", true) ? 1 : 0;
      if (s->contains("verify_thinking_tokens"))
        verify_thinking.push_back(s->value("verify_thinking_tokens", 0));
    }
  }
  json j = c.to_json();
  j["name"] = c.name();
  j["problems"] = by_problem.size();
  j["problems_total"] = n_problems;
  j["samples"] = thinking.size();
  j["correct"] = correct;
  const int budget = control_budget(c);
  j["control_budget"] = budget < 0 ? json(nullptr) : json(budget);
  if (clamped > 0) {
    j["clamped_samples"] = clamped;
    j["effective_max_think"] = effective;
  }
  if (thinking.empty()) {
    j["accuracy"] = nullptr;
    return j;
  }
  const ProportionEstimate acc = accuracy_with_interval(correct, thinking.size());
  j["accuracy"] = acc.value;
  j["ci_low"] = acc.low;
  j["ci_high"] = acc.high;
  const TokenStats ts = thinking_token_stats(thinking);
  j["mean_thinking_tokens"] = ts.mean;
  j["median_thinking_tokens"] = ts.median;
  j["max_thinking_tokens"] = ts.max;
  if (budget >= 0) {
    j["control"] = control(thinking, 0, budget);
    j["within_budget"] =
        std::count_if(thinking.begin(), thinking.end(), [&](double t) { return t <= budget; });
  }
  if (c.kind == MethodKind::kAdaptive) add_probe_stats(by_problem, j);
  if (c.kind == MethodKind::kRejection) {
    j["mean_tries"] = static_cast<double>(tries) / static_cast<double>(thinking.size());
    j["fits"] = static_cast<double>(fits) / static_cast<double>(thinking.size());
  }
  if (c.kind == MethodKind::kMajority || c.kind == MethodKind::kBestOfN) {
    // The k-curves count only problems with all n samples (core/grading.h).
    const size_t n = static_cast<size_t>(c.n);
    std::vector<std::vector<Vote>> votes;
    std::vector<const std::vector<const json*>*> full;
    for (const auto& [id, samples] : by_problem) {
      std::vector<Vote> v;
      for (const json* s : samples) v.push_back(line_vote(*s));
      votes.push_back(std::move(v));
      if (has_all_samples(samples.size(), n)) full.push_back(&samples);
    }
    const SamplingCurves curves = sampling_curves(votes, n);
    j["problems_with_all_samples"] = curves.problems;
    if (!verify_thinking.empty()) {
      j["mean_verify_thinking_tokens"] = thinking_token_stats(verify_thinking).mean;
    }
    if (curves.problems > 0) {
      json maj = json::object(), pass = json::object(), best = json::object();
      for (size_t i = 0; i < curves.ks.size(); ++i) {
        const std::string k = std::to_string(curves.ks[i]);
        maj[k] = curves.maj_at_k[i];
        pass[k] = curves.pass_at_k[i];
        if (c.kind != MethodKind::kBestOfN) continue;
        double b = 0;
        for (const auto* samples : full) b += best_of_k_correct(*samples, curves.ks[i]) ? 1 : 0;
        best[k] = b / static_cast<double>(full.size());
      }
      j["maj_at_k"] = maj;
      j["pass_at_k"] = pass;
      if (c.kind == MethodKind::kBestOfN) j["best_of_k"] = best;
    }
  }
  return j;
}

// The points a configuration adds to its method's line.
void add_points(const MethodConfig& c, const json& r, json& points) {
  if (r["accuracy"].is_null()) return;
  const double mean = r.value("mean_thinking_tokens", 0.0);
  if (c.kind == MethodKind::kMajority || c.kind == MethodKind::kBestOfN) {
    const char* curve = c.kind == MethodKind::kMajority ? "maj_at_k" : "best_of_k";
    if (!r.contains(curve)) return;
    const double per = mean + r.value("mean_verify_thinking_tokens", 0.0);
    for (const auto& [k, acc] : r[curve].items()) {
      points.push_back({{"config", c.name()},
                        {"k", std::stoi(k)},
                        {"compute", per * std::stoi(k)},
                        {"accuracy", acc}});
    }
    return;
  }
  json point = {{"config", c.name()}, {"compute", mean}, {"accuracy", r["accuracy"]}};
  if (c.kind == MethodKind::kAdaptive) point["label"] = c.point_label();
  points.push_back(std::move(point));
}

json method_results(const std::string& family, const std::vector<const MethodConfig*>& configs,
                    const std::vector<json>& config_rows) {
  json points = json::array();
  size_t within = 0, budgeted = 0;
  for (size_t i = 0; i < configs.size(); ++i) {
    add_points(*configs[i], config_rows[i], points);
    if (config_rows[i].contains("within_budget")) {
      within += config_rows[i]["within_budget"].get<size_t>();
      budgeted += config_rows[i]["samples"].get<size_t>();
    }
  }
  std::sort(points.begin(), points.end(), [](const json& a, const json& b) {
    return a["compute"].get<double>() < b["compute"].get<double>();
  });
  json j = {{"family", family}, {"points", points}};
  j["control"] =
      budgeted ? json(static_cast<double>(within) / static_cast<double>(budgeted)) : json(nullptr);
  std::vector<ComputePoint> runs;
  for (const auto& p : points)
    runs.push_back({p["compute"].get<double>(), p["accuracy"].get<double>()});
  j["scaling"] = runs.size() >= 2 ? json(scaling(runs)) : json(nullptr);
  j["performance"] = runs.empty() ? json(nullptr) : json(performance(runs));
  return j;
}

std::string pct(const json& v) {
  if (v.is_null()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v.get<double>());
  return buf;
}

std::string num(const json& v, const char* fmt = "%.1f") {
  if (v.is_null()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v.get<double>());
  return buf;
}

}  // namespace

int control_budget(const MethodConfig& c) {
  switch (c.kind) {
    case MethodKind::kStepConditional:
      return steps_for_budget(c.budget) * kStepTokens;
    case MethodKind::kClassConditional:
      return -1;
    default:
      return c.budget;
  }
}

json compute_results(const std::string& run_id, const std::vector<LoadedDataset>& datasets,
                     const std::vector<MethodConfig>& configs, const std::vector<json>& lines,
                     bool complete) {
  // dataset -> config -> problem -> sample -> line
  std::map<std::string, std::map<std::string, std::map<std::string, std::map<int, const json*>>>>
      index;
  for (const json& l : lines) {
    index[l.value("dataset", "")][l.value("config", "")][l.value("problem", "")]
         [l.value("sample", 0)] = &l;
  }
  json out = {{"run_id", run_id}, {"complete", complete}, {"datasets", json::array()}};
  for (const auto& d : datasets) {
    std::set<std::string> ids;
    for (const auto& p : d.problems) ids.insert(p.id);
    json rows = json::array();
    std::vector<std::string> families;
    std::map<std::string, std::pair<std::vector<const MethodConfig*>, std::vector<json>>> by_family;
    std::map<std::string, ByProblem> by_config;
    for (const auto& c : configs) {
      ByProblem& by_problem = by_config[c.name()];
      for (const auto& [problem, samples] : index[d.spec.name][c.name()]) {
        if (!ids.count(problem)) continue;
        for (const auto& [s, line] : samples) {
          if (s >= 0 && s < c.n) by_problem[problem].push_back(line);
        }
      }
    }
    for (const auto& c : configs) {
      json r = config_results(c, by_config[c.name()], d.problems.size());
      if (c.kind == MethodKind::kAdaptive) {
        const std::string base = adaptive_baseline(c).name();
        const auto it = by_config.find(base);
        add_savings(base, by_config[c.name()], it == by_config.end() ? nullptr : &it->second, r);
      }
      rows.push_back(r);
      if (!by_family.count(c.family())) families.push_back(c.family());
      by_family[c.family()].first.push_back(&c);
      by_family[c.family()].second.push_back(std::move(r));
    }
    json methods = json::array();
    for (const auto& f : families) {
      methods.push_back(method_results(f, by_family[f].first, by_family[f].second));
    }
    out["datasets"].push_back({{"name", d.spec.name},
                               {"problems", d.problems.size()},
                               {"configs", rows},
                               {"methods", methods}});
  }
  return out;
}

std::string adaptive_summary(const json& results) {
  std::string out;
  const json none(nullptr);
  for (const auto& d : results["datasets"]) {
    for (const auto& c : d["configs"]) {
      if (!c.contains("baseline") || c["accuracy"].is_null()) continue;
      const json& exits = c.value("exits", json::object());
      out += d["name"].get<std::string>() + " " + c["name"].get<std::string>() + ": accuracy " +
             pct(c["accuracy"]) + " (baseline " + pct(c.value("baseline_accuracy", none)) + "), " +
             num(c.value("mean_thinking_tokens", none)) + " thinking tokens (baseline " +
             num(c.value("baseline_mean_thinking_tokens", none)) + "), " +
             num(c.value("tokens_saved", none)) + " saved (" +
             pct(c.value("tokens_saved_fraction", none)) + "); " +
             num(c.value("mean_probes", none), "%.2f") + " probes, " +
             num(c.value("mean_probe_tokens", none)) +
             " probe tokens per sample; exits: " + std::to_string(exits.value("consistent", 0)) +
             " consistent, " + std::to_string(exits.value("confident", 0)) + " confident\n";
    }
  }
  return out;
}

std::vector<PlotLine> plot_lines(const std::vector<json>& dataset_results) {
  std::vector<PlotLine> lines;
  std::vector<std::set<std::string>> configs;  // per line: the points drawn, by configuration
  std::vector<bool> merged;                    // per line: filled by more than one run
  for (size_t run = 0; run < dataset_results.size(); ++run) {
    for (const json& m : dataset_results[run].at("methods")) {
      const std::string family = m.at("family").get<std::string>();
      size_t i = 0;
      while (i < lines.size() && lines[i].label != family) ++i;
      if (i == lines.size()) {
        lines.push_back(PlotLine{});
        lines.back().label = family;
        configs.emplace_back();
        merged.push_back(false);
      } else if (!m.at("points").empty()) {
        merged[i] = true;
      }
      PlotLine& l = lines[i];
      for (const json& p : m.at("points")) {
        // A majority point is one k of one configuration: k is part of its key.
        const std::string key = p.value("config", std::string()) + "|" + p.value("k", json()).dump();
        if (!configs[i].insert(key).second) continue;
        l.compute.push_back(p.at("compute").get<double>());
        l.accuracy.push_back(p.at("accuracy").get<double>());
        l.points_only = l.points_only || p.contains("label");
        l.point_labels.push_back(p.value("label", std::string()));
      }
    }
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    PlotLine& l = lines[i];
    if (!merged[i] || l.points_only) continue;
    std::vector<size_t> order(l.compute.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return l.compute[a] < l.compute[b]; });
    PlotLine sorted = l;
    for (size_t k = 0; k < order.size(); ++k) {
      sorted.compute[k] = l.compute[order[k]];
      sorted.accuracy[k] = l.accuracy[order[k]];
      sorted.point_labels[k] = l.point_labels[order[k]];
    }
    l = std::move(sorted);
  }
  return lines;
}

std::string render_report(const json& results) {
  std::string md =
      "# Evaluation report\n\nRun `" + results.value("run_id", std::string()) + "`" +
      (results.value("complete", false) ? ""
                                        : " (incomplete: re-run the same command to finish it)") +
      ".\n";
  for (const auto& d : results["datasets"]) {
    const std::string name = d["name"].get<std::string>();
    md += "\n## " + name + " (" + std::to_string(d["problems"].get<size_t>()) + " problems)\n\n";
    md +=
        "| configuration | samples | accuracy | 95% CI | mean thinking tokens | within budget |\n"
        "| --- | ---: | ---: | --- | ---: | ---: |\n";
    for (const auto& c : d["configs"]) {
      md += "| " + c["name"].get<std::string>() + " | " +
            std::to_string(c["samples"].get<size_t>()) + " | " + pct(c["accuracy"]) + " | " +
            (c.contains("ci_low") ? pct(c["ci_low"]) + " - " + pct(c["ci_high"]) : "-") + " | " +
            num(c.value("mean_thinking_tokens", json(nullptr))) + " | " +
            pct(c.value("control", json(nullptr))) + " |\n";
    }
    for (const auto& c : d["configs"]) {
      if (!c.contains("clamped_samples")) continue;
      md += "\nThe context (-c) cut the budget of `" + c["name"].get<std::string>() + "`: " +
            std::to_string(c["clamped_samples"].get<size_t>()) + " of " +
            std::to_string(c["samples"].get<size_t>()) +
            " samples could think for at most " +
            std::to_string(c["effective_max_think"].get<int>()) +
            " tokens (what the context left after the prompt).\n";
    }
    md +=
        "\n| method | points | Control | Scaling | Performance |\n| --- | ---: | ---: | ---: | "
        "---: |\n";
    for (const auto& m : d["methods"]) {
      md += "| " + m["family"].get<std::string>() + " | " + std::to_string(m["points"].size()) +
            " | " + pct(m["control"]) + " | " + num(m["scaling"], "%.3g") + " | " +
            pct(m["performance"]) + " |\n";
    }
    bool header = false;
    for (const auto& c : d["configs"]) {
      if (!c.contains("maj_at_k")) continue;
      if (!header) {
        md +=
            "\n| parallel configuration | k | maj@k | pass@k | best-of-k |\n| --- | ---: | ---: | "
            "---: | ---: |\n";
        header = true;
      }
      std::vector<int> ks;
      for (const auto& [k, v] : c["maj_at_k"].items()) ks.push_back(std::stoi(k));
      std::sort(ks.begin(), ks.end());
      for (int ki : ks) {
        const std::string k = std::to_string(ki);
        md += "| " + c["name"].get<std::string>() + " | " + k + " | " + pct(c["maj_at_k"][k]) +
              " | " + pct(c["pass_at_k"][k]) + " | " +
              (c.contains("best_of_k") ? pct(c["best_of_k"][k]) : std::string("-")) + " |\n";
      }
    }
    header = false;
    for (const auto& c : d["configs"]) {
      if (!c.contains("baseline")) continue;
      if (!header) {
        md +=
            "\n| adaptive configuration | accuracy | mean thinking tokens | baseline accuracy | "
            "baseline mean thinking tokens | tokens saved | saved | probes per sample | probe "
            "tokens per sample | exits consistent / confident |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
        header = true;
      }
      const json none(nullptr);
      const json& exits = c.value("exits", json::object());
      md += "| " + c["name"].get<std::string>() + " | " + pct(c["accuracy"]) + " | " +
            num(c.value("mean_thinking_tokens", none)) + " | " +
            pct(c.value("baseline_accuracy", none)) + " | " +
            num(c.value("baseline_mean_thinking_tokens", none)) + " | " +
            num(c.value("tokens_saved", none)) + " | " +
            pct(c.value("tokens_saved_fraction", none)) + " | " +
            num(c.value("mean_probes", none), "%.2f") + " | " +
            num(c.value("mean_probe_tokens", none)) + " | " +
            std::to_string(exits.value("consistent", 0)) + " / " +
            std::to_string(exits.value("confident", 0)) + " |\n";
    }
    if (results.contains("plots") && results["plots"].contains(name)) {
      md += "\n![accuracy against thinking tokens](" +
            results["plots"][name]["png"].get<std::string>() + ")\n";
    }
  }
  md +=
      "\nControl: share of samples whose thinking stays within their configuration's budget. "
      "Scaling: mean slope of accuracy against mean thinking tokens over pairs of points. "
      "Performance: best accuracy. Intervals are Wilson score intervals. Adaptive: tokens "
      "saved are the baseline's (budget forcing at the same cap, no ignoring) mean thinking "
      "tokens minus the configuration's, over the samples both have; probe tokens are not "
      "thinking tokens and are shown apart.\n";
  return md;
}

}  // namespace s1::eval
