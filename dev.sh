#!/usr/bin/env bash
# vethlab's two entry points after cloning:
#   ./dev.sh demo   install what is missing, build, replay the seed article in the simulator
#   ./dev.sh test   install what is missing, build, run every test (plus an ASan+UBSan build),
#                   then fuzz each libFuzzer target for VETHLAB_FUZZ_SECONDS (default 20)
# Kernel tests ([kernel]) need root; without it they skip and say why.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake pkg-config libboost-graph-dev libboost-dev libnl-3-dev libnl-route-3-dev
          catch2 libbenchmark-dev libyaml-dev libcli11-dev libfmt-dev nlohmann-json3-dev
          libexpat1-dev iproute2 iputils-ping net-tools clang-14 libclang-rt-14-dev llvm-14)
JOBS=$(nproc 2>/dev/null || echo 2)

install_missing() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {  # build DIR [cmake args...]; warnings are errors unless the args say otherwise
    local dir=$1; shift
    # -g1 (line tables): a third less compile time than -g, and stack traces still name lines.
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
        -DVETHLAB_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j"$JOBS"
}

demo() {
    build build
    local v=./build/cli/vethlab
    echo "==> vethlab check examples/seed.sh"
    $v check examples/seed.sh
    echo "==> vethlab sim examples/seed.sh   (the article, replayed in the simulator)"
    $v sim examples/seed.sh
}

test_all() {
    build build
    echo "==> tests"
    (cd build && ctest --output-on-failure -j"$JOBS")
    echo "==> tests under AddressSanitizer + UndefinedBehaviorSanitizer (clang, the fuzz build)"
    # One clang build serves both the sanitizer run of the tests and the fuzz targets
    # (-DVETHLAB_FUZZ=ON: ASan + UBSan + coverage in every library). GCC 12 under
    # -fsanitize took 12 of CI's 30 minutes and reports false positives inside libstdc++
    # (regex); clang compiles it in about two thirds of that, and the warning gate is the
    # normal GCC build above. -O1 -g1 (line tables): reports still name lines.
    build build-asan -DCMAKE_CXX_COMPILER="$(command -v clang++-14)" -DVETHLAB_FUZZ=ON \
        -DVETHLAB_BENCH=OFF -DVETHLAB_WERROR=OFF -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1"
    # Everything again but three runs that test the kernel more than our code: 200 random
    # differential cases (~100 s, mostly ip and ping processes), the measured mode and the
    # ICMP-budget pacing of verify (both depend on vethlab's speed, which ASan changes).
    # The normal build ran all three.
    (cd build-asan && ctest --output-on-failure -j"$JOBS" -E "200 random cases|mesh --measure|verify paces probes")
    echo "==> fuzzing (tests/fuzz/run.sh; docs/reliability.md)"
    VETHLAB_FUZZ_BUILD=build-asan tests/fuzz/run.sh "${VETHLAB_FUZZ_SECONDS:-20}"
}

case "${1:-}" in
    demo) install_missing; demo ;;
    test) install_missing; test_all ;;
    *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac
