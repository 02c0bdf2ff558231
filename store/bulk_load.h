// Bulk loading: many new nodes and relationships as one commit, fast.
//
// A WriteTxn buffers every write in an indexed batch so that it can read its own writes, and checks
// each write against the database; that costs a few microseconds per entry. A bulk load only adds:
// new nodes (with new keys) and new relationships (between new nodes, or from and to nodes that exist
// already). It keeps its entries packed in memory, sorts them at Commit(), writes them as SST files
// with RocksDB's SstFileWriter, and ingests all of them with one atomic IngestExternalFiles call. Readers see
// all of the load or none of it; a crash at any point leaves all of it or none of it. Relationships,
// most of a load, are kept as one small row each rather than as their three or four entries: Commit()
// buckets the rows by node (a counting sort: a load's node ids are dense) and derives each node's
// adjacency, in key order, as it writes it: as chunks for the load's nodes (key_codec.h), as entries
// at nodes that existed before.
//
// Semantics match a WriteTxn that only creates: one record time for everything, one change-log entry
// naming every node and relationship (ids are contiguous), every index maintained (labels, keys,
// declared property indexes, the time index, adjacency in both directions). New
// entities have no earlier versions, so no history entries are written.
//
// Holds the store's writer lock from Begin() until Commit() or destruction (which abandons the load).
//
// Many entities can be added from several threads through parts: reserve ids for them, then let each
// thread fill a part of its own, giving every entity an id from the reservations:
//
//   NodeId first_node = load->ReserveNodes(n);    // ids first_node .. first_node + n - 1
//   RelId first_rel = load->ReserveRels(m);
//   BulkLoad::Part& a = load->NewPart();  BulkLoad::Part& b = load->NewPart();
//   on two threads: a.AddNode(first_node + i, ...) and b.AddNode(...)      (every reserved node)
//   then on two threads: a.AddRel(first_rel + j, ...) and b.AddRel(...)   (every reserved relationship)
//   load->Commit();
//
// Interning, declaring indexes, reserving and creating parts happen on one thread, before the parts
// are used; every reserved node is added before a relationship that touches it. Commit() sorts the
// entries of all parts (on two threads), writes several SST files per big column family in parallel
// and ingests them in one step. Ids, and so the database contents, do not depend on which part an
// entity went into.
#pragma once

#include <memory>
#include <string>

#include "store/graph_store.h"

namespace lodestone {

class BulkLoad {
 public:
  virtual ~BulkLoad() = default;

  // Starts a bulk load; waits while a write transaction runs.
  static Result<std::unique_ptr<BulkLoad>> Begin(GraphStore& store, std::string origin);

  virtual uint64_t record_time() const = 0;
  // The graph as it was when the load began (the load's own entities are not visible); until Commit().
  virtual ReadView& base() = 0;
  // Names, including those this load adds.
  virtual const NameResolver& names() const = 0;

  virtual Result<LabelId> InternLabel(std::string_view name) = 0;
  virtual Result<RelTypeId> InternRelType(std::string_view name) = 0;
  virtual Result<PropKeyId> InternPropKey(std::string_view name) = 0;
  // Declares an index (as WriteTxn::CreateIndex). Only for a label no existing node carries, so that
  // nothing already stored needs indexing; returns OK when the same index exists.
  virtual Status DeclareIndex(LabelId label, PropKeyId key, Value::Kind kind) = 0;

  // Adds a node; record_time is ignored. Refuses a key that exists in the database or in this load.
  virtual Result<NodeId> AddNode(NodeRecord rec) = 0;
  // Adds a relationship between nodes of this load or existing nodes.
  virtual Result<RelRef> AddRel(NodeId src, RelTypeId type, NodeId dst, RelRecord rec) = 0;

  // Reserves `n` consecutive node (relationship) ids and returns the first. Every reserved id must
  // be given to exactly one entity through a part before Commit().
  virtual NodeId ReserveNodes(uint64_t n) = 0;
  virtual RelId ReserveRels(uint64_t n) = 0;

  // A share of the load that one thread fills. It checks what AddNode and AddRel check, except that a
  // key given twice, or one the database has, is refused by Commit() rather than when it is added.
  class Part {
   public:
    virtual ~Part() = default;
    // Adds a node with a reserved id.
    virtual Status AddNode(NodeId id, NodeRecord rec) = 0;
    // Adds a relationship with a reserved id.
    virtual Status AddRel(RelId id, NodeId src, RelTypeId type, NodeId dst, RelRecord rec) = 0;
  };
  // A new part, owned by the load, valid until Commit() or destruction.
  virtual Part& NewPart() = 0;

  // Lets Commit() give the relationships other ids from the load's (the same set), when every one of
  // them is between the load's own nodes: each node's outgoing relationships of one type then get
  // consecutive ids, in the order of their end nodes, which its adjacency chunks store in a few bytes
  // rather than one id each (key_codec.h). For callers that keep no relationship id they gave or
  // were given (AddRel's too).
  virtual void LetCommitRenumberRels() = 0;

  // As WriteTxn::PutMeta: a value of the layers above, written with the load's commit.
  virtual Status PutMeta(std::string_view name, std::string_view value) = 0;

  // Writes and ingests everything as one commit. Nothing is visible before it returns OK.
  virtual Status Commit() = 0;
};

}  // namespace lodestone
