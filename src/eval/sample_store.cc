#include "eval/sample_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace s1::eval {
namespace {

nlohmann::json slim(nlohmann::json line) {
  for (const char* field : {"prompt", "thinking", "answer", "events", "probes", "verify_answer"}) {
    line.erase(field);
  }
  return line;
}

}  // namespace

std::string SampleStore::key(const std::string& dataset, const std::string& problem,
                             const std::string& config, int sample) {
  // \x1f (unit separator) cannot appear in the parts in any way that matters: the parts are
  // JSON strings from datasets and configuration names.
  return dataset + '\x1f' + problem + '\x1f' + config + '\x1f' + std::to_string(sample);
}

std::string SampleStore::key_of(const nlohmann::json& line) {
  return key(line.at("dataset").get<std::string>(), line.at("problem").get<std::string>(),
             line.at("config").get<std::string>(), line.at("sample").get<int>());
}

SampleStore::SampleStore(const std::string& path) : path_(path) {
  std::string content;
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      content = ss.str();
    }
  }
  const size_t last_newline = content.rfind('\n');
  const size_t complete = last_newline == std::string::npos ? 0 : last_newline + 1;
  if (complete < content.size()) {
    // A line cut short by a kill: the sample is run again.
    if (::truncate(path.c_str(), static_cast<off_t>(complete)) != 0) {
      throw std::runtime_error("cannot drop the torn last line of " + path + ": " +
                               std::strerror(errno));
    }
    dropped_torn_ = true;
  }
  size_t line_no = 0;
  for (size_t pos = 0; pos < complete;) {
    const size_t end = content.find('\n', pos);
    const std::string text = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (text.empty()) continue;
    nlohmann::json j;
    std::string k;
    try {
      j = nlohmann::json::parse(text);
      k = key_of(j);
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": not a sample line (" +
                               e.what() + ")");
    }
    if (!keys_.insert(k).second) {
      throw std::runtime_error(path + ":" + std::to_string(line_no) + ": sample written twice");
    }
    lines_.push_back(slim(std::move(j)));
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
}

SampleStore::~SampleStore() {
  if (fd_ >= 0) ::close(fd_);
}

void SampleStore::append(const nlohmann::json& line) {
  const std::string k = key_of(line);
  if (keys_.count(k)) throw std::runtime_error("sample written twice: " + line.at("config").dump());
  // Invalid UTF-8 from a model is replaced rather than refused: the line must be written.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd_, text.data() + done, text.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(w);
  }
  keys_.insert(k);
  lines_.push_back(slim(line));
}

}  // namespace s1::eval
