#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "search/text.h"

namespace ah::search {
namespace {

using Words = std::vector<std::string>;

TEST(Words, SplitsOnEverythingButLettersAndDigits) {
  EXPECT_EQ(words("Spielplatz am Markt (2027): Ideen, Wünsche & Kritik!"),
            (Words{"spielplatz", "am", "markt", "2027", "ideen", "wünsche", "kritik"}));
  EXPECT_EQ(words("E-Mail-Adresse\ttab\nneu"), (Words{"e", "mail", "adresse", "tab", "neu"}));
  EXPECT_EQ(words(""), Words{});
  EXPECT_EQ(words(" .,;:!?\"'*()-– "), Words{});
}

TEST(Words, LowerCasesGermanAndLatinLetters) {
  EXPECT_EQ(words("ÄRGER ÖFFNUNG ÜBER STRAẞE Straße"),
            (Words{"ärger", "öffnung", "über", "straße", "straße"}));
  EXPECT_EQ(words("CAFÉ ŁÓDŹ ÇA"), (Words{"café", "łódź", "ça"}));
}

TEST(Words, TreatsInvalidUtf8AndOtherScriptsAsSeparators) {
  EXPECT_EQ(words("haus\xff\xfe"
                  "hof"),
            (Words{"haus", "hof"}));
  EXPECT_EQ(words("haus\xc3"), (Words{"haus"}));  // truncated sequence
  EXPECT_EQ(words("a\xc0\xaf"
                  "b"),
            (Words{"a", "b"}));  // overlong "/"
  EXPECT_EQ(words("Park🌳Bank"), (Words{"park", "bank"}));
}

TEST(Words, ReportsByteOffsetsIntoTheOriginal) {
  std::vector<std::tuple<std::string, std::size_t, std::size_t>> seen;
  const std::string text = "Die Häuser!";
  for_each_word(text, [&](std::string_view w, std::size_t b, std::size_t e) {
    seen.emplace_back(std::string(w), b, e);
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1], std::make_tuple(std::string("häuser"), std::size_t{4}, std::size_t{11}));
  EXPECT_EQ(text.substr(4, 7), "Häuser");
}

TEST(Terms, StemsEveryWord) {
  EXPECT_EQ(terms("Neue Spielplätze für die Gemeinden"),
            (Words{"neu", "spielplatz", "fur", "die", "gemeind"}));
}

}  // namespace
}  // namespace ah::search
