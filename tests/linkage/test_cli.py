"""``csphub link``: one parser lists every subcommand; ``import`` and ``run`` reach Django with their audit options."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from csphub.audit.models import AuditEntry
from csphub.linkage.cli import build_parser, django_argv, main
from csphub.linkage.management.commands.link import Command
from csphub.linkage.models import SourceRecord
from tests.factories import World

LEGACY = Path(__file__).resolve().parents[2] / "data" / "legacy"
SUBCOMMANDS = ("dedupe", "parse", "generate", "explain", "import", "run")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {s for a in parser._actions for s in a.option_strings}


def test_it_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    # Each subcommand on a line of its own (indented four spaces), followed on that line by its help.
    assert re.findall(r"^ {4}(\S+) +\S", text, re.MULTILINE) == list(SUBCOMMANDS)


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_explains_itself(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: csphub link {command}")
    parser = _subparsers(build_parser())[command]
    assert parser.description and len(parser.description) > 40
    for action in parser._actions:
        assert action.help, f"{command}: {action.dest} has no help"


@pytest.mark.parametrize("command", ["import", "run"])
def test_its_import_and_run_take_the_options_of_the_management_command(command: str) -> None:
    ours = _subparsers(build_parser())[command]
    theirs = _subparsers(Command().create_parser("csphub", "link"))[command]
    django_own = _options(Command().create_parser("csphub", "link")) - {"-h", "--help", "--version"}
    assert _options(ours) == _options(theirs) | django_own
    assert {"--as-user", "--reason"} <= _options(ours)
    assert [a.dest for a in ours._actions if not a.option_strings] == [
        a.dest for a in theirs._actions if not a.option_strings
    ]


def test_it_rejects_an_unknown_subcommand_or_a_database_option_on_an_engine_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["merge"]) == 2
    assert main(["dedupe", str(tmp_path / "in.csv"), "--out", str(tmp_path / "o.csv"), "--as-user", "x"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'merge'" in err and "unrecognized arguments: --as-user x" in err


def test_it_moves_the_audit_and_django_options_before_the_subcommand() -> None:
    args = build_parser().parse_args(
        ["import", "a.toml", "b.toml", "--agency", "council", "--reason", "why", "--as-user", "u", "--traceback"]
    )
    assert django_argv(args) == [
        "--as-user", "u", "--reason", "why", "--traceback", "import", "--agency", "council", "a.toml", "b.toml"
    ]  # fmt: skip
    assert django_argv(build_parser().parse_args(["run", "--retrain", "-v", "2"])) == [
        "--verbosity",
        "2",
        "run",
        "--retrain",
    ]
    assert django_argv(build_parser().parse_args(["run"])) == ["run"]


def test_it_imports_through_django_under_the_user_and_reason_given(world: World) -> None:
    status = main(
        [
            "import",
            str(LEGACY / "kettering.toml"),
            "--agency",
            "council",
            "--as-user",
            "council_manager",
            "--reason",
            "Merging the four registers",
        ]
    )
    assert status == 0
    assert SourceRecord.objects.filter(source="kettering").count() > 100
    entries = AuditEntry.objects.filter(actor_username="council_manager")
    assert entries.exists()
    assert set(entries.values_list("justification", flat=True)) == {"Merging the four registers"}


def test_it_hands_run_to_django_with_the_audit_options_and_not_its_own(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    # --no-progress is csphub link's own option: Django must not see it; --as-user must reach the audit wrapper.
    assert main(["--no-progress", "run", "--as-user", "nobody", "--reason", "test"]) == 1
    assert "no active user 'nobody'" in capsys.readouterr().err
