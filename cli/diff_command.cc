// lodestone diff: what changed between two record times, or between two valid-time dates
// (domain/diff.h, docs/diff.md).
#include <iostream>

#include "cli/commands.h"
#include "domain/diff.h"

namespace lodestone::cli {

void AddDiffCommand(CLI::App& app, GlobalOptions& g) {
  struct Args {
    std::vector<std::string> known;
    std::vector<std::string> valid;
    size_t last = 0;
    bool json = false;
    std::vector<std::string> labels;
    std::string key_prefix;
    size_t limit = 1000;
  };
  static Args a;
  auto* cmd =
      app.add_subcommand("diff", "Show what changed between two record times or two valid-time dates");
  cmd->footer(
      "\nTwo kinds of time, two questions:\n"
      "  --known FROM [TO]  what Lodestone recorded after FROM and up to TO (default: now): the nodes and\n"
      "                     relationships added, changed (each property's old and new value) or removed,\n"
      "                     with the import or user each change came from. FROM and TO are record times:\n"
      "                     2026-11-28T10:00:00Z, 2026-11-28T10:00:00.5+01:00, or a date, 2026-11-28, for\n"
      "                     the end of that day (UTC), as KNOWN AT reads it.\n"
      "                     `lodestone history KEY` and GET /api/commits show the record times of commits.\n"
      "  --last N           the same for the last N commits (--last 1: what the last import changed)\n"
      "  --valid FROM TO    what changed in the world between two dates (2025-10-01, 2025-10, 2025-Q4, ...;\n"
      "                     the first day of each is compared): measures whose status differs or that "
      "entered\n"
      "                     into force, were suspended or lifted in between, packages whose status differs,\n"
      "                     agreements and projects that began or ended. Imprecise dates that only may\n"
      "                     fall in between are marked \"possibly\".\n"
      "\nExamples:\n"
      "  lodestone diff --last 1\n"
      "  lodestone diff --known 2026-11-28T10:00:00Z --label Control\n"
      "  lodestone diff --valid 2025-10-01 2025-12-01\n"
      "  lodestone diff --valid 2025-10-01 2025-12-01 --json\n");
  auto* known = cmd->add_option("--known", a.known, "Record times FROM [TO]: what was recorded in between")
                    ->expected(1, 2);
  auto* last = cmd->add_option("--last", a.last, "What the last N commits recorded");
  auto* valid =
      cmd->add_option("--valid", a.valid, "Dates FROM TO: what changed in the world in between")->expected(2);
  known->excludes(last)->excludes(valid);
  last->excludes(valid);
  cmd->add_flag("--json", a.json, "Print JSON (the shape of GET /api/diff) instead of text");
  cmd->add_option("--label", a.labels,
                  "Only nodes with this label or relationships of this type (repeatable; with --valid: "
                  "Control, Announcement, Agreement or Project)");
  cmd->add_option("--key-prefix", a.key_prefix,
                  "Only nodes whose key starts with this (relationships: either end's), e.g. control/cn-");
  cmd->add_option("--limit", a.limit, "List at most this many changes (default 1000; the counts cover all)")
      ->check(CLI::Range(size_t{1}, domain::kMaxDiffLimit));
  cmd->callback([&g] {
    if (a.known.empty() && a.valid.empty() && a.last == 0) {
      std::cerr << "lodestone diff: say which time to compare: --known FROM [TO] (record time), --last N "
                   "(commits) or --valid FROM TO (valid time); `lodestone diff --help` explains them\n";
      throw CLI::RuntimeError(2);
    }
    domain::DiffFilter filter;
    filter.labels = a.labels;
    filter.key_prefix = a.key_prefix;
    filter.limit = a.limit;
    auto fail = [](const Status& s, int code) {
      std::cerr << "lodestone diff: " << s.message() << "\n";
      throw CLI::RuntimeError(code);
    };
    // Arguments first, so that a typo is reported before the database is opened.
    std::optional<Date> valid_from, valid_to;
    uint64_t from = 0, to = UINT64_MAX;
    if (!a.valid.empty()) {
      auto f = Date::Parse(a.valid[0]);
      if (!f.ok()) fail(Status::InvalidArgument("--valid FROM: " + f.status().message()), 2);
      auto t = Date::Parse(a.valid[1]);
      if (!t.ok()) fail(Status::InvalidArgument("--valid TO: " + t.status().message()), 2);
      valid_from = *f;
      valid_to = *t;
    } else if (!a.known.empty()) {
      auto f = domain::ParseRecordTime(a.known[0], "FROM");
      if (!f.ok()) fail(f.status(), 2);
      from = *f;
      if (a.known.size() > 1) {
        auto t = domain::ParseRecordTime(a.known[1], "TO");
        if (!t.ok()) fail(t.status(), 2);
        to = *t;
        if (to < from) {
          fail(Status::InvalidArgument("TO (" + a.known[1] + ") is before FROM (" + a.known[0] +
                                       "); give the earlier record time first"),
               2);
        }
      }
    }
    auto db = OpenDatabase(g, false, false, Use::kOnce, Beside::kRead);
    if (!db) throw CLI::RuntimeError(1);
    GraphStore& store = db->store();
    if (valid_from) {
      auto view = store.Read();
      auto d = domain::DiffValid(*view, *valid_from, *valid_to, filter);
      if (!d.ok()) fail(d.status(), d.status().code() == Status::Code::kInvalidArgument ? 2 : 1);
      std::cout << (a.json ? domain::ValidDiffJson(*d).dump(2) + "\n" : domain::ValidDiffText(*d));
      return;
    }
    if (a.last > 0) {
      auto commits = store.Commits(a.last + 1);
      if (!commits.ok()) fail(commits.status(), 1);
      from = commits->size() > a.last ? commits->back().record_time : 0;
    }
    auto d = domain::DiffRecorded(store, from, to, filter);
    if (!d.ok()) fail(d.status(), 1);
    std::cout << (a.json ? domain::RecordedDiffJson(*d).dump(2) + "\n" : domain::RecordedDiffText(*d));
  });
}

}  // namespace lodestone::cli
