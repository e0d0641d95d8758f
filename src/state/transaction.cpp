#include "state/transaction.h"

#include <utility>

#include <sqlite3.h>

#include "base/log.h"
#include "state/sqlite_error.h"

namespace berth::state {

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), done_(std::exchange(other.done_, true)) {}

Transaction::~Transaction() {
  if (!done_) rollback();
}

Status Transaction::commit() {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, "sqlite: transaction already ended");
  int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    Error err = sqlite_error(db_, rc, "commit");
    rollback();
    return err;
  }
  done_ = true;
  return {};
}

void Transaction::rollback() {
  if (done_) return;
  done_ = true;
  // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); then there is no
  // transaction left to end.
  if (sqlite3_get_autocommit(db_) != 0) return;
  int rc = sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) log::error("sqlite: rollback: {}", sqlite3_errmsg(db_));
}

}  // namespace berth::state
