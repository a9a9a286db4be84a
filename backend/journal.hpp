#pragma once
// The write-ahead journal of a lab: STATE_DIR/<lab>/journal, one record a line. A
// namespace is recorded, and the record flushed to disk (fsync), before it is created;
// once it exists it is recorded again with its identity (NS_GET_ID, never reused;
// the nsfs inode on kernels without it). Those later records are written but not
// flushed: a process crash keeps what was written, and after a machine crash no
// namespace is left to remove. So
// `down` -- even after `kill -9` of `up` -- removes exactly the lab's namespaces, and
// with them every link in them. STATE_DIR/<lab>.lock serialises up and down of a lab
// and goes with the lab.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/unique_fd.hpp"
#include "model/result.hpp"

namespace vethlab::backend {

inline constexpr const char* kDefaultStateDir = "/run/vethlab";

// --state-dir if given, else $VETHLAB_STATE_DIR, else /run/vethlab.
std::string state_dir_from(const std::string& option);

// A lab name is a file name: letters, digits, '.', '_', '-', not starting with '.'.
std::optional<std::string> check_lab_name(const std::string& name);

struct NetnsRecord {
    std::string name;
    std::optional<uint64_t> id;  // none: up may have died between record and creation
    bool gone = false;
};

struct LabRecord {
    std::string file;
    std::string hash;
    std::string prefix;
    bool complete = false;
    std::vector<NetnsRecord> namespaces;  // in creation order

    std::vector<const NetnsRecord*> live() const;  // not gone
    const NetnsRecord* find(const std::string& ns) const;
};

class Journal {
public:
    // Locks the lab (never waits: a busy lab is an error). With create=false a lab
    // without a journal is an error too.
    static Result<Journal> open(const std::string& state_dir, const std::string& lab, bool create);

    const LabRecord& record() const { return record_; }
    bool empty() const { return !has_journal_; }
    std::string dir() const { return dir_; }

    std::optional<std::string> begin(const std::string& file, const std::string& hash, const std::string& prefix);
    std::optional<std::string> netns_intent(const std::string& ns);
    std::optional<std::string> netns_made(const std::string& ns, uint64_t id);
    std::optional<std::string> netns_gone(const std::string& ns);
    std::optional<std::string> complete();
    // The lab now stands for another version of its file (up applied the difference).
    std::optional<std::string> retarget(const std::string& file, const std::string& hash);
    // The lab is gone: remove the journal, its directory and the lock file.
    std::optional<std::string> remove();

private:
    std::optional<std::string> append(const std::string& line, bool sync = false);
    void apply_line(const std::string& line);

    std::string dir_;
    std::string path_;
    std::string lock_path_;
    UniqueFd lock_;
    UniqueFd file_;
    LabRecord record_;
    bool has_journal_ = false;
};

// A lab's record, read without taking its lock (for inspect and diff); nullopt if none.
std::optional<LabRecord> read_lab(const std::string& state_dir, const std::string& lab);

// Which other lab in state_dir has recorded namespace ns as live ("" if none).
std::string lab_owning(const std::string& state_dir, const std::string& ns, const std::string& except_lab);

// FNV-1a of the topology file's bytes and the prefix, in hex: "the same lab".
std::string lab_hash(const std::string& file_text, const std::string& prefix);

}  // namespace vethlab::backend
