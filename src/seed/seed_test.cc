// The seeder on both backends: the rows it promises, counters equal to the rows they count,
// determinism, search, and refusal of a database with content.
#include "seed/seed.h"

#include "seed/bulk.h"

#include <gtest/gtest.h>

#include "app/commands.h"
#include "auth/passwords.h"
#include "db/migrate.h"
#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/participation/store.h"

namespace ah::seed {
namespace {

using db::testing::scalar;

constexpr std::int64_t kNow = 1796116800;  // 2026-12-01T09:20:00Z
constexpr std::string_view kPassword = "Seed-Passwort-123";

std::string test_hash() {
  auto hash = auth::hash_password(kPassword, auth::PasswordHashParams::for_tests_only());
  return hash ? *hash : std::string();
}

void migrate(db::Database& db, const std::filesystem::path& data_dir) {
  auto done = db::migrate(db, app::all_migrations(app::all_modules(AH_SHARE_DIR, data_dir)));
  ASSERT_TRUE(done) << done.error().message << " " << done.error().detail;
}

// What two runs with the same seed must agree on: the counts and the first rows of each kind.
std::vector<std::string> snapshot(db::Database& db) {
  std::vector<std::string> out;
  for (std::string_view sql : {"SELECT COUNT(*) FROM accounts", "SELECT COUNT(*) FROM processes",
                               "SELECT COUNT(*) FROM proposals", "SELECT COUNT(*) FROM supports",
                               "SELECT COUNT(*) FROM comments", "SELECT COUNT(*) FROM work_groups",
                               "SELECT COUNT(*) FROM group_posts",
                               "SELECT COUNT(*) FROM group_decision_ballots"})
    out.push_back(std::to_string(scalar(db, sql)));
  for (std::string_view sql :
       {"SELECT email || '|' || display_name FROM accounts ORDER BY id LIMIT 3",
        "SELECT title || '|' || short_code || '|' || state || '|' || area_ags FROM processes ORDER "
        "BY id LIMIT 3",
        "SELECT title || '|' || body || '|' || CAST(support_count AS TEXT) FROM proposals ORDER BY "
        "id LIMIT 3",
        "SELECT body || '|' || COALESCE(CAST(parent_id AS TEXT), '-') FROM comments ORDER BY id "
        "LIMIT 3",
        "SELECT name || '|' || visibility FROM work_groups ORDER BY id LIMIT 3"}) {
    auto rs = db.query(sql);
    EXPECT_TRUE(rs) << rs.error().detail;
    if (rs)
      for (const auto& row : rs->rows) out.push_back(row.text(0));
  }
  return out;
}

class SeedTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    migrate(*db, scratch_dir());
  }

  // Seeds a private SQLite database in the scratch folder and returns its snapshot.
  std::vector<std::string> seeded_sqlite(const std::string& name, std::uint64_t seed) {
    auto other = db::Database::open("sqlite:" + (scratch_dir() / name).string(), {});
    EXPECT_TRUE(other);
    if (!other) return {};
    migrate(**other, scratch_dir());
    auto counts = run(**other, plan_for(Scale::village),
                      {.seed = seed, .password_hash = test_hash(), .now = kNow});
    EXPECT_TRUE(counts) << counts.error().message;
    return snapshot(**other);
  }
};

TEST_P(SeedTest, VillageHasThePlannedRowsAndEveryCounterEqualsItsRows) {
  const Plan plan = plan_for(Scale::village);
  std::vector<std::string> phases;
  auto counts = run(*db, plan, {.seed = 7, .password_hash = test_hash(), .now = kNow},
                    [&](std::string_view phase, std::int64_t done, std::int64_t total) {
                      EXPECT_LE(done, total);
                      if (phases.empty() || phases.back() != phase) phases.emplace_back(phase);
                    });
  ASSERT_TRUE(counts) << counts.error().message << " " << counts.error().detail;
  EXPECT_EQ(counts->organisations, 1);  // one Gemeinde
  EXPECT_EQ(counts->accounts, plan.citizens + plan.staff_per_org);
  EXPECT_EQ(counts->processes, plan.processes);
  EXPECT_EQ(counts->proposals, plan.proposals);
  EXPECT_EQ(counts->supports, plan.supports);
  EXPECT_EQ(counts->comments, plan.comments);
  EXPECT_EQ(counts->groups, plan.groups);
  EXPECT_EQ(phases.front(), "Konten");
  EXPECT_NE(std::find(phases.begin(), phases.end(), "Unterstützungen"), phases.end());

  // The rows are there as counted.
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM accounts"), counts->accounts);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM org_memberships WHERE state = 'active'"),
            counts->memberships);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM process_phases"), counts->phases);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM proposals"), counts->proposals);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM supports"), counts->supports);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM comments"), counts->comments);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM space_roles WHERE space_kind = 'group'"),
            counts->group_members);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM group_threads"), counts->threads);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM group_posts"), counts->posts);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM search_documents"), counts->search_documents);
  EXPECT_GT(counts->posts, 0);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM group_decisions"), counts->decisions);
  EXPECT_EQ(counts->decisions, plan_for(Scale::village).decisions);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM group_decision_ballots"), counts->ballots);
  // Decisions as the store leaves them: one ballot a voter, voters are members of the
  // decision's group, closed ones have an outcome, anonymous ones name nobody.
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM group_decision_voters"), counts->ballots);
  EXPECT_EQ(scalar(*db,
                   "SELECT COUNT(*) FROM group_decision_voters v JOIN group_decisions d"
                   " ON d.id = v.decision_id WHERE NOT EXISTS (SELECT 1 FROM space_roles r"
                   " WHERE r.space_kind = 'group' AND r.space_id = d.group_id"
                   " AND r.account_id = v.account_id)"),
            0);
  EXPECT_EQ(scalar(*db,
                   "SELECT COUNT(*) FROM group_decisions WHERE state = 'closed'"
                   " AND (outcome IS NULL OR closed_at IS NULL OR deadline > " +
                       std::to_string(kNow) + ")"),
            0);
  EXPECT_EQ(scalar(*db,
                   "SELECT COUNT(*) FROM group_decision_ballots b JOIN group_decisions d"
                   " ON d.id = b.decision_id WHERE d.anonymous = 1"
                   " AND (b.account_id IS NOT NULL OR b.voter_key IS NOT NULL)"),
            0);
  EXPECT_GT(scalar(*db, "SELECT COUNT(*) FROM group_decisions WHERE state = 'open'"), 0);

  // Every denormalised count equals COUNT(*) of what it counts.
  EXPECT_EQ(scalar(*db,
                   "SELECT COUNT(*) FROM proposals p WHERE support_count <>"
                   " (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = p.id)"),
            0);
  EXPECT_EQ(
      scalar(
          *db,
          "SELECT COUNT(*) FROM proposals p WHERE comment_count <>"
          " (SELECT COUNT(*) FROM comments c WHERE c.proposal_id = p.id AND c.deleted_at IS NULL)"),
      0);
  EXPECT_EQ(
      scalar(
          *db,
          "SELECT COUNT(*) FROM group_threads t WHERE post_count <>"
          " (SELECT COUNT(*) FROM group_posts p WHERE p.thread_id = t.id)"
          " OR last_post_id <> (SELECT MAX(id) FROM group_posts p WHERE p.thread_id = t.id)"
          " OR last_post_at <> (SELECT created_at FROM group_posts p WHERE p.id = t.last_post_id)"),
      0);
  EXPECT_GT(scalar(*db, "SELECT MAX(support_count) FROM proposals"), 0);
  // Each group has one owner; replies answer a top-level comment of the same proposal.
  EXPECT_EQ(
      scalar(*db, "SELECT COUNT(*) FROM space_roles WHERE space_kind = 'group' AND role = 'owner'"),
      counts->groups);
  EXPECT_EQ(scalar(*db,
                   "SELECT COUNT(*) FROM comments c JOIN comments p ON p.id = c.parent_id"
                   " WHERE p.parent_id IS NOT NULL OR p.proposal_id <> c.proposal_id"),
            0);
  EXPECT_GT(scalar(*db, "SELECT COUNT(*) FROM comments WHERE parent_id IS NOT NULL"), 0);
  // Draft processes take no proposals; published ones are collecting them now.
  EXPECT_EQ(scalar(*db,
                   "SELECT COUNT(*) FROM proposals r JOIN processes p ON p.id = r.process_id"
                   " WHERE p.state = 'draft'"),
            0);

  // Search finds a process by a word of its title.
  auto first = modules::participation::ProcessStore(*db).find(
      scalar(*db, "SELECT MIN(id) FROM processes WHERE state = 'published'"));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->allows_support(kNow));
  const std::string word = first->title.substr(0, first->title.find(' '));
  auto found = modules::participation::ProcessStore(*db).list({.text = word}, "", 100);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_TRUE(std::any_of(found->items.begin(), found->items.end(), [&](const auto& p) {
    return p.id == first->id;
  })) << word;

  // The shared password opens every synthetic account.
  auto rs = db->query("SELECT password_hash FROM accounts ORDER BY id DESC LIMIT 1");
  ASSERT_TRUE(rs);
  EXPECT_TRUE(auth::verify_password(rs->rows[0].text(0), kPassword));

  // The server's own inserts continue after the seeded ids (PostgreSQL's sequences moved).
  auto id = modules::accounts::create_verified_account(*db, "neu@beispiel.example", "Neu",
                                                       "ein-langes-Passwort", kNow);
  ASSERT_TRUE(id) << id.error().message << " " << id.error().detail;
  EXPECT_GT(*id, counts->accounts);
}

TEST_P(SeedTest, TheSameSeedGivesTheSameDataOnBothBackendsAndAnotherSeedOther) {
  auto counts =
      run(*db, plan_for(Scale::village), {.seed = 3, .password_hash = test_hash(), .now = kNow});
  ASSERT_TRUE(counts) << counts.error().message;
  const auto here = snapshot(*db);
  EXPECT_EQ(here, seeded_sqlite("same.db", 3));
  const auto other = seeded_sqlite("other.db", 4);
  ASSERT_EQ(other.size(), here.size());
  EXPECT_NE(other, here);
  // Different rows (texts, the Gemeinde), the same planned numbers.
  EXPECT_EQ(std::vector(other.begin(), other.begin() + 6),
            std::vector(here.begin(), here.begin() + 6));
}

TEST_P(SeedTest, RefusesADatabaseWithContent) {
  ASSERT_TRUE(
      run(*db, plan_for(Scale::village), {.seed = 1, .password_hash = test_hash(), .now = kNow}));
  const auto before = scalar(*db, "SELECT COUNT(*) FROM accounts");
  auto again =
      run(*db, plan_for(Scale::village), {.seed = 2, .password_hash = test_hash(), .now = kNow});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_NE(again.error().message.find("fresh database"), std::string::npos);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM accounts"), before);
}

TEST(SeedPlan, StateScaleIsWhatIssue6AsksFor) {
  const Plan state = plan_for(Scale::state);
  EXPECT_EQ(state.citizens, 200'000);
  EXPECT_EQ(state.processes, 2'000);
  EXPECT_EQ(state.proposals, 100'000);
  EXPECT_EQ(state.supports, 2'000'000);
  EXPECT_EQ(state.comments, 500'000);
  EXPECT_EQ(state.groups, 300);
  EXPECT_EQ(scale_from_string("kreis"), Scale::kreis);
  EXPECT_FALSE(scale_from_string("land"));
}

// A child inserter's batch fills before its parent's: the parent must be written first, or
// the foreign key fails (state scale hit this; a village never fills a batch).
TEST_P(SeedTest, BulkInsertWritesParentsBeforeTheRowsThatReferenceThem) {
  auto made = db->transaction([](db::Connection& tx) {
    return tx.execute_script(
        "CREATE TABLE bulk_parent (id BIGINT PRIMARY KEY);"
        "CREATE TABLE bulk_child (id BIGINT PRIMARY KEY,"
        " parent_id BIGINT NOT NULL REFERENCES bulk_parent (id));");
  });
  ASSERT_TRUE(made) << made.error().detail;
  auto written = db->transaction([](db::Connection& tx) -> Status {
    BulkInsert parents(tx, "bulk_parent (id)", 1);
    BulkInsert children(tx, "bulk_child (id, parent_id)", 2, &parents);
    EXPECT_LT(children.rows_per_statement(), parents.rows_per_statement());
    const std::int64_t n = parents.rows_per_statement() - 1;  // the parents never fill a batch
    for (std::int64_t i = 1; i <= n; ++i) {
      AH_TRY_STATUS(parents.add({db::Value{i}}));
      AH_TRY_STATUS(children.add({db::Value{i}, db::Value{i}}));
    }
    AH_TRY_STATUS(parents.flush());
    return children.flush();
  });
  ASSERT_TRUE(written) << written.error().message << " " << written.error().detail;
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM bulk_child"),
            scalar(*db, "SELECT COUNT(*) FROM bulk_parent"));
  EXPECT_GT(scalar(*db, "SELECT COUNT(*) FROM bulk_child"), 4000);
}

AH_INSTANTIATE_BACKEND_TEST(SeedTest);

}  // namespace
}  // namespace ah::seed
