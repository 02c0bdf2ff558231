// Status and Result: how every fallible call at a Lodestone module boundary reports failure.
//
// No exception crosses a module boundary. A function that can fail returns Status (no value) or
// Result<T> (a value or a Status). An OK Status is one word of storage and costs nothing to copy.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lodestone {

class Status {
 public:
  // DO NOT renumber: codes are part of the CLI's and the web API's documented error kinds.
  enum class Code : unsigned char {
    kOk = 0,
    kInvalidArgument = 1,     // the caller's input is wrong (a bad key, a wrong-typed value, bad syntax)
    kNotFound = 2,            // a named thing does not exist
    kAlreadyExists = 3,       // a unique thing exists already
    kConstraint = 4,          // the change would break a rule of the graph (e.g. delete a node with edges)
    kCorruption = 5,          // stored bytes do not decode
    kIOError = 6,             // the file system or RocksDB failed
    kUnsupported = 7,         // a format version or feature this build does not know
    kBusy = 8,                // another writer holds the database
    kTimeout = 9,             // a query ran past its time limit
    kResourceExhausted = 10,  // a row, memory or size limit was reached
    kInternal = 11,           // a bug in Lodestone
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status AlreadyExists(std::string msg) { return Status(Code::kAlreadyExists, std::move(msg)); }
  static Status Constraint(std::string msg) { return Status(Code::kConstraint, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }
  static Status Busy(std::string msg) { return Status(Code::kBusy, std::move(msg)); }
  static Status Timeout(std::string msg) { return Status(Code::kTimeout, std::move(msg)); }
  static Status ResourceExhausted(std::string msg) {
    return Status(Code::kResourceExhausted, std::move(msg));
  }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  // The message as written for a person; empty for OK.
  const std::string& message() const;
  // "invalid argument: <message>", or "OK".
  std::string ToString() const;
  static std::string_view CodeName(Code code);

  // Returns a copy whose message is "<context>: <message>" (OK stays OK).
  Status WithContext(std::string_view context) const;

 private:
  struct State {
    Code code;
    std::string message;
  };
  Status(Code code, std::string msg) : state_(std::make_shared<const State>(State{code, std::move(msg)})) {}
  std::shared_ptr<const State> state_;  // null means OK
};

// A value or an error. Accessing value() of an error is a bug (asserted in debug builds).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like absl::StatusOr
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace lodestone

// Propagation helpers, in the style of absl's RETURN_IF_ERROR / ASSIGN_OR_RETURN.
#define LODESTONE_CONCAT_INNER(a, b) a##b
#define LODESTONE_CONCAT(a, b) LODESTONE_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)         \
  do {                                \
    ::lodestone::Status _st = (expr); \
    if (!_st.ok()) return _st;        \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(LODESTONE_CONCAT(_res_, __LINE__), lhs, expr)
