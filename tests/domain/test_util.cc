#include "tests/domain/test_util.h"

namespace lodestone::testing {

namespace {
std::string PropsText(const PropertyList& props, const NameResolver& names) {
  std::map<std::string, std::string> sorted;
  for (const auto& [k, v] : props) sorted[names.PropKeyName(k)] = v.ToString();
  std::string s;
  for (const auto& [k, v] : sorted) s += k + "=" + v + ";";
  return s;
}
std::string ValidityText(const Validity& v) {
  std::string s;
  for (const auto& p : v)
    s += "[" + (p.from ? p.from->ToString() : "") + "," + (p.to ? p.to->ToString() : "") + ")";
  return s;
}
}  // namespace

GraphSnapshot Snapshot(GraphStore& store) {
  GraphSnapshot g;
  auto view = store.Read();
  const NameResolver& names = view->names();
  std::map<NodeId, std::string> keys;
  auto cur = view->ScanAllNodes();
  for (; cur->Valid(); cur->Next()) {
    NodeRecord r;
    EXPECT_TRUE(*view->GetNode(cur->entry().id, &r));
    keys[cur->entry().id] = r.key;
    std::set<std::string> labels;
    for (LabelId l : r.labels) labels.insert(names.LabelName(l));
    std::string ls;
    for (const auto& l : labels) ls += l + ",";
    g.nodes.insert(r.key + " :" + ls + " {" + PropsText(r.props, names) + "} " + ValidityText(r.validity));
  }
  auto rels = view->ScanAllRels();
  for (; rels->Valid(); rels->Next()) {
    RelRecord r;
    EXPECT_TRUE(rels->record(&r).ok());
    const RelRef& ref = rels->entry().rel;
    g.rels.insert(keys[ref.src] + " -[" + names.RelTypeName(ref.type) + " " + r.key + " {" +
                  PropsText(r.props, names) + "} " + ValidityText(r.validity) + "]-> " + keys[ref.dst]);
  }
  return g;
}

std::string ProblemsText(const domain::ImportReport& r) {
  std::string s;
  for (const auto& p : r.problems) s += p.ToString() + "\n";
  return s;
}

}  // namespace lodestone::testing
