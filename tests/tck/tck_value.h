// Values as the compatibility suite writes them in result tables and parameter tables, and the same
// form for the values a query returned, so the two can be compared.
//
// Notation (ParseTckValue):
//   null  true  false
//   integers     42  -7                        (64-bit; out of range is an error)
//   floats       1.0  -0.5  .5  1e10  1.5E-3  NaN  Inf  -Inf  Infinity  -Infinity
//   strings      'it\'s'  "x"                  (escapes \\ \' \" \n \t \r \b \f \/ \uXXXX)
//   lists        [1, 'a', [2]]
//   maps         {k: 1, `odd key`: 2, 'quoted': 3}
//   nodes        ()  (:A:B)  ({k: 1})  (:A {k: 1})
//   relationships [:T]  [:T {k: 1}]
//   paths        <(:A)>  <(:A)-[:T]->(:B)<-[:U]-(:C)>
//
// Identity. Nodes are compared by labels (a set) and properties, relationships by type and
// properties, paths by their sequence of nodes and relationships with each relationship's direction;
// never by internal id. Integers and floats are distinct (1 is not 1.0); NaN equals NaN; -0.0 equals
// 0.0. Temporal values a query returns are compared as strings, in the form the suite writes them
// ('1984-10-11'), which is how the suite's tables represent temporal values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/status.h"
#include "store/value.h"

namespace lodestone {
struct QueryResult;
}

namespace lodestone::tck {

struct TckValue {
  enum class Kind { kNull, kBool, kInt, kFloat, kString, kList, kMap, kNode, kRel, kPath };

  Kind kind = Kind::kNull;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;                // kString: the text; kRel: the type
  std::vector<TckValue> items;  // kList: the elements; kPath: node, rel, node, rel, ..., node
  std::vector<std::pair<std::string, TckValue>> entries;  // kMap, kNode, kRel: sorted by key, unique
  std::vector<std::string> labels;                        // kNode: sorted, unique
  std::vector<bool> forward;  // kPath: per relationship, true when it points along the path

  // Declared here and defaulted in tck_value.cc: a TckValue holds vectors of pairs holding a
  // TckValue, and clang (unlike GCC) instantiates those pairs while the type is still incomplete
  // when the special members are implicit.
  TckValue();
  TckValue(const TckValue&);
  TckValue(TckValue&&) noexcept;
  TckValue& operator=(const TckValue&);
  TckValue& operator=(TckValue&&) noexcept;
  ~TckValue();

  static TckValue Null();
  static TckValue Bool(bool v);
  static TckValue Int(int64_t v);
  static TckValue Float(double v);
  static TckValue String(std::string v);
  static TckValue List(std::vector<TckValue> items);
  // Entries are sorted; a repeated key is a bug of the caller (the parser refuses it).
  static TckValue Map(std::vector<std::pair<std::string, TckValue>> entries);
  static TckValue Node(std::vector<std::string> labels, std::vector<std::pair<std::string, TckValue>> props);
  static TckValue Rel(std::string type, std::vector<std::pair<std::string, TckValue>> props);
  // nodes.size() == rels.size() + 1 == forward.size() + 1.
  static TckValue Path(std::vector<TckValue> nodes, std::vector<TckValue> rels, std::vector<bool> forward);
};

inline TckValue TckValue::Null() { return {}; }

// Parses one value in the suite's notation; the whole text must be one value.
Result<TckValue> ParseTckValue(std::string_view text);

// Writes the value in the notation above, with labels and map keys sorted. The form is canonical:
// two values are equal (in the sense above) exactly when their forms are equal. With
// `sort_lists`, the elements of every list (at any depth) are sorted by their forms, so lists that
// differ only in element order get the same form.
std::string FormatTckValue(const TckValue& v, bool sort_lists = false);

bool TckEqual(const TckValue& a, const TckValue& b, bool ignore_list_order = false);

// A value a query returned, in this form. Nodes and relationships are described by the result's
// `nodes` and `relationships` maps; one missing from them is an error.
Result<TckValue> FromEngineValue(const Value& v, const QueryResult& result);

// A parameter value for the engine. Nodes, relationships and paths cannot be parameters.
Result<Value> ToEngineValue(const TckValue& v);

}  // namespace lodestone::tck
