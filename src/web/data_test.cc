#include "web/data.h"

#include <gtest/gtest.h>

namespace ah::web {
namespace {

TEST(Data, PutAndAppendBuildNestedDataInPlaceThatRendersLikeSet) {
  Data page{Data::type::object};
  Data& list = put(page, "items", list_with_room(3));
  EXPECT_GE(list.list_value().capacity(), 3u);
  for (int i = 1; i <= 3; ++i) {
    Data& item = append(list, Data{Data::type::object});
    put(item, "n", std::to_string(i));
    Data& replies = put(item, "replies", Data{Data::type::list});
    append(replies, Data{"antwort " + std::to_string(i)});
  }
  put(page, "title", "Titel");
  put(page, "title", "Neuer Titel");  // replaces
  kainjow::mustache::mustache tpl{"{{title}}:{{#items}} {{n}}({{#replies}}{{.}}{{/replies}}){{/items}}"};
  EXPECT_EQ(tpl.render(page), "Neuer Titel: 1(antwort 1) 2(antwort 2) 3(antwort 3)");
}

TEST(Data, PutIntoAListOrAppendToAnObjectIsAProgrammingError) {
  Data list{Data::type::list};
  Data object{Data::type::object};
  EXPECT_THROW(put(list, "x", Data{"y"}), std::logic_error);
  EXPECT_THROW(append(object, Data{"y"}), std::logic_error);
}

}  // namespace
}  // namespace ah::web
