// End-to-end tests on s1-nano (models/s1-nano.gguf), the small reasoning model trained in
// the project (scripts/train_nano.sh): the GGUF computes PyTorch's logits, its tokenizer
// round-trips the data over /tokenize, and the s1 methods act on its answers as on a model
// that reasons — accuracy at its natural length, little without thinking, a curve that
// rises with the cap, and probes whose consistent answers end thinking.
//
// They assert behaviour of a fixed model with greedy decoding and wide margins, never
// speed: greedy text can flip on the last bit of a float on another CPU, which moves an
// accuracy by a problem or two, not by the margins below.
#include <gtest/gtest.h>
#include <llama.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/datasets.h"
#include "engine/model.h"
#include "serve_harness.h"
#include "test_util.h"

namespace s1 {
namespace {

using nlohmann::json;
using test::run_command;
using test::shell_quote;

const std::string kModel = std::string(S1_SOURCE_DIR) + "/models/s1-nano.gguf";
const std::string kReference = std::string(S1_SOURCE_DIR) + "/models/s1-nano.reference.json";
const std::string kTestSet = std::string(S1_SOURCE_DIR) + "/data/s1-nano-test.jsonl";

// The committed model, loaded in this process.
std::unique_ptr<Model> load_nano() {
  init_llama_backend(false);
  LoadSettings load;
  load.path = kModel;
  return Model::load(load);
}

// The model's own cap string and the start of its box: a probe it understands.
const char* kProbeSuffix = "\\n</think>\\nFinal Answer: \\\\boxed{";

// Logits: llama.cpp against PyTorch (convert.py wrote PyTorch's rows, computed with the
// weights rounded to F16 as the GGUF stores them). What remains is the order of float
// operations and llama.cpp's F16 activations in matrix products: within 2 % of the
// row's scale on every logit; a wrong tensor layout or RoPE variant misses by far more.
constexpr float kLogitTolerance = 0.02f;

TEST(NanoModel, LogitsMatchPyTorch) {
  const json ref = json::parse(test::read_file(kReference));
  const std::vector<llama_token> tokens = ref["tokens"].get<std::vector<llama_token>>();
  const auto model = load_nano();
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = 1024;
  cp.n_batch = 1024;
  cp.n_ubatch = 1024;
  cp.n_threads = 1;
  cp.n_threads_batch = 1;
  llama_context* ctx = llama_init_from_model(model->get(), cp);
  ASSERT_NE(ctx, nullptr);
  llama_batch batch = llama_batch_init(static_cast<int32_t>(tokens.size()), 0, 1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    batch.token[i] = tokens[i];
    batch.pos[i] = static_cast<llama_pos>(i);
    batch.n_seq_id[i] = 1;
    batch.seq_id[i][0] = 0;
    batch.logits[i] = 1;
  }
  batch.n_tokens = static_cast<int32_t>(tokens.size());
  ASSERT_EQ(llama_decode(ctx, batch), 0);
  const int n_vocab = model->n_vocab();
  const auto positions = ref["positions"].get<std::vector<int>>();
  ASSERT_EQ(positions.size(), ref["logits"].size());
  float worst_share = 0.0f;
  for (size_t r = 0; r < positions.size(); ++r) {
    const auto want = ref["logits"][r].get<std::vector<float>>();
    ASSERT_EQ(static_cast<int>(want.size()), n_vocab);
    const float* got = llama_get_logits_ith(ctx, positions[r]);
    float scale = 1.0f, worst = 0.0f;
    for (int t = 0; t < n_vocab; ++t) {
      scale = std::max(scale, std::fabs(want[t]));
      worst = std::max(worst, std::fabs(got[t] - want[t]));
    }
    worst_share = std::max(worst_share, worst / scale);
    EXPECT_LE(worst, kLogitTolerance * scale) << "position " << positions[r];
    // The same next token wherever PyTorch's choice is clear.
    const auto best_want = std::max_element(want.begin(), want.end()) - want.begin();
    const auto best_got = std::max_element(got, got + n_vocab) - got;
    if (best_want != best_got) {
      EXPECT_LE(want[best_want] - want[best_got], 2 * kLogitTolerance * scale) << "position " << positions[r];
    }
  }
  RecordProperty("worst_share_of_scale", std::to_string(worst_share));
  llama_batch_free(batch);
  llama_free(ctx);
}

TEST(NanoModel, TokenizeRoundTripsEveryCharacterOfTheData) {
  const auto problems = load_problems(kTestSet);
  ASSERT_FALSE(problems.empty());
  std::string text;
  for (const auto& p : problems) text += p.problem + "\n" + p.solution + "\n";
  // Every printable ASCII character and the newline, whether the data uses it or not.
  for (char c = ' '; c <= '~'; ++c) text += c;
  text += '\n';

  test::ServerProcess server(test::s1_serve_argv({"--parallel", "1", "-c", "1024"}, kModel), 0,
                             test::temp_dir() + "/nano-serve.log");
  auto client = server.client();
  const auto tok = client.Post("/tokenize", json{{"content", text}}.dump(), "application/json");
  ASSERT_TRUE(tok);
  ASSERT_EQ(tok->status, 200) << tok->body;
  const auto ids = json::parse(tok->body)["tokens"].get<std::vector<Token>>();
  // One token per character: the byte's own id, whose piece is that character.
  ASSERT_EQ(ids.size(), text.size());
  const auto model = load_nano();
  std::string back;
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(ids[i], static_cast<unsigned char>(text[i])) << "character " << i;
    back += model->piece(ids[i]);
  }
  EXPECT_EQ(back, text);
  // The chat and thinking delimiters are single tokens.
  for (const char* special : {"<|im_start|>", "<|im_end|>", "<think>", "</think>"}) {
    const auto r = client.Post("/tokenize", json{{"content", special}}.dump(), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(json::parse(r->body)["tokens"].size(), 1u) << special;
  }
}

// `s1 eval` on the first 50 test problems (every difficulty alike: the set cycles through
// them) with `args`, into a fresh directory; returns its results.json's dataset entry.
json run_eval(const std::string& name, const std::string& args) {
  const std::string dir = test::temp_dir() + "/nano-" + name;
  run_command("rm -rf " + shell_quote(dir) + " && mkdir -p " + shell_quote(dir));
  const auto r = run_command(shell_quote(S1_BIN) + " eval -m " + shell_quote(kModel) + " --dataset nano=" +
                             shell_quote(kTestSet) + " --limit 50 -c 1024 --parallel 8 -t 1 --no-plots " + args +
                             " --out " + shell_quote(dir + "/run"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return json::object();
  return json::parse(test::read_file(dir + "/run/results.json"))["datasets"][0];
}

// The results row of `config`.
json row(const json& dataset, const std::string& config) {
  for (const auto& c : dataset.value("configs", json::array())) {
    if (c["name"] == config) return c;
  }
  ADD_FAILURE() << "no configuration " << config;
  return json::object();
}

TEST(NanoEval, BudgetForcingActsOnItsAnswers) {
  // Its natural length is about 276 thinking tokens (models/s1-nano.md).
  const json d = run_eval("caps", "--method budget-forcing --max-think 0,100,200,auto");
  auto accuracy = [&](const std::string& cap) {
    return row(d, "budget-forcing max=" + cap + " ignore=0").value("accuracy", -1.0);
  };
  // It reasons at its natural length, and cannot answer without thinking.
  EXPECT_GE(accuracy("auto"), 0.85);
  EXPECT_LE(accuracy("0"), 0.30);
  // Accuracy rises with the cap: a cap answers right once the sum is done.
  EXPECT_LE(accuracy("0"), accuracy("100"));
  EXPECT_LT(accuracy("100"), accuracy("200"));
  EXPECT_LT(accuracy("200"), accuracy("auto"));
  // Every cap holds: thinking never passes it.
  for (const char* cap : {"0", "100", "200"}) {
    const json r = row(d, std::string("budget-forcing max=") + cap + " ignore=0");
    EXPECT_LE(r.value("max_thinking_tokens", 1e9), std::stod(cap)) << cap;
  }
}

// The answers under a cap: trained on cut traces, it answers in its own form after the
// forced "Final Answer:", the total once its sum is done and an empty box before.
TEST(NanoEval, CappedAnswersAreBoxes) {
  run_eval("boxes", "--method budget-forcing --max-think 100,200");
  std::istringstream lines(test::read_file(test::temp_dir() + "/nano-boxes/run/samples.jsonl"));
  int capped = 0, boxed = 0, empty = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const json s = json::parse(line);
    ++capped;
    const std::string answer = s.value("answer", "");
    if (answer.rfind("\nFinal Answer: \\boxed{", 0) == 0 && answer.back() == '}') ++boxed;
    if (answer == "\nFinal Answer: \\boxed{}") ++empty;
  }
  ASSERT_EQ(capped, 100);
  EXPECT_GE(boxed, 95);
  // At 100 tokens most sums are unfinished (about 2 of its 2 to 8 operations).
  EXPECT_GE(empty, 30);
}

// An adaptive run on the 50 problems: probes every 16 thinking tokens with the model's
// own cap string, the probed answer written on exit (--exit-answer), and `exit` (the
// exit flag and its value). Expects at least 35 exits of `kind`, at least `min_saved` of
// thinking saved, and accuracy within 6 points of the natural length's.
void expect_exits(const std::string& name, const std::string& exit, const std::string& config,
                  const std::string& kind, double min_saved) {
  const json d = run_eval(name, "--method adaptive --max-think auto --probe-every 16 " + exit +
                                    " --exit-answer --probe-suffix " + shell_quote(kProbeSuffix));
  const json r = row(d, "adaptive max=auto every=16 " + config);
  ASSERT_TRUE(r.contains("exits")) << r.dump();
  EXPECT_GE(r["exits"].value(kind, 0), 35);
  EXPECT_GE(r.value("tokens_saved_fraction", 0.0), min_saved);
  EXPECT_GE(r.value("accuracy_change", -1.0), -0.06);
}

// Dynasor-style: two agreeing probes. Mid-sum the model answers an empty box, which
// never agrees, so exits come once the sum is done and cut its check (about 28 % of its
// thinking): on the 50 problems every one exits, 17.6 % of thinking saved, accuracy as at
// its natural length.
TEST(NanoEval, ProbesEndThinkingOnConsistentAnswers) {
  expect_exits("adaptive", "--exit-consistent 2", "consistent=2 confidence=0", "consistent", 0.08);
}

// DEER-style: exit at the first probe whose answer is confident. The same settled sums
// make the same cut (50 exits, 23.5 % saved, accuracy unchanged on the 50 problems).
TEST(NanoEval, ProbesEndThinkingOnConfidentAnswers) {
  expect_exits("confident", "--exit-confidence 0.95", "consistent=0 confidence=0.95", "confident", 0.10);
}

}  // namespace
}  // namespace s1
