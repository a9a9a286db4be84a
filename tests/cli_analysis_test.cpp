// vethlab gen, mesh, analyze and export --to svg as a user runs them.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "shell.hpp"
#include "xml_doc.hpp"

using vethlab::testing::read_text_file;
using vethlab::testing::run_shell;

namespace {

const std::string kCli = VETHLAB_CLI;
const std::string kExamples = std::string(VETHLAB_SOURCE_DIR) + "/examples/";

std::string cli(const std::string& args) { return kCli + " " + args; }

struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/vethlab-analysis-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { run_shell("rm -rf '" + path + "'"); }
};

}  // namespace

TEST_CASE("cli: gen writes a topology that check accepts and reach answers in full", "[cli][gen]") {
    TempDir dir;
    for (const char* shape : {"mesh", "ring", "line", "star"}) {
        INFO(shape);
        const std::string file = dir.path + "/" + shape + ".yaml";
        auto gen = run_shell(cli(std::string("gen ") + shape + " 5 -o " + file));
        REQUIRE(gen.status == 0);
        CHECK(gen.out.empty());
        CHECK(run_shell(cli("check " + file)).status == 0);
        auto reach = run_shell(cli("reach --json " + file));
        REQUIRE(reach.status == 0);
        CHECK(reach.out.find("\"outcome\": \"reply\"") != std::string::npos);
        CHECK(reach.out.find("unreachable") == std::string::npos);
        CHECK(reach.out.find("silent") == std::string::npos);
        CHECK(reach.out.find("no-route") == std::string::npos);
    }
}

TEST_CASE("cli: gen --to ip is a script check accepts, usage errors exit 2", "[cli][gen]") {
    TempDir dir;
    auto ip = run_shell(cli("gen ring 4 --31 --prefix 192.168.7.0/24 --to ip -o " + dir.path + "/ring.sh"));
    REQUIRE(ip.status == 0);
    const std::string script = read_text_file(dir.path + "/ring.sh");
    CHECK(script.rfind("#!/bin/sh\n# vethlab gen ring 4", 0) == 0);
    CHECK(script.find("192.168.7.0/31") != std::string::npos);
    CHECK(script.find("ip_forward") != std::string::npos);
    CHECK(run_shell(cli("check " + dir.path + "/ring.sh")).status == 0);
    CHECK(run_shell(cli("gen tree 4")).status == 2);
    CHECK(run_shell(cli("gen mesh 0")).status == 2);
    CHECK(run_shell(cli("gen mesh 3 --prefix 10.0.0.300/8")).status == 2);
    auto small = run_shell(cli("gen mesh 40 --prefix 10.0.0.0/24"));
    CHECK(small.status == 1);
    CHECK(small.err == "vethlab gen: prefix 10.0.0.0/24 holds 64 /30 subnets; 780 are needed\n");
    CHECK(run_shell(cli("gen --help")).out.find("bridge") != std::string::npos);
}

TEST_CASE("cli: mesh prints the counts as a table, CSV and JSON, and draws them", "[cli][mesh]") {
    auto text = run_shell(cli("mesh --max 50"));
    REQUIRE(text.status == 0);
    CHECK(text.out.find("full mesh") != std::string::npos);
    CHECK(text.out.find("1,225") != std::string::npos);  // 50 * 49 / 2
    auto csv = run_shell(cli("mesh --min 3 --max 4 --csv"));
    CHECK(csv.out ==
          "n,mesh_pairs,mesh_interfaces,mesh_addresses,bridge_pairs,bridge_interfaces,bridge_addresses,"
          "ring_pairs,ring_interfaces,ring_addresses,line_pairs,line_interfaces,line_addresses,"
          "star_pairs,star_interfaces,star_addresses\n"
          "3,3,6,6,3,7,3,3,6,6,2,4,4,2,4,4\n"
          "4,6,12,12,4,9,4,4,8,8,3,6,6,3,6,6\n");
    auto json = run_shell(cli("mesh --min 1000 --max 1000 --json"));
    CHECK(json.out.find("\"mesh_pairs\": 499500") != std::string::npos);
    CHECK(run_shell(cli("mesh --min 9 --max 3")).status == 2);
    CHECK(run_shell(cli("mesh --csv --json")).status == 2);
    TempDir dir;
    auto svg = run_shell(cli("mesh --max 30 --log --svg " + dir.path + "/m.svg"));
    REQUIRE(svg.status == 0);
    const auto doc = vethlab::testing::parse_xml(read_text_file(dir.path + "/m.svg"));
    INFO(doc.error);
    REQUIRE(doc.root);
    CHECK(doc.root->find_all("g", "series").size() == 4);
}

TEST_CASE("cli: analyze names the router of the line as the cut", "[cli][analyze]") {
    auto r = run_shell(cli("analyze " + kExamples + "router-line.yaml"));
    REQUIRE(r.status == 0);
    CHECK(r.out == kExamples + "router-line.yaml: 3 namespaces, 2 veth pairs, connected\n"
                               "hop diameter: 2\n"
                               "namespaces whose loss splits a group: router\n"
                               "veth pairs whose loss splits a group:\n"
                               "  host-a:eth0 -- router:eth-a\n"
                               "  host-b:eth0 -- router:eth-b\n"
                               "degree (veth ends per namespace): 1 in 2 namespaces, 2 in 1 namespace\n");
    auto j = run_shell(cli("analyze --json " + kExamples + "mesh3.yaml"));
    CHECK(j.out.find("\"diameter\": 1") != std::string::npos);
    CHECK(j.out.find("\"bridges\": []") != std::string::npos);
    CHECK(run_shell(cli("analyze /nonexistent.yaml")).status == 1);
}

TEST_CASE("cli: export --to svg draws every namespace", "[cli][svg]") {
    auto r = run_shell(cli("export " + kExamples + "seed.sh --to svg"));
    REQUIRE(r.status == 0);
    const auto doc = vethlab::testing::parse_xml(r.out);
    INFO(doc.error);
    REQUIRE(doc.root);
    CHECK(doc.root->find_all("g", "namespace").size() >= 2);
}
