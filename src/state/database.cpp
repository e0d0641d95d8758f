#include "state/database.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include "state/sqlite_error.h"

namespace berth::state {

namespace {

Status pragma(sqlite3* db, const std::string& sql) {
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db, rc, sql);
  return {};
}

// journal_mode answers with the mode it ended up in; WAL can be refused (e.g. on a file system
// without shared memory), and then we would rather know.
Status enable_wal(sqlite3* db, const std::string& path) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db, rc, "PRAGMA journal_mode=WAL");
  Statement st(db, stmt);
  if (!TRY(st.step())) return make_error(ErrorCode::kInternal, "sqlite: journal_mode: no answer");
  std::string mode = st.column_text(0);
  // An in-memory database reports "memory": WAL does not apply there.
  if (mode != "wal" && path != ":memory:") {
    return make_error(ErrorCode::kUnavailable, "sqlite: {}: WAL refused (journal_mode={})", path,
                      mode);
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const std::string& path,
                                                 const DatabaseOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!options.must_exist && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error err = sqlite_error(raw, rc, "open " + path);
    sqlite3_close_v2(raw);
    return err;
  }
  std::unique_ptr<Database> db(new Database(path, raw));
  sqlite3_extended_result_codes(raw, 1);
  TRY(pragma(raw, fmt::format("PRAGMA busy_timeout={}", options.busy_timeout_ms)));
  if (!options.read_only) TRY(enable_wal(raw, path));
  TRY(pragma(raw, "PRAGMA synchronous=FULL"));
  TRY(pragma(raw, "PRAGMA foreign_keys=ON"));
  // Touch the schema now, so a file that is not a database fails here (SQLITE_NOTADB) rather
  // than at the first query.
  TRY(pragma(raw, "SELECT count(*) FROM sqlite_master"));
  return db;
}

Database::~Database() {
  // close_v2 defers the close if a statement is still alive (a bug elsewhere), rather than
  // leaking the connection's file descriptors in a state that cannot be cleaned up.
  sqlite3_close_v2(db_);
}

Session Database::session() {
  return Session(*this);
}

Status Session::exec(std::string_view sql) {
  std::string text(sql);
  char* msg = nullptr;
  int rc = sqlite3_exec(db_->db_, text.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    std::string detail = msg != nullptr ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    return Error(code_from_sqlite(rc), fmt::format("sqlite: exec: {}", detail));
  }
  return {};
}

Result<Statement> Session::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_->db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, &tail);
  if (rc != SQLITE_OK) return sqlite_error(db_->db_, rc, "prepare: " + std::string(sql));
  if (stmt == nullptr)
    return make_error(ErrorCode::kInvalidArgument, "sqlite: prepare: no statement");
  Statement st(db_->db_, stmt);
  // A second statement would be silently ignored by SQLite; refuse it instead.
  if (tail != nullptr) {
    std::string_view rest(tail, static_cast<size_t>(sql.data() + sql.size() - tail));
    if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument,
                        "sqlite: prepare: more than one statement in: {}", sql);
    }
  }
  return st;
}

Result<Transaction> Session::begin() {
  int rc = sqlite3_exec(db_->db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_->db_, rc, "begin");
  return Transaction(db_->db_);
}

int64_t Session::changes() const {
  return sqlite3_changes64(db_->db_);
}

int64_t Session::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_->db_);
}

bool Session::in_transaction() const {
  return sqlite3_get_autocommit(db_->db_) == 0;
}

}  // namespace berth::state
