// Plan nodes: instantiation, EXPLAIN and PROFILE; the Start operator. The operators themselves are in
// scan.cc, expand.cc, relational.cc and write_ops.cc (see operators_internal.h).
#include <algorithm>
#include <cmath>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "query/exec/operators_internal.h"
#include "query/limits.h"

namespace lodestone::query {

// ---------------------------------------------------------------- plan nodes, explain, profile

namespace {

class ProfiledOp final : public Operator {
 public:
  ProfiledOp(std::unique_ptr<Operator> inner, ProfileCounters* counters)
      : inner_(std::move(inner)), c_(counters) {}
  void Open(ExecContext& ctx, Row& row) override {
    auto t0 = std::chrono::steady_clock::now();
    inner_->Open(ctx, row);
    c_->time += std::chrono::steady_clock::now() - t0;
  }
  bool Next(ExecContext& ctx, Row& row) override {
    auto t0 = std::chrono::steady_clock::now();
    bool more = inner_->Next(ctx, row);
    c_->time += std::chrono::steady_clock::now() - t0;
    if (more) ++c_->rows;
    return more;
  }

 private:
  std::unique_ptr<Operator> inner_;
  ProfileCounters* c_;
};

}  // namespace

std::unique_ptr<Operator> PlanNode::Instantiate(std::vector<ProfileCounters>* profile) const {
  auto op = Make(profile);
  if (profile && index >= 0 && static_cast<size_t>(index) < profile->size()) {
    return std::make_unique<ProfiledOp>(std::move(op), &(*profile)[static_cast<size_t>(index)]);
  }
  return op;
}

int PlanNode::Number(int first) {
  index = first++;
  for (auto& c : children) first = c->Number(first);
  return first;
}

std::string PlanNode::Explain(const std::vector<ProfileCounters>* profile) const {
  std::string out;
  std::function<void(const PlanNode&, int)> walk = [&](const PlanNode& n, int depth) {
    out += std::string(static_cast<size_t>(depth) * 2, ' ') + "+ " + n.Describe();
    if (profile && n.index >= 0 && static_cast<size_t>(n.index) < profile->size()) {
      const auto& c = (*profile)[static_cast<size_t>(n.index)];
      char buf[96];
      std::snprintf(buf, sizeof buf, "  [rows=%llu, time=%.3f ms]", static_cast<unsigned long long>(c.rows),
                    std::chrono::duration<double, std::milli>(c.time).count());
      out += buf;
    }
    out += "\n";
    for (const auto& c : n.children) walk(*c, depth + 1);
  };
  walk(*this, 0);
  return out;
}

namespace {

using namespace exec_internal;  // NOLINT

// ---------------------------------------------------------------- Start

class StartOp final : public Operator {
 public:
  void Open(ExecContext&, Row&) override { done_ = false; }
  bool Next(ExecContext&, Row&) override {
    if (done_) return false;
    done_ = true;
    return true;
  }

 private:
  bool done_ = false;
};

class StartNode final : public PlanNode {
 public:
  std::string Describe() const override { return "Start"; }

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>*) const override {
    return std::make_unique<StartOp>();
  }
};

}  // namespace

PlanPtr MakeStart() { return std::make_shared<StartNode>(); }

std::string DescribeArrow(Dir d, const std::vector<std::string>& names) {
  return DirArrow(d, TypeList(names));
}

}  // namespace lodestone::query
