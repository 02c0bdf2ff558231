// A control's lifecycle: its in-force periods and its status on any date, derived from the events
// that AFFECTS it (docs/schema.md, "Control lifecycle").
//
//   imposes, reinstates   open an in-force period at the event's date (if none is open)
//   suspends, lifts       close the open period at the event's date
//   amends, eases, tightens, and effects added by schema extensions: no change to the periods
//   proposes              the control is proposed (explored, discussed) from that date
//
// The periods are stored as the control's validity, so `VALID AT` and the timeline use them; the
// importer recomputes them whenever an import touches a control or an event that affects one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/graph_store.h"

namespace lodestone::domain {

// One event's effect on a control.
struct LifecycleEvent {
  Date date;
  std::string effect;     // "imposes", "suspends", ...
  std::string event_key;  // for messages
};

struct InForcePeriod {
  Date from;
  std::optional<Date> to;      // absent: still in force
  std::string opened_by;       // event keys
  std::string closed_by;
  std::string closing_effect;  // "suspends" or "lifts" when closed
};

// An inconsistency: opening a control that is in force, or closing one that is not.
struct LifecycleProblem {
  std::string event_key;
  std::string message;
};

struct Lifecycle {
  std::vector<LifecycleEvent> events;  // sorted by date (start, then end), then event key
  std::vector<InForcePeriod> periods;
  std::optional<Date> announced;
  std::vector<LifecycleProblem> problems;
};

// Derives the periods from the events (in any order). Inconsistent events are reported in
// `problems` and otherwise ignored, as the schema prescribes.
Lifecycle ComputeLifecycle(std::vector<LifecycleEvent> events, std::optional<Date> announced,
                           std::string_view control_key = "");

// The periods as a validity (what is stored on the control node). A control never in force gets the
// empty period [d, d) (d: its first lifecycle or announcement day), which VALID AT never matches; an
// empty validity would mean "always valid".
Validity PeriodsAsValidity(const Lifecycle& lc);

// The status on date d: "in_force", "suspended", "lifted", "announced", "proposed"; nullopt when it
// is unknown (an imprecise bound overlaps d) or when the control has no status yet on d.
std::optional<std::string> StatusAt(const Lifecycle& lc, Date d);
// True when the status on d is unknown because an imprecise date overlaps d (as opposed to none yet).
bool StatusUnknownAt(const Lifecycle& lc, Date d);

// One stretch of the lifecycle for a timeline bar: announced, in_force, suspended, lifted, proposed.
struct Segment {
  std::string status;
  Date from;
  std::optional<Date> to;  // absent: open-ended
};
std::vector<Segment> Segments(const Lifecycle& lc);

// Reads a control's lifecycle from a view: its incoming AFFECTS relationships, their `effect`, the
// events' `date`, and the control's `announced`.
Result<Lifecycle> ReadLifecycle(ReadView& view, NodeId control);

// True when the effect opens or closes an in-force period.
bool OpensPeriod(std::string_view effect);
bool ClosesPeriod(std::string_view effect);

// Today's date (UTC), for the status "as of today".
Date Today();

// Registers the domain's query functions (status(control[, date])). Call once at start-up.
void RegisterDomainFunctions();

}  // namespace lodestone::domain
