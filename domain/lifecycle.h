// A measure's (a control's) lifecycle: its in-force periods and its status on any date, derived from
// the events that AFFECTS it (docs/schema.md, "Measure lifecycle").
//
//   imposes, reinstates   open an in-force period (if none is open)
//   suspends, lifts       close the open period
//   amends, eases, tightens, and effects added by schema extensions: no change to the periods
//   proposes              the control is proposed (explored, discussed) from that date
//
// Each effect takes hold on its `effective` date when the AFFECTS relationship gives one (an entry
// into force announced for a later day), else on the event's date. A suspension (`until`: the day it
// ends, when the instrument says) that takes hold before a scheduled entry into force suspends that
// entry: the measure never enters into force. After a suspension's `until`, with no later event, the
// status is unknown: what followed must be recorded by an event.
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
  std::string effect;                            // "imposes", "suspends", ...
  std::string event_key;                         // for messages
  std::optional<Date> effective = std::nullopt;  // when the effect takes hold, if not on `date`
  std::optional<Date> until = std::nullopt;      // suspends: the day the suspension ends

  // The day the effect takes hold.
  Date at() const { return effective ? *effective : date; }
};

struct InForcePeriod {
  Date from;
  std::optional<Date> to;  // absent: still in force
  std::string opened_by;   // event keys
  std::string closed_by;
  std::string closing_effect;           // "suspends" or "lifts" when closed
  std::optional<Date> suspended_until;  // closed by a suspension with an end date
};

// Where the measure stopped being (or was kept from being) in force: a suspension or a lifting, in
// force or before the entry into force it overtook.
struct Stop {
  Date at;
  std::string status;         // "suspended" or "lifted"
  std::optional<Date> until;  // a suspension's end, when known
  std::string event_key;
};

// An entry into force that a suspension or lifting decided earlier overtook: it never happened.
struct HeldBack {
  std::string entry_by;    // the event that scheduled the entry into force
  Date entry;              // the day it was scheduled for
  std::string stopped_by;  // the suspension or lifting that overtook it
};

// An inconsistency: opening a control that is in force, or closing one that is not.
struct LifecycleProblem {
  std::string event_key;
  std::string message;
};

struct Lifecycle {
  std::vector<LifecycleEvent> events;  // sorted by the day each takes hold (start, then end), then event key
  std::vector<InForcePeriod> periods;
  std::vector<Stop> stops;          // in order
  std::vector<HeldBack> held_back;  // entries into force that never happened
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

// The status of a package (an announcement) on d from its measures' statuses: all the same, that
// status; some in force, "partly_in_force"; otherwise "mixed". Unknown (nullopt) when a measure's
// status is unknown on d, or when it has no measures.
std::optional<std::string> PackageStatus(const std::vector<std::optional<std::string>>& measure_statuses);

}  // namespace lodestone::domain
