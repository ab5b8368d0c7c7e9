#pragma once
// Reads services/gateway/openapi.yaml line by line, by the layout convention written at the top
// of that file, so each module's openapi_routes_test.cpp can compare the document with the routes
// it registers without a YAML library: the operations under `paths:`, the module that owns each
// path (`x-herald-module`, the gateway when absent) and the enum of a components schema.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace herald::testing {

using Operation = std::pair<std::string, std::string>;  // (lower-case method, path pattern)

// The owner of a path without an `x-herald-module` key.
inline constexpr const char* kGatewayModule = "gateway";

// The text split into lines (a trailing '\r' removed).
std::vector<std::string> lines_of(const std::string& text);
// The lines of the top-level block `key:` (without the key line itself).
std::vector<std::string> top_level_block(const std::vector<std::string>& lines, const std::string& key);

// Every (method, path) of the `paths:` block.
std::set<Operation> spec_operations(const std::string& text);
// Every path of the `paths:` block -> its module: the value of its `    x-herald-module: name`
// line, or kGatewayModule. Throws std::runtime_error on a malformed or repeated x-herald-module.
std::map<std::string, std::string> spec_path_modules(const std::string& text);
// The operations of the paths whose module is `module`.
std::set<Operation> spec_operations_of(const std::string& text, const std::string& module);
// The `- value` lines of `components: schemas: <schema>: enum:` in block style, in order (empty
// when the schema or its enum is not found).
std::vector<std::string> schema_enum(const std::string& text, const std::string& schema);

// "\n  get /a\n  post /b", for failure messages.
std::string describe(const std::set<Operation>& ops);

}  // namespace herald::testing
