"""``missionpress serve``: run the web app with uvicorn until Ctrl-C."""

from __future__ import annotations

import logging
import sys
import threading
import time
import webbrowser

from generator.errors import MissionpressError
from generator.serve.app import Config, create_app
from generator.serve.security import is_loopback

log = logging.getLogger("generator")


def url_of(config: Config) -> str:
    host = "127.0.0.1" if config.host in ("0.0.0.0", "::", "") else config.host
    return f"http://{f'[{host}]' if ':' in host else host}:{config.port}/"


def run(config: Config, open_browser: bool = False) -> int:
    import uvicorn

    if not log.isEnabledFor(logging.DEBUG):  # each build's own lines name temporary folders: keep warnings
        logging.getLogger("generator.documents").setLevel(logging.WARNING)
    app = create_app(config)
    if not is_loopback(config.host):
        log.warning("warning: --host %s: anyone who can reach this machine on that network can use this server "
                    "(see your content, upload rosters); use it only on a network you trust", config.host)
    server = uvicorn.Server(uvicorn.Config(app, host=config.host, port=config.port, log_level="warning",
                                           access_log=False, timeout_graceful_shutdown=10, lifespan="on"))
    stopping = server.handle_exit

    def handle_exit(sig: int, frame: object) -> None:
        app.state.serve.stop()  # end event streams and builds, or the server would wait for them
        stopping(sig, frame)  # type: ignore[arg-type]

    server.handle_exit = handle_exit  # type: ignore[method-assign]

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            log.info("missionpress serve: %s (content: %s; Ctrl-C to stop)", url_of(config), config.content)
            log.info("previews and downloads are made in %s (deleted when the server stops); the output "
                     "folder of `missionpress build` is never written", app.state.serve.folder)
            if open_browser:
                webbrowser.open(url_of(config))

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run()  # stops on Ctrl-C or SIGTERM, then raises the signal again
    except KeyboardInterrupt:
        pass
    except SystemExit:  # uvicorn exits when it cannot listen; it has logged why
        raise MissionpressError(f"--port {config.port}: cannot listen on {config.host}:{config.port} "
                                "(another program may be using it: choose another --port)") from None
    print("stopped", file=sys.stderr)
    return 0
