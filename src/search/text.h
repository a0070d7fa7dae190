// ah::search text analysis: German words and their stems, the same on every path.
//
// The SQLite FTS5 tokenizer (sqlite_tokenizer.h) and query parsing (index.h) both split
// text with for_each_word, so a document and a query always agree on what a word is.
// Stemming follows the Snowball German algorithm as published at snowballstem.org
// ("the main German stemmer", with the -nisse rule of 2009), which is also the algorithm
// PostgreSQL 15's `german` configuration runs; see docs/ARCHITECTURE.md for where the two
// backends still differ.
//
//   search::german_stem("spielplätze")          // "spielplatz"
//   search::terms("Die Spielplätze, Häuser!")   // {"die", "spielplatz", "haus"}
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ah::search {

// The stem of one lower-case UTF-8 word. ß becomes ss, suffixes go by the algorithm's
// regions R1 and R2, umlauts lose their dots at the end ("häuser" -> "haus"). A word that
// is not valid UTF-8 comes back unchanged.
std::string german_stem(std::string_view word);

// Calls `emit(word, begin, end)` for every word of `text`: `word` is the lower-cased
// word, [begin, end) its bytes in `text`. A word is a run of letters and digits: ASCII,
// Latin-1 letters (ä ö ü ß é …) and the Latin Extended blocks; everything else, including
// invalid UTF-8, separates words. Lower-casing covers ASCII, Latin-1, Latin Extended-A
// and ẞ (-> ß).
void for_each_word(
    std::string_view text,
    const std::function<void(std::string_view word, std::size_t begin, std::size_t end)>& emit);

// The lower-cased words of `text`, in order.
std::vector<std::string> words(std::string_view text);

// The stems of the words of `text`, in order (what the index stores on SQLite).
std::vector<std::string> terms(std::string_view text);

}  // namespace ah::search
