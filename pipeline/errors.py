"""How an error reaches the user: one line that names the fix, never a traceback for a
mistake of theirs, and a log file with the traceback for anything postwatch did not expect.
The CLI's command group runs every command through :class:`Group`."""

from __future__ import annotations

import signal
import sys

import click

# "module:Class" of the errors whose message is meant for the user; looked up only in modules
# the command has imported (one it never imported cannot have raised).
USER_ERRORS = ("spiders.archive:ArchiveError", "warehouse.db:WarehouseError", "extractors.build:ModelNotInstalled",
               "pipeline.prefect_api:PrefectUnavailable", "pipeline.pool:WorkerLost")


class Group(click.Group):
    """Turns a user's mistake into one line, Ctrl-C into "stopped", and anything else into one line and a log."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            stopped()
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            runtime = sys.modules.get("pipeline.runtime")
            if runtime is not None and runtime.interrupted():  # Ctrl-C, in a library's own words
                stopped()
            if isinstance(exc, user_errors()):
                raise click.ClickException(str(exc)) from None
            unexpected(exc, ctx)


def user_errors() -> tuple[type[BaseException], ...]:
    found = []
    for name in USER_ERRORS:
        module, _, cls = name.partition(":")
        if module in sys.modules:
            found.append(getattr(sys.modules[module], cls))
    return tuple(found)


def stopped() -> None:
    """Ctrl-C: one line, and what was loaded stays (chunks commit one by one)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the way out
    progress = sys.modules.get("pipeline.progress")
    loaded = progress.loaded() if progress else 0
    click.echo(f"stopped; {loaded} articles loaded, the next run resumes", err=True)
    sys.exit(130)


def unexpected(exc: Exception, ctx: click.Context) -> None:
    """Anything postwatch did not expect: one line here, the traceback in a log file
    (beside the warehouse the command writes, else in the user's state folder)."""
    from .runtime import record_unexpected

    log = record_unexpected(exc, ctx.meta.get("postwatch.db"))
    text = str(exc).strip().splitlines()
    raise click.ClickException(f"unexpected {type(exc).__name__}: {text[0] if text else ''} "
                               f"(the traceback is in {log}; please report it)") from None
