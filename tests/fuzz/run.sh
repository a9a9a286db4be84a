#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan + UBSan) and fuzz each for SECONDS
# (default 60), starting from the committed seeds in tests/fuzz/corpus/<target>.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
# Exit 1 on any crash, hang (> 5 s for one input), leak or out-of-memory (> 2 GB), with
# the reproducer's path. Reproduce one:  build-fuzz/tests/fuzz/<target> <reproducer>
# New inputs the fuzzer finds go to build-fuzz/corpus/<target> (not committed).
# VETHLAB_FUZZ_BUILD=DIR uses DIR instead of build-fuzz; a DIR already configured with
# -DVETHLAB_FUZZ=ON (./dev.sh test's build-asan) is used as it is.
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(fuzz_yaml fuzz_ip_script fuzz_values fuzz_sim)
BUILD=${VETHLAB_FUZZ_BUILD:-build-fuzz}
CXX_FUZZ=${CXX_FUZZ:-$(command -v clang++-14 || command -v clang++)}
JOBS=$(nproc 2>/dev/null || echo 2)
[ "$JOBS" -le 2 ] || JOBS=2

# The longest input worth trying: scripts and YAML files of a few KB reach every rule.
max_len() {
    case $1 in
        fuzz_values) echo 64 ;;
        *) echo 4096 ;;
    esac
}

if grep -qs '^VETHLAB_FUZZ:BOOL=ON' "$BUILD/CMakeCache.txt"; then
    echo "==> building the fuzz targets in $BUILD (configured with -DVETHLAB_FUZZ=ON)"
else
    echo "==> building the fuzz targets with $CXX_FUZZ in $BUILD"
    nice -n 19 cmake -S . -B "$BUILD" -DCMAKE_CXX_COMPILER="$CXX_FUZZ" -DVETHLAB_FUZZ=ON \
        -DBUILD_TESTING=OFF -DVETHLAB_BENCH=OFF -DVETHLAB_WERROR=OFF \
        -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" >/dev/null
fi
nice -n 19 cmake --build "$BUILD" -j"$JOBS" --target fuzz

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if command -v llvm-symbolizer-14 >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14); fi

failed=0
summary=()
for t in "${TARGETS[@]}"; do
    bin="$BUILD/tests/fuzz/$t"
    seeds="tests/fuzz/corpus/$t"
    work="$BUILD/corpus/$t"
    artifacts="$BUILD/artifacts/$t/"
    log="$BUILD/$t.log"
    mkdir -p "$work" "$artifacts"
    dict=()
    [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
    # The regressions first: every input that once failed must pass, every time.
    regressions=(tests/fuzz/regressions/"$t"-*)
    if [ -e "${regressions[0]}" ]; then
        if ! nice -n 19 "$bin" -timeout=5 -rss_limit_mb=2048 "${regressions[@]}" >"$log" 2>&1; then
            echo "FAIL $t: a regression input fails again; see $log"
            failed=1
            continue
        fi
    fi
    echo "==> $t for ${SECONDS_PER_TARGET}s"
    if nice -n 19 "$bin" "$work" "$seeds" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" \
        -max_len="$(max_len "$t")" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        summary+=("$t: ${runs:-?} inputs run in ${SECONDS_PER_TARGET}s, no failure")
    else
        failed=1
        tail -n 60 "$log"
        repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        summary+=("FAIL $t: reproducer ${repro:-(none written; see $log)}")
        echo "FAIL $t: reproducer ${repro:-(none written)}; run: $bin ${repro:-}"
    fi
done
echo "==> fuzzing summary"
printf '  %s\n' "${summary[@]}"
exit $failed
