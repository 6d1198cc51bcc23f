"""`peel-web`: serve the archive's search site over a built index."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from indexer.search.budget import DEFAULT_SEARCH_SECONDS
from indexer.store import IndexUnavailable
from webapp.settings import Settings
from webapp.workpool import DEFAULT_QUEUE, DEFAULT_THREADS

GRACEFUL_SHUTDOWN_SECONDS = 2  # after SIGTERM, requests in flight get this long to finish

# Settings handed to worker processes (`--workers` > 1) through their environment.
_ENV = {
    "index_dir": "PEEL_INDEX_DIR",
    "build_hint": "PEEL_BUILD_HINT",
    "search_seconds": "PEEL_SEARCH_SECONDS",
    "search_threads": "PEEL_SEARCH_THREADS",
    "search_queue": "PEEL_SEARCH_QUEUE",
    "public_url": "PEEL_PUBLIC_URL",
}


def settings_from_environ(environ: Mapping[str, str]) -> Settings:
    """The settings named by PEEL_* variables (the worker processes' and `webapp.asgi`'s)."""
    defaults = Settings(index_dir=Path(environ.get("PEEL_INDEX_DIR", ".index")))
    seconds = environ.get("PEEL_SEARCH_SECONDS")
    return Settings(
        index_dir=defaults.index_dir,
        build_hint=environ.get("PEEL_BUILD_HINT", defaults.build_hint),
        search_seconds=(float(seconds) or None) if seconds else defaults.search_seconds,
        search_threads=int(environ.get("PEEL_SEARCH_THREADS", defaults.search_threads)),
        search_queue=int(environ.get("PEEL_SEARCH_QUEUE", defaults.search_queue)),
        public_url=environ.get("PEEL_PUBLIC_URL", defaults.public_url),
    )


def settings_to_environ(settings: Settings) -> dict[str, str]:
    return {
        env: "0" if getattr(settings, name) is None else str(getattr(settings, name))
        for name, env in _ENV.items()
    }


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Serve the peel-archive search site.

    \b
    Example:
      peel-web serve --index-dir .index --port 8000
    """


@main.command("serve")
@click.option(
    "--index-dir",
    envvar="PEEL_INDEX_DIR",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of a built index (or set PEEL_INDEX_DIR).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=lambda: os.cpu_count() or 1,
    show_default="the number of cores",
    type=click.IntRange(1, 64),
    help="Server processes (each holds its own open index).",
)
@click.option(
    "--search-seconds",
    default=DEFAULT_SEARCH_SECONDS,
    show_default=True,
    type=click.FloatRange(0),
    help="Wall-clock budget of one search; past it the search stops with a 503 (0: no limit).",
)
@click.option(
    "--search-threads",
    default=DEFAULT_THREADS,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Searches run at once in each process.",
)
@click.option(
    "--search-queue",
    default=DEFAULT_QUEUE,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="Searches that may wait for a thread in each process; more are answered 503 (busy).",
)
@click.option(
    "--public-url",
    envvar="PEEL_PUBLIC_URL",
    default="",
    help="The site's public address, used in redirects (default: relative redirects).",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(index_dir: Path, host: str, port: int, workers: int, search_seconds: float,
          search_threads: int, search_queue: int, public_url: str, log_level: str) -> None:
    """Serve the search site and JSON API over the index at --index-dir.

    \b
    Example:
      peel-web serve --index-dir .index --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from webapp.app import create_app
    from webapp.protocol import SecureH11Protocol

    if public_url and not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", public_url):
        raise click.BadParameter("must be an http:// or https:// address",
                                 param_hint="--public-url")
    settings = Settings(
        index_dir=index_dir,
        build_hint=f"peel-index build corpus/ --index-dir {index_dir}",
        search_seconds=search_seconds or None,
        search_threads=search_threads,
        search_queue=search_queue,
        public_url=public_url.rstrip("/"),
    )
    try:
        app = create_app(settings)
    except IndexUnavailable as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(
        f"Serving {app.state.archive.section_count()} sections from {index_dir} "
        f"at http://{host}:{port}/",
        err=True,
    )
    common: dict[str, object] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "proxy_headers": False,
        "http": SecureH11Protocol,  # security headers on uvicorn's own 400s
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }
    if workers > 1:
        # Each worker process builds its own app from the same settings.
        app.state.archive.close()
        os.environ.update(settings_to_environ(settings))
        uvicorn.run("webapp.asgi:app", workers=workers, **common)  # type: ignore[arg-type]
    else:
        uvicorn.run(app, **common)  # type: ignore[arg-type]
