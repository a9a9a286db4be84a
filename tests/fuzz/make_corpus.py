#!/usr/bin/env python3
"""Rebuild the seed corpora in tests/fuzz/corpus/ from examples/ and the scripts and YAML
written in tests/*.cpp (string literals, adjacent ones joined). Run from anywhere:
    python3 tests/fuzz/make_corpus.py
Seeds are small files named by the hash of their content; the fuzzer adds its own."""
import hashlib
import pathlib
import re

root = pathlib.Path(__file__).resolve().parents[2]
out = root / "tests" / "fuzz" / "corpus"
LIT = re.compile(r'R"\((.*?)\)"|"((?:[^"\\\n]|\\.)*)"', re.S)


def unescape(s):
    return s.encode("latin-1", "backslashreplace").decode("unicode_escape", "replace")


def literals(text):
    """String literals; adjacent ones (only whitespace between) are joined."""
    items, last_end = [], None
    for m in LIT.finditer(text):
        value = m.group(1) if m.group(1) is not None else unescape(m.group(2))
        if last_end is not None and text[last_end:m.start()].strip() == "" and items:
            items[-1] += value
        else:
            items.append(value)
        last_end = m.end()
    return items


def save(target, text):
    data = text.encode()
    if not data or len(data) > 4096:
        return
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


yaml_keys = ("namespaces:", "veths:", "steps:", "links:")
for f in sorted((root / "examples").iterdir()):
    text = f.read_text()
    if f.suffix == ".yaml":
        save("fuzz_yaml", text)
        save("fuzz_sim", "#yaml\n" + text)
    else:
        save("fuzz_ip_script", text)
        save("fuzz_sim", text)

values = set()
for f in sorted((root / "tests").glob("*.cpp")):
    for lit in literals(f.read_text()):
        if any(k in lit for k in yaml_keys):
            save("fuzz_yaml", lit)
            save("fuzz_sim", "#yaml\n" + lit)
        elif re.search(r"\b(ip|ping|sysctl|route|sleep|echo)\b", lit) and ("\n" in lit or lit.startswith("ip ")):
            save("fuzz_ip_script", lit)
            if "netns" in lit:
                save("fuzz_sim", lit)
        elif re.fullmatch(r"[0-9a-fA-F.:/+\- default]{1,40}", lit):
            values.add(lit)
for v in sorted(values):
    save("fuzz_values", v)
