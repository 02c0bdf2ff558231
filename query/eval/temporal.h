// The query language's temporal values beyond Lodestone's dates: duration, time, localtime,
// localdatetime and datetime with offsets and named zones, as the openCypher TCK defines them.
// Construction (from text, maps and other temporal values), truncation, duration.between and its
// relatives, the field accessors (d.year, dur.minutesOfHour, ...), arithmetic with durations, and the
// order of values of one temporal type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/catalog/function_catalog.h"
#include "query/eval/value_ops.h"

namespace lodestone::query {

// date(), time(), localtime(), localdatetime(), datetime(), duration() and their namespaced relatives
// (date.truncate, datetime.fromepoch, duration.between, ...).
void AddTemporalFunctions(std::vector<FunctionInfo>* out);

// True for duration, time, localtime, localdatetime and datetime values.
bool IsNewTemporal(const Value& v);

// A field of a temporal value (`d.year`, `t.offsetMinutes`, `dur.monthsOfYear`); throws for a name
// the type does not have.
Value TemporalField(const Value& v, std::string_view name, ast::SourceLocation loc);

// a + b, a - b, a * b, a / b where a temporal value or duration takes part. Returns false (with
// *error) when the arithmetic itself fails (an overflow, a division by zero); nullopt for every
// combination it does not define (lists concatenate; the caller reports the rest).
std::optional<bool> TemporalArith(ArithOp op, const Value& a, const Value& b, Value* out, std::string* error);

// The order of two values of the same new temporal type: <0, 0, >0, or nullopt when they have no
// order (durations).
std::optional<int> TemporalCompare(const Value& a, const Value& b);
// Reads the text TemporalText gives back into a value: `type` is "datetime", "duration", "time",
// "localtime" or "localdatetime".
Result<Value> TemporalFromText(std::string_view type, const std::string& text);

// The text toString() shows for a temporal value, dates and datetimes included ("2015-07-21T21:40Z").
// Result tables and exports show durations and times in this form too, but datetimes in the form
// of DateTime::ToString ("2015-07-21T21:40:00Z").
std::string TemporalText(const Value& v);

}  // namespace lodestone::query
