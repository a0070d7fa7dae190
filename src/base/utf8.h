// UTF-8 well-formedness as Unicode 15, table 3-7 defines it: no overlong forms, no
// surrogates, nothing past U+10FFFF. Shared by the HTTP parsers and the Markdown renderer.
#pragma once

#include <cstddef>
#include <string_view>

namespace ah {

// Length of the well-formed UTF-8 sequence starting at text[i] (1 to 4), or 0 when there
// is none. `i` must be less than text.size().
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// Byte offset of the first byte that does not start a well-formed sequence, or
// std::string_view::npos when all of `text` is well-formed UTF-8. NUL bytes are well-formed.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace ah
