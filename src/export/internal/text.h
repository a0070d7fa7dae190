// Text helpers shared by the writers of ah_export; not part of its interface.
//
// Text reaches the writers from the database and from people, so it may hold what a file
// format cannot carry: invalid UTF-8, or control characters that XML 1.0 forbids. Each
// writer decides what to do (refuse or repair); these functions do the reading, once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ah::exports::internal {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD, so a mangled byte stays
// visible instead of breaking the whole document.
std::string valid_utf8_or_replaced(std::string_view text);

// Number of code points in valid UTF-8.
std::size_t code_points(std::string_view text);

// The longest prefix of valid UTF-8 `text` with at most `max` code points.
std::string_view first_code_points(std::string_view text, std::size_t max);

// Character data or an attribute value for XML 1.0: & < > " ' escaped, CR kept as a
// reference (parsers would turn a literal one into LF), control characters that XML 1.0
// forbids (all below U+0020 except tab, LF and CR; U+FFFE, U+FFFF) dropped, invalid UTF-8
// replaced by U+FFFD.
std::string xml_escape(std::string_view text);

}  // namespace ah::exports::internal
