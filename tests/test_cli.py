"""The ``csphub`` entry point: ``csphub help`` lists every command group, and every command's --help explains itself."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import load_command_class

from csphub.analytics.cli import build_parser
from csphub.cli import OWN_GROUPS, main

PACKAGE = Path(__file__).resolve().parents[1] / "csphub"


def _management_commands() -> dict[str, str]:
    """Every management command in csphub's source tree, read from the files (not from Django): name -> app."""
    return {
        path.stem: ".".join(path.relative_to(PACKAGE.parent).parts[:-3])
        for path in PACKAGE.glob("**/management/commands/*.py")
        if not path.stem.startswith("_")
    }


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code in (0, None)
    return capsys.readouterr().out


def _listed(output: str) -> dict[str, str]:
    return {line.split()[0]: line for line in output.splitlines() if line.startswith("  ") and line.strip()}


def test_it_lists_every_command_group(capsys: pytest.CaptureFixture[str]) -> None:
    listed = _listed(_run(["help"], capsys))
    expected = {"crime", "link", "demo", "audit", "assessments", *_management_commands()}
    assert expected <= set(listed), f"not in `csphub help`: {sorted(expected - set(listed))}"
    assert set(listed) <= expected, f"`csphub help` lists what is no command: {sorted(set(listed) - expected)}"


def test_it_gives_each_group_one_line_from_the_command_itself(capsys: pytest.CaptureFixture[str]) -> None:
    listed = _listed(_run(["help"], capsys))
    for name, app in _management_commands().items():
        if name in OWN_GROUPS:
            continue
        help_text = " ".join(str(load_command_class(app, name).help).split())
        assert help_text and help_text in listed[name]


@pytest.mark.parametrize("argv", [[], ["help"], ["--help"], ["-h"]])
def test_it_shows_the_overview_without_arguments_and_for_help(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    output = _run(argv, capsys)
    assert output.startswith("usage: csphub COMMAND")
    assert "crime" in _listed(output)


def test_it_says_django_commands_are_there_and_how_to_get_help(capsys: pytest.CaptureFixture[str]) -> None:
    output = _run(["help"], capsys)
    assert "migrate, runserver, createsuperuser" in output
    assert "csphub COMMAND --help" in output
    assert "csphub help --django" in output
    assert "migrate" not in _listed(output)


def test_it_sends_help_on_a_group_to_that_group(capsys: pytest.CaptureFixture[str]) -> None:
    assert "usage: csphub crime" in _run(["help", "crime"], capsys)
    assert "verify" in _run(["help", "audit"], capsys)


def test_it_lists_django_commands_by_app_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    output = _run(["help", "--django"], capsys)
    assert "[django]" in output or "[auth]" in output
    assert "migrate" in output and "audit" in output


def _parsers(parser: argparse.ArgumentParser, name: str) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def _unexplained(parser: argparse.ArgumentParser, name: str) -> list[str]:
    """Subcommands without a description, and arguments without a help string, of a parser and its subparsers."""
    missing = []
    for path, sub in _parsers(parser, name):
        if path != name and not sub.description:
            missing.append(f"{path}: no description")
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            if not action.help:
                missing.append(f"{path}: {'/'.join(action.option_strings) or action.dest} has no help")
    return missing


def test_every_crime_command_explains_itself() -> None:
    parser = build_parser()
    assert parser.description
    assert _unexplained(parser, "csphub crime") == []


# `csphub link` is being given one parser for all its subcommands; its own test covers its help.
@pytest.mark.parametrize("name", sorted(set(_management_commands()) - {"link"}))
def test_every_management_command_explains_itself(name: str) -> None:
    command = load_command_class(_management_commands()[name], name)
    parser = command.create_parser("csphub", name)
    assert command.help
    assert _unexplained(parser, f"csphub {name}") == []
