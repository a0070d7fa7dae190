// Synthetic German text for the seeder: names, titles and paragraphs put together from word
// lists, so pages, search and Markdown rendering see text shaped like a real Beteiligung
// (umlauts, compound nouns, sentences of varying length), and never lorem ipsum.
// Everything is drawn from a Random, so a seed always gives the same text.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace ah::seed {

// A deterministic random source: the same seed gives the same sequence on every platform
// (std::mt19937_64 is fully specified; distributions are our own, not the library's).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  // Uniform in [0, n); n must be > 0.
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  std::string_view pick(std::span<const std::string_view> words) {
    return words[static_cast<std::size_t>(below(static_cast<std::int64_t>(words.size())))];
  }

 private:
  std::mt19937_64 engine_;
};

// "Vorname Nachname".
std::string person_name(Random& random);
// A process: title (naming `place`), one-sentence summary, Markdown body of a few paragraphs.
std::string process_title(Random& random, std::string_view place);
std::string process_summary(Random& random, std::string_view place);
std::string process_body(Random& random, std::string_view place);
// A proposal: short title and a body of one to three paragraphs.
std::string proposal_title(Random& random);
std::string proposal_body(Random& random);
// A place in words, as a person describes it ("Hauptstraße 12, am Bäcker").
std::string place_in_words(Random& random);
// A comment or a post in a working group's thread: one to four sentences.
std::string comment(Random& random);
// A working group: name and description; a thread's title.
std::string group_name(Random& random, std::int64_t number);
std::string group_description(Random& random);
std::string thread_title(Random& random);
// A decision of a working group ("Sollen wir … einführen?") and its recorded outcome.
std::string decision_title(Random& random);
std::string decision_outcome(Random& random);

}  // namespace ah::seed
