#include "backend/journal.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace vethlab::backend {
namespace {

std::string sys_error(const std::string& what, const std::string& path) {
    return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

std::optional<std::string> make_dirs(const std::string& path) {
    std::string partial;
    std::istringstream in(path);
    std::string part;
    if (!path.empty() && path[0] == '/') partial = "";
    while (std::getline(in, part, '/')) {
        if (part.empty()) continue;
        partial += (partial.empty() && path[0] != '/' ? "" : "/") + part;
        if (mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) return sys_error("cannot create", partial);
    }
    return std::nullopt;
}

void sync_dir(const std::string& dir) {
    UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd) fsync(fd.get());
}

void apply_journal_line(LabRecord& record_, const std::string& line) {
    std::istringstream in(line);
    std::string word, name;
    in >> word;
    if (word == "file") std::getline(in >> std::ws, record_.file);
    else if (word == "hash") in >> record_.hash;
    else if (word == "prefix") std::getline(in >> std::ws, record_.prefix);
    else if (word == "complete") record_.complete = true;
    else if (word == "netns-intent" && in >> name) record_.namespaces.push_back({name, std::nullopt, false});
    else if (word == "netns-made" && in >> name) {
        uint64_t id = 0;
        in >> id;
        if (auto* rec = const_cast<NetnsRecord*>(record_.find(name))) rec->id = id;
        else record_.namespaces.push_back({name, id, false});
    } else if (word == "netns-gone" && in >> name) {
        if (auto* rec = const_cast<NetnsRecord*>(record_.find(name))) rec->gone = true;
    }
}

}  // namespace

std::string state_dir_from(const std::string& option) {
    if (!option.empty()) return option;
    if (const char* env = std::getenv("VETHLAB_STATE_DIR"); env && *env) return env;
    return kDefaultStateDir;
}

std::optional<std::string> check_lab_name(const std::string& name) {
    if (name.empty()) return "a lab name cannot be empty";
    if (name[0] == '.') return fmt::format("lab name '{}' cannot start with '.'", name);
    if (name.size() > 64) return fmt::format("lab name '{}' is longer than 64 characters", name);
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
            return fmt::format("lab name '{}' may hold only letters, digits, '.', '_' and '-'", name);
    return std::nullopt;
}

std::vector<const NetnsRecord*> LabRecord::live() const {
    std::vector<const NetnsRecord*> out;
    for (const auto& n : namespaces)
        if (!n.gone) out.push_back(&n);
    return out;
}

const NetnsRecord* LabRecord::find(const std::string& ns) const {
    for (auto it = namespaces.rbegin(); it != namespaces.rend(); ++it)
        if (it->name == ns) return &*it;
    return nullptr;
}

Result<Journal> Journal::open(const std::string& state_dir, const std::string& lab, bool create) {
    if (auto bad = check_lab_name(lab)) return Error{*bad};
    Journal j;
    j.dir_ = state_dir + "/" + lab;
    j.path_ = j.dir_ + "/journal";
    if (auto err = make_dirs(state_dir)) return Error{*err};
    j.lock_path_ = state_dir + "/" + lab + ".lock";
    const std::string& lock_path = j.lock_path_;
    // remove() unlinks the lock file: a lock taken on a file that is no longer (or not
    // yet again) the one at the path locks nothing, so take it again.
    for (int attempt = 0;; ++attempt) {
        j.lock_ = UniqueFd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
        if (!j.lock_) return Error{sys_error("cannot open", lock_path)};
        if (flock(j.lock_.get(), LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK)
                return Error{fmt::format("lab '{}' is busy: another vethlab up or down holds {}", lab, lock_path)};
            return Error{sys_error("cannot lock", lock_path)};
        }
        struct stat held {}, at_path {};
        if (fstat(j.lock_.get(), &held) == 0 && stat(lock_path.c_str(), &at_path) == 0 && held.st_ino == at_path.st_ino &&
            held.st_dev == at_path.st_dev)
            break;
        if (attempt == 100) return Error{fmt::format("cannot lock {}: it keeps being removed", lock_path)};
    }
    std::ifstream in(j.path_);
    if (in) {
        j.has_journal_ = true;
        std::string line;
        while (std::getline(in, line)) j.apply_line(line);
    } else if (!create) {
        unlink(lock_path.c_str());  // held: nothing to keep for a lab that is not there
        return Error{fmt::format("no lab named '{}' in {}", lab, state_dir)};
    }
    return j;
}

void Journal::apply_line(const std::string& line) { apply_journal_line(record_, line); }

std::optional<std::string> Journal::append(const std::string& line, bool sync) {
    if (!file_) {
        if (auto err = make_dirs(dir_)) return err;
        file_ = UniqueFd(::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
        if (!file_) return sys_error("cannot open", path_);
        sync_dir(dir_);
    }
    const std::string text = line + "\n";
    if (write(file_.get(), text.data(), text.size()) != ssize_t(text.size())) return sys_error("cannot write", path_);
    if (sync && fsync(file_.get()) != 0) return sys_error("cannot sync", path_);
    has_journal_ = true;
    apply_line(line);
    return std::nullopt;
}

std::optional<std::string> Journal::begin(const std::string& file, const std::string& hash,
                                          const std::string& prefix) {
    file_.reset();
    if (unlink(path_.c_str()) != 0 && errno != ENOENT) return sys_error("cannot remove", path_);
    record_ = LabRecord{};
    if (auto err = append("vethlab-journal 1")) return err;
    if (auto err = append("file " + file)) return err;
    if (auto err = append("hash " + hash)) return err;
    return append("prefix " + prefix, true);
}

std::optional<std::string> Journal::netns_intent(const std::string& ns) { return append("netns-intent " + ns, true); }
std::optional<std::string> Journal::netns_made(const std::string& ns, uint64_t id) {
    return append(fmt::format("netns-made {} {}", ns, id));
}
std::optional<std::string> Journal::netns_gone(const std::string& ns) { return append("netns-gone " + ns); }
std::optional<std::string> Journal::complete() { return append("complete"); }
std::optional<std::string> Journal::retarget(const std::string& file, const std::string& hash) {
    if (auto err = append("file " + file)) return err;
    return append("hash " + hash, true);
}

std::optional<std::string> Journal::remove() {
    file_.reset();
    if (unlink(path_.c_str()) != 0 && errno != ENOENT) return sys_error("cannot remove", path_);
    if (rmdir(dir_.c_str()) != 0 && errno != ENOENT) return sys_error("cannot remove", dir_);
    unlink(lock_path_.c_str());  // still held: whoever opened it before retries (open)
    record_ = LabRecord{};
    has_journal_ = false;
    return std::nullopt;
}

std::optional<LabRecord> read_lab(const std::string& state_dir, const std::string& lab) {
    if (check_lab_name(lab)) return std::nullopt;
    std::ifstream in(state_dir + "/" + lab + "/journal");
    if (!in) return std::nullopt;
    LabRecord record;
    std::string line;
    while (std::getline(in, line)) apply_journal_line(record, line);
    return record;
}

std::string lab_owning(const std::string& state_dir, const std::string& ns, const std::string& except_lab) {
    std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(state_dir.c_str()), closedir);
    if (!dir) return "";
    while (dirent* entry = readdir(dir.get())) {
        const std::string lab = entry->d_name;
        if (lab == "." || lab == ".." || lab == except_lab) continue;
        std::ifstream in(state_dir + "/" + lab + "/journal");
        if (!in) continue;
        LabRecord record;
        std::string line;
        while (std::getline(in, line)) apply_journal_line(record, line);
        if (const auto* rec = record.find(ns); rec && !rec->gone) return lab;
    }
    return "";
}

std::string lab_hash(const std::string& file_text, const std::string& prefix) {
    uint64_t h = 1469598103934665603ULL;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
    };
    mix(file_text);
    mix(std::string_view("\0", 1));
    mix(prefix);
    return fmt::format("{:016x}", h);
}

}  // namespace vethlab::backend
