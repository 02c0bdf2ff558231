// What the web API needs from the domain layer: the JSON views of docs/api.md and the importer. The
// server only parses parameters, calls these and writes the result; web/server/domain_views.cc adapts
// domain/views.h and domain/import.h to it, and tests may supply their own.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "query/database.h"
#include "store/graph_store.h"

namespace lodestone::web {

using Params = std::multimap<std::string, std::string>;

class Views {
 public:
  virtual ~Views() = default;
  // GET /api/timeline with its (decoded) query parameters.
  virtual Result<nlohmann::json> Timeline(ReadView& view, const Params& params) = 0;
  // GET /api/entity/{key}; NotFound when no entity has the key. `today`: the day `status` is for.
  virtual Result<nlohmann::json> Entity(GraphStore& store, ReadView& view, std::string_view key,
                                        Date today) = 0;
  // GET /api/search: `labels` empty means any label; `limit` is already checked (1..1000).
  virtual Result<nlohmann::json> Search(ReadView& view, std::string_view q,
                                        const std::vector<std::string>& labels, size_t limit) = 0;
  // GET /api/schema.
  virtual Result<nlohmann::json> Schema(ReadView& view) = 0;

  // POST /api/import: a JSON Lines body, validated as `lodestone import` does. `status` is 200 when
  // the import was written, else an error status; `body` is the response (an {"error": ...} on error).
  struct ImportOutcome {
    int status = 200;
    nlohmann::json body;
  };
  virtual ImportOutcome Import(Database& db, std::string_view jsonl, const std::string& origin) = 0;

  // GET /api/diff with its (decoded) query parameters: what changed between two record times or two
  // valid-time dates (domain/diff.h). InvalidArgument for a bad parameter.
  virtual Result<nlohmann::json> Diff(GraphStore&, const Params&) {
    return Status::Unsupported("these views have no diff");
  }
  // GET /feed.atom: the changes of the last commits, newest first, as {"entries": [{record_time,
  // since (just before it), origin, title, text}]}. `params` holds limit (checked: 1..100), label and
  // key_prefix.
  virtual Result<nlohmann::json> Feed(GraphStore&, const Params&) {
    return Status::Unsupported("these views have no feed");
  }
};

// The views of the domain layer (web/server/domain_views.cc).
std::unique_ptr<Views> DomainViews();

}  // namespace lodestone::web
