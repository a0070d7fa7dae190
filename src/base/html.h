#pragma once
// HTML escaping: the one escaper for text placed in element content or in a quoted
// attribute value (templates' {{x}}, fallback paragraphs of rich text).

#include <string>
#include <string_view>

namespace ah {

// Appends `text` to `out` with & < > " ' as character references (&amp; &lt; &gt; &quot;
// &#39;); every other byte unchanged. Runs without those characters are copied whole: a
// page escapes hundreds of values, most of them with nothing to escape.
void append_html_escaped(std::string& out, std::string_view text);

std::string html_escaped(std::string_view text);

}  // namespace ah
