// The web API's views (web/server/views.h) from the domain layer: domain/views.h for the JSON of
// docs/api.md, domain/import.h for POST /api/import (the same validation as `lodestone import`).
#include <algorithm>

#include "domain/diff.h"
#include "domain/import.h"
#include "domain/views.h"
#include "web/server/views.h"

namespace lodestone::web {

namespace {

using nlohmann::json;

class Domain final : public Views {
 public:
  Result<json> Timeline(ReadView& view, const Params& params) override {
    auto q = domain::ParseTimelineQuery(params);
    if (!q.ok()) return q.status();
    return domain::Timeline(view, *q);
  }

  Result<json> Entity(GraphStore& store, ReadView& view, std::string_view key, Date today) override {
    auto r = domain::Entity(store, view, key, today);
    if (!r.ok()) return r;
    // An event's date as a date object at the top level too (docs/api.md), beside its property.
    json& e = *r;
    const json& labels = e["labels"];
    if (!e.contains("date") && std::find(labels.begin(), labels.end(), "Event") != labels.end()) {
      const json& d = e["properties"].value("date", json());
      if (d.is_object() && d.contains("$date") && d["$date"].is_string()) {
        auto date = Date::Parse(d["$date"].get<std::string>());
        if (date.ok()) e["date"] = domain::DateJson(*date);
      }
    }
    return r;
  }

  Result<json> Search(ReadView& view, std::string_view q, const std::vector<std::string>& labels,
                      size_t limit) override {
    if (labels.empty()) return domain::Search(view, q, limit);
    // The domain ranks over every label; keep the best `limit` of the wanted ones.
    auto all = domain::Search(view, q, 1000);
    if (!all.ok()) return all;
    json kept = json::array();
    for (const json& r : (*all)["results"]) {
      if (kept.size() >= limit) break;
      const json& ls = r["labels"];
      if (std::any_of(ls.begin(), ls.end(), [&](const json& l) {
            return std::find(labels.begin(), labels.end(), l.get<std::string>()) != labels.end();
          })) {
        kept.push_back(r);
      }
    }
    (*all)["results"] = std::move(kept);
    return all;
  }

  Result<json> Schema(ReadView& view) override { return domain::SchemaSummary(view); }

  Result<json> Diff(GraphStore& store, const Params& params) override {
    auto request = domain::ParseDiffRequest(params);
    if (!request.ok()) return request.status();
    return domain::RunDiff(store, *request);
  }

  Result<json> Feed(GraphStore& store, const Params& params) override {
    domain::DiffFilter filter;
    for (auto [it, end] = params.equal_range("label"); it != end; ++it) filter.labels.push_back(it->second);
    if (auto it = params.find("key_prefix"); it != params.end()) filter.key_prefix = it->second;
    filter.limit = 50;  // changes listed per entry; the title counts them all
    size_t count = 20;
    if (auto it = params.find("limit"); it != params.end()) count = std::stoul(it->second);
    auto diffs = domain::RecentCommitDiffs(store, count, filter);
    if (!diffs.ok()) return diffs.status();
    json entries = json::array();
    for (const domain::RecordedDiff& d : *diffs) {
      const std::string origin = d.commits.empty() ? std::string() : d.commits.front().origin;
      entries.push_back(json{{"record_time", domain::RecordTimeText(d.to)},
                             {"since", domain::RecordTimeText(d.from)},
                             {"origin", origin},
                             {"title", (origin.empty() ? std::string("a commit") : origin) + ": " +
                                           domain::RecordedDiffSummary(d)},
                             {"text", domain::RecordedDiffText(d)}});
    }
    return json{{"entries", std::move(entries)}};
  }

  ImportOutcome Import(Database& db, std::string_view jsonl, const std::string& origin) override {
    domain::ImportInput in;
    in.name = "(request body)";
    in.text = std::string(jsonl);
    in.kind = domain::InputKind::kJsonLines;
    domain::ImportOptions options;
    options.origin = origin;
    domain::ImportReport r = domain::Import(db, {in}, options);
    auto problems = [](const std::vector<domain::Problem>& list) {
      json out = json::array();
      for (const auto& p : list) {
        json j{{"line", p.line}, {"message", p.message}};
        j["field"] = p.field.empty() ? json(nullptr) : json(p.field);
        out.push_back(std::move(j));
      }
      return out;
    };
    if (r.failed && r.storage_failed) {
      std::string message =
          "nothing was written: the database could not be written (" +
          (r.problems.empty() ? std::string("storage failure") : r.problems.back().message) +
          "); try again once the server's disk has space and works";
      return {503, json{{"error",
                         {{"status", 503},
                          {"kind", "ServiceUnavailable"},
                          {"detail", "StorageFailed"},
                          {"message", message},
                          {"problems", problems(r.problems)}}}}};
    }
    if (r.failed) {
      int status = r.problems.empty() ? 500 : 400;
      std::string message =
          r.problems.empty() ? "the import failed; nothing was written"
                             : "nothing was written: " + std::to_string(r.problems.size()) + " problem(s)" +
                                   (r.rejected ? " in " + std::to_string(r.rejected) + " record(s)" : "") +
                                   "; first: " + r.problems.front().ToString();
      return {status, json{{"error",
                            {{"status", status},
                             {"kind", status == 400 ? "BadRequest" : "InternalError"},
                             {"detail", status == 400 ? "InvalidImport" : "ImportFailed"},
                             {"message", message},
                             {"problems", problems(r.problems)}}}}};
    }
    json body{{"created", r.created},
              {"updated", r.updated},
              {"unchanged", r.unchanged},
              {"rejected", r.rejected},
              {"records", r.records},
              {"record_time", r.record_time ? json(DateTime{static_cast<int64_t>(r.record_time)}.ToString())
                                            : json(nullptr)},
              {"warnings", problems(r.warnings)}};
    return {200, body};
  }
};

}  // namespace

std::unique_ptr<Views> DomainViews() { return std::make_unique<Domain>(); }

}  // namespace lodestone::web
