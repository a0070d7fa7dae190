// ah::seed — a synthetic Land for benchmarks and load tests (`augenhoehe seed`, issue 6).
//
// Fills a freshly migrated, empty database with deterministic, realistic data on the real
// organisations of the reference data: citizens and staff accounts (all sharing one
// precomputed password hash), processes with phases, proposals, supports and comments,
// working groups with members, threads and posts, and the search documents of processes and
// groups. The same seed and scale always give the same rows on both backends.
//
//   AH_TRY(hash, auth::hash_password(password));
//   AH_TRY(counts, seed::run(db, seed::plan_for(seed::Scale::village),
//                            {.seed = 1, .password_hash = hash, .now = now}, progress));
//
// Rows are written with explicit ids in large transactions of multi-row INSERTs (bulk.h);
// denormalised counts (support_count, comment_count, post_count, last_post_id) are computed
// before their rows are written and so always equal COUNT(*) of them. On PostgreSQL the
// identity sequences are moved past the seeded ids afterwards, so the server's own inserts
// continue without collisions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "db/database.h"

namespace ah::seed {

// village: one Gemeinde; kreis: one Kreis with its Gemeinden; state: the whole Land.
enum class Scale { village, kreis, state };
std::optional<Scale> scale_from_string(std::string_view text);
std::string_view to_string(Scale scale);

// How many rows of each kind a scale asks for.
struct Plan {
  Scale scale = Scale::village;
  std::int64_t citizens = 0;
  std::int64_t staff_per_org = 0;  // accounts with an active membership of each organisation
  std::int64_t processes = 0;
  std::int64_t proposals = 0;
  std::int64_t supports = 0;
  std::int64_t comments = 0;
  std::int64_t groups = 0;
  std::int64_t members_per_group = 0;  // including the owner; at most the staff there are
  std::int64_t threads_per_group = 0;
  std::int64_t posts_per_thread = 0;  // on average; every thread has at least one
  std::int64_t decisions = 0;  // consent decisions of the groups, spread evenly
};
// state: 200,000 citizens, 2,000 processes, 100,000 proposals, 2,000,000 supports, 500,000
// comments, 300 working groups (issue 6); kreis and village proportionally smaller.
Plan plan_for(Scale scale);

// What was written.
struct Counts {
  std::int64_t organisations = 0;  // organisations in scope (not written: reference data)
  std::int64_t accounts = 0, memberships = 0;
  std::int64_t processes = 0, phases = 0, proposals = 0, supports = 0, comments = 0;
  std::int64_t groups = 0, group_members = 0, threads = 0, posts = 0;
  std::int64_t decisions = 0, ballots = 0;
  std::int64_t search_documents = 0;
};

struct Options {
  std::uint64_t seed = 1;
  std::string password_hash;  // auth::hash_password of the shared password
  std::int64_t now = 0;       // unix seconds; the running phases span it
};

// Called often (at most every few thousand rows): what is being written and how many of
// all planned rows are done.
using Progress =
    std::function<void(std::string_view phase, std::int64_t rows_done, std::int64_t rows_total)>;

// conflict (message for people) when the database has accounts, processes or groups
// already: seeding is only for a fresh database.
Status require_empty(db::Database& db);

// Seeds `db`, which must be migrated and empty (require_empty is checked first).
Result<Counts> run(db::Database& db, const Plan& plan, const Options& options,
                   const Progress& progress = {});

}  // namespace ah::seed
