#pragma once
#include <string_view>

namespace herald::core {

// The canonical 8-4-4-4-12 hexadecimal form (either case), as PostgreSQL prints a uuid.
bool is_uuid(std::string_view s);

}  // namespace herald::core
