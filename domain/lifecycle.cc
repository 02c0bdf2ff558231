#include "domain/lifecycle.h"

#include <algorithm>
#include <chrono>

#include "query/eval/functions.h"
#include "query/eval/value_ops.h"
#include "query/exec/context.h"

namespace lodestone::domain {
namespace {

// The latest day a date may denote.
int32_t LastDay(Date d) { return d.end_day() - 1; }

// The period certainly covers all of d.
bool CertainlyCovers(const InForcePeriod& p, Date d) {
  return LastDay(p.from) <= d.start_day() && (!p.to || p.to->start_day() >= d.end_day());
}

// The period possibly touches d.
bool PossiblyTouches(const InForcePeriod& p, Date d) {
  return p.from.start_day() < d.end_day() && (!p.to || LastDay(*p.to) > d.start_day());
}

// Three-valued "a is before b" on dates with precision.
std::optional<bool> Before(Date a, Date b) {
  if (a.end_day() <= b.start_day()) return true;
  if (a.start_day() >= b.end_day()) return false;
  return std::nullopt;
}

enum class Verdict { kKnown, kUnknown, kNone };

struct StatusResult {
  Verdict verdict = Verdict::kNone;
  std::string status;
};

StatusResult Evaluate(const Lifecycle& lc, Date d) {
  for (const auto& p : lc.periods) {
    if (CertainlyCovers(p, d)) return {Verdict::kKnown, "in_force"};
  }
  for (const auto& p : lc.periods) {
    if (PossiblyTouches(p, d)) return {Verdict::kUnknown, ""};
  }
  const InForcePeriod* last_closed = nullptr;
  for (const auto& p : lc.periods) {
    if (p.to && LastDay(*p.to) <= d.start_day()) last_closed = &p;
  }
  if (last_closed) return {Verdict::kKnown, last_closed->closing_effect == "lifts" ? "lifted" : "suspended"};
  if (lc.announced) {
    if (LastDay(*lc.announced) <= d.start_day()) return {Verdict::kKnown, "announced"};
    if (lc.announced->start_day() < d.end_day()) return {Verdict::kUnknown, ""};
  }
  bool possible = false;
  for (const auto& e : lc.events) {
    if (e.effect != "proposes") continue;
    if (LastDay(e.date) <= d.start_day()) return {Verdict::kKnown, "proposed"};
    if (e.date.start_day() < d.end_day()) possible = true;
  }
  return {possible ? Verdict::kUnknown : Verdict::kNone, ""};
}

}  // namespace

bool OpensPeriod(std::string_view effect) { return effect == "imposes" || effect == "reinstates"; }
bool ClosesPeriod(std::string_view effect) { return effect == "suspends" || effect == "lifts"; }

Lifecycle ComputeLifecycle(std::vector<LifecycleEvent> events, std::optional<Date> announced,
                           std::string_view control_key) {
  Lifecycle lc;
  lc.announced = announced;
  std::stable_sort(events.begin(), events.end(), [](const LifecycleEvent& a, const LifecycleEvent& b) {
    if (a.date != b.date) return a.date < b.date;
    return a.event_key < b.event_key;
  });
  std::string name = control_key.empty() ? std::string("the control") : std::string(control_key);
  std::optional<InForcePeriod> open;
  for (const auto& e : events) {
    if (OpensPeriod(e.effect)) {
      if (open) {
        lc.problems.push_back({e.event_key, e.event_key + " " + e.effect + " " + name + " (" + e.date.ToString() +
                                                "), which is in force already since " + open->from.ToString() +
                                                " (opened by " + open->opened_by + ")"});
        continue;
      }
      open = InForcePeriod{e.date, std::nullopt, e.event_key, "", ""};
    } else if (ClosesPeriod(e.effect)) {
      if (!open) {
        lc.problems.push_back({e.event_key, e.event_key + " " + e.effect + " " + name + " (" + e.date.ToString() +
                                                "), which is not in force then"});
        continue;
      }
      if (Before(open->from, e.date) == false || e.date.start_day() < open->from.start_day()) {
        lc.problems.push_back({e.event_key, e.event_key + " closes " + name + " (" + e.date.ToString() +
                                                ") before it was opened (" + open->from.ToString() + ")"});
        continue;
      }
      if (e.date == open->from && e.date.precision() == DatePrecision::kDay) {
        lc.problems.push_back({e.event_key, e.event_key + " closes " + name + " on the day it was opened (" +
                                                e.date.ToString() + "), leaving an empty period"});
        continue;
      }
      open->to = e.date;
      open->closed_by = e.event_key;
      open->closing_effect = e.effect;
      lc.periods.push_back(std::move(*open));
      open.reset();
    }
  }
  if (open) lc.periods.push_back(std::move(*open));
  lc.events = std::move(events);
  return lc;
}

Validity PeriodsAsValidity(const Lifecycle& lc) {
  Validity v;
  for (const auto& p : lc.periods) v.push_back(Period{p.from, p.to});
  if (v.empty()) {
    // Never in force. An empty validity would mean "always valid" to the store, so a control that
    // never entered into force gets one empty period [d, d) at the day its record starts (the first
    // proposal, or the announcement, else 1970-01-01): VALID AT never matches it.
    int32_t day = 0;
    bool found = false;
    for (const auto& e : lc.events) {
      if (!found || e.date.start_day() < day) day = e.date.start_day();
      found = true;
    }
    if (lc.announced && (!found || lc.announced->start_day() < day)) day = lc.announced->start_day();
    Date d = Date::Containing(day, DatePrecision::kDay);
    v.push_back(Period{d, d});
  }
  return v;
}

std::optional<std::string> StatusAt(const Lifecycle& lc, Date d) {
  StatusResult r = Evaluate(lc, d);
  if (r.verdict != Verdict::kKnown) return std::nullopt;
  return r.status;
}

bool StatusUnknownAt(const Lifecycle& lc, Date d) { return Evaluate(lc, d).verdict == Verdict::kUnknown; }

std::vector<Segment> Segments(const Lifecycle& lc) {
  std::vector<Segment> out;
  std::optional<Date> first_open = lc.periods.empty() ? std::nullopt : std::optional<Date>(lc.periods[0].from);
  std::optional<Date> proposal;
  for (const auto& e : lc.events) {
    if (e.effect == "proposes" && (!proposal || e.date < *proposal)) proposal = e.date;
  }
  std::optional<Date> announced = lc.announced;
  if (announced && first_open && announced->start_day() >= first_open->start_day()) announced.reset();
  if (proposal && first_open && proposal->start_day() >= first_open->start_day()) proposal.reset();
  if (proposal && announced && proposal->start_day() >= announced->start_day()) proposal.reset();
  if (proposal) out.push_back({"proposed", *proposal, announced ? announced : first_open});
  if (announced) out.push_back({"announced", *announced, first_open});
  for (size_t i = 0; i < lc.periods.size(); ++i) {
    const auto& p = lc.periods[i];
    out.push_back({"in_force", p.from, p.to});
    if (p.to) {
      std::optional<Date> next = i + 1 < lc.periods.size() ? std::optional<Date>(lc.periods[i + 1].from) : std::nullopt;
      out.push_back({p.closing_effect == "lifts" ? "lifted" : "suspended", *p.to, next});
    }
  }
  return out;
}

Result<Lifecycle> ReadLifecycle(ReadView& view, NodeId control) {
  const NameResolver& names = view.names();
  std::vector<LifecycleEvent> events;
  std::optional<Date> announced;
  auto date_key = names.FindPropKey("date");
  auto effect_key = names.FindPropKey("effect");
  if (auto announced_key = names.FindPropKey("announced")) {
    ASSIGN_OR_RETURN(Value a, view.GetNodeProperty(control, *announced_key));
    if (a.is_date()) announced = a.as_date();
  }
  NodeRecord self;
  ASSIGN_OR_RETURN(bool found, view.GetNode(control, &self));
  if (!found) return Status::NotFound("node " + std::to_string(control) + " does not exist");
  auto affects = names.FindRelType("AFFECTS");
  if (affects && date_key && effect_key) {
    ScanOptions opts;
    opts.dir = Direction::kIn;
    opts.type = *affects;
    auto cur = view.ScanAdj(control, opts);
    for (; cur->Valid(); cur->Next()) {
      RelRecord rel;
      RETURN_IF_ERROR(cur->record(&rel));
      const Value* effect = FindProperty(rel.props, *effect_key);
      if (!effect || !effect->is_string()) continue;
      NodeRecord event;
      ASSIGN_OR_RETURN(bool exists, view.GetNode(cur->entry().other, &event));
      if (!exists) continue;
      const Value* date = FindProperty(event.props, *date_key);
      if (!date || !date->is_date()) continue;
      events.push_back({date->as_date(), effect->as_string(), event.key});
    }
    RETURN_IF_ERROR(cur->status());
  }
  return ComputeLifecycle(std::move(events), announced, self.key);
}

Date Today() {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
  return Date::Containing(static_cast<int32_t>(days), DatePrecision::kDay);
}

namespace {

using query::ExecContext;

Value FnStatus(ExecContext& ctx, std::vector<Value>& args, ast::SourceLocation loc) {
  if (args[0].is_null()) return Value();
  if (!args[0].is_node()) {
    query::ThrowType("status() expects a control node, not " + query::TypeName(args[0]) + " " + args[0].ToString(), loc);
  }
  Date on = Today();
  if (args.size() > 1) {
    const Value& d = args[1];
    if (d.is_null()) return Value();
    if (d.is_date()) {
      on = d.as_date();
    } else if (d.is_string()) {
      auto parsed = Date::Parse(d.as_string());
      if (!parsed.ok()) query::ThrowArgument("status(): " + parsed.status().message(), loc);
      on = *parsed;
    } else if (d.is_datetime()) {
      int64_t micros = d.as_datetime().micros;
      int64_t day = micros >= 0 ? micros / 86'400'000'000 : -((-micros + 86'399'999'999) / 86'400'000'000);
      on = Date::Containing(static_cast<int32_t>(day), DatePrecision::kDay);
    } else {
      query::ThrowType("status() expects a date as its second argument, not " + query::TypeName(d) + " " + d.ToString(), loc);
    }
  }
  NodeId id = args[0].as_node().id;
  const NodeRecord* rec = ctx.Node(id);
  if (!rec) return Value();
  auto control = ctx.view().names().FindLabel("Control");
  if (!control || !rec->HasLabel(*control)) return Value();
  auto lc = ReadLifecycle(ctx.view(), id);
  if (!lc.ok()) query::ThrowStatus(lc.status(), loc);
  auto s = StatusAt(*lc, on);
  return s ? Value(*s) : Value();
}

}  // namespace

void RegisterDomainFunctions() {
  static bool done = false;
  if (done) return;
  done = true;
  query::RegisterFunction(query::FunctionInfo{
      "status", FnStatus, 1, 2, "status(control[, date]) :: STRING",
      "a control's status on the date (today without one): in_force, suspended, lifted, announced or proposed; "
      "null when unknown (an imprecise date overlaps it) or when the control has no status yet"});
}

}  // namespace lodestone::domain
