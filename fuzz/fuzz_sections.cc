// Fuzzes the consultations' sections splitter (modules/consultations/sections.h) with two
// rounds of arbitrary bytes, separated by the first NUL byte. Properties: (1) a section's
// text is not empty, has no line ending but "\n" and no blank at its end; (2) anchors are
// "a<number>", unique within a round; (3) in round 2 an anchor is either carried over from
// round 1 or new and above max(floor, highest of round 1); (4) splitting round 2 again with
// its own sections changes nothing; (5) the synopsis shows every section of round 2 once,
// in order, and every section of round 1 once.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "modules/consultations/sections.h"

namespace sections = ah::modules::consultations;

namespace {

std::int64_t number_of(const std::string& anchor) {
  FUZZ_CHECK(anchor.size() >= 2 && anchor[0] == 'a');
  FUZZ_CHECK(anchor.find_first_not_of("0123456789", 1) == std::string::npos);
  return std::stoll(anchor.substr(1));
}

void check_round(const std::vector<sections::Section>& round) {
  std::set<std::string> seen;
  for (const auto& s : round) {
    FUZZ_CHECK(!s.text.empty());
    FUZZ_CHECK(s.text.find('\r') == std::string::npos);
    FUZZ_CHECK(s.text.back() != ' ' && s.text.back() != '\t' && s.text.back() != '\n');
    FUZZ_CHECK(number_of(s.anchor) > 0);
    FUZZ_CHECK(seen.insert(s.anchor).second);
    FUZZ_CHECK((s.kind == sections::SectionKind::heading) == (s.level >= 1 && s.level <= 6));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto cut = input.find('\0');
  const auto body1 = input.substr(0, cut);
  const auto body2 = cut == std::string_view::npos ? body1 : input.substr(cut + 1);
  const std::int64_t floor = static_cast<std::int64_t>(size % 7) * 3;

  const auto round1 = sections::split_sections(body1, {});
  check_round(round1);
  const auto round2 = sections::split_sections(body2, round1, floor);
  check_round(round2);
  std::set<std::string> old_anchors;
  for (const auto& s : round1) old_anchors.insert(s.anchor);
  const std::int64_t above = std::max(floor, sections::highest_anchor(round1));
  for (const auto& s : round2)
    FUZZ_CHECK(old_anchors.contains(s.anchor) || number_of(s.anchor) > above);
  FUZZ_CHECK(sections::split_sections(body2, round2) == round2);

  const auto rows = sections::synopsis(round1, round2);
  std::size_t next_after = 0, befores = 0;
  for (const auto& row : rows) {
    FUZZ_CHECK(row.before != nullptr || row.after != nullptr);
    if (row.before) ++befores;
    if (row.after) FUZZ_CHECK(row.after == &round2[next_after++]);
  }
  FUZZ_CHECK(next_after == round2.size());
  FUZZ_CHECK(befores == round1.size());
  return 0;
}
