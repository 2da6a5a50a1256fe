// `s1 plot`: one scaling plot from several `s1 eval` runs (eval/results.h's plot_lines
// over their results.json), e.g. every fixed cap of one run beside every adaptive rule of
// others. The runs are only read.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "eval/plot.h"
#include "eval/results.h"

namespace s1::cli {
namespace {

using nlohmann::json;

struct PlotArgs {
  std::vector<std::string> runs;
  std::string out;
  std::string dataset;
  std::string title;
};

// The results of `dataset` in the run directory `dir` ("": its only dataset). Throws
// CommandError naming the directory when it holds no readable results.json or not that
// dataset.
json dataset_results(const std::string& dir, const std::string& dataset) {
  const std::string path = dir + "/results.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CommandError("no results.json in " + dir + " (an s1 eval run directory)", 2);
  std::stringstream text;
  text << in.rdbuf();
  json results = json::parse(text.str(), nullptr, false);
  if (results.is_discarded() || !results.contains("datasets") || !results["datasets"].is_array()) {
    throw CommandError(path + " is not the results of an s1 eval run", 2);
  }
  std::string names;
  for (const json& d : results["datasets"]) {
    if (!d.is_object() || !d.contains("methods") || !d["methods"].is_array()) {
      throw CommandError(path + " is not the results of an s1 eval run", 2);
    }
    const std::string name = d.value("name", std::string());
    if (name == dataset || (dataset.empty() && results["datasets"].size() == 1)) {
      try {
        eval::plot_lines({d});  // every point has its numbers
      } catch (const json::exception& e) {
        throw CommandError(path + " is not the results of an s1 eval run (" +
                               std::string(e.what()).substr(std::string(e.what()).find(']') + 2) + ")",
                           2);
      }
      return d;
    }
    names += (names.empty() ? "" : ", ") + name;
  }
  if (dataset.empty()) {
    throw CommandError(dir + " holds several datasets (" + names + "): choose one with --dataset", 2);
  }
  throw CommandError(dir + " has no dataset '" + dataset + "' (it has: " + names + ")", 2);
}

int run(const PlotArgs& a) {
  std::vector<json> datasets;
  std::string name = a.dataset;
  for (const std::string& dir : a.runs) {
    datasets.push_back(dataset_results(dir, name));
    name = datasets.back().value("name", name);  // later runs must hold the same set
  }
  const std::string title = a.title.empty() ? eval::scaling_plot_title(name) : a.title;
  eval::write_scaling_plot(title, eval::plot_lines(datasets), a.out + ".svg", a.out + ".png");
  std::fprintf(stderr, "s1 plot: wrote %s.svg and %s.png from %zu runs\n", a.out.c_str(),
               a.out.c_str(), a.runs.size());
  return 0;
}

}  // namespace

void add_plot_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<PlotArgs>();
  CLI::App* cmd = app.add_subcommand(
      "plot", "one scaling plot (accuracy against thinking tokens) from several s1 eval runs");
  cmd->add_option("runs", a->runs,
                  "s1 eval run directories, read in order: a method in several runs is one "
                  "line, each configuration drawn once")
      ->required();
  cmd->add_option("-o,--out", a->out, "output path without extension: writes OUT.svg and OUT.png")
      ->required();
  cmd->add_option("--dataset", a->dataset, "the dataset to plot (needed when a run has several)");
  cmd->add_option("--title", a->title, "plot title (default: \"DATASET: accuracy vs. thinking tokens\")");
  cmd->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace s1::cli
