// A write transaction: BEGIN IMMEDIATE on construction (by Session::begin()), COMMIT by
// commit(), ROLLBACK when destroyed uncommitted — so an early `return` or a TRY that fails
// undoes everything, and a crash before commit() leaves the database as it was.
#pragma once

#include "base/result.h"

struct sqlite3;

namespace berth::state {

class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  // Commits; on failure the transaction is rolled back and the error returned.
  Status commit();
  // Rolls back now (the destructor does nothing afterwards).
  void rollback();

 private:
  sqlite3* db_;
  bool done_ = false;
};

}  // namespace berth::state
