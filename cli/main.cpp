// vethlab: predict, build and verify Linux network-namespace topologies wired with veth pairs.
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"vethlab: predict, build and verify network-namespace topologies wired with veth pairs"};
    app.require_subcommand(1);
    vethlab::cli::Context ctx;
    vethlab::cli::add_check(app, ctx);
    vethlab::cli::add_show(app, ctx);
    vethlab::cli::add_import(app, ctx);
    vethlab::cli::add_export(app, ctx);
    vethlab::cli::add_sim(app, ctx);
    vethlab::cli::add_gen(app, ctx);
    vethlab::cli::add_mesh(app, ctx);
    vethlab::cli::add_analyze(app, ctx);
    vethlab::cli::add_lab(app, ctx);
    vethlab::cli::add_verify(app, ctx);
    vethlab::cli::add_fuzz_diff(app, ctx);
    vethlab::cli::add_inspect(app, ctx);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "vethlab: internal error: " << e.what() << "\n";
        return 1;
    }
    return ctx.exit_code;
}
