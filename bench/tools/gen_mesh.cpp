// Writes the benchmarks' full mesh of n namespaces (mesh_fixture.hpp) as files, for
// measuring `vethlab reach FILE --peers` end to end:
//   vethlab_gen_mesh N DIR   ->  DIR/mesh-N.sh (an ip-command script) and DIR/mesh-N.yaml
// The script is the fixture's edits one a line; the YAML says the same declaratively
// (namespaces, then one line per veth pair; ends are up by default).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "../mesh_fixture.hpp"
#include "model/ip_writer.hpp"

using namespace vethlab;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s N DIR\n", argv[0]);
        return 2;
    }
    const int n = std::atoi(argv[1]);
    const std::string base = std::string(argv[2]) + "/mesh-" + std::to_string(n);
    std::ofstream sh(base + ".sh"), yaml(base + ".yaml");
    sh << "#!/bin/sh\n# A full mesh of " << n << " namespaces, a /30 per veth pair.\nset -e\n";
    bench::for_each_mesh_edit(n, [&sh](const EditOp& op) { sh << format_command(op) << '\n'; });

    yaml << "# A full mesh of " << n << " namespaces, a /30 per veth pair.\nnamespaces:\n";
    for (int i = 0; i < n; ++i) yaml << "  n" << i << ": {}\n";
    yaml << "veths:\n";
    uint32_t subnet = (10u << 24);
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j, subnet += 4)
            yaml << "  - n" << i << ":v" << j << ' ' << Ipv4(subnet + 1).str() << "/30 -- n" << j << ":v" << i << ' '
                 << Ipv4(subnet + 2).str() << "/30\n";
    if (!sh || !yaml) {
        std::fprintf(stderr, "cannot write %s.sh / .yaml\n", base.c_str());
        return 1;
    }
    return 0;
}
