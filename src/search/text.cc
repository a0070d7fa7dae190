#include "search/text.h"

#include <algorithm>
#include <optional>

namespace ah::search {
namespace {

// Decodes one UTF-8 sequence at `i`; nullopt (and `length` 1) for an invalid byte, an
// overlong form, a surrogate or a code point past U+10FFFF.
std::optional<char32_t> decode(std::string_view s, std::size_t i, std::size_t& length) {
  length = 1;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return lead;
  std::size_t n = 0;
  char32_t cp = 0, min = 0;
  if ((lead & 0xE0) == 0xC0)
    n = 2, cp = lead & 0x1F, min = 0x80;
  else if ((lead & 0xF0) == 0xE0)
    n = 3, cp = lead & 0x0F, min = 0x800;
  else if ((lead & 0xF8) == 0xF0)
    n = 4, cp = lead & 0x07, min = 0x10000;
  else
    return std::nullopt;
  if (i + n > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  length = n;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_word_char(char32_t c) {
  if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9')) return true;
  if (c == 0xAA || c == 0xB5 || c == 0xBA) return true;       // ª µ º
  if (c >= 0xC0 && c <= 0xFF) return c != 0xD7 && c != 0xF7;  // Latin-1 without × ÷
  if (c >= 0x100 && c <= 0x24F) return true;                  // Latin Extended-A/B
  return c >= 0x1E00 && c <= 0x1EFF;                          // Latin Extended Additional
}

char32_t to_lower(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;  // À…Þ, Ä Ö Ü
  if (c == 0x1E9E) return 0xDF;                            // ẞ -> ß
  // Latin Extended-A pairs capital/small as even/odd, but odd/even from Ĺ to Ň and Ź to Ž.
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c % 2 == 0 ? c + 1 : c;
  if (c >= 0x139 && c <= 0x148) return c % 2 == 1 ? c + 1 : c;
  if (c >= 0x179 && c <= 0x17E) return c % 2 == 1 ? c + 1 : c;
  if (c == 0x178) return 0xFF;  // Ÿ
  return c;
}

// --- The stemmer works on code points; U and Y mark u and y between vowels. ---

bool is_vowel(char32_t c) {
  switch (c) {
    case U'a':
    case U'e':
    case U'i':
    case U'o':
    case U'u':
    case U'y':
    case U'ä':
    case U'ö':
    case U'ü':
      return true;
    default:
      return false;
  }
}

bool ends_with(const std::u32string& w, std::u32string_view suffix) {
  return w.size() >= suffix.size() &&
         std::u32string_view(w).substr(w.size() - suffix.size()) == suffix;
}

// The longest of `suffixes` that `w` ends with; empty if none.
std::u32string_view longest_suffix(const std::u32string& w,
                                   std::initializer_list<std::u32string_view> suffixes) {
  std::u32string_view best;
  for (auto s : suffixes)
    if (s.size() > best.size() && ends_with(w, s)) best = s;
  return best;
}

// The position after the first non-vowel that follows a vowel, searching from `from`;
// w.size() if there is none (the standard definition of R1 and R2).
std::size_t region_start(const std::u32string& w, std::size_t from) {
  for (std::size_t i = from; i + 1 < w.size(); ++i)
    if (is_vowel(w[i]) && !is_vowel(w[i + 1])) return i + 2;
  return w.size();
}

bool is_s_ending(char32_t c) {
  return std::u32string_view(U"bdfghklmnrt").find(c) != std::u32string_view::npos;
}
bool is_st_ending(char32_t c) { return c != U'r' && is_s_ending(c); }

}  // namespace

std::string german_stem(std::string_view word) {
  std::u32string w;
  for (std::size_t i = 0, length = 0; i < word.size(); i += length) {
    auto cp = decode(word, i, length);
    if (!cp) return std::string(word);
    if (*cp == U'ß')
      w += U"ss";
    else
      w += *cp;
  }

  // u and y between vowels are consonants: mark them (U, Y are not vowels).
  for (std::size_t i = 1; i + 1 < w.size(); ++i)
    if ((w[i] == U'u' || w[i] == U'y') && is_vowel(w[i - 1]) && is_vowel(w[i + 1]))
      w[i] = w[i] == U'u' ? U'U' : U'Y';

  // R1 starts after the first vowel–non-vowel pair but never before the 4th letter; R2
  // is the same rule applied again from where R1 would start unadjusted.
  std::size_t p1 = w.size(), p2 = w.size();
  if (w.size() >= 3) {
    const std::size_t r1 = region_start(w, 0);
    p2 = region_start(w, r1);
    p1 = std::max<std::size_t>(r1, 3);
  }
  const auto in_r1 = [&](std::size_t suffix_length) { return w.size() - suffix_length >= p1; };
  const auto in_r2 = [&](std::size_t suffix_length) { return w.size() - suffix_length >= p2; };
  const auto cut = [&](std::size_t n) { w.resize(w.size() - n); };

  // Step 1: case endings. The longest suffix decides; if it is not in R1, nothing goes.
  if (auto s = longest_suffix(w, {U"em", U"ern", U"er", U"e", U"en", U"es", U"s"});
      !s.empty() && in_r1(s.size())) {
    if (s == U"s") {
      if (w.size() >= 2 && is_s_ending(w[w.size() - 2])) cut(1);
    } else {
      cut(s.size());
      if ((s == U"e" || s == U"en" || s == U"es") && ends_with(w, U"niss")) cut(1);
    }
  }

  // Step 2: -en -er -est, and -st after a valid st-ending that has 3 letters before it.
  if (auto s = longest_suffix(w, {U"en", U"er", U"est", U"st"}); !s.empty() && in_r1(s.size())) {
    if (s != U"st")
      cut(s.size());
    else if (w.size() >= 6 && is_st_ending(w[w.size() - 3]))
      cut(2);
  }

  // Step 3: derivational suffixes, mostly in R2.
  auto s = longest_suffix(w, {U"end", U"ung", U"ig", U"ik", U"isch", U"lich", U"heit", U"keit"});
  if (!s.empty() && in_r2(s.size())) {
    const auto preceded_by_e = [&](std::size_t n) {
      return w.size() > n && w[w.size() - n - 1] == U'e';
    };
    if (s == U"end" || s == U"ung") {
      cut(3);
      if (ends_with(w, U"ig") && in_r2(2) && !preceded_by_e(2)) cut(2);
    } else if (s == U"ig" || s == U"ik" || s == U"isch") {
      if (!preceded_by_e(s.size())) cut(s.size());
    } else if (s == U"lich" || s == U"heit") {
      cut(4);
      if ((ends_with(w, U"er") || ends_with(w, U"en")) && in_r1(2)) cut(2);
    } else {  // keit
      cut(4);
      if (ends_with(w, U"lich") && in_r2(4))
        cut(4);
      else if (ends_with(w, U"ig") && in_r2(2))
        cut(2);
    }
  }

  std::string out;
  for (char32_t c : w) {
    switch (c) {
      case U'U':
        c = U'u';
        break;
      case U'Y':
        c = U'y';
        break;
      case U'ä':
        c = U'a';
        break;
      case U'ö':
        c = U'o';
        break;
      case U'ü':
        c = U'u';
        break;
      default:
        break;
    }
    append_utf8(out, c);
  }
  return out;
}

void for_each_word(std::string_view text,
                   const std::function<void(std::string_view, std::size_t, std::size_t)>& emit) {
  std::string word;
  std::size_t begin = 0;
  for (std::size_t i = 0, length = 0; i <= text.size(); i += length) {
    std::optional<char32_t> cp;
    length = 1;
    if (i < text.size()) cp = decode(text, i, length);
    if (cp && is_word_char(*cp)) {
      if (word.empty()) begin = i;
      append_utf8(word, to_lower(*cp));
    } else if (!word.empty()) {
      emit(word, begin, i);
      word.clear();
    }
  }
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](std::string_view w, std::size_t, std::size_t) { out.emplace_back(w); });
  return out;
}

std::vector<std::string> terms(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(
      text, [&](std::string_view w, std::size_t, std::size_t) { out.push_back(german_stem(w)); });
  return out;
}

}  // namespace ah::search
