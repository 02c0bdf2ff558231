// GET /api/entity's sections for announcements and measures, causal links, claims, observations and
// disputed values (docs/api.md), through the real domain views on a small graph imported here: an
// announcement holding two measures that take effect on different days, one of them suspended before
// its entry into force.
#include <gtest/gtest.h>

#include "domain/functions.h"
#include "domain/import.h"
#include "domain/views.h"
#include "tests/support/scratch_database.h"
#include "web/server/api.h"

namespace lodestone::web {
namespace {

using nlohmann::json;

// One record per line; the two measures are announced on 15 Jan 2025: the licensing takes effect that
// day, the ban was to take effect on 1 Mar 2025 and was suspended on 20 Feb 2025 until 20 Feb 2026.
constexpr const char* kGraph = R"JSONL(
{"node": "source/gazette", "labels": ["Source"], "props": {"title": "Testland Gazette No. 1 of 2025", "publisher": "Testland Ministry of Trade", "published": "2025-01-15", "url": "https://example.org/gazette-1", "source_kind": "official"}}
{"node": "source/wire", "labels": ["Source"], "props": {"title": "Wire report on Testland's measures", "publisher": "A wire service", "authors": ["R. Porter"], "published": "2025-01-16", "source_kind": "news"}}
{"node": "source/think-tank", "labels": ["Source"], "props": {"title": "What Testland wants", "authors": ["A. Analyst", "B. Scholar"], "publisher": "A think tank", "published": "2025-02-01", "source_kind": "article"}}
{"node": "actor/testland", "labels": ["Actor"], "props": {"name": "Testland", "actor_kind": "country"}, "sources": ["source/gazette"]}
{"node": "actor/testland-mot", "labels": ["Actor"], "props": {"name": "Testland Ministry of Trade", "actor_kind": "government_body"}, "sources": ["source/gazette"]}
{"node": "actor/partnerland", "labels": ["Actor"], "props": {"name": "Partnerland", "actor_kind": "country"}, "sources": ["source/gazette"]}
{"node": "actor/allyland", "labels": ["Actor"], "props": {"name": "Allyland", "actor_kind": "country"}, "sources": ["source/gazette"]}
{"node": "actor/farland", "labels": ["Actor"], "props": {"name": "Farland", "actor_kind": "country"}, "sources": ["source/gazette"]}
{"node": "material/graphite", "labels": ["Material"], "props": {"name": "Graphite", "material_kind": "element"}, "sources": ["source/gazette"]}
{"node": "material/dysprosium", "labels": ["Material"], "props": {"name": "Dysprosium", "material_kind": "element"}, "sources": ["source/gazette"]}
{"node": "product/spherical-graphite", "labels": ["Product"], "props": {"name": "Spherical graphite", "form": "powder"}, "sources": ["source/gazette"]}
{"node": "hs/250410", "labels": ["HsCode"], "props": {"code": "250410", "description": "Natural graphite in powder or in flakes", "level": "subheading"}, "sources": ["source/gazette"]}
{"node": "hs/380190", "labels": ["HsCode"], "props": {"code": "380190", "description": "Preparations based on graphite or other carbon", "level": "subheading"}, "sources": ["source/gazette"]}
{"node": "hs/284690", "labels": ["HsCode"], "props": {"code": "284690", "description": "Compounds of rare-earth metals, other", "level": "subheading"}, "sources": ["source/gazette"]}
{"node": "announcement/tl-2025-1", "labels": ["Announcement"], "props": {"title": "Export measures on graphite and heavy rare earths", "instrument_id": "Testland MOT Announcement No. 1 of 2025", "instrument_kind": "announcement", "announced": "2025-01-15", "published": "2025-01-16", "official": true, "url": "https://example.org/gazette-1"}, "sources": ["source/gazette"]}
{"node": "control/a-licensing", "labels": ["Control"], "props": {"name": "Export licensing of graphite", "control_kind": "export_licensing", "intervention_type": "export_licensing_requirement", "mast_code": "P33", "evaluation": "red", "evaluated": "2025-02", "announced": "2025-01-15"}, "sources": ["source/gazette"]}
{"node": "control/b-ban", "labels": ["Control"], "props": {"name": "Export ban on heavy rare-earth compounds", "control_kind": "export_ban", "intervention_type": "export_ban", "mast_code": "P31", "evaluation": "red", "announced": "2025-01-15"}, "sources": ["source/gazette"]}
{"rel": "ANNOUNCED_IN", "from": "control/a-licensing", "to": "announcement/tl-2025-1", "sources": ["source/gazette"]}
{"rel": "ANNOUNCED_IN", "from": "control/b-ban", "to": "announcement/tl-2025-1", "sources": ["source/gazette"]}
{"rel": "ISSUED", "from": "actor/testland-mot", "to": "announcement/tl-2025-1", "props": {"role": "issuing_authority"}, "sources": ["source/gazette"]}
{"rel": "IMPOSED", "from": "actor/testland", "to": "control/a-licensing", "props": {"role": "state"}, "sources": ["source/gazette"]}
{"rel": "IMPOSED", "from": "actor/testland", "to": "control/b-ban", "props": {"role": "state"}, "sources": ["source/gazette"]}
{"rel": "TARGETS", "from": "control/a-licensing", "to": "actor/partnerland", "props": {"basis": "inferred", "confidence": 0.7}, "sources": ["source/gazette"]}
{"rel": "TARGETS", "from": "control/a-licensing", "to": "actor/allyland", "props": {"basis": "exempted", "licence": "General Licence 1"}, "sources": ["source/gazette"]}
{"rel": "TARGETS", "from": "control/b-ban", "to": "actor/farland", "sources": ["source/gazette"]}
{"rel": "COVERS", "from": "control/a-licensing", "to": "product/spherical-graphite", "sources": ["source/gazette"]}
{"rel": "COVERS", "from": "control/a-licensing", "to": "hs/250410", "sources": ["source/gazette"]}
{"rel": "COVERS", "from": "control/b-ban", "to": "material/dysprosium", "sources": ["source/gazette"]}
{"rel": "COVERS", "from": "control/b-ban", "to": "hs/284690", "sources": ["source/gazette"]}
{"rel": "FORM_OF", "from": "product/spherical-graphite", "to": "material/graphite", "sources": ["source/gazette"]}
{"rel": "CLASSIFIED_AS", "from": "product/spherical-graphite", "to": "hs/380190", "sources": ["source/gazette"]}
{"rel": "CLASSIFIED_AS", "from": "product/spherical-graphite", "to": "hs/250410", "sources": ["source/gazette"]}
{"event": "event/2024-12-10-partnerland-controls", "date": "2024-12-10", "title": "Partnerland restricts equipment exports to Testland", "event_kind": "announcement", "involves": ["actor/partnerland"], "sources": ["source/wire"]}
{"event": "event/2025-01-15-announced", "date": "2025-01-15", "title": "Testland announces export measures", "event_kind": "announcement", "involves": ["actor/testland"], "affects": [{"control": "control/a-licensing", "effect": "imposes"}, {"control": "control/b-ban", "effect": "imposes", "effective": "2025-03-01"}], "concerns": ["announcement/tl-2025-1"], "sources": ["source/gazette"]}
{"event": "event/2025-02-20-ban-suspended", "date": "2025-02-20", "title": "Testland suspends the ban before it takes effect", "event_kind": "suspension", "involves": ["actor/testland"], "affects": [{"control": "control/b-ban", "effect": "suspends", "until": "2026-02-20"}], "sources": ["source/gazette"]}
{"rel": "CAUSAL_LINK", "from": "control/b-ban", "to": "event/2024-12-10-partnerland-controls", "props": {"kind": "retaliates_against", "confidence": 0.7, "note": "as the wire report reads it"}, "sources": ["source/wire"]}
{"rel": "CAUSAL_LINK", "from": "announcement/tl-2025-1", "to": "event/2024-12-10-partnerland-controls", "props": {"kind": "responds_to"}, "sources": ["source/wire"]}
{"node": "claim/leverage", "labels": ["Claim"], "props": {"text": "The ban is leverage for talks rather than a lasting measure.", "authors": ["A. Analyst", "B. Scholar"], "claim_kind": "assessment", "stance": "negative", "stated": "2025-02-01", "confidence": 0.6}, "sources": ["source/think-tank"]}
{"rel": "ABOUT", "from": "claim/leverage", "to": "announcement/tl-2025-1", "sources": ["source/think-tank"]}
{"rel": "ABOUT", "from": "claim/leverage", "to": "control/b-ban", "sources": ["source/think-tank"]}
{"node": "variant/announced-gazette", "labels": ["Variant"], "props": {"property": "announced", "value": "2025-01-15", "preferred": true, "confidence": 0.95}, "sources": ["source/gazette"]}
{"node": "variant/announced-wire", "labels": ["Variant"], "props": {"property": "announced", "value": "2025-01-16", "confidence": 0.5, "note": "dated by publication"}, "sources": ["source/wire"]}
{"rel": "VARIANT_OF", "from": "variant/announced-gazette", "to": "announcement/tl-2025-1", "sources": ["source/gazette"]}
{"rel": "VARIANT_OF", "from": "variant/announced-wire", "to": "announcement/tl-2025-1", "sources": ["source/wire"]}
{"node": "observation/x-2025-02", "labels": ["Observation"], "props": {"metric": "export_volume", "value": 2100, "unit": "tonnes", "period": "2025-02", "series": "tl-graphite-exports", "flow": "export"}, "sources": ["source/wire"]}
{"node": "observation/x-2025-01", "labels": ["Observation"], "props": {"metric": "export_volume", "value": 3900.5, "unit": "tonnes", "period": "2025-01", "series": "tl-graphite-exports", "flow": "export"}, "sources": ["source/gazette"]}
{"node": "observation/p-2025-q1", "labels": ["Observation"], "props": {"metric": "export_unit_value", "value": 742, "unit": "usd_per_tonne", "period": "2025-Q1", "series": "tl-graphite-price", "flow": "price", "confidence": 0.8}, "sources": ["source/wire"]}
{"rel": "OBSERVES", "from": "observation/x-2025-02", "to": "actor/testland", "props": {"role": "reporter"}, "sources": ["source/wire"]}
{"rel": "OBSERVES", "from": "observation/x-2025-02", "to": "actor/partnerland", "props": {"role": "partner"}, "sources": ["source/wire"]}
{"rel": "OBSERVES", "from": "observation/x-2025-02", "to": "product/spherical-graphite", "props": {"role": "product"}, "sources": ["source/wire"]}
{"rel": "OBSERVES", "from": "observation/x-2025-01", "to": "actor/testland", "props": {"role": "reporter"}, "sources": ["source/gazette"]}
{"rel": "OBSERVES", "from": "observation/x-2025-01", "to": "actor/partnerland", "props": {"role": "partner"}, "sources": ["source/gazette"]}
{"rel": "OBSERVES", "from": "observation/x-2025-01", "to": "product/spherical-graphite", "props": {"role": "product"}, "sources": ["source/gazette"]}
{"rel": "OBSERVES", "from": "observation/p-2025-q1", "to": "product/spherical-graphite", "props": {"role": "product"}, "sources": ["source/wire"]}
)JSONL";

class EntitySectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = scratch_.Open();
    ASSERT_TRUE(s.ok()) << s.ToString();
    db_ = &scratch_.get();
    ASSERT_TRUE(domain::RegisterDomainFunctions(db_->functions()).ok());
    domain::ImportInput in;
    in.name = "sections.jsonl";
    in.text = kGraph;
    in.kind = domain::InputKind::kJsonLines;
    domain::ImportReport r = domain::Import(*db_, {in}, domain::ImportOptions{});
    ASSERT_FALSE(r.failed) << r.Summary();
    views_ = DomainViews();
    assets_ = DirectoryAssets(scratch_.dir().Sub("none"));
  }
  // The entity as the API answers it, with its statuses given for `today`.
  json Entity(const std::string& key, const std::string& today = "2025-06-01") {
    ApiOptions ao;
    Date d = *Date::Parse(today);
    ao.today = [d] { return d; };
    Api api(*db_, *views_, *assets_, ao);
    Request req{http::verb::get, "/api/entity/" + key, 11};
    Response r = api.Handle(req);
    EXPECT_EQ(r.result_int(), 200u) << key << ": " << r.body();
    return json::parse(r.body());
  }
  static json Day(const std::string& d) {
    auto date = *Date::Parse(d);
    return domain::DateJson(date);
  }
  static std::vector<std::string> Statuses(const json& segments) {
    std::vector<std::string> out;
    for (const json& s : segments)
      out.push_back(s["status"].get<std::string>() + " " + s["from"]["value"].get<std::string>() + ".." +
                    (s["to"].is_null() ? std::string("open") : s["to"]["value"].get<std::string>()));
    return out;
  }

  lodestone::testing::ScratchDatabase scratch_;
  Database* db_ = nullptr;
  std::unique_ptr<Views> views_;
  std::unique_ptr<AssetSource> assets_;
};

TEST_F(EntitySectionsTest, AnAnnouncementHoldsItsMeasuresEachWithItsOwnLifecycle) {
  json e = Entity("announcement/tl-2025-1");
  const json& a = e["announcement"];
  ASSERT_TRUE(a.is_object()) << e.dump(2);
  EXPECT_EQ(a["key"], "announcement/tl-2025-1");
  EXPECT_EQ(a["title"], "Export measures on graphite and heavy rare earths");
  EXPECT_EQ(a["instrument_id"], "Testland MOT Announcement No. 1 of 2025");
  EXPECT_EQ(a["instrument_kind"], "announcement");
  EXPECT_EQ(a["announced"], Day("2025-01-15"));
  EXPECT_EQ(a["published"], Day("2025-01-16"));
  EXPECT_EQ(a["official"], true);
  EXPECT_EQ(a["url"], "https://example.org/gazette-1");
  EXPECT_EQ(
      a["issuers"],
      json::parse(
          R"([{"key": "actor/testland-mot", "name": "Testland Ministry of Trade", "role": "issuing_authority"}])"));
  EXPECT_EQ(
      a["package_status"],
      json::parse(
          R"({"on": "2025-06-01", "status": "partly_in_force", "measures": {"in_force": 1, "suspended": 1}})"));
  EXPECT_TRUE(e["measure"].is_null());
  EXPECT_TRUE(e["status"].is_null());  // the package status lives in the announcement section

  const json& ms = e["measures"];
  ASSERT_EQ(ms.size(), 2u);
  // Both start on 15 Jan 2025 (one in force, one announced): then by key.
  EXPECT_EQ(ms[0]["key"], "control/a-licensing");
  EXPECT_EQ(ms[1]["key"], "control/b-ban");
  // The licensing is in force from the day of issue; the ban, suspended before its entry into force, never
  // was.
  EXPECT_EQ(Statuses(ms[0]["segments"]), (std::vector<std::string>{"in_force 2025-01-15..open"}));
  EXPECT_EQ(Statuses(ms[1]["segments"]), (std::vector<std::string>{"announced 2025-01-15..2025-02-20",
                                                                   "suspended 2025-02-20..2026-02-20"}));
  EXPECT_EQ(ms[0]["status"], json::parse(R"({"on": "2025-06-01", "status": "in_force"})"));
  EXPECT_EQ(ms[1]["status"], json::parse(R"({"on": "2025-06-01", "status": "suspended"})"));
  EXPECT_EQ(ms[0]["intervention_type"], "export_licensing_requirement");
  EXPECT_EQ(ms[0]["mast_code"], "P33");
  EXPECT_EQ(ms[0]["evaluation"], "red");
  EXPECT_EQ(ms[0]["evaluated"], Day("2025-02"));
  EXPECT_TRUE(ms[1]["evaluated"].is_null());
  EXPECT_EQ(ms[1]["mast_code"], "P31");

  // Codes: covered directly, or through a product's classification (each code once, direct first).
  EXPECT_EQ(ms[0]["hs_codes"], json::parse(R"([
    {"key": "hs/250410", "code": "250410", "description": "Natural graphite in powder or in flakes", "level": "subheading", "via": null},
    {"key": "hs/380190", "code": "380190", "description": "Preparations based on graphite or other carbon", "level": "subheading",
     "via": {"key": "product/spherical-graphite", "name": "Spherical graphite"}}])"));
  EXPECT_EQ(
      ms[0]["materials"],
      json::parse(R"([{"key": "product/spherical-graphite", "name": "Spherical graphite", "label": "Product",
    "form": "powder", "form_of": [{"key": "material/graphite", "name": "Graphite"}]}])"));
  EXPECT_EQ(ms[1]["materials"],
            json::parse(R"([{"key": "material/dysprosium", "name": "Dysprosium", "label": "Material"}])"));
  EXPECT_EQ(ms[1]["hs_codes"][0]["code"], "284690");

  // Jurisdictions: implementing, then affected with their basis (absent: targeted by name).
  EXPECT_EQ(ms[0]["jurisdictions"], json::parse(R"([
    {"key": "actor/testland", "name": "Testland", "role": "implementing", "as": "state", "basis": null, "licence": null, "confidence": null, "note": null},
    {"key": "actor/allyland", "name": "Allyland", "role": "affected", "as": null, "basis": "exempted", "licence": "General Licence 1", "confidence": null, "note": null},
    {"key": "actor/partnerland", "name": "Partnerland", "role": "affected", "as": null, "basis": "inferred", "licence": null, "confidence": 0.7, "note": null}])"));
  EXPECT_EQ(ms[1]["jurisdictions"][1]["basis"], "targeted");
  EXPECT_EQ(ms[1]["jurisdictions"][1]["key"], "actor/farland");

  // Typed causes, on the measure and on the announcement.
  ASSERT_EQ(ms[1]["causal_links"].size(), 1u);
  const json& cause = ms[1]["causal_links"][0];
  EXPECT_EQ(cause["direction"], "out");
  EXPECT_EQ(cause["kind"], "retaliates_against");
  EXPECT_EQ(cause["key"], "event/2024-12-10-partnerland-controls");
  EXPECT_EQ(cause["labels"], json::array({"Event"}));
  EXPECT_EQ(cause["confidence"], 0.7);
  EXPECT_EQ(cause["note"], "as the wire report reads it");
  ASSERT_EQ(cause["sources"].size(), 1u);
  EXPECT_EQ(cause["sources"][0]["key"], "source/wire");
  EXPECT_EQ(cause["sources"][0]["authors"], json::array({"R. Porter"}));
  ASSERT_EQ(e["causal_links"].size(), 1u);
  EXPECT_EQ(e["causal_links"][0]["kind"], "responds_to");
}

TEST_F(EntitySectionsTest, ThePackageStatusFollowsItsMeasures) {
  auto package = [&](const std::string& day) {
    return Entity("announcement/tl-2025-1", day)["announcement"]["package_status"];
  };
  // 1 Feb 2025: the licensing in force, the ban announced for March.
  EXPECT_EQ(package("2025-02-01")["status"], "partly_in_force");
  EXPECT_EQ(package("2025-02-01")["measures"], json::parse(R"({"in_force": 1, "announced": 1})"));
  // Before the announcement neither measure has a status: unknown.
  EXPECT_TRUE(package("2025-01-10")["status"].is_null());
  EXPECT_EQ(package("2025-01-10")["measures"], json::parse(R"({"unknown": 2})"));
  // After the suspension's end nothing is recorded about the ban: its status, and so the package's, is
  // unknown.
  json after = package("2026-03-01");
  EXPECT_TRUE(after["status"].is_null());
  EXPECT_EQ(after["measures"], json::parse(R"({"in_force": 1, "unknown": 1})"));
}

TEST_F(EntitySectionsTest, AMeasureNamesItsAnnouncement) {
  json e = Entity("control/b-ban");
  ASSERT_TRUE(e["measure"].is_object()) << e.dump(2);
  EXPECT_EQ(e["measure"]["key"], "control/b-ban");
  EXPECT_EQ(e["measure"]["status"]["status"], "suspended");
  EXPECT_EQ(e["measure"]["segments"], e["segments"]);
  EXPECT_EQ(e["status"]["status"], "suspended");
  const json& a = e["announcement"];
  EXPECT_EQ(a["key"], "announcement/tl-2025-1");
  EXPECT_EQ(a["instrument_id"], "Testland MOT Announcement No. 1 of 2025");
  EXPECT_EQ(a["measure_count"], 2);
  EXPECT_FALSE(a.contains("package_status"));
  EXPECT_EQ(e["measures"], json::array());
  // The same causes at the top level as in the measure section.
  EXPECT_EQ(e["causal_links"], e["measure"]["causal_links"]);
  // ... and seen from the other end, the link points in.
  json ev = Entity("event/2024-12-10-partnerland-controls");
  ASSERT_EQ(ev["causal_links"].size(), 2u);
  EXPECT_EQ(ev["causal_links"][0]["direction"], "in");
  EXPECT_EQ(ev["causal_links"][0]["key"], "announcement/tl-2025-1");
  EXPECT_EQ(ev["causal_links"][0]["kind"], "responds_to");
  EXPECT_EQ(ev["causal_links"][1]["key"], "control/b-ban");
  EXPECT_EQ(ev["causal_links"][1]["kind"], "retaliates_against");
}

TEST_F(EntitySectionsTest, ClaimsAreKeptApartWithTheirAuthorsAndSource) {
  for (const char* key : {"announcement/tl-2025-1", "control/b-ban"}) {
    SCOPED_TRACE(key);
    json e = Entity(key);
    ASSERT_EQ(e["claims"].size(), 1u);
    const json& c = e["claims"][0];
    EXPECT_EQ(c["key"], "claim/leverage");
    EXPECT_EQ(c["text"], "The ban is leverage for talks rather than a lasting measure.");
    EXPECT_EQ(c["authors"], json::array({"A. Analyst", "B. Scholar"}));
    EXPECT_EQ(c["claim_kind"], "assessment");
    EXPECT_EQ(c["stance"], "negative");
    EXPECT_EQ(c["stated"], Day("2025-02-01"));
    EXPECT_EQ(c["confidence"], 0.6);
    ASSERT_EQ(c["sources"].size(), 1u);
    EXPECT_EQ(c["sources"][0]["title"], "What Testland wants");
    EXPECT_EQ(c["sources"][0]["publisher"], "A think tank");
    EXPECT_EQ(c["about"].size(), 2u);
    // Not a fact of the entity: no property of it, and named by its text among the neighbours.
    EXPECT_FALSE(e["properties"].contains("text"));
  }
  json e = Entity("announcement/tl-2025-1");
  bool named = false;
  for (const json& n : e["neighbours"]["nodes"]) {
    if (n["key"] == "claim/leverage")
      named = n["name"] == "The ban is leverage for talks rather than a lasting measure.";
  }
  EXPECT_TRUE(named);
  EXPECT_EQ(Entity("actor/allyland")["claims"], json::array());
}

TEST_F(EntitySectionsTest, ObservationsComeAsSeriesByPeriod) {
  json e = Entity("product/spherical-graphite");
  const json& obs = e["observations"];
  ASSERT_EQ(obs.size(), 2u) << obs.dump(2);
  // Series in order of their name; points by period.
  EXPECT_EQ(obs[0]["series"], "tl-graphite-exports");
  EXPECT_EQ(obs[0]["metric"], "export_volume");
  EXPECT_EQ(obs[0]["unit"], "tonnes");
  EXPECT_EQ(obs[0]["flow"], "export");
  EXPECT_EQ(obs[0]["roles"], json::array({"product"}));
  ASSERT_EQ(obs[0]["points"].size(), 2u);
  EXPECT_EQ(obs[0]["points"][0],
            json({{"key", "observation/x-2025-01"}, {"period", Day("2025-01")}, {"value", 3900.5}}));
  EXPECT_EQ(obs[0]["points"][1]["period"], Day("2025-02"));
  EXPECT_EQ(obs[0]["points"][1]["value"], 2100);
  // The other ends of the series: its reporter and partner, with their roles.
  EXPECT_EQ(obs[0]["dimensions"], json::parse(R"([
    {"key": "actor/partnerland", "name": "Partnerland", "labels": ["Actor"], "role": "partner"},
    {"key": "actor/testland", "name": "Testland", "labels": ["Actor"], "role": "reporter"}])"));
  ASSERT_EQ(obs[0]["sources"].size(), 2u);
  EXPECT_EQ(obs[0]["sources"][0]["key"], "source/gazette");
  EXPECT_EQ(obs[1]["series"], "tl-graphite-price");
  EXPECT_EQ(obs[1]["unit"], "usd_per_tonne");
  EXPECT_EQ(obs[1]["points"][0]["period"], Day("2025-Q1"));
  EXPECT_EQ(obs[1]["points"][0]["confidence"], 0.8);
  EXPECT_EQ(obs[1]["dimensions"], json::array());

  json reporter = Entity("actor/testland");
  ASSERT_EQ(reporter["observations"].size(), 1u);
  EXPECT_EQ(reporter["observations"][0]["roles"], json::array({"reporter"}));
  EXPECT_EQ(reporter["observations"][0]["points"].size(), 2u);
  EXPECT_EQ(Entity("actor/allyland")["observations"], json::array());
  // Neither has a name: an HS code is named by its code and description, an observation by what it says.
  EXPECT_EQ(Entity("hs/250410")["name"], "250410 Natural graphite in powder or in flakes");
  EXPECT_EQ(Entity("observation/x-2025-02")["name"], "export_volume 2025-02: 2100 tonnes");
}

TEST_F(EntitySectionsTest, DisputedValuesSideBySideThePreferredFirst) {
  json e = Entity("announcement/tl-2025-1");
  ASSERT_EQ(e["variants"].size(), 1u);
  const json& v = e["variants"][0];
  EXPECT_EQ(v["property"], "announced");
  EXPECT_EQ(v["current"], json({{"$date", "2025-01-15"}}));
  ASSERT_EQ(v["values"].size(), 2u);
  EXPECT_EQ(v["values"][0]["key"], "variant/announced-gazette");
  EXPECT_EQ(v["values"][0]["value"], "2025-01-15");
  EXPECT_EQ(v["values"][0]["preferred"], true);
  EXPECT_EQ(v["values"][0]["confidence"], 0.95);
  EXPECT_EQ(v["values"][0]["sources"][0]["key"], "source/gazette");
  EXPECT_EQ(v["values"][1]["value"], "2025-01-16");
  EXPECT_EQ(v["values"][1]["preferred"], false);
  EXPECT_EQ(v["values"][1]["note"], "dated by publication");
  EXPECT_EQ(v["values"][1]["sources"][0]["key"], "source/wire");
}

TEST_F(EntitySectionsTest, OtherEntitiesHaveEmptySections) {
  json e = Entity("actor/farland");
  EXPECT_TRUE(e["announcement"].is_null());
  EXPECT_TRUE(e["measure"].is_null());
  for (const char* s : {"measures", "causal_links", "claims", "observations", "variants"})
    EXPECT_EQ(e[s], json::array()) << s;
}

}  // namespace
}  // namespace lodestone::web
