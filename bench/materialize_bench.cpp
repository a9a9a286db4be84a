// Building a full mesh on the real kernel: n namespaces, a veth pair for every two,
// a /30 on each end, every end up -- by `vethlab up`, by ip -batch (the fastest
// iproute2 path: one `ip -batch` for the namespaces and one `ip -n NS -batch` per
// namespace), and by one `ip` process per command (the seed's way); then the teardown
// (vethlab down vs ip -batch of `netns del`). Needs root; every namespace carries the
// per-run prefix "vb<pid>-" and is removed however the run ends.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "backend/netns.hpp"
#include "backend/privileges.hpp"

namespace {

const std::string kPrefix = "vb" + std::to_string(getpid()) + "-";

struct Files {
    std::string dir;
    Files() {
        char tmpl[] = "/tmp/vethlab-bench-XXXXXX";
        dir = mkdtemp(tmpl);
    }
    ~Files() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        const std::string path = dir + "/" + name;
        std::ofstream(path) << text;
        return path;
    }
};

// Every namespace of this run, gone (also at exit).
void remove_all_namespaces() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(vethlab::backend::kNetnsRunDir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) == 0) vethlab::backend::delete_netns(name);
    }
}
struct Sweeper {
    ~Sweeper() { remove_all_namespaces(); }
} sweeper;

int sh(const std::string& command) { return std::system(command.c_str()); }

// Network devices of every namespace on the machine (sysfs lists them all).
size_t virtual_net_devices() {
    std::error_code ec;
    size_t count = 0;
    for (auto it = std::filesystem::directory_iterator("/sys/devices/virtual/net", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++count;
    return count;
}
const size_t kDevicesAtStart = virtual_net_devices();

// The kernel frees a deleted namespace's devices in the background (cleanup_net):
// wait, untimed, until the machine is back to its device count (at most 20 s).
void settle() {
    for (int i = 0; i < 200 && virtual_net_devices() > kDevicesAtStart; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
}

std::string pair_addr(int i, int j, int end) { return fmt::format("10.{}.{}.{}/30", i, j, end); }

// The topology as vethlab reads it (namespace names without prefix).
std::string vethlab_script(int n) {
    std::string s;
    for (int i = 1; i <= n; ++i) s += fmt::format("ip netns add m{}\n", i);
    for (int i = 1; i <= n; ++i)
        for (int j = i + 1; j <= n; ++j)
            s += fmt::format("ip -n m{0} link add p{0}x{1} type veth peer name p{1}x{0} netns m{1}\n", i, j);
    for (int i = 1; i <= n; ++i)
        for (int j = i + 1; j <= n; ++j)
            s += fmt::format("ip -n m{0} addr add {2} dev p{0}x{1}\nip -n m{1} addr add {3} dev p{1}x{0}\n"
                             "ip -n m{0} link set p{0}x{1} up\nip -n m{1} link set p{1}x{0} up\n",
                             i, j, pair_addr(i, j, 1), pair_addr(i, j, 2));
    return s;
}

// The same, one ip command a line, prefixed.
std::string ip_script(int n) {
    std::string s;
    for (int i = 1; i <= n; ++i) s += fmt::format("ip netns add {}m{}\n", kPrefix, i);
    for (int i = 1; i <= n; ++i)
        for (int j = i + 1; j <= n; ++j)
            s += fmt::format("ip -n {2}m{0} link add p{0}x{1} type veth peer name p{1}x{0} netns {2}m{1}\n", i, j,
                             kPrefix);
    for (int i = 1; i <= n; ++i)
        for (int j = i + 1; j <= n; ++j)
            s += fmt::format("ip -n {2}m{0} addr add {3} dev p{0}x{1}\nip -n {2}m{1} addr add {4} dev p{1}x{0}\n"
                             "ip -n {2}m{0} link set p{0}x{1} up\nip -n {2}m{1} link set p{1}x{0} up\n",
                             i, j, kPrefix, pair_addr(i, j, 1), pair_addr(i, j, 2));
    return s;
}

// ip -batch cannot switch namespaces between lines: one batch creates the namespaces,
// then one per namespace creates its pairs to higher-numbered namespaces and
// configures all of its own ends. Returns the shell script that runs them.
std::string ip_batch(const Files& f, int n) {
    std::string ns;
    for (int i = 1; i <= n; ++i) ns += fmt::format("netns add {}m{}\n", kPrefix, i);
    std::string script = "ip -batch " + f.write("ns.batch", ns) + " || exit 1\n";
    for (int i = 1; i <= n; ++i) {
        std::string b;
        for (int j = i + 1; j <= n; ++j) b += fmt::format("link add p{0}x{1} type veth peer name p{1}x{0} netns {2}m{1}\n", i, j, kPrefix);
        for (int j = 1; j <= n; ++j) {
            if (j == i) continue;
            b += fmt::format("addr add {} dev p{}x{}\nlink set p{}x{} up\n", pair_addr(std::min(i, j), std::max(i, j), i < j ? 1 : 2), i, j, i, j);
        }
        script += fmt::format("ip -n {}m{} -batch {} || exit 1\n", kPrefix, i, f.write(fmt::format("m{}.batch", i), b));
    }
    return f.write("batch.sh", script);
}

std::string ip_batch_teardown(const Files& f, int n) {
    std::string b;
    for (int i = 1; i <= n; ++i) b += fmt::format("netns del {}m{}\n", kPrefix, i);
    return f.write("del.batch", b);
}

bool usable(benchmark::State& state) {
    if (auto missing = vethlab::backend::missing_privileges()) {
        state.SkipWithError(("needs root: " + *missing).c_str());
        return false;
    }
    return true;
}

void counters(benchmark::State& state, int n) {
    const double pairs = double(n) * (n - 1) / 2;
    state.counters["pairs"] = pairs;
    state.counters["per_pair"] = benchmark::Counter(pairs, benchmark::Counter::kIsIterationInvariantRate |
                                                               benchmark::Counter::kInvert);
}

enum class Way { vethlab, ip_batch, ip_commands };

// Builds (timed) and tears down (untimed, or timed for the teardown benchmarks).
void run(benchmark::State& state, Way way, bool time_teardown) {
    if (!usable(state)) return;
    const int n = int(state.range(0));
    Files f;
    const std::string cli = VETHLAB_CLI;
    // The journal on a tmpfs, as /run usually is (here /run is on disk).
    const std::string state_dir = fmt::format("/dev/shm/vethlab-bench-{}", getpid());
    const std::string topo = f.write("mesh.sh", vethlab_script(n));
    const std::string build_cmd =
        way == Way::vethlab ? fmt::format("{} up {} --prefix {} --state-dir {} -q", cli, topo, kPrefix, state_dir)
        : way == Way::ip_batch ? "sh " + ip_batch(f, n)
                               : "sh -e " + f.write("commands.sh", ip_script(n));
    const std::string down_cmd = way == Way::vethlab
                                     ? fmt::format("{} down --name mesh --state-dir {} -q", cli, state_dir)
                                     : "ip -batch " + ip_batch_teardown(f, n);
    for (auto _ : state) {
        if (time_teardown) state.PauseTiming();
        if (sh(build_cmd) != 0) {
            state.SkipWithError("build failed");
            break;
        }
        if (time_teardown) state.ResumeTiming();
        else state.PauseTiming();
        const int down = sh(down_cmd);
        if (time_teardown) state.PauseTiming();
        remove_all_namespaces();
        settle();
        state.ResumeTiming();
        if (down != 0) {
            state.SkipWithError("teardown failed");
            break;
        }
    }
    counters(state, n);
    std::error_code ec;
    std::filesystem::remove_all(state_dir, ec);
}

// vethlab inspect of the mesh, and diff against its file (the lab built untimed).
void inspect_run(benchmark::State& state, const char* verb) {
    if (!usable(state)) return;
    const int n = int(state.range(0));
    Files f;
    const std::string cli = VETHLAB_CLI;
    const std::string state_dir = fmt::format("/dev/shm/vethlab-bench-{}", getpid());
    const std::string topo = f.write("mesh.sh", vethlab_script(n));
    if (sh(fmt::format("{} up {} --prefix {} --state-dir {} -q", cli, topo, kPrefix, state_dir)) != 0) {
        state.SkipWithError("build failed");
        return;
    }
    const std::string cmd = fmt::format("{} {} {} --state-dir {} > /dev/null", cli, verb, topo, state_dir);
    for (auto _ : state)
        if (sh(cmd) != 0) {
            state.SkipWithError(fmt::format("{} failed", verb).c_str());
            break;
        }
    sh(fmt::format("{} down --name mesh --state-dir {} -q", cli, state_dir));
    remove_all_namespaces();
    settle();
    counters(state, n);
    std::error_code ec;
    std::filesystem::remove_all(state_dir, ec);
}

void BM_InspectVethlab(benchmark::State& s) { inspect_run(s, "inspect"); }
void BM_DiffVethlab(benchmark::State& s) { inspect_run(s, "diff"); }

void BM_UpVethlab(benchmark::State& s) { run(s, Way::vethlab, false); }
void BM_UpIpBatch(benchmark::State& s) { run(s, Way::ip_batch, false); }
void BM_UpIpCommands(benchmark::State& s) { run(s, Way::ip_commands, false); }
void BM_DownVethlab(benchmark::State& s) { run(s, Way::vethlab, true); }
void BM_DownIpBatch(benchmark::State& s) { run(s, Way::ip_batch, true); }

}  // namespace

BENCHMARK(BM_UpVethlab)->Arg(10)->Arg(20)->Arg(40)->Arg(60)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_UpIpBatch)->Arg(10)->Arg(20)->Arg(40)->Arg(60)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();
// Separate commands: one iteration each (n = 60 takes about a minute).
BENCHMARK(BM_UpIpCommands)->Arg(10)->Arg(20)->Arg(40)->Arg(60)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DownVethlab)->Arg(10)->Arg(20)->Arg(40)->Arg(60)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DownIpBatch)->Arg(10)->Arg(20)->Arg(40)->Arg(60)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_InspectVethlab)->Arg(10)->Arg(60)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DiffVethlab)->Arg(10)->Arg(60)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();
