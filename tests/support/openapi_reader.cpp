#include "tests/support/openapi_reader.hpp"

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace herald::testing {
namespace {

const std::set<std::string> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
const std::string kModuleKey = "x-herald-module";

std::size_t indent_of(const std::string& line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

bool ignorable(const std::string& line) {
  auto n = indent_of(line);
  return n == line.size() || line[n] == '#';
}

// "  /api/v1/x:" at exactly `indent` spaces -> "/api/v1/x"; "" when the line is not such a key.
std::string key_at(const std::string& line, std::size_t indent) {
  if (indent_of(line) != indent || line.size() < indent + 2 || line.back() != ':') return "";
  return line.substr(indent, line.size() - indent - 1);
}

// "    key: value" at exactly `indent` spaces -> ("key", "value"); ("", "") for any other line.
std::pair<std::string, std::string> scalar_at(const std::string& line, std::size_t indent) {
  if (indent_of(line) != indent) return {};
  auto colon = line.find(": ", indent);
  if (colon == std::string::npos) return {};
  return {line.substr(indent, colon - indent), line.substr(colon + 2)};
}

bool module_name(const std::string& v) {
  if (v.empty() || std::islower(static_cast<unsigned char>(v[0])) == 0) return false;
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (std::islower(u) == 0 && std::isdigit(u) == 0 && c != '_' && c != '-') return false;
  }
  return true;
}

// The lines under the key `key:` at `indent` spaces, up to the next line at `indent` or less.
std::vector<std::string> nested_block(const std::vector<std::string>& lines, std::size_t indent,
                                      const std::string& key) {
  std::vector<std::string> out;
  bool inside = false;
  for (const auto& line : lines) {
    if (ignorable(line)) continue;
    if (indent_of(line) <= indent) {
      if (inside) break;
      inside = key_at(line, indent) == key;
      continue;
    }
    if (inside) out.push_back(line);
  }
  return out;
}

}  // namespace

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> top_level_block(const std::vector<std::string>& lines, const std::string& key) {
  std::vector<std::string> out;
  bool inside = false;
  for (const auto& line : lines) {
    if (!ignorable(line) && indent_of(line) == 0) {
      if (inside) break;
      inside = line == key + ":";
      continue;
    }
    if (inside) out.push_back(line);
  }
  return out;
}

std::set<Operation> spec_operations(const std::string& text) {
  std::set<Operation> ops;
  std::string path;
  for (const auto& line : top_level_block(lines_of(text), "paths")) {
    if (ignorable(line)) continue;
    if (auto p = key_at(line, 2); !p.empty()) {
      path = p;
    } else if (auto m = key_at(line, 4); !path.empty() && kMethods.count(m) != 0) {
      ops.emplace(m, path);
    }
  }
  return ops;
}

std::map<std::string, std::string> spec_path_modules(const std::string& text) {
  std::map<std::string, std::string> modules;
  std::set<std::string> declared;
  std::string path;
  for (const auto& line : top_level_block(lines_of(text), "paths")) {
    if (ignorable(line)) continue;
    if (auto p = key_at(line, 2); !p.empty()) {
      path = p;
      modules[path] = kGatewayModule;
      continue;
    }
    auto [key, value] = scalar_at(line, 4);
    if (key != kModuleKey || path.empty()) continue;
    if (!module_name(value)) {
      throw std::runtime_error("openapi.yaml: " + path + ": malformed " + kModuleKey + " '" + value +
                               "' (expected an unquoted lower-case module name)");
    }
    if (!declared.insert(path).second) throw std::runtime_error("openapi.yaml: " + path + ": " + kModuleKey + " twice");
    modules[path] = value;
  }
  return modules;
}

std::set<Operation> spec_operations_of(const std::string& text, const std::string& module) {
  auto modules = spec_path_modules(text);
  std::set<Operation> out;
  for (const auto& op : spec_operations(text)) {
    auto it = modules.find(op.second);
    if (it != modules.end() && it->second == module) out.insert(op);
  }
  return out;
}

std::vector<std::string> schema_enum(const std::string& text, const std::string& schema) {
  auto schemas = nested_block(top_level_block(lines_of(text), "components"), 2, "schemas");
  auto body = nested_block(schemas, 4, schema);
  std::vector<std::string> out;
  bool inside = false;
  for (const auto& line : body) {
    if (indent_of(line) == 6) {
      if (inside) break;
      inside = key_at(line, 6) == "enum";
      continue;
    }
    if (!inside) continue;
    if (indent_of(line) != 8 || line.compare(8, 2, "- ") != 0) break;
    out.push_back(line.substr(10));
  }
  return out;
}

std::string describe(const std::set<Operation>& ops) {
  std::string out;
  for (const auto& [method, path] : ops) out += "\n  " + method + " " + path;
  return out;
}

}  // namespace herald::testing
