#include "curate/jsonl.h"

#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

namespace s1::curate {
namespace {

// Cuts `path` after its last newline, dropping a partial final record. Reads backwards
// from the end, so memory stays flat in the file size.
void drop_torn_tail(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0) return;
  std::ifstream in(path, std::ios::binary);
  uintmax_t end = size;
  char chunk[4096];
  while (end > 0) {
    const uintmax_t begin = end > sizeof chunk ? end - sizeof chunk : 0;
    in.seekg(static_cast<std::streamoff>(begin));
    in.read(chunk, static_cast<std::streamsize>(end - begin));
    for (uintmax_t i = end - begin; i > 0; --i) {
      if (chunk[i - 1] == '\n') {
        if (begin + i != size) std::filesystem::resize_file(path, begin + i);
        return;
      }
    }
    end = begin;
  }
  std::filesystem::resize_file(path, 0);
}

}  // namespace

JsonlReader::JsonlReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
  if (!in_) throw std::runtime_error("cannot read " + path);
}

bool JsonlReader::next(nlohmann::json& record) {
  std::string text;
  while (std::getline(in_, text)) {
    ++line_;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      record = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw std::runtime_error(path_ + ":" + std::to_string(line_) + ": not JSON (" +
                               std::string(e.what()).substr(0, 120) + ")");
    }
    if (!record.is_object()) {
      throw std::runtime_error(path_ + ":" + std::to_string(line_) + ": not a JSON object");
    }
    return true;
  }
  return false;
}

std::string partial_path(const std::string& path) { return path + ".partial"; }

JsonlWriter::JsonlWriter(const std::string& path, Mode mode)
    : path_(path), partial_(curate::partial_path(path)), mode_(mode) {
  std::error_code ec;
  if (mode == Mode::kResume) {
    if (!std::filesystem::exists(partial_, ec) && std::filesystem::exists(path_, ec)) {
      std::filesystem::copy_file(path_, partial_, ec);
      if (ec) throw std::runtime_error("cannot write " + partial_ + ": " + ec.message());
    }
    drop_torn_tail(partial_);
  }
  out_.open(partial_, std::ios::binary | (mode == Mode::kResume ? std::ios::app : std::ios::trunc));
  if (!out_) throw std::runtime_error("cannot write " + partial_);
}

JsonlWriter::~JsonlWriter() {
  if (committed_ || mode_ == Mode::kResume) return;
  out_.close();
  std::error_code ec;
  std::filesystem::remove(partial_, ec);
}

void JsonlWriter::write(const nlohmann::json& record) {
  out_ << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  out_.flush();
  if (!out_) throw std::runtime_error("cannot write " + partial_);
  ++written_;
}

void JsonlWriter::commit() {
  out_.close();
  if (!out_) throw std::runtime_error("cannot write " + partial_);
  std::error_code ec;
  std::filesystem::rename(partial_, path_, ec);
  if (ec) throw std::runtime_error("cannot move " + partial_ + " to " + path_ + ": " + ec.message());
  committed_ = true;
}

void check_outputs(const std::vector<std::string>& inputs, const std::vector<std::string>& outputs) {
  struct stat in_st {}, out_st {};
  auto same = [&](const std::string& a, const std::string& b) {
    return ::stat(a.c_str(), &in_st) == 0 && ::stat(b.c_str(), &out_st) == 0 &&
           in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino;
  };
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string& out = outputs[i];
    for (const auto& in : inputs) {
      for (const std::string& written : {out, partial_path(out)}) {
        if (same(in, written)) {
          throw std::invalid_argument("output " + written + " is the input " + in +
                                      " (the same file): choose another output path");
        }
      }
    }
    for (size_t j = 0; j < i; ++j) {
      std::error_code ec1, ec2;
      if (same(out, outputs[j]) ||
          std::filesystem::weakly_canonical(out, ec1) == std::filesystem::weakly_canonical(outputs[j], ec2)) {
        throw std::invalid_argument("outputs " + outputs[j] + " and " + out +
                                    " are the same file: choose two output paths");
      }
    }
  }
}

std::unordered_set<std::string> finished_ids(const std::string& path) {
  std::unordered_set<std::string> ids;
  if (!std::filesystem::exists(path)) return ids;
  drop_torn_tail(path);
  JsonlReader reader(path);
  nlohmann::json record;
  while (reader.next(record)) ids.insert(record_id(record, path + ":" + std::to_string(reader.line())));
  return ids;
}

std::string record_id(const nlohmann::json& record, const std::string& where) {
  for (const char* name : {"id", "ID", "unique_id", "question_id"}) {
    const auto it = record.find(name);
    if (it == record.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
  }
  throw std::runtime_error(where + ": record has no id");
}

std::string text_field(const nlohmann::json& record, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto it = record.find(name);
    if (it != record.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

}  // namespace s1::curate
