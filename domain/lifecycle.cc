#include "domain/lifecycle.h"

#include <algorithm>
#include <chrono>

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
  // The latest suspension or lifting that certainly took hold by d decides, unless a later one may
  // have taken hold on d.
  const Stop* last = nullptr;
  bool later_possible = false;
  for (const auto& s : lc.stops) {
    if (LastDay(s.at) <= d.start_day()) {
      last = &s;
    } else if (s.at.start_day() < d.end_day()) {
      later_possible = true;
    }
  }
  if (later_possible) return {Verdict::kUnknown, ""};
  if (last) {
    // After a suspension's end nothing is known unless an event says what followed.
    if (last->until && last->until->start_day() < d.end_day()) return {Verdict::kUnknown, ""};
    return {Verdict::kKnown, last->status};
  }
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
    if (a.at() != b.at()) return a.at() < b.at();
    return a.event_key < b.event_key;
  });
  std::string name = control_key.empty() ? std::string("the control") : std::string(control_key);
  auto problem = [&](const LifecycleEvent& e, const std::string& what) {
    lc.problems.push_back({e.event_key, e.event_key + " " + what});
  };
  std::optional<InForcePeriod> open;
  // Out of force by a suspension or lifting: the stop, while no later opening has ended it.
  std::optional<Stop> out;
  for (size_t i = 0; i < events.size(); ++i) {
    const LifecycleEvent& e = events[i];
    Date at = e.at();
    std::string when = e.effective ? "on " + at.ToString() + " (decided " + e.date.ToString() + ")"
                                   : "(" + at.ToString() + ")";
    if (out && out->until && out->until->start_day() <= at.start_day())
      out.reset();  // the suspension has ended
    if (e.until && e.effect != "suspends") {
      problem(e, "gives an end date (until) for the effect " + e.effect +
                     "; only a suspension (suspends) has one");
      continue;
    }
    if (e.until && e.until->start_day() <= at.start_day()) {
      problem(e, "suspends " + name + " " + when + " until " + e.until->ToString() +
                     ", which is not after the suspension takes hold");
      continue;
    }
    if (OpensPeriod(e.effect)) {
      // An entry into force decided before a suspension or lifting that overtook it never happens.
      if (e.effect == "imposes" && !open && out && e.date.start_day() <= out->at.start_day()) {
        lc.held_back.push_back({e.event_key, at, out->event_key});
        continue;
      }
      if (open) {
        problem(e, e.effect + " " + name + " " + when + ", which is in force already since " +
                       open->from.ToString() + " (opened by " + open->opened_by + ")");
        continue;
      }
      if (announced && at.end_day() <= announced->start_day()) {
        problem(e, e.effect + " " + name + " " + when + ", before it was announced (" +
                       announced->ToString() + "); an entry into force cannot precede the announcement");
        continue;
      }
      open = InForcePeriod{at, std::nullopt, e.event_key, "", "", std::nullopt};
      out.reset();
    } else if (ClosesPeriod(e.effect)) {
      Stop stop{at, e.effect == "lifts" ? "lifted" : "suspended", e.until, e.event_key};
      if (open) {
        if (Before(open->from, at) == false || at.start_day() < open->from.start_day()) {
          problem(e, "closes " + name + " " + when + " before it was opened (" + open->from.ToString() + ")");
          continue;
        }
        if (at == open->from && at.precision() == DatePrecision::kDay) {
          problem(e, "closes " + name + " on the day it was opened (" + at.ToString() +
                         "), leaving an empty period");
          continue;
        }
        open->to = at;
        open->closed_by = e.event_key;
        open->closing_effect = e.effect;
        open->suspended_until = e.until;
        lc.periods.push_back(std::move(*open));
        open.reset();
      } else {
        // Not in force: a suspension may extend one (a later end date) or be lifted; a measure that is
        // announced, or whose entry into force was decided by then, may be suspended or withdrawn
        // before it enters into force.
        bool suspended = out && out->status == "suspended";
        bool decided = announced && announced->start_day() <= at.start_day();
        for (size_t j = i + 1; j < events.size() && !decided; ++j) {
          decided = events[j].effect == "imposes" && events[j].date.start_day() <= at.start_day();
        }
        if (!suspended && (out || !decided)) {
          problem(e, e.effect + " " + name + " " + when + ", which is not in force then" +
                         (out ? " (it was lifted by " + out->event_key + ")"
                              : " and has no entry into force announced"));
          continue;
        }
      }
      lc.stops.push_back(stop);
      out = std::move(stop);
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
  // In force and out of force, in order of their start.
  std::vector<Segment> changes;
  for (const auto& p : lc.periods) changes.push_back({"in_force", p.from, p.to});
  for (const auto& s : lc.stops) changes.push_back({s.status, s.at, s.until});
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Segment& a, const Segment& b) { return a.from < b.from; });
  // Each stretch out of force lasts until the next change (or its own end).
  for (size_t i = 0; i + 1 < changes.size(); ++i) {
    Segment& s = changes[i];
    if (s.status == "in_force") continue;
    const Date& next = changes[i + 1].from;
    if (!s.to || next.start_day() < s.to->start_day()) s.to = next;
  }
  std::optional<Date> first = changes.empty() ? std::nullopt : std::optional<Date>(changes[0].from);
  std::optional<Date> proposal;
  for (const auto& e : lc.events) {
    if (e.effect == "proposes" && (!proposal || e.date < *proposal)) proposal = e.date;
  }
  std::optional<Date> announced = lc.announced;
  if (announced && first && announced->start_day() >= first->start_day()) announced.reset();
  if (proposal && first && proposal->start_day() >= first->start_day()) proposal.reset();
  if (proposal && announced && proposal->start_day() >= announced->start_day()) proposal.reset();
  std::vector<Segment> out;
  if (proposal) out.push_back({"proposed", *proposal, announced ? announced : first});
  if (announced) out.push_back({"announced", *announced, first});
  for (auto& c : changes) {
    // A suspension extended by another is one stretch.
    if (!out.empty() && out.back().status == c.status && c.status != "in_force" && out.back().to == c.from) {
      out.back().to = c.to;
      continue;
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<Lifecycle> ReadLifecycle(ReadView& view, NodeId control) {
  const NameResolver& names = view.names();
  std::vector<LifecycleEvent> events;
  std::optional<Date> announced;
  auto date_key = names.FindPropKey("date");
  auto effect_key = names.FindPropKey("effect");
  auto effective_key = names.FindPropKey("effective");
  auto until_key = names.FindPropKey("until");
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
      LifecycleEvent e{date->as_date(), effect->as_string(), event.key, std::nullopt, std::nullopt};
      if (effective_key) {
        if (const Value* v = FindProperty(rel.props, *effective_key); v && v->is_date())
          e.effective = v->as_date();
      }
      if (until_key) {
        if (const Value* v = FindProperty(rel.props, *until_key); v && v->is_date()) e.until = v->as_date();
      }
      events.push_back(std::move(e));
    }
    RETURN_IF_ERROR(cur->status());
  }
  return ComputeLifecycle(std::move(events), announced, self.key);
}

std::optional<std::string> PackageStatus(const std::vector<std::optional<std::string>>& measure_statuses) {
  if (measure_statuses.empty()) return std::nullopt;
  bool all_same = true, some_in_force = false;
  for (const auto& s : measure_statuses) {
    if (!s) return std::nullopt;
    all_same = all_same && *s == *measure_statuses[0];
    some_in_force = some_in_force || *s == "in_force";
  }
  if (all_same) return measure_statuses[0];
  return std::string(some_in_force ? "partly_in_force" : "mixed");
}

Date Today() {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
  return Date::Containing(static_cast<int32_t>(days), DatePrecision::kDay);
}

}  // namespace lodestone::domain
