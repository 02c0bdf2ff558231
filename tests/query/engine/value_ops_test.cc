#include "query/eval/value_ops.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace lodestone::query {
namespace {

Value D(const char* s) { return Value(Date::Parse(s).value()); }

TEST(ValueOpsTest, NullMakesComparisonsUnknown) {
  EXPECT_EQ(Equals(Value(), Value(1)), Tri::kNull);
  EXPECT_EQ(Equals(Value(), Value()), Tri::kNull);
  EXPECT_EQ(Compare(CompareOp::kLt, Value(), Value(1)), Tri::kNull);
  EXPECT_EQ(Equals(Value(ValueList{1, Value()}), Value(ValueList{1, 2})), Tri::kNull);
  EXPECT_EQ(Equals(Value(ValueList{1, Value()}), Value(ValueList{2, Value()})), Tri::kFalse);
}

TEST(ValueOpsTest, NumbersCompareAcrossIntegerAndFloat) {
  EXPECT_EQ(Equals(Value(1), Value(1.0)), Tri::kTrue);
  EXPECT_EQ(Compare(CompareOp::kLt, Value(1), Value(1.5)), Tri::kTrue);
  EXPECT_EQ(Equals(Value(std::nan("")), Value(std::nan(""))), Tri::kFalse);
  EXPECT_EQ(Compare(CompareOp::kLt, Value(std::nan("")), Value(1)), Tri::kFalse);  // NaN is unordered
  // Exact for large integers: 2^53 + 1 is not equal to the float 2^53.
  EXPECT_EQ(Equals(Value(int64_t{9007199254740993}), Value(9007199254740992.0)), Tri::kFalse);
}

TEST(ValueOpsTest, DifferentTypesAreUnequalAndIncomparable) {
  EXPECT_EQ(Equals(Value("1"), Value(1)), Tri::kFalse);
  EXPECT_EQ(Compare(CompareOp::kLt, Value("a"), Value(1)), Tri::kNull);
}

TEST(ValueOpsTest, DatesCompareAsTheIntervalsTheyDenote) {
  // Day precision behaves like ordinary dates.
  EXPECT_EQ(Compare(CompareOp::kLt, D("2025-10-01"), D("2025-10-02")), Tri::kTrue);
  EXPECT_EQ(Compare(CompareOp::kGe, D("2025-10-01"), D("2025-10-02")), Tri::kFalse);
  // A month is before the next month, certainly; before a day inside it, unknown.
  EXPECT_EQ(Compare(CompareOp::kLt, D("2025-10"), D("2025-11")), Tri::kTrue);
  EXPECT_EQ(Compare(CompareOp::kLt, D("2025-10"), D("2025-10-15")), Tri::kNull);
  EXPECT_EQ(Compare(CompareOp::kLt, D("2025-10"), D("2025-10-01")), Tri::kFalse);
  EXPECT_EQ(Compare(CompareOp::kLt, D("2025-10"), D("2025-11-01")), Tri::kTrue);
  // "Early 2026" against a day in January: unknown; against one in July: certainly before.
  EXPECT_EQ(Compare(CompareOp::kLt, D("2026-H1"), D("2026-01-10")), Tri::kNull);
  EXPECT_EQ(Compare(CompareOp::kLt, D("2026-H1"), D("2026-07-01")), Tri::kTrue);
  // The same value is equal to itself, whatever its precision.
  EXPECT_EQ(Equals(D("2025-10"), D("2025-10")), Tri::kTrue);
  EXPECT_EQ(Compare(CompareOp::kLe, D("2025-10"), D("2025-10")), Tri::kTrue);
  EXPECT_EQ(Compare(CompareOp::kLt, D("2025-10"), D("2025-10")), Tri::kFalse);
  EXPECT_EQ(Equals(D("2025-10"), D("2025-10-15")), Tri::kNull);
  EXPECT_EQ(Equals(D("2025-10"), D("2025-11-15")), Tri::kFalse);
  EXPECT_EQ(Equals(D("2025-Q4"), D("2025-10")), Tri::kNull);
}

TEST(ValueOpsTest, OrderIsTotalAcrossTypes) {
  std::vector<Value> ascending = {Value(ValueMap{{"a", 1}}),
                                  Value(NodeRef{1}),
                                  Value(ValueList{1}),
                                  D("2025"),
                                  Value("a"),
                                  Value(false),
                                  Value(true),
                                  Value(-1),
                                  Value(2.5),
                                  Value(std::numeric_limits<double>::infinity()),
                                  Value(std::nan("")),
                                  Value()};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    EXPECT_LT(OrderCompare(ascending[i], ascending[i + 1]), 0)
        << ascending[i].ToString() << " vs " << ascending[i + 1].ToString();
    EXPECT_GT(OrderCompare(ascending[i + 1], ascending[i]), 0);
  }
  EXPECT_LT(OrderCompare(D("2025-10-01"), D("2025-10")), 0);  // same start: finer first
}

TEST(ValueOpsTest, EquivalenceGroupsNullsNaNsAndEqualNumbers) {
  EXPECT_TRUE(Equivalent(Value(), Value()));
  EXPECT_TRUE(Equivalent(Value(std::nan("")), Value(std::nan(""))));
  EXPECT_TRUE(Equivalent(Value(1), Value(1.0)));
  EXPECT_EQ(HashValue(Value(1)), HashValue(Value(1.0)));
  EXPECT_FALSE(Equivalent(Value(1), Value("1")));
  EXPECT_TRUE(Equivalent(Value(ValueList{1, Value()}), Value(ValueList{1.0, Value()})));
}

TEST(ValueOpsTest, IntegerArithmeticChecksOverflowAndZero) {
  Value out;
  std::string err;
  EXPECT_FALSE(Arith(ArithOp::kAdd, Value(std::numeric_limits<int64_t>::max()), Value(1), &out, &err));
  EXPECT_NE(err.find("overflow"), std::string::npos);
  EXPECT_FALSE(Arith(ArithOp::kDiv, Value(1), Value(0), &out, &err));
  ASSERT_TRUE(Arith(ArithOp::kDiv, Value(1.0), Value(0), &out, &err));
  EXPECT_TRUE(std::isinf(out.as_float()));
  ASSERT_TRUE(Arith(ArithOp::kDiv, Value(7), Value(2), &out, &err));
  EXPECT_EQ(out.as_int(), 3);
  ASSERT_TRUE(Arith(ArithOp::kAdd, Value("a"), Value(1), &out, &err));
  EXPECT_EQ(out.as_string(), "a1");
  ASSERT_TRUE(Arith(ArithOp::kAdd, Value(ValueList{1}), Value(2), &out, &err));
  EXPECT_EQ(out.as_list().size(), 2u);
  EXPECT_FALSE(Arith(ArithOp::kSub, Value("a"), Value(1), &out, &err));
  EXPECT_NE(err.find("STRING"), std::string::npos);
}

}  // namespace
}  // namespace lodestone::query
