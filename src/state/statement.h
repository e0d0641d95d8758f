// A prepared statement with typed bind and column helpers. Made by Session::prepare(); must not
// outlive the Session it came from (the connection lock protects it).
//
//   auto st = TRY(session.prepare("SELECT id, size FROM images WHERE created > ?"));
//   TRY(st.bind_all(since));
//   while (TRY(st.step())) use(st.column_text(0), st.column_int64(1));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace berth::state {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1, as in SQL ("?1", or the n-th "?").
  Status bind(int index, std::nullptr_t);
  Status bind(int index, int64_t value);
  Status bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Status bind(int index, uint64_t value);  // kInvalidArgument above INT64_MAX
  Status bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Status bind(int index, double value);
  Status bind(int index, std::string_view text);
  Status bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Status bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  template <typename T>
  Status bind(int index, const std::optional<T>& value) {
    if (!value) return bind(index, nullptr);
    return bind(index, *value);
  }
  Status bind_blob(int index, std::string_view bytes);

  // Binds every argument in order, from parameter 1.
  template <typename... Args>
  Status bind_all(const Args&... args) {
    int index = 0;
    Status status;
    ((status.ok() ? (void)(status = bind(++index, args)) : (void)0), ...);
    return status;
  }

  // Advances: true when a row is ready, false when the statement is done.
  Result<bool> step();
  // Steps until done, ignoring any rows (INSERT, UPDATE, DELETE, DDL).
  Status run();
  // Makes the statement ready to run again; bindings are cleared too.
  Status reset();

  int column_count() const;
  bool column_is_null(int index) const;
  int64_t column_int64(int index) const;
  double column_double(int index) const;
  // Text or blob content as bytes; empty for NULL.
  std::string column_text(int index) const;
  std::optional<std::string> column_optional_text(int index) const;
  std::optional<int64_t> column_optional_int64(int index) const;

 private:
  Status check_bind(int rc, int index);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace berth::state
