#!/usr/bin/env python3
"""Write the huge inputs of tests/huge_input_test.cpp to files, for measuring the CLI:
    python3 tests/fuzz/huge_inputs.py /tmp
    /usr/bin/time -v build/cli/vethlab check /tmp/huge.sh
    /usr/bin/time -v build/cli/vethlab check /tmp/huge.yaml"""
import pathlib
import sys


def quad(i, host):
    v = (10 << 24) | (i * 4 + host)
    return f"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}"


out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
lines = ["#!/bin/bash"]
for i in range(20000):
    lines += [f"ip netns add n{i}", f"ip link add eth0 netns n{i} type veth peer name h{i}",
              f"ip -n n{i} addr add {quad(i, 1)}/30 dev eth0", f"ip -n n{i} link set eth0 up",
              f"ip -n n{i} route add default via {quad(i, 2)}"]
(out / "huge.sh").write_text("\n".join(lines) + "\n")
y = ["namespaces:"] + [f"  n{i}: {{lo: up}}" for i in range(10000)] + ["veths:"]
y += [f"  - n{i-1}:r{i} {quad(i, 1)}/30 -- n{i}:l{i-1} {quad(i, 2)}/30" for i in range(1, 10000)]
(out / "huge.yaml").write_text("\n".join(y) + "\n")
