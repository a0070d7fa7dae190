// Keyset cursors: where a page of a list ends, as an opaque URL-safe token.
//
// Lists are keyset-paginated (ORDER BY key, id; WHERE (key, id) > cursor), so page 100
// costs what page 1 costs. The cursor carries the last row's sort key and id; it is hex
// text so that it needs no escaping in URLs, and anything that does not decode is
// invalid_input ("invalid cursor"), never a database error.
//
//   page.next_cursor = db::encode_cursor(last.name_key, last.id);
//   AH_TRY(after, db::decode_cursor(cursor));   // after.key, after.id
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ah::db {

struct CursorPosition {
  std::string key;
  std::int64_t id = 0;
};

std::string encode_cursor(std::string_view key, std::int64_t id);
Result<CursorPosition> decode_cursor(std::string_view cursor);

}  // namespace ah::db
