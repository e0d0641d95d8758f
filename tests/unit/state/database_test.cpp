#include "state/database.h"

#include <sys/wait.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "state_test_util.h"

namespace berth::state {
namespace {

using test::TempDir;

std::unique_ptr<Database> open_db(const std::string& path) {
  auto db = Database::open(path);
  EXPECT_TRUE(db.ok()) << db.error().to_string();
  return db.ok() ? db.take() : nullptr;
}

int64_t count(Database& db, const std::string& table) {
  auto s = db.session();
  auto st = s.prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_TRUE(st->step().value());
  return st->column_int64(0);
}

std::string pragma(Database& db, const std::string& name) {
  auto s = db.session();
  auto st = s.prepare("PRAGMA " + name);
  EXPECT_TRUE(st.ok());
  EXPECT_TRUE(st->step().value());
  return st->column_text(0);
}

TEST(DatabaseTest, OpensWithPragmas) {
  TempDir dir;
  auto db = open_db(dir / "state.db");
  ASSERT_TRUE(db);
  EXPECT_EQ(pragma(*db, "journal_mode"), "wal");
  EXPECT_EQ(pragma(*db, "synchronous"), "2");  // FULL
  EXPECT_EQ(pragma(*db, "foreign_keys"), "1");
  EXPECT_EQ(pragma(*db, "busy_timeout"), "5000");
  EXPECT_TRUE(path_exists(dir / "state.db"));
}

TEST(DatabaseTest, MustExistAndNotADatabase) {
  TempDir dir;
  DatabaseOptions opts;
  opts.must_exist = true;
  auto missing = Database::open(dir / "missing.db", opts);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);

  ASSERT_TRUE(write_file(dir / "junk.db", std::string(4096, 'x')).ok());
  auto junk = Database::open(dir / "junk.db");
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.error().code(), ErrorCode::kDataLoss) << junk.error().to_string();
}

TEST(DatabaseTest, TypedBindAndColumns) {
  auto db = open_db(":memory:");
  auto s = db->session();
  ASSERT_TRUE(s.exec("CREATE TABLE t(i INTEGER, r REAL, x TEXT, b BLOB, n TEXT)").ok());
  std::optional<std::string> none;
  std::string blob("a\0b", 3);
  auto st = s.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(
      st->bind_all(int64_t{-42}, 2.5, std::string("text"), std::string_view("v"), none).ok());
  ASSERT_TRUE(st->bind_blob(4, blob).ok());
  ASSERT_TRUE(st->run().ok());
  EXPECT_EQ(s.changes(), 1);

  auto q = s.prepare("SELECT i, r, x, b, n FROM t");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->step().value());
  EXPECT_EQ(q->column_int64(0), -42);
  EXPECT_DOUBLE_EQ(q->column_double(1), 2.5);
  EXPECT_EQ(q->column_text(2), "text");
  EXPECT_EQ(q->column_text(3), blob);
  EXPECT_TRUE(q->column_is_null(4));
  EXPECT_EQ(q->column_optional_text(4), std::nullopt);
  EXPECT_EQ(q->column_optional_int64(0), -42);
  EXPECT_FALSE(q->step().value());
}

TEST(DatabaseTest, UnsignedTooLargeIsRefused) {
  auto db = open_db(":memory:");
  auto s = db->session();
  auto st = s.prepare("SELECT ?");
  ASSERT_TRUE(st.ok());
  auto r = st->bind(1, uint64_t{1} << 63);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(st->bind(1, uint64_t{7}).ok());
}

TEST(DatabaseTest, ErrorsBecomeResults) {
  auto db = open_db(":memory:");
  auto s = db->session();
  auto bad = s.prepare("SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("syntax error"), std::string::npos) << bad.error().message();
  auto two = s.prepare("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(s.prepare("SELECT 1;  ").ok());

  ASSERT_TRUE(s.exec("CREATE TABLE p(id TEXT PRIMARY KEY);"
                     "CREATE TABLE c(pid TEXT NOT NULL REFERENCES p(id))")
                  .ok());
  ASSERT_TRUE(s.execute("INSERT INTO p VALUES (?)", "a").ok());
  auto dup = s.execute("INSERT INTO p VALUES (?)", "a");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  auto fk = s.execute("INSERT INTO c VALUES (?)", "nope");
  ASSERT_FALSE(fk.ok());
  EXPECT_EQ(fk.error().code(), ErrorCode::kFailedPrecondition) << fk.error().to_string();
  EXPECT_NE(fk.error().message().find("FOREIGN KEY"), std::string::npos);
}

TEST(DatabaseTest, TransactionCommitsAndRollsBack) {
  auto db = open_db(":memory:");
  {
    auto s = db->session();
    ASSERT_TRUE(s.exec("CREATE TABLE t(v INTEGER)").ok());
    {
      auto tx = s.begin();
      ASSERT_TRUE(tx.ok());
      EXPECT_TRUE(s.in_transaction());
      ASSERT_TRUE(s.execute("INSERT INTO t VALUES (1)").ok());
      ASSERT_TRUE(tx->commit().ok());
    }
    {
      auto tx = s.begin();
      ASSERT_TRUE(s.execute("INSERT INTO t VALUES (2)").ok());
      // Destroyed without commit: rolled back.
    }
    EXPECT_FALSE(s.in_transaction());
    {
      auto tx = s.begin();
      ASSERT_TRUE(s.execute("INSERT INTO t VALUES (3)").ok());
      tx->rollback();
      EXPECT_FALSE(tx->commit().ok());
    }
  }
  EXPECT_EQ(count(*db, "t"), 1);
}

// A crash before commit: the child process writes inside a transaction and dies; the parent
// reopens the file and sees only what was committed.
TEST(DatabaseTest, CrashBeforeCommitLeavesNothing) {
  TempDir dir;
  std::string path = dir / "crash.db";
  {
    auto db = open_db(path);
    auto s = db->session();
    ASSERT_TRUE(s.exec("CREATE TABLE t(v INTEGER); INSERT INTO t VALUES (1)").ok());
  }
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto db = Database::open(path);
    if (!db.ok()) ::_exit(2);
    auto s = (*db)->session();
    auto tx = s.begin();
    if (!tx.ok() || !s.execute("INSERT INTO t VALUES (2)").ok()) ::_exit(3);
    if (!s.execute("INSERT INTO t VALUES (3)").ok()) ::_exit(4);
    ::_exit(0);  // no commit, no destructors: as if killed
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto db = open_db(path);
  EXPECT_EQ(count(*db, "t"), 1);
}

TEST(DatabaseTest, SessionsSerialiseThreads) {
  auto db = open_db(":memory:");
  ASSERT_TRUE(db->session().exec("CREATE TABLE t(v INTEGER)").ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&db, t] {
      for (int i = 0; i < 50; ++i) {
        auto s = db->session();
        auto tx = s.begin();
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE(s.execute("INSERT INTO t VALUES (?)", t * 1000 + i).ok());
        ASSERT_TRUE(tx->commit().ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(count(*db, "t"), 200);
}

TEST(DatabaseTest, SecondConnectionWaitsForWriter) {
  TempDir dir;
  std::string path = dir / "two.db";
  auto a = open_db(path);
  ASSERT_TRUE(a->session().exec("CREATE TABLE t(v INTEGER)").ok());
  DatabaseOptions quick;
  quick.busy_timeout_ms = 50;
  auto b = Database::open(path, quick);
  ASSERT_TRUE(b.ok());
  auto sa = a->session();
  auto tx = sa.begin();
  ASSERT_TRUE(tx.ok());
  auto sb = (*b)->session();
  auto blocked = sb.begin();
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code(), ErrorCode::kUnavailable);
  // Readers are not blocked by the writer (WAL).
  auto st = sb.prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->step().value());
}

}  // namespace
}  // namespace berth::state
