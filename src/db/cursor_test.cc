#include "db/cursor.h"

#include <gtest/gtest.h>

#include <vector>

namespace ah::db {
namespace {

TEST(Cursor, RoundTripsAnyKeyIncludingSeparatorsAndUmlauts) {
  for (std::string key : {std::string(""), std::string("koethen"),
                          std::string("a\x1f"
                                      "b"),
                          std::string("Größe 🙂")}) {
    auto back = decode_cursor(encode_cursor(key, 42));
    ASSERT_TRUE(back) << key;
    EXPECT_EQ(back->key, key);
    EXPECT_EQ(back->id, 42);
  }
  EXPECT_EQ(decode_cursor(encode_cursor("x", -7))->id, -7);
}

TEST(Cursor, AnythingElseIsInvalidInput) {
  for (std::string bad : std::vector<std::string>{"zz", "abc", "6b", encode_cursor("k", 1) + "00",
                                                  std::string(3000, 'a'),
                                                  std::string("78") /* "x" without separator */}) {
    auto r = decode_cursor(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  }
  // A separator but no digits after it.
  EXPECT_FALSE(decode_cursor("6b1f"));
}

}  // namespace
}  // namespace ah::db
