#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace ah {
namespace {

TEST(Utf8, WellFormedSequences) {
  EXPECT_EQ(first_invalid_utf8(""), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8("Bürgerbeteiligung – 🌳"), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8(std::string_view("a\0b", 3)), std::string_view::npos);
  EXPECT_EQ(utf8_sequence_length("ä", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("–", 0), 3u);
  EXPECT_EQ(utf8_sequence_length("🌳", 0), 4u);
}

TEST(Utf8, FindsTheFirstBadByte) {
  EXPECT_EQ(first_invalid_utf8("ab\xC3"), 2u);            // truncated
  EXPECT_EQ(first_invalid_utf8("a\xC0\xAF"), 1u);         // overlong '/'
  EXPECT_EQ(first_invalid_utf8("ok \xED\xA0\x80"), 3u);   // surrogate U+D800
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(first_invalid_utf8("x\x80"), 1u);             // lone continuation byte
  EXPECT_EQ(first_invalid_utf8("\xFF"), 0u);
}

}  // namespace
}  // namespace ah
