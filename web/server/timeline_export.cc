#include "web/server/timeline_export.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <tuple>

namespace lodestone::web {

using nlohmann::json;

namespace {

std::string Str(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The date an item starts and ends on ("YYYY-MM-DD", compared as text); an open end sorts last.
std::tuple<std::string, std::string, std::string> OrderKey(const json& item) {
  if (item["item"] == "event")
    return {Str(item["date"], "start"), Str(item["date"], "end"), Str(item, "key")};
  const json& segs = item["segments"];
  if (segs.empty()) return {"", "~", Str(item, "key")};
  const json& last = segs.back()["to"];
  return {Str(segs.front()["from"], "start"), last.is_object() ? Str(last, "end") : "~", Str(item, "key")};
}

void Tag(json& item, const char* kind) {
  json tagged{{"item", kind}};
  tagged.update(item);
  item = std::move(tagged);
}

std::string Csv(std::string text, bool guard) {
  if (guard && !text.empty() &&
      (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' ||
       text[0] == '\r')) {
    text.insert(0, "'");
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Join(const json& list, const std::function<std::string(const json&)>& one) {
  std::string out;
  for (const json& x : list) {
    std::string s = one(x);
    if (s.empty()) continue;
    if (!out.empty()) out += "; ";
    out += s;
  }
  return out;
}

std::string ActorText(const json& a) {
  std::string s = Str(a, "name");
  std::string role = Str(a, "role");
  if (!role.empty()) s += " (" + role + ")";
  return s;
}

std::string SegmentText(const json& s) {
  const json& to = s["to"];
  return Str(s, "status") + " " + Str(s["from"], "value") + " to " +
         (to.is_object() ? Str(to, "value") : "open");
}

}  // namespace

Result<json> AllTimelineItems(Views& views, ReadView& view, const Params& params) {
  Params p = params;
  p.emplace("limit", "1000");
  json items = json::array();
  for (;;) {
    auto page = views.Timeline(view, p);
    if (!page.ok()) return page.status();
    for (json& e : (*page)["events"]) {
      Tag(e, "event");
      items.push_back(std::move(e));
    }
    for (json& x : (*page)["periods"]) {
      Tag(x, "period");
      items.push_back(std::move(x));
    }
    const json& next = (*page)["next"];
    if (!next.is_string()) break;
    p.erase("cursor");
    p.emplace("cursor", next.get<std::string>());
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const json& a, const json& b) { return OrderKey(a) < OrderKey(b); });
  return items;
}

std::string TimelineCsv(const json& items) {
  std::string out;
  for (const char* c : kTimelineCsvColumns) out += std::string(out.empty() ? "" : ",") + c;
  out += "\r\n";
  for (const json& it : items) {
    bool event = it["item"] == "event";
    const json& segs = event ? json::array() : it["segments"];
    json date = event ? it["date"] : (segs.empty() ? json() : segs.front()["from"]);
    const json& last_to = segs.empty() ? json() : segs.back()["to"];
    std::string end = event ? Str(it["date"], "end") : (last_to.is_object() ? Str(last_to, "end") : "");
    std::string fields[] = {
        Csv(Str(it, "key"), false),
        Str(it, "item"),
        Csv(event ? "Event" : Str(it, "label"), false),
        Csv(Str(it, event ? "title" : "name"), true),
        Csv(Str(it, "kind"), true),
        date.is_object() ? Str(date, "value") : "",
        date.is_object() ? Str(date, "precision") : "",
        date.is_object() ? Str(date, "start") : "",
        end,
        Csv(Join(segs, SegmentText), true),
        Csv(Join(it.value("actors", json::array()), ActorText), true),
        Csv(Join(it.value("sources", json::array()), [](const json& s) { return Str(s, "key"); }), false),
        Csv(Str(it, "summary"), true),
    };
    for (size_t i = 0; i < std::size(fields); ++i) out += (i ? "," : "") + fields[i];
    out += "\r\n";
  }
  return out;
}

std::string TimelineJsonLines(const json& items) {
  std::string out;
  for (const json& it : items) out += it.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  return out;
}

json DiffTimelineItems(const json& then_items, const json& now_items) {
  std::map<std::string, const json*> before;
  for (const json& it : then_items) before.emplace(Str(it, "key"), &it);
  auto ref = [](const json& it) {
    bool event = it["item"] == "event";
    return json{{"key", it["key"]},
                {"item", it["item"]},
                {"label", event ? json("Event") : it["label"]},
                {"title", event ? it["title"] : it["name"]}};
  };
  json added = json::array(), changed = json::array(), removed = json::array();
  for (const json& it : now_items) {
    auto found = before.find(Str(it, "key"));
    if (found == before.end()) {
      added.push_back(ref(it));
      continue;
    }
    const json& old = *found->second;
    before.erase(found);
    if (old == it) continue;
    json fields = json::array();
    for (auto f = it.begin(); f != it.end(); ++f) {
      if (!old.contains(f.key()) || old[f.key()] != f.value()) fields.push_back(f.key());
    }
    for (auto f = old.begin(); f != old.end(); ++f) {
      if (!it.contains(f.key())) fields.push_back(f.key());
    }
    json r = ref(it);
    r["fields"] = std::move(fields);
    changed.push_back(std::move(r));
  }
  // What is left was there then and is not now, in the earlier order.
  for (const json& it : then_items) {
    if (before.count(Str(it, "key"))) removed.push_back(it);
  }
  return json{{"added", std::move(added)}, {"changed", std::move(changed)}, {"removed", std::move(removed)}};
}

}  // namespace lodestone::web
