// The importer, part 1: reading inputs (JSON Lines, CSV with a mapping, query scripts) into records.
#include "domain/import_run.h"

namespace lodestone::domain::import_internal {

void Run::ReadInputs() {
  for (size_t f = 0; f < inputs_.size(); ++f) {
    switch (inputs_[f].kind) {
      case InputKind::kJsonLines:
        ReadJsonLines(static_cast<int>(f));
        break;
      case InputKind::kCsv:
        ReadCsv(static_cast<int>(f));
        break;
      case InputKind::kScript:
        ReadScript(static_cast<int>(f));
        break;
    }
  }
}

void Run::ReadJsonLines(int file) {
  std::string_view text = inputs_[static_cast<size_t>(file)].text;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::string& name = inputs_[static_cast<size_t>(file)].name;
  // Records are independent until references are resolved: parse and check them in parallel, in
  // chunks of whole lines. Each line has a slot in records_, so that records land in file order
  // where they stay; slots of lines without a record (blank lines, schema records) are closed up
  // afterwards.
  struct Chunk {
    size_t begin = 0, end = 0;  // bytes of text
    int first_line = 1;
    size_t lines = 0;  // lines in the chunk: the slots it has
    size_t first_slot = 0;
    size_t records = 0;  // slots it filled
    std::vector<Problem> problems;
  };
  size_t threads = 1;
  if (text.size() > (size_t{4} << 20))
    threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::vector<Chunk> chunks(threads);
  size_t pos = 0;
  int line = 1;
  size_t slot = records_.size();
  for (size_t c = 0; c < threads; ++c) {
    size_t end = c + 1 == threads ? text.size() : std::max(pos, text.size() * (c + 1) / threads);
    if (end < text.size()) {
      size_t nl = text.find('\n', end);
      end = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    Chunk& chunk = chunks[c];
    chunk.begin = pos;
    chunk.end = end;
    chunk.first_line = line;
    size_t newlines = CountNewlines(text.substr(pos, end - pos));
    chunk.lines = newlines + (end > pos && text[end - 1] != '\n' ? 1 : 0);
    chunk.first_slot = slot;
    slot += chunk.lines;
    line += static_cast<int>(newlines);
    pos = end;
  }
  records_.resize(slot);
  auto work = [&](Chunk& chunk, bool report_progress) {
    RecordReader reader(schema_);
    size_t p = chunk.begin;
    int ln = chunk.first_line - 1;
    std::vector<Problem> problems;
    while (p < chunk.end) {
      size_t nl = text.find('\n', p);
      if (nl == std::string_view::npos || nl >= chunk.end) nl = chunk.end;
      ++ln;
      std::string_view l = text.substr(p, nl - p);
      p = nl + 1;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines are allowed
      if (report_progress && (ln & 1023) == 0) Progress("checking", p - chunk.begin, chunk.end - chunk.begin);
      Record& r = records_[chunk.first_slot + chunk.records];
      r.file = file;
      r.line = ln;
      problems.clear();
      bool ok = reader.Read(l, &r, &problems);
      for (auto& q : problems) chunk.problems.push_back({name, ln, std::move(q.field), std::move(q.message)});
      r.bad = !ok;
      if (r.kind == RecordKind::kSchema) {  // applied before the main pass
        r = Record();
        continue;
      }
      ++chunk.records;
    }
  };
  std::vector<std::thread> helpers;
  for (size_t c = 1; c < threads; ++c) helpers.emplace_back(work, std::ref(chunks[c]), false);
  work(chunks[0], true);
  for (auto& t : helpers) t.join();
  size_t filled = chunks[0].first_slot;
  for (auto& c : chunks) {
    if (filled != c.first_slot) {
      std::move(records_.begin() + static_cast<ptrdiff_t>(c.first_slot),
                records_.begin() + static_cast<ptrdiff_t>(c.first_slot + c.records),
                records_.begin() + static_cast<ptrdiff_t>(filled));
    }
    filled += c.records;
    report_.records += c.records;
    for (auto& q : c.problems) report_.problems.push_back(std::move(q));
  }
  records_.resize(filled);
}

void Run::ReadCsv(int file) {
  const ImportInput& in = inputs_[static_cast<size_t>(file)];
  CsvMapping mapping = CsvMapping::Events();
  if (in.mapping) {
    std::string error;
    if (!CsvMapping::Parse(*in.mapping, &mapping, &error)) {
      report_.problems.push_back({in.mapping_name, 0, "", error});
      fatal_ = true;
      return;
    }
  }
  std::vector<CsvRow> rows;
  Problem p;
  if (!ParseCsv(in.text, mapping.delimiter(), &rows, &p)) {
    FileProblem(file, p.line, "", p.message);
    return;
  }
  if (rows.empty()) {
    FileProblem(file, 0, "", "the file is empty; a CSV file starts with a header row");
    return;
  }
  std::vector<Problem> problems;
  if (!mapping.BindHeader(rows[0].cells, schema_, &problems)) {
    for (auto& q : problems) FileProblem(file, q.line, q.field, q.message);
    return;
  }
  RecordReader reader(schema_);
  std::vector<std::pair<size_t, json>> built;
  // A mapping with several records per row repeats what rows share (the announcement of several
  // measures): a record identical to one an earlier row gave is the same record, read once.
  std::unordered_set<std::string> seen;
  for (size_t i = 1; i < rows.size(); ++i) {
    int line = rows[i].line;
    problems.clear();
    built.clear();
    if (!mapping.RowToRecords(rows[i], schema_, &built, &problems)) {
      // The row as a whole is bad: one rejected record stands for it.
      ++report_.records;
      Record r;
      r.file = file;
      r.line = line;
      r.bad = true;
      for (auto& q : problems) AddProblem(file, line, q.field, q.message);
      records_.push_back(std::move(r));
      continue;
    }
    for (auto& [part, j] : built) {
      if (mapping.multi() &&
          !seen.insert(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)).second)
        continue;
      ++report_.records;
      Record r;
      r.file = file;
      r.line = line;
      problems.clear();
      FieldNamer namer = [&mapping, part = part](const std::string& field) {
        return mapping.ColumnOf(part, field);
      };
      bool ok = reader.Read(j, &r, &problems, namer);
      for (auto& q : problems) AddProblem(file, line, q.field, q.message);
      r.bad = !ok;
      if (ok && r.kind == RecordKind::kSchema) {
        Reject(r, "", "schema records belong in JSON Lines files or --schema");
      }
      records_.push_back(std::move(r));
    }
  }
}

void Run::ReadScript(int file) {
  auto result =
      std::make_unique<query::ScriptResult>(query::ParseScript(inputs_[static_cast<size_t>(file)].text));
  if (!result->ok()) {
    const auto& e = *result->error;
    FileProblem(file, static_cast<int>(e.location.line), "",
                "syntax error at column " + std::to_string(e.location.column) + ": " + e.message);
    return;
  }
  scripts_.emplace_back(file, std::move(result));
}

}  // namespace lodestone::domain::import_internal
