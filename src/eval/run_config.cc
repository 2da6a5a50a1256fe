#include "eval/run_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/file_hash.h"

namespace s1::eval {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// The first key (as a path) where two JSON values differ.
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b,
                             const std::string& at) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.items()) {
      if (!b.contains(k)) return at + "/" + k;
      std::string d = first_difference(v, b.at(k), at + "/" + k);
      if (!d.empty()) return d;
    }
    for (const auto& [k, v] : b.items()) {
      if (!a.contains(k)) return at + "/" + k;
    }
    return "";
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (size_t i = 0; i < a.size(); ++i) {
      std::string d = first_difference(a[i], b[i], at + "/" + std::to_string(i));
      if (!d.empty()) return d;
    }
    return "";
  }
  return a == b ? "" : (at.empty() ? "/" : at);
}

// The flag that sets the part of a run at JSON pointer `at` (first_difference's), or "".
// The first entry that is `at` or a prefix of it wins.
// The identity's keys are s1 eval's (cli/eval.cc); the configurations and datasets come
// from the sweep and --dataset flags.
std::string flag_at(const std::string& at) {
  static const std::pair<const char*, const char*> kFlags[] = {
      {"/identity/backend", "--backend"},
      {"/identity/model/xxh64", "the model's content (-m)"},
      {"/identity/model/bytes", "the model's size (-m)"},
      {"/identity/model", "-m (the model)"},
      {"/identity/sequence_context", "-c"},
      {"/identity/think_start", "--think-start"},
      {"/identity/think_end", "--think-end"},
      {"/identity/final_answer", "--final-answer"},
      {"/identity/step_marker", "--step-marker"},
      {"/identity/min_think", "--min-think"},
      {"/identity/max_answer", "--max-answer"},
      {"/identity/system", "--system"},
      {"/identity/limit", "--limit"},
      {"/identity/schedule", "--schedule"},
      {"/identity/sampling/sample_temp", "--sample-temp"},
      {"/identity/sampling/temp_think", "--temp-think"},
      {"/identity/sampling/temp_answer", "--temp-answer"},
      {"/identity/sampling/temp", "--temp"},
      {"/identity/sampling/top_k", "--top-k"},
      {"/identity/sampling/top_p", "--top-p"},
      {"/identity/sampling/min_p", "--min-p"},
      {"/identity/sampling/seed", "--seed"},
      {"/identity/sampling/logit_bias_think", "--logit-bias-think"},
      {"/identity/sampling/logit_bias_answer", "--logit-bias-answer"},
      {"/identity/sampling/logit_bias", "--logit-bias"},
      {"/identity/chat_template_kwargs", "--chat-template-kwargs"},
      {"/identity/judge", "the judge (--judge-*)"},
      {"/identity/probe_slots", "--probe-slots"},
      {"/datasets", "--dataset"},
      {"/configs", "the grid (--method and its budget flags)"},
  };
  // A dataset's entry: "/datasets/<i>/<field>".
  if (at.compare(0, 10, "/datasets/") == 0) {
    const size_t slash = at.find('/', 10);
    const std::string field = slash == std::string::npos ? "" : at.substr(slash + 1);
    if (field == "problems") return "--limit (or the dataset's problems)";
    if (field == "content_hash") return "the dataset file's content";
  }
  for (const auto& [prefix, flag] : kFlags) {
    const std::string p = prefix;
    if (at.compare(0, p.size(), p) == 0 && (at.size() == p.size() || at[p.size()] == '/')) {
      return flag;
    }
  }
  return "";
}

// One cached model hash: "<xxh64>\t<bytes>\t<mtime>\t<absolute path>".
struct HashEntry {
  std::string hash;
  long long bytes = 0;
  long long mtime = 0;
  std::string path;
};

bool parse_entry(const std::string& line, HashEntry& e) {
  std::istringstream in(line);
  std::string bytes, mtime;
  if (!std::getline(in, e.hash, '\t') || !std::getline(in, bytes, '\t') ||
      !std::getline(in, mtime, '\t') || !std::getline(in, e.path) || e.path.empty() ||
      e.hash.size() != 16 || e.hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return false;
  }
  try {
    size_t used = 0;
    e.bytes = std::stoll(bytes, &used);
    if (used != bytes.size()) return false;
    e.mtime = std::stoll(mtime, &used);
    return used == mtime.size();
  } catch (const std::exception&) {
    return false;
  }
}

std::string entry_line(const HashEntry& e) {
  return e.hash + "\t" + std::to_string(e.bytes) + "\t" + std::to_string(e.mtime) + "\t" + e.path +
         "\n";
}

std::vector<HashEntry> read_hash_cache(const std::string& cache_file) {
  std::vector<HashEntry> entries;
  std::ifstream in(cache_file);
  std::string line;
  HashEntry e;
  while (std::getline(in, line)) {
    if (parse_entry(line, e)) entries.push_back(e);
  }
  return entries;
}

}  // namespace

std::vector<MethodConfig> expand_grid(const GridSpec& g, std::vector<std::string>* notes) {
  if (g.methods.empty()) throw std::invalid_argument("no method");
  if (g.budgets.empty()) throw std::invalid_argument("no thinking budget");
  for (int b : g.budgets) {
    if (b < -1) throw std::invalid_argument("a thinking budget must be >= 0 or auto");
  }
  for (int k : g.num_ignores) {
    if (k < 0) throw std::invalid_argument("--num-ignore values must be >= 0");
  }
  if (g.n < 1) throw std::invalid_argument("-n must be >= 1");
  std::vector<MethodConfig> out;
  std::set<std::string> names;
  size_t made = 0;  // configurations made, duplicates included (another method's baseline)
  std::vector<std::string> auto_left_out;  // methods that cannot take an "auto" budget given
  auto add = [&](MethodConfig c) {
    ++made;
    if (names.insert(c.name()).second) out.push_back(std::move(c));
  };
  for (const std::string& m : g.methods) {
    std::string base = m;
    bool forcing = false;
    const std::string plus = "+forcing";
    if (base.size() > plus.size() &&
        base.compare(base.size() - plus.size(), plus.size(), plus) == 0) {
      base.resize(base.size() - plus.size());
      forcing = true;
    }
    MethodConfig proto;
    proto.kind = parse_method_kind(base);
    if (forcing && proto.kind != MethodKind::kTokenConditional &&
        proto.kind != MethodKind::kStepConditional) {
      throw std::invalid_argument("only token- and step-conditional take +forcing, not '" + m +
                                  "'");
    }
    proto.forcing = forcing;
    proto.max_tries = g.max_tries;
    proto.verify_budget = g.verify_budget;
    proto.suppress_words = g.suppress_words;
    const size_t before = made;
    switch (proto.kind) {
      case MethodKind::kBudgetForcing:
        for (int b : g.budgets) {
          for (int k : g.num_ignores) {
            MethodConfig c = proto;
            c.budget = b;
            c.num_ignore = k;
            if (k == 0) {
              add(c);
              continue;
            }
            for (const std::string& s : g.ignore_strings) {
              c.ignore_strings =
                  s.empty() ? std::vector<std::string>{} : std::vector<std::string>{s};
              add(c);
            }
          }
        }
        break;
      case MethodKind::kTokenConditional:
      case MethodKind::kStepConditional:
      case MethodKind::kRejection:
        for (int b : g.budgets) {
          // The prompt (or the check) names the budget: "auto" has no number to name.
          if (b < 0) {
            auto_left_out.push_back(m);
            continue;
          }
          MethodConfig c = proto;
          c.budget = b;
          add(c);
        }
        break;
      case MethodKind::kClassConditional:
        for (const std::string& cls : g.classes) {
          if (cls != "short" && cls != "long") {
            throw std::invalid_argument("--class takes short and long, not '" + cls + "'");
          }
          MethodConfig c = proto;
          c.thinking_class = cls;
          add(c);
        }
        break;
      case MethodKind::kMajority:
      case MethodKind::kBestOfN:
        for (int b : g.budgets) {
          MethodConfig c = proto;
          c.budget = b;
          c.n = g.n;
          add(c);
        }
        break;
      case MethodKind::kAdaptive:
        for (int b : g.budgets) {
          MethodConfig c = proto;
          c.budget = b;
          add(adaptive_baseline(c));
          for (int every : g.probe_every) {
            for (int w : g.exit_consistent) {
              for (double tau : g.exit_confidence) {
                c.probe = g.probe;
                c.probe.every = every;
                c.probe.consistent = w;
                c.probe.confidence = tau;
                if (!c.probe.probing()) {
                  throw std::invalid_argument(
                      "--method adaptive needs --probe-every N (N > 0; comma-separated to "
                      "sweep) or --probe-at-reflection");
                }
                try {
                  c.probe.validate();
                } catch (const std::invalid_argument& e) {
                  throw std::invalid_argument("--method adaptive: " + std::string(e.what()));
                }
                add(c);
              }
            }
          }
        }
        break;
    }
    if (made == before) {
      throw std::invalid_argument("method '" + m + "' has no configuration" +
                                  (auto_left_out.empty() || auto_left_out.back() != m
                                       ? std::string()
                                       : ": it needs numeric --max-think budgets, not auto"));
    }
  }
  if (!auto_left_out.empty()) {
    const bool any_auto = std::any_of(out.begin(), out.end(), [](const MethodConfig& c) {
      return c.budget < 0 && c.kind != MethodKind::kClassConditional;
    });
    std::string methods;
    for (const std::string& m : auto_left_out) methods += (methods.empty() ? "" : ", ") + m;
    if (!any_auto) {
      throw std::invalid_argument("--max-think auto: " + methods +
                                  " need numeric budgets (the prompt or check names the "
                                  "number); drop auto or add a method that takes it");
    }
    if (notes) notes->push_back("auto is left out for " + methods + " (numeric budgets only)");
  }
  return out;
}

MethodConfig adaptive_baseline(const MethodConfig& adaptive) {
  MethodConfig c;
  c.kind = MethodKind::kBudgetForcing;
  c.budget = adaptive.budget;
  c.num_ignore = 0;
  c.suppress_words = adaptive.suppress_words;
  return c;
}

DatasetSpec parse_dataset_spec(const std::string& spec) {
  DatasetSpec d;
  const size_t eq = spec.find('=');
  if (eq != std::string::npos) {
    d.name = spec.substr(0, eq);
    d.path = spec.substr(eq + 1);
  } else {
    d.path = spec;
    const size_t slash = spec.find_last_of('/');
    d.name = slash == std::string::npos ? spec : spec.substr(slash + 1);
    const size_t dot = d.name.find('.');
    if (dot != std::string::npos && dot > 0) d.name.resize(dot);
  }
  if (d.name.empty() || d.path.empty()) {
    throw std::invalid_argument("--dataset takes NAME=PATH or PATH, not '" + spec + "'");
  }
  return d;
}

LoadedDataset load_dataset(const DatasetSpec& spec, size_t limit, uint64_t choice_seed) {
  LoadedDataset d;
  d.spec = spec;
  d.problems = load_problems(spec.path, choice_seed);
  d.content_hash = hex64(fnv1a64(slurp(spec.path)));
  if (limit > 0 && d.problems.size() > limit) d.problems.resize(limit);
  std::set<std::string> ids;
  for (const Problem& p : d.problems) {
    if (!ids.insert(p.id).second) {
      throw std::runtime_error(spec.path + ": problem id '" + p.id + "' appears twice");
    }
  }
  return d;
}

nlohmann::json run_json(const nlohmann::json& identity, const std::vector<LoadedDataset>& datasets,
                        const std::vector<MethodConfig>& configs) {
  nlohmann::json ds = nlohmann::json::array();
  for (const auto& d : datasets) {
    nlohmann::json entry = {
        {"name", d.spec.name}, {"content_hash", d.content_hash}, {"problems", d.problems.size()}};
    // Multiple-choice sets are asked with their lettered choices and graded by letter; a run
    // that asked the bare question is another run.
    if (std::any_of(d.problems.begin(), d.problems.end(),
                    [](const Problem& p) { return !p.choices.empty(); })) {
      entry["multiple_choice"] = "letters";
    }
    ds.push_back(std::move(entry));
  }
  nlohmann::json cs = nlohmann::json::array();
  for (const auto& c : configs) {
    nlohmann::json j = c.to_json();
    j["name"] = c.name();
    cs.push_back(std::move(j));
  }
  return {{"format", 1}, {"identity", identity}, {"datasets", ds}, {"configs", cs}};
}

std::string run_id(const nlohmann::json& run) {
  return hex64(fnv1a64(run.dump()));
}

void write_file_atomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write " + tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  }
}

std::string user_cache_dir() {
  if (const char* v = std::getenv("S1_CACHE"); v && *v) return v;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/s1.cpp";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/s1.cpp";
  return "";
}

std::string default_model_hash_cache() {
  const std::string dir = user_cache_dir();
  return dir.empty() ? "" : dir + "/model-hashes.tsv";
}

nlohmann::json model_file_identity(const std::string& path, const std::string& cache_file,
                                   FILE* note) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto bytes = static_cast<long long>(fs::file_size(path, ec));
  if (ec) throw std::runtime_error("cannot read model " + path + ": " + ec.message());
  const auto mtime =
      static_cast<long long>(fs::last_write_time(path, ec).time_since_epoch().count());
  if (ec) throw std::runtime_error("cannot read model " + path + ": " + ec.message());
  const std::string key = fs::absolute(path, ec).lexically_normal().string();
  // A path with a newline or tab cannot be a cache line; it is hashed every time.
  const bool cacheable = !cache_file.empty() && key.find_first_of("\t\n") == std::string::npos;

  std::vector<HashEntry> entries;
  if (cacheable) entries = read_hash_cache(cache_file);
  for (const auto& e : entries) {
    if (e.path == key && e.bytes == bytes && e.mtime == mtime) {
      return {{"bytes", bytes}, {"xxh64", e.hash}};
    }
  }
  if (note) {
    std::fprintf(note, "s1 eval: hashing %s to identify the run (once per file)\n", path.c_str());
  }
  const std::string hash = hex64(xxh64_file(path));
  if (cacheable) {
    // This file's entry replaces its old one; the cache keeps the newest 256 files.
    std::string text;
    size_t kept = 0;
    for (auto it = entries.rbegin(); it != entries.rend() && kept < 255; ++it) {
      if (it->path == key) continue;
      text = entry_line(*it) + text;
      ++kept;
    }
    text += entry_line({hash, bytes, mtime, key});
    try {
      fs::create_directories(fs::path(cache_file).parent_path(), ec);
      write_file_atomic(cache_file, text);
    } catch (const std::runtime_error&) {
      // Not kept: the next run hashes the file again.
    }
  }
  return {{"bytes", bytes}, {"xxh64", hash}};
}

void claim_run_dir(const std::string& dir, const nlohmann::json& run, const nlohmann::json& info) {
  // Parent folders first (`--out runs/bf` in a fresh clone); a failure there shows as
  // mkdir's own error below.
  const std::filesystem::path parent = std::filesystem::path(dir).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    throw std::runtime_error("cannot create " + dir + ": " + std::strerror(errno));
  }
  const std::string config = dir + "/config.json";
  if (exists(config)) {
    nlohmann::json old;
    try {
      old = nlohmann::json::parse(slurp(config));
    } catch (const nlohmann::json::exception&) {
      throw std::runtime_error(config + " is not valid JSON; use another --out");
    }
    const nlohmann::json old_run = old.value("run", nlohmann::json());
    if (old_run != run) {
      const std::string at = first_difference(old_run, run, "");
      const std::string flag = flag_at(at);
      // Named by its flag; the field itself only where no flag sets it.
      throw std::runtime_error(dir + " holds run " + old.value("run_id", std::string("?")) +
                               " with a different configuration (" +
                               (flag.empty() ? at : flag) +
                               " differs); use another --out for a new run");
    }
    return;
  }
  if (exists(dir + "/samples.jsonl")) {
    throw std::runtime_error(dir + " has samples.jsonl but no config.json; use another --out");
  }
  nlohmann::json j = {{"run_id", run_id(run)}, {"run", run}, {"info", info}};
  write_file_atomic(config, j.dump(2) + "\n");
}

}  // namespace s1::eval
