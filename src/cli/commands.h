// The `s1` subcommands. Each front end registers itself on the top-level CLI11 app;
// its callback parses flags into typed structs, calls the layers below, and reports
// failure by throwing s1::cli::CommandError (or any std::exception), which main()
// prints as one line "s1 <command>: error: ..." with a non-zero exit status.
#pragma once

#include <stdexcept>
#include <string>

namespace CLI {
class App;
}

namespace s1::cli {

// A failure to report to the user; `exit_code` is the process status (default 1).
struct CommandError : std::runtime_error {
  explicit CommandError(const std::string& what, int exit_code = 1)
      : std::runtime_error(what), exit_code(exit_code) {}
  int exit_code;
};

// Each adds one subcommand to `app`. `exit_code` receives the command's status when it
// finishes without throwing (e.g. `s1 grade` returns 0 even when answers are wrong).
void add_generate_command(CLI::App& app, int& exit_code);
void add_make_test_model_command(CLI::App& app, int& exit_code);
void add_grade_command(CLI::App& app, int& exit_code);
void add_curate_command(CLI::App& app, int& exit_code);
void add_eval_command(CLI::App& app, int& exit_code);
void add_plot_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace s1::cli
