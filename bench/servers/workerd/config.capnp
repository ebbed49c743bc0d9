# workerd configurations for bench/run: one constant per worker file, all
# serving raw TCP through the inbound connect() handler (a `tcp = ()`
# socket, which needs `workerd serve --experimental`). The port is set on the
# command line:
#
#   workerd serve --experimental bench/servers/workerd/config.capnp echo \
#     --socket-addr tcp=127.0.0.1:8787
#
# echo and echoLoop embed the very files sockw runs (scripts/echo.js and
# scripts/echo-loop.js), so both runtimes execute identical JavaScript.
using Workerd = import "/workerd/workerd.capnp";

const echo :Workerd.Config = (
  services = [(name = "main", worker = .echoWorker)],
  sockets = [(name = "tcp", address = "127.0.0.1:8787", tcp = (), service = "main")],
);

const echoLoop :Workerd.Config = (
  services = [(name = "main", worker = .echoLoopWorker)],
  sockets = [(name = "tcp", address = "127.0.0.1:8787", tcp = (), service = "main")],
);

const greet :Workerd.Config = (
  services = [(name = "main", worker = .greetWorker)],
  sockets = [(name = "tcp", address = "127.0.0.1:8787", tcp = (), service = "main")],
);

const echoWorker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "../../../scripts/echo.js")],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = ["experimental"],
);

const echoLoopWorker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "../../../scripts/echo-loop.js")],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = ["experimental"],
);

const greetWorker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "../../workers/greet.js")],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = ["experimental"],
);
