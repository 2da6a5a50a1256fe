// `s1`: test-time scaling for reasoning models. Dispatches to the subcommands.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "cli/flags.h"
#include "core/request_error.h"

int main(int argc, char** argv) {
  CLI::App app{"s1.cpp: budget forcing and test-time scaling for reasoning models", "s1"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "s1.cpp 0.1.0");
  int exit_code = 0;
  s1::cli::add_generate_command(app, exit_code);
  s1::cli::add_make_test_model_command(app, exit_code);
  s1::cli::add_grade_command(app, exit_code);
  s1::cli::add_curate_command(app, exit_code);
  s1::cli::add_eval_command(app, exit_code);
  s1::cli::add_plot_command(app, exit_code);
  s1::cli::add_serve_command(app, exit_code);
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || sub->check_name(argv[1]);
    }
    if (!known) {
      std::fprintf(stderr, "s1: error: unknown command '%s' (see s1 --help)\n", argv[1]);
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    const auto* sub = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front();
    std::fprintf(stderr, "s1%s%s: error: %s (see --help)\n", sub ? " " : "",
                 sub ? sub->get_name().c_str() : "", e.what());
    return 2;
  } catch (const s1::cli::CommandError& e) {
    std::fprintf(stderr, "s1 %s: error: %s\n", app.get_subcommands().front()->get_name().c_str(),
                 e.what());
    return e.exit_code;
  } catch (const s1::RequestError& e) {
    // The rules' own names are the flags' on the command line.
    const auto subs = app.get_subcommands();
    std::fprintf(stderr, "s1%s%s: error: %s\n", subs.empty() ? "" : " ",
                 subs.empty() ? "" : subs.front()->get_name().c_str(),
                 s1::with_field_names(e.what(), s1::cli::rule_flags()).c_str());
    return 1;
  } catch (const std::exception& e) {
    const auto subs = app.get_subcommands();
    std::fprintf(stderr, "s1%s%s: error: %s\n", subs.empty() ? "" : " ",
                 subs.empty() ? "" : subs.front()->get_name().c_str(), e.what());
    return 1;
  }
  return exit_code;
}
