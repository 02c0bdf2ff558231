#include "domain/schema.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace lodestone::domain {
namespace {

using json = nlohmann::json;

std::string ReadDoc(const std::string& rel) {
  std::ifstream f(std::string(LODESTONE_SOURCE_DIR) + "/" + rel);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(Schema, DefaultHasTheOntology) {
  const Schema& s = Schema::Default();
  for (const char* l : {"Actor", "Control", "Agreement", "Project", "Event", "Source", "Material"}) {
    EXPECT_NE(s.FindLabel(l), nullptr) << l;
  }
  EXPECT_EQ(s.FindLabelByKey("actor/china")->name, "Actor");
  EXPECT_EQ(s.FindLabelByKey("nothing/x"), nullptr);
  const RelSpec* covers = s.FindRel("COVERS");
  ASSERT_NE(covers, nullptr);
  EXPECT_TRUE(covers->AllowsFrom("Agreement"));
  EXPECT_TRUE(covers->AllowsTo("Material"));
  EXPECT_FALSE(covers->AllowsTo("Actor"));
  EXPECT_TRUE(s.FindRel("PARTNERS_WITH")->symmetric);
  EXPECT_TRUE(s.FindRel("SOURCED_FROM")->generated);
  const PropertySpec* effect = s.FindRel("AFFECTS")->FindProp("effect");
  ASSERT_NE(effect, nullptr);
  EXPECT_EQ(effect->type, PropType::kEnum);
  EXPECT_NE(std::find(effect->values.begin(), effect->values.end(), "proposes"), effect->values.end());
  EXPECT_TRUE(s.FindLabel("Control")->FindProp("status")->derived);
  EXPECT_EQ(s.FindLabel("Control")->validity, ValidityRule::kDerived);
  EXPECT_FALSE(s.FindLabel("Source")->sources);
  EXPECT_TRUE(s.FindLabel("Event")->event_form);
}

TEST(Schema, DeclaresIndexes) {
  auto idx = Schema::Default().Indexes();
  bool actor_name = false;
  for (const auto& i : idx)
    actor_name |= i.label == "Actor" && i.property == "name" && i.kind == Value::Kind::kString;
  EXPECT_TRUE(actor_name);
}

TEST(Schema, ExtensionAddsLabelsKindsPropertiesAndTypes) {
  Schema s = Schema::Default();
  auto problems = s.Extend(json::parse(R"({
    "labels": {
      "Facility": {"prefix": "facility/", "required": ["name"],
                   "properties": {"name": {"type": "string", "index": true}, "capacity_tpy": "number",
                                  "facility_kind": {"enum": ["smelter", "port"]}}},
      "Event": {"properties": {"event_kind": {"enum": ["sanction"]}, "casualties": "integer"}}
    },
    "relationships": {
      "OPERATES": {"from": ["Actor"], "to": ["Facility"], "properties": {"share": "confidence"}},
      "COVERS": {"from": ["Facility"]}
    }
  })"));
  ASSERT_TRUE(problems.empty()) << problems[0].path << ": " << problems[0].message;
  EXPECT_EQ(s.FindLabel("Facility")->prefix, "facility/");
  EXPECT_EQ(s.FindLabelByKey("facility/x")->name, "Facility");
  const auto& kinds = s.FindLabel("Event")->FindProp("event_kind")->values;
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "sanction"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "meeting"), kinds.end());
  EXPECT_TRUE(s.FindRel("COVERS")->AllowsFrom("Facility"));
  EXPECT_TRUE(s.FindRel("COVERS")->AllowsFrom("Control"));
  EXPECT_NE(s.FindRel("OPERATES"), nullptr);
  // The merged extension document holds what was added, and applying it again changes nothing.
  Schema again = Schema::Default();
  ASSERT_TRUE(again.Extend(s.extensions()).empty());
  EXPECT_EQ(again.ToJson(), s.ToJson());
}

TEST(Schema, ExtensionRefusesChanges) {
  struct Case {
    const char* doc;
    const char* path;
    const char* words;
  } cases[] = {
      {R"({"labels": {"Actor": {"prefix": "a/"}}})", "labels.Actor.prefix", "cannot change"},
      {R"({"labels": {"Actor": {"properties": {"name": "date"}}}})", "labels.Actor.properties.name",
       "cannot make it date"},
      {R"({"labels": {"Actor": {"required": ["office"]}}})", "labels.Actor.required",
       "cannot make 'office' required"},
      {R"({"labels": {"Thing": {"properties": {}}}})", "labels.Thing.prefix", "needs a key prefix"},
      {R"({"labels": {"Thing": {"prefix": "actor/"}}})", "labels.Thing.prefix", "belongs to Actor"},
      {R"({"labels": {"thing": {"prefix": "thing/"}}})", "labels.thing", "CamelCase"},
      {R"({"relationships": {"OWNS": {"from": ["Actor"], "to": ["Nowhere"]}}})", "relationships.OWNS",
       "Nowhere is not defined"},
      {R"({"relationships": {"SOURCED_FROM": {"from": ["Actor"]}}})", "relationships.SOURCED_FROM",
       "created by the importer"},
      {R"({"labels": {"Schema": {"prefix": "schemas/"}}})", "labels.Schema", "reserved"},
      {R"({"colours": {}})", "colours", "unknown section"},
      {R"({"labels": {"Actor": {"properties": {"rank": "huge"}}}})", "labels.Actor.properties.rank",
       "not a property type"},
  };
  for (const auto& c : cases) {
    Schema s = Schema::Default();
    auto problems = s.Extend(json::parse(c.doc));
    ASSERT_FALSE(problems.empty()) << c.doc;
    EXPECT_EQ(problems[0].path, c.path) << c.doc;
    EXPECT_NE(problems[0].message.find(c.words), std::string::npos) << problems[0].message;
    // Nothing changed.
    EXPECT_EQ(s.ToJson(), Schema::Default().ToJson());
  }
}

// docs/schema.md documents every kind and relationship type of the schema (the doc cannot drift).
TEST(Schema, DocumentedInSchemaMd) {
  std::string doc = ReadDoc("docs/schema.md");
  ASSERT_FALSE(doc.empty());
  const Schema& s = Schema::Default();
  for (const auto& [name, label] : s.labels()) {
    EXPECT_NE(doc.find("### " + name), std::string::npos) << name;
    for (const auto& [pname, p] : label.props) {
      EXPECT_NE(doc.find("`" + pname + "`"), std::string::npos) << name << "." << pname;
      for (const auto& v : p.values)
        EXPECT_NE(doc.find("`" + v + "`"), std::string::npos) << name << "." << pname << " = " << v;
    }
  }
  for (const auto& [name, rel] : s.relationships()) {
    EXPECT_NE(doc.find("`" + name + "`"), std::string::npos) << name;
    for (const auto& [pname, p] : rel.props) {
      for (const auto& v : p.values)
        EXPECT_NE(doc.find("`" + v + "`"), std::string::npos) << name << "." << pname << " = " << v;
    }
  }
}

}  // namespace
}  // namespace lodestone::domain
