#include "seed/bulk.h"

#include <algorithm>
#include <stdexcept>

namespace ah::seed {

BulkInsert::BulkInsert(db::Connection& tx, std::string_view target, int columns, BulkInsert* parent)
    : tx_(tx),
      target_(target),
      columns_(columns),
      rows_per_statement_(std::max(1, 8000 / std::max(1, columns))),
      parent_(parent),
      full_sql_(sql_for(rows_per_statement_)) {
  pending_.reserve(static_cast<std::size_t>(rows_per_statement_ * columns_));
}

std::string BulkInsert::sql_for(int rows) const {
  std::string sql = "INSERT INTO " + target_ + " VALUES ";
  int n = 0;
  for (int r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (int c = 0; c < columns_; ++c) sql += (c == 0 ? "$" : ", $") + std::to_string(++n);
    sql += ")";
  }
  return sql;
}

Status BulkInsert::add(std::initializer_list<db::Value> row) {
  if (static_cast<int>(row.size()) != columns_)
    throw std::logic_error("BulkInsert::add: row has the wrong number of columns");
  pending_.insert(pending_.end(), row.begin(), row.end());
  if (static_cast<int>(pending_.size()) == rows_per_statement_ * columns_) return flush();
  return {};
}

Status BulkInsert::flush() {
  if (pending_.empty()) return {};
  if (parent_) AH_TRY_STATUS(parent_->flush());
  const int rows = static_cast<int>(pending_.size()) / columns_;
  auto done = tx_.query(rows == rows_per_statement_ ? full_sql_ : sql_for(rows), pending_);
  pending_.clear();
  if (!done) return std::unexpected(done.error());
  return {};
}

}  // namespace ah::seed
