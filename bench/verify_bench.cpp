// `vethlab verify --peers` of a full mesh on the real kernel (n namespaces, a /30 per
// pair, lo up): n(n-1) probes, each namespace to the far end of each of its veths, all
// at once on one io_context; timed end to end as a user runs it (process, reading the
// file, the simulator, the tables, the probes). "Failing": every 8th pair has one end
// left down, so its other end has no carrier and ARP gives up after 3 s (a host
// unreachable), and the down end has no route (sendto fails). The lab is built
// untimed by `vethlab up`, with the per-run prefix "vv<pid>-", removed however the
// run ends. Needs root.
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

const std::string kPrefix = "vv" + std::to_string(getpid()) + "-";

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

std::string mesh(int n, bool failing) {
    std::string s;
    for (int i = 1; i <= n; ++i) s += fmt::format("ip netns add m{0}\nip -n m{0} link set lo up\n", i);
    int pair = 0;
    for (int i = 1; i <= n; ++i)
        for (int j = i + 1; j <= n; ++j, ++pair) {
            s += fmt::format("ip -n m{0} link add p{0}x{1} type veth peer name p{1}x{0} netns m{1}\n", i, j);
            s += fmt::format("ip -n m{0} addr add 10.{0}.{1}.1/30 dev p{0}x{1}\n"
                             "ip -n m{1} addr add 10.{0}.{1}.2/30 dev p{1}x{0}\n"
                             "ip -n m{0} link set p{0}x{1} up\n",
                             i, j);
            if (!failing || pair % 8 != 0) s += fmt::format("ip -n m{1} link set p{1}x{0} up\n", i, j);
        }
    return s;
}

void run(benchmark::State& state, bool failing) {
    if (auto missing = vethlab::backend::missing_privileges()) {
        state.SkipWithError(("needs root: " + *missing).c_str());
        return;
    }
    const int n = int(state.range(0));
    char tmpl[] = "/tmp/vethlab-verify-bench-XXXXXX";
    const std::string dir = mkdtemp(tmpl);
    const std::string file = dir + "/mesh.sh";
    std::ofstream(file) << mesh(n, failing);
    const std::string cli = VETHLAB_CLI;
    const std::string up = fmt::format("{} up {} --prefix {} --state-dir {}/state -q", cli, file, kPrefix, dir);
    const std::string verify = fmt::format("{} verify {} --prefix {} --peers > {}/out.txt", cli, file, kPrefix, dir);
    if (std::system(up.c_str()) != 0) state.SkipWithError("vethlab up failed");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // carrier settles (linkwatch)
    int status = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        status = std::system(verify.c_str());
        state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    state.counters["probes"] = double(n) * (n - 1);
    state.counters["exit"] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    remove_all_namespaces();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

void BM_VerifyMesh(benchmark::State& s) { run(s, false); }
void BM_VerifyMeshFailing(benchmark::State& s) { run(s, true); }

}  // namespace

BENCHMARK(BM_VerifyMesh)->Arg(10)->Arg(32)->Arg(40)->Iterations(2)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VerifyMeshFailing)->Arg(10)->Arg(32)->Arg(40)->Iterations(2)->UseManualTime()->Unit(benchmark::kMillisecond);
