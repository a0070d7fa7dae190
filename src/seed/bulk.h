// BulkInsert: many rows into one table with few statements, for the seeder.
//
// Rows are collected and written as one multi-row INSERT … VALUES ($1, …), ($k, …) of up to
// rows_per_statement() rows, with bound parameters only; the statement text of a full batch is
// always the same, so each connection prepares it once and reuses it. Call flush() before
// the transaction ends (the destructor does not write: a failed flush must be seen).
//
//   BulkInsert supports(tx, "supports (proposal_id, account_id, created_at)", 3);
//   AH_TRY_STATUS(supports.add({Value{proposal}, Value{account}, Value{now}}));
//   AH_TRY_STATUS(supports.flush());
//
// Not movable once it has children (they point to it): keep inserters in a container that
// does not reallocate (reserve first).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/database.h"

namespace ah::seed {

class BulkInsert {
 public:
  // `target` is "table (column, …)" — program text, never input — with `columns` columns.
  // Rows that reference rows of another BulkInsert name it as `parent`: it is flushed first,
  // so foreign keys always find their rows. The parent must outlive this one.
  BulkInsert(db::Connection& tx, std::string_view target, int columns,
             BulkInsert* parent = nullptr);

  [[nodiscard]] Status add(std::initializer_list<db::Value> row);
  [[nodiscard]] Status flush();

  // Rows per statement: as many as keep the parameters of one statement below 8,000
  // (SQLite allows 32,766, PostgreSQL 65,535; larger statements gain nothing measurable).
  int rows_per_statement() const { return rows_per_statement_; }
  // The transaction it writes in, for statements between rows (e.g. search::put).
  db::Connection& connection() { return tx_; }

 private:
  std::string sql_for(int rows) const;

  db::Connection& tx_;
  std::string target_;
  int columns_;
  int rows_per_statement_;
  BulkInsert* parent_;
  std::string full_sql_;
  std::vector<db::Value> pending_;
};

}  // namespace ah::seed
