#include "curate/stages.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "core/answer_extraction.h"
#include "core/curation.h"
#include "core/datasets.h"
#include "core/grading.h"
#include "curate/jsonl.h"
#include "curate/plots.h"

namespace s1::curate {
namespace {

std::string question_of(const nlohmann::json& r) {
  return text_field(r, {"question", "problem", "Problem", "prompt"});
}
std::string trace_of(const nlohmann::json& r) {
  return text_field(r, {"trace", "thinking", "reasoning", "thinking_trajectory", "cot"});
}
std::string answer_of(const nlohmann::json& r) {
  return text_field(r, {"answer", "attempt", "solution", "response"});
}
std::string domain_of(const nlohmann::json& r) {
  const auto it = r.find("domain");
  if (it != r.end() && it->is_string()) return it->get<std::string>();
  return text_field(r, {"msc", "subject"});
}
// The gold final answer: "gold", else "answer" (a final answer or a solution: its last
// \boxed{} when it has one).
std::string gold_of(const nlohmann::json& r) {
  std::string gold = text_field(r, {"gold"});
  if (gold.empty()) gold = text_field(r, {"answer", "solution"});
  if (const auto boxed = extract_last_boxed(gold)) return *boxed;
  return gold;
}

std::string where(const JsonlReader& reader) {
  return reader.path() + ":" + std::to_string(reader.line());
}

int64_t trace_tokens_of(const nlohmann::json& r) {
  const auto it = r.find("trace_tokens");
  if (it != r.end() && it->is_number_integer()) return it->get<int64_t>();
  return static_cast<int64_t>(trace_of(r).size() / 4);  // rough, when featurize did not run
}

const char kClassifyPrompt[] =
    "Classify the following problem into one top-level area of the Mathematics Subject "
    "Classification (MSC 2020). Reply with the two-digit code only.\n\nAreas:\n";

}  // namespace

const std::vector<std::string>& msc_domains() {
  static const std::vector<std::string> kDomains = {
      "00 General and overarching topics", "01 History and biography",
      "03 Mathematical logic and foundations", "05 Combinatorics",
      "06 Order, lattices, ordered algebraic structures", "08 General algebraic systems",
      "11 Number theory", "12 Field theory and polynomials", "13 Commutative algebra",
      "14 Algebraic geometry", "15 Linear and multilinear algebra; matrix theory",
      "16 Associative rings and algebras", "17 Nonassociative rings and algebras",
      "18 Category theory; homological algebra", "19 K-theory", "20 Group theory and generalizations",
      "22 Topological groups, Lie groups", "26 Real functions", "28 Measure and integration",
      "30 Functions of a complex variable", "31 Potential theory", "32 Several complex variables",
      "33 Special functions", "34 Ordinary differential equations",
      "35 Partial differential equations", "37 Dynamical systems and ergodic theory",
      "39 Difference and functional equations", "40 Sequences, series, summability",
      "41 Approximations and expansions", "42 Harmonic analysis on Euclidean spaces",
      "43 Abstract harmonic analysis", "44 Integral transforms, operational calculus",
      "45 Integral equations", "46 Functional analysis", "47 Operator theory",
      "49 Calculus of variations and optimal control", "51 Geometry",
      "52 Convex and discrete geometry", "53 Differential geometry", "54 General topology",
      "55 Algebraic topology", "57 Manifolds and cell complexes", "58 Global analysis",
      "60 Probability theory and stochastic processes", "62 Statistics", "65 Numerical analysis",
      "68 Computer science", "70 Mechanics of particles and systems",
      "74 Mechanics of deformable solids", "76 Fluid mechanics", "78 Optics, electromagnetic theory",
      "80 Classical thermodynamics, heat transfer", "81 Quantum theory",
      "82 Statistical mechanics, structure of matter", "83 Relativity and gravitational theory",
      "85 Astronomy and astrophysics", "86 Geophysics", "90 Operations research, mathematical programming",
      "91 Game theory, economics, finance", "92 Biology and other natural sciences",
      "93 Systems theory; control", "94 Information and communication theory, circuits",
      "97 Mathematics education"};
  return kDomains;
}

std::string parse_msc_reply(const std::string& reply) {
  for (size_t i = 0; i + 1 < reply.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(reply[i])) ||
        !std::isdigit(static_cast<unsigned char>(reply[i + 1]))) {
      continue;
    }
    const bool alone = (i == 0 || !std::isdigit(static_cast<unsigned char>(reply[i - 1]))) &&
                       (i + 2 == reply.size() || !std::isdigit(static_cast<unsigned char>(reply[i + 2])));
    if (!alone) continue;
    const std::string code = reply.substr(i, 2);
    for (const auto& d : msc_domains()) {
      if (d.compare(0, 2, code) == 0) return code;
    }
  }
  return "unknown";
}

StageCounts featurize(const std::string& in, const std::string& out, const FeaturizeOptions& o,
                      const Progress& progress) {
  StageCounts counts;
  check_outputs({in}, {out});
  JsonlReader reader(in);
  JsonlWriter writer(out, JsonlWriter::Mode::kResume);
  const auto done = finished_ids(writer.partial_path());
  std::string areas;
  for (const auto& d : msc_domains()) areas += d + "\n";

  std::vector<nlohmann::json> chunk;
  auto flush_chunk = [&] {
    // A model's requests for the whole chunk go in together and decode as one batch.
    for (size_t m = 0; m < o.attempt_models.size(); ++m) {
      Backend& b = *o.attempt_models[m].second;
      for (auto& record : chunk) {
        BackendRequest req;
        req.messages = {{"user", question_of(record)}};
        req.rules = o.attempt_rules;
        const std::string model_name = o.attempt_models[m].first;
        nlohmann::json* target = &record;
        req.on_done = [target, model_name](int, const SequenceResult& r) {
          // Graded as `s1 grade` and `s1 eval` grade (core/grading.h): extraction, then
          // equivalence under the answer rules, which read the question.
          const GoldAnswer gold{gold_of(*target), 0, question_of(*target)};
          const SampleGrade grade = grade_text(r.answer, gold);
          nlohmann::json attempt = {{"model", model_name},
                                    {"answer", r.answer},
                                    {"extracted", grade.extracted},
                                    {"correct", !gold.answer.empty() && grade.correct}};
          if (r.clamped) attempt["max_think"] = r.max_think;  // lowered to fit the context
          (*target)["attempts"].push_back(std::move(attempt));
        };
        try {
          b.submit(std::move(req));
        } catch (const std::invalid_argument& e) {
          // Too long for the context: this item's attempt is skipped, not the run.
          record["attempts"].push_back({{"model", model_name}, {"skipped", e.what()}});
          ++counts.attempts_skipped;
        }
      }
      b.run();
    }
    if (o.domain_model) {
      for (auto& record : chunk) {
        if (!domain_of(record).empty()) continue;
        BackendRequest req;
        req.messages = {{"user", kClassifyPrompt + areas + "\nProblem:\n" + question_of(record)}};
        req.rules = {256, 0, 0, 16};
        nlohmann::json* target = &record;
        req.on_done = [target](int, const SequenceResult& r) {
          (*target)["domain"] = parse_msc_reply(r.answer);
        };
        try {
          o.domain_model->submit(std::move(req));
        } catch (const std::invalid_argument& e) {
          record["domain"] = "unknown";
          record["domain_skipped"] = e.what();
          ++counts.attempts_skipped;
        }
      }
      o.domain_model->run();
    }
    for (auto& record : chunk) {
      writer.write(record);
      ++counts.written;
      if (progress) progress(counts);
    }
    chunk.clear();
  };

  nlohmann::json record;
  while (reader.next(record)) {
    ++counts.read;
    const std::string id = record_id(record, where(reader));
    if (done.count(id)) {
      ++counts.skipped;
      continue;
    }
    if (question_of(record).empty()) {
      throw std::runtime_error(where(reader) + ": record has no question");
    }
    if (o.tokenizer) {
      record["trace_tokens"] = o.tokenizer->tokenize(trace_of(record), false).size();
    }
    if (!o.attempt_models.empty()) record["attempts"] = nlohmann::json::array();
    chunk.push_back(std::move(record));
    if (static_cast<int>(chunk.size()) >= std::max(1, o.chunk)) flush_chunk();
  }
  flush_chunk();
  writer.commit();
  return counts;
}

StageCounts filter(const std::string& in, const std::string& out, const std::string& dropped,
                   const FilterOptions& o, const Progress& progress) {
  std::vector<std::string> inputs = o.eval_sets;
  inputs.push_back(in);
  check_outputs(inputs, {out, dropped});
  NgramIndex eval_grams(o.ngram);
  for (const auto& path : o.eval_sets) {
    const std::string name = path.substr(path.find_last_of('/') + 1);
    for (const auto& p : load_problems(path)) eval_grams.add(p.problem, name + ":" + p.id);
  }
  StageCounts counts;
  JsonlReader reader(in);
  JsonlWriter kept(out, JsonlWriter::Mode::kReplace);
  JsonlWriter rejected(dropped, JsonlWriter::Mode::kReplace);
  std::unordered_map<uint64_t, std::string> exact;  // question hash -> first id
  NearDuplicateIndex near(o.near_duplicate_threshold);
  auto drop = [&](nlohmann::json& record, const std::string& reason) {
    record["drop_reason"] = reason;
    rejected.write(record);
    ++counts.dropped[reason];
  };

  nlohmann::json record;
  while (reader.next(record)) {
    ++counts.read;
    const std::string id = record_id(record, where(reader));
    const std::string question = question_of(record);
    if (const std::string issue = quality_issue(question, trace_of(record), answer_of(record));
        !issue.empty()) {
      drop(record, "quality: " + issue);
    } else if (const std::string hit = eval_grams.find_overlap(question); !hit.empty()) {
      record["contaminated_by"] = hit;
      drop(record, "contamination");
    } else if (auto [it, fresh] = exact.emplace(normalized_question_hash(question), id); !fresh) {
      record["duplicate_of"] = it->second;
      drop(record, "duplicate");
    } else if (const std::string other = o.near_duplicate_threshold > 0
                                             ? near.find_or_add(question, id)
                                             : std::string();
               !other.empty()) {
      record["duplicate_of"] = other;
      drop(record, "near duplicate");
    } else if (o.difficulty && record.contains("attempts") && record["attempts"].is_array() &&
               !record["attempts"].empty() &&
               std::all_of(record["attempts"].begin(), record["attempts"].end(),
                           [](const nlohmann::json& a) { return a.value("correct", false); })) {
      drop(record, "too easy: every attempt solved it");
    } else {
      kept.write(record);
      ++counts.written;
    }
    if (progress) progress(counts);
  }
  kept.commit();
  rejected.commit();
  return counts;
}

StageCounts select(const std::string& in, const std::string& out, const SelectOptions& o) {
  std::vector<std::string> outputs = {out};
  if (!o.report.empty()) outputs.push_back(o.report);
  check_outputs({in}, outputs);
  StageCounts counts;
  std::vector<SelectionCandidate> pool;
  {
    JsonlReader reader(in);
    nlohmann::json record;
    while (reader.next(record)) {
      ++counts.read;
      std::string domain = domain_of(record);
      pool.push_back({record_id(record, where(reader)), domain.empty() ? "unknown" : domain,
                      trace_tokens_of(record)});
    }
  }
  const std::vector<size_t> chosen = select_diverse(pool, o.size, o.seed);
  std::unordered_map<size_t, size_t> rank_of;  // pool index -> selection rank
  for (size_t r = 0; r < chosen.size(); ++r) rank_of[chosen[r]] = r;
  std::vector<nlohmann::json> selected(chosen.size());
  {
    JsonlReader reader(in);
    nlohmann::json record;
    for (size_t i = 0; reader.next(record); ++i) {
      const auto it = rank_of.find(i);
      if (it == rank_of.end()) continue;
      record["selection_rank"] = it->second;
      selected[it->second] = std::move(record);
    }
  }
  JsonlWriter writer(out, JsonlWriter::Mode::kReplace);
  for (const auto& r : selected) writer.write(r);
  writer.commit();
  counts.written = writer.written();

  if (!o.report.empty() || !o.plot.empty()) {
    SelectionSummary summary;
    for (const auto& c : pool) summary.pool_lengths.push_back(static_cast<double>(c.trace_tokens));
    for (size_t i : chosen) {
      ++summary.domains[pool[i].domain];
      summary.selected_lengths.push_back(static_cast<double>(pool[i].trace_tokens));
    }
    summary.pool_size = pool.size();
    summary.seed = o.seed;
    if (!o.report.empty()) write_selection_report(o.report, summary);
    if (!o.plot.empty()) write_selection_plots(o.plot, summary);
  }
  return counts;
}

StageCounts export_sft(const std::string& in, const std::string& out, const ExportOptions& o) {
  if (o.format != "s1" && o.format != "think-tags") {
    throw std::invalid_argument("unknown export format '" + o.format + "' (s1 or think-tags)");
  }
  const bool s1 = o.format == "s1";
  std::vector<std::string> outputs = {out};
  if (!o.conversations.empty()) outputs.push_back(o.conversations);
  check_outputs({in}, outputs);
  StageCounts counts;
  JsonlReader reader(in);
  JsonlWriter writer(out, JsonlWriter::Mode::kReplace);
  std::unique_ptr<JsonlWriter> conversations;
  if (!o.conversations.empty()) {
    conversations = std::make_unique<JsonlWriter>(o.conversations, JsonlWriter::Mode::kReplace);
  }
  nlohmann::json record;
  while (reader.next(record)) {
    ++counts.read;
    const std::string id = record_id(record, where(reader));
    const std::string question = question_of(record);
    const std::string trace = trace_of(record);
    const std::string answer = answer_of(record);
    if (question.empty() || trace.empty()) {
      throw std::runtime_error(where(reader) + ": record has no question or no trace");
    }
    const std::string assistant =
        s1 ? "<|im_start|>think\n" + trace + "\n<|im_start|>answer\n" + answer
           : "<think>\n" + trace + "\n</think>\n" + answer;
    std::string text;
    if (!o.system.empty()) text += "<|im_start|>system\n" + o.system + "<|im_end|>\n";
    text += "<|im_start|>user\n" + question + "<|im_end|>\n<|im_start|>assistant\n" + assistant +
            "<|im_end|>";
    writer.write({{"id", id}, {"text", text}});
    if (conversations) {
      nlohmann::json messages = nlohmann::json::array();
      if (!o.system.empty()) messages.push_back({{"role", "system"}, {"content", o.system}});
      messages.push_back({{"role", "user"}, {"content", question}});
      messages.push_back({{"role", "assistant"}, {"content", assistant}});
      conversations->write({{"id", id}, {"messages", messages}});
    }
    ++counts.written;
  }
  writer.commit();
  if (conversations) conversations->commit();
  return counts;
}

}  // namespace s1::curate
