#include "modules/orgs/store.h"

#include <gtest/gtest.h>

#include <set>

#include "db/migrate.h"
#include "db/test_database.h"
#include "modules/orgs/module.h"
#include "modules/orgs/reference_data.h"

namespace ah::modules::orgs {
namespace {

class OrgStoreTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto module = make_orgs_module(AH_DATA_DIR);
    auto migrated = db::migrate(*db, module->migrations());
    ASSERT_TRUE(migrated) << migrated.error().message << " " << migrated.error().detail;
  }
  // Every page of a filter, following next_cursor.
  std::vector<Organisation> all_pages(const OrgFilter& filter, int limit) {
    OrgStore store(*db);
    std::vector<Organisation> out;
    std::string cursor;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = store.list(filter, cursor, limit);
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      EXPECT_LE(static_cast<int>(page->items.size()), limit);
      out.insert(out.end(), page->items.begin(), page->items.end());
      if (page->next_cursor.empty()) break;
      cursor = page->next_cursor;
    }
    return out;
  }
};

TEST_P(OrgStoreTest, ReferenceDataHasLandKreiseAndGemeinden) {
  OrgStore store(*db);
  EXPECT_EQ(*store.count({}), 1 + 11 + 218);  // Land, 11 Landkreise, 218 Gemeinden (3 kreisfrei)
  OrgFilter kreise;
  kreise.type = "kreis";
  EXPECT_EQ(*store.count(kreise), 14);  // 11 Landkreise and 3 kreisfreie Städte
  OrgFilter gemeinden;
  gemeinden.type = "gemeinde";
  EXPECT_EQ(*store.count(gemeinden), 218);

  auto land = store.find("15");
  ASSERT_TRUE(land);
  EXPECT_EQ(land->type, OrgType::land);
  EXPECT_EQ(land->population, 2194782);  // the sum of the Gemeinden (Destatis, 31.12.2019)

  auto wittenberg = store.find("15091375");
  ASSERT_TRUE(wittenberg);
  EXPECT_EQ(wittenberg->name, "Wittenberg, Lutherstadt");
  EXPECT_EQ(wittenberg->kreis_ags, "15091");
  auto kreis = store.find("15091");
  ASSERT_TRUE(kreis);
  EXPECT_EQ(kreis->name, "Landkreis Wittenberg");
  EXPECT_EQ(store.find("15081")->name, "Altmarkkreis Salzwedel");

  // A kreisfreie Stadt is found by its Kreis key too.
  auto halle = store.find("15002");
  ASSERT_TRUE(halle);
  EXPECT_EQ(halle->ags, "15002000");
  EXPECT_EQ(halle->type, OrgType::kreisfreie_stadt);
  EXPECT_EQ(store.find("99999").error().code, ErrorCode::not_found);
}

TEST_P(OrgStoreTest, KeysetPagesCoverEverythingOnceInNameOrder) {
  auto all = all_pages({}, 7);
  ASSERT_EQ(all.size(), 230u);
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < all.size(); ++i) {
    ids.insert(all[i].id);
    if (i > 0) {
      EXPECT_LE(fold_name(all[i - 1].name), fold_name(all[i].name));
    }
  }
  EXPECT_EQ(ids.size(), all.size());
}

TEST_P(OrgStoreTest, FiltersBySearchKreisAndType) {
  OrgFilter q;
  q.query = "KÖTHEN";
  auto found = all_pages(q, 50);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "Köthen (Anhalt), Stadt");
  q.query = "kothen";  // umlauts folded
  EXPECT_EQ(all_pages(q, 50).size(), 1u);
  q.query = "100%_";  // LIKE wildcards are literal
  EXPECT_TRUE(all_pages(q, 50).empty());

  OrgFilter in_kreis;
  in_kreis.kreis_ags = "15091";
  in_kreis.type = "gemeinde";
  auto wittenberg = all_pages(in_kreis, 50);
  EXPECT_EQ(wittenberg.size(), 9u);
  for (const auto& g : wittenberg) EXPECT_EQ(g.kreis_ags, "15091");
}

TEST_P(OrgStoreTest, ForeignCursorIsInvalidInput) {
  OrgStore store(*db);
  for (std::string cursor : {"not-a-cursor!", "AAAA", "eA"}) {
    auto page = store.list({}, cursor, 10);
    ASSERT_FALSE(page) << cursor;
    EXPECT_EQ(page.error().code, ErrorCode::invalid_input);
  }
}

TEST_P(OrgStoreTest, ListCacheReadsAgainAfterAnInsertOrWhenOld) {
  OrgListCache cache;
  const OrgFilter kreise{.type = "kreis"};
  auto first = cache.list(*db, kreise, 500);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ((*first)->size(), 14u);
  EXPECT_EQ((*first)->front().name, all_pages(kreise, 500).front().name);  // same order

  // Written past OrgStore (as another process would): the cache does not notice yet.
  ASSERT_TRUE(
      db->query("INSERT INTO organisations (ags, name, name_key, type, kreis_ags)"
                " VALUES ('15999', 'Aaa-Kreis', 'aaa-kreis', 'kreis', '15999')"));
  auto cached = cache.list(*db, kreise, 500);
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->get(), first->get()) << "not read again";
  EXPECT_EQ(cache.list(*db, {.type = "gemeinde"}, 500).value()->size(), 218u) << "own entry";

  // An insert through OrgStore in this process: read again, both show.
  ASSERT_TRUE(db->transaction([](db::Connection& tx) -> Status {
    AH_TRY_STATUS(OrgStore::insert(
        tx, {.ags = "15998", .name = "Aab-Kreis", .type = OrgType::kreis, .kreis_ags = "15998"}));
    return {};
  }));
  auto after_insert = cache.list(*db, kreise, 500);
  ASSERT_TRUE(after_insert);
  EXPECT_EQ((*after_insert)->size(), 16u);

  // Past max_age, what another process wrote shows too.
  OrgListCache fresh(std::chrono::seconds(0));
  ASSERT_TRUE(fresh.list(*db, kreise, 500));
  ASSERT_TRUE(
      db->query("INSERT INTO organisations (ags, name, name_key, type, kreis_ags)"
                " VALUES ('15997', 'Aac-Kreis', 'aac-kreis', 'kreis', '15997')"));
  EXPECT_EQ(fresh.list(*db, kreise, 500).value()->size(), 17u);
}

AH_INSTANTIATE_BACKEND_TEST(OrgStoreTest);

TEST(FoldName, GermanSortKey) {
  EXPECT_EQ(fold_name("Köthen (Anhalt), Stadt"), "kothen (anhalt), stadt");
  EXPECT_EQ(fold_name("GROẞ Ärger Übel Straße"), "groẞ arger ubel strasse");
}

TEST(ReferenceData, BadCsvNamesTheLine) {
  auto bad_ags = sachsen_anhalt_from_csv("ags,name,kreis,population,lat,lon\n16001000,X,X,1,51,12\n");
  ASSERT_FALSE(bad_ags);
  EXPECT_NE(bad_ags.error().message.find("line 2"), std::string::npos);
  auto bad_pop = sachsen_anhalt_from_csv(
      "ags,name,kreis,population,lat,lon\n15001000,A,A,1,51,12\n15002000,B,B,viele,51,12\n");
  ASSERT_FALSE(bad_pop);
  EXPECT_NE(bad_pop.error().message.find("line 3"), std::string::npos);
  EXPECT_FALSE(sachsen_anhalt_from_csv("ags,name\n15001000,A\n"));
}

}  // namespace
}  // namespace ah::modules::orgs
