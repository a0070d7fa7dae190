#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "search/text.h"

namespace ah::search {
namespace {

// Each stem was worked out by hand from the published algorithm (R1/R2 in comments where
// they decide); the ones marked "sample" are also in snowballstem.org's German sample.
TEST(GermanStem, FollowsTheAlgorithm) {
  const std::pair<const char*, const char*> cases[] = {
      {"spielplätze", "spielplatz"},        // R1 = "platze"; -e in R1; ä -> a at the end
      {"spielplatz", "spielplatz"},         // no suffix
      {"häuser", "haus"},                   // R1 after "häus": -er
      {"haus", "haus"},                     // -s after u is no valid s-ending
      {"bürger", "burg"},                   // -er in R1 (after "bür")
      {"bürgerinnen", "burgerinn"},         // -en only: -innen is not a suffix of the algorithm
      {"gemeinden", "gemeind"},             // -en
      {"gemeinde", "gemeind"},              // -e
      {"straßen", "strass"},                // ß -> ss first, then -en
      {"straße", "strass"},                 //
      {"strasse", "strass"},                //
      {"digitalisierung", "digitalisier"},  // step 3: -ung in R2 (after "digi")
      {"digitalisieren", "digitalisi"},     // step 1 -en, then step 2 -er
      {"kinder", "kind"},                   //
      {"kindern", "kind"},                  // -ern
      {"bedürfnissen", "bedurfnis"},        // -en after "niss" also takes the final s
      {"äckern", "ack"},                    // R1 moved to the 4th letter, -ern in it
      {"ackers", "ack"},                    // -s after r (step 1), then -er (step 2)
      {"armes", "arm"},                     // -es
      {"derbsten", "derb"},                 // -en, then -st after b with 3 letters before
      {"feuer", "feu"},                     // u between vowels is a consonant: R1 after "feU"
      {"häufig", "haufig"},                 // -ig not in R2 (R2 is empty)
      {"freundlichkeit", "freundlich"},     // -keit in R2; -lich before it is not in R2
      {"möglichkeiten", "moglich"},         // -en, then -keit
      {"verwaltung", "verwalt"},            // -ung in R2
      {"größe", "gross"},                   // -e, ß -> ss, ö -> o
      {"kategorisch", "kategor"},           // sample: -isch in R2, not after e
      {"katholische", "kathol"},            // sample
      {"käuflich", "kauflich"},             // sample: -lich not in R2
      {"kätzchens", "katzch"},              // sample: -s after n, then -en
      {"aufeinanderfolgenden", "aufeinanderfolg"},   // sample: -en, then -end in R2
      {"auffassungsvermögen", "auffassungsvermog"},  // sample
      {"kategorien", "kategori"},                    // sample
      {"2027", "2027"},                              // no vowel: no regions
      {"an", "an"},                                  // shorter than 3 letters: untouched
      {"", ""},
  };
  for (const auto& [word, stem] : cases) EXPECT_EQ(german_stem(word), stem) << word;
}

TEST(GermanStem, LeavesInvalidUtf8Alone) {
  EXPECT_EQ(german_stem("h\xe4user"), "h\xe4user");  // Latin-1 bytes, not UTF-8
}

}  // namespace
}  // namespace ah::search
