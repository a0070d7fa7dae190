#include "seed/seed.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <unordered_map>
#include <vector>

#include "modules/groups/store.h"
#include "modules/orgs/store.h"
#include "modules/participation/store.h"
#include "search/index.h"
#include "seed/bulk.h"
#include "seed/text.h"

namespace ah::seed {

using db::Value;

namespace {

constexpr std::int64_t kDay = 86400;
// Rows written per transaction: large enough that commits cost nothing measurable, small
// enough that SQLite's WAL stays at a few hundred megabytes.
constexpr std::int64_t kRowsPerTransaction = 100'000;

struct Org {
  std::int64_t id = 0;
  std::string ags, name, type;
};

// Everything later phases need to know about earlier ones.
struct World {
  std::vector<Org> orgs;
  std::vector<std::int64_t> staff;  // account ids, staff_per_org for each org in order
  std::int64_t first_citizen = 0, citizens = 0;
  struct Process {
    std::int64_t id, created_at;
    bool open;  // published or closed: takes proposals
  };
  std::vector<Process> processes;
  struct Proposal {
    std::int64_t id, process_id, created_at, supports, comments;
  };
  std::vector<Proposal> proposals;
};

// Reports progress every few thousand rows.
class Meter {
 public:
  Meter(const Progress& progress, std::int64_t total) : progress_(progress), total_(total) {}
  void phase(std::string_view name) {
    name_ = name;
    report();
  }
  void add(std::int64_t rows = 1) {
    done_ += rows;
    if (done_ - reported_ >= 5000) report();
  }
  void report() {
    reported_ = done_;
    if (progress_) progress_(name_, std::min(done_, total_), total_);
  }

 private:
  const Progress& progress_;
  std::int64_t total_, done_ = 0, reported_ = 0;
  std::string_view name_;
};

// A stride through [0, n) that visits distinct values: coprime to n.
std::int64_t coprime_step(Random& random, std::int64_t n) {
  if (n <= 1) return 1;
  for (;;) {
    std::int64_t step = 1 + random.below(n - 1);
    if (std::gcd(step, n) == 1) return step;
  }
}

// Splits `total` into `parts` skewed shares (a few large, many small, as participation
// is), none above `cap`; the shares add up to `total` unless the caps forbid it.
std::vector<std::int64_t> skewed_shares(Random& random, std::int64_t total, std::size_t parts,
                                        std::int64_t cap) {
  std::vector<std::int64_t> out(parts, 0);
  if (parts == 0 || total <= 0) return out;
  std::vector<double> weight(parts);
  double sum = 0;
  for (auto& w : weight) {
    double u = random.unit();
    w = 0.05 + u * u * u;  // cubic: long tail of popular items
    sum += w;
  }
  std::int64_t given = 0;
  for (std::size_t i = 0; i < parts; ++i) {
    out[i] = std::min(cap, static_cast<std::int64_t>(static_cast<double>(total) * weight[i] / sum));
    given += out[i];
  }
  for (std::size_t i = 0; given < total; i = (i + 1) % parts) {
    bool any = false;
    for (std::size_t j = 0; j < parts && given < total; ++j) {
      std::size_t k = (i + j) % parts;
      if (out[k] < cap) {
        ++out[k];
        ++given;
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}

// The short code of process `id` (/b/{code}): id scrambled by a multiplier coprime to 31^6,
// so distinct ids give distinct codes, in the alphabet of ProcessStore's codes.
std::string short_code(std::int64_t id) {
  static constexpr char kAlphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
  constexpr std::int64_t kSpace = 31LL * 31 * 31 * 31 * 31 * 31;
  std::int64_t v = (id * 387'420'489) % kSpace;  // 3^18, coprime to 31
  std::string code(6, '2');
  for (int i = 5; i >= 0; --i) {
    code[static_cast<std::size_t>(i)] = kAlphabet[v % 31];
    v /= 31;
  }
  return code;
}

Result<std::int64_t> max_id(db::Database& db, std::string_view table) {
  AH_TRY(rs, db.query("SELECT COALESCE(MAX(id), 0) FROM " + std::string(table)));
  return rs.rows[0].int64(0);
}

// Runs `write(tx, i)` for i in [0, n) in transactions of about kRowsPerTransaction rows
// (`rows_per_item` rows each), each transaction with its own bulk inserters.
template <class Writers, class Write>
Status in_transactions(db::Database& db, std::int64_t n, std::int64_t rows_per_item,
                       Writers make_writers, Write write) {
  const std::int64_t per =
      std::max<std::int64_t>(1, kRowsPerTransaction / std::max<std::int64_t>(1, rows_per_item));
  for (std::int64_t begin = 0; begin < n; begin += per) {
    const std::int64_t end = std::min(n, begin + per);
    AH_TRY_STATUS(db.transaction([&](db::Connection& tx) -> Status {
      auto writers = make_writers(tx);
      for (std::int64_t i = begin; i < end; ++i) AH_TRY_STATUS(write(writers, i));
      for (auto& w : writers) AH_TRY_STATUS(w.flush());
      return {};
    }));
  }
  return {};
}

Result<std::vector<Org>> orgs_in_scope(db::Database& db, Scale scale, Random& random) {
  AH_TRY(rs, db.query("SELECT id, ags, name, type, COALESCE(kreis_ags, '') FROM organisations"
                      " WHERE ags IS NOT NULL AND type IN ('land', 'kreis', 'kreisfreie_stadt',"
                      " 'gemeinde') ORDER BY ags"));
  std::vector<Org> all;
  std::vector<std::string> kreis_of;
  for (const auto& row : rs.rows) {
    all.push_back({row.int64(0), row.text(1), row.text(2), row.text(3)});
    kreis_of.push_back(row.text(4));
  }
  auto of_type = [&](std::string_view type) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].type == type) out.push_back(i);
    return out;
  };
  if (scale == Scale::state) return all;
  if (scale == Scale::village) {
    auto gemeinden = of_type("gemeinde");
    if (gemeinden.empty()) return fail(ErrorCode::not_found, "the reference data has no Gemeinden");
    return std::vector<Org>{all[gemeinden[static_cast<std::size_t>(
        random.below(static_cast<std::int64_t>(gemeinden.size())))]]};
  }
  auto kreise = of_type("kreis");
  if (kreise.empty()) return fail(ErrorCode::not_found, "the reference data has no Kreise");
  const Org kreis =
      all[kreise[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(kreise.size())))]];
  std::vector<Org> out{kreis};
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].type == "gemeinde" && kreis_of[i] == kreis.ags) out.push_back(all[i]);
  return out;
}

}  // namespace

std::optional<Scale> scale_from_string(std::string_view text) {
  if (text == "village") return Scale::village;
  if (text == "kreis") return Scale::kreis;
  if (text == "state") return Scale::state;
  return std::nullopt;
}

std::string_view to_string(Scale scale) {
  switch (scale) {
    case Scale::village:
      return "village";
    case Scale::kreis:
      return "kreis";
    case Scale::state:
      return "state";
  }
  return "village";
}

Plan plan_for(Scale scale) {
  switch (scale) {
    case Scale::state:
      return {.scale = scale,
              .citizens = 200'000,
              .staff_per_org = 4,
              .processes = 2'000,
              .proposals = 100'000,
              .supports = 2'000'000,
              .comments = 500'000,
              .groups = 300,
              .members_per_group = 20,
              .threads_per_group = 10,
              .posts_per_thread = 8,
              .decisions = 20'000};
    case Scale::kreis:  // about one fourteenth of the Land
      return {.scale = scale,
              .citizens = 15'000,
              .staff_per_org = 4,
              .processes = 150,
              .proposals = 7'500,
              .supports = 150'000,
              .comments = 37'500,
              .groups = 25,
              .members_per_group = 12,
              .threads_per_group = 10,
              .posts_per_thread = 8,
              .decisions = 1'500};
    case Scale::village:  // one Gemeinde of about 10,000 residents
      return {.scale = scale,
              .citizens = 1'000,
              .staff_per_org = 4,
              // Enough processes to fill the list's first page (20) as at the other
              // scales, so that scripts/bench compares the same page (issue 6).
              .processes = 30,
              .proposals = 600,
              .supports = 10'000,
              .comments = 2'500,
              .groups = 2,
              .members_per_group = 4,
              .threads_per_group = 5,
              .posts_per_thread = 6,
              .decisions = 100};
  }
  return {};
}

Status require_empty(db::Database& db) {
  for (std::string_view table : {"accounts", "processes", "work_groups"}) {
    AH_TRY(rs, db.query("SELECT COUNT(*) FROM " + std::string(table)));
    if (rs.rows[0].int64(0) > 0)
      return fail(ErrorCode::conflict,
                  "the database has content already (" + std::to_string(rs.rows[0].int64(0)) +
                      " rows in " + std::string(table) +
                      "); seed only a fresh database, e.g. with a new --data-dir");
  }
  return {};
}

Result<Counts> run(db::Database& db, const Plan& plan, const Options& options,
                   const Progress& progress) {
  AH_TRY_STATUS(require_empty(db));
  if (options.password_hash.empty())
    return fail(ErrorCode::invalid_input, "the seeder needs the shared password hash");
  const std::int64_t now = options.now;
  // Each phase draws from its own stream, so changing one phase leaves the others' rows alone.
  auto stream = [&](std::uint64_t phase) { return Random(options.seed * 1'000'003 + phase); };

  World w;
  Counts counts;
  {
    Random random = stream(1);
    AH_TRY(orgs, orgs_in_scope(db, plan.scale, random));
    w.orgs = std::move(orgs);
  }
  counts.organisations = static_cast<std::int64_t>(w.orgs.size());
  const std::int64_t staff_total = static_cast<std::int64_t>(w.orgs.size()) * plan.staff_per_org;
  const std::int64_t phases_per_process = 3;
  // Posts are only known on the way; the meter counts planned rows.
  const std::int64_t threads = plan.groups * plan.threads_per_group;
  const std::int64_t total_rows =
      staff_total * 2 + plan.citizens + plan.processes * (2 + phases_per_process) + plan.proposals +
      plan.supports + plan.comments + plan.groups * (2 + plan.members_per_group) + threads +
      threads * plan.posts_per_thread + plan.decisions * (1 + plan.members_per_group);
  Meter meter(progress, total_rows);

  AH_TRY(account_base, max_id(db, "accounts"));
  AH_TRY(process_base, max_id(db, "processes"));
  AH_TRY(proposal_base, max_id(db, "proposals"));
  AH_TRY(comment_base, max_id(db, "comments"));
  AH_TRY(group_base, max_id(db, "work_groups"));
  AH_TRY(thread_base, max_id(db, "group_threads"));
  AH_TRY(post_base, max_id(db, "group_posts"));
  AH_TRY(decision_base, max_id(db, "group_decisions"));
  const Value hash{options.password_hash};

  // Accounts: staff of every organisation in scope first, then citizens.
  meter.phase("Konten");
  {
    Random random = stream(2);
    const std::int64_t n = staff_total + plan.citizens;
    for (std::int64_t i = 0; i < staff_total; ++i) w.staff.push_back(account_base + 1 + i);
    w.first_citizen = account_base + 1 + staff_total;
    w.citizens = plan.citizens;
    AH_TRY_STATUS(in_transactions(
        db, n, 2,
        [](db::Connection& tx) {
          std::vector<BulkInsert> out;
          out.reserve(2);
          out.emplace_back(
              tx,
              "accounts (id, email, display_name, password_hash, email_verified_at, created_at)",
              6);
          out.emplace_back(
              tx, "org_memberships (org_id, account_id, role, state, requested_at, decided_at)", 6,
              &out[0]);
          return out;
        },
        [&](std::vector<BulkInsert>& out, std::int64_t i) -> Status {
          const std::int64_t id = account_base + 1 + i;
          const bool staff = i < staff_total;
          const std::int64_t created = now - 30 * kDay - random.below(730 * kDay);
          const std::string email =
              (staff ? "verwaltung-" : "buerger-") + std::to_string(id) + "@seed.example";
          AH_TRY_STATUS(out[0].add({Value{id}, Value{email}, Value{person_name(random)}, hash,
                                    Value{created}, Value{created}}));
          meter.add();
          if (staff) {
            const Org& org = w.orgs[static_cast<std::size_t>(i / plan.staff_per_org)];
            AH_TRY_STATUS(
                out[1].add({Value{org.id}, Value{id},
                            Value{std::string(i % plan.staff_per_org == 0 ? "admin" : "member")},
                            Value{std::string("active")}, Value{created}, Value{created}}));
            meter.add();
          }
          return {};
        }));
    counts.accounts = n;
    counts.memberships = staff_total;
  }

  // Processes with three phases each, and their search documents. The Land and the Kreise
  // run more processes than a Gemeinde.
  meter.phase("Beteiligungsverfahren");
  {
    Random random = stream(3);
    std::vector<double> cumulative;
    double sum = 0;
    for (const auto& org : w.orgs) {
      sum += org.type == "land" ? 30 : org.type == "gemeinde" ? 1 : 8;
      cumulative.push_back(sum);
    }
    const auto topics = modules::participation::process_topics();
    AH_TRY_STATUS(in_transactions(
        db, plan.processes, 2 + phases_per_process,
        [](db::Connection& tx) {
          std::vector<BulkInsert> out;
          out.reserve(2);
          out.emplace_back(tx,
                           "processes (id, org_id, title, summary, body, topic, state, short_code,"
                           " created_by, created_at, updated_at, area_ags)",
                           12);
          out.emplace_back(tx,
                           "process_phases (process_id, position, title, starts_at, ends_at,"
                           " allow_propose, allow_comment, allow_support)",
                           8, &out[0]);
          return out;
        },
        [&](std::vector<BulkInsert>& out, std::int64_t i) -> Status {
          const std::int64_t id = process_base + 1 + i;
          const double pick = random.unit() * sum;
          const std::size_t o = static_cast<std::size_t>(
              std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
          const std::size_t org_index = std::min(o, w.orgs.size() - 1);
          const Org& org = w.orgs[org_index];
          const double u = random.unit();
          const std::string state = u < 0.8 ? "published" : u < 0.95 ? "closed" : "draft";
          // Closed processes ended in the past; the others are collecting proposals now.
          const std::int64_t created = state == "closed"
                                           ? now - 400 * kDay + random.below(200 * kDay)
                                           : now - 10 * kDay - random.below(300 * kDay);
          const std::int64_t collect_end =
              state == "closed" ? created + 60 * kDay : now + 10 * kDay + random.below(60 * kDay);
          const std::string place = org.type == "land" ? "in Sachsen-Anhalt" : "in " + org.name;
          const std::string title = process_title(random, place);
          const std::string summary = process_summary(random, place);
          const std::string body = process_body(random, place);
          const std::string topic(topics[static_cast<std::size_t>(
              random.below(static_cast<std::int64_t>(topics.size())))]);
          const std::int64_t author =
              w.staff[org_index * static_cast<std::size_t>(plan.staff_per_org)];
          AH_TRY_STATUS(
              out[0].add({Value{id}, Value{org.id}, Value{title}, Value{summary}, Value{body},
                          Value{topic}, Value{state}, Value{short_code(id)}, Value{author},
                          Value{created}, Value{created}, Value{org.ags}}));
          const std::array<std::pair<std::int64_t, std::int64_t>, 3> spans{
              std::pair{created, collect_end}, std::pair{collect_end, collect_end + 30 * kDay},
              std::pair{collect_end + 30 * kDay, collect_end + 120 * kDay}};
          const std::array<std::string_view, 3> names{"Vorschläge sammeln", "Prüfung",
                                                      "Ergebnisse"};
          for (std::int64_t p = 0; p < 3; ++p) {
            const bool first = p == 0;
            AH_TRY_STATUS(out[1].add(
                {Value{id}, Value{p}, Value{std::string(names[static_cast<std::size_t>(p)])},
                 Value{spans[static_cast<std::size_t>(p)].first},
                 Value{spans[static_cast<std::size_t>(p)].second}, Value{std::int64_t{first}},
                 Value{std::int64_t{first || p == 2}}, Value{std::int64_t{first}}}));
          }
          AH_TRY_STATUS(search::put(out[0].connection(),
                                    modules::participation::kProcessSearchIndex, id,
                                    title + "\n" + summary, body));
          w.processes.push_back({id, created, state != "draft"});
          meter.add(2 + phases_per_process);
          return {};
        }));
    counts.processes = plan.processes;
    counts.phases = plan.processes * phases_per_process;
    counts.search_documents += plan.processes;
  }

  // Proposals, with their support and comment counts decided before any row is written.
  meter.phase("Vorschläge");
  {
    Random random = stream(4);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < w.processes.size(); ++i)
      if (w.processes[i].open) open.push_back(i);
    if (open.empty() && plan.proposals > 0)
      return fail(ErrorCode::invalid_input, "the plan has proposals but no published processes");
    const auto per_process = skewed_shares(random, plan.proposals, open.size(), plan.proposals);
    // About 5 % of the comments are on processes themselves, the rest on proposals.
    const std::int64_t on_proposals = plan.comments - plan.comments / 20;
    const auto supports =
        skewed_shares(random, plan.supports, static_cast<std::size_t>(plan.proposals), w.citizens);
    const auto comments =
        skewed_shares(random, on_proposals, static_cast<std::size_t>(plan.proposals), on_proposals);
    std::int64_t next = 0;
    for (std::size_t k = 0; k < open.size(); ++k)
      for (std::int64_t j = 0; j < per_process[k]; ++j, ++next) {
        const auto& process = w.processes[open[k]];
        const std::int64_t created =
            process.created_at + random.below(std::max<std::int64_t>(1, now - process.created_at));
        w.proposals.push_back({proposal_base + 1 + next, process.id, created,
                               supports[static_cast<std::size_t>(next)],
                               comments[static_cast<std::size_t>(next)]});
      }
    AH_TRY_STATUS(in_transactions(
        db, static_cast<std::int64_t>(w.proposals.size()), 1,
        [](db::Connection& tx) {
          std::vector<BulkInsert> out;
          out.emplace_back(
              tx,
              "proposals (id, process_id, author_id, title, body, category, place, state,"
              " support_count, comment_count, created_at, updated_at)",
              12);
          return out;
        },
        [&](std::vector<BulkInsert>& out, std::int64_t i) -> Status {
          const auto& p = w.proposals[static_cast<std::size_t>(i)];
          const std::int64_t author = w.first_citizen + random.below(w.citizens);
          const Value place = random.chance(0.3) ? Value{place_in_words(random)} : Value{nullptr};
          AH_TRY_STATUS(out[0].add({Value{p.id}, Value{p.process_id}, Value{author},
                                    Value{proposal_title(random)}, Value{proposal_body(random)},
                                    Value{std::string()}, place, Value{std::string("open")},
                                    Value{p.supports}, Value{p.comments}, Value{p.created_at},
                                    Value{p.created_at}}));
          meter.add();
          return {};
        }));
    counts.proposals = static_cast<std::int64_t>(w.proposals.size());
  }

  // Supports: each proposal's supporters are distinct citizens (a stride through them).
  meter.phase("Unterstützungen");
  {
    Random random = stream(5);
    AH_TRY_STATUS(in_transactions(
        db, static_cast<std::int64_t>(w.proposals.size()),
        std::max<std::int64_t>(1, plan.supports / std::max<std::int64_t>(1, plan.proposals)),
        [](db::Connection& tx) {
          std::vector<BulkInsert> out;
          out.emplace_back(tx, "supports (proposal_id, account_id, created_at)", 3);
          return out;
        },
        [&](std::vector<BulkInsert>& out, std::int64_t i) -> Status {
          const auto& p = w.proposals[static_cast<std::size_t>(i)];
          const std::int64_t start = random.below(w.citizens);
          const std::int64_t step = coprime_step(random, w.citizens);
          for (std::int64_t j = 0; j < p.supports; ++j) {
            const std::int64_t account = w.first_citizen + (start + j * step) % w.citizens;
            AH_TRY_STATUS(out[0].add({Value{p.id}, Value{account},
                                      Value{p.created_at + random.below(std::max<std::int64_t>(
                                                               1, now - p.created_at))}}));
          }
          counts.supports += p.supports;
          meter.add(p.supports);
          return {};
        }));
  }

  // Comments: on proposals (a quarter of them replies to an earlier comment there), then on
  // processes.
  meter.phase("Kommentare");
  {
    Random random = stream(6);
    std::int64_t next_id = comment_base;
    std::vector<std::int64_t> top_level;
    AH_TRY_STATUS(in_transactions(
        db, static_cast<std::int64_t>(w.proposals.size()),
        std::max<std::int64_t>(1, plan.comments / std::max<std::int64_t>(1, plan.proposals)),
        [](db::Connection& tx) {
          std::vector<BulkInsert> out;
          out.emplace_back(
              tx, "comments (id, process_id, proposal_id, parent_id, author_id, body, created_at)",
              7);
          return out;
        },
        [&](std::vector<BulkInsert>& out, std::int64_t i) -> Status {
          const auto& p = w.proposals[static_cast<std::size_t>(i)];
          top_level.clear();
          std::int64_t at = p.created_at;
          for (std::int64_t j = 0; j < p.comments; ++j) {
            const std::int64_t id = ++next_id;
            at += 60 + random.below(std::max<std::int64_t>(61, (now - at) / 4));
            at = std::min(at, now);
            Value parent{nullptr};
            if (!top_level.empty() && random.chance(0.25))
              parent = Value{top_level[static_cast<std::size_t>(
                  random.below(static_cast<std::int64_t>(top_level.size())))]};
            else
              top_level.push_back(id);
            AH_TRY_STATUS(out[0].add({Value{id}, Value{p.process_id}, Value{p.id}, parent,
                                      Value{w.first_citizen + random.below(w.citizens)},
                                      Value{comment(random)}, Value{at}}));
          }
          counts.comments += p.comments;
          meter.add(p.comments);
          return {};
        }));
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < w.processes.size(); ++i)
      if (w.processes[i].open) open.push_back(i);
    const std::int64_t on_processes = open.empty() ? 0 : plan.comments - counts.comments;
    // Discussion follows activity: a process's own thread gets comments in proportion to its
    // proposals (a proposal drawn at random names the process), so the busiest process —
    // the one scripts/bench shows — has a full first page of them at every scale.
    std::unordered_map<std::int64_t, const World::Process*> process_by_id;
    for (const auto& process : w.processes) process_by_id[process.id] = &process;
    AH_TRY_STATUS(in_transactions(
        db, on_processes, 1,
        [](db::Connection& tx) {
          std::vector<BulkInsert> out;
          out.emplace_back(
              tx, "comments (id, process_id, proposal_id, parent_id, author_id, body, created_at)",
              7);
          return out;
        },
        [&](std::vector<BulkInsert>& out, std::int64_t) -> Status {
          const auto& process =
              w.proposals.empty()
                  ? w.processes[open[static_cast<std::size_t>(
                        random.below(static_cast<std::int64_t>(open.size())))]]
                  : *process_by_id.at(
                        w.proposals[static_cast<std::size_t>(random.below(
                                        static_cast<std::int64_t>(w.proposals.size())))]
                            .process_id);
          AH_TRY_STATUS(out[0].add(
              {Value{++next_id}, Value{process.id}, Value{nullptr}, Value{nullptr},
               Value{w.first_citizen + random.below(w.citizens)}, Value{comment(random)},
               Value{process.created_at +
                     random.below(std::max<std::int64_t>(1, now - process.created_at))}}));
          ++counts.comments;
          meter.add();
          return {};
        }));
  }

  // Working groups of staff: members (the first is the owner), threads and posts.
  meter.phase("Arbeitsgruppen");
  if (plan.groups > 0 && !w.staff.empty()) {
    Random random = stream(7);
    const std::int64_t staff = static_cast<std::int64_t>(w.staff.size());
    const std::int64_t members = std::min(plan.members_per_group, staff);
    std::int64_t next_thread = thread_base, next_post = post_base, next_decision = decision_base;
    // Decisions spread evenly; the first groups take the remainder.
    auto decisions_of = [&](std::int64_t group_index) {
      return plan.decisions / plan.groups + (group_index < plan.decisions % plan.groups ? 1 : 0);
    };
    AH_TRY_STATUS(in_transactions(
        db, plan.groups,
        2 + members + plan.threads_per_group * (1 + plan.posts_per_thread) +
            (plan.decisions / plan.groups + 1) * (1 + 2 * members),
        [](db::Connection& tx) {
          std::vector<BulkInsert> out;
          out.reserve(7);
          out.emplace_back(tx,
                           "work_groups (id, name, name_key, description, visibility, joining,"
                           " created_by, created_at, updated_at)",
                           9);
          out.emplace_back(tx, "space_roles (space_kind, space_id, account_id, role, granted_at)",
                           5, &out[0]);
          out.emplace_back(
              tx,
              "group_threads (id, group_id, title, author_id, post_count, last_post_id,"
              " last_post_at, created_at)",
              8, &out[0]);
          out.emplace_back(tx, "group_posts (id, thread_id, author_id, body, created_at)", 5,
                           &out[2]);
          out.emplace_back(tx,
                           "group_decisions (id, group_id, author_id, title, details, kind,"
                           " multiple, points, deadline, results, anonymous, state, closed_at,"
                           " outcome, outcome_by, outcome_at, created_at)",
                           17, &out[0]);
          out.emplace_back(tx, "group_decision_voters (decision_id, account_id)", 2, &out[4]);
          out.emplace_back(tx,
                           "group_decision_ballots (id, decision_id, voter_key, account_id,"
                           " position, reason)",
                           6, &out[4]);
          return out;
        },
        [&](std::vector<BulkInsert>& out, std::int64_t i) -> Status {
          const std::int64_t id = group_base + 1 + i;
          const std::string name = group_name(random, i + 1);
          const std::string description = group_description(random);
          const double u = random.unit();
          const std::string visibility = u < 0.6 ? "public" : u < 0.9 ? "internal" : "closed";
          const std::string joining = random.chance(0.7) ? "open" : "request";
          const std::int64_t start = random.below(staff), step = coprime_step(random, staff);
          std::vector<std::int64_t> people;
          for (std::int64_t m = 0; m < members; ++m)
            people.push_back(w.staff[static_cast<std::size_t>((start + m * step) % staff)]);
          const std::int64_t created = now - 30 * kDay - random.below(600 * kDay);
          AH_TRY_STATUS(out[0].add({Value{id}, Value{name}, Value{modules::orgs::fold_name(name)},
                                    Value{description}, Value{visibility}, Value{joining},
                                    Value{people[0]}, Value{created}, Value{created}}));
          const std::string kind(modules::groups::kSpaceKind);
          for (std::size_t m = 0; m < people.size(); ++m)
            AH_TRY_STATUS(
                out[1].add({Value{kind}, Value{id}, Value{people[m]},
                            Value{std::string(m == 0 ? "owner" : "member")}, Value{created}}));
          AH_TRY_STATUS(search::put(out[0].connection(), modules::groups::kGroupSearchIndex, id,
                                    name, description));
          counts.group_members += members;
          meter.add(2 + members);
          for (std::int64_t t = 0; t < plan.threads_per_group; ++t) {
            const std::int64_t thread = ++next_thread;
            const std::int64_t posts = 1 + random.below(2 * plan.posts_per_thread - 1);
            std::int64_t at = created + random.below(std::max<std::int64_t>(1, now - created));
            const std::int64_t thread_created = at;
            std::vector<std::pair<std::int64_t, std::int64_t>> post_times;  // id, created_at
            for (std::int64_t p = 0; p < posts; ++p) {
              post_times.emplace_back(++next_post, at);
              at = std::min(now, at + 600 + random.below(3 * kDay));
            }
            const std::int64_t author = people[static_cast<std::size_t>(random.below(members))];
            AH_TRY_STATUS(out[2].add({Value{thread}, Value{id}, Value{thread_title(random)},
                                      Value{author}, Value{posts}, Value{post_times.back().first},
                                      Value{post_times.back().second}, Value{thread_created}}));
            for (std::size_t p = 0; p < post_times.size(); ++p)
              AH_TRY_STATUS(out[3].add(
                  {Value{post_times[p].first}, Value{thread},
                   Value{p == 0 ? author : people[static_cast<std::size_t>(random.below(members))]},
                   Value{comment(random)}, Value{post_times[p].second}}));
            counts.threads += 1;
            counts.posts += posts;
            meter.add(1 + posts);
          }
          // Consent decisions: most closed with an outcome, a tenth still open; a tenth of
          // the closed ones anonymous (keeping neither key nor account, as the store leaves
          // them after closing). Ballot ids are the decision's id times 256 plus the voter's place —
          // unique, though not random like the store's.
          static constexpr const char* kPositions[] = {"agree", "agree", "agree", "abstain",
                                                       "concern", "block"};
          for (std::int64_t k = 0, n = decisions_of(i); k < n; ++k) {
            const std::int64_t decision = ++next_decision;
            const std::int64_t author = people[static_cast<std::size_t>(random.below(members))];
            const std::int64_t opened = created + random.below(std::max<std::int64_t>(1, now - created));
            const bool open = random.chance(0.1);
            // Only closed decisions are anonymous here: an open one would need its secret.
            const bool anonymous = !open && random.chance(0.1);
            const std::int64_t deadline =
                open ? now + kDay + random.below(14 * kDay) : std::min(now - 60, opened + 7 * kDay);
            const Value null{nullptr};
            AH_TRY_STATUS(out[4].add(
                {Value{decision}, Value{id}, Value{author}, Value{decision_title(random)},
                 Value{comment(random)}, Value{std::string("consent")}, Value{std::int64_t{0}},
                 Value{std::int64_t{0}}, Value{deadline}, Value{std::string("after_vote")},
                 Value{std::int64_t{anonymous}}, Value{std::string(open ? "open" : "closed")},
                 open ? null : Value{deadline}, open ? null : Value{decision_outcome(random)},
                 open ? null : Value{author}, open ? null : Value{deadline + 3600},
                 Value{std::min(opened, deadline - 60)}}));
            const std::int64_t voters = 1 + random.below(members);
            const std::int64_t first = random.below(members), stride = coprime_step(random, members);
            for (std::int64_t v = 0; v < voters; ++v) {
              const std::int64_t who = people[static_cast<std::size_t>((first + v * stride) % members)];
              const char* position = kPositions[random.below(std::size(kPositions))];
              const bool reason = std::string_view(position) == "concern" ||
                                  std::string_view(position) == "block";
              AH_TRY_STATUS(out[5].add({Value{decision}, Value{who}}));
              AH_TRY_STATUS(out[6].add(
                  {Value{decision * 256 + v}, Value{decision},
                   anonymous ? null : Value{"account:" + std::to_string(who)},
                   anonymous ? null : Value{who}, Value{std::string(position)},
                   Value{reason ? comment(random) : std::string()}}));
            }
            counts.decisions += 1;
            counts.ballots += voters;
            meter.add(1 + 2 * voters);
          }
          return {};
        }));
    counts.groups = plan.groups;
    counts.search_documents += plan.groups;
  }


  // PostgreSQL's identity sequences did not see the explicit ids.
  if (db.backend() == db::Backend::postgres) {
    for (std::string_view table : {"accounts", "processes", "proposals", "comments", "work_groups",
                                   "group_threads", "group_posts", "group_decisions"}) {
      const std::string t(table);
      AH_TRY_STATUS(db.query("SELECT setval(pg_get_serial_sequence('" + t +
                             "', 'id'), (SELECT MAX(id) FROM " + t +
                             ")) WHERE EXISTS (SELECT 1 FROM " + t + ")"));
    }
  }
  // Fresh statistics, so the planners choose the indexes for tables that were empty before.
  meter.phase("ANALYZE");
  AH_TRY_STATUS(db.query("ANALYZE"));
  meter.report();
  return counts;
}

}  // namespace ah::seed
