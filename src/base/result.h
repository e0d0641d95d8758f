// Result<T>: a value or an Error. Returned at every module boundary instead of throwing.
//
//   Result<int> parse(std::string_view s);
//   int n = TRY(parse(s));                 // returns the error to our caller on failure
//   TRY_CTX(mount_proc(root), "mount /proc");  // same, adding context to the message
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/error.h"

namespace berth {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Error>, "Result<Error> is meaningless");

 public:
  Result(const T& value) : v_(std::in_place_index<0>, value) {}  // NOLINT(google-explicit-constructor)
  Result(T&& value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  template <typename U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result>)
  Result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T take() { return std::get<0>(std::move(v_)); }
  T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error& error() & { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  void take() {}
  void value() const {}

  const Error& error() const& { return *error_; }
  Error& error() & { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace berth

// Evaluates a Result expression; on error returns it from the enclosing function,
// otherwise yields the value. Uses a GNU statement expression (g++ and clang++).
#define TRY(expr)                                                   \
  ({                                                                \
    auto&& berth_try_result_ = (expr);                              \
    if (!berth_try_result_.ok()) return std::move(berth_try_result_).error(); \
    std::move(berth_try_result_).take();                            \
  })

// Like TRY, prefixing the error message with a context string.
#define TRY_CTX(expr, ctx)                                          \
  ({                                                                \
    auto&& berth_try_result_ = (expr);                              \
    if (!berth_try_result_.ok())                                    \
      return std::move(std::move(berth_try_result_).error().with_context(ctx)); \
    std::move(berth_try_result_).take();                            \
  })
