"""`peel-web`: serve the archive's search site over a built index."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from indexer.store import IndexUnavailable


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
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (each holds its own open index).",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@click.option(
    "--public-url",
    envvar="PEEL_PUBLIC_URL",
    default="",
    help="The archive's public address (e.g. https://peel.example.org), used for the absolute "
    "links in exports and feeds (or set PEEL_PUBLIC_URL). Default: the address it listens on.",
)
def serve(
    index_dir: Path, host: str, port: int, workers: int, log_level: str, public_url: str
) -> None:
    """Serve the search site and JSON API over the index at --index-dir.

    \b
    Example:
      peel-web serve --index-dir .index --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from webapp.app import create_app
    from webapp.settings import Settings

    if public_url and not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", public_url):
        raise click.BadParameter("must be an http:// or https:// address",
                                 param_hint="--public-url")
    settings = Settings(
        index_dir=index_dir,
        build_hint=f"peel-index build corpus/ --index-dir {index_dir}",
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
    if workers > 1:
        # Each worker process builds its own app from the same settings.
        import os

        os.environ["PEEL_INDEX_DIR"] = str(index_dir)
        os.environ["PEEL_PUBLIC_URL"] = settings.public_url
        uvicorn.run(
            "webapp.asgi:app",
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            proxy_headers=False,
        )
    else:
        uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)
