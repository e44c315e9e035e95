"""The `allybot` command: chat, serve, db upgrade, check-config, teams-package."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from bot.config import Settings
from bot.config_loading import load_settings, resolve_config_path
from bot.errors import ConfigError
from bot.logs import configure_logging, log_event

_log = logging.getLogger("allybot.cli")

EXIT_OK = 0
EXIT_CONFIG = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="allybot", description="A chatbot for workplace staff networks and their allies."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    chat = commands.add_parser("chat", help="chat with the bot in this terminal (or a pipe)")
    chat.add_argument("--user", default="you", help="who you are in the console (default: you)")
    chat.add_argument("--config", help="TOML configuration file")

    serve = commands.add_parser("serve", help="serve Slack and/or Teams, with the scheduler")
    serve.add_argument("--config", help="TOML configuration file")
    serve.add_argument("--host", help="address to listen on (default from config: 0.0.0.0)")
    serve.add_argument("--port", type=int, help="port to listen on (default from config: 3000)")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply database migrations")
    upgrade.add_argument("--config", help="TOML configuration file")

    check = commands.add_parser("check-config", help="validate the configuration")
    check.add_argument("--config", help="TOML configuration file")

    package = commands.add_parser("teams-package", help="build the Teams app package (a zip)")
    package.add_argument("--config", help="TOML configuration file")
    package.add_argument(
        "--output", default="allybot-teams.zip", help="where to write it (allybot-teams.zip)"
    )
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(resolve_config_path(args.config, os.environ))


def _say_config_error(error: ConfigError) -> int:
    print(f"allybot: configuration problem: {error}", file=sys.stderr)
    return EXIT_CONFIG


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ConfigError as error:
        return _say_config_error(error)

    if args.command == "check-config":
        return _check_config(settings)
    if args.command == "teams-package":
        return _teams_package(settings, args.output)

    # The console shares the terminal with the conversation: only problems go to stderr there.
    configure_logging("WARNING" if args.command == "chat" else settings.log_level)
    for warning in settings.warnings:
        log_event(_log, logging.WARNING, "config_warning", detail=warning)
    try:
        if args.command == "chat":
            return asyncio.run(_chat(settings, args.user))
        if args.command == "serve":
            return asyncio.run(_serve(settings, args.host, args.port))
        if args.command == "db":
            return asyncio.run(_db_upgrade(settings))
    except ConfigError as error:
        return _say_config_error(error)
    except KeyboardInterrupt:
        return EXIT_OK
    raise AssertionError(f"unhandled command {args.command}")


def _check_config(settings: Settings) -> int:
    for warning in settings.warnings:
        print(f"warning: {warning}")
    try:
        settings.check_platforms()
    except ConfigError as error:
        return _say_config_error(error)
    platforms = ", ".join(settings.served_platforms()) or "none (only `allybot chat` will run)"
    print(f"{settings.source}: OK. Platforms: {platforms}. Timezone: {settings.timezone.key}.")
    return EXIT_OK


async def _chat(settings: Settings, user: str) -> int:
    from bot.app import build_application
    from bot.messages import Person
    from bot.platforms.console import PLATFORM, ConsoleChat, ConsoleMessenger, FileShelf

    person = Person(platform=PLATFORM, id=user.strip().lower() or "you", display_name=user)
    # One folder for the whole chat (each reply with a file says where it went).
    shelf = FileShelf()
    application = await build_application(
        settings, messenger=ConsoleMessenger(person, sys.stdout, shelf), demo=True
    )
    try:
        chat = ConsoleChat(
            application.router.dispatch,
            person,
            sys.stdin,
            sys.stdout,
            prompt=sys.stdin.isatty(),
            words_for=application.router.words_for,
            shelf=shelf,
        )
        await chat.run()
    finally:
        await application.close()
    return EXIT_OK


async def _db_upgrade(settings: Settings) -> int:
    from storage.database import Database

    database = Database(
        settings.database.url, busy_timeout_seconds=settings.database.busy_timeout_seconds
    )
    try:
        await database.upgrade()
        revision = await database.current_revision()
    finally:
        await database.dispose()
    print(f"Database is at revision {revision}.")
    return EXIT_OK


async def _serve(settings: Settings, host: str | None, port: int | None) -> int:
    from bot.serve import run_server

    settings.check_platforms()
    if not settings.served_platforms():
        print(
            "allybot: no platform is configured, so there is nothing to serve. Set "
            "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for Slack, or MicrosoftAppId and "
            "MicrosoftAppPassword for Teams (see config.example.toml). "
            "To try the bot locally, run `allybot chat`.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    await run_server(
        settings, host or settings.server.host, port if port is not None else settings.server.port
    )
    return EXIT_OK


def _teams_package(settings: Settings, output: str) -> int:
    from pathlib import Path

    from bot.platforms.teams.package import build_package

    try:
        written = build_package(settings, Path(output))
    except ConfigError as error:
        return _say_config_error(error)
    print(f"Wrote {written}: upload it in Teams (Apps → Manage your apps → Upload an app).")
    return EXIT_OK
