#include "modules/pages/module.h"

#include <gtest/gtest.h>

namespace ah::modules {
namespace {

TEST(PageText, ParagraphsAndHeadings) {
  auto blocks = parse_page_text("# Anbieter\r\nStadt Musterhausen\nMarkt 1\n\n\n# Kontakt\n<b>a@b.de</b>  \n");
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_TRUE(blocks[0].heading);
  EXPECT_EQ(blocks[0].text, "Anbieter");
  EXPECT_FALSE(blocks[1].heading);
  EXPECT_EQ(blocks[1].text, "Stadt Musterhausen Markt 1");
  EXPECT_EQ(blocks[2].text, "Kontakt");
  EXPECT_EQ(blocks[3].text, "<b>a@b.de</b>");  // kept as text; the template escapes it
  EXPECT_TRUE(parse_page_text("").empty());
}

}  // namespace
}  // namespace ah::modules
