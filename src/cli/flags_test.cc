#include "cli/flags.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "cli/commands.h"

namespace s1::cli {
namespace {

using Bias = std::vector<std::pair<Token, float>>;

TEST(SamplingFlags, PerPhaseBiasesStayInTheirPhase) {
  CLI::App app;
  SamplingFlags flags;
  add_sampling_flags(app, flags);
  app.parse("--logit-bias 5+1 --logit-bias-think 151644+30 --logit-bias-answer 7-2", false);
  SamplingParams thinking, answer;
  flags.resolve(thinking, answer);
  // --logit-bias reaches both phases (llama.cpp's meaning); the others one phase each.
  EXPECT_EQ(thinking.logit_bias, (Bias{{5, 1.0f}, {151644, 30.0f}}));
  EXPECT_EQ(answer.logit_bias, (Bias{{5, 1.0f}, {7, -2.0f}}));
}

TEST(SamplingFlags, MalformedPerPhaseBiasIsRefused) {
  SamplingFlags flags;
  flags.logit_bias_think = {"151644"};
  SamplingParams thinking, answer;
  EXPECT_THROW(flags.resolve(thinking, answer), std::invalid_argument);
  flags.logit_bias_think.clear();
  flags.logit_bias_answer = {"x+1"};
  EXPECT_THROW(flags.resolve(thinking, answer), std::invalid_argument);
}

// Every option of `app` and its subcommands, by command path.
void collect(const CLI::App& app, const std::string& path,
             std::map<std::string, std::vector<const CLI::Option*>>& out) {
  for (const CLI::Option* o : app.get_options()) {
    if (!o->get_lnames().empty() || !o->get_snames().empty()) out[path].push_back(o);
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) collect(*sub, path + " " + sub->get_name(), out);
}

std::string name_of(const CLI::Option* o) {
  return o->get_lnames().empty() ? "-" + o->get_snames().front() : "--" + o->get_lnames().front();
}

// The shared flags, as their one declaration makes them.
std::set<std::string> shared_flag_names() {
  CLI::App app;
  ModelFlags model;
  ForcingSettings forcing;
  BudgetRules rules;
  SamplingFlags sampling;
  AdaptiveFlags adaptive;
  add_model_flags(app, model);
  add_forcing_flags(app, forcing, rules);
  add_sampling_flags(app, sampling);
  add_adaptive_flags(app, adaptive);
  std::set<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    if (!o->get_lnames().empty() || !o->get_snames().empty()) names.insert(name_of(o));
  }
  return names;
}

// A flag named alike in several commands is one flag: one default and, but for the
// budgets a sweep takes as lists, one meaning (its help).
TEST(Flags, ASharedFlagHasOneDefaultAndMeaningInEveryCommand) {
  CLI::App app;
  int exit_code = 0;
  add_generate_command(app, exit_code);
  add_curate_command(app, exit_code);
  add_eval_command(app, exit_code);
  add_serve_command(app, exit_code);
  std::map<std::string, std::vector<const CLI::Option*>> by_command;
  collect(app, "s1", by_command);
  const std::set<std::string> shared = shared_flag_names();
  const std::set<std::string> sweeps = {"--max-think",   "--num-ignore",      "--ignore-str",
                                        "--probe-every", "--exit-consistent", "--exit-confidence"};
  std::map<std::string, std::pair<std::string, const CLI::Option*>> first;  // name -> command
  int compared = 0;
  for (const auto& [command, options] : by_command) {
    for (const CLI::Option* o : options) {
      const std::string name = name_of(o);
      if (!shared.count(name)) continue;
      // The one name two concepts share: curate's selection seed draws no tokens.
      if (command == "s1 curate select" && name == "--seed") continue;
      auto [it, fresh] = first.emplace(name, std::make_pair(command, o));
      if (fresh) continue;
      const CLI::Option* other = it->second.second;
      ++compared;
      // The one default a command sets apart (flags.h, kServeCacheRamMib): a server's
      // conversations come back after their cache is dropped, other commands' prompts
      // seldom do, and host memory spent on them would grow for nothing.
      const bool own_default = name == "--cache-ram" && (command == "s1 serve" ||
                                                         it->second.first == "s1 serve");
      if (!own_default) {
        EXPECT_EQ(o->get_default_str(), other->get_default_str())
            << name << " in " << command << " and " << it->second.first;
      }
      EXPECT_EQ(o->get_lnames(), other->get_lnames()) << name << " in " << command;
      EXPECT_EQ(o->get_snames(), other->get_snames()) << name << " in " << command;
      if (!sweeps.count(name)) {
        EXPECT_EQ(o->get_description(), other->get_description())
            << name << " in " << command << " and " << it->second.first;
      }
    }
  }
  // -c and --parallel reach the four commands that run a model, the forcing flags three.
  EXPECT_GT(compared, 40);
  for (const char* name :
       {"--ctx-size", "--parallel", "--threads", "--min-think", "--final-answer", "--think-end",
        "--max-think", "--probe-every", "--exit-confidence", "--probe-suffix"}) {
    EXPECT_TRUE(first.count(name)) << name;
  }
}

TEST(Flags, ContextIsPerSequenceEverywhere) {
  CLI::App app;
  ModelFlags flags;
  add_model_flags(app, flags);
  app.parse("-c 1000 --parallel 3", false);
  const ContextSettings c = flags.context.resolve(flags.context.parallel);
  EXPECT_EQ(c.n_parallel, 3);
  EXPECT_EQ(c.n_ctx, 3000);
  EXPECT_EQ(flags.context.resolve(2).n_ctx, 2000);  // fewer sequences, same -c each
}

TEST(Flags, BudgetsTakeAutoOrCounts) {
  EXPECT_EQ(parse_budget("auto"), -1);
  EXPECT_EQ(parse_budget("-1"), -1);
  EXPECT_EQ(parse_budget("512"), 512);
  EXPECT_THROW(parse_budget("-2"), CLI::ValidationError);
  EXPECT_THROW(parse_budget("12x"), CLI::ValidationError);
  CLI::App app;
  SweepFlags sweep;
  add_sweep_flags(app, sweep);
  app.parse("--max-think 256,auto --ignore-str Wait,Hmm\\n", false);
  EXPECT_EQ(sweep.budgets, (std::vector<int>{256, -1}));
  EXPECT_EQ(sweep.ignore_strings, (std::vector<std::string>{"Wait", "Hmm\n"}));
}

// Forced strings take \n and \t as one run's do, in every command.
TEST(Flags, ForcedStringsUnescapeAlikeEverywhere) {
  CLI::App app;
  ForcingSettings forcing;
  BudgetRules rules;
  add_shared_forcing_flags(app, forcing, rules);
  app.parse(R"(--final-answer \tA: --think-end </t>\n)", false);
  EXPECT_EQ(forcing.cap_suffix, "\tA:");
  EXPECT_EQ(forcing.think_end, "</t>\n");
}

// "No ignore string" is spelled the same in one run and in a sweep: none (or "").
TEST(Flags, NoIgnoreStringIsSpelledAlikeEverywhere) {
  CLI::App one;
  ForcingSettings forcing;
  BudgetRules rules;
  add_forcing_flags(one, forcing, rules);
  one.parse("--ignore-str none", false);
  EXPECT_EQ(forcing.ignore_strings, (std::vector<std::string>{""}));
  CLI::App sweep_app;
  SweepFlags sweep;
  add_sweep_flags(sweep_app, sweep);
  sweep_app.parse("--ignore-str Wait,none", false);
  EXPECT_EQ(sweep.ignore_strings, (std::vector<std::string>{"Wait", ""}));
}

// The adaptive sweep's lists: comma-separated, each value checked as one run's flag is.
TEST(Flags, AdaptiveSweepTakesListsOfOneRunsValues) {
  // The app lives on: first_given() reads its options.
  std::vector<std::unique_ptr<CLI::App>> apps;
  auto parse = [&apps](const std::string& args, AdaptiveSweepFlags& sweep) {
    apps.push_back(std::make_unique<CLI::App>());
    add_adaptive_sweep_flags(*apps.back(), sweep);
    apps.back()->parse(args, false);
  };
  AdaptiveSweepFlags sweep;
  EXPECT_EQ(sweep.probe_every, std::vector<int>{0});
  parse("--probe-every 32,64 --exit-consistent 2,3 --exit-confidence 0.9,1.5 --probe-tokens 8",
        sweep);
  EXPECT_EQ(sweep.probe_every, (std::vector<int>{32, 64}));
  EXPECT_EQ(sweep.exit_consistent, (std::vector<int>{2, 3}));
  EXPECT_EQ(sweep.exit_confidence, (std::vector<double>{0.9, 1.5}));
  EXPECT_EQ(sweep.shared.probe.probe_tokens, 8);
  EXPECT_EQ(sweep.first_given(), "--probe-every");
  AdaptiveSweepFlags quiet;
  parse("", quiet);
  EXPECT_EQ(quiet.first_given(), "");
  AdaptiveSweepFlags one;
  parse("--exit-mean geometric", one);
  EXPECT_EQ(one.first_given(), "--exit-mean");
  for (const char* bad : {"--exit-confidence 1.5,x", "--exit-confidence 0.9,-1",
                          "--probe-every 8,-8", "--exit-consistent two"}) {
    AdaptiveSweepFlags s;
    EXPECT_THROW(parse(bad, s), CLI::ParseError) << bad;
  }
}

}  // namespace
}  // namespace s1::cli
