// The importer, part 3: resolving keys against the database (new, changed or the same).
#include "domain/import_run.h"

namespace lodestone::domain::import_internal {

Status Run::Resolve() {
  Status status;
  std::vector<Problem> problems;
  if (!opt_.skip_bad) {
    // One pass, and a rejection changes nothing for other records: check records on every core.
    // The database view serves one thread: a record that needs it waits for a last pass here.
    size_t n = records_.size();
    size_t threads = ThreadsFor(n);
    struct Share {
      std::vector<size_t> rejected;  // records with problems, in order
      std::vector<Problem> problems;
      std::vector<size_t> deferred;
    };
    std::vector<Share> shares(threads);
    OnShares(n, threads, [&](size_t t, size_t begin, size_t end) {
      Share& share = shares[t];
      Status unused;
      for (size_t i = begin; i < end; ++i) {
        if (records_[i].bad) continue;
        if (t == 0 && (i & 1023) == 0) Progress("checking references", i, end);
        size_t before = share.problems.size();
        if (!ReferenceProblems(i, false, &share.problems, &unused)) {
          share.problems.resize(before);
          share.deferred.push_back(i);
        } else if (share.problems.size() > before) {
          share.rejected.push_back(i);
        }
      }
    });
    for (Share& share : shares) {
      for (size_t i : share.rejected) records_[i].bad = true;
      for (Problem& p : share.problems) report_.problems.push_back(std::move(p));
      for (size_t i : share.deferred) {
        problems.clear();
        ReferenceProblems(i, true, &problems, &status);
        RETURN_IF_ERROR(status);
        if (!problems.empty()) records_[i].bad = true;
        for (Problem& p : problems) report_.problems.push_back(std::move(p));
      }
    }
    return Status::OK();
  }
  // With skip_bad, a record that refers to a rejected one is rejected too, until nothing changes.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < records_.size(); ++i) {
      Record& r = records_[i];
      if (r.bad) continue;
      if ((i & 1023) == 0) Progress("checking references", i, records_.size());
      problems.clear();
      ReferenceProblems(i, true, &problems, &status);
      RETURN_IF_ERROR(status);
      if (problems.empty()) continue;
      r.bad = true;
      for (Problem& p : problems) report_.problems.push_back(std::move(p));
      if (r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent) {
        Undefine(r.key);
        rejected_keys_.emplace(r.key, i);
        changed = true;
      }
    }
  }
  return Status::OK();
}

}  // namespace lodestone::domain::import_internal
