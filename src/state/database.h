// The SQLite database: one connection, opened with Berth's pragmas (see README.md for why),
// shared by every thread through a mutex.
//
//   auto db = TRY(Database::open(root + "/berth.db"));
//   TRY(migrate(*db, "image", kImageMigrations));
//   auto session = db->session();            // locks the connection
//   auto tx = TRY(session.begin());          // BEGIN IMMEDIATE
//   TRY(session.execute("INSERT INTO tags(name, image_id) VALUES (?, ?)", name, id));
//   TRY(tx.commit());                         // or rolled back when tx goes out of scope
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/result.h"
#include "state/statement.h"
#include "state/transaction.h"

struct sqlite3;

namespace berth::state {

struct DatabaseOptions {
  // How long a statement waits for another process's write lock before failing (kUnavailable).
  int busy_timeout_ms = 5000;
  // Open an existing database only (kNotFound when absent).
  bool must_exist = false;
  bool read_only = false;
};

class Session;

class Database {
 public:
  // Opens (creating) the database at `path` (":memory:" for a private in-memory one), and sets
  // WAL, synchronous=FULL, foreign_keys=ON and the busy timeout.
  static Result<std::unique_ptr<Database>> open(const std::string& path,
                                                const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const { return path_; }

  // Locks the connection for the calling thread until the Session is destroyed. Not
  // re-entrant: a thread holding a Session must not ask for another.
  Session session();

 private:
  Database(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  friend class Session;

  std::string path_;
  sqlite3* db_;
  std::mutex mutex_;
};

// Exclusive use of the connection. Statements and transactions made from it must not outlive it.
class Session {
 public:
  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) = delete;

  // Runs one or more statements that take no parameters (DDL, PRAGMA, scripts).
  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  // Prepares, binds `args` in order and runs to completion.
  template <typename... Args>
  Status execute(std::string_view sql, const Args&... args) {
    auto st = TRY(prepare(sql));
    TRY(st.bind_all(args...));
    return st.run();
  }
  // BEGIN IMMEDIATE: takes the write lock now, so the transaction cannot fail half way with
  // SQLITE_BUSY when it first writes.
  Result<Transaction> begin();

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t changes() const;
  int64_t last_insert_rowid() const;
  bool in_transaction() const;

 private:
  friend class Database;
  explicit Session(Database& db) : db_(&db), lock_(db.mutex_) {}

  Database* db_;
  std::unique_lock<std::mutex> lock_;
};

}  // namespace berth::state
