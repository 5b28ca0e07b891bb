"""Docs, CLI help and code check each other: every command is documented with an example."""

from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from partnership_kb import config
from partnership_kb.cli import app

README = (config.project_home() / "README.md").read_text()


def command_paths() -> list[list[str]]:
    def walk(command, path):
        if hasattr(command, "commands"):
            for name, sub in sorted(command.commands.items()):
                yield from walk(sub, [*path, name])
        else:
            yield path

    return list(walk(get_command(app), []))


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_command_help_has_a_summary_and_an_example(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "Example: pkb " in result.output
    assert f"### `pkb {' '.join(path)}`" in README


def test_readme_first_screen_gives_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:30])
    assert "make demo" in first_screen and "make test" in first_screen
    assert "http://127.0.0.1:8000/graphql" in first_screen


def test_every_setting_is_documented() -> None:
    for name in config.SETTINGS_DOC:
        assert f"`{name}`" in README, name
